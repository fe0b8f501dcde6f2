#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "feeds/adapters.h"
#include "recording_import.h"

namespace signpost::sync {
namespace {

using catalogue::OpportunityKind;
using catalogue::StudyMode;
using testing::ReadFixture;
using testing::ReadSample;
using testing::RecordingImport;

FeedSettings Settings() {
  FeedSettings f;
  f.name = "courses";
  f.kind = "find-a-course";
  f.url = "https://api.example/coursedirectory/findacourse/coursesearch";
  f.query = "subjectKeyword=engineering&postcode=KH1 4QT&distance=25&qualificationLevels=2,3";
  f.page_size = 5;
  f.max_pages = 10;
  return f;
}

TEST(FindACourseTest, FirstRequestPostsTheSearchBodyWithPaging) {
  auto adapter = MakeFindACourseAdapter();
  FeedRequest req = adapter->FirstRequest(Settings());
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.content_type, "application/json");
  auto body = nlohmann::json::parse(req.body);
  EXPECT_EQ(body["subjectKeyword"], "engineering");
  EXPECT_EQ(body["postcode"], "KH1 4QT");
  EXPECT_EQ(body["distance"], 25.0);
  EXPECT_EQ(body["qualificationLevels"], nlohmann::json::array({"2", "3"}));
  EXPECT_EQ(body["limit"], 5);
  EXPECT_EQ(body["start"], 0);
}

TEST(FindACourseTest, PageOneMapsCoursesTLevelsAndProviders) {
  auto adapter = MakeFindACourseAdapter();
  RecordingImport out;
  ASSERT_TRUE(adapter->Parse(ReadFixture("find_a_course/search_page1.json"), 0, out).ok());

  ASSERT_EQ(out.opportunities.size(), 3u);
  const auto* eng = out.Opportunity("4c7a1f0e-0b9d-4d1b-8e43-6f0c2a9b7d11");
  ASSERT_NE(eng, nullptr);
  EXPECT_EQ(eng->kind, OpportunityKind::kFeCourse);
  EXPECT_EQ(eng->title, "Engineering (Extended Diploma)");
  EXPECT_EQ(eng->provider_id, "ukprn:10099991");
  EXPECT_EQ(eng->level, 3);
  EXPECT_EQ(eng->mode, StudyMode::kFullTime);
  EXPECT_EQ(eng->duration, "2 years");
  EXPECT_EQ(eng->duration_months, 24);
  ASSERT_TRUE(eng->start.has_value());
  EXPECT_EQ(FormatIsoDate(*eng->start), "2026-09-07");
  EXPECT_EQ(eng->postcode, "KH1 4QT");
  ASSERT_TRUE(eng->location.has_value());
  EXPECT_DOUBLE_EQ(eng->location->lat, 53.7965);
  EXPECT_EQ(eng->description, "Hands-on engineering with workshop practice & maths.");
  EXPECT_EQ(eng->cost_text, "Free for 16 to 18 year olds");
  EXPECT_EQ(eng->subject_area, "Engineering and manufacturing technologies");
  EXPECT_EQ(eng->lars_code, "60172897");

  const auto* plumbing = out.Opportunity("0e51d3aa-77c2-4a0b-bb1f-1d2e3f4a5b62");
  ASSERT_NE(plumbing, nullptr);
  EXPECT_EQ(plumbing->mode, StudyMode::kPartTime);
  EXPECT_TRUE(plumbing->flexible_start);
  EXPECT_FALSE(plumbing->start.has_value());
  EXPECT_EQ(plumbing->duration, "36 weeks");
  EXPECT_EQ(plumbing->duration_months, 8);
  EXPECT_EQ(plumbing->cost_text,
            "\xC2\xA3"
            "450 - Fees may be waived for adults on some benefits");
  EXPECT_EQ(plumbing->level, 1);

  const auto* tlevel = out.Opportunity("c2b1d3e4-2222-4f30-8b9c-8d7e6f5a4b32");
  ASSERT_NE(tlevel, nullptr);
  EXPECT_EQ(tlevel->kind, OpportunityKind::kTLevel);
  EXPECT_EQ(tlevel->route, catalogue::Route::kTLevel);
  EXPECT_EQ(tlevel->provider_id, "ukprn:10099992");

  ASSERT_EQ(out.providers.size(), 2u);  // each provider once
  const auto* college = out.Provider("ukprn:10099991");
  ASSERT_NE(college, nullptr);
  EXPECT_EQ(college->name, "Kirkhaven College");
  EXPECT_EQ(college->ukprn, "10099991");
}

TEST(FindACourseTest, BadRecordsAreSkippedAndCounted) {
  auto adapter = MakeFindACourseAdapter();
  RecordingImport out;
  ASSERT_TRUE(adapter->Parse(ReadFixture("find_a_course/search_page1.json"), 0, out).ok());
  EXPECT_EQ(out.skipped(), 2);
  EXPECT_TRUE(out.SkippedFor("missing courseRunId"));
  EXPECT_TRUE(out.SkippedFor("malformed startDate '07/09/2026'"));
}

TEST(FindACourseTest, PagingFollowsStartAndTotalThenStops) {
  auto adapter = MakeFindACourseAdapter();
  FeedSettings feed = Settings();
  RecordingImport out;
  ASSERT_TRUE(adapter->Parse(ReadFixture("find_a_course/search_page1.json"), 0, out).ok());
  auto next = adapter->NextRequest(feed, 0);
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(nlohmann::json::parse(next->body)["start"], 5);

  ASSERT_TRUE(adapter->Parse(ReadFixture("find_a_course/search_page2.json"), 1, out).ok());
  EXPECT_FALSE(adapter->NextRequest(feed, 1).has_value());
  const auto* online = out.Opportunity("5e6f7a8b-bbbb-4ccc-9ddd-234567890abc");
  ASSERT_NE(online, nullptr);
  EXPECT_EQ(online->mode, StudyMode::kDistance);
  EXPECT_EQ(online->duration_months, 10);
  EXPECT_FALSE(online->location.has_value());
  EXPECT_TRUE(out.SkippedFor("missing providerName"));
  EXPECT_EQ(out.providers.size(), 3u);
}

// The cap is the sync engine's job: the adapter never cuts a feed short.
TEST(FindACourseTest, NextPageIsOfferedEvenPastThePagingCap) {
  auto adapter = MakeFindACourseAdapter();
  FeedSettings feed = Settings();
  feed.max_pages = 1;
  RecordingImport out;
  ASSERT_TRUE(adapter->Parse(ReadFixture("find_a_course/search_page1.json"), 0, out).ok());
  EXPECT_TRUE(adapter->NextRequest(feed, 0).has_value());
}

TEST(FindACourseTest, HtmlLoginPageIsRefusedWithAClearMessage) {
  auto adapter = MakeFindACourseAdapter();
  RecordingImport out;
  Status s = adapter->Parse(ReadFixture("common/login_page.html"), 0, out);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("HTML page"), std::string::npos) << s.message();
  EXPECT_EQ(out.staged(), 0);
}

TEST(FindACourseTest, JsonWithoutResultsIsRefused) {
  auto adapter = MakeFindACourseAdapter();
  RecordingImport out;
  EXPECT_FALSE(adapter->Parse(R"({"statusCode": 401, "message": "Access denied"})", 0, out).ok());
  EXPECT_FALSE(adapter->Parse("", 0, out).ok());
  EXPECT_FALSE(adapter->Parse("{\"results\": [", 0, out).ok());
}

TEST(FindACourseTest, InvalidUtf8InOneResultSkipsOnlyThatResult) {
  std::string page = ReadFixture("find_a_course/search_page1.json");
  const std::string name = "Plumbing Level 1 Diploma";
  page.replace(page.find(name), name.size(), "Plumbing \xC3 Level 1");
  auto adapter = MakeFindACourseAdapter();
  RecordingImport out;
  ASSERT_TRUE(adapter->Parse(page, 0, out).ok());
  EXPECT_EQ(out.opportunities.size(), 2u);
  EXPECT_TRUE(out.SkippedFor("invalid UTF-8 in courseName"));
}

TEST(FindACourseTest, TheRealSearchResponseReadsAsAStudentShouldSeeIt) {
  RecordingImport out;
  auto adapter = MakeFindACourseAdapter();
  ASSERT_TRUE(
      adapter->Parse(ReadSample("find-a-course/get-help-to-retrain_search_response.json"), 0, out)
          .ok());
  ASSERT_EQ(out.opportunities.size(), 3u);
  EXPECT_EQ(out.skipped(), 0);
  const auto* digital = out.Opportunity("cd06ddbe-9057-4773-8507-e94d16322885");
  ASSERT_NE(digital, nullptr);
  EXPECT_EQ(digital->title, "Digital Employability Skills");
  // WebUtility.HtmlEncode's references are text again: CR LF, '&', an en dash.
  EXPECT_EQ(digital->description.rfind(
                "DIGITAL EMPLOYABILITY SKILLS.\nIncrease your confidence and digital skills", 0),
            0u)
      << digital->description;
  EXPECT_NE(digital->description.find("East & North London"), std::string::npos);
  EXPECT_NE(digital->description.find("expert tutors and mentors \xE2\x80\x93 giving"),
            std::string::npos);
  EXPECT_EQ(digital->description.find("&#"), std::string::npos);
  EXPECT_EQ(digital->level, -1);  // "X": not a level
  EXPECT_EQ(digital->postcode, "W10 5YB");
  EXPECT_EQ(digital->duration, "12 weeks");
  // A link a student can open: the course's page on the National Careers Service site.
  EXPECT_EQ(digital->url,
            "https://nationalcareers.service.gov.uk/find-a-course/course-details?CourseId="
            "80ad7954-07fe-4ac1-aa7e-3fe0406e406c&r=cd06ddbe-9057-4773-8507-e94d16322885");
  const auto* maths = out.Opportunity("49158449-bae2-4bfb-ae0f-698781c619c7");
  ASSERT_NE(maths, nullptr);
  EXPECT_EQ(maths->title, "Mathematics Level 2");
  EXPECT_EQ(maths->level, 2);
  EXPECT_EQ(maths->postcode, "NW10 8DY");
  EXPECT_EQ(maths->location_name, "Stonebridge Centre");
  EXPECT_EQ(FormatIsoDate(*maths->start), "2020-01-07");
  const auto* creative = out.Opportunity("97498a06-82d5-41e3-8991-f304f2344c9e");
  ASSERT_NE(creative, nullptr);
  EXPECT_EQ(creative->level, 0);  // "E": entry level
  EXPECT_EQ(creative->duration, "10 months");
  EXPECT_EQ(creative->duration_months, 10);
  bool found_best_practice = false;
  for (const auto& p : out.providers) {
    found_best_practice =
        found_best_practice || p.name == "BEST PRACTICE TRAINING & DEVELOPMENT LIMITED";
  }
  EXPECT_TRUE(found_best_practice);
  // The envelope says 166 results from start 20 in pages of 3: more follow.
  EXPECT_TRUE(adapter->NextRequest(Settings(), 0).has_value());
}

TEST(FindACourseTest, MinutesAreADurationToo) {
  RecordingImport out;
  const char* page =
      R"({"results": [{"courseRunId": "r1", "courseId": "c1", "courseName": "First aid",
      "providerName": "P", "ukprn": "10000001", "durationUnit": "Minutes", "durationValue": 90}],
      "total": 1, "start": 0, "limit": 20})";
  ASSERT_TRUE(MakeFindACourseAdapter()->Parse(page, 0, out).ok());
  ASSERT_EQ(out.opportunities.size(), 1u);
  EXPECT_EQ(out.opportunities[0].duration, "90 minutes");
}

TEST(FindACourseTest, TLevelsLinkToTheirOwnPage) {
  RecordingImport out;
  const char* page = R"({"results": [{"offeringType": "TLevel", "tLevelId": "t-1",
      "tLevelLocationId": "loc-9", "courseName": "T Level in Digital Production",
      "providerName": "P", "ukprn": "10000001"}], "total": 1, "start": 0, "limit": 20})";
  ASSERT_TRUE(MakeFindACourseAdapter()->Parse(page, 0, out).ok());
  ASSERT_EQ(out.opportunities.size(), 1u);
  EXPECT_EQ(out.opportunities[0].url,
            "https://nationalcareers.service.gov.uk/find-a-course/tdetails?tlevelId=t-1&"
            "tlevelLocationId=loc-9");
}

}  // namespace
}  // namespace signpost::sync
