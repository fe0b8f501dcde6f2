// Script language tests: parsing errors name the line; a script drives the
// kiosk from the attract loop to a search.
#include "kiosk/script.h"

#include "kiosk/i18n.h"
#include "kiosk/ui.h"
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
                  "tap-label Apprenticeships\nexpect-screen search\ntype plumb\n"
                  "expect-search-text plumb\nscreenshot " +
                      shot + "\nexpect-screen home\n",
                  &lines, &error));
  EXPECT_FALSE(RunScript(*k, lines, &error));  // the last line fails on purpose
  EXPECT_NE(error.find("expected screen 'home', showing 'search'"), std::string::npos) << error;
  EXPECT_TRUE(std::filesystem::exists(shot));
}

}  // namespace
}  // namespace signpost::kiosk

namespace signpost::kiosk {
namespace {

// [SECTION] Scripts in words: tap-label, expect-text, scroll-to ----------------------------

using testing::RunWords;

TEST(ScriptWordsTest, TapLabelTapsTheWidgetWithThoseWordsAtEverySize) {
  for (auto [w, h] : {std::pair{800, 480}, std::pair{1080, 1920}}) {
    auto k = testing::MakeKiosk(testing::HeadlessOptions(w, h));
    ASSERT_TRUE(k);
    std::string error;
    EXPECT_TRUE(RunWords(*k,
                         "tap-label Touch the screen\nexpect-screen home\n"
                         "tap-label apprenticeships\nexpect-screen search\n"
                         "expect-text results\ntap-label Back\nexpect-screen home\n",
                         &error))
        << w << "x" << h << ": " << error;
  }
}

TEST(ScriptWordsTest, TapLabelFailsWhenNoneOrSeveralWidgetsMatch) {
  auto k = testing::MakeKiosk(testing::HeadlessOptions());
  ASSERT_TRUE(k);
  k->GoToScreen(Screen::kHome);
  std::string error;
  EXPECT_FALSE(RunWords(*k, "tap-label Astronaut training\n", &error));
  EXPECT_NE(error.find("line 1 (tap-label): no visible widget labelled 'Astronaut training'"),
            std::string::npos)
      << error;
  EXPECT_NE(error.find("'Apprenticeships"), std::string::npos) << "lists what is there: " << error;
  EXPECT_EQ(k->app().screen(), Screen::kHome);
  // "A" starts the three text-size buttons (and "Apprenticeships"): ambiguous.
  EXPECT_FALSE(RunWords(*k, "tap-label A\n", &error));
  EXPECT_NE(error.find("visible widgets are labelled 'A'"), std::string::npos) << error;
  EXPECT_EQ(k->app().screen(), Screen::kHome);
}

TEST(ScriptWordsTest, ExpectTextChecksWhatTheFrameShows) {
  auto k = testing::MakeKiosk(testing::HeadlessOptions());
  ASSERT_TRUE(k);
  k->GoToScreen(Screen::kHome);
  std::string error;
  EXPECT_TRUE(
      RunWords(*k, "expect-text Further education\nexpect-no-text Biomedical scientist\n", &error))
      << error;
  EXPECT_FALSE(RunWords(*k, "expect-text Biomedical scientist\n", &error));
  EXPECT_NE(error.find("'Biomedical scientist' is not on the screen"), std::string::npos) << error;
  EXPECT_FALSE(RunWords(*k, "expect-no-text Apprenticeships\n", &error));
  EXPECT_NE(error.find("'Apprenticeships' is on the screen"), std::string::npos) << error;
}

TEST(ScriptWordsTest, EnglishWordsMatchTheirWelshTranslation) {
  auto k = testing::MakeKiosk(testing::HeadlessOptions());
  ASSERT_TRUE(k);
  k->GoToScreen(Screen::kHome);
  k->app().session().settings.language = "cy";
  k->Settle();
  std::string error;
  // The home tile reads "Prentisiaethau" in Welsh; the script says it in English.
  ASSERT_STRNE(tr("Apprenticeships"), "Apprenticeships") << "no Welsh catalogue built";
  EXPECT_TRUE(RunWords(*k, "expect-text Apprenticeships\ntap-label Apprenticeships\n", &error))
      << error;
  EXPECT_EQ(k->app().screen(), Screen::kSearch);
}

TEST(ScriptWordsTest, ScrollToBringsAWidgetBelowTheFoldIntoView) {
  auto k = testing::MakeKiosk(testing::HeadlessOptions());
  ASSERT_TRUE(k);
  k->GoToScreen(Screen::kCareers);
  std::string error;
  EXPECT_FALSE(RunWords(*k, "tap-label Welder\n", &error));
  EXPECT_NE(error.find("out of view"), std::string::npos) << error;
  EXPECT_TRUE(RunWords(*k, "scroll-to Welder\ntap-label Welder\nexpect-screen career\n", &error))
      << error;
  EXPECT_FALSE(RunWords(*k, "scroll-to Astronaut\n", &error));
  EXPECT_NE(error.find("nothing labelled 'Astronaut'"), std::string::npos) << error;
}

TEST(FrameRecordTest, RecordsEveryTextWithItsBoxAndEveryTappableWithItsLabel) {
  auto k = testing::MakeKiosk(testing::HeadlessOptions());
  ASSERT_TRUE(k);
  k->GoToScreen(Screen::kCareers);
  const ui::FrameRecord& f = ui::LastFrame();
  ASSERT_FALSE(f.texts().empty());
  ASSERT_FALSE(f.tappables().empty());
  for (const auto& t : f.texts()) {
    EXPECT_FALSE(t.text.empty());
    EXPECT_GT(t.font_size, 0);
    EXPECT_GT(t.rect.GetWidth(), 0) << t.text;
    EXPECT_GT(t.owner.GetWidth(), 0) << t.text;
  }
  bool card = false;
  for (const auto& t : f.tappables())
    if (t.from_texts && t.label.rfind("Accountant \xC2\xB7 ", 0) == 0) card = true;
  EXPECT_TRUE(card) << "a career card is labelled by the text on it";
}

TEST(FrameRecordTest, TextCutShortIsMarkedWithTheWholeText) {
  auto k = testing::MakeKiosk(testing::HeadlessOptions(480, 800));
  ASSERT_TRUE(k);
  k->GoToScreen(Screen::kSearch);
  const std::string typed = "mechanical engineering apprenticeship near leeds";
  k->Type(typed);
  const ui::DrawnText* box = nullptr;
  for (const auto& t : ui::LastFrame().texts())
    if (t.full == typed) box = &t;
  ASSERT_NE(box, nullptr) << "the search box's text is recorded";
  EXPECT_TRUE(box->ellipsised);
  EXPECT_LT(box->text.size(), typed.size() + 3);
  EXPECT_EQ(box->text.substr(box->text.size() - 3), "\xE2\x80\xA6");
  EXPECT_LE(box->rect.Max.x, box->owner.Max.x + 0.5f) << "cut to fit its box";
}

}  // namespace
}  // namespace signpost::kiosk
