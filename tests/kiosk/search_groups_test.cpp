// The grouped first screen of a typed search (issue 14, in the kiosk):
// journeys in words on the sample catalogue — "doctor" finds careers and a
// career opens its screen, "nurse" shows every matching route, "a levels"
// shows an A level, a misspelling says what it shows results for, "All N"
// narrows to that route or kind and the way back restores every route, a
// half-typed word never flashes the empty state, and the screen fits at
// 800x480 and 1080x1920 with the largest text.
#include <algorithm>
#include <string>
#include <vector>

#include "kiosk/i18n.h"
#include "kiosk/screens/screens.h"
#include "kiosk/screens/search.h"
#include "kiosk/script.h"
#include "kiosk/ui.h"
#include "kiosk_test_util.h"

namespace signpost::kiosk {
namespace {

namespace cat = signpost::catalogue;

using testing::RunWords;

SearchView& Results(Kiosk& k) {
  return k.app().view_as<SearchScreen>(Screen::kSearch).results(k.app());
}

std::unique_ptr<Kiosk> SearchFor(const std::string& text, int w = 800, int h = 480,
                                 int text_size = 0) {
  auto o = testing::HeadlessOptions(w, h);
  o.config.defaults.text_size = text_size;
  auto k = testing::MakeKiosk(o);
  if (!k) return k;
  k->GoToScreen(Screen::kSearch);
  k->Type(text);
  return k;
}

const ResultGroup* GroupOf(const SearchView& v, cat::ResultKind kind,
                           cat::Route route = cat::Route::kFurtherEducation) {
  for (const auto& g : v.groups)
    if (g.block.kind == kind && (kind != cat::ResultKind::kOpportunity || g.block.route == route))
      return &g;
  return nullptr;
}

// Whether text containing `words` is drawn in view (as expect-text sees it).
bool Shown(const std::string& words) {
  for (const auto& t : ui::LastFrame().texts())
    if (t.Visible() && ui::NormaliseText(t.text).find(words) != std::string::npos) return true;
  return false;
}

// Drags the results (slowly: little momentum) until `words` are drawn in
// view: down the list as a student reads it, then back up. (Not the script's
// scroll-to: its last nudge can be shorter than a drag, which is a tap.)
bool ScrollDownTo(Kiosk& k, const std::string& words) {
  for (float dir : {1.0f, -1.0f}) {
    for (int i = 0; i < 30 && !Shown(words); ++i) {
      // Start inside the results, below the search box and chips at every size.
      const float x = k.width() * 0.5f, y = k.height() * (dir > 0 ? 0.8f : 0.55f);
      k.Drag(x, y, x, y - dir * k.height() * 0.3f, 1000);
      k.Settle();
    }
  }
  return Shown(words);
}

// A visible result card whose label starts with `words`.
bool CardShown(const std::string& words) {
  for (const auto& t : ui::LastFrame().tappables())
    if (t.Visible() && t.from_texts && t.label.rfind(words, 0) == 0) return true;
  return false;
}

std::string Heading(const ResultGroup& g) {
  return std::string(GroupLabel(g.block)) + " (" + FormatCount(g.block.total) + ")";
}

TEST(SearchGroupsTest, DoctorShowsACareersGroupAndTappingACareerOpensItsScreen) {
  auto k = SearchFor("doctor");
  ASSERT_TRUE(k);
  const ResultGroup* careers = GroupOf(Results(*k), cat::ResultKind::kCareer);
  ASSERT_NE(careers, nullptr) << "the main search box finds job profiles";
  ASSERT_FALSE(careers->items.empty());
  const std::string career = careers->items.front().title;
  ASSERT_TRUE(ScrollDownTo(*k, career));
  std::string error;
  EXPECT_TRUE(RunWords(*k,
                       "expect-text " + Heading(*careers) + "\ntap-label " + career +
                           "\nexpect-screen career\nexpect-text " + career + "\n",
                       &error))
      << error;
}

TEST(SearchGroupsTest, NurseShowsEveryMatchingRouteOnTheFirstScreen) {
  auto k = SearchFor("nurse", 1080, 1920);
  ASSERT_TRUE(k);
  const SearchView& v = Results(*k);
  int routes = 0;
  for (cat::Route r : cat::kAllRoutes) {
    if (v.facets.route[static_cast<std::size_t>(r)] == 0) continue;
    ++routes;
    ASSERT_NE(GroupOf(v, cat::ResultKind::kOpportunity, r), nullptr)
        << screens::RouteName(r) << " matches but has no group";
  }
  EXPECT_GT(routes, 1) << "nurse matches more than one route";
  // "More results" starts after them: the first screen's rows are the list's
  // first rows, so none is shown twice.
  std::vector<std::int64_t> grouped, first;
  for (const ResultGroup& g : v.groups)
    for (const auto& r : g.rows) grouped.push_back(r.rowid);
  ASSERT_EQ(static_cast<std::int64_t>(grouped.size()), v.grouped_rows);
  for (std::int64_t i = 0; i < v.grouped_rows; ++i) {
    ASSERT_NE(v.Row(i), nullptr);
    first.push_back(v.Row(i)->rowid);
  }
  std::sort(grouped.begin(), grouped.end());
  std::sort(first.begin(), first.end());
  EXPECT_EQ(grouped, first);
  // Read top to bottom: each route's heading and its best row are drawn.
  for (const ResultGroup& g : v.groups) {
    if (g.block.kind != cat::ResultKind::kOpportunity) continue;
    ASSERT_FALSE(g.rows.empty());
    EXPECT_TRUE(ScrollDownTo(*k, Heading(g))) << Heading(g);
    const std::string title = g.rows.front().title.substr(0, 24);
    EXPECT_TRUE(ScrollDownTo(*k, title) && CardShown(title)) << title;
  }
}

TEST(SearchGroupsTest, ALevelsShowsAnALevelOnTheFirstScreen) {
  auto k = SearchFor("a levels");
  ASSERT_TRUE(k);
  bool shown = false;
  for (const auto& t : ui::LastFrame().tappables())
    if (t.Visible() && t.from_texts && t.label.rfind("A level ", 0) == 0) shown = true;
  EXPECT_TRUE(shown) << "an A level course card is on screen without scrolling";
}

TEST(SearchGroupsTest, AMisspellingSaysWhatItShowsResultsFor) {
  for (const char* typed : {"plumer", "fysics", "aprentis"}) {
    auto k = SearchFor(typed);
    ASSERT_TRUE(k);
    const SearchView& v = Results(*k);
    ASSERT_TRUE(v.corrected) << typed;
    std::string error;
    EXPECT_TRUE(RunWords(*k,
                         "expect-text Showing results for \xE2\x80\x9C" + v.did_you_mean +
                             "\xE2\x80\x9D\nexpect-no-text We couldn't find anything\n",
                         &error))
        << typed << ": " << error;
    EXPECT_FALSE(v.groups.empty()) << typed << ": the correction's groups are shown";
  }
}

TEST(SearchGroupsTest, AllOfARouteNarrowsToThatRouteAndTheWayBackShowsEveryRoute) {
  auto k = SearchFor("nurse", 1080, 1920);
  ASSERT_TRUE(k);
  const ResultGroup* g =
      GroupOf(Results(*k), cat::ResultKind::kOpportunity, cat::Route::kApprenticeship);
  ASSERT_NE(g, nullptr);
  ASSERT_GT(g->block.total, static_cast<std::int64_t>(g->rows.size()));
  const std::int64_t total = g->block.total;
  const std::string all = AllOfGroupLabel(g->block);
  std::string error;
  ASSERT_TRUE(ScrollDownTo(*k, all));
  ASSERT_TRUE(RunWords(*k, "tap-label " + all + "\n", &error)) << error;
  k->Settle();
  const SearchState& s = k->app().session().search;
  EXPECT_EQ(s.routes, 1u << static_cast<int>(cat::Route::kApprenticeship));
  const SearchView& v = Results(*k);
  EXPECT_EQ(v.total, total) << "every apprenticeship the group counted";
  int rows = 0;
  for (std::int64_t i = 0; i < std::min<std::int64_t>(v.total, SearchView::kPageRows); ++i) {
    ASSERT_NE(v.Row(i), nullptr);
    EXPECT_EQ(v.Row(i)->route, cat::Route::kApprenticeship) << v.Row(i)->title;
    ++rows;
  }
  EXPECT_EQ(rows, total);
  EXPECT_TRUE(RunWords(*k,
                       "expect-text " + std::to_string(total) +
                           " results\nexpect-no-text Careers (\n"
                           "tap-label Every route for\nexpect-text Careers (\n",
                       &error))
      << error;
  EXPECT_EQ(k->app().session().search.routes, 0);
}

TEST(SearchGroupsTest, AllCareersListsEveryMatchingCareerAndOpensOne) {
  auto k = SearchFor("nurse", 1080, 1920);
  ASSERT_TRUE(k);
  const ResultGroup* g = GroupOf(Results(*k), cat::ResultKind::kCareer);
  ASSERT_NE(g, nullptr);
  ASSERT_GT(g->block.total, static_cast<std::int64_t>(g->items.size()));
  const auto total = g->block.total;
  const std::string all = AllOfGroupLabel(g->block);
  std::string error;
  ASSERT_TRUE(RunWords(*k, "tap-label " + all + "\n", &error)) << error;
  k->Settle();
  // Every career the group counted is listed (cards labelled by their titles).
  EXPECT_TRUE(RunWords(*k, "expect-text Careers (" + std::to_string(total) + ")\n", &error))
      << error;
  EXPECT_TRUE(RunWords(*k, "expect-no-text More results\nexpect-no-text " + all + "\n", &error))
      << error;
  // More careers than the first screen showed, each one a card that opens it.
  std::vector<std::string> cards;
  for (const auto& t : ui::LastFrame().tappables())
    if (t.Visible() && t.from_texts) cards.push_back(t.label);
  EXPECT_GT(cards.size(), g->items.size());
  ASSERT_FALSE(cards.empty());
  const std::string last = cards.back().substr(0, cards.back().find(" \xC2\xB7 "));
  EXPECT_TRUE(RunWords(*k,
                       "tap-label " + last + "\nexpect-screen career\nexpect-text " + last +
                           "\ntap-label Back\nexpect-screen search\n",
                       &error))
      << error;
  // Back on the list of careers; and from it, back to every result.
  EXPECT_TRUE(RunWords(*k,
                       "tap-label Every result for\nexpect-text Careers (\n"
                       "expect-text " +
                           all + "\n",
                       &error))
      << error;
}

TEST(SearchGroupsTest, AStoryOpensInPlaceAndAnEventOpensItsOwnScreen) {
  auto k = SearchFor("a levels", 1080, 1920);
  ASSERT_TRUE(k);
  const SearchView& v = Results(*k);
  const ResultGroup* local = GroupOf(v, cat::ResultKind::kLocal);
  const ResultGroup* events = GroupOf(v, cat::ResultKind::kEvent);
  ASSERT_NE(local, nullptr);
  ASSERT_NE(events, nullptr);
  std::string story;
  for (const auto& it : local->items)
    if (it.subkind == cat::LocalKindKey(cat::LocalKind::kAlumniStory)) story = it.title;
  ASSERT_FALSE(story.empty()) << "the sample school has a story about A levels";
  std::string error;
  ASSERT_TRUE(ScrollDownTo(*k, story));
  EXPECT_TRUE(RunWords(*k,
                       "expect-no-text What it led to\ntap-label " + story +
                           "\nexpect-text What it led to\nexpect-screen search\n" + "tap-label " +
                           story + "\nexpect-no-text What it led to\n",
                       &error))
      << error;
  const std::string event = events->items.front().title;
  ASSERT_TRUE(ScrollDownTo(*k, event));
  // Its own screen (when, where, booking), not the list of every open day.
  EXPECT_TRUE(RunWords(*k,
                       "tap-label " + event + "\nexpect-screen event\nexpect-text " + event +
                           "\nexpect-text When\nexpect-text Where\nexpect-no-text Loading\n",
                       &error))
      << error;
  EXPECT_EQ(k->app().session().nav.back().id, events->items.front().rowid);
}

TEST(SearchGroupsTest, AHalfTypedWordKeepsThePreviousResultsUntilTheStudentIsDone) {
  auto k = testing::MakeKiosk(testing::HeadlessOptions(1080, 1920));
  ASSERT_TRUE(k);
  k->GoToScreen(Screen::kSearch);
  std::string error;
  ASSERT_TRUE(RunWords(*k, "tap-label Tap here to type\n", &error)) << error;
  ASSERT_TRUE(k->app().session().search.keyboard_open);
  k->Type("nurse");
  ASSERT_TRUE(RunWords(*k, "expect-text Careers (\n", &error)) << error;
  // Letters that match nothing yet (and correct to nothing): no flash of "nothing".
  k->Type("qqzzx");
  EXPECT_EQ(k->app().session().search.text, "nurseqqzzx");
  EXPECT_TRUE(RunWords(*k,
                       "expect-no-text We couldn't find anything\nexpect-text Careers (\n"
                       "expect-text keep typing\n",
                       &error))
      << error;
  // Done typing: now it says so, and helps.
  EXPECT_TRUE(RunWords(*k,
                       "tap-label Done\nexpect-text We couldn't find anything\n"
                       "expect-no-text Careers (\n",
                       &error))
      << error;
}

TEST(SearchGroupsTest, BrowsingWithNoTextKeepsTheOneBalancedList) {
  auto k = testing::MakeKiosk(testing::HeadlessOptions());
  ASSERT_TRUE(k);
  k->GoToScreen(Screen::kSearch);
  const SearchView& v = Results(*k);
  EXPECT_TRUE(v.groups.empty());
  std::string error;
  EXPECT_TRUE(RunWords(*k, "expect-no-text More results\nexpect-no-text Careers (\n", &error))
      << error;
  EXPECT_NE(v.Row(0), nullptr);
}

// Headings, the count line and "All N" buttons are never cut short, at the
// smallest and the tallest panel with the largest text (titles in rows may
// be: the whole title is one tap away).
TEST(SearchGroupsTest, GroupsFitAtEverySizeWithTheLargestText) {
  for (auto [w, h] : {std::pair{800, 480}, std::pair{1080, 1920}}) {
    auto k = SearchFor("nurse", w, h, 2);
    ASSERT_TRUE(k);
    const SearchView& v = Results(*k);
    ASSERT_FALSE(v.groups.empty());
    std::vector<std::string> ours = {GroupSummary(v.groups)};
    for (const auto& g : v.groups) {
      ours.push_back(Heading(g));
      ours.push_back(AllOfGroupLabel(g.block));
    }
    int checked = 0;
    for (const auto& t : ui::LastFrame().texts()) {
      if (!t.Visible() || std::find(ours.begin(), ours.end(), t.full) == ours.end()) continue;
      ++checked;
      EXPECT_FALSE(t.ellipsised) << w << "x" << h << ": '" << t.full << "' cut short";
      EXPECT_LE(t.rect.Max.x, t.clip.Max.x + 0.5f) << w << "x" << h << ": " << t.full;
    }
    EXPECT_GE(checked, 2) << w << "x" << h << ": the count line and a heading at least";
  }
}

// On a short panel (800x480) a typed search's first screen is for results:
// the route chips give way at every text size, since the count line above
// the groups names every route with its count (each one tappable). With the
// keyboard closed, two whole results show at the normal text size (one did
// with the chips there), one at the larger sizes.
TEST(SearchGroupsTest, AShortPanelShowsResultsNotChipsOnceTextIsTyped) {
  for (int size : {0, 1, 2}) {
    auto k = SearchFor("engineering", 800, 480, size);
    ASSERT_TRUE(k);
    std::string error;
    ASSERT_TRUE(RunWords(*k, "key return\n", &error)) << error;
    k->Settle();
    const SearchView& v = Results(*k);
    ASSERT_FALSE(v.groups.empty());
    for (cat::Route r :
         {cat::Route::kFurtherEducation, cat::Route::kHigherEducation, cat::Route::kApprenticeship})
      EXPECT_NE(GroupOf(v, cat::ResultKind::kOpportunity, r), nullptr)
          << "text size " << size << ": " << screens::RouteName(r);
    const std::string summary = GroupSummary(v.groups);
    bool summary_shown = false;
    for (const auto& t : ui::LastFrame().texts())
      if (t.Visible() && t.full == summary) summary_shown = true;
    EXPECT_TRUE(summary_shown) << "text size " << size << ": every route's count in view";
    // Result cards in view but for their bottom border.
    int whole = 0;
    for (const auto& t : ui::LastFrame().tappables()) {
      const float seen =
          std::min(t.rect.Max.y, t.clip.Max.y) - std::max(t.rect.Min.y, t.clip.Min.y);
      if (t.from_texts && seen >= 0.9f * t.rect.GetHeight()) ++whole;
    }
    EXPECT_GE(whole, size == 0 ? 2 : 1) << "text size " << size << ": whole results in view";
  }
}

}  // namespace
}  // namespace signpost::kiosk
