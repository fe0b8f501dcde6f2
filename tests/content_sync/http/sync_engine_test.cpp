// The sync engine end to end: a real HTTP server on 127.0.0.1, the real
// libcurl transport and a real catalogue in a temporary directory. Each fault
// must leave the catalogue holding exactly the previous data, and the state
// file must say what happened.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <mutex>

#include "signpost/sample_data.h"
#include "sync/state_file.h"
#include "sync/sync_engine.h"
#include "sync/sync_plan.h"
#include "test_support.h"

namespace signpost::sync {
namespace {

using testing::ItemsJson;
using testing::TempDir;
using testing::TestServer;

// What the server's /feed answers; changed by the test between syncs.
struct Script {
  std::mutex mu;
  int status = 200;                               // GUARDED_BY(mu)
  std::string body;                               // GUARDED_BY(mu)
  std::string content_type = "application/json";  // GUARDED_BY(mu)
  std::string etag;                               // GUARDED_BY(mu); "" = none
  std::string retry_after;                        // GUARDED_BY(mu)
  int fail_first = 0;                             // GUARDED_BY(mu); answer 503 this many times
  std::vector<std::string> if_none_match;         // GUARDED_BY(mu); as received
  void Set(int s, std::string b, std::string e = "") {
    std::lock_guard<std::mutex> g(mu);
    status = s;
    body = std::move(b);
    etag = std::move(e);
  }
};

class SyncEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(CurlGlobalInit().ok());
    server.server.Get("/feed", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard<std::mutex> g(script.mu);
      script.if_none_match.push_back(req.get_header_value("If-None-Match"));
      if (script.fail_first > 0) {
        --script.fail_first;
        res.status = script.retry_after.empty() ? 503 : 429;
        if (!script.retry_after.empty()) res.set_header("Retry-After", script.retry_after);
        return;
      }
      if (!script.etag.empty() && req.get_header_value("If-None-Match") == script.etag) {
        res.status = 304;
        return;
      }
      if (!script.etag.empty()) res.set_header("ETag", script.etag);
      res.status = script.status;
      res.set_content(script.body, script.content_type.c_str());
    });
    server.server.Get("/loop", [](const httplib::Request&, httplib::Response& res) {
      res.set_redirect("/loop");
    });
    server.server.Get(
        R"(/pages/(\d+))", [this](const httplib::Request& req, httplib::Response& res) {
          const int page = std::stoi(req.matches[1]);
          if (page == broken_page) {
            res.status = 500;
            return;
          }
          std::lock_guard<std::mutex> g(pages_mu);
          page_requests.push_back(page);
          const std::string next =
              page < page_count ? server.Url("/pages/" + std::to_string(page + 1)) : std::string();
          // Each page's ETag names its content; an edited page gets a new one.
          const std::string version = page == edited_page ? "e" : "";
          const std::string etag = "\"p" + std::to_string(page) + version + "\"";
          if (pages_answer_304 && req.get_header_value("If-None-Match") == etag) {
            ++pages_304;
            res.status = 304;
            return;
          }
          res.set_header("ETag", etag);
          res.set_content(ItemsJson(30, "p" + std::to_string(page) + version + "-", next),
                          "application/json");
        });
    server.Start();
    auto cat = catalogue::Catalogue::Open(dir.File("catalogue.db"));
    ASSERT_TRUE(cat.ok()) << cat.status().ToString();
    catalogue_ = std::move(cat.value());
    HttpOptions http;
    http.connect_timeout_ms = 2000;
    http.total_timeout_s = 5;
    http.max_body_bytes = 1 << 20;
    auto t = MakeCurlTransport(http);
    ASSERT_TRUE(t.ok());
    transport_ = std::move(t.value());
  }

  SyncEnv Env() {
    SyncEnv env;
    env.catalogue = catalogue_.get();
    env.transport = transport_.get();
    env.clock = &clock;
    env.retry.max_attempts = 3;
    env.state_file = dir.File("sync-state.json");
    env.adapters = &testing::TestAdapters;
    env.log = [this](LogLevel, const std::string& line) { logs.push_back(line); };
    env.seed = 7;
    return env;
  }
  FeedSettings Feed(const std::string& path = "/feed") {
    FeedSettings f;
    f.name = "courses";
    f.kind = "test-json";
    f.url = server.Url(path);
    f.api_key = "s3cret-key";
    f.api_key_header = "Ocp-Apim-Subscription-Key";
    return f;
  }
  FeedOutcome Sync(const FeedSettings& f) {
    SyncEnv env = Env();
    return SyncFeed(f, env);
  }
  FeedOutcome Sync() { return Sync(Feed()); }
  // Opportunities + providers the catalogue holds from a feed.
  std::int64_t Held(const std::string& feed = "courses") {
    auto stats = catalogue_->Stats();
    EXPECT_TRUE(stats.ok());
    for (const auto& f : stats->feeds) {
      if (f.feed == feed) return f.records;
    }
    return 0;
  }
  std::int64_t Opportunities() {
    auto stats = catalogue_->Stats();
    return stats.ok() ? stats->opportunities : -1;
  }
  catalogue::SyncState State(const std::string& feed = "courses") {
    return LoadStateFile(dir.File("sync-state.json"))[feed];
  }
  // Seeds the catalogue with 60 good records under ETag "v1".
  void Seed() {
    script.Set(200, ItemsJson(60), "\"v1\"");
    FeedOutcome o = Sync();
    ASSERT_EQ(o.result, "ok") << o.status.ToString();
    ASSERT_EQ(Opportunities(), 60);
  }

  TempDir dir;
  TestServer server;
  Script script;
  FakeClock clock;
  int page_count = 3;
  int broken_page = -1;
  int edited_page = -1;           // this page's records change
  bool pages_answer_304 = false;  // the paged server honours If-None-Match
  int pages_304 = 0;              // GUARDED_BY(pages_mu)
  std::mutex pages_mu;
  std::vector<int> page_requests;  // GUARDED_BY(pages_mu)
  std::vector<int> PageRequests() {
    std::lock_guard<std::mutex> g(pages_mu);
    std::vector<int> out;
    out.swap(page_requests);
    return out;
  }
  std::vector<std::string> logs;
  std::unique_ptr<catalogue::Catalogue> catalogue_;
  std::unique_ptr<HttpTransport> transport_;
};

TEST_F(SyncEngineTest, ImportsAFeedAndRecordsTheAttempt) {
  script.Set(200, ItemsJson(60), "\"v1\"");
  FeedOutcome o = Sync();
  ASSERT_EQ(o.result, "ok") << o.status.ToString();
  EXPECT_EQ(o.requests, 1);
  EXPECT_EQ(o.pages, 1);
  EXPECT_EQ(Opportunities(), 60);
  const catalogue::SyncState s = State();
  EXPECT_EQ(s.result, "ok");
  EXPECT_EQ(s.last_attempt, clock.Now());
  EXPECT_EQ(s.last_success, clock.Now());
  EXPECT_TRUE(s.last_error.empty());
  // The catalogue's own row carries the validators of the data it holds.
  auto rows = catalogue_->SyncStates();
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(rows->at(0).etag, "\"v1\"");
  EXPECT_EQ(rows->at(0).result, "ok");
}

TEST_F(SyncEngineTest, TheFirstRealImportReplacesTheSampleCatalogue) {
  ASSERT_TRUE(LoadSampleCatalogue(catalogue_.get(), DefaultSampleDir(), TodayUtc()).ok());
  ASSERT_EQ(catalogue_->GetMeta("is_sample"), "1");
  ASSERT_GT(Opportunities(), 100);
  // A failed sync leaves the sample in place: the kiosk still has something to show.
  script.Set(503, "busy", "");
  EXPECT_NE(Sync().result, "ok");
  EXPECT_EQ(catalogue_->GetMeta("is_sample"), "1");
  script.Set(200, ItemsJson(60), "\"v1\"");
  ASSERT_EQ(Sync().result, "ok");
  EXPECT_EQ(catalogue_->GetMeta("is_sample"), "0");
  EXPECT_EQ(Opportunities(), 60);
  EXPECT_TRUE(catalogue_->IntegrityCheck().ok());
}

TEST_F(SyncEngineTest, UnchangedFeedCostsOneRequestAndZeroCatalogueWrites) {
  Seed();
  auto reader = catalogue::Catalogue::Open(dir.File("catalogue.db"), {.read_only = true});
  ASSERT_TRUE(reader.ok());
  (void)reader.value()->HasChanged();  // first call: baseline
  clock.Advance(std::chrono::hours(6));
  FeedOutcome o = Sync();
  EXPECT_EQ(o.result, "unchanged") << o.status.ToString();
  EXPECT_EQ(o.requests, 1);
  EXPECT_EQ(script.if_none_match.back(), "\"v1\"");
  EXPECT_FALSE(reader.value()->HasChanged()) << "an unchanged feed wrote to the catalogue";
  EXPECT_EQ(Opportunities(), 60);
  const catalogue::SyncState s = State();
  EXPECT_EQ(s.result, "unchanged");
  EXPECT_EQ(s.last_success, clock.Now());  // the data is confirmed fresh
  EXPECT_EQ(s.records, Held());
}

TEST_F(SyncEngineTest, UnchangedForADayTouchesOnlyTheFreshnessRow) {
  Seed();
  auto reader = catalogue::Catalogue::Open(dir.File("catalogue.db"), {.read_only = true});
  ASSERT_TRUE(reader.ok());
  (void)reader.value()->HasChanged();
  clock.Advance(std::chrono::hours(25));
  ASSERT_EQ(Sync().result, "unchanged");
  EXPECT_TRUE(reader.value()->HasChanged());  // one small write...
  auto rows = catalogue_->SyncStates();
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(rows->at(0).last_success, clock.Now());  // ...so the kiosk says "updated today"
  EXPECT_EQ(rows->at(0).etag, "\"v1\"");
  EXPECT_EQ(rows->at(0).result, "unchanged");
  clock.Advance(std::chrono::hours(6));
  ASSERT_EQ(Sync().result, "unchanged");
  EXPECT_FALSE(reader.value()->HasChanged());  // and not again the same day
}

TEST_F(SyncEngineTest, NewEtagImportsTheNewSet) {
  Seed();
  script.Set(200, ItemsJson(70, "new"), "\"v2\"");
  FeedOutcome o = Sync();
  ASSERT_EQ(o.result, "ok") << o.status.ToString();
  EXPECT_EQ(Opportunities(), 70);
  EXPECT_EQ(catalogue_->SyncStates()->at(0).etag, "\"v2\"");
  EXPECT_EQ(Sync().result, "unchanged");
}

TEST_F(SyncEngineTest, RetriesTransientErrorsThenImports) {
  script.Set(200, ItemsJson(60), "\"v1\"");
  script.fail_first = 2;
  FeedOutcome o = Sync();
  ASSERT_EQ(o.result, "ok") << o.status.ToString();
  EXPECT_EQ(o.requests, 3);
  EXPECT_EQ(clock.sleeps.size(), 2u);
  EXPECT_EQ(Opportunities(), 60);
}

TEST_F(SyncEngineTest, TooManyRequestsWaitsForRetryAfter) {
  script.Set(200, ItemsJson(60), "\"v1\"");
  script.fail_first = 1;
  script.retry_after = "3";
  FeedOutcome o = Sync();
  ASSERT_EQ(o.result, "ok") << o.status.ToString();
  ASSERT_EQ(clock.sleeps.size(), 1u);
  EXPECT_GE(clock.sleeps[0], std::chrono::seconds(3));
}

struct Fault {
  const char* name;
  std::function<void(Script&)> apply;  // how the server misbehaves
  const char* path;                    // feed URL path
  const char* result;                  // expected outcome
  const char* error;                   // expected in last_error
};

TEST_F(SyncEngineTest, EveryFaultKeepsTheOldDataAndSaysWhatHappened) {
  const std::string big(2 << 20, 'x');
  const std::vector<Fault> faults = {
      {"500 every time", [](Script& s) { s.Set(500, "oops"); }, "/feed", "failed", "HTTP 500"},
      {"503 every time", [](Script& s) { s.Set(503, ""); }, "/feed", "failed", "HTTP 503"},
      {"truncated JSON", [](Script& s) { s.Set(200, ItemsJson(60).substr(0, 500)); }, "/feed",
       "failed", "not a usable test-json payload"},
      {"invalid UTF-8",
       [](Script& s) {
         std::string body = ItemsJson(60);
         body.replace(body.find("Course"), 6, "Cour\xC3\x28s");
         s.Set(200, body);
       },
       "/feed", "failed", "not a usable test-json payload"},
      {"wrong content type",
       [](Script& s) {
         s.Set(200, ItemsJson(60));
         std::lock_guard<std::mutex> g(s.mu);
         s.content_type = "application/pdf";
       },
       "/feed", "failed", "unexpected content type"},
      {"captive portal",
       [](Script& s) {
         s.Set(200, "<!DOCTYPE html><html><title>WiFi login</title></html>");
         std::lock_guard<std::mutex> g(s.mu);
         s.content_type = "text/html";
       },
       "/feed", "offline", "looks like a captive portal or web-filter login page"},
      {"body over max size", [&big](Script& s) { s.Set(200, big); }, "/feed", "failed",
       "larger than max_body_mb"},
      {"redirect loop", [](Script&) {}, "/loop", "offline", "redirect loop"},
      {"empty but valid", [](Script& s) { s.Set(200, ItemsJson(0)); }, "/feed", "held_back",
       "held back"},
  };
  Seed();
  for (const Fault& fault : faults) {
    SCOPED_TRACE(fault.name);
    {
      std::lock_guard<std::mutex> g(script.mu);
      script.content_type = "application/json";
    }
    fault.apply(script);
    clock.Advance(std::chrono::hours(1));
    const UnixTime started = clock.Now();  // retries advance the fake clock
    FeedOutcome o = Sync(Feed(fault.path));
    EXPECT_EQ(o.result, fault.result) << o.status.ToString();
    EXPECT_EQ(Opportunities(), 60) << "the old data must stay";
    const catalogue::SyncState s = State();
    EXPECT_EQ(s.result, fault.result);
    EXPECT_NE(s.last_error.find(fault.error), std::string::npos) << s.last_error;
    EXPECT_EQ(s.last_attempt, started);
    EXPECT_LT(*s.last_success, started);
    EXPECT_EQ(s.records, Held());
  }
  for (const std::string& line : logs) {
    EXPECT_EQ(line.find("s3cret-key"), std::string::npos) << line;
  }
}

TEST_F(SyncEngineTest, TimeoutKeepsTheOldDataAndReportsOffline) {
  Seed();
  server.server.Get("/slow", [](const httplib::Request&, httplib::Response& res) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1200));
    res.set_content(ItemsJson(1), "application/json");
  });
  HttpOptions http;
  http.total_timeout_s = 1;
  auto t = MakeCurlTransport(http);
  ASSERT_TRUE(t.ok());
  SyncEnv env = Env();
  env.transport = t.value().get();
  env.retry.max_attempts = 1;
  FeedOutcome o = SyncFeed(Feed("/slow"), env);
  EXPECT_EQ(o.result, "offline");
  EXPECT_EQ(Opportunities(), 60);
  EXPECT_NE(State().last_error.find("timed out"), std::string::npos) << State().last_error;
}

TEST_F(SyncEngineTest, FollowsPagingToTheEnd) {
  FeedOutcome o = Sync(Feed("/pages/1"));
  ASSERT_EQ(o.result, "ok") << o.status.ToString();
  EXPECT_EQ(o.pages, 3);
  EXPECT_EQ(Opportunities(), 90);
  // A validator from page 1 says nothing about page 3: not kept, so the next
  // sync downloads again rather than trusting a 304 for page 1.
  EXPECT_EQ(catalogue_->SyncStates()->at(0).etag, "");
}

// An unchanged paged feed: its pages are asked for again (a validator on
// page 1 says nothing about page 3), but when each comes back the same the
// feed is "unchanged": nothing parsed, nothing staged, nothing written.
TEST_F(SyncEngineTest, UnchangedPagedFeedIsNotReimported) {
  ASSERT_EQ(Sync(Feed("/pages/1")).result, "ok");
  PageRequests();
  auto reader = catalogue::Catalogue::Open(dir.File("catalogue.db"), {.read_only = true});
  ASSERT_TRUE(reader.ok());
  (void)reader.value()->HasChanged();
  clock.Advance(std::chrono::hours(1));
  FeedOutcome o = Sync(Feed("/pages/1"));
  EXPECT_EQ(o.result, "unchanged") << o.status.ToString();
  EXPECT_EQ(o.pages, 0);  // nothing parsed
  EXPECT_EQ(o.requests, 3);
  EXPECT_EQ(PageRequests(), (std::vector<int>{1, 2, 3}));
  EXPECT_FALSE(reader.value()->HasChanged()) << "an unchanged paged feed wrote to the catalogue";
  EXPECT_EQ(Opportunities(), 90);
  EXPECT_EQ(State().result, "unchanged");
}

// An upstream that honours validators per page: one small 304 per page.
TEST_F(SyncEngineTest, UnchangedPagedFeedWithPerPageEtagsCostsA304PerPage) {
  pages_answer_304 = true;
  ASSERT_EQ(Sync(Feed("/pages/1")).result, "ok");
  PageRequests();
  FeedOutcome o = Sync(Feed("/pages/1"));
  EXPECT_EQ(o.result, "unchanged") << o.status.ToString();
  EXPECT_EQ(o.requests, 3);
  EXPECT_EQ(PageRequests(), (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(pages_304, 3);
  // The plan is kept by the catalogue, in the import's transaction, and holds
  // no secret: the API key travels in a header that is never stored.
  const auto saved = catalogue_->GetMeta(catalogue::FeedPlanMetaKey("courses"));
  ASSERT_TRUE(saved.has_value());
  EXPECT_EQ(saved->find("s3cret-key"), std::string::npos);
  const auto plan = DecodeSyncPlan(*saved);
  ASSERT_TRUE(plan.has_value()) << *saved;
  ASSERT_EQ(plan->pages.size(), 3u);
  EXPECT_EQ(plan->pages[2].etag, "\"p3\"");
  EXPECT_EQ(plan->pages[2].request.url, server.Url("/pages/3"));
}

// Only the last page changed: the replay finds it, then the feed is imported
// in full (a page's records are only meaningful with all the others).
TEST_F(SyncEngineTest, AChangeOnTheLastPageImportsTheWholeFeed) {
  pages_answer_304 = true;
  ASSERT_EQ(Sync(Feed("/pages/1")).result, "ok");
  PageRequests();
  edited_page = 3;
  FeedOutcome o = Sync(Feed("/pages/1"));
  ASSERT_EQ(o.result, "ok") << o.status.ToString();
  EXPECT_EQ(o.pages, 3);
  EXPECT_EQ(PageRequests(), (std::vector<int>{1, 2, 3, 1, 2, 3}));
  EXPECT_EQ(Opportunities(), 90);
  EXPECT_TRUE(catalogue_->FindOpportunity("courses", "p3e-0").ok());
  EXPECT_FALSE(catalogue_->FindOpportunity("courses", "p3-0").ok());
  // ...and the next sync knows the new page 3.
  EXPECT_EQ(Sync(Feed("/pages/1")).result, "unchanged");
}

// Page 1 changed: its body is imported from the replay's download, so a
// changed feed costs no extra request.
TEST_F(SyncEngineTest, AChangeOnTheFirstPageCostsNoExtraRequest) {
  ASSERT_EQ(Sync(Feed("/pages/1")).result, "ok");
  PageRequests();
  edited_page = 1;
  FeedOutcome o = Sync(Feed("/pages/1"));
  ASSERT_EQ(o.result, "ok") << o.status.ToString();
  EXPECT_EQ(o.requests, 3);
  EXPECT_EQ(PageRequests(), (std::vector<int>{1, 2, 3}));
  EXPECT_TRUE(catalogue_->FindOpportunity("courses", "p1e-0").ok());
  EXPECT_FALSE(catalogue_->FindOpportunity("courses", "p1-0").ok());
}

// Anything else that replaces a feed's data drops its plan, so a replay can
// never vouch for data it did not describe.
TEST_F(SyncEngineTest, AnotherImportOfTheFeedDropsItsPlan) {
  ASSERT_EQ(Sync(Feed("/pages/1")).result, "ok");
  {
    auto import = catalogue_->BeginImport("courses");
    ASSERT_TRUE(import.ok());
    catalogue::Provider p;
    p.id = "other";
    p.name = "Other College";
    ASSERT_TRUE(import.value()->AddProvider(p).ok());
    auto committed = import.value()->Commit();
    ASSERT_TRUE(committed.ok()) << committed.status().ToString();
  }
  EXPECT_FALSE(catalogue_->GetMeta(catalogue::FeedPlanMetaKey("courses")).has_value());
  FeedOutcome o = Sync(Feed("/pages/1"));
  EXPECT_EQ(o.result, "ok") << o.status.ToString();
  EXPECT_EQ(Opportunities(), 90);
  ASSERT_TRUE(catalogue_->RemoveFeed("courses").ok());
  EXPECT_FALSE(catalogue_->GetMeta(catalogue::FeedPlanMetaKey("courses")).has_value());
}

TEST_F(SyncEngineTest, AChangedFeedUrlIsNotReplayed) {
  ASSERT_EQ(Sync(Feed("/pages/1")).result, "ok");
  FeedOutcome o = Sync(Feed("/pages/2"));
  ASSERT_EQ(o.result, "ok") << o.status.ToString();
  EXPECT_EQ(Opportunities(), 60);
}

TEST_F(SyncEngineTest, ADamagedPlanMeansAFullImportNotAnError) {
  ASSERT_EQ(Sync(Feed("/pages/1")).result, "ok");
  ASSERT_TRUE(catalogue_->SetMeta(catalogue::FeedPlanMetaKey("courses"), "{\"version\":1,").ok());
  FeedOutcome o = Sync(Feed("/pages/1"));
  EXPECT_EQ(o.result, "ok") << o.status.ToString();
  EXPECT_EQ(Sync(Feed("/pages/1")).result, "unchanged");
}

TEST_F(SyncEngineTest, AUrlThatMayHoldASecretGetsNoPlan) {
  server.server.Get("/keyed", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(ItemsJson(60), "application/json");
  });
  ASSERT_EQ(Sync(Feed("/keyed?api_key=hunter2")).result, "ok");
  EXPECT_FALSE(catalogue_->GetMeta(catalogue::FeedPlanMetaKey("courses")).has_value());
  EXPECT_EQ(Sync(Feed("/keyed?api_key=hunter2")).result, "ok");  // imported again, safely
}

TEST_F(SyncEngineTest, PagingBeyondTheCapIsAnErrorNotAPartialSet) {
  ASSERT_EQ(Sync(Feed("/pages/1")).result, "ok");
  page_count = 5;
  FeedSettings f = Feed("/pages/1");
  f.max_pages = 4;
  FeedOutcome o = Sync(f);
  EXPECT_EQ(o.result, "failed");
  EXPECT_NE(o.status.message().find("more than max_pages (4)"), std::string::npos);
  EXPECT_EQ(Opportunities(), 90);
}

TEST_F(SyncEngineTest, AFailedLaterPageDiscardsThePartialDownload) {
  ASSERT_EQ(Sync(Feed("/pages/1")).result, "ok");
  broken_page = 3;
  FeedOutcome o = Sync(Feed("/pages/1"));
  EXPECT_EQ(o.result, "failed");
  EXPECT_NE(o.status.message().find("partial download discarded"), std::string::npos)
      << o.status.message();
  EXPECT_EQ(Opportunities(), 90);
}

TEST_F(SyncEngineTest, NinetyPercentFewerRecordsIsHeldBack) {
  script.Set(200, ItemsJson(100), "\"v1\"");
  ASSERT_EQ(Sync().result, "ok");
  script.Set(200, ItemsJson(5), "\"v2\"");
  FeedOutcome o = Sync();
  EXPECT_EQ(o.result, "held_back") << o.status.ToString();
  EXPECT_EQ(Opportunities(), 100);
  // Still held back next time (the held data's ETag is still v1).
  EXPECT_EQ(Sync().result, "held_back");
}

TEST_F(SyncEngineTest, AReplacedCatalogueIsNotTrustedWithAStaleEtag) {
  Seed();
  // A technician restores an empty catalogue; sync-state.json survives.
  catalogue_.reset();
  std::filesystem::remove(dir.File("catalogue.db"));
  std::filesystem::remove(dir.File("catalogue.db-wal"));
  std::filesystem::remove(dir.File("catalogue.db-shm"));
  catalogue_ = std::move(catalogue::Catalogue::Open(dir.File("catalogue.db")).value());
  FeedOutcome o = Sync();
  EXPECT_EQ(o.result, "ok");
  EXPECT_EQ(script.if_none_match.back(), "");
  EXPECT_EQ(Opportunities(), 60);
}

TEST_F(SyncEngineTest, UnchangedLocalFileIsNotReimported) {
  std::ofstream(dir.File("feed.json")) << ItemsJson(60);
  FeedSettings f = Feed();
  f.url = "file://" + dir.File("feed.json");
  ASSERT_EQ(Sync(f).result, "ok");
  EXPECT_EQ(Opportunities(), 60);
  EXPECT_EQ(Sync(f).result, "unchanged");
  std::ofstream(dir.File("feed.json")) << ItemsJson(70, "v2-items");
  ASSERT_EQ(Sync(f).result, "ok");
  EXPECT_EQ(Opportunities(), 70);
  std::filesystem::remove(dir.File("feed.json"));
  FeedOutcome gone = Sync(f);
  EXPECT_EQ(gone.result, "failed");
  EXPECT_EQ(Opportunities(), 70);
}

TEST_F(SyncEngineTest, DisabledFeedsAreSkippedAndUnknownNamesReported) {
  script.Set(200, ItemsJson(60), "\"v1\"");
  FeedSettings off = Feed();
  off.name = "events";
  off.enabled = false;
  SyncEnv env = Env();
  auto outcomes = SyncFeeds({Feed(), off}, {}, env);
  ASSERT_EQ(outcomes.size(), 1u);
  EXPECT_EQ(outcomes[0].feed, "courses");
  EXPECT_EQ(ExitCodeFor(outcomes), kExitOk);
  outcomes = SyncFeeds({Feed(), off}, {"nope"}, env);
  ASSERT_EQ(outcomes.size(), 1u);
  EXPECT_EQ(outcomes[0].result, "failed");
  EXPECT_EQ(ExitCodeFor(outcomes), kExitFeedsFailed);
}

TEST_F(SyncEngineTest, AllUnchangedSyncOfEightFeedsIsFastAndWritesNothing) {
  script.Set(200, ItemsJson(60), "\"v1\"");
  std::vector<FeedSettings> feeds;
  for (int i = 0; i < 8; ++i) {
    FeedSettings f = Feed();
    f.name = "feed" + std::to_string(i);
    feeds.push_back(f);
  }
  SyncEnv env = Env();
  for (const auto& o : SyncFeeds(feeds, {}, env)) ASSERT_EQ(o.result, "ok");
  auto reader = catalogue::Catalogue::Open(dir.File("catalogue.db"), {.read_only = true});
  ASSERT_TRUE(reader.ok());
  (void)reader.value()->HasChanged();
  const auto t0 = std::chrono::steady_clock::now();
  const auto outcomes = SyncFeeds(feeds, {}, env);
  const auto elapsed = std::chrono::steady_clock::now() - t0;
  for (const auto& o : outcomes) EXPECT_EQ(o.result, "unchanged") << o.feed;
  EXPECT_LT(elapsed, std::chrono::seconds(1));
  EXPECT_FALSE(reader.value()->HasChanged());
}

TEST_F(SyncEngineTest, AfterOneFeedIsOfflineTheRestGetOneTryEach) {
  server.server.Get("/portal", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("<html>login</html>", "text/html");
  });
  std::atomic<int> down_calls{0};
  server.server.Get("/down", [&](const httplib::Request&, httplib::Response& res) {
    ++down_calls;
    res.status = 503;
  });
  std::vector<FeedSettings> feeds = {Feed("/portal"), Feed("/down")};
  feeds[1].name = "second";
  std::vector<std::string> progress;
  SyncEnv env = Env();
  env.progress = [&](const std::string& feed, int i, int n) {
    progress.push_back(feed + " " + std::to_string(i) + "/" + std::to_string(n));
  };
  auto outcomes = SyncFeeds(feeds, {}, env);
  ASSERT_EQ(outcomes.size(), 2u);
  EXPECT_EQ(outcomes[0].result, "offline");
  EXPECT_EQ(outcomes[1].result, "failed");
  EXPECT_EQ(down_calls.load(), 1);
  EXPECT_EQ(env.retry.max_attempts, 3);  // restored for the next cycle
  EXPECT_EQ(progress, (std::vector<std::string>{"courses 1/2", "second 2/2"}));
}

TEST(SyncPlan, RoundTripsAndRejectsAnythingElse) {
  SyncPlan plan;
  plan.pages.push_back({{"POST", "https://example.org/search", "{\"page\":1}", "application/json"},
                        "\"e1\"",
                        "Tue, 24 Nov 2026 10:00:00 GMT",
                        HashBody("page one")});
  plan.pages.push_back({{"GET", "https://example.org/p2", "", ""}, "", "", HashBody("")});
  const auto back = DecodeSyncPlan(EncodeSyncPlan(plan));
  ASSERT_TRUE(back.has_value());
  ASSERT_EQ(back->pages.size(), 2u);
  EXPECT_TRUE(SameRequest(back->pages[0].request, plan.pages[0].request));
  EXPECT_EQ(back->pages[0].etag, "\"e1\"");
  EXPECT_EQ(back->pages[0].last_modified, plan.pages[0].last_modified);
  EXPECT_EQ(back->pages[1].hash, HashBody(""));
  EXPECT_NE(HashBody("a"), HashBody("b"));
  for (const char* bad :
       {"", "null", "[]", "{}", "{\"version\":2,\"pages\":[]}", "{\"version\":1,\"pages\":[]}",
        "{\"version\":1,\"pages\":[{\"url\":\"x\",\"hash\":\"short\"}]}",
        "{\"version\":1,\"pages\":[{\"url\":7}]}", "{\"version\":1,\"pages\":[1]}", "\xff\xfe"}) {
    EXPECT_FALSE(DecodeSyncPlan(bad).has_value()) << bad;
  }
  EXPECT_TRUE(UrlMayHoldSecret("https://x.org/api?API_KEY=abc"));
  EXPECT_TRUE(UrlMayHoldSecret("https://x.org/api?access_token=abc"));
  EXPECT_FALSE(UrlMayHoldSecret("https://x.org/api?page=2&pageSize=50"));
  EXPECT_FALSE(UrlMayHoldSecret("https://x.org/keys/list"));
}

TEST(ExitCodes, OfflineOnlyWhenNothingWasReached) {
  auto o = [](const char* r) {
    FeedOutcome x;
    x.result = r;
    return x;
  };
  EXPECT_EQ(ExitCodeFor({o("ok"), o("unchanged")}), kExitOk);
  EXPECT_EQ(ExitCodeFor({o("offline"), o("offline")}), kExitOffline);
  EXPECT_EQ(ExitCodeFor({o("ok"), o("offline")}), kExitFeedsFailed);
  EXPECT_EQ(ExitCodeFor({o("held_back"), o("offline")}), kExitFeedsFailed);
}

// [SECTION] Detail requests, pacing, origins, interrupted syncs -----------------------

// A list page names detail records by URL; each detail is a request that
// may be missing upstream. Pacing comes from the adapter.
class DetailAdapter final : public FeedAdapter {
 public:
  explicit DetailAdapter(int interval_ms) : interval_ms_(interval_ms) {}
  std::string_view kind() const override { return "test-detail"; }
  FeedRequest FirstRequest(const FeedSettings& feed) const override {
    FeedRequest r;
    r.url = feed.url;
    return r;
  }
  Status Parse(std::string_view payload, int page, catalogue::FeedImport& out) override {
    if (page == 0) {
      auto doc = nlohmann::json::parse(payload, nullptr, false);
      if (!doc.is_array()) return Status::InvalidArgument("not a list");
      for (const auto& u : doc) links_.push_back(u.get<std::string>());
      catalogue::Provider p;
      p.id = "prov";
      p.name = "Test College";
      (void)out.AddProvider(p);
      return Status::Ok();
    }
    if (payload.empty()) {
      out.Skip("record " + std::to_string(page) + " is gone upstream");
      return Status::Ok();
    }
    catalogue::Opportunity o;
    o.source_id = "d" + std::to_string(page);
    o.title = std::string(payload);
    o.provider_id = "prov";
    (void)out.AddOpportunity(o);
    return Status::Ok();
  }
  std::optional<FeedRequest> NextRequest(const FeedSettings&, int page) const override {
    if (page >= static_cast<int>(links_.size())) return std::nullopt;
    FeedRequest r;
    r.url = links_[static_cast<std::size_t>(page)];
    r.may_be_missing = true;
    return r;
  }
  int MinRequestIntervalMs() const override { return interval_ms_; }

 private:
  int interval_ms_;
  std::vector<std::string> links_;
};

TEST_F(SyncEngineTest, AMissingDetailRecordIsSkippedAndTheRestImport) {
  std::vector<std::string> keys_seen;
  std::mutex mu;
  server.server.Get("/list", [&](const httplib::Request&, httplib::Response& res) {
    nlohmann::json links = {server.Url("/d/1"), server.Url("/d/2"), server.Url("/d/gone"),
                            server.Url("/d/3")};
    res.set_content(links.dump(), "application/json");
  });
  server.server.Get(R"(/d/(\w+))", [&](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard<std::mutex> g(mu);
    keys_seen.push_back(req.get_header_value("Ocp-Apim-Subscription-Key"));
    if (req.matches[1] == "gone") {
      res.status = 404;
      return;
    }
    res.set_content("Course " + std::string(req.matches[1]), "application/json");
  });
  SyncEnv env = Env();
  env.adapters = [](std::string_view) { return std::make_unique<DetailAdapter>(400); };
  FeedSettings f = Feed("/list");
  f.kind = "test-detail";
  FeedOutcome o = SyncFeed(f, env);
  ASSERT_EQ(o.result, "ok") << o.status.ToString();
  EXPECT_EQ(Opportunities(), 3);
  EXPECT_EQ(o.skipped, 1);
  // Paced: a 400 ms wait before each of the four detail requests.
  EXPECT_EQ(std::count(clock.sleeps.begin(), clock.sleeps.end(), std::chrono::milliseconds(400)),
            4);
  for (const auto& k : keys_seen) EXPECT_EQ(k, "s3cret-key");  // same origin: the key goes

  // Unchanged next time, the missing record included: nothing is written.
  FeedOutcome again = SyncFeed(f, env);
  EXPECT_EQ(again.result, "unchanged") << again.status.ToString();
}

TEST_F(SyncEngineTest, DetailLinksToAnotherOriginOrAFileAreRefusedAndTheKeyStaysHome) {
  TestServer other;
  std::atomic<int> other_requests{0};
  other.server.Get(R"(/.*)", [&](const httplib::Request&, httplib::Response& res) {
    ++other_requests;
    res.set_content("Spy course", "application/json");
  });
  other.Start();
  server.server.Get("/list", [&](const httplib::Request&, httplib::Response& res) {
    nlohmann::json links = {server.Url("/d/1"), other.Url("/d/2"), server.OtherHostUrl("/d/3"),
                            "file:///etc/passwd", "ftp://127.0.0.1/x"};
    res.set_content(links.dump(), "application/json");
  });
  server.server.Get(R"(/d/(\w+))", [&](const httplib::Request& req, httplib::Response& res) {
    res.set_content("Course " + std::string(req.matches[1]), "application/json");
  });
  SyncEnv env = Env();
  env.adapters = [](std::string_view) { return std::make_unique<DetailAdapter>(0); };
  FeedSettings f = Feed("/list");
  f.kind = "test-detail";
  FeedOutcome o = SyncFeed(f, env);
  ASSERT_EQ(o.result, "ok") << o.status.ToString();
  EXPECT_EQ(Opportunities(), 1);
  EXPECT_EQ(other_requests.load(), 0);
  ASSERT_GE(o.problems.size(), 4u);
  EXPECT_NE(o.problems[0].find("not on the feed's own server"), std::string::npos) << o.problems[0];
}

// A next-page link to another server is not followed: the feed fails and
// keeps its data (a page cannot be skipped the way one record can).
TEST_F(SyncEngineTest, APageLinkToAnotherServerFailsTheFeedAndKeepsItsData) {
  Seed();
  TestServer other;
  std::atomic<int> other_requests{0};
  other.server.Get(R"(/.*)", [&](const httplib::Request&, httplib::Response& res) {
    ++other_requests;
    res.set_content(ItemsJson(3, "spy"), "application/json");
  });
  other.Start();
  script.Set(200, ItemsJson(61, "item", other.Url("/page2")), "\"v2\"");
  FeedOutcome o = Sync();
  EXPECT_EQ(o.result, "failed");
  EXPECT_NE(o.status.message().find("not on the feed's own server"), std::string::npos)
      << o.status.message();
  EXPECT_EQ(other_requests.load(), 0);
  EXPECT_EQ(Opportunities(), 60);
}

// A sync that died leaves "in progress" in the state file; the next run
// says it did not finish and syncs that feed after the others.
TEST_F(SyncEngineTest, ASyncThatDiedIsNotedAndItsFeedGoesLast) {
  Seed();
  StateMap states = LoadStateFile(dir.File("sync-state.json"));
  states["courses"].result = kInProgress;
  ASSERT_TRUE(SaveStateFile(dir.File("sync-state.json"), states).ok());
  FeedSettings a = Feed(), b = Feed("/pages/1");
  b.name = "paged";
  std::vector<std::string> order;
  SyncEnv env = Env();
  env.progress = [&](const std::string& feed, int, int) { order.push_back(feed); };
  std::vector<FeedOutcome> out = SyncFeeds({a, b}, {}, env);
  ASSERT_EQ(order.size(), 2u);
  EXPECT_EQ(order[0], "paged");
  EXPECT_EQ(order[1], "courses");
  bool noted = false;
  for (const auto& line : logs) noted = noted || line.find("did not finish") != std::string::npos;
  EXPECT_TRUE(noted);
  EXPECT_EQ(State().result, "unchanged");  // the retry finished, so it is no longer interrupted
}

}  // namespace
}  // namespace signpost::sync
