#include <gtest/gtest.h>

#include "feeds/adapters.h"
#include "recording_import.h"

namespace signpost::sync {
namespace {

using testing::ReadFixture;
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

TEST(OpenReferralTest, ServicesBecomeLocalAuthorityProviders) {
  auto adapter = MakeOpenReferralAdapter();
  RecordingImport out;
  ASSERT_TRUE(adapter->Parse(ReadFixture("open_referral/services_page1.json"), 0, out).ok());
  ASSERT_EQ(out.providers.size(), 2u);
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

}  // namespace
}  // namespace signpost::sync
