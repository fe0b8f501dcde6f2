// The hub and kiosk commands as a technician runs them: hub keygen, hub
// build, import (--check), once with a file:// hub, status; exit codes and
// messages.
#include <gtest/gtest.h>

#include <sstream>

#include "bundle/client.h"
#include "cli/cli.h"
#include "hub_test_support.h"

namespace signpost::sync::testing {
namespace {

struct CliRun {
  int code = -1;
  std::string out, err;
};

CliRun Cli(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  CliEnv env;
  env.log = [](LogLevel, const std::string&) {};
  CliRun r;
  r.code = RunCli(args, out, err, env);
  r.out = out.str();
  r.err = err.str();
  return r;
}

TEST(CliHubTest, KeygenBuildImportOnceAndStatusWorkTogether) {
  TempDir dir("cli");
  {
    auto hub = MakeHubCatalogue(dir / "hub.db");
    ASSERT_NE(hub, nullptr);
  }
  const std::string hub_cfg = dir / "hub.toml";
  WriteFile(hub_cfg, "[sync]\ncatalogue = \"" + (dir / "hub.db") + "\"\n[hub]\noutput_dir = \"" +
                         (dir / "www") + "\"\nsecret_key_file = \"" + (dir / "keys/hub.key") +
                         "\"\nname = \"CLI hub\"\n");
  CliRun r = Cli({"--config", hub_cfg, "hub", "keygen"});
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string pub = ReadFile(dir / "keys/hub.pub");
  const std::string key_line = pub.substr(pub.find('\n') + 1, 56);
  EXPECT_NE(r.out.find(key_line), std::string::npos) << r.out;  // printed for kiosk.toml
  r = Cli({"--config", hub_cfg, "hub", "keygen"});
  EXPECT_EQ(r.code, 2);  // never overwrites a key
  EXPECT_NE(r.err.find("refusing to overwrite"), std::string::npos) << r.err;

  r = Cli({"--config", hub_cfg, "hub", "build", "--no-fetch"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("published serial 1"), std::string::npos) << r.out;
  r = Cli({"--config", hub_cfg, "hub", "build", "--no-fetch"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("nothing published"), std::string::npos) << r.out;

  fs::create_directories(dir / "kiosk");
  const std::string kiosk_cfg = dir / "kiosk.toml";
  WriteFile(kiosk_cfg, "[sync]\ncatalogue = \"" + (dir / "kiosk/catalogue.db") +
                           "\"\nmax_attempts = 1\n[bundles]\nhub_urls = [\"file://" +
                           (dir / "www") + "/\"]\ntrusted_keys = [\"" + key_line + "\"]\n");
  r = Cli({"--config", kiosk_cfg, "import", "--check", dir / "www"});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("would be applied"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(dir / "kiosk/catalogue.db") &&
               bundle::ReadInstalled(*OpenCatalogue(dir / "kiosk/catalogue.db")).serial != 0);

  r = Cli({"--config", kiosk_cfg, "once"});
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("serial 0 -> 1"), std::string::npos) << r.out;
  r = Cli({"--config", kiosk_cfg, "once"});
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("unchanged"), std::string::npos) << r.out;
  r = Cli({"--config", kiosk_cfg, "status"});
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("bundles: serial 1 from CLI hub"), std::string::npos) << r.out;

  // A tampered copy on a "USB stick": exit 6, nothing changed, status unchanged.
  fs::create_directories(dir / "usb");
  fs::copy_file(dir / "www/bundles/signpost-000001.bundle", dir / "usb/signpost-000001.bundle");
  fs::copy_file(dir / "www/bundles/signpost-000001.bundle.minisig",
                dir / "usb/signpost-000001.bundle.minisig");
  std::string bytes = ReadFile(dir / "usb/signpost-000001.bundle");
  bytes[bytes.size() - 10] ^= 0x40;
  WriteFile(dir / "usb/signpost-000001.bundle", bytes);
  r = Cli({"--config", kiosk_cfg, "import", dir / "usb"});
  EXPECT_EQ(r.code, 6) << r.out;
  EXPECT_NE(r.out.find("bad_signature"), std::string::npos) << r.out;
  r = Cli({"--config", kiosk_cfg, "import", dir / "no-such-stick"});
  EXPECT_EQ(r.code, 2);
  r = Cli({"--config", kiosk_cfg, "import", dir / "kiosk"});  // a folder without bundles
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find("no signed bundle"), std::string::npos) << r.out;
}

// Time passes only in SleepFor; stops after `minutes`.
class MinutesClock final : public Clock {
 public:
  explicit MinutesClock(int minutes) : stop_ms_(now_ms_ + minutes * 60'000LL) {}
  UnixTime Now() override { return now_ms_ / 1000; }
  bool SleepFor(std::chrono::milliseconds d) override {
    now_ms_ += d.count();
    return now_ms_ < stop_ms_;
  }
  bool StopRequested() const override { return now_ms_ >= stop_ms_; }

 private:
  std::int64_t now_ms_ = 1'790'000'000'000;
  std::int64_t stop_ms_;
};

// "Update from USB": the kiosk (read-only) writes the stick's path into the
// import request file; `content-sync run` imports it as `import` would,
// writes the outcome for the kiosk to show, and removes the request. A
// tampered bundle is refused and the catalogue keeps what it had.
TEST(CliHubTest, RunAnswersAnUpdateFromUsbRequest) {
  TempDir dir("usbreq");
  { ASSERT_NE(MakeHubCatalogue(dir / "hub.db"), nullptr); }
  const std::string hub_cfg = dir / "hub.toml";
  WriteFile(hub_cfg, "[sync]\ncatalogue = \"" + (dir / "hub.db") + "\"\n[hub]\noutput_dir = \"" +
                         (dir / "www") + "\"\nsecret_key_file = \"" + (dir / "keys/hub.key") +
                         "\"\n");
  ASSERT_EQ(Cli({"--config", hub_cfg, "hub", "keygen"}).code, 0);
  ASSERT_EQ(Cli({"--config", hub_cfg, "hub", "build", "--no-fetch"}).code, 0);
  const std::string pub = ReadFile(dir / "keys/hub.pub");
  const std::string key_line = pub.substr(pub.find('\n') + 1, 56);
  fs::create_directories(dir / "kiosk");
  fs::create_directories(dir / "usb");
  for (const char* f : {"signpost-000001.bundle", "signpost-000001.bundle.minisig"}) {
    fs::copy_file(dir / (std::string("www/bundles/") + f), dir / (std::string("usb/") + f));
  }
  const std::string kiosk_cfg = dir / "kiosk.toml";
  WriteFile(kiosk_cfg, "[sync]\ncatalogue = \"" + (dir / "kiosk/catalogue.db") +
                           "\"\n[bundles]\ntrusted_keys = [\"" + key_line + "\"]\n");
  auto run_for_a_minute = [&] {
    std::ostringstream out, err;
    MinutesClock clock(1);
    CliEnv env;
    env.clock = &clock;
    env.log = [](LogLevel, const std::string&) {};
    return RunCli({"--config", kiosk_cfg, "run"}, out, err, env);
  };
  WriteFile(dir / "kiosk/import-now", (dir / "usb") + "\n");
  ASSERT_EQ(run_for_a_minute(), 0);
  EXPECT_FALSE(fs::exists(dir / "kiosk/import-now"));
  std::string result = ReadFile(dir / "kiosk/import-result.json");
  EXPECT_NE(result.find("\"result\":\"ok\""), std::string::npos) << result;
  EXPECT_NE(result.find("\"serial\":1"), std::string::npos) << result;
  EXPECT_EQ(bundle::ReadInstalled(*OpenCatalogue(dir / "kiosk/catalogue.db")).serial, 1);

  std::string bytes = ReadFile(dir / "usb/signpost-000001.bundle");
  bytes[bytes.size() - 10] ^= 0x40;
  WriteFile(dir / "usb/signpost-000001.bundle", bytes);
  WriteFile(dir / "kiosk/import-now", dir / "usb/signpost-000001.bundle");
  ASSERT_EQ(run_for_a_minute(), 0);
  result = ReadFile(dir / "kiosk/import-result.json");
  EXPECT_NE(result.find("bad_signature"), std::string::npos) << result;
  EXPECT_FALSE(fs::exists(dir / "kiosk/import-now"));
  EXPECT_EQ(bundle::ReadInstalled(*OpenCatalogue(dir / "kiosk/catalogue.db")).serial, 1);

  WriteFile(dir / "kiosk/import-now", dir / "stick-pulled-out");
  ASSERT_EQ(run_for_a_minute(), 0);
  result = ReadFile(dir / "kiosk/import-result.json");
  EXPECT_NE(result.find("was the USB stick removed?"), std::string::npos) << result;
}

// Issue 16: with signpost-sync-once.timer instead of the daemon, the path
// unit starts `content-sync once` when the request appears; it must answer.
TEST(CliHubTest, OnceAnswersAnUpdateFromUsbRequestForTheTimerSetup) {
  TempDir dir("usbonce");
  { ASSERT_NE(MakeHubCatalogue(dir / "hub.db"), nullptr); }
  const std::string hub_cfg = dir / "hub.toml";
  WriteFile(hub_cfg, "[sync]\ncatalogue = \"" + (dir / "hub.db") + "\"\n[hub]\noutput_dir = \"" +
                         (dir / "www") + "\"\nsecret_key_file = \"" + (dir / "keys/hub.key") +
                         "\"\n");
  ASSERT_EQ(Cli({"--config", hub_cfg, "hub", "keygen"}).code, 0);
  ASSERT_EQ(Cli({"--config", hub_cfg, "hub", "build", "--no-fetch"}).code, 0);
  const std::string pub = ReadFile(dir / "keys/hub.pub");
  const std::string key_line = pub.substr(pub.find('\n') + 1, 56);
  fs::create_directories(dir / "kiosk");
  fs::create_directories(dir / "usb");
  for (const char* f : {"signpost-000001.bundle", "signpost-000001.bundle.minisig"}) {
    fs::copy_file(dir / (std::string("www/bundles/") + f), dir / (std::string("usb/") + f));
  }
  const std::string kiosk_cfg = dir / "kiosk.toml";
  WriteFile(kiosk_cfg, "[sync]\ncatalogue = \"" + (dir / "kiosk/catalogue.db") +
                           "\"\n[bundles]\ntrusted_keys = [\"" + key_line + "\"]\n");
  WriteFile(dir / "kiosk/import-now", (dir / "usb") + "\n");
  EXPECT_EQ(Cli({"--config", kiosk_cfg, "once"}).code, 0);
  EXPECT_FALSE(fs::exists(dir / "kiosk/import-now")) << "the request was never answered";
  const std::string result = ReadFile(dir / "kiosk/import-result.json");
  EXPECT_NE(result.find("\"result\":\"ok\""), std::string::npos) << result;
  EXPECT_EQ(bundle::ReadInstalled(*OpenCatalogue(dir / "kiosk/catalogue.db")).serial, 1);
}

TEST(CliHubTest, HubBuildWithoutAHubTableSaysWhatIsMissing) {
  TempDir dir("cli2");
  WriteFile(dir / "k.toml", "[sync]\ncatalogue = \"" + (dir / "c.db") + "\"\n");
  const CliRun r = Cli({"--config", dir / "k.toml", "hub", "build"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("[hub] table with output_dir and secret_key_file"), std::string::npos)
      << r.err;
}

}  // namespace
}  // namespace signpost::sync::testing
