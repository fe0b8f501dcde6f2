// Home: equal tiles for every route and the other ways in. The three routes
// after 16 (further education & T Levels, apprenticeships, higher education)
// are drawn by the same code at the same size, in a fixed order that does
// not favour any of them, with their route colour as the only difference.
#include <algorithm>

#include "kiosk/i18n.h"
#include "kiosk/screens/screens.h"
#include "kiosk/ui.h"

namespace signpost::kiosk {

using namespace screens;

namespace {

class HomeScreen : public View {
 public:
  void Draw(App& app) override;
  const char* Title() const override { return tr("What could you do next?"); }
};

}  // namespace

namespace cat = signpost::catalogue;

namespace {
constexpr std::uint8_t Bit(cat::Route r) {
  return static_cast<std::uint8_t>(1u << static_cast<int>(r));
}
}  // namespace

void HomeScreen::Draw(App& app) {
  const Theme& t = app.theme();
  const Palette& p = t.p();
  ImVec2 avail = ImGui::GetContentRegionAvail();
  // Landscape: two columns of four; portrait: one column of eight. Every
  // tile is the same size, with the disc beside the words.
  bool portrait = avail.y > avail.x;
  int cols = portrait ? 1 : 2;
  int rows = 8 / cols;
  float gap = t.gap();
  ImVec2 tile((avail.x - gap * (cols - 1)) / cols, (avail.y - gap * (rows - 1)) / rows);
  tile.y = std::max(tile.y, t.touch() * 1.5f);

  struct TileDef {
    const char* id;
    const char* glyph;
    const char* title;
    const char* subtitle;
    ImU32 accent;
  };
  const std::string help_line = LocalHelpLine(app);  // the school's adviser drop-in, if any
  const TileDef tiles[8] = {
      {"fe", "FE", tr("Further education & T\xC2\xA0Levels"),
       tr("College courses, T Levels and sixth form"), p.route[0]},
      {"ap", "AP", tr("Apprenticeships"), tr("A real job with training, and a wage"), p.route[3]},
      {"he", "HE", tr("Higher education"), tr("University and degree-level courses"), p.route[2]},
      {"careers", "\xC2\xA3", tr("Careers"), tr("Jobs, pay and how to get in"), p.careers},
      {"events", "\xE2\x9A\x91", tr("Open days & events"), tr("Visit colleges, unis and employers"),
       p.events},
      {"subjects", "\xE2\x99\xA5", tr("What can I do with the subjects I like?"), "", p.subjects},
      {"search", "Aa", tr("Search everything"), tr("Type what you are looking for"), p.primary},
      {"help", "?", tr("Help"),
       help_line.empty() ? tr("Talk to an adviser, or call for free") : help_line.c_str(), p.help},
  };
  // Large text or a long translation: tiles grow to fit their words (all by
  // the same amount) and the grid scrolls.
  auto needed_height = [&](float tile_w) {
    float inner_w = tile_w - t.px(10 + 14 + 14 + 14) - std::min(t.px(44), tile.y - t.px(20));
    float needed = 0;
    for (const auto& d : tiles)
      needed = std::max(
          needed, t.heading()->CalcTextSizeA(t.heading()->FontSize, FLT_MAX, inner_w, d.title).y);
    return needed + t.px(18);
  };
  float needed = needed_height(tile.x);
  bool scroll = tile.y < needed;
  if (scroll) {
    // The scrollbar takes its own strip: tiles narrow so none slides under it.
    tile.x = (avail.x - ImGui::GetStyle().ScrollbarSize - t.px(6) - gap * (cols - 1)) / cols;
    tile.y = std::max(needed, needed_height(tile.x));
    ui::BeginScroll("##home", avail);
  }
  // Equal prominence: the three routes show their descriptions only when
  // all three have room (a long title must not cost one route its words).
  bool route_subtitles = true;
  for (int i = 0; i < 3; ++i)
    route_subtitles =
        route_subtitles && ui::TileShowsSubtitle(t, tiles[i].title, tiles[i].subtitle, tile);
  app.Say(tr("What could you do next? Choose one."));
  for (int i = 0; i < 8; ++i) {
    if (i % cols) ImGui::SameLine(0, gap);
    const TileDef& d = tiles[i];
    app.Say(d.title);
    const char* subtitle = i < 3 && !route_subtitles ? "" : d.subtitle;
    if (!ui::Tile(t, d.id, d.glyph, d.title, subtitle, d.accent, tile)) continue;
    switch (i) {
      case 0:
        app.OpenSearch(Bit(cat::Route::kFurtherEducation) | Bit(cat::Route::kTLevel));
        break;
      case 1:
        app.OpenSearch(Bit(cat::Route::kApprenticeship));
        break;
      case 2:
        app.OpenSearch(Bit(cat::Route::kHigherEducation));
        break;
      case 3:
        app.Go(Screen::kCareers);
        break;
      case 4:
        app.Go(Screen::kEvents);
        break;
      case 5:
        app.Go(Screen::kSubjects);
        break;
      case 6:
        app.OpenSearch(0);
        app.session().search.keyboard_open = true;
        break;
      case 7:
        app.Go(Screen::kHelp);
        break;
    }
  }
  if (scroll) ui::EndScroll();
}

std::unique_ptr<View> MakeHomeScreen() { return std::make_unique<HomeScreen>(); }

}  // namespace signpost::kiosk
