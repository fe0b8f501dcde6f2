#include <gtest/gtest.h>

#include "feeds/adapters.h"
#include "recording_import.h"

namespace signpost::sync {
namespace {

using testing::ReadFixture;
using testing::RecordingImport;

FeedSettings Settings() {
  FeedSettings f;
  f.name = "vacancies";
  f.kind = "fat-vacancies";
  f.url = "https://api.example/vacancies/vacancy";
  f.query = "Lat=53.79&Lon=-1.54&DistanceInMiles=20";
  f.page_size = 3;
  f.max_pages = 10;
  return f;
}

TEST(FatVacanciesTest, FirstRequestAsksForPageOneWithFilters) {
  FeedRequest req = MakeFatVacanciesAdapter()->FirstRequest(Settings());
  EXPECT_EQ(req.method, "GET");
  EXPECT_EQ(req.url,
            "https://api.example/vacancies/vacancy?PageNumber=1&PageSize=3&Lat=53.79&Lon=-1.54"
            "&DistanceInMiles=20&Sort=AgeDesc");
}

TEST(FatVacanciesTest, VacanciesMapToOpportunitiesWithWages) {
  auto adapter = MakeFatVacanciesAdapter();
  RecordingImport out;
  ASSERT_TRUE(adapter->Parse(ReadFixture("fat_vacancies/page1.json"), 0, out).ok());
  ASSERT_EQ(out.opportunities.size(), 2u);
  const auto* v = out.Opportunity("1000123456");
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->kind, catalogue::OpportunityKind::kApprenticeshipVacancy);
  EXPECT_EQ(v->route, catalogue::Route::kApprenticeship);
  EXPECT_EQ(v->title, "Apprentice Vehicle Technician");
  EXPECT_EQ(v->provider_id, "ukprn:10099991");
  EXPECT_EQ(v->level, 3);
  EXPECT_EQ(v->lars_code, "275");
  EXPECT_EQ(v->qualification, "Light vehicle service technician (level 3)");
  EXPECT_EQ(v->subject_area, "Transport and logistics");
  EXPECT_DOUBLE_EQ(v->wage_annual, 16500);
  EXPECT_EQ(v->wage_text,
            "\xC2\xA3"
            "16,500 a year. Reviewed after 12 months.");
  EXPECT_DOUBLE_EQ(v->hours_per_week, 37.5);
  EXPECT_EQ(v->duration_months, 36);
  EXPECT_EQ(FormatIsoDate(*v->closing), "2026-10-15");
  EXPECT_EQ(FormatIsoDate(*v->expires), "2026-10-15");
  EXPECT_EQ(FormatIsoDate(*v->start), "2026-11-02");
  EXPECT_EQ(v->postcode, "KH4 2RS");
  EXPECT_EQ(v->employer, "Moorside Motors Ltd");
  EXPECT_EQ(v->location_name, "Kirkhaven");
  ASSERT_TRUE(v->location.has_value());
  EXPECT_DOUBLE_EQ(v->location->lon, -1.5388);
  ASSERT_TRUE(v->updated.has_value());
  EXPECT_EQ(FormatIsoTimestamp(*v->updated), "2026-08-20T09:14:03Z");

  const auto* admin = out.Opportunity("1000123457");
  ASSERT_NE(admin, nullptr);
  EXPECT_DOUBLE_EQ(admin->wage_annual, 0);
  EXPECT_EQ(admin->wage_text, "National Minimum Wage");
  EXPECT_EQ(admin->duration_months, 18);

  ASSERT_EQ(out.providers.size(), 1u);
  EXPECT_EQ(out.providers[0].kind, catalogue::ProviderKind::kTrainingProvider);
  EXPECT_EQ(out.skipped(), 1);
  EXPECT_TRUE(out.SkippedFor("missing closingDate"));
}

TEST(FatVacanciesTest, WeeklyWageIsAnnualisedAndMalformedDateSkipped) {
  auto adapter = MakeFatVacanciesAdapter();
  RecordingImport out;
  ASSERT_TRUE(adapter->Parse(ReadFixture("fat_vacancies/page2.json"), 1, out).ok());
  const auto* dev = out.Opportunity("1000123459");
  ASSERT_NE(dev, nullptr);
  EXPECT_DOUBLE_EQ(dev->wage_annual, 320.0 * 52);
  EXPECT_EQ(dev->wage_text,
            "\xC2\xA3"
            "320 a week");
  EXPECT_EQ(dev->level, 4);
  EXPECT_EQ(out.skipped(), 1);
  EXPECT_TRUE(out.SkippedFor("malformed closingDate 'not a date'"));
}

TEST(FatVacanciesTest, NextRequestFollowsTotalPagesAndEndsAfterTheLast) {
  auto adapter = MakeFatVacanciesAdapter();
  FeedSettings feed = Settings();
  RecordingImport out;
  ASSERT_TRUE(adapter->Parse(ReadFixture("fat_vacancies/page1.json"), 0, out).ok());
  auto next = adapter->NextRequest(feed, 0);
  ASSERT_TRUE(next.has_value());
  EXPECT_NE(next->url.find("PageNumber=2&"), std::string::npos);
  ASSERT_TRUE(adapter->Parse(ReadFixture("fat_vacancies/page2.json"), 1, out).ok());
  EXPECT_FALSE(adapter->NextRequest(feed, 1).has_value());
}

// The cap is the sync engine's job: the adapter never cuts a feed short.
TEST(FatVacanciesTest, NextPageIsOfferedEvenPastThePagingCap) {
  auto adapter = MakeFatVacanciesAdapter();
  FeedSettings feed = Settings();
  feed.max_pages = 1;
  RecordingImport out;
  ASSERT_TRUE(adapter->Parse(ReadFixture("fat_vacancies/page1.json"), 0, out).ok());
  EXPECT_TRUE(adapter->NextRequest(feed, 0).has_value());
}

TEST(FatVacanciesTest, HtmlLoginPageIsRefused) {
  RecordingImport out;
  Status s = MakeFatVacanciesAdapter()->Parse(ReadFixture("common/login_page.html"), 0, out);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("HTML page"), std::string::npos);
}

TEST(FatVacanciesTest, NumericEnumsAreUnderstoodToo) {
  RecordingImport out;
  const char* page = R"({"vacancies": [{"vacancyReference": 42, "title": "Apprentice Joiner",
      "ukprn": 10099991, "providerName": "Kirkhaven College", "closingDate": "2026-12-01T00:00:00",
      "wage": {"wageType": 4, "wageAmount": 1500, "wageUnit": 3}}], "totalPages": 1})";
  ASSERT_TRUE(MakeFatVacanciesAdapter()->Parse(page, 0, out).ok());
  ASSERT_EQ(out.opportunities.size(), 1u);
  EXPECT_EQ(out.opportunities[0].source_id, "42");
  EXPECT_DOUBLE_EQ(out.opportunities[0].wage_annual, 18000);
}

}  // namespace
}  // namespace signpost::sync
