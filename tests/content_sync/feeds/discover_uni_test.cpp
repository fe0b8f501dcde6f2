// Discover Uni: the fixtures use the data set's real codes (KISAIMCODE 021
// = BSc, KISLEVEL 03/04, KISMODE 01/02/03) and the outcome tables' columns;
// the real excerpts from ../shared/feeds/samples/discover-uni are read too.
#include <gtest/gtest.h>

#include "feeds/adapters.h"
#include "recording_import.h"

namespace signpost::sync {
namespace {

using catalogue::OutcomeMetric;
using catalogue::StudyMode;
using testing::ReadFixture;
using testing::ReadSample;
using testing::RecordingImport;

FeedSettings Settings() {
  FeedSettings f;
  f.kind = "discover-uni";
  f.url = "file:///var/lib/signpost/discover-uni";
  return f;
}

// Feeds the tables in the order the adapter asks for them; a table the
// fixtures do not have arrives empty, as a mirror's 404 would.
Status ParseAll(FeedAdapter& adapter, RecordingImport& out) {
  FeedSettings feed = Settings();
  std::optional<FeedRequest> req = adapter.FirstRequest(feed);
  for (int page = 0; req; ++page) {
    std::string file = req->url.substr(req->url.rfind('/') + 1);
    if (Status s = adapter.Parse(ReadFixture("discover_uni/" + file), page, out); !s.ok()) {
      return s;
    }
    req = adapter.NextRequest(feed, page);
  }
  return Status::Ok();
}

TEST(DiscoverUniTest, TablesAreRequestedFromTheUnpackedDirectoryCoursesLast) {
  auto adapter = MakeDiscoverUniAdapter();
  FeedSettings feed = Settings();
  const FeedRequest first = adapter->FirstRequest(feed);
  EXPECT_EQ(first.url, "file:///var/lib/signpost/discover-uni/INSTITUTION.csv");
  EXPECT_FALSE(first.may_be_missing);
  std::vector<std::string> asked;
  for (int page = 0; auto next = adapter->NextRequest(feed, page); ++page) {
    asked.push_back(next->url.substr(next->url.rfind('/') + 1) + (next->may_be_missing ? "?" : ""));
  }
  EXPECT_EQ(asked, (std::vector<std::string>{"LOCATION.csv?", "COURSELOCATION.csv?", "KISAIM.csv?",
                                             "NSS.csv?", "CONTINUATION.csv?", "GOSALARY.csv?",
                                             "KISCOURSE.csv"}));
}

TEST(DiscoverUniTest, ACourseShowsItsQualificationLevelModeAndPlace) {
  auto adapter = MakeDiscoverUniAdapter();
  RecordingImport out;
  ASSERT_TRUE(ParseAll(*adapter, out).ok());

  ASSERT_EQ(out.providers.size(), 2u);
  const auto* uni = out.Provider("ukprn:10099981");
  ASSERT_NE(uni, nullptr);
  EXPECT_EQ(uni->name, "University of Kirkhaven");
  EXPECT_EQ(uni->kind, catalogue::ProviderKind::kUniversity);
  EXPECT_EQ(uni->postcode, "KH1 9ZZ");
  EXPECT_EQ(uni->website, "https://www.kirkhaven-uni.example");

  ASSERT_EQ(out.opportunities.size(), 5u);
  const auto* nursing = out.Opportunity("10099981/KH-BSC-NURS/1");
  ASSERT_NE(nursing, nullptr);
  EXPECT_EQ(nursing->kind, catalogue::OpportunityKind::kHeCourse);
  EXPECT_EQ(nursing->title, "Nursing (Adult)");
  EXPECT_EQ(nursing->qualification, "BSc");  // the KISAIM label, not "021"
  EXPECT_EQ(nursing->level, 6);
  EXPECT_EQ(nursing->mode, StudyMode::kFullTime);
  EXPECT_EQ(nursing->duration, "3 years");
  EXPECT_EQ(nursing->duration_months, 36);
  EXPECT_EQ(nursing->url, "https://www.kirkhaven-uni.example/courses/nursing");
  EXPECT_EQ(nursing->location_name, "Moor Road Campus");  // the first COURSELOCATION row wins
  ASSERT_TRUE(nursing->location.has_value());
  EXPECT_DOUBLE_EQ(nursing->location->lat, 53.8071);

  const auto* history = out.Opportunity("10099981/KH-BA-HIST/2");
  ASSERT_NE(history, nullptr);
  EXPECT_EQ(history->title, "History, Politics and \"Society\"");
  EXPECT_EQ(history->qualification, "BA");
  EXPECT_EQ(history->mode, StudyMode::kPartTime);
  EXPECT_EQ(history->location_name, "City Centre Campus");
  EXPECT_EQ(history->description, "Can also be studied by distance learning.");

  const auto* fdsc = out.Opportunity("10099982/NB-FDSC-ENG/1");
  ASSERT_NE(fdsc, nullptr);
  EXPECT_EQ(fdsc->qualification, "FdSc");
  EXPECT_EQ(fdsc->level, 5);  // KISLEVEL 04, a foundation degree

  const auto* chiro = out.Opportunity("10099981/KH-MCHIRO/3");
  ASSERT_NE(chiro, nullptr);
  EXPECT_EQ(chiro->qualification, "MChiro");
  EXPECT_EQ(chiro->level, 7);                    // an integrated master's
  EXPECT_EQ(chiro->mode, StudyMode::kFlexible);  // KISMODE 03: full or part time
  EXPECT_EQ(chiro->description,
            "Can be studied full time or part time. Includes a placement year.");

  const auto* online = out.Opportunity("10099981/KH-MBA-ONL/2");
  ASSERT_NE(online, nullptr);
  EXPECT_EQ(online->mode, StudyMode::kDistance);
  EXPECT_EQ(online->qualification, "FdA");
  EXPECT_FALSE(online->location.has_value());
}

TEST(DiscoverUniTest, OutcomesCarryTheDataSetsOwnCaveatsAndSuppression) {
  auto adapter = MakeDiscoverUniAdapter();
  RecordingImport out;
  ASSERT_TRUE(ParseAll(*adapter, out).ok());
  const auto* nursing = out.Opportunity("10099981/KH-BSC-NURS/1");
  ASSERT_NE(nursing, nullptr);
  std::map<std::string, const catalogue::CourseOutcome*> by_label;
  for (const auto& o : nursing->outcomes) by_label[o.label] = &o;
  ASSERT_TRUE(by_label.count("Teaching on my course"));
  const auto& teaching = *by_label["Teaching on my course"];
  EXPECT_EQ(teaching.metric, OutcomeMetric::kSatisfaction);
  EXPECT_EQ(teaching.value, 89);
  EXPECT_EQ(teaching.population, 84);
  EXPECT_EQ(teaching.caveat, "Based on 84 students on this course.");
  EXPECT_EQ(by_label["Student voice"]->value, 75);
  const auto& carried_on = *by_label["Still studying or finished a year after starting"];
  EXPECT_EQ(carried_on.metric, OutcomeMetric::kContinuation);
  EXPECT_EQ(carried_on.value, 90);  // UCONT 88 + UGAINED 2
  EXPECT_EQ(carried_on.caveat,
            "Based on 120 students on this course over the two most recent years.");
  const auto& salary = *by_label["Typical salary 15 months after the course"];
  EXPECT_EQ(salary.metric, OutcomeMetric::kSalary);
  EXPECT_EQ(salary.value, 28000);
  EXPECT_EQ(salary.low, 25000);
  EXPECT_EQ(salary.high, 31000);

  // Too few students: nothing published, and the kiosk says why.
  const auto* history = out.Opportunity("10099981/KH-BA-HIST/2");
  ASSERT_NE(history, nullptr);
  ASSERT_EQ(history->outcomes.size(), 3u);
  for (const auto& o : history->outcomes) {
    EXPECT_FALSE(o.value.has_value()) << o.label;
    EXPECT_NE(o.caveat.find("does not reflect on the quality of the course"), std::string::npos);
  }
  EXPECT_EQ(history->outcomes[0].caveat.rfind("Not published: there is not enough data", 0), 0u);
  EXPECT_EQ(history->outcomes[1].caveat.rfind("No data yet: the course has not run", 0), 0u);

  // Not enough for the course alone: the subject at this university, said so.
  const auto* fdsc = out.Opportunity("10099982/NB-FDSC-ENG/1");
  ASSERT_NE(fdsc, nullptr);
  ASSERT_FALSE(fdsc->outcomes.empty());
  EXPECT_EQ(fdsc->outcomes[0].caveat,
            "There was not enough data for this course alone (it is small, or too few students "
            "answered): this is for 41 students on courses in the same subject at this "
            "university over two years.");
}

TEST(DiscoverUniTest, BadRowsInEveryTableAreSkippedAndCounted) {
  auto adapter = MakeDiscoverUniAdapter();
  RecordingImport out;
  ASSERT_TRUE(ParseAll(*adapter, out).ok());
  EXPECT_EQ(out.skipped(), 6) << ::testing::PrintToString(out.skips);
  EXPECT_TRUE(out.SkippedFor("INSTITUTION line 4: missing PUBUKPRN"));
  EXPECT_TRUE(out.SkippedFor("no LEGAL_NAME or FIRST_TRADING_NAME"));
  EXPECT_TRUE(out.SkippedFor("malformed LATITUDE/LONGITUDE"));
  EXPECT_TRUE(out.SkippedFor("missing TITLE"));
  EXPECT_TRUE(out.SkippedFor("institution 10099999 not in INSTITUTION"));
  EXPECT_TRUE(out.SkippedFor("invalid UTF-8"));
}

TEST(DiscoverUniTest, TheRealExcerptsImportWithNamesLevelsAndLinks) {
  auto adapter = MakeDiscoverUniAdapter();
  RecordingImport out;
  ASSERT_TRUE(adapter->Parse(ReadSample("discover-uni/INSTITUTION_excerpt.csv"), 0, out).ok());
  ASSERT_TRUE(adapter->Parse(ReadSample("discover-uni/LOCATION_excerpt.csv"), 1, out).ok());
  // KISAIM.csv: codes and labels as FORMATS.md quotes them (no real file to hand).
  ASSERT_TRUE(adapter
                  ->Parse("KISAIMCODE,KISAIMLABEL\r\n000,BA\r\n021,BSc\r\n039,LLB\r\n050,MChiro\r\n"
                          "130,FdA\r\n",
                          3, out)
                  .ok());
  ASSERT_TRUE(adapter->Parse(ReadSample("discover-uni/KISCOURSE_excerpt.csv"), 7, out).ok());
  EXPECT_EQ(out.skipped(), 0) << ::testing::PrintToString(out.skips);
  EXPECT_EQ(out.opportunities.size(), 10u);
  const auto* fda = out.Opportunity("10000055/FDA-BMP/01");
  ASSERT_NE(fda, nullptr);
  EXPECT_EQ(fda->title, "Business and Management Practice");
  EXPECT_EQ(fda->qualification, "FdA");
  EXPECT_EQ(fda->level, 5);
  EXPECT_EQ(fda->duration, "2 years");
  EXPECT_EQ(fda->url,
            "https://www.brookes.ac.uk/courses/undergraduate/business-and-management-practice-fda");
  EXPECT_EQ(out.Opportunity("10000055/FDA-BMP/02")->mode, StudyMode::kPartTime);
  const auto* chiro = out.Opportunity("10000163/MCCF-B320/01");
  ASSERT_NE(chiro, nullptr);
  EXPECT_EQ(chiro->qualification, "MChiro");
  EXPECT_EQ(chiro->level, 7);
  const auto* law = out.Opportunity("10000291/K00001/01");
  ASSERT_NE(law, nullptr);
  EXPECT_EQ(law->qualification, "LLB");
  EXPECT_EQ(law->level, 6);
  const auto* college = out.Provider("ukprn:10000055");
  ASSERT_NE(college, nullptr);
  EXPECT_EQ(college->name, "Abingdon and Witney College");
  EXPECT_EQ(college->postcode, "OX14 1GG");
  EXPECT_EQ(college->website, "https://www.abingdon-witney.ac.uk");  // no scheme published
}

TEST(DiscoverUniTest, UnknownTablesAndHtmlAreRefused) {
  auto adapter = MakeDiscoverUniAdapter();
  RecordingImport out;
  Status s = adapter->Parse("UKPRN,NSSQUESTION,SCORE\n10099981,Q1,80\n", 0, out);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("not a Discover Uni table"), std::string::npos);
  EXPECT_FALSE(adapter->Parse(ReadFixture("common/login_page.html"), 0, out).ok());
  EXPECT_FALSE(adapter->Parse("", 0, out).ok());                  // INSTITUTION is required
  EXPECT_TRUE(MakeDiscoverUniAdapter()->Parse("", 4, out).ok());  // NSS is not
}

TEST(DiscoverUniTest, ATableCutShortIsAFailedDownload) {
  const std::string courses = ReadFixture("discover_uni/KISCOURSE.csv");
  // Cut in the middle of the last row: fewer fields than the header, no line end.
  const std::string cut = courses.substr(0, courses.size() - 30);
  auto adapter = MakeDiscoverUniAdapter();
  RecordingImport out;
  Status s = adapter->Parse(cut, 7, out);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("truncated download"), std::string::npos) << s.message();
  // Cut inside a quoted field.
  const std::string institutions = ReadFixture("discover_uni/INSTITUTION.csv");
  const std::size_t quote = institutions.find("\"Kirkhaven University");
  s = MakeDiscoverUniAdapter()->Parse(institutions.substr(0, quote + 10), 0, out);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("ends inside a quoted field"), std::string::npos) << s.message();
  // A whole file without a final line end is fine.
  std::string whole = ReadFixture("discover_uni/INSTITUTION.csv");
  while (!whole.empty() && whole.back() == '\n') whole.pop_back();
  EXPECT_TRUE(MakeDiscoverUniAdapter()->Parse(whole, 0, out).ok());
}

TEST(DiscoverUniTest, ThePublishedZipIsReadInOnePage) {
  auto adapter = MakeDiscoverUniAdapter();
  FeedSettings feed = Settings();
  feed.url = "https://files.example/discover-uni/discoveruni_dataset.zip";
  EXPECT_EQ(adapter->FirstRequest(feed).url, feed.url);
  RecordingImport out;
  Status s = adapter->Parse(ReadFixture("discover_uni/discoveruni_dataset.zip"), 0, out);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_FALSE(adapter->NextRequest(feed, 0).has_value());
  EXPECT_EQ(out.providers.size(), 2u);
  EXPECT_EQ(out.opportunities.size(), 5u);
  EXPECT_EQ(out.skipped(), 6);
  const auto* nursing = out.Opportunity("10099981/KH-BSC-NURS/1");
  ASSERT_NE(nursing, nullptr);
  EXPECT_EQ(nursing->location_name, "Moor Road Campus");
  EXPECT_EQ(nursing->qualification, "BSc");
  EXPECT_FALSE(nursing->outcomes.empty());
}

TEST(DiscoverUniTest, DamagedZipsAreRefusedWithAReason) {
  const std::string zip = ReadFixture("discover_uni/discoveruni_dataset.zip");
  RecordingImport out;
  Status truncated = MakeDiscoverUniAdapter()->Parse(zip.substr(0, zip.size() / 2), 0, out);
  ASSERT_FALSE(truncated.ok());
  EXPECT_NE(truncated.message().find("truncated"), std::string::npos) << truncated.message();
  std::string corrupt = zip;
  corrupt[corrupt.find("KISCOURSE.csv") + 60] ^= 0x55;  // inside the first member's data
  Status damaged = MakeDiscoverUniAdapter()->Parse(corrupt, 0, out);
  ASSERT_FALSE(damaged.ok());
  EXPECT_NE(damaged.message().find("KISCOURSE.csv"), std::string::npos) << damaged.message();
  Status no_courses =
      MakeDiscoverUniAdapter()->Parse(ReadFixture("discover_uni/no_kiscourse.zip"), 0, out);
  ASSERT_FALSE(no_courses.ok());
  EXPECT_NE(no_courses.message().find("no KISCOURSE.csv"), std::string::npos);
}

}  // namespace
}  // namespace signpost::sync
