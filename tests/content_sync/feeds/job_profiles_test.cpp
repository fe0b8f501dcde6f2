#include <gtest/gtest.h>

#include "feeds/adapters.h"
#include "recording_import.h"

namespace signpost::sync {
namespace {

using testing::ReadFixture;
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
  EXPECT_EQ(adapter->FirstRequest(feed).url, feed.url);
  RecordingImport out;
  ASSERT_TRUE(adapter->Parse(ReadFixture("job_profiles/summary.json"), 0, out).ok());
  EXPECT_EQ(out.skipped(), 1);  // the summary item without a Url
  auto p1 = adapter->NextRequest(feed, 0);
  ASSERT_TRUE(p1.has_value());
  EXPECT_EQ(p1->url, "https://api.nationalcareers.service.gov.uk/job-profiles/vehicle-technician");
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

TEST(JobProfilesTest, HtmlLoginPageIsRefused) {
  RecordingImport out;
  Status s = MakeJobProfilesAdapter()->Parse(ReadFixture("common/login_page.html"), 0, out);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("HTML"), std::string::npos);
}

}  // namespace
}  // namespace signpost::sync
