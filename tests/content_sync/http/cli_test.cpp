// The content-sync CLI end to end (RunCli with a real HTTP server, the real
// libcurl transport, a real catalogue, a fake clock and the test adapter):
// once, status (text and --json), validate, usage errors and exit codes.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include "cli/cli.h"
#include "test_support.h"

namespace signpost::sync {
namespace {

using testing::ItemsJson;
using testing::TempDir;
using testing::TestServer;

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(CurlGlobalInit().ok());
    server.server.Get("/good", [](const httplib::Request& req, httplib::Response& res) {
      if (req.get_header_value("If-None-Match") == "\"v1\"") {
        res.status = 304;
        return;
      }
      res.set_header("ETag", "\"v1\"");
      res.set_content(ItemsJson(60), "application/json");
    });
    server.server.Get("/portal", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("<html>Log in to SchoolWiFi</html>", "text/html");
    });
    server.Start();
  }
  void WriteConfig(const std::string& feeds) {
    std::ofstream(dir.File("kiosk.toml"))
        << "[sync]\ncatalogue = \"" << dir.File("cat.db") << "\"\nmax_attempts = 1\n"
        << feeds;
  }
  std::string FeedToml(const std::string& name, const std::string& path) {
    return "[[feed]]\nname = \"" + name + "\"\nkind = \"test-json\"\nurl = \"" + server.Url(path) +
           "\"\napi_key = \"TOPSECRET\"\napi_key_header = \"Ocp-Apim-Subscription-Key\"\n";
  }
  int Run(std::vector<std::string> args) {
    out.str("");
    err.str("");
    logs.clear();
    args.insert(args.begin(), {"--config", dir.File("kiosk.toml")});
    CliEnv env;
    env.adapters = &testing::TestAdapters;
    env.kinds = &testing::TestKinds;
    env.clock = &clock;
    env.log = [this](LogLevel, const std::string& line) { logs += line + "\n"; };
    env.seed = 3;
    return RunCli(args, out, err, env);
  }

  TempDir dir;
  TestServer server;
  FakeClock clock;
  std::ostringstream out, err;
  std::string logs;
};

TEST_F(CliTest, OnceThenStatusShowsWhatHappened) {
  WriteConfig(FeedToml("courses", "/good") + FeedToml("events", "/portal"));
  EXPECT_EQ(Run({"once", "courses"}), kExitOk) << out.str() << logs;
  EXPECT_NE(out.str().find("courses: ok (61 records"), std::string::npos) << out.str();

  EXPECT_EQ(Run({"once"}), kExitFeedsFailed) << out.str();
  EXPECT_NE(out.str().find("courses: unchanged"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("events: offline - looks like a captive portal"), std::string::npos);

  clock.Advance(std::chrono::hours(2));
  EXPECT_EQ(Run({"status"}), kExitFeedsFailed);
  const std::string text = out.str();
  EXPECT_NE(text.find("courses (test-json): unchanged, data confirmed 2 hours ago"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("records: 61"), std::string::npos) << text;
  EXPECT_NE(text.find("events (test-json): offline, data never fetched"), std::string::npos);
  EXPECT_NE(text.find("last error: looks like a captive portal"), std::string::npos);

  EXPECT_EQ(Run({"status", "--json"}), kExitFeedsFailed);
  auto doc = nlohmann::json::parse(out.str());
  ASSERT_EQ(doc["feeds"].size(), 2u);
  EXPECT_EQ(doc["feeds"][0]["name"], "courses");
  EXPECT_EQ(doc["feeds"][0]["result"], "unchanged");
  EXPECT_EQ(doc["feeds"][0]["records"], 61);
  EXPECT_EQ(doc["feeds"][0]["freshness"], "2 hours ago");
  EXPECT_EQ(doc["feeds"][1]["result"], "offline");

  for (const std::string& s : {out.str(), err.str(), logs, text}) {
    EXPECT_EQ(s.find("TOPSECRET"), std::string::npos) << s;
  }
}

TEST_F(CliTest, AllOfflineExitsFour) {
  WriteConfig(FeedToml("events", "/portal"));
  EXPECT_EQ(Run({"once"}), kExitOffline) << out.str();
}

TEST_F(CliTest, BadConfigExitsTwoAndNamesTheField) {
  WriteConfig("[[feed]]\nname = \"x\"\nkind = \"nope\"\nurl = \"https://x\"\n");
  EXPECT_EQ(Run({"once"}), kExitUsage);
  EXPECT_NE(err.str().find("kiosk.toml:4: feed \"x\" kind: unknown kind \"nope\""),
            std::string::npos)
      << err.str();
}

TEST_F(CliTest, NoFeedsIsNothingToDoNotAnError) {
  WriteConfig("");
  EXPECT_EQ(Run({"once"}), kExitOk) << err.str();
  EXPECT_NE(out.str().find("nothing to sync"), std::string::npos) << out.str();
  EXPECT_NE(Run({"once", "courses"}), kExitOk);  // a named feed that is not configured
}

TEST_F(CliTest, UsageErrorsExitTwo) {
  WriteConfig("");
  EXPECT_EQ(Run({"frobnicate"}), kExitUsage);
  EXPECT_EQ(Run({"once", "--bogus"}), kExitUsage);
  EXPECT_EQ(Run({"status", "extra"}), kExitUsage);
  EXPECT_EQ(Run({"--help"}), kExitOk);
  EXPECT_NE(out.str().find("Exit codes:"), std::string::npos);
}

TEST_F(CliTest, UnopenableCatalogueExitsThree) {
  WriteConfig(FeedToml("courses", "/good"));
  EXPECT_EQ(Run({"--catalogue", "/proc/no-such-dir/cat.db", "once"}), kExitCatalogue)
      << out.str() << logs;
}

TEST_F(CliTest, ValidateCountsWithoutImporting) {
  WriteConfig("");
  { std::ofstream(dir.File("page1.json")) << ItemsJson(3, "a", "next"); }
  { std::ofstream(dir.File("page2.json")) << R"({"items":[{"id":"x"},{"id":"y","title":"Y"}]})"; }
  EXPECT_EQ(
      Run({"validate", "--kind", "test-json", dir.File("page1.json"), dir.File("page2.json")}),
      kExitOk)
      << out.str() << err.str();
  EXPECT_NE(out.str().find("opportunities: 4"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("skipped: 1"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("item without id/title"), std::string::npos) << out.str();
  EXPECT_FALSE(std::filesystem::exists(dir.File("cat.db")));

  { std::ofstream(dir.File("bad.json")) << R"({"items":[{"id":)"; }
  EXPECT_EQ(Run({"validate", "--kind", "test-json", dir.File("bad.json")}), kExitPayloadRejected);
  { std::ofstream(dir.File("portal.json")) << "<!DOCTYPE html><html></html>"; }
  EXPECT_EQ(Run({"validate", "--kind", "test-json", dir.File("portal.json")}),
            kExitPayloadRejected);
  EXPECT_EQ(Run({"validate", dir.File("page1.json")}), kExitUsage);  // no --kind
}

// Time passes only in SleepFor; asks to stop once `stop_after` has passed.
class StoppingClock final : public Clock {
 public:
  explicit StoppingClock(std::chrono::seconds stop_after)
      : start_ms_(now_ms_), stop_after_(stop_after) {}
  UnixTime Now() override { return now_ms_ / 1000; }
  bool SleepFor(std::chrono::milliseconds d) override {
    now_ms_ += d.count();
    ++sleeps;
    if (now_ms_ - start_ms_ >= stop_after_.count() * 1000) stopped_ = true;
    if (on_sleep) on_sleep(std::chrono::milliseconds(now_ms_ - start_ms_));
    return !stopped_;
  }
  std::function<void(std::chrono::milliseconds since_start)> on_sleep;
  bool StopRequested() const override { return stopped_; }
  int sleeps = 0;

 private:
  std::int64_t now_ms_ = 1'790'000'000'000;
  std::int64_t start_ms_;
  std::chrono::seconds stop_after_;
  bool stopped_ = false;
};

TEST_F(CliTest, RunSyncsOnItsScheduleUntilStopped) {
  std::ofstream(dir.File("kiosk.toml")) << "[sync]\ncatalogue = \"" << dir.File("cat.db")
                                        << "\"\ninterval_minutes = 5\njitter_minutes = 0\n"
                                        << FeedToml("courses", "/good");
  StoppingClock run_clock(std::chrono::minutes(12));
  CliEnv env;
  env.adapters = &testing::TestAdapters;
  env.kinds = &testing::TestKinds;
  env.clock = &run_clock;
  env.log = [this](LogLevel, const std::string& line) { logs += line + "\n"; };
  const int code = RunCli({"--config", dir.File("kiosk.toml"), "run"}, out, err, env);
  EXPECT_EQ(code, kExitOk) << err.str() << logs;
  // First sync within a minute of start, then every 5 minutes: 3 cycles in 12.
  EXPECT_NE(logs.find("result=ok"), std::string::npos) << logs;
  std::size_t unchanged = 0;
  for (std::size_t at = logs.find("result=unchanged"); at != std::string::npos;
       at = logs.find("result=unchanged", at + 1)) {
    ++unchanged;
  }
  EXPECT_EQ(unchanged, 2u) << logs;
  EXPECT_NE(logs.find("stopping"), std::string::npos);
  // Wakes every 5 s to look for a "sync now" request, and no more often.
  EXPECT_LE(run_clock.sleeps, 12 * 60 / 5 + 1);
}

// The kiosk's technician screen asks for a sync by creating the request
// file; the daemon syncs within seconds (not at the next 6-hourly slot) and
// removes the file, so one request is one sync.
TEST_F(CliTest, RunSyncsAtOnceWhenASyncIsRequested) {
  std::ofstream(dir.File("kiosk.toml")) << "[sync]\ncatalogue = \"" << dir.File("cat.db")
                                        << "\"\ninterval_minutes = 360\njitter_minutes = 0\n"
                                        << FeedToml("courses", "/good");
  const std::string request = dir.File("sync-now");  // beside the catalogue by default
  StoppingClock run_clock(std::chrono::minutes(10));
  std::chrono::milliseconds requested_at{-1};
  run_clock.on_sleep = [&](std::chrono::milliseconds t) {
    if (t >= std::chrono::minutes(4) && requested_at.count() < 0) {
      std::ofstream(request) << "";
      requested_at = t;
    }
  };
  // The request stays until the sync it asked for has finished (the kiosk
  // shows "waiting" until then).
  bool seen = false, present_during_sync = false;
  CliEnv env;
  env.adapters = &testing::TestAdapters;
  env.kinds = &testing::TestKinds;
  env.clock = &run_clock;
  env.log = [&](LogLevel, const std::string& line) {
    logs += line + "\n";
    if (line.find("sync requested") != std::string::npos) seen = true;
    if (seen && line.find("result=") != std::string::npos) {
      present_during_sync = std::filesystem::exists(request);
    }
  };
  ASSERT_EQ(RunCli({"--config", dir.File("kiosk.toml"), "run"}, out, err, env), kExitOk)
      << err.str() << logs;
  // The first sync (within a minute of start), then the requested one.
  EXPECT_NE(logs.find("result=ok"), std::string::npos) << logs;
  EXPECT_NE(logs.find("sync requested"), std::string::npos) << logs;
  EXPECT_NE(logs.find("result=unchanged"), std::string::npos) << logs;
  EXPECT_TRUE(present_during_sync);
  EXPECT_FALSE(std::filesystem::exists(request));
  // `once` also answers (and clears) a request: the timer variant.
  std::ofstream(request) << "";
  EXPECT_EQ(Run({"once"}), kExitOk) << err.str() << logs;
  EXPECT_FALSE(std::filesystem::exists(request));
}

TEST_F(CliTest, OnceWaitsForARunningSyncAndCanBeStoppedWhileWaiting) {
  WriteConfig(FeedToml("courses", "/good"));
  const int held = open(dir.File("cat.db.sync-lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  ASSERT_GE(held, 0);
  ASSERT_EQ(flock(held, LOCK_EX), 0);  // "another content-sync" is syncing
  StoppingClock stop_soon(std::chrono::seconds(3));
  CliEnv env;
  env.adapters = &testing::TestAdapters;
  env.kinds = &testing::TestKinds;
  env.clock = &stop_soon;
  env.log = [this](LogLevel, const std::string& line) { logs += line + "\n"; };
  EXPECT_EQ(RunCli({"--config", dir.File("kiosk.toml"), "once"}, out, err, env), kExitCatalogue);
  EXPECT_NE(logs.find("waiting for another content-sync"), std::string::npos) << logs;
  EXPECT_EQ(stop_soon.sleeps, 3);
  close(held);
  EXPECT_EQ(Run({"once"}), kExitOk) << logs;  // lock free: syncs
}

TEST(CliHelpers, FormatAgo) {
  EXPECT_EQ(FormatAgo(100, 130), "just now");
  EXPECT_EQ(FormatAgo(0, 60), "1 minute ago");
  EXPECT_EQ(FormatAgo(0, 7200), "2 hours ago");
  EXPECT_EQ(FormatAgo(0, 3 * 86400), "3 days ago");
}

}  // namespace
}  // namespace signpost::sync
