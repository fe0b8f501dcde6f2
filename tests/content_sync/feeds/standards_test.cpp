#include <gtest/gtest.h>

#include "feeds/adapters.h"
#include "recording_import.h"

namespace signpost::sync {
namespace {

using testing::ReadFixture;
using testing::RecordingImport;

TEST(StandardsTest, StandardsMapToTrainingOpportunities) {
  auto adapter = MakeStandardsAdapter();
  RecordingImport out;
  ASSERT_TRUE(adapter->Parse(ReadFixture("standards/standards.json"), 0, out).ok());
  ASSERT_EQ(out.opportunities.size(), 3u);
  const auto* lvst = out.Opportunity("lars:275");
  ASSERT_NE(lvst, nullptr);
  EXPECT_EQ(lvst->kind, catalogue::OpportunityKind::kApprenticeshipStandard);
  EXPECT_EQ(lvst->title, "Light vehicle service technician");
  EXPECT_EQ(lvst->level, 3);
  EXPECT_EQ(lvst->lars_code, "275");
  EXPECT_EQ(lvst->subject_area, "Transport and logistics");
  EXPECT_EQ(lvst->duration_months, 36);  // the current funding band, not the old 42
  EXPECT_EQ(lvst->description,
            "Keeping vehicles safe and roadworthy.\nTypical job titles: Vehicle technician, "
            "Service technician");
  EXPECT_EQ(lvst->provider_id, "org:ifate");
  const auto* admin = out.Opportunity("lars:591");
  ASSERT_NE(admin, nullptr);
  EXPECT_EQ(admin->duration_months, 18);
  ASSERT_EQ(out.providers.size(), 1u);
  EXPECT_EQ(out.providers[0].id, "org:ifate");
}

TEST(StandardsTest, WithdrawnIsLeftOutAndMissingLarsCodeIsCounted) {
  RecordingImport out;
  ASSERT_TRUE(MakeStandardsAdapter()->Parse(ReadFixture("standards/standards.json"), 0, out).ok());
  EXPECT_EQ(out.Opportunity("lars:12"), nullptr);
  EXPECT_EQ(out.skipped(), 1);
  EXPECT_TRUE(out.SkippedFor("missing larsCode"));
}

TEST(StandardsTest, OnePageOnly) {
  auto adapter = MakeStandardsAdapter();
  FeedSettings feed;
  feed.url = "https://api.example/courses/standards";
  feed.query = "filter=Active";
  EXPECT_EQ(adapter->FirstRequest(feed).url, "https://api.example/courses/standards?filter=Active");
  RecordingImport out;
  ASSERT_TRUE(adapter->Parse(ReadFixture("standards/standards.json"), 0, out).ok());
  EXPECT_FALSE(adapter->NextRequest(feed, 0).has_value());
}

TEST(StandardsTest, HtmlAndWrongJsonAreRefused) {
  RecordingImport out;
  auto adapter = MakeStandardsAdapter();
  EXPECT_FALSE(adapter->Parse(ReadFixture("common/login_page.html"), 0, out).ok());
  Status s = adapter->Parse(R"({"vacancies": []})", 0, out);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("standards"), std::string::npos);
}

}  // namespace
}  // namespace signpost::sync
