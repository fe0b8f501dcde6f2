// Apprenticeship standards: skills_england.json is the public Skills England
// list's shape (a bare array; field names from das-courses-api's
// ImportTypes/SkillsEngland/Apprenticeship.cs); das_standards.json keeps the
// older {"standards": [...]} shape tested.
#include <gtest/gtest.h>

#include "feeds/adapters.h"
#include "recording_import.h"

namespace signpost::sync {
namespace {

using testing::ReadFixture;
using testing::RecordingImport;

TEST(StandardsTest, AStandardShowsItsJobsLevelDurationRouteAndPage) {
  RecordingImport out;
  ASSERT_TRUE(
      MakeStandardsAdapter()->Parse(ReadFixture("standards/skills_england.json"), 0, out).ok());
  const auto* lvst = out.Opportunity("lars:275");
  ASSERT_NE(lvst, nullptr);
  EXPECT_EQ(lvst->kind, catalogue::OpportunityKind::kApprenticeshipStandard);
  EXPECT_EQ(lvst->title, "Light vehicle service technician");
  EXPECT_EQ(lvst->qualification, "ST0275");
  EXPECT_EQ(lvst->level, 3);
  EXPECT_EQ(lvst->lars_code, "275");
  EXPECT_EQ(lvst->subject_area, "Transport and logistics");
  EXPECT_EQ(lvst->duration_months, 36);
  EXPECT_EQ(lvst->duration, "3 years");
  EXPECT_EQ(
      lvst->typical_job_titles,
      (std::vector<std::string>{"Vehicle technician", "Service technician", "Auto technician"}));
  EXPECT_EQ(lvst->description,
            "Keeping cars and vans safe, legal and roadworthy.\nTypical job titles: Vehicle "
            "technician, Service technician, Auto technician");
  EXPECT_EQ(lvst->url, "https://skillsengland.education.gov.uk/apprenticeships/st0275-v1-1");
  EXPECT_EQ(lvst->provider_id, "org:ifate");
  ASSERT_EQ(out.providers.size(), 1u);
}

TEST(StandardsTest, OnlyTheHighestApprovedVersionOfAStandardIsKept) {
  RecordingImport out;
  ASSERT_TRUE(
      MakeStandardsAdapter()->Parse(ReadFixture("standards/skills_england.json"), 0, out).ok());
  const auto* dev = out.Opportunity("lars:91");
  ASSERT_NE(dev, nullptr);
  EXPECT_EQ(dev->title, "Software developer");  // 1.10 beats 1.9
  EXPECT_EQ(dev->duration, "2 years");
  EXPECT_EQ(dev->description.rfind("Building and testing software for users & businesses.", 0), 0u);
  EXPECT_EQ(out.opportunities.size(), 2u);
}

TEST(StandardsTest, OnlyStandardsApprovedForDeliveryAreImported) {
  RecordingImport out;
  ASSERT_TRUE(
      MakeStandardsAdapter()->Parse(ReadFixture("standards/skills_england.json"), 0, out).ok());
  for (const char* id : {"lars:0", "lars:12", "lars:13"}) EXPECT_EQ(out.Opportunity(id), nullptr);
  // In development / proposals / retired are left out, not counted as
  // skips; an approved standard without a LARS code is a real skip.
  EXPECT_EQ(out.skipped(), 1) << ::testing::PrintToString(out.skips);
  EXPECT_TRUE(out.SkippedFor("missing larsCode"));
}

TEST(StandardsTest, TheOlderDasShapeStillImports) {
  RecordingImport out;
  ASSERT_TRUE(
      MakeStandardsAdapter()->Parse(ReadFixture("standards/das_standards.json"), 0, out).ok());
  const auto* lvst = out.Opportunity("lars:275");
  ASSERT_NE(lvst, nullptr);
  EXPECT_EQ(lvst->qualification, "ST0275");
  EXPECT_EQ(lvst->duration_months, 36);  // the current funding band, not the old 42
  EXPECT_EQ(lvst->typical_job_titles,
            (std::vector<std::string>{"Vehicle technician", "Service technician"}));
  EXPECT_EQ(out.Opportunity("lars:12"), nullptr);  // withdrawn
  EXPECT_TRUE(out.SkippedFor("missing larsCode"));
}

TEST(StandardsTest, OnePageOnlyAndABodyCapThatFitsTheRealList) {
  auto adapter = MakeStandardsAdapter();
  FeedSettings feed;
  feed.url = "https://skillsengland.education.gov.uk/api/apprenticeshipstandards";
  EXPECT_EQ(adapter->FirstRequest(feed).url, feed.url);
  RecordingImport out;
  ASSERT_TRUE(adapter->Parse(ReadFixture("standards/skills_england.json"), 0, out).ok());
  EXPECT_FALSE(adapter->NextRequest(feed, 0).has_value());
  EXPECT_GE(adapter->MaxBodyBytes(), 200ll << 20);  // the real list is about 78 MB
}

TEST(StandardsTest, HtmlWrongJsonAndACutListAreRefused) {
  RecordingImport out;
  auto adapter = MakeStandardsAdapter();
  EXPECT_FALSE(adapter->Parse(ReadFixture("common/login_page.html"), 0, out).ok());
  Status s = adapter->Parse(R"({"vacancies": []})", 0, out);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("standards"), std::string::npos);
  const std::string list = ReadFixture("standards/skills_england.json");
  RecordingImport cut;
  s = adapter->Parse(list.substr(0, list.size() - 40), 0, cut);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("ends early"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace signpost::sync
