#include <gtest/gtest.h>

#include "feeds/adapters.h"
#include "recording_import.h"

namespace signpost::sync {
namespace {

using catalogue::LmiMetric;
using testing::ReadFixture;
using testing::ReadSample;
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

TEST(LmiForAllTest, SocSearchAddsNothing) {
  RecordingImport out;
  auto adapter = MakeLmiForAllAdapter();
  EXPECT_TRUE(adapter->Parse(ReadFixture("lmi_for_all/soc_search.json"), 0, out).ok());
  EXPECT_EQ(out.staged(), 0);
  EXPECT_EQ(out.skipped(), 0);
}

// One SOC with no estimate, an error object or a broken body is a skip: the
// other SOCs' figures still import.
TEST(LmiForAllTest, OneBadSocIsASkipNotAFailedImport) {
  RecordingImport out;
  auto adapter = MakeLmiForAllAdapter();
  EXPECT_TRUE(adapter->Parse(R"({"error": "quota"})", 0, out).ok());
  EXPECT_TRUE(adapter->Parse("", 1, out).ok());  // 404/204 handed over as empty
  EXPECT_TRUE(adapter->Parse(R"({"soc": 5231, "series": [{"year": 20)", 2, out).ok());
  EXPECT_TRUE(
      adapter->Parse(R"({"soc": 5231, "series": [{"year": 1e10, "estpay": 500}]})", 3, out).ok());
  EXPECT_EQ(out.staged(), 0);
  EXPECT_EQ(out.skipped(), 4) << ::testing::PrintToString(out.skips);
  EXPECT_TRUE(out.SkippedFor("ends early"));
  ASSERT_TRUE(adapter->Parse(ReadFixture("lmi_for_all/estimate_pay_5231.json"), 4, out).ok());
  EXPECT_GT(out.staged(), 0);
  // Every request says so to the engine: a 404 for one SOC is not a failed sync.
  FeedSettings feed;
  feed.url = "https://api.lmiforall.org.uk/api/v1";
  feed.query = "soc=5231,2136";
  EXPECT_TRUE(adapter->FirstRequest(feed).may_be_missing);
  EXPECT_TRUE(adapter->NextRequest(feed, 0)->may_be_missing);
}

TEST(LmiForAllTest, TheRecordedPayResponseGivesAnnualPayByYear) {
  RecordingImport out;
  ASSERT_TRUE(MakeLmiForAllAdapter()
                  ->Parse(ReadSample("lmi-for-all/ashe_estimatePay_soc4135_coarse.json"), 0, out)
                  .ok());
  ASSERT_EQ(out.figures.size(), 2u);
  // Recorded with coarse=true, so keyed to the 2-digit group 41.
  EXPECT_EQ(out.figures[0].soc_code, "41");
  EXPECT_EQ(out.figures[0].metric, LmiMetric::kMedianAnnualPay);
  EXPECT_EQ(out.figures[0].year, 2013);
  EXPECT_DOUBLE_EQ(out.figures[0].value, 710.0 * 52);
  EXPECT_EQ(out.figures[1].year, 2015);
  EXPECT_DOUBLE_EQ(out.figures[1].value, 490.0 * 52);
  // The recorded SOC lookups carry no figures: nothing, and no error.
  RecordingImport lookups;
  EXPECT_TRUE(MakeLmiForAllAdapter()
                  ->Parse(ReadSample("lmi-for-all/soc_search_q_library.json"), 0, lookups)
                  .ok());
  EXPECT_EQ(lookups.staged(), 0);
}

TEST(LmiForAllTest, HtmlIsASkippedAnswer) {
  RecordingImport out;
  EXPECT_TRUE(MakeLmiForAllAdapter()->Parse(ReadFixture("common/login_page.html"), 0, out).ok());
  EXPECT_TRUE(out.SkippedFor("HTML page"));
}

}  // namespace
}  // namespace signpost::sync
