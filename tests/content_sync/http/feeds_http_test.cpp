// The real feed adapters against a real HTTP server on 127.0.0.1: the
// headers each API requires, detail requests (job profiles, Open Referral
// services) with 204/404 skipped, pacing under a published rate limit,
// max_pages counting list pages only, conditional replay of details, absurd
// paging numbers, and "degraded" in `content-sync status` and `validate`.
// Each server here answers like the real API would (FORMATS.md): the job
// profiles API 404s without "version: v1", the Display Advert API serves v1
// without "X-Version: 2".
#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>

#include "cli/cli.h"
#include "feeds/field_coverage.h"
#include "sync/sync_engine.h"
#include "test_support.h"

namespace signpost::sync {
namespace {

using nlohmann::json;
using testing::TempDir;
using testing::TestServer;

std::string Profile(int i) {
  return json({{"Title", "Profile " + std::to_string(i)},
               {"Url", "https://api.example/job-profiles/p" + std::to_string(i)},
               {"Overview", "<p>What profile " + std::to_string(i) + " does.</p>"},
               {"SalaryStarter", "18000"},
               {"Soc", "5231"},
               {"HowToBecome",
                {{"EntryRoutes", {{"College", {{"EntryRequirements", {"<p>2 GCSEs</p>"}}}}}}}}})
      .dump();
}

json Vacancy(int i, bool v2) {
  json v = {{"vacancyReference", "VAC" + std::to_string(i)},
            {"title", "Apprentice " + std::to_string(i)},
            {"ukprn", 10099991},
            {"providerName", "Kirkhaven College"},
            {"closingDate", "2099-10-15T23:59:59"},
            {"vacancyUrl", "https://www.example/vacancy/" + std::to_string(i)},
            {"wage", {{"wageType", "NationalMinimumWage"}}},
            {"course", {{"level", 3}}}};
  if (v2) {
    v["addresses"] = {{{"addressLine3", "Kirkhaven"},
                       {"postcode", "LS1 4AP"},
                       {"latitude", 53.79},
                       {"longitude", -1.54}}};
  }
  return v;
}

class FeedsHttpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(CurlGlobalInit().ok());
    // --- National Careers Service job profiles ---
    server.server.Get(
        "/job-profiles/summary", [this](const httplib::Request& req, httplib::Response& res) {
          if (req.get_header_value("version") != "v1") return VersionError(res);
          json list = json::array();
          for (int i = 0; i < profiles; ++i) {
            list.push_back({{"Title", "Profile " + std::to_string(i)},
                            {"Url", server.Url("/job-profiles/p" + std::to_string(i))}});
          }
          res.set_content(list.dump(), "application/json");
        });
    server.server.Get(R"(/job-profiles/p(\d+))",
                      [this](const httplib::Request& req, httplib::Response& res) {
                        if (req.get_header_value("version") != "v1") return VersionError(res);
                        const int i = std::stoi(req.matches[1]);
                        ++profile_requests;
                        if (i == 2) {
                          res.status = 204;  // "a profile that does not exist"
                          return;
                        }
                        if (i == 4) {
                          res.status = 404;
                          return;
                        }
                        res.set_content(Profile(i), "application/json");
                      });
    // --- Open Referral UK 3 ---
    server.server.Get("/oruk/services", [this](const httplib::Request& req,
                                               httplib::Response& res) {
      const int page = std::stoi(req.get_param_value("page"));
      std::lock_guard<std::mutex> g(mu);
      ++oruk_requests;
      const std::string etag = "\"list" + std::to_string(page) + "\"";
      if (req.get_header_value("If-None-Match") == etag) {
        ++oruk_304;
        res.status = 304;
        return;
      }
      json contents = json::array();
      if (page == 1) {
        contents.push_back({{"id", "s1"}, {"name", "Careers advice"}, {"status", "active"}});
        contents.push_back({{"id", "s2"}, {"name", "Youth hub"}, {"status", "temporarily closed"}});
        contents.push_back({{"id", "s3"}, {"name", "SEND support"}, {"status", "active"}});
      } else {
        contents.push_back({{"id", "s4"}, {"name", "Gone"}, {"status", "active"}});
      }
      res.set_header("ETag", etag);
      res.set_content(json({{"total_items", 4},
                            {"total_pages", 2},
                            {"page_number", page},
                            {"last_page", page == 2},
                            {"contents", contents}})
                          .dump(),
                      "application/json");
    });
    server.server.Get(R"(/oruk/services/(\w+))", [this](const httplib::Request& req,
                                                        httplib::Response& res) {
      const std::string id = req.matches[1];
      std::lock_guard<std::mutex> g(mu);
      ++oruk_requests;
      if (id == "s4") {
        res.status = 404;
        return;
      }
      const std::string etag = "\"" + id + detail_version + "\"";
      if (req.get_header_value("If-None-Match") == etag) {
        ++oruk_304;
        res.status = 304;
        return;
      }
      res.set_header("ETag", etag);
      json service = {{"id", id},
                      {"name", id == "s1" ? "Careers advice" : "SEND support"},
                      {"status", "active"},
                      {"contacts", {{{"phones", {{{"number", "0113 496 000" + id.substr(1)}}}}}}},
                      {"service_at_locations",
                       {{{"location",
                          {{"latitude", 53.8},
                           {"longitude", -1.55},
                           {"addresses",
                            {{{"address_1", "1 Library Walk" + detail_version},
                              {"city", "Kirkhaven"},
                              {"postal_code", "LS1 4AP"},
                              {"address_type", "physical"}}}}}}}}}};
      res.set_content(service.dump(), "application/json");
    });
    // --- Find an apprenticeship, Display Advert API ---
    server.server.Get(
        "/vacancies/vacancy", [this](const httplib::Request& req, httplib::Response& res) {
          std::lock_guard<std::mutex> g(mu);
          x_versions.push_back(req.get_header_value("X-Version"));
          const bool v2 = req.get_header_value("X-Version") == "2" && !serve_v1;
          const int page = std::stoi(req.get_param_value("PageNumber"));
          json vacancies = json::array();
          for (int i = 0; i < 3; ++i) vacancies.push_back(Vacancy(page * 10 + i, v2));
          res.set_content(
              "{\"vacancies\": " + vacancies.dump() + ", \"totalPages\": " + total_pages + "}",
              "application/json");
        });
    server.Start();
    auto cat = catalogue::Catalogue::Open(dir.File("catalogue.db"));
    ASSERT_TRUE(cat.ok()) << cat.status().ToString();
    catalogue_ = std::move(cat.value());
    HttpOptions http;
    http.connect_timeout_ms = 2000;
    http.total_timeout_s = 10;
    http.max_body_bytes = 8 << 20;
    auto t = MakeCurlTransport(http);
    ASSERT_TRUE(t.ok());
    transport_ = std::move(t.value());
  }

  static void VersionError(httplib::Response& res) {
    res.status = 404;
    res.set_content(R"({"message": "Version header has invalid value, must be set to 'v1'"})",
                    "application/json");
  }

  FeedOutcome Sync(const FeedSettings& feed) {
    SyncEnv env;
    env.catalogue = catalogue_.get();
    env.transport = transport_.get();
    env.clock = &clock;
    env.retry.max_attempts = 1;
    env.state_file = dir.File("sync-state.json");
    env.log = [this](LogLevel, const std::string& line) { logs += line + "\n"; };
    env.seed = 11;
    return SyncFeed(feed, env);
  }

  FeedSettings Feed(const std::string& name, const std::string& kind, const std::string& path) {
    FeedSettings f;
    f.name = name;
    f.kind = kind;
    f.url = server.Url(path);
    f.page_size = 3;
    return f;
  }

  std::int64_t Held(const std::string& feed) {
    auto stats = catalogue_->Stats();
    for (const auto& f : stats->feeds) {
      if (f.feed == feed) return f.records;
    }
    return 0;
  }

  TempDir dir;
  TestServer server;
  FakeClock clock;
  std::string logs;
  std::unique_ptr<catalogue::Catalogue> catalogue_;
  std::unique_ptr<HttpTransport> transport_;
  std::atomic<int> profiles{5};
  std::atomic<int> profile_requests{0};
  std::mutex mu;
  int oruk_requests = 0;                // GUARDED_BY(mu)
  int oruk_304 = 0;                     // GUARDED_BY(mu)
  std::string detail_version;           // GUARDED_BY(mu)
  std::vector<std::string> x_versions;  // GUARDED_BY(mu)
  std::string total_pages = "2";        // GUARDED_BY(mu)
  bool serve_v1 = false;                // GUARDED_BY(mu)
};

TEST_F(FeedsHttpTest, JobProfilesSendTheirVersionSkipMissingProfilesAndArePaced) {
  FeedOutcome o = Sync(Feed("careers", "job-profiles", "/job-profiles/summary"));
  ASSERT_EQ(o.result, "ok") << o.status.ToString() << logs;
  EXPECT_EQ(Held("careers"), 3);  // p0, p1, p3: p2 answered 204 and p4 404
  EXPECT_EQ(o.skipped, 2);
  EXPECT_EQ(o.requests, 6);
  // Every request after the first waited the adapter's interval (150 a minute).
  ASSERT_EQ(clock.sleeps.size(), 5u);
  for (auto s : clock.sleeps) EXPECT_GE(s.count(), 400);
}

// 800 profiles and the default max_pages (500): detail requests are bounded
// by what the summary listed, not by the list-page cap.
TEST_F(FeedsHttpTest, EightHundredJobProfilesDoNotHitTheDefaultPageCap) {
  profiles = 800;
  FeedSettings feed = Feed("careers", "job-profiles", "/job-profiles/summary");
  ASSERT_EQ(feed.max_pages, 500);
  FeedOutcome o = Sync(feed);
  ASSERT_EQ(o.result, "ok") << o.status.ToString();
  EXPECT_EQ(Held("careers"), 798);
  EXPECT_EQ(profile_requests.load(), 800);
  // Paced: at least 799 x 410 ms of (fake) waiting, about 5.5 minutes for real.
  std::int64_t waited = 0;
  for (auto s : clock.sleeps) waited += s.count();
  EXPECT_GE(waited, 799 * 410);
}

TEST_F(FeedsHttpTest, OpenReferralFetchesEachServicesDetailAndReplaysThemConditionally) {
  const FeedSettings feed = Feed("services", "open-referral", "/oruk/services");
  FeedOutcome first = Sync(feed);
  ASSERT_EQ(first.result, "ok") << first.status.ToString() << logs;
  auto s1 = catalogue_->GetProvider("oruk:s1");
  ASSERT_TRUE(s1.ok());
  EXPECT_EQ(s1->address, "1 Library Walk");
  EXPECT_EQ(s1->postcode, "LS1 4AP");
  EXPECT_EQ(s1->phone, "0113 496 0001");
  ASSERT_TRUE(s1->location.has_value());
  EXPECT_FALSE(catalogue_->GetProvider("oruk:s2").ok());  // temporarily closed
  EXPECT_FALSE(catalogue_->GetProvider("oruk:s4").ok());  // its detail 404s: skipped
  EXPECT_EQ(first.skipped, 1);
  // list 1, s1, s3, list 2, s4
  EXPECT_EQ(first.requests, 5);

  // Nothing changed: one conditional request per list page and per detail.
  {
    std::lock_guard<std::mutex> g(mu);
    oruk_requests = oruk_304 = 0;
  }
  FeedOutcome again = Sync(feed);
  EXPECT_EQ(again.result, "unchanged") << again.status.ToString() << logs;
  {
    std::lock_guard<std::mutex> g(mu);
    EXPECT_EQ(oruk_requests, 5);
    EXPECT_EQ(oruk_304, 4);  // the 404 of s4 is the same "nothing" as before
  }

  // One service moved: its detail has a new ETag, so the directory is imported again.
  {
    std::lock_guard<std::mutex> g(mu);
    detail_version = "b";
  }
  FeedOutcome moved = Sync(feed);
  ASSERT_EQ(moved.result, "ok") << moved.status.ToString();
  EXPECT_EQ(catalogue_->GetProvider("oruk:s1")->address, "1 Library Walkb");
}

TEST_F(FeedsHttpTest, FatVacanciesAskForVersionTwoAndReadItsAddresses) {
  FeedOutcome o = Sync(Feed("vacancies", "fat-vacancies", "/vacancies/vacancy"));
  ASSERT_EQ(o.result, "ok") << o.status.ToString() << logs;
  EXPECT_TRUE(o.degraded.empty()) << o.degraded;
  {
    std::lock_guard<std::mutex> g(mu);
    EXPECT_EQ(x_versions, (std::vector<std::string>{"2", "2"}));
  }
  auto id = catalogue_->FindOpportunity("vacancies", "VAC10");
  ASSERT_TRUE(id.ok());
  auto v = catalogue_->GetOpportunity(*id);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->opportunity.postcode, "LS1 4AP");
  EXPECT_EQ(v->opportunity.location_name, "Kirkhaven");
}

TEST_F(FeedsHttpTest, AbsurdTotalPagesFailsAtTheCapInsteadOfStoppingAfterPageOne) {
  {
    std::lock_guard<std::mutex> g(mu);
    total_pages = "1e10";
  }
  FeedSettings feed = Feed("vacancies", "fat-vacancies", "/vacancies/vacancy");
  feed.max_pages = 3;
  FeedOutcome o = Sync(feed);
  EXPECT_EQ(o.result, "failed");
  EXPECT_NE(o.status.message().find("more than max_pages (3)"), std::string::npos)
      << o.status.message();
  EXPECT_EQ(Held("vacancies"), 0);
}

TEST_F(FeedsHttpTest, VacanciesWithoutLocationsMakeTheFeedDegradedInStatus) {
  {
    std::lock_guard<std::mutex> g(mu);
    serve_v1 = true;  // as if the API went back to v1 (no addresses[] at all)
  }
  std::ofstream(dir.File("kiosk.toml"))
      << "[sync]\ncatalogue = \"" << dir.File("catalogue.db") << "\"\nmax_attempts = 1\n"
      << "[[feed]]\nname = \"vacancies\"\nkind = \"fat-vacancies\"\nurl = \""
      << server.Url("/vacancies/vacancy") << "\"\n";
  catalogue_.reset();  // the CLI opens its own writer
  auto run = [&](std::vector<std::string> args, std::string* text) {
    std::ostringstream out, err;
    args.insert(args.begin(), {"--config", dir.File("kiosk.toml")});
    CliEnv env;
    env.clock = &clock;
    env.log = [](LogLevel, const std::string&) {};
    env.seed = 5;
    const int code = RunCli(args, out, err, env);
    *text = out.str() + err.str();
    return code;
  };
  std::string text;
  EXPECT_EQ(run({"once"}, &text), kExitOk) << text;
  EXPECT_NE(text.find("vacancies: ok (7 records"), std::string::npos) << text;
  const std::string sentence =
      "vacancies: 6 vacancies imported, none has a location (postcode, map point or anywhere "
      "in England): has the API version changed? (this adapter reads v2 addresses[])";
  EXPECT_NE(text.find("degraded: " + sentence), std::string::npos) << text;

  EXPECT_EQ(run({"status"}, &text), kExitOk) << text;
  EXPECT_NE(text.find("vacancies (fat-vacancies): degraded, data confirmed"), std::string::npos)
      << text;
  EXPECT_NE(text.find("  degraded: " + sentence), std::string::npos) << text;
  EXPECT_EQ(run({"status", "--json"}, &text), kExitOk);
  const json doc = json::parse(text);
  EXPECT_EQ(doc["feeds"][0]["degraded"], sentence);
  EXPECT_EQ(doc["feeds"][0]["result"], "ok");
  EXPECT_EQ(doc["feeds"][0]["field_coverage"][0]["with"], 0);
  EXPECT_EQ(doc["feeds"][0]["field_coverage"][0]["total"], 6);

  // The API is fixed: the next sync clears it.
  {
    std::lock_guard<std::mutex> g(mu);
    serve_v1 = false;
  }
  EXPECT_EQ(run({"once"}, &text), kExitOk) << text;
  EXPECT_EQ(text.find("degraded"), std::string::npos) << text;
  EXPECT_EQ(run({"status"}, &text), kExitOk);
  EXPECT_EQ(text.find("degraded"), std::string::npos) << text;
}

TEST_F(FeedsHttpTest, ValidatePrintsFieldCoverageForAPayload) {
  std::ofstream(dir.File("v1.json"))
      << json({{"vacancies", {Vacancy(1, false), Vacancy(2, true)}}, {"totalPages", 1}}).dump();
  std::ostringstream out, err;
  CliEnv env;
  env.clock = &clock;
  const int code =
      RunCli({"validate", "--kind", "fat-vacancies", dir.File("v1.json")}, out, err, env);
  EXPECT_EQ(code, kExitOk) << out.str() << err.str();
  EXPECT_NE(out.str().find("field coverage:\n  a location (postcode, map point or anywhere in "
                           "England): 1 of 2 vacancies (50%)\n"),
            std::string::npos)
      << out.str();
  EXPECT_NE(out.str().find("  a wage: 2 of 2 vacancies (100%)"), std::string::npos);
}

}  // namespace
}  // namespace signpost::sync
