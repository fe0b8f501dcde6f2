// Find an apprenticeship (Display Advert API v2): the fixtures page1.json and
// page2.json are in the real v2 shape (addresses[], no address/location;
// see the adapter's header); v1_page*.json keep the v1 fallback tested.
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

TEST(FatVacanciesTest, FirstRequestAsksForPageOneWithFiltersAndVersionTwo) {
  FeedRequest req = MakeFatVacanciesAdapter()->FirstRequest(Settings());
  EXPECT_EQ(req.method, "GET");
  EXPECT_EQ(req.url,
            "https://api.example/vacancies/vacancy?PageNumber=1&PageSize=3&Lat=53.79&Lon=-1.54"
            "&DistanceInMiles=20&Sort=AgeDesc");
  // Without X-Version the API serves the deprecated v1: the adapter asks for v2 itself.
  ASSERT_EQ(req.headers.size(), 1u);
  EXPECT_EQ(req.headers[0].first, "X-Version");
  EXPECT_EQ(req.headers[0].second, "2");
}

TEST(FatVacanciesTest, AVersionTwoVacancyShowsWhereItIsWhatItPaysAndHowToApply) {
  auto adapter = MakeFatVacanciesAdapter();
  RecordingImport out;
  ASSERT_TRUE(adapter->Parse(ReadFixture("fat_vacancies/page1.json"), 0, out).ok());
  const auto* v = out.Opportunity("1000123456");
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->kind, catalogue::OpportunityKind::kApprenticeshipVacancy);
  EXPECT_EQ(v->route, catalogue::Route::kApprenticeship);
  EXPECT_EQ(v->title, "Apprentice Vehicle Technician");
  EXPECT_EQ(v->provider_id, "ukprn:10099991");
  EXPECT_EQ(v->employer, "Moorside Motors Ltd");
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
  EXPECT_EQ(FormatIsoDate(*v->start), "2026-11-02");
  ASSERT_TRUE(v->posted.has_value());  // postedDate's day: the kiosk's "New" tag
  EXPECT_EQ(FormatIsoDate(*v->posted), "2026-08-20");
  // v2 addresses[]: town, postcode and map point from the first workplace.
  EXPECT_EQ(v->location_name, "Kirkhaven");
  EXPECT_EQ(v->postcode, "KH4 2RS");
  ASSERT_TRUE(v->location.has_value());
  EXPECT_DOUBLE_EQ(v->location->lat, 53.7921);
  EXPECT_DOUBLE_EQ(v->location->lon, -1.5388);
  EXPECT_EQ(v->url, "https://www.findapprenticeship.service.gov.uk/apprenticeship/VAC1000123456");
  // Entities decoded; the working week and the other workplace said in words.
  EXPECT_NE(v->description.find("workshop & MOT bay"), std::string::npos) << v->description;
  EXPECT_NE(v->description.find("Working week: Monday to Friday, 8am to 4:30pm"),
            std::string::npos);
  EXPECT_NE(v->description.find("2 workplaces: Kirkhaven, Northbeck"), std::string::npos);
}

TEST(FatVacanciesTest, AVacancyAtSeveralSitesIsFindableNearEachOfThem) {
  RecordingImport out;
  ASSERT_TRUE(
      MakeFatVacanciesAdapter()->Parse(ReadFixture("fat_vacancies/page1.json"), 0, out).ok());
  const auto* second = out.Opportunity("1000123456/2");
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(second->title, "Apprentice Vehicle Technician");
  EXPECT_EQ(second->location_name, "Northbeck");
  EXPECT_EQ(second->postcode, "NB2 7QT");
  ASSERT_TRUE(second->location.has_value());
  EXPECT_DOUBLE_EQ(second->location->lat, 53.8312);
  EXPECT_EQ(out.opportunities.size(), 3u);  // 2 sites + 1 (the third has no closing date)
  EXPECT_EQ(out.providers.size(), 1u);
}

TEST(FatVacanciesTest, MinimumWagesAreNamedAndAVacancyWithoutClosingDateIsSkipped) {
  RecordingImport out;
  ASSERT_TRUE(
      MakeFatVacanciesAdapter()->Parse(ReadFixture("fat_vacancies/page1.json"), 0, out).ok());
  const auto* admin = out.Opportunity("1000123457");
  ASSERT_NE(admin, nullptr);
  EXPECT_DOUBLE_EQ(admin->wage_annual, 0);  // depends on the apprentice's age
  EXPECT_EQ(admin->wage_text, "National Minimum Wage");
  EXPECT_EQ(admin->duration_months, 18);
  EXPECT_EQ(admin->postcode, "KH1 1AA");
  EXPECT_EQ(out.skipped(), 1);
  EXPECT_TRUE(out.SkippedFor("1000123458): missing closingDate"));
}

TEST(FatVacanciesTest, AFixedWageIsAnnualWhateverTheUnitSays) {
  RecordingImport out;
  ASSERT_TRUE(
      MakeFatVacanciesAdapter()->Parse(ReadFixture("fat_vacancies/page2.json"), 1, out).ok());
  const auto* dev = out.Opportunity("1000123459");
  ASSERT_NE(dev, nullptr);
  // "If wageType is Custom, wageAmount will be the set annual wage."
  EXPECT_DOUBLE_EQ(dev->wage_annual, 18720);
  EXPECT_EQ(dev->wage_text,
            "\xC2\xA3"
            "18,720 a year");
  EXPECT_EQ(dev->level, 4);
  EXPECT_TRUE(out.SkippedFor("malformed closingDate 'not a date'"));
}

TEST(FatVacanciesTest, ANationalVacancyIsAnywhereInEngland) {
  RecordingImport out;
  ASSERT_TRUE(
      MakeFatVacanciesAdapter()->Parse(ReadFixture("fat_vacancies/page2.json"), 1, out).ok());
  const auto* dev = out.Opportunity("1000123459");
  ASSERT_NE(dev, nullptr);
  EXPECT_EQ(dev->location_name, "Anywhere in England");
  EXPECT_FALSE(dev->location.has_value());
  EXPECT_EQ(dev->postcode, "");
  EXPECT_NE(dev->description.find("Recruiting nationally: You can work from home"),
            std::string::npos)
      << dev->description;
}

TEST(FatVacanciesTest, VersionOneAddressAndLocationAreStillRead) {
  RecordingImport out;
  ASSERT_TRUE(
      MakeFatVacanciesAdapter()->Parse(ReadFixture("fat_vacancies/v1_page1.json"), 0, out).ok());
  const auto* v = out.Opportunity("1000123456");
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->postcode, "KH4 2RS");
  EXPECT_EQ(v->location_name, "Kirkhaven");
  ASSERT_TRUE(v->location.has_value());
  EXPECT_DOUBLE_EQ(v->location->lon, -1.5388);
  EXPECT_EQ(out.skipped(), 1);
  EXPECT_TRUE(out.SkippedFor("missing closingDate"));
}

TEST(FatVacanciesTest, NextRequestFollowsTotalPagesAndEndsAfterTheLast) {
  auto adapter = MakeFatVacanciesAdapter();
  FeedSettings feed = Settings();
  RecordingImport out;
  ASSERT_TRUE(adapter->Parse(ReadFixture("fat_vacancies/page1.json"), 0, out).ok());
  auto next = adapter->NextRequest(feed, 0);
  ASSERT_TRUE(next.has_value());
  EXPECT_NE(next->url.find("PageNumber=2&"), std::string::npos);
  ASSERT_EQ(next->headers.size(), 1u);
  EXPECT_EQ(next->headers[0].second, "2");
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

// Numbers a server sends are range-checked, never cast as they come
// (UBSan, in the asan preset, sees a float-to-int overflow here otherwise).
TEST(FatVacanciesTest, AbsurdTotalPagesSaturatesInsteadOfOverflowing) {
  for (const char* total : {"1e10", "-1e10", "1e308", "99999999999999999999", "-0.5", "2.9"}) {
    auto adapter = MakeFatVacanciesAdapter();
    RecordingImport out;
    const std::string page = std::string(R"({"vacancies": [{"vacancyReference": "1", "title": "T",
        "ukprn": 10099991, "providerName": "P", "closingDate": "2026-12-01",
        "hoursPerWeek": 1e300, "course": {"level": 1e10}}], "totalPages": )") +
                             total + "}";
    ASSERT_TRUE(adapter->Parse(page, 0, out).ok()) << total;
    const bool more = std::string(total) == "1e10" || std::string(total) == "1e308" ||
                      std::string(total).rfind("9999", 0) == 0 || std::string(total) == "2.9";
    EXPECT_EQ(adapter->NextRequest(Settings(), 0).has_value(), more) << total;
    ASSERT_EQ(out.opportunities.size(), 1u);
    EXPECT_EQ(out.opportunities[0].hours_per_week, 0);
    EXPECT_EQ(out.opportunities[0].level, -1);
  }
}

TEST(FatVacanciesTest, HtmlLoginPageIsRefused) {
  RecordingImport out;
  Status s = MakeFatVacanciesAdapter()->Parse(ReadFixture("common/login_page.html"), 0, out);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("HTML page"), std::string::npos);
}

TEST(FatVacanciesTest, AResponseCutShortIsRefusedNotShortened) {
  const std::string whole = ReadFixture("fat_vacancies/page1.json");
  RecordingImport out;
  Status s = MakeFatVacanciesAdapter()->Parse(whole.substr(0, whole.size() / 2), 0, out);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("ends early"), std::string::npos) << s.message();
}

TEST(FatVacanciesTest, NumericEnumsAreUnderstoodToo) {
  RecordingImport out;
  const char* page = R"({"vacancies": [{"vacancyReference": 42, "title": "Apprentice Joiner",
      "ukprn": 10099991, "providerName": "Kirkhaven College", "closingDate": "2026-12-01T00:00:00",
      "wage": {"wageType": 4, "wageAmount": 18000, "wageUnit": 3}}], "totalPages": 1})";
  ASSERT_TRUE(MakeFatVacanciesAdapter()->Parse(page, 0, out).ok());
  ASSERT_EQ(out.opportunities.size(), 1u);
  EXPECT_EQ(out.opportunities[0].source_id, "42");
  EXPECT_DOUBLE_EQ(out.opportunities[0].wage_annual, 18000);
}

TEST(FatVacanciesTest, KeyFieldsSayWhenLocationsDisappear) {
  auto adapter = MakeFatVacanciesAdapter();
  RecordingImport inner;
  CoverageImport out(inner, adapter->KeyFields());
  // The v2 vacancies, as a v1 reader would see them: no address, no location.
  const char* page = R"({"vacancies": [
      {"vacancyReference": "1", "title": "A", "ukprn": 1, "providerName": "P", "closingDate": "2026-12-01"},
      {"vacancyReference": "2", "title": "B", "ukprn": 1, "providerName": "P", "closingDate": "2026-12-01"}],
      "totalPages": 1})";
  ASSERT_TRUE(adapter->Parse(page, 0, out).ok());
  const std::string why = out.coverage().Degraded("vacancies");
  EXPECT_NE(why.find("vacancies: 2 vacancies imported, none has a location"), std::string::npos)
      << why;
  EXPECT_NE(why.find("has the API version changed?"), std::string::npos);
}

}  // namespace
}  // namespace signpost::sync
