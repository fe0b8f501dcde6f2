// Journeys from issue 15, written in words (tap-label, expect-text,
// expect-no-text): read aloud says what changed, counted captions take the
// language's plural forms, vacancies say when they close and can come
// closing soonest first; and the layout audit over every screen, size and
// text size finds nothing.
// GCC 12 reports a false "may be used uninitialized" inside <regex> under
// ASan's -O1 (and CI's warnings are errors).
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include <algorithm>
#include <cstdio>
#include <limits>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "kiosk/i18n.h"
#include "kiosk/layout_audit.h"
#include "kiosk/screens/screens.h"
#include "kiosk/screens/search.h"
#include "kiosk/script.h"
#include "kiosk/ui.h"
#include "kiosk_test_util.h"
#include "signpost/catalogue.h"

namespace signpost::kiosk {
namespace {

using testing::RunWords;

SearchView& Results(Kiosk& k) {
  return k.app().view_as<SearchScreen>(Screen::kSearch).results(k.app());
}

// [SECTION] Read aloud: what changed ------------------------------------------------------

TEST(ReadAloudJourneyTest, TypingSaysTheResultsOnlyOnceTheTypingPauses) {
  auto k = testing::MakeKiosk(testing::HeadlessOptions());
  ASSERT_TRUE(k);
  k->GoToScreen(Screen::kHome);
  k->app().session().settings.read_aloud = true;
  k->GoToScreen(Screen::kSearch);
  k->Settle();
  const std::string opened = k->app().last_spoken();  // the screen, read whole
  ASSERT_FALSE(opened.empty());
  k->app().session().search.keyboard_open = true;
  // Letter by letter, a key every 0.3 s (quicker than the pause): nothing
  // is said mid-word.
  for (const char* letter : {"n", "u", "r", "s", "i", "n", "g"}) {
    k->Type(letter);
    k->Wait(300);
    EXPECT_EQ(k->app().last_spoken(), opened) << "said mid-word after '" << letter << "'";
  }
  EXPECT_EQ(k->app().session().search.text, "nursing");
  k->Wait(1200);
  const std::string said = k->app().last_spoken();
  std::smatch m;
  ASSERT_TRUE(std::regex_match(
      said, m, std::regex("([0-9,]+) results? for \xE2\x80\x9Cnursing\xE2\x80\x9D")))
      << said;
  // The number said is the one on the screen.
  std::string error;
  EXPECT_TRUE(RunWords(*k, "expect-text " + m[1].str() + " result\n", &error)) << error;
  // Said once: waiting longer says nothing new.
  k->Wait(3000);
  EXPECT_EQ(k->app().last_spoken(), said);
}

TEST(ReadAloudJourneyTest, AFilterChangeSaysTheNewCountAndReadAloudOffSaysNothing) {
  auto k = testing::MakeKiosk(testing::HeadlessOptions());
  ASSERT_TRUE(k);
  k->GoToScreen(Screen::kSearch);
  k->app().session().search.text = "care";
  k->Settle();
  k->Wait(2000);
  EXPECT_EQ(k->app().last_spoken(), "") << "read aloud is off";

  k->app().session().settings.read_aloud = true;
  k->GoToScreen(Screen::kHome);
  k->GoToScreen(Screen::kSearch);
  k->app().session().search.text = "care";
  k->Settle();
  const std::string opened = k->app().last_spoken();
  k->app().session().search.routes = 1u << static_cast<int>(catalogue::Route::kApprenticeship);
  k->Wait(1500);
  const std::string said = k->app().last_spoken();
  EXPECT_NE(said, opened);
  EXPECT_TRUE(std::regex_match(said, std::regex("[0-9,]+ results? for \xE2\x80\x9C"
                                                "care\xE2\x80\x9D")))
      << said;
  EXPECT_EQ(said.substr(0, said.find(' ')), std::to_string(Results(*k).total));
}

TEST(ReadAloudJourneyTest, ChoosingASubjectSaysItsAnswer) {
  auto k = testing::MakeKiosk(testing::HeadlessOptions());
  ASSERT_TRUE(k);
  k->GoToScreen(Screen::kHome);
  k->app().session().settings.read_aloud = true;
  k->GoToScreen(Screen::kSubjects);
  k->Settle();
  std::string error;
  ASSERT_TRUE(RunWords(*k, "scroll-to Biology\ntap-label Biology\n", &error)) << error;
  k->Settle();
  const std::string said = k->app().last_spoken();
  EXPECT_EQ(said.rfind("If you like Biology, you could look at:", 0), 0u) << said;
  // It names what the screen now shows under the question.
  EXPECT_TRUE(
      RunWords(*k, "expect-text If you like Biology\nexpect-text Careers that use it\n", &error))
      << error;
  EXPECT_NE(said.find("Careers that use it: "), std::string::npos) << said;
}

// [SECTION] Plural forms -------------------------------------------------------------------

TEST(PluralJourneyTest, TheTakeAwayCaptionCountsItsCodesInEnglishAndWelsh) {
  auto k = testing::MakeKiosk(testing::HeadlessOptions());
  ASSERT_TRUE(k);
  k->GoToScreen(Screen::kSearch);
  auto& search = k->app().view_as<SearchScreen>(Screen::kSearch);
  search.RequestRows(k->app(), 0, 12);
  k->Settle();
  for (int i = 0; i < 12; ++i)
    if (const auto* row = search.results(k->app()).Row(i)) k->app().ToggleShortlist(*row);
  k->app().Go(Screen::kShortlist);
  k->Settle();
  std::smatch m;
  std::string caption;
  for (const auto& t : ui::LastFrame().texts())
    if (t.full.rfind("Take it away", 0) == 0) caption = t.full;
  ASSERT_TRUE(std::regex_match(caption, m,
                               std::regex("Take it away: scan all ([0-9]+) codes with your phone")))
      << caption;
  const int codes = std::stoi(m[1].str());
  ASSERT_GE(codes, 2);
  k->app().session().settings.language = "cy";
  k->Settle();
  // Welsh: 2 takes "god", 3 and 6 "chod", others "cod" (Plural-Forms in cy.po).
  const char* noun = codes == 2 ? "god" : (codes == 3 || codes == 6) ? "chod" : "cod";
  const std::string welsh = std::to_string(codes) + " " + noun + " \xC3\xA2'ch ff\xC3\xB4n";
  std::string error;
  EXPECT_TRUE(RunWords(*k, "expect-text Ewch ag ef gyda chi\n", &error)) << error;
  bool found = false;
  for (const auto& t : ui::LastFrame().texts())
    found = found || t.full.find(welsh) != std::string::npos;
  EXPECT_TRUE(found) << "no '" << welsh << "' on the Welsh shortlist";
  ASSERT_TRUE(SetLanguage("en"));
}

// [SECTION] Vacancies: closing dates -----------------------------------------------------

TEST(VacancyTagsTest, ClosingWordsOnAFixedClock) {
  ASSERT_TRUE(SetLanguage("en"));
  const Day today = DayFromCivil(2026, 12, 4);  // a Friday
  using screens::ClosesInText;
  using screens::ClosingSoon;
  EXPECT_EQ(ClosesInText(today - 1, today), "Closed");
  EXPECT_EQ(ClosesInText(today, today), "Closes today");
  EXPECT_EQ(ClosesInText(today + 1, today), "Closes tomorrow");
  EXPECT_EQ(ClosesInText(today + 3, today), "Closes in 3 days");
  EXPECT_EQ(ClosesInText(today + 31, today), "Closes in 31 days");
  EXPECT_EQ(ClosesInText(today + 40, today), "Apply by 13 Jan");
  EXPECT_FALSE(ClosingSoon(today - 1, today));
  EXPECT_TRUE(ClosingSoon(today, today));
  EXPECT_TRUE(ClosingSoon(today + 7, today));
  EXPECT_FALSE(ClosingSoon(today + 8, today));
  EXPECT_FALSE(ClosingSoon(std::nullopt, today));
  EXPECT_EQ(screens::ClosingText(today + 3, today),
            "Apply by Mon 7 Dec 2026  \xC2\xB7  Closes in 3 days");
  EXPECT_EQ(screens::ClosingText(today + 40, today), "Apply by Wed 13 Jan 2027");
  ASSERT_TRUE(SetLanguage("cy"));
  EXPECT_EQ(ClosesInText(today + 2, today), "Yn cau mewn 2 ddiwrnod");
  EXPECT_EQ(ClosesInText(today + 5, today), "Yn cau mewn 5 diwrnod");
  ASSERT_TRUE(SetLanguage("en"));
}

// The sample vacancies close a set number of days after the day the sample
// is loaded (today): the welder's in 3 days, the IT support technician's in 9.
TEST(VacancyTagsTest, AVacancyClosingThisWeekSaysSoOnItsRowAndItsPage) {
  for (auto [w, h] : {std::pair{800, 480}, std::pair{1080, 1920}}) {
    SCOPED_TRACE(std::to_string(w) + "x" + std::to_string(h));
    auto k = testing::MakeKiosk(testing::HeadlessOptions(w, h));
    ASSERT_TRUE(k);
    k->GoToScreen(Screen::kSearch);
    k->app().session().search.text = "welder";
    k->app().session().search.routes = 1u << static_cast<int>(catalogue::Route::kApprenticeship);
    k->Settle();
    std::string error;
    EXPECT_TRUE(RunWords(*k,
                         "expect-text Apprentice Welder Fabricator\nexpect-text Closing soon\n"
                         "expect-text Closes in 3 days\n"
                         "tap-label Apprentice Welder Fabricator\nexpect-screen detail\n"
                         "expect-text Closing soon\nscroll-to Closes in 3 days\n"
                         "expect-text Closes in 3 days\n",
                         &error))
        << error;
    k->GoToScreen(Screen::kSearch);
    k->app().session().search.text = "IT support";
    k->app().session().search.routes = 1u << static_cast<int>(catalogue::Route::kApprenticeship);
    k->Settle();
    EXPECT_TRUE(RunWords(*k,
                         "expect-text Apprentice IT Support Technician\n"
                         "expect-text Closes in 9 days\nexpect-no-text Closing soon\n",
                         &error))
        << error;
  }
}

TEST(VacancySortTest, ApprenticeshipsCanComeClosingSoonestFirst) {
  auto k = testing::MakeKiosk(testing::HeadlessOptions(1280, 800));
  ASSERT_TRUE(k);
  std::string error;
  k->GoToScreen(Screen::kSearch);
  ASSERT_TRUE(RunWords(*k,
                       "tap-label Filters\nexpect-no-text Closing soonest first\n"
                       "tap-label Show results\n",
                       &error))
      << error;
  // Only apprenticeships: the order is offered in Filters and shown as a chip.
  k->app().session().search.routes = 1u << static_cast<int>(catalogue::Route::kApprenticeship);
  k->Settle();
  const std::int64_t total = Results(*k).total;
  ASSERT_GT(total, 10);
  ASSERT_TRUE(RunWords(*k,
                       "tap-label Filters\ntap-label Closing soonest first\n"
                       "tap-label Show results\nexpect-text Closing soonest first\n"
                       "expect-text Apprentice Welder Fabricator\n",
                       &error))
      << error;
  SearchView& v = Results(*k);
  EXPECT_EQ(v.total, total) << "an order, not a filter";
  auto& screen = k->app().view_as<SearchScreen>(Screen::kSearch);
  screen.RequestRows(k->app(), 0, total);
  k->Settle();
  std::optional<Day> last;
  int dated = 0;
  for (std::int64_t i = 0; i < total; ++i) {
    const auto* row = v.Row(i);
    ASSERT_NE(row, nullptr) << i;
    if (!row->closing) {
      last = std::numeric_limits<Day>::max();  // undated ones come last
      continue;
    }
    ++dated;
    if (last) {
      EXPECT_LE(*last, *row->closing) << "row " << i << " " << row->title;
    }
    last = row->closing;
  }
  EXPECT_GT(dated, 10);
  EXPECT_EQ(v.Row(0)->title, "Apprentice Welder Fabricator");
  // Another route as well: the usual order again, and no chip.
  k->app().session().search.routes |= 1u << static_cast<int>(catalogue::Route::kHigherEducation);
  k->Settle();
  EXPECT_TRUE(RunWords(*k, "expect-no-text Closing soonest first\n", &error)) << error;
}

// [SECTION] Layout audit -------------------------------------------------------------------

// Every scene (each screen in its usual states, each attract slide) at
// 800x480, 1024x600, 1280x800 and 1080x1920 with the three text sizes.
// Runs the layout audit over every scene and expects no findings.
void ExpectNoLayoutFindings(bool dyslexia_font, const std::string& how_to_see) {
  LayoutAuditOptions o;
  o.base = testing::HeadlessOptions();
  o.dyslexia_font = dyslexia_font;
  std::string error;
  std::vector<std::string> log;
  const auto found = RunLayoutAudit(o, &error, &log);
  ASSERT_EQ(error, "");
  EXPECT_GT(log.size(), 250u) << "every scene ran";
  std::string listed;
  for (const LayoutFinding& f : found) listed += f.where + ": " + f.what + ": '" + f.text + "'\n";
  EXPECT_EQ(listed, "") << "findings (" << how_to_see << ")";
}

TEST(LayoutAuditTest, EveryScreenAtEverySizeAndTextSizeHasNothingCutCoveredOrOverflowing) {
  ExpectNoLayoutFindings(false, "signpost-kiosk --layout-audit --screenshot DIR shows them");
}

// The same with the easy-read font (OpenDyslexic: taller and wider than the
// default at the same size), the setting a dyslexic student turns on.
TEST(LayoutAuditTest, WithTheEasyReadFontNothingIsCutCoveredOrOverflowingEither) {
  ExpectNoLayoutFindings(true, "signpost-kiosk --layout-audit --dyslexia-font");
}

}  // namespace
}  // namespace signpost::kiosk
