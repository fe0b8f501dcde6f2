#include <gtest/gtest.h>

#include "feeds/adapters.h"
#include "recording_import.h"

namespace signpost::sync {
namespace {

using catalogue::LmiMetric;
using testing::ReadFixture;
using testing::RecordingImport;

FeedSettings Settings() {
  FeedSettings f;
  f.kind = "lmi-for-all";
  f.url = "http://api.lmiforall.org.uk/api/v1/";
  f.query = "soc=5231,2136";
  return f;
}

TEST(LmiForAllTest, RequestsWalkPayThenProjectionsForEachSoc) {
  auto adapter = MakeLmiForAllAdapter();
  FeedSettings feed = Settings();
  EXPECT_EQ(adapter->FirstRequest(feed).url,
            "http://api.lmiforall.org.uk/api/v1/ashe/estimatePay?soc=5231");
  EXPECT_EQ(adapter->NextRequest(feed, 0)->url,
            "http://api.lmiforall.org.uk/api/v1/wf/predict?soc=5231");
  EXPECT_EQ(adapter->NextRequest(feed, 1)->url,
            "http://api.lmiforall.org.uk/api/v1/ashe/estimatePay?soc=2136");
  EXPECT_EQ(adapter->NextRequest(feed, 2)->url,
            "http://api.lmiforall.org.uk/api/v1/wf/predict?soc=2136");
  EXPECT_FALSE(adapter->NextRequest(feed, 3).has_value());
  feed.max_pages = 2;  // enforced by the sync engine, not here
  EXPECT_TRUE(adapter->NextRequest(feed, 1).has_value());
}

TEST(LmiForAllTest, WeeklyPayBecomesAnnualFiguresKeyedBySoc) {
  RecordingImport out;
  ASSERT_TRUE(MakeLmiForAllAdapter()
                  ->Parse(ReadFixture("lmi_for_all/estimate_pay_5231.json"), 0, out)
                  .ok());
  ASSERT_EQ(out.figures.size(), 2u);
  EXPECT_EQ(out.figures[1].soc_code, "5231");
  EXPECT_EQ(out.figures[1].metric, LmiMetric::kMedianAnnualPay);
  EXPECT_EQ(out.figures[1].year, 2023);
  EXPECT_DOUBLE_EQ(out.figures[1].value, 30368);  // 584.0 x 52
  EXPECT_EQ(out.figures[1].area, "UK");
  EXPECT_EQ(out.skipped(), 1);  // the point without a year
}

TEST(LmiForAllTest, ProjectionsGiveEmploymentAndChange) {
  RecordingImport out;
  ASSERT_TRUE(
      MakeLmiForAllAdapter()->Parse(ReadFixture("lmi_for_all/wf_predict_5231.json"), 1, out).ok());
  ASSERT_EQ(out.figures.size(), 4u);
  EXPECT_EQ(out.figures[0].metric, LmiMetric::kEmployment);
  EXPECT_DOUBLE_EQ(out.figures[0].value, 150000);
  EXPECT_EQ(out.figures[3].metric, LmiMetric::kEmploymentChangePct);
  EXPECT_EQ(out.figures[3].year, 2030);
  EXPECT_DOUBLE_EQ(out.figures[3].value, 4.0);
}

TEST(LmiForAllTest, SocSearchAddsNothingAndOtherShapesAreRefused) {
  RecordingImport out;
  auto adapter = MakeLmiForAllAdapter();
  EXPECT_TRUE(adapter->Parse(ReadFixture("lmi_for_all/soc_search.json"), 0, out).ok());
  EXPECT_EQ(out.staged(), 0);
  EXPECT_FALSE(adapter->Parse(R"({"error": "quota"})", 0, out).ok());
  EXPECT_FALSE(adapter->Parse(ReadFixture("common/login_page.html"), 0, out).ok());
}

}  // namespace
}  // namespace signpost::sync
