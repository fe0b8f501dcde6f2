// Runs the real signpost-catalogue binary and checks its output and exit
// codes: 0 when a command ran (a search with no results too), 1 when the
// catalogue cannot be used, 2 for bad usage.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <nlohmann/json.hpp>

#include <array>
#include <cstdio>
#include <sstream>

#include "test_util.h"

namespace signpost::catalogue {
namespace {

using testing::TempDir;

struct CliRun {
  int exit_code = -1;
  std::string out;  // stdout and stderr together
};

// `env`: variables for the CLI's environment ("NAME=value ...").
CliRun Cli(const std::string& args, const std::string& env = "") {
  const std::string cmd =
      (env.empty() ? "" : env + " ") + SIGNPOST_CATALOGUE_CLI + " " + args + " 2>&1";
  CliRun r;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  const int status = pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

class CliTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    db_ = dir_->File("c.db");
    CliRun r =
        Cli("--catalogue " + db_ + " generate --opportunities 3000 --providers 60 --careers 30");
    ASSERT_EQ(r.exit_code, 0) << r.out;
  }
  static void TearDownTestSuite() { delete dir_; }
  static std::string Db() { return "--catalogue " + db_ + " "; }
  static TempDir* dir_;
  static std::string db_;
};
TempDir* CliTest::dir_ = nullptr;
std::string CliTest::db_;

TEST_F(CliTest, NoCommandIsAUsageError) {
  CliRun r = Cli("");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("usage:"), std::string::npos);
}

TEST_F(CliTest, UnknownFlagsAndValuesAreUsageErrors) {
  EXPECT_EQ(Cli(Db() + "search x --colour red").exit_code, 2);
  CliRun route = Cli(Db() + "search x --route space");
  EXPECT_EQ(route.exit_code, 2);
  EXPECT_NE(route.out.find("unknown --route 'space'"), std::string::npos);
  EXPECT_EQ(Cli(Db() + "search x --level 9").exit_code, 2);
  EXPECT_EQ(Cli(Db() + "search x --limit").exit_code, 2);
  EXPECT_EQ(Cli(Db() + "search x --within 5").exit_code, 2);  // needs --near
  CliRun near = Cli(Db() + "search x --near 'ZZ9 9ZZ' --within 5");
  EXPECT_EQ(near.exit_code, 2);
  EXPECT_NE(near.out.find("postcode"), std::string::npos);
  EXPECT_EQ(Cli(Db() + "frobnicate").exit_code, 2);
  CliRun few = Cli(Db() + "generate --providers 2");
  EXPECT_EQ(few.exit_code, 2);
  EXPECT_NE(few.out.find("providers must be at least"), std::string::npos) << few.out;
}

TEST_F(CliTest, AMissingCatalogueSaysWhatToDo) {
  CliRun r = Cli("--catalogue " + dir_->File("nope.db") + " search x");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("load-sample"), std::string::npos) << r.out;
}

TEST_F(CliTest, SearchPrintsJsonLinesAndExitsZeroEvenWithNoResults) {
  CliRun r = Cli(Db() + "search '' --limit 7 --json");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  std::istringstream lines(r.out);
  int n = 0;
  for (std::string line; std::getline(lines, line);) {
    auto j = nlohmann::json::parse(line);
    EXPECT_TRUE(j.contains("title"));
    EXPECT_TRUE(j.contains("route"));
    ++n;
  }
  EXPECT_EQ(n, 7);
  CliRun none = Cli(Db() + "search 'qqqqzzzzxxxx'");
  EXPECT_EQ(none.exit_code, 0);
  EXPECT_NE(none.out.find("0 results"), std::string::npos) << none.out;
  for (const char* weird : {"'\"'", "'NEAR('", "'*'", "'-'", "'AND OR NOT'", "'😀'"}) {
    EXPECT_EQ(Cli(Db() + "search " + weird).exit_code, 0) << weird;
  }
}

// ICU is opened only for text that is not ASCII (catalogue/src/text.cpp):
// an ASCII search never loads it; full-width letters still fold to the same
// search. LD_DEBUG=files makes the dynamic loader say what it loads.
TEST_F(CliTest, OnlyTextThatIsNotAsciiLoadsIcu) {
  CliRun ascii = Cli(Db() + "search 'engineering' --limit 5", "LD_DEBUG=files");
  ASSERT_EQ(ascii.exit_code, 0) << ascii.out;
  EXPECT_NE(ascii.out.find("libc.so"), std::string::npos) << "LD_DEBUG had no effect";
  EXPECT_EQ(ascii.out.find("libicuuc"), std::string::npos) << ascii.out;
  CliRun wide = Cli(Db() + "search 'ＥＮＧＩＮＥＥＲＩＮＧ' --limit 5", "LD_DEBUG=files");
  ASSERT_EQ(wide.exit_code, 0) << wide.out;
  EXPECT_NE(wide.out.find("libicuuc"), std::string::npos) << wide.out;
  EXPECT_EQ(Cli(Db() + "search 'ＥＮＧＩＮＥＥＲＩＮＧ' --limit 40 --seed 3 --json").out,
            Cli(Db() + "search 'engineering' --limit 40 --seed 3 --json").out);
}

TEST_F(CliTest, RouteFilterIsApplied) {
  CliRun r = Cli(Db() + "search '' --route he --limit 50 --json");
  ASSERT_EQ(r.exit_code, 0);
  std::istringstream lines(r.out);
  int n = 0;
  for (std::string line; std::getline(lines, line);) {
    EXPECT_EQ(nlohmann::json::parse(line)["route"], "he");
    ++n;
  }
  EXPECT_GT(n, 0);
}

TEST_F(CliTest, StatsAndCheckDescribeTheCatalogue) {
  CliRun r = Cli(Db() + "stats --json");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["opportunities"], 3000);
  EXPECT_GT(j["by_route"]["apprenticeship"].get<int>(), 0);
  CliRun check = Cli(Db() + "check");
  EXPECT_EQ(check.exit_code, 0);
  EXPECT_NE(check.out.find(": ok"), std::string::npos);
}

TEST_F(CliTest, ANewerCatalogueIsRefusedWithExitOne) {
  const std::string path = dir_->File("newer.db");
  ASSERT_EQ(Cli("--catalogue " + path + " generate --opportunities 10 --providers 5 --careers 1")
                .exit_code,
            0);
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_exec(db, "PRAGMA user_version = 42", nullptr, nullptr, nullptr);
  sqlite3_close(db);
  CliRun r = Cli("--catalogue " + path + " search x");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("newer Signpost"), std::string::npos) << r.out;
}

TEST(CliOutputTest, EscapeCodesInCatalogueTextArePrintedEscaped) {
  // Issue 16: a feed's title with terminal escape codes (clear the screen,
  // set the window title) is shown as text, never obeyed.
  TempDir dir;
  const std::string db = dir.File("evil.db");
  ASSERT_EQ(Cli("--catalogue " + db + " generate --opportunities 200 --providers 20").exit_code, 0);
  sqlite3* h = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &h), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(h,
                         "UPDATE opportunity SET title = title || char(27) || '[2J' || char(27) || "
                         "']0;pwned' || char(7); UPDATE provider SET name = name || char(155) || "
                         "'31m'",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(h);
  for (const char* args : {" search '' --limit 50", " search '' --limit 50 --json", " stats"}) {
    const CliRun r = Cli("--catalogue " + db + args);
    ASSERT_EQ(r.exit_code, 0) << args << ": " << r.out;
    EXPECT_EQ(r.out.find('\x1b'), std::string::npos) << args << ": a raw ESC reached the terminal";
    EXPECT_EQ(r.out.find('\x07'), std::string::npos) << args;
    EXPECT_EQ(r.out.find("\xC2\x9B"), std::string::npos) << args << ": a raw C1 CSI";
  }
  EXPECT_NE(Cli("--catalogue " + db + " search '' --limit 5").out.find("\\x1b[2J"),
            std::string::npos);
}

}  // namespace
}  // namespace signpost::catalogue
