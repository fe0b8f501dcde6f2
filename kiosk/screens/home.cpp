// Home: the three routes after 16 (further education & T Levels,
// apprenticeships, higher education) and the other ways in (careers, open
// days, subjects, search, help). The routes are drawn by the same code at the
// same size, in a fixed order that does not favour any of them, with their
// route colour as the only difference, and each keeps its explanation (in
// the words students use: "A levels", "sixth form", "university") at every
// size. The layout (home_layout.h) is chosen per frame: every tile on screen
// without scrolling where it fits, no word ever split across lines.
#include <algorithm>
#include <string>

#include "kiosk/i18n.h"
#include "kiosk/screens/home_layout.h"
#include "kiosk/screens/screens.h"
#include "kiosk/ui.h"

namespace signpost::kiosk {

using namespace screens;
namespace cat = signpost::catalogue;

namespace {

class HomeScreen : public View {
 public:
  void Draw(App& app) override;
  const char* Title() const override { return tr("What could you do next?"); }
};

constexpr std::uint8_t Bit(cat::Route r) {
  return static_cast<std::uint8_t>(1u << static_cast<int>(r));
}

void Open(App& app, int tile) {
  switch (tile) {
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
    default:
      break;
  }
}

}  // namespace

void HomeScreen::Draw(App& app) {
  const Theme& t = app.theme();
  const Palette& p = t.p();
  const std::string help_line = LocalHelpLine(app);  // the school's adviser drop-in, if any
  const HomeTile tiles[kHomeTiles] = {
      {"fe", "FE", tr("Further education & T\xC2\xA0Levels"),
       tr("A levels, T\xC2\xA0Levels, college courses and sixth form"), p.route[0]},
      {"ap", "AP", tr("Apprenticeships"),
       tr("A real job with training and a wage, up to degree level"), p.route[3]},
      {"he", "HE", tr("Higher education"),
       tr("University degrees, foundation years, HNCs and HNDs"), p.route[2]},
      {"careers", "\xC2\xA3", tr("Careers"), tr("Jobs, pay and how to get in"), p.careers},
      {"events", "\xE2\x9A\x91", tr("Open days & events"), tr("Visit colleges, unis and employers"),
       p.events},
      {"subjects", "\xE2\x99\xA5", tr("Subjects I like"), tr("What could they lead to?"),
       p.subjects},
      {"search", "Aa", tr("Search everything"), tr("Type what you are looking for"), p.primary},
      {"help", "?", tr("Help"),
       help_line.empty() ? tr("Talk to an adviser, or call for free") : help_line.c_str(), p.help},
  };
  app.Say(tr("What could you do next? Choose one."));
  for (const HomeTile& d : tiles) app.Say(std::string(d.title) + ". " + d.subtitle);

  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const char* heading = tr("What could you do next?");
  HomeLayout layout = ChooseHomeLayout(t, tiles, avail, heading);
  if (layout.scrolls) ui::BeginScroll("##home", avail);
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  if (layout.heading_h > 0)
    ui::DrawText(dl, layout.heading_font, origin + ImVec2(t.px(4), 0), p.text, heading,
                 avail.x - t.px(8));
  int open = -1;
  for (const PlacedTile& pl : layout.tiles) {
    ImGui::SetCursorScreenPos(origin + pl.rect.Min);
    if (DrawHomeTile(t, tiles[pl.tile], pl, dl)) open = pl.tile;
  }
  // The scroll area's (or the screen's) extent: the lowest tile.
  ImGui::SetCursorScreenPos(origin + ImVec2(0, layout.height));
  ImGui::Dummy(ImVec2(1, 0));
  if (layout.scrolls) ui::EndScroll();
  if (open >= 0) Open(app, open);
}

std::unique_ptr<View> MakeHomeScreen() { return std::make_unique<HomeScreen>(); }

}  // namespace signpost::kiosk
