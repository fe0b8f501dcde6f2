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
  f.kind = "open-referral";
  f.url = "https://directory.kirkhaven.example/api/services";
  f.query = "taxonomy_id=youth";
  f.page_size = 3;
  f.max_pages = 10;
  return f;
}

TEST(OpenReferralTest, FirstRequestUsesOneBasedPageAndPerPage) {
  EXPECT_EQ(MakeOpenReferralAdapter()->FirstRequest(Settings()).url,
            "https://directory.kirkhaven.example/api/services?page=1&per_page=3&taxonomy_id=youth");
}

// ORUK 3: list items carry no locations or contacts; each service's detail
// (GET /services/{id}) is asked for after its list page.
TEST(OpenReferralTest, AnOruk3ListIsFollowedByEachServicesDetail) {
  auto adapter = MakeOpenReferralAdapter();
  const FeedSettings feed = Settings();
  RecordingImport out;
  ASSERT_TRUE(adapter->Parse(ReadFixture("open_referral/oruk3_list_page1.json"), 0, out).ok());
  EXPECT_TRUE(out.providers.empty());  // nothing to show until the details arrive
  auto next = adapter->NextRequest(feed, 0);
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->url, "https://directory.kirkhaven.example/api/services/svc-careers-1");
  EXPECT_TRUE(next->may_be_missing);
  ASSERT_TRUE(
      adapter->Parse(ReadFixture("open_referral/oruk3_service_svc-careers-1.json"), 1, out).ok());
  const auto* careers = out.Provider("oruk:svc-careers-1");
  ASSERT_NE(careers, nullptr);
  EXPECT_EQ(careers->name, "Kirkhaven Careers Advice & Guidance");
  EXPECT_EQ(careers->address, "Library Walk");  // the physical address, not the postal one
  EXPECT_EQ(careers->town, "Kirkhaven");
  EXPECT_EQ(careers->postcode, "KH1 2AB");
  ASSERT_TRUE(careers->location.has_value());
  EXPECT_DOUBLE_EQ(careers->location->lat, 53.7996);
  EXPECT_EQ(careers->phone, "0113 496 0123");  // the contact's, before the location's
  EXPECT_EQ(careers->website, "https://kirkhaven.example/careers");

  // "temporarily closed" was left out: the next detail is the SEND service.
  next = adapter->NextRequest(feed, 1);
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->url, "https://directory.kirkhaven.example/api/services/svc-send-3");
  ASSERT_TRUE(
      adapter->Parse(ReadFixture("open_referral/oruk3_service_svc-send-3.json"), 2, out).ok());
  const auto* send = out.Provider("oruk:svc-send-3");
  ASSERT_NE(send, nullptr);
  EXPECT_EQ(send->phone, "0113 496 0456");
  EXPECT_EQ(send->address, "");

  next = adapter->NextRequest(feed, 2);  // then the next list page
  ASSERT_TRUE(next.has_value());
  EXPECT_NE(next->url.find("?page=2&per_page=3"), std::string::npos) << next->url;
  EXPECT_FALSE(next->may_be_missing);
  ASSERT_TRUE(adapter->Parse(ReadFixture("open_referral/oruk3_list_page2.json"), 3, out).ok());
  next = adapter->NextRequest(feed, 3);
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->url, "https://directory.kirkhaven.example/api/services/svc-gone-5");
  // Its detail is gone (204/404/410 arrive as an empty body): skipped and counted.
  ASSERT_TRUE(adapter->Parse("", 4, out).ok());
  EXPECT_TRUE(out.SkippedFor("svc-gone-5: listed, but its detail is gone"));
  EXPECT_FALSE(adapter->NextRequest(feed, 4).has_value());

  EXPECT_EQ(out.providers.size(), 2u);
  EXPECT_EQ(out.Provider("oruk:svc-youth-2"), nullptr);  // temporarily closed
  EXPECT_EQ(out.Provider("oruk:svc-old-4"), nullptr);    // defunct
  EXPECT_EQ(out.skipped(), 1);
}

TEST(OpenReferralTest, ThePublishersOwnListAndDetailExamplesImport) {
  auto adapter = MakeOpenReferralAdapter();
  RecordingImport out;
  ASSERT_TRUE(
      adapter->Parse(ReadSample("open-referral/oruk3_uk-profile_service_list.json"), 0, out).ok());
  auto next = adapter->NextRequest(Settings(), 0);
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(
      next->url,
      "https://directory.kirkhaven.example/api/services/ac148810-d857-441c-9679-408f346de14b");
  ASSERT_TRUE(
      adapter->Parse(ReadSample("open-referral/oruk3_uk-profile_service_full.json"), 1, out).ok());
  const auto* p = out.Provider("oruk:ac148810-d857-441c-9679-408f346de14b");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->name, "Community Counselling");
  EXPECT_EQ(p->address, "1-30 Main Street");
  EXPECT_EQ(p->town, "MyCity");
  EXPECT_EQ(p->postcode, "ABC 1234");     // as published (it is not a UK postcode)
  EXPECT_FALSE(p->location.has_value());  // latitude 100 is out of range
  EXPECT_EQ(p->website, "http://example.com/counselling");
  EXPECT_EQ(p->email, "email@example.com");
  // The example's list says 10 pages; the adapter asks for page 2 next.
  next = adapter->NextRequest(Settings(), 1);
  ASSERT_TRUE(next.has_value());
  EXPECT_NE(next->url.find("page=2"), std::string::npos);
}

TEST(OpenReferralTest, ContactsNestedAHundredThousandDeepAreRefusedWithoutACrash) {
  std::string nested = R"({"id": "deep", "name": "Deep", "contacts": )";
  for (int i = 0; i < 100000; ++i) nested += R"([{"phones": [], "contacts": )";
  nested += "[]";
  for (int i = 0; i < 100000; ++i) nested += "}]";
  nested += "}";
  auto adapter = MakeOpenReferralAdapter();
  RecordingImport out;
  ASSERT_TRUE(adapter->Parse(ReadFixture("open_referral/oruk3_list_page1.json"), 0, out).ok());
  // As a detail: that service is skipped; the sync goes on.
  ASSERT_TRUE(adapter->Parse(nested, 1, out).ok());
  EXPECT_TRUE(out.SkippedFor("nested deeper than 64 levels"))
      << ::testing::PrintToString(out.skips);
  // As a list page: the page is refused.
  const std::string list = R"({"contents": [)" + nested + "]}";
  RecordingImport page;
  Status s = MakeOpenReferralAdapter()->Parse(list, 0, page);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("nested deeper than 64 levels"), std::string::npos) << s.message();
}

TEST(OpenReferralTest, ServicesThatEmbedTheirLocationsNeedNoDetail) {
  auto adapter = MakeOpenReferralAdapter();
  RecordingImport out;
  ASSERT_TRUE(adapter->Parse(ReadFixture("open_referral/services_page1.json"), 0, out).ok());
  ASSERT_EQ(out.providers.size(), 2u);
  EXPECT_FALSE(adapter->NextRequest(Settings(), 0)->may_be_missing);  // the next list page
  const auto* hub = out.Provider("oruk:6b1f0d2e-1");
  ASSERT_NE(hub, nullptr);
  EXPECT_EQ(hub->name, "Kirkhaven Youth Hub drop-in");
  EXPECT_EQ(hub->kind, catalogue::ProviderKind::kLocalAuthority);
  EXPECT_EQ(hub->address, "2 Market Street");
  EXPECT_EQ(hub->town, "Kirkhaven");
  EXPECT_EQ(hub->postcode, "KH1 2AB");
  EXPECT_EQ(hub->phone, "0113 496 0000");
  EXPECT_EQ(hub->email, "youth@kirkhaven.example");
  EXPECT_EQ(hub->website, "https://kirkhaven.example/youth/6b1f0d2e-1");
  ASSERT_TRUE(hub->location.has_value());
  EXPECT_DOUBLE_EQ(hub->location->lat, 53.7996);
  const auto* careers = out.Provider("oruk:6b1f0d2e-2");
  ASSERT_NE(careers, nullptr);
  EXPECT_FALSE(careers->location.has_value());
  EXPECT_EQ(out.skipped(), 1);
  EXPECT_TRUE(out.SkippedFor("missing id"));
}

TEST(OpenReferralTest, PagingStopsAtLastPage) {
  auto adapter = MakeOpenReferralAdapter();
  FeedSettings feed = Settings();
  RecordingImport out;
  ASSERT_TRUE(adapter->Parse(ReadFixture("open_referral/services_page1.json"), 0, out).ok());
  auto next = adapter->NextRequest(feed, 0);
  ASSERT_TRUE(next.has_value());
  EXPECT_NE(next->url.find("page=2&"), std::string::npos);
  ASSERT_TRUE(adapter->Parse(ReadFixture("open_referral/services_page2.json"), 1, out).ok());
  EXPECT_FALSE(adapter->NextRequest(feed, 1).has_value());
  EXPECT_NE(out.Provider("oruk:6b1f0d2e-4"), nullptr);
  EXPECT_EQ(out.Provider("oruk:6b1f0d2e-5"), nullptr);  // inactive: left out, not counted
  EXPECT_EQ(out.skipped(), 1);
}

// The cap is the sync engine's job: the adapter never cuts a feed short.
TEST(OpenReferralTest, NextPageIsOfferedEvenPastThePagingCap) {
  auto adapter = MakeOpenReferralAdapter();
  FeedSettings feed = Settings();
  feed.max_pages = 1;
  RecordingImport out;
  ASSERT_TRUE(adapter->Parse(ReadFixture("open_referral/services_page1.json"), 0, out).ok());
  EXPECT_TRUE(adapter->NextRequest(feed, 0).has_value());
}

TEST(OpenReferralTest, VersionOneEnvelopeIsReadToo) {
  auto adapter = MakeOpenReferralAdapter();
  RecordingImport out;
  ASSERT_TRUE(adapter->Parse(ReadFixture("open_referral/services_v1.json"), 0, out).ok());
  ASSERT_EQ(out.providers.size(), 1u);
  EXPECT_EQ(out.providers[0].postcode, "KH1 3CD");
  EXPECT_EQ(out.providers[0].address, "10 Bridge Street");
  EXPECT_FALSE(adapter->NextRequest(Settings(), 0).has_value());
}

TEST(OpenReferralTest, HtmlLoginPageIsRefused) {
  RecordingImport out;
  Status s = MakeOpenReferralAdapter()->Parse(ReadFixture("common/login_page.html"), 0, out);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("HTML page"), std::string::npos);
}

// A list page naming only services earlier pages named: the server ignores
// page=. The sync fails there instead of fetching the same details again
// until max_pages (the hostile suite's "20 pages of the same 5").
TEST(OpenReferralTest, APageThatRepeatsEarlierServicesFailsInsteadOfLooping) {
  auto adapter = MakeOpenReferralAdapter();
  const FeedSettings feed = Settings();
  RecordingImport out;
  const std::string page = R"({"total_pages":20,"page_number":1,"last_page":false,"contents":[)"
                           R"({"id":"a","name":"A","phones":[{"number":"0113 496 0001"}]},)"
                           R"({"id":"b","name":"B","phones":[{"number":"0113 496 0002"}]}]})";
  ASSERT_TRUE(adapter->Parse(page, 0, out).ok());
  auto next = adapter->NextRequest(feed, 0);
  ASSERT_TRUE(next.has_value());
  EXPECT_NE(next->url.find("page=2"), std::string::npos);
  const Status again = adapter->Parse(page, 1, out);
  EXPECT_FALSE(again.ok());
  EXPECT_NE(again.message().find("ignores page="), std::string::npos) << again.message();
}

// last_page and total_pages disagree: paging stops at whichever says so first.
TEST(OpenReferralTest, PagingStopsAtTheFirstOfLastPageAndTotalPages) {
  auto adapter = MakeOpenReferralAdapter();
  const FeedSettings feed = Settings();
  RecordingImport out;
  ASSERT_TRUE(adapter
                  ->Parse(R"({"total_pages":1,"last_page":false,"contents":[)"
                          R"({"id":"a","name":"A","phones":[{"number":"0113 496 0001"}]}]})",
                          0, out)
                  .ok());
  EXPECT_FALSE(adapter->NextRequest(feed, 0).has_value());
  ASSERT_TRUE(adapter
                  ->Parse(R"({"total_pages":5,"last_page":true,"contents":[)"
                          R"({"id":"a","name":"A","phones":[{"number":"0113 496 0001"}]}]})",
                          0, out)
                  .ok());
  EXPECT_FALSE(adapter->NextRequest(feed, 0).has_value());
  ASSERT_TRUE(adapter
                  ->Parse(R"({"total_pages":5,"contents":[)"
                          R"({"id":"a","name":"A","phones":[{"number":"0113 496 0001"}]}]})",
                          0, out)
                  .ok());
  EXPECT_TRUE(adapter->NextRequest(feed, 0).has_value());
}

}  // namespace
}  // namespace signpost::sync
