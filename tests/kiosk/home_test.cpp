// Home, the attract loop and Help as a visitor meets them (issue 15): every
// Home tile on screen and every route with its explanation at every panel
// size and text size, no word split across lines, portrait layouts that use
// a totem's height, the attract loop's story and "Coming up" slides, and the
// default look back after a session that ended in high contrast. Read from
// the frame record (what was drawn, where) and from the rendered pixels.
#include <stb_image.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "kiosk/app.h"
#include "kiosk/layout_audit.h"
#include "kiosk/screens/attract.h"
#include "kiosk/script.h"
#include "kiosk/ui.h"
#include "kiosk_test_util.h"

namespace signpost::kiosk {
namespace {

using testing::HeadlessOptions;
using testing::MakeKiosk;
using testing::TempDir;

struct Route {
  const char* title;
  const char* explanation;
};
constexpr Route kRoutes[] = {
    {"Further education & T Levels", "A levels, T Levels, college courses and sixth form"},
    {"Apprenticeships", "A real job with training and a wage, up to degree level"},
    {"Higher education", "University degrees, foundation years, HNCs and HNDs"},
};
constexpr const char* kOthers[] = {"Careers", "Open days & events", "Subjects I like",
                                   "Search everything", "Help"};

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// The one tappable whose label (the texts drawn on it) starts with `title`.
std::optional<ui::Tappable> TileNamed(const std::string& title) {
  std::optional<ui::Tappable> found;
  int n = 0;
  for (const ui::Tappable& t : ui::LastFrame().tappables())
    if (StartsWith(ui::NormaliseText(t.label), title)) {
      found = t;
      ++n;
    }
  if (n > 1) {
    std::string all;
    for (const ui::Tappable& t : ui::LastFrame().tappables()) all += "[" + t.label + "] ";
    ADD_FAILURE() << n << " tiles start with \"" << title << "\"; tappables: " << all;
  }
  return n == 1 ? found : std::nullopt;
}

bool Inside(const ImRect& inner, const ImRect& outer) {
  return inner.Min.x >= outer.Min.x - 0.5f && inner.Min.y >= outer.Min.y - 0.5f &&
         inner.Max.x <= outer.Max.x + 0.5f && inner.Max.y <= outer.Max.y + 0.5f;
}

// The width of the widest word of `text` (split at plain spaces: a no-break
// space joins "T Levels") in the regular or bold font of that size.
float WidestWord(const Theme& theme, const std::string& text, float font_size, bool bold) {
  const ImFont* font = nullptr;
  for (int size = 0; size < 4 && !font; ++size) {
    const ImFont* f = theme.Font(bold ? FontRole::kHeading : FontRole::kBody, size);
    if (std::fabs(f->FontSize - font_size) < 0.01f) font = f;
  }
  if (!font) return -1;
  float widest = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size() && text[i] != ' ') continue;
    if (i > start)
      widest = std::max(
          widest,
          font->CalcTextSizeA(font->FontSize, FLT_MAX, 0, text.data() + start, text.data() + i).x);
    start = i + 1;
  }
  return widest;
}

struct Case {
  int w, h, text_size;
};

class HomeTilesTest : public ::testing::TestWithParam<Case> {};

TEST_P(HomeTilesTest, EveryRouteKeepsItsExplanationAndNoWordIsSplit) {
  const Case c = GetParam();
  RunOptions o = HeadlessOptions(c.w, c.h);
  o.config.defaults.text_size = c.text_size;
  auto k = MakeKiosk(o);
  ASSERT_TRUE(k);
  k->GoToScreen(Screen::kHome);
  const std::string where =
      std::to_string(c.w) + "x" + std::to_string(c.h) + " text " + std::to_string(c.text_size);
  const ImRect display(0, 0, static_cast<float>(c.w), static_cast<float>(c.h));
  const bool landscape = c.w > c.h;
  const Theme& theme = k->app().theme();
  // Landscape at normal text: all eight on the first screen, none under
  // another or under the accessibility bar: no scrolling needed.
  if (landscape && c.text_size == 0) {
    const ImRect content(0, 0, c.w, c.h - theme.touch() - theme.px(12));
    std::vector<ImRect> tiles;
    for (const Route& r : kRoutes)
      if (auto tile = TileNamed(r.title)) tiles.push_back(tile->rect);
    for (const char* title : kOthers)
      if (auto tile = TileNamed(title)) tiles.push_back(tile->rect);
    ASSERT_EQ(tiles.size(), 8u) << "tiles on the first screen at " << where;
    for (std::size_t i = 0; i < tiles.size(); ++i) {
      EXPECT_TRUE(Inside(tiles[i], content)) << "tile " << i << " at " << where;
      for (std::size_t j = 0; j < i; ++j) EXPECT_FALSE(tiles[i].Overlaps(tiles[j])) << where;
    }
  }
  // Page by page (where the page scrolls, a finger drags it up): every tile
  // is met, each route with its explanation whole on it, and no word is
  // split across lines: a wrapped text is at least as wide as its widest
  // word (titles are bold).
  std::set<std::string> met, explained;
  int checked = 0;
  for (int page = 0; page < 10 && (met.size() < 8 || explained.size() < 3); ++page) {
    if (page > 0) k->Drag(c.w * 0.5f, c.h * 0.6f, c.w * 0.5f, c.h * 0.3f, 400);
    std::vector<ui::Tappable> tiles;
    for (const Route& r : kRoutes)
      if (auto tile = TileNamed(r.title)) {
        tiles.push_back(*tile);
        met.insert(r.title);
        for (const ui::DrawnText& t : ui::LastFrame().texts())
          if (ui::NormaliseText(t.text) == r.explanation && Inside(t.rect, tile->rect) &&
              Inside(t.rect, t.clip) && !t.ellipsised)
            explained.insert(r.title);
      }
    for (const char* title : kOthers)
      if (auto tile = TileNamed(title)) {
        tiles.push_back(*tile);
        met.insert(title);
      }
    for (const ui::DrawnText& t : ui::LastFrame().texts()) {
      bool on_tile = false;
      for (const ui::Tappable& tile : tiles)
        on_tile = on_tile || (Inside(t.rect, tile.rect) && t.clip.Min.y == tile.clip.Min.y &&
                              t.clip.Max.y == tile.clip.Max.y);
      if (!on_tile) continue;
      bool title = false;
      for (const Route& r : kRoutes) title = title || ui::NormaliseText(t.full) == r.title;
      for (const char* other : kOthers) title = title || t.full == other;
      const float widest = WidestWord(theme, t.full, t.font_size, title);
      ASSERT_GE(widest, 0) << "no font of size " << t.font_size << " for " << t.full;
      EXPECT_LE(widest, t.rect.GetWidth() + 1.0f)
          << "\"" << t.full << "\" splits a word at " << where;
      ++checked;
    }
  }
  EXPECT_EQ(met.size(), 8u) << "tiles met at " << where;
  for (const Route& r : kRoutes)
    EXPECT_TRUE(explained.count(r.title)) << r.title << " without its explanation at " << where;
  EXPECT_GE(checked, 11) << "titles and explanations checked at " << where;
}

std::vector<Case> AllCases() {
  std::vector<Case> cases;
  for (auto [w, h] : {std::pair{800, 480}, {1024, 600}, {1280, 800}, {1080, 1920}})
    for (int text = 0; text < 3; ++text) cases.push_back({w, h, text});
  return cases;
}

INSTANTIATE_TEST_SUITE_P(Sizes, HomeTilesTest, ::testing::ValuesIn(AllCases()),
                         [](const ::testing::TestParamInfo<Case>& p) {
                           return std::to_string(p.param.w) + "x" + std::to_string(p.param.h) +
                                  "_text" + std::to_string(p.param.text_size);
                         });

TEST(HomeTilesTest, InWelshEveryTileIsStillOnTheFirstScreen) {
  for (auto [w, h] : {std::pair{800, 480}, {1024, 600}, {1280, 800}}) {
    RunOptions o = HeadlessOptions(w, h);
    o.config.defaults.language = "cy";
    auto k = MakeKiosk(o);
    ASSERT_TRUE(k);
    k->GoToScreen(Screen::kHome);
    const Theme& th = k->app().theme();
    const ImRect content(0, 0, w, h - th.touch() - th.px(12));
    int tiles = 0;
    for (const ui::Tappable& t : ui::LastFrame().tappables())
      if (t.from_texts && !t.label.empty()) {
        ++tiles;
        EXPECT_TRUE(Inside(t.rect, content)) << "'" << t.label << "' at " << w << "x" << h;
      }
    EXPECT_EQ(tiles, 8) << w << "x" << h;
    // The routes keep their explanations in Welsh too.
    bool explained = false;
    for (const ui::DrawnText& t : ui::LastFrame().texts())
      explained = explained || ui::NormaliseText(t.text).starts_with("Lefelau A, Lefelau T");
    EXPECT_TRUE(explained) << w << "x" << h;
  }
}

TEST(HomeTilesTest, ARouteTileOpensItsRouteWithOneTap) {
  auto k = MakeKiosk(HeadlessOptions());
  ASSERT_TRUE(k);
  k->GoToScreen(Screen::kHome);
  auto tile = TileNamed("Apprenticeships");
  ASSERT_TRUE(tile);
  const ImVec2 at = tile->TapPoint();
  k->Tap(at.x, at.y);
  EXPECT_EQ(k->app().screen(), Screen::kSearch);
  EXPECT_EQ(k->app().session().search.routes,
            1u << static_cast<int>(catalogue::Route::kApprenticeship));
}

TEST(HomePortraitTest, TheRoutesAreFullWidthTheBiggestTilesAndTheHeightIsUsed) {
  auto k = MakeKiosk(HeadlessOptions(1080, 1920));
  ASSERT_TRUE(k);
  k->GoToScreen(Screen::kHome);
  float route_min_h = 1e9f, other_max_h = 0, lowest = 0, route_bottom = 0;
  for (const Route& r : kRoutes) {
    auto tile = TileNamed(r.title);
    ASSERT_TRUE(tile);
    EXPECT_GE(tile->rect.GetWidth(), 1080 * 0.9f) << r.title;
    route_min_h = std::min(route_min_h, tile->rect.GetHeight());
    route_bottom = std::max(route_bottom, tile->rect.Max.y);
  }
  for (const char* title : kOthers) {
    auto tile = TileNamed(title);
    ASSERT_TRUE(tile);
    other_max_h = std::max(other_max_h, tile->rect.GetHeight());
    EXPECT_GE(tile->rect.Min.y, route_bottom) << title << " is above a route";
    lowest = std::max(lowest, tile->rect.Max.y);
  }
  EXPECT_GT(route_min_h, other_max_h);
  // The tiles fill most of the screen, not a landscape grid in a corner.
  EXPECT_GT(lowest, 1920 * 0.7f);
  // A heading in large type says what the screen is for.
  bool heading = false;
  for (const ui::DrawnText& t : ui::LastFrame().texts())
    heading = heading || (t.text == "What could you do next?" && t.font_size > 50);
  EXPECT_TRUE(heading);
}

TEST(HelpPortraitTest, ThePanelsStackInOneColumnInLargerType) {
  auto find = [](const char* text) -> std::optional<ui::DrawnText> {
    for (const ui::DrawnText& t : ui::LastFrame().texts())
      if (t.text == text) return t;
    return std::nullopt;
  };
  auto k = MakeKiosk(HeadlessOptions(1080, 1920));
  ASSERT_TRUE(k);
  k->GoToScreen(Screen::kHelp);
  auto adviser = find("Talk to your careers adviser");
  auto ncs = find("National Careers Service");
  ASSERT_TRUE(adviser && ncs);
  EXPECT_FLOAT_EQ(adviser->rect.Min.x, ncs->rect.Min.x);
  EXPECT_GT(ncs->rect.Min.y, adviser->rect.Max.y);
  // A step larger than the landscape heading at this panel's scale.
  EXPECT_GT(adviser->font_size, k->app().theme().heading()->FontSize);
  k.reset();  // one kiosk per process at a time
  auto landscape = MakeKiosk(HeadlessOptions(1280, 800));
  ASSERT_TRUE(landscape);
  landscape->GoToScreen(Screen::kHelp);
  auto l_adviser = find("Talk to your careers adviser");
  auto l_ncs = find("National Careers Service");
  ASSERT_TRUE(l_adviser && l_ncs);
  EXPECT_FLOAT_EQ(l_adviser->rect.Min.y, l_ncs->rect.Min.y) << "side by side in landscape";
}

// [SECTION] Attract loop -------------------------------------------------------------

// Waits through the attract loop until a slide drawing `kicker` shows (at
// most `slides` slides).
bool WaitForSlide(Kiosk& k, const char* kicker, int slides = 8) {
  const double slide = k.app().config().attract_slide_s;
  for (int i = 0; i < slides; ++i) {
    for (const ui::DrawnText& t : ui::LastFrame().texts())
      if (t.text == kicker) return true;
    k.Wait(slide * 1000);
  }
  return false;
}

TEST(AttractTest, ComingUpNamesEachPlaceOnce) {
  EXPECT_EQ(EventPlace("Open day", "Leeds City College", "Leeds City College, Park Lane, Leeds"),
            "Leeds City College, Park Lane, Leeds");
  EXPECT_EQ(EventPlace("Leeds City College open evening", "Leeds City College",
                       "Leeds City College, Park Lane, Leeds"),
            "Park Lane, Leeds");
  EXPECT_EQ(EventPlace("Taster day", "Notre Dame", "Notre Dame"), "Notre Dame");
  EXPECT_EQ(EventPlace("Taster day", "", "Town hall"), "Town hall");
  EXPECT_EQ(EventPlace("Careers fair at the Town hall", "", "Town hall"), "");

  auto k = MakeKiosk(HeadlessOptions());
  ASSERT_TRUE(k);
  k->GoToScreen(Screen::kAttract);
  ASSERT_TRUE(WaitForSlide(*k, "Coming up"));
  // The slide's words: no name appears twice ("— Provider, Provider, ...").
  std::string words;
  for (const ui::DrawnText& t : ui::LastFrame().texts()) words += t.full + ", ";
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (std::size_t i = 0; i + 1 < words.size(); ++i)
    if (words.compare(i, 2, ", ") == 0 || words.compare(i, 5, " \xE2\x80\x94 ") == 0) {
      if (i > start) parts.push_back(words.substr(start, i - start));
      start = i + (words[i] == ',' ? 2 : 5);
    }
  for (std::size_t i = 0; i < parts.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (parts[i].size() > 3) {
        EXPECT_NE(parts[i], parts[j]) << "repeated in: " << words;
      }
}

TEST(AttractTest, TheStorySlideKeepsItsWordsClearOfThePageDots) {
  for (auto [w, h] : {std::pair{800, 480}, {1024, 600}}) {
    auto k = MakeKiosk(HeadlessOptions(w, h));
    ASSERT_TRUE(k);
    k->GoToScreen(Screen::kAttract);
    ASSERT_TRUE(WaitForSlide(*k, "What I did after Year 11")) << w << "x" << h;
    // The page dots sit in the card's last 40 px (scaled): every text ends above them.
    const float dots_top = h - k->app().theme().px(90 + 14 + 40);
    for (const ui::DrawnText& t : ui::LastFrame().texts()) {
      if (t.text == "Touch the screen to start" || t.rect.Min.y < k->app().theme().px(60)) continue;
      EXPECT_LE(t.rect.Max.y, dots_top) << "\"" << t.text << "\" at " << w << "x" << h;
      EXPECT_TRUE(Inside(t.rect, t.clip)) << "\"" << t.text << "\" is cut off";
    }
  }
}

TEST(AttractTest, PortraitSlidesSitInTheUpperTwoThirds) {
  auto k = MakeKiosk(HeadlessOptions(1080, 1920));
  ASSERT_TRUE(k);
  k->GoToScreen(Screen::kAttract);
  const double slide = k->app().config().attract_slide_s;
  for (int i = 0; i < 6; ++i) {
    for (const ui::DrawnText& t : ui::LastFrame().texts()) {
      const float limit = t.text == "Touch the screen to start" ? 0.8f : 0.67f;
      EXPECT_LE(t.rect.Max.y, 1920 * limit) << "\"" << t.text << "\" on slide " << i;
    }
    k->Wait(slide * 1000);
  }
}

// WCAG contrast ratio of two sRGB colours.
double Luminance(const unsigned char* px) {
  double l[3];
  for (int i = 0; i < 3; ++i) {
    double c = px[i] / 255.0;
    l[i] = c <= 0.03928 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
  }
  return 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2];
}
double Contrast(const unsigned char* a, const unsigned char* b) {
  double la = Luminance(a), lb = Luminance(b);
  return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

// Checks an attract frame's pixels: the default background and white card,
// and a slide accent (the card's left band) readable on the card.
void ExpectDefaultAttractLook(Kiosk& k, const std::string& path, const std::string& when) {
  ASSERT_TRUE(k.Screenshot(path));
  int w = 0, h = 0, n = 0;
  unsigned char* px = stbi_load(path.c_str(), &w, &h, &n, 4);
  ASSERT_TRUE(px);
  auto at = [&](int x, int y) { return px + (static_cast<std::size_t>(y) * w + x) * 4; };
  const Theme& t = k.app().theme();
  const int mid = h / 2;
  const int pad = static_cast<int>(t.px(28));
  const unsigned char* bg = at(pad / 3, mid);
  const unsigned char* band = at(pad + static_cast<int>(t.px(5)), mid);
  const unsigned char* card = at(w - pad - static_cast<int>(t.px(8)), mid);
  EXPECT_EQ(bg[0], 0xf3) << when << ": background is not the default";
  EXPECT_EQ(bg[1], 0xf2) << when;
  EXPECT_EQ(card[0], 0xff) << when << ": card is not white";
  EXPECT_EQ(card[1], 0xff) << when;
  EXPECT_EQ(card[2], 0xff) << when;
  EXPECT_GE(Contrast(band, card), 3.0) << when << ": accent #" << std::hex << int(band[0])
                                       << int(band[1]) << int(band[2]) << " on the white card";
  stbi_image_free(px);
}

TEST(AttractTest, ASessionEndingInHighContrastLeavesTheLoopInTheDefaultLook) {
  RunOptions o = HeadlessOptions();
  o.config.idle_timeout_s = 30;
  o.config.still_there_s = 10;
  auto k = MakeKiosk(o);
  ASSERT_TRUE(k);
  TempDir dir;
  k->GoToScreen(Screen::kAttract);
  k->Tap(400, 240);  // a session starts
  ASSERT_EQ(k->app().screen(), Screen::kHome);
  k->app().session().settings.high_contrast = true;
  k->app().session().settings.text_size = 2;
  k->app().session().settings.dyslexia_font = true;
  k->Settle();
  ASSERT_TRUE(k->app().theme().high_contrast());
  // The student walks away: step frame by frame until the wipe, and look at
  // the very first attract frame.
  for (int i = 0; i < 600 && k->app().screen() != Screen::kAttract; ++i) k->Frame(0.1, true);
  ASSERT_EQ(k->app().screen(), Screen::kAttract);
  EXPECT_FALSE(k->app().theme().high_contrast());
  EXPECT_EQ(k->app().theme().text_size(), 0);
  ExpectDefaultAttractLook(*k, dir.File("first.png"), "the first attract frame");
  // Every slide of the loop, built after the wipe.
  k->Settle();
  const double slide = k->app().config().attract_slide_s;
  for (int i = 0; i < 6; ++i) {
    ExpectDefaultAttractLook(*k, dir.File("slide.png"), "slide " + std::to_string(i));
    k->Wait(slide * 1000);
  }
}

// [SECTION] Layout audit -------------------------------------------------------------

TEST(HomeLayoutAuditTest, HomeAndTheAttractLoopHaveNoFindingsAtAnySizeOrTextSize) {
  for (const char* scene : {"home", "attract"}) {
    LayoutAuditOptions options;
    options.base = HeadlessOptions();
    options.only_scene = scene;
    std::string error;
    auto findings = RunLayoutAudit(options, &error);
    EXPECT_TRUE(error.empty()) << error;
    for (const LayoutFinding& f : findings)
      ADD_FAILURE() << f.where << ": " << f.what << ": \"" << f.text << "\"";
  }
}

}  // namespace
}  // namespace signpost::kiosk
