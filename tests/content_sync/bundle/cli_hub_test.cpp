// The hub and kiosk commands as a technician runs them: hub keygen, hub
// build, import (--check), once with a file:// hub, status; exit codes and
// messages.
#include <gtest/gtest.h>

#include <sstream>

#include "bundle/client.h"
#include "cli.h"
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
