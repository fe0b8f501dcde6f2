// Script language tests: parsing errors name the line; a script drives the
// kiosk from the attract loop to a search.
#include "kiosk/script.h"

#include "kiosk_test_util.h"

namespace signpost::kiosk {
namespace {

TEST(ScriptTest, ParsesEveryCommand) {
  std::vector<ScriptLine> lines;
  std::string error;
  ASSERT_TRUE(
      ParseScript("# a comment\n\nscreen home\ntap 400 240\ndrag 1 2 3 4 300ms\n"
                  "type engineer apprentice\nkey backspace\nwait 2s\n"
                  "screenshot /tmp/x y.png\nexpect-screen search\n"
                  "expect-search-text engineer\nexpect-shortlist 0\ntap 50% 90%\n",
                  &lines, &error))
      << error;
  ASSERT_EQ(lines.size(), 11u);
  EXPECT_EQ(lines[3].args[0], "engineer apprentice");
  EXPECT_EQ(lines[6].args[0], "/tmp/x y.png");
  EXPECT_EQ(lines[0].number, 3);
}

TEST(ScriptTest, UnknownCommandNamesTheLine) {
  std::vector<ScriptLine> lines;
  std::string error;
  EXPECT_FALSE(ParseScript("tap 1 2\ntapp 3 4\n", &lines, &error));
  EXPECT_EQ(error, "line 2: unknown command 'tapp'");
  lines.clear();
  EXPECT_FALSE(ParseScript("drag 1 2\n", &lines, &error));
  EXPECT_NE(error.find("line 1"), std::string::npos);
}

TEST(ScriptTest, DrivesTheKioskFromAttractToResults) {
  auto k = testing::MakeKiosk(testing::HeadlessOptions());
  ASSERT_TRUE(k);
  testing::TempDir dir;
  std::vector<ScriptLine> lines;
  std::string error;
  std::string shot = dir.File("after.png");
  ASSERT_TRUE(
      ParseScript("expect-screen attract\ntap 50% 50%\nexpect-screen home\n"
                  "tap 600 110\nexpect-screen search\ntype plumb\n"
                  "expect-search-text plumb\nscreenshot " +
                      shot + "\nexpect-screen home\n",
                  &lines, &error));
  EXPECT_FALSE(RunScript(*k, lines, &error));  // the last line fails on purpose
  EXPECT_NE(error.find("expected screen 'home', showing 'search'"), std::string::npos) << error;
  EXPECT_TRUE(std::filesystem::exists(shot));
}

}  // namespace
}  // namespace signpost::kiosk
