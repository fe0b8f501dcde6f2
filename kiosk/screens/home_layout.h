// Home's tiles and how they are laid out (owned by the Home screen).
//
// The layout is chosen each frame from a few candidates, the first that
// works winning:
//   - landscape: the three routes down the left, large and equal, each with
//     its explanation; the other ways in down the right. Every tile on
//     screen without scrolling (the split and the other tiles' type are
//     varied until it fits);
//   - landscape with large text: the same two columns, tiles as tall as
//     their words, scrolling; one full-width column when a word would not
//     fit a column's width;
//   - portrait (a totem): a heading, the three routes full width in large
//     type, then the other ways in two to a row, the height shared out so
//     the routes are the biggest thing on the screen.
// A candidate is refused when any word would be split across lines or a
// route would lose its explanation, so neither ever happens.
// Thread safety: UI thread only.
#pragma once

#include <imgui.h>
#include <imgui_internal.h>

#include <vector>

#include "kiosk/theme.h"

namespace signpost::kiosk {

constexpr int kHomeTiles = 8;  // the three routes first, then the other ways in

struct HomeTile {
  const char* id;
  const char* glyph;     // on the coloured disc
  const char* title;     // translated
  const char* subtitle;  // what it holds, in the words students use
  ImU32 accent;
};

// One tile's place and type.
struct PlacedTile {
  int tile = 0;
  ImRect rect;  // relative to the layout's origin
  ImFont* title_font = nullptr;
  ImFont* sub_font = nullptr;
  ImFont* glyph_font = nullptr;
  float disc = 0;         // the glyph disc's diameter
  bool subtitle = false;  // the explanation is shown
};

struct HomeLayout {
  std::vector<PlacedTile> tiles;
  float height = 0;      // the content's height
  bool scrolls = false;  // taller than the screen: the page scrolls
  float heading_h = 0;   // portrait: the heading above the tiles (0 = none)
  ImFont* heading_font = nullptr;
  const char* name = "";  // "two-columns", "two-columns-scroll", "one-column", "portrait"
};

// The layout for `tiles` in `avail` (the content region).
HomeLayout ChooseHomeLayout(const Theme& t, const HomeTile (&tiles)[kHomeTiles], ImVec2 avail,
                            const char* heading);
// Draws one tile (a card with its band, disc, title and explanation) at the
// cursor; true when it was tapped.
bool DrawHomeTile(const Theme& t, const HomeTile& tile, const PlacedTile& placed, ImDrawList* dl);

}  // namespace signpost::kiosk
