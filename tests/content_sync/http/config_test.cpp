// Config parsing: defaults, every key, errors that name the field and line,
// warnings for unknown keys, API keys kept out of messages.
#include <gtest/gtest.h>

#include <fstream>

#include "config/config.h"
#include "test_support.h"

namespace signpost::sync {
namespace {

const std::vector<std::string> kKinds = {"find-a-course", "icalendar"};

Result<Config> Parse(const std::string& text) { return ParseConfig(text, "kiosk.toml", kKinds); }

TEST(ConfigTest, EmptyConfigGivesDefaults) {
  auto c = Parse("");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->sync.catalogue, kDefaultCataloguePath);
  EXPECT_EQ(c->sync.interval_minutes, 360);
  EXPECT_TRUE(c->feeds.empty());
  EXPECT_EQ(StateFilePath(c->sync), "/var/lib/signpost/sync-state.json");
}

TEST(ConfigTest, ReadsEveryKey) {
  testing::TempDir dir;
  { std::ofstream(dir.File("ca.pem")) << "pem"; }
  { std::ofstream(dir.File("key")) << "  from-file-key \n"; }
  const std::string text = R"(
[kiosk]
title = "ignored: belongs to the kiosk"

[sync]
catalogue = "/srv/cat.db"
state_file = "/srv/state.json"
interval_minutes = 60
jitter_minutes = 10
user_agent_extra = "Kirkhaven LA"
proxy = "http://proxy.school:3128"
ca_file = ")" + dir.File("ca.pem") +
                           R"("
max_body_mb = 8
connect_timeout_s = 5
low_speed_limit = 10
low_speed_time_s = 20
timeout_s = 120
max_redirects = 3
max_attempts = 2
retry_max_delay_s = 30

[[feed]]
name = "courses"
kind = "find-a-course"
url = "https://api.example.org/coursedirectory"
api_key_file = ")" + dir.File("key") +
                           R"("
api_key_header = "Ocp-Apim-Subscription-Key"
headers = { "X-Version" = "2" }
query = "LS1 4AP"
page_size = 50
max_pages = 20

[[feed]]
name = "open-days"
kind = "icalendar"
url = "file:///var/lib/signpost/events.ics"
enabled = false
)";
  auto c = Parse(text);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_TRUE(c->warnings.empty()) << c->warnings[0];
  EXPECT_EQ(c->sync.catalogue, "/srv/cat.db");
  EXPECT_EQ(StateFilePath(c->sync), "/srv/state.json");
  EXPECT_EQ(c->sync.interval_minutes, 60);
  EXPECT_EQ(c->sync.jitter_minutes, 10);
  EXPECT_EQ(c->sync.http.user_agent_extra, "Kirkhaven LA");
  EXPECT_EQ(c->sync.http.proxy, "http://proxy.school:3128");
  EXPECT_EQ(c->sync.http.ca_file, dir.File("ca.pem"));
  EXPECT_EQ(c->sync.http.max_body_bytes, 8 << 20);
  EXPECT_EQ(c->sync.http.connect_timeout_ms, 5000);
  EXPECT_EQ(c->sync.http.total_timeout_s, 120);
  EXPECT_EQ(c->sync.http.max_redirects, 3);
  EXPECT_EQ(c->sync.retry.max_attempts, 2);
  ASSERT_EQ(c->feeds.size(), 2u);
  const FeedSettings& f = c->feeds[0];
  EXPECT_EQ(f.api_key, "from-file-key");
  EXPECT_EQ(f.api_key_header, "Ocp-Apim-Subscription-Key");
  ASSERT_EQ(f.extra_headers.size(), 1u);
  EXPECT_EQ(f.extra_headers[0].first, "X-Version");
  EXPECT_EQ(f.query, "LS1 4AP");
  EXPECT_EQ(f.page_size, 50);
  EXPECT_EQ(f.max_pages, 20);
  EXPECT_FALSE(c->feeds[1].enabled);
}

TEST(ConfigTest, UnknownKeysAreWarnedWithTheirLine) {
  auto c = Parse("[sync]\ninterval_minutes = 60\nintervall = 5\n");
  ASSERT_TRUE(c.ok());
  ASSERT_EQ(c->warnings.size(), 1u);
  EXPECT_EQ(c->warnings[0], "kiosk.toml:3: unknown key sync.intervall (ignored)");
}

TEST(ConfigTest, ErrorsNameTheFieldAndLine) {
  struct Case {
    const char* text;
    const char* message;
  };
  const Case cases[] = {
      {"[sync]\ninterval_minutes = \"often\"\n",
       "kiosk.toml:2: sync.interval_minutes: must be a whole number, not a string"},
      {"[sync]\n\nmax_body_mb = 0\n",
       "kiosk.toml:3: sync.max_body_mb: 0 is out of range (1..4096)"},
      {"[sync]\nca_file = \"/no/such/ca.pem\"\n",
       "kiosk.toml:2: sync.ca_file: no such file: /no/such/ca.pem"},
      {"[[feed]]\nname = \"a\"\nkind = \"ftp\"\nurl = \"https://x\"\n", "unknown kind \"ftp\""},
      {"[[feed]]\nname = \"a b\"\nkind = \"icalendar\"\nurl = \"https://x\"\n",
       "name may only use letters"},
      {"[[feed]]\nname = \"a\"\nkind = \"icalendar\"\n", "feed \"a\" url: is required"},
      {"[[feed]]\nname = \"a\"\nkind = \"icalendar\"\nurl = \"https://x\"\n"
       "[[feed]]\nname = \"a\"\nkind = \"icalendar\"\nurl = \"https://y\"\n",
       "kiosk.toml:5: feed \"a\": name is used by another feed"},
      {"[[feed]]\nname = \"a\"\nkind = \"icalendar\"\nurl = \"https://x\"\npage_size = -1\n",
       "kiosk.toml:5: feed[0].page_size: -1 is out of range"},
      {"[[feed]]\nname = \"a\"\nkind = \"icalendar\"\nurl = \"https://x\"\napi_key = \"k\"\n",
       "api_key_header: is required"},
      {"[sync\n", "kiosk.toml:1:"},
  };
  for (const Case& c : cases) {
    auto r = Parse(c.text);
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
    EXPECT_NE(r.status().message().find(c.message), std::string::npos)
        << "got: " << r.status().message() << "\nwant: " << c.message;
  }
}

TEST(ConfigTest, ApiKeysNeverAppearInErrors) {
  auto r = Parse(
      "[[feed]]\nname = \"a\"\nkind = \"icalendar\"\nurl = \"https://x\"\n"
      "api_key = \"TOPSECRET\"\napi_key_file = \"/etc/k\"\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message().find("TOPSECRET"), std::string::npos);
  EXPECT_NE(r.status().message().find("not both"), std::string::npos);
}

TEST(ConfigTest, WorldReadableFileWithAnInlineKeyIsWarned) {
  testing::TempDir dir;
  const std::string path = dir.File("kiosk.toml");
  std::ofstream(path) << "[[feed]]\nname = \"a\"\nkind = \"icalendar\"\nurl = \"https://x\"\n"
                         "api_key = \"TOPSECRET\"\napi_key_header = \"X-Key\"\n";
  std::filesystem::permissions(path, std::filesystem::perms::owner_read |
                                         std::filesystem::perms::owner_write |
                                         std::filesystem::perms::others_read);
  auto c = LoadConfig(path, true, kKinds);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  ASSERT_EQ(c->warnings.size(), 1u);
  EXPECT_NE(c->warnings[0].find("readable by every user"), std::string::npos);
  EXPECT_EQ(c->warnings[0].find("TOPSECRET"), std::string::npos);
  std::filesystem::permissions(
      path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  c = LoadConfig(path, true, kKinds);
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(c->warnings.empty());
}

TEST(ConfigTest, MissingFileIsAnErrorOnlyWhenNamed) {
  auto named = LoadConfig("/no/such/kiosk.toml", /*path_was_given=*/true, kKinds);
  EXPECT_FALSE(named.ok());
  auto dflt = LoadConfig("/no/such/kiosk.toml", /*path_was_given=*/false, kKinds);
  ASSERT_TRUE(dflt.ok());
  EXPECT_FALSE(dflt->warnings.empty());
}

}  // namespace
}  // namespace signpost::sync
