#include <gtest/gtest.h>

#include "feeds/adapters.h"
#include "recording_import.h"

namespace signpost::sync {
namespace {

using catalogue::StudyMode;
using testing::ReadFixture;
using testing::RecordingImport;

FeedSettings Settings() {
  FeedSettings f;
  f.kind = "discover-uni";
  f.url = "file:///var/lib/signpost/discover-uni";
  return f;
}

// Feeds the four tables in the order the adapter asks for them.
void ParseAll(FeedAdapter& adapter, RecordingImport& out) {
  FeedSettings feed = Settings();
  std::optional<FeedRequest> req = adapter.FirstRequest(feed);
  for (int page = 0; req; ++page) {
    std::string file = req->url.substr(req->url.rfind('/') + 1);
    ASSERT_TRUE(adapter.Parse(ReadFixture("discover_uni/" + file), page, out).ok()) << file;
    req = adapter.NextRequest(feed, page);
  }
}

TEST(DiscoverUniTest, TablesAreRequestedFromTheUnpackedDirectoryInOrder) {
  auto adapter = MakeDiscoverUniAdapter();
  FeedSettings feed = Settings();
  EXPECT_EQ(adapter->FirstRequest(feed).url,
            "file:///var/lib/signpost/discover-uni/INSTITUTION.csv");
  EXPECT_EQ(adapter->NextRequest(feed, 0)->url,
            "file:///var/lib/signpost/discover-uni/LOCATION.csv");
  EXPECT_EQ(adapter->NextRequest(feed, 1)->url,
            "file:///var/lib/signpost/discover-uni/COURSELOCATION.csv");
  EXPECT_EQ(adapter->NextRequest(feed, 2)->url,
            "file:///var/lib/signpost/discover-uni/KISCOURSE.csv");
  EXPECT_FALSE(adapter->NextRequest(feed, 3).has_value());
}

TEST(DiscoverUniTest, CoursesJoinInstitutionsAndLocations) {
  auto adapter = MakeDiscoverUniAdapter();
  RecordingImport out;
  ParseAll(*adapter, out);

  ASSERT_EQ(out.providers.size(), 2u);
  const auto* uni = out.Provider("ukprn:10099981");
  ASSERT_NE(uni, nullptr);
  EXPECT_EQ(uni->name, "University of Kirkhaven");
  EXPECT_EQ(uni->kind, catalogue::ProviderKind::kUniversity);
  EXPECT_EQ(uni->postcode, "KH1 9ZZ");
  EXPECT_EQ(uni->website, "https://www.kirkhaven-uni.example");
  EXPECT_EQ(out.Provider("ukprn:10099982")->name, "Northbeck College Limited");

  ASSERT_EQ(out.opportunities.size(), 4u);
  const auto* nursing = out.Opportunity("10099981/KH-BSC-NURS/1");
  ASSERT_NE(nursing, nullptr);
  EXPECT_EQ(nursing->kind, catalogue::OpportunityKind::kHeCourse);
  EXPECT_EQ(nursing->route, catalogue::Route::kHigherEducation);
  EXPECT_EQ(nursing->title, "Nursing (Adult)");
  EXPECT_EQ(nursing->provider_id, "ukprn:10099981");
  EXPECT_EQ(nursing->mode, StudyMode::kFullTime);
  EXPECT_EQ(nursing->level, 6);
  EXPECT_EQ(nursing->duration, "3 years");
  EXPECT_EQ(nursing->duration_months, 36);
  EXPECT_EQ(nursing->url, "https://www.kirkhaven-uni.example/courses/nursing");
  EXPECT_EQ(nursing->location_name, "Moor Road Campus");  // the first COURSELOCATION row wins
  ASSERT_TRUE(nursing->location.has_value());
  EXPECT_DOUBLE_EQ(nursing->location->lat, 53.8071);

  const auto* history = out.Opportunity("10099981/KH-BA-HIST/2");
  ASSERT_NE(history, nullptr);
  EXPECT_EQ(history->title, "History, Politics and \"Society\"");
  EXPECT_EQ(history->mode, StudyMode::kPartTime);
  EXPECT_EQ(history->location_name, "City Centre Campus");

  EXPECT_EQ(out.Opportunity("10099982/NB-FDSC-ENG/1")->level, -1);
  const auto* mba = out.Opportunity("10099981/KH-MBA-ONL/2");
  ASSERT_NE(mba, nullptr);
  EXPECT_EQ(mba->mode, StudyMode::kDistance);
  EXPECT_FALSE(mba->location.has_value());
}

TEST(DiscoverUniTest, BadRowsInEveryTableAreSkippedAndCounted) {
  auto adapter = MakeDiscoverUniAdapter();
  RecordingImport out;
  ParseAll(*adapter, out);
  EXPECT_EQ(out.skipped(), 6) << ::testing::PrintToString(out.skips);
  EXPECT_TRUE(out.SkippedFor("INSTITUTION line 4: missing PUBUKPRN"));
  EXPECT_TRUE(out.SkippedFor("no LEGAL_NAME or FIRST_TRADING_NAME"));
  EXPECT_TRUE(out.SkippedFor("malformed LATITUDE/LONGITUDE"));
  EXPECT_TRUE(out.SkippedFor("missing TITLE"));
  EXPECT_TRUE(out.SkippedFor("institution 10099999 not in INSTITUTION"));
  EXPECT_TRUE(out.SkippedFor("KISCOURSE line 8: invalid UTF-8"));
}

TEST(DiscoverUniTest, UnknownTablesAndHtmlAreRefused) {
  auto adapter = MakeDiscoverUniAdapter();
  RecordingImport out;
  Status s = adapter->Parse("UKPRN,NSSQUESTION,SCORE\n10099981,Q1,80\n", 0, out);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("not a Discover Uni table"), std::string::npos);
  EXPECT_FALSE(adapter->Parse(ReadFixture("common/login_page.html"), 0, out).ok());
  EXPECT_FALSE(adapter->Parse("", 0, out).ok());
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
  EXPECT_EQ(out.opportunities.size(), 4u);
  EXPECT_EQ(out.skipped(), 6);
  const auto* nursing = out.Opportunity("10099981/KH-BSC-NURS/1");
  ASSERT_NE(nursing, nullptr);
  EXPECT_EQ(nursing->location_name, "Moor Road Campus");
}

TEST(DiscoverUniTest, DamagedZipsAreRefusedWithAReason) {
  const std::string zip = ReadFixture("discover_uni/discoveruni_dataset.zip");
  RecordingImport out;
  Status truncated = MakeDiscoverUniAdapter()->Parse(zip.substr(0, zip.size() / 2), 0, out);
  ASSERT_FALSE(truncated.ok());
  EXPECT_NE(truncated.message().find("truncated"), std::string::npos) << truncated.message();
  std::string corrupt = zip;
  corrupt[corrupt.find("KISCOURSE.csv") + 60] ^= 0x55;  // inside the first entry's data
  EXPECT_FALSE(MakeDiscoverUniAdapter()->Parse(corrupt, 0, out).ok());
  Status no_courses =
      MakeDiscoverUniAdapter()->Parse(ReadFixture("discover_uni/no_kiscourse.zip"), 0, out);
  ASSERT_FALSE(no_courses.ok());
  EXPECT_NE(no_courses.message().find("no KISCOURSE.csv"), std::string::npos);
}

}  // namespace
}  // namespace signpost::sync
