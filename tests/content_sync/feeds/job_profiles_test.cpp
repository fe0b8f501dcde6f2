#include <gtest/gtest.h>

#include "feeds/adapters.h"
#include "recording_import.h"

namespace signpost::sync {
namespace {

using testing::ReadFixture;
using testing::ReadSample;
using testing::RecordingImport;

FeedSettings Settings() {
  FeedSettings f;
  f.kind = "job-profiles";
  f.url = "https://api.example/job-profiles/summary";
  f.max_pages = 100;
  return f;
}

TEST(JobProfilesTest, FullProfileMapsToCareer) {
  RecordingImport out;
  ASSERT_TRUE(MakeJobProfilesAdapter()
                  ->Parse(ReadFixture("job_profiles/vehicle-technician.json"), 1, out)
                  .ok());
  ASSERT_EQ(out.careers.size(), 1u);
  const catalogue::Career& c = out.careers[0];
  EXPECT_EQ(c.source_id, "vehicle-technician");
  EXPECT_EQ(c.title, "Vehicle technician");
  EXPECT_EQ(c.alternative_titles, "motor mechanic, vehicle technician");
  EXPECT_EQ(c.overview, "Vehicle technicians service and repair cars, vans and motorbikes.");
  EXPECT_EQ(c.salary_starter, 18000);
  EXPECT_EQ(c.salary_experienced, 32000);
  EXPECT_EQ(c.hours, "39 to 41 hours a week");
  EXPECT_EQ(c.working_pattern, "evenings / weekends occasionally");
  EXPECT_EQ(
      c.entry_college,
      "You'll usually need:\n2 or more GCSEs at grades 9 to 3 (A* to D)\nA Level 2 Diploma in "
      "Light Vehicle Maintenance would help.");
  EXPECT_EQ(c.entry_university, "");
  EXPECT_NE(c.entry_apprenticeship.find("including English and maths"), std::string::npos);
  // "[text | url]" link markup is made plain.
  EXPECT_NE(c.entry_apprenticeship.find(
                "You could do a motor vehicle service and maintenance technician advanced"),
            std::string::npos)
      << c.entry_apprenticeship;
  EXPECT_EQ(c.entry_work, "You could start as a trainee in a garage.");
  ASSERT_EQ(c.skills.size(), 2u);
  EXPECT_EQ(c.skills[0], "knowledge of engineering science and technology");
  EXPECT_EQ(c.what_you_do, "carry out routine services\nfind faults using diagnostic equipment");
  EXPECT_EQ(c.career_path, "With experience, you could become a workshop supervisor.");
  ASSERT_EQ(c.related_careers.size(), 2u);
  EXPECT_EQ(c.related_careers[0], "Auto electrician");
  EXPECT_EQ(c.related_careers[1], "Motorcycle technician");
  EXPECT_EQ(c.soc_code, "5231");
}

TEST(JobProfilesTest, SummaryListIsFollowedOneProfilePerPage) {
  auto adapter = MakeJobProfilesAdapter();
  FeedSettings feed = Settings();
  const FeedRequest first = adapter->FirstRequest(feed);
  EXPECT_EQ(first.url, feed.url);
  // Without "version: v1" API Management answers 404: the adapter sends it.
  EXPECT_EQ(first.headers, (std::vector<std::pair<std::string, std::string>>{{"version", "v1"}}));
  EXPECT_FALSE(first.may_be_missing);
  RecordingImport out;
  ASSERT_TRUE(adapter->Parse(ReadFixture("job_profiles/summary.json"), 0, out).ok());
  EXPECT_EQ(out.skipped(), 1);  // the summary item without a Url
  auto p1 = adapter->NextRequest(feed, 0);
  ASSERT_TRUE(p1.has_value());
  EXPECT_EQ(p1->url, "https://api.nationalcareers.service.gov.uk/job-profiles/vehicle-technician");
  EXPECT_EQ(p1->headers, first.headers);
  EXPECT_TRUE(p1->may_be_missing);  // one profile gone is a skip, not a failed sync
  ASSERT_TRUE(adapter->Parse(ReadFixture("job_profiles/vehicle-technician.json"), 1, out).ok());
  auto p2 = adapter->NextRequest(feed, 1);
  ASSERT_TRUE(p2.has_value());
  EXPECT_EQ(p2->url, "https://api.nationalcareers.service.gov.uk/job-profiles/bricklayer");
  EXPECT_FALSE(adapter->NextRequest(feed, 2).has_value());
  EXPECT_EQ(out.careers.size(), 1u);
}

// The cap is the sync engine's job: the adapter never cuts a feed short.
TEST(JobProfilesTest, NextProfileIsOfferedEvenPastThePagingCap) {
  auto adapter = MakeJobProfilesAdapter();
  FeedSettings feed = Settings();
  feed.max_pages = 2;
  RecordingImport out;
  ASSERT_TRUE(adapter->Parse(ReadFixture("job_profiles/summary.json"), 0, out).ok());
  EXPECT_TRUE(adapter->NextRequest(feed, 0).has_value());
  EXPECT_TRUE(adapter->NextRequest(feed, 1).has_value());
}

TEST(JobProfilesTest, BundleArrayWithAProfileWithoutTitleSkipsIt) {
  RecordingImport out;
  ASSERT_TRUE(
      MakeJobProfilesAdapter()->Parse(ReadFixture("job_profiles/profiles.json"), 0, out).ok());
  ASSERT_EQ(out.careers.size(), 2u);
  EXPECT_EQ(out.careers[1].source_id, "bricklayer");
  EXPECT_EQ(out.careers[1].salary_starter, 17000);
  EXPECT_EQ(out.careers[1].overview, "Bricklayers build and repair walls, chimneys & arches.");
  EXPECT_EQ(out.skipped(), 1);
  EXPECT_TRUE(out.SkippedFor("missing Title"));
}

TEST(JobProfilesTest, AProfileTheApiNoLongerHasIsSkippedAndCounted) {
  auto adapter = MakeJobProfilesAdapter();
  RecordingImport out;
  ASSERT_TRUE(adapter->Parse(ReadFixture("job_profiles/summary.json"), 0, out).ok());
  // 204 No Content (or 404/410, handed over by the engine as empty).
  ASSERT_TRUE(adapter->Parse("", 1, out).ok());
  EXPECT_TRUE(out.SkippedFor("job-profiles/vehicle-technician: the API has no such profile"));
  // A broken profile is skipped too; the next one still imports.
  ASSERT_TRUE(adapter->Parse("{\"Title\": \"Brick", 2, out).ok());
  EXPECT_TRUE(out.SkippedFor("job-profiles/bricklayer: the JSON ends early"));
  EXPECT_EQ(out.skipped(), 3);  // + the summary item without a Url
}

TEST(JobProfilesTest, RequestsArePacedUnderThePublishedLimit) {
  // "by default the API supports 150 per minute": at least 400 ms apart.
  EXPECT_GE(MakeJobProfilesAdapter()->MinRequestIntervalMs(), 400);
}

TEST(JobProfilesTest, TheRealBottlerProfileShowsWhatAStudentReads) {
  RecordingImport out;
  ASSERT_TRUE(MakeJobProfilesAdapter()
                  ->Parse(ReadSample("job-profiles/bottler_test_expectation.json"), 1, out)
                  .ok());
  ASSERT_EQ(out.careers.size(), 1u);
  const catalogue::Career& c = out.careers[0];
  EXPECT_EQ(c.source_id, "bottler");
  EXPECT_EQ(c.title, "Bottler");
  EXPECT_EQ(c.overview,
            "Bottlers fill, pack and operate bottling machinery in food, drink and bottling "
            "factories.");
  EXPECT_EQ(c.salary_starter, 13500);
  EXPECT_EQ(c.salary_experienced, 24000);
  EXPECT_EQ(c.hours, "41 to 43 hours a week");
  EXPECT_EQ(c.working_pattern, "evenings / weekends on shifts");
  EXPECT_EQ(c.soc_code, "9134");
  EXPECT_NE(c.what_you_do.find("setting up machines and starting the bottling process"),
            std::string::npos);
  EXPECT_EQ(c.what_you_do.find("<p>"), std::string::npos);
  EXPECT_EQ(c.career_path, "With experience, you could progress to team supervisor or manager.");
}

TEST(JobProfilesTest, TheRealAdminAssistantProfileHasItsEntryRoutes) {
  RecordingImport out;
  ASSERT_TRUE(MakeJobProfilesAdapter()
                  ->Parse(ReadSample("job-profiles/admin-assistant_test_expectation.json"), 1, out)
                  .ok());
  ASSERT_EQ(out.careers.size(), 1u);
  const catalogue::Career& c = out.careers[0];
  EXPECT_EQ(c.source_id, "admin-assistant");
  EXPECT_EQ(c.title, "Admin assistant");
  EXPECT_FALSE(c.overview.empty());
  EXPECT_EQ(c.entry_apprenticeship.rfind(
                "You could get into this job through an intermediate apprenticeship in business "
                "administration",
                0),
            0u)
      << c.entry_apprenticeship;
  EXPECT_NE(c.entry_apprenticeship.find("You'll usually need:\n5 GCSEs at grades 9 to 4"),
            std::string::npos);
  EXPECT_EQ(c.entry_apprenticeship.find("guide to apprenticeships"), std::string::npos);
  EXPECT_EQ(c.entry_apprenticeship.find("<p>"), std::string::npos);
  EXPECT_NE(c.entry_work.find("You could apply directly to become an admin assistant."),
            std::string::npos);
  EXPECT_GT(c.salary_starter, 0);
  EXPECT_FALSE(c.soc_code.empty());
}

TEST(JobProfilesTest, HtmlLoginPageIsRefused) {
  RecordingImport out;
  Status s = MakeJobProfilesAdapter()->Parse(ReadFixture("common/login_page.html"), 0, out);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("HTML"), std::string::npos);
}

}  // namespace
}  // namespace signpost::sync
