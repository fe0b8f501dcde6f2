// Home's layout candidates and tile drawing (see home_layout.h).
#include "kiosk/screens/home_layout.h"

#include <algorithm>
#include <cfloat>
#include <string_view>

#include "kiosk/ui.h"

namespace signpost::kiosk {

namespace {

// A tile's type: its fonts and disc.
struct TileType {
  ImFont* title;
  ImFont* sub;
  ImFont* glyph;
  float disc;
};

// The card (ui::Card) keeps 8 + 14 px on the left (band and margin) and 12
// on the right; the disc is followed by 14 px before the words.
float TextWidth(const Theme& t, const TileType& type, float width) {
  return width - type.disc - t.px(8 + 14 + 14 + 12);
}

// The widest word of `text` (a no-break space joins words, as in
// "T Levels"): a line narrower than it would split that word.
float WidestWord(const ImFont* font, std::string_view text) {
  float widest = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size() && text[i] != ' ' && text[i] != '\n') continue;
    if (i > start)
      widest = std::max(
          widest,
          font->CalcTextSizeA(font->FontSize, FLT_MAX, 0, text.data() + start, text.data() + i).x);
    start = i + 1;
  }
  return widest;
}

float TextHeight(const ImFont* font, const char* text, float wrap) {
  return font->CalcTextSizeA(font->FontSize, FLT_MAX, wrap, text).y;
}

// Whether every word of the tile's title (and explanation, when shown) fits
// a line at this width.
bool WordsFit(const Theme& t, const TileType& type, const HomeTile& tile, float width, bool sub) {
  const float w = TextWidth(t, type, width);
  if (WidestWord(type.title, tile.title) > w) return false;
  return !sub || !*tile.subtitle || WidestWord(type.sub, tile.subtitle) <= w;
}

// The height a tile needs at this width to show its title (and explanation).
float Needs(const Theme& t, const TileType& type, const HomeTile& tile, float width, bool sub) {
  const float w = TextWidth(t, type, width);
  float h = t.px(20) + TextHeight(type.title, tile.title, w);
  if (sub && *tile.subtitle) h += t.px(4) + TextHeight(type.sub, tile.subtitle, w);
  return std::max({h, t.touch(), type.disc + t.px(16)});
}

PlacedTile Place(int tile, ImVec2 min, ImVec2 size, const TileType& type, bool sub) {
  PlacedTile p;
  p.tile = tile;
  p.rect = ImRect(min, min + size);
  p.title_font = type.title;
  p.sub_font = type.sub;
  p.glyph_font = type.glyph;
  p.disc = type.disc;
  p.subtitle = sub;
  return p;
}

// Landscape: the routes down the left (`split` of the width), the other
// ways in down the right. `grow`: tiles as tall as their words (the page
// may scroll); otherwise they share the height and the layout fails when
// any tile's words do not fit it.
bool TwoColumns(const Theme& t, const HomeTile (&tiles)[kHomeTiles], ImVec2 avail, float split,
                const TileType& route, const TileType& other, bool grow, HomeLayout* out) {
  const float gap = t.gap();
  const float left = std::floor((avail.x - gap) * split);
  const float right = avail.x - gap - left;
  float route_h = 0, other_title_h = 0, other_sub_h = 0;
  for (int i = 0; i < 3; ++i) {
    if (!WordsFit(t, route, tiles[i], left, true)) return false;
    route_h = std::max(route_h, Needs(t, route, tiles[i], left, true));
  }
  bool other_words = true;  // the explanations' words fit too
  for (int i = 3; i < kHomeTiles; ++i) {
    if (!WordsFit(t, other, tiles[i], right, false)) return false;
    other_words = other_words && WordsFit(t, other, tiles[i], right, true);
    other_title_h = std::max(other_title_h, Needs(t, other, tiles[i], right, false));
    other_sub_h = std::max(other_sub_h, Needs(t, other, tiles[i], right, true));
  }
  const float share_route = (avail.y - 2 * gap) / 3, share_other = (avail.y - 4 * gap) / 5;
  bool other_sub;
  if (grow) {
    other_sub = other_words;
    route_h = std::max(route_h, share_route);
    other_title_h = std::max(other_sub ? other_sub_h : other_title_h, share_other);
  } else {
    if (route_h > share_route || other_title_h > share_other) return false;
    other_sub = other_words && other_sub_h <= share_other;
    route_h = share_route;
    other_title_h = share_other;
  }
  out->tiles.clear();
  for (int i = 0; i < 3; ++i)
    out->tiles.push_back(
        Place(i, ImVec2(0, i * (route_h + gap)), ImVec2(left, route_h), route, true));
  for (int i = 3; i < kHomeTiles; ++i)
    out->tiles.push_back(Place(i, ImVec2(left + gap, (i - 3) * (other_title_h + gap)),
                               ImVec2(right, other_title_h), other, other_sub));
  out->height = std::max(3 * route_h + 2 * gap, 5 * other_title_h + 4 * gap);
  out->name = grow ? "two-columns-scroll" : "two-columns";
  return true;
}

// The last resort: one full-width column, every tile as tall as the
// tallest's words (only a word wider than the whole screen could split).
void OneColumn(const Theme& t, const HomeTile (&tiles)[kHomeTiles], ImVec2 avail,
               const TileType& type, HomeLayout* out) {
  float h = 0;
  for (const HomeTile& d : tiles) h = std::max(h, Needs(t, type, d, avail.x, true));
  out->tiles.clear();
  for (int i = 0; i < kHomeTiles; ++i)
    out->tiles.push_back(Place(i, ImVec2(0, i * (h + t.gap())), ImVec2(avail.x, h), type, true));
  out->height = kHomeTiles * h + (kHomeTiles - 1) * t.gap();
  out->name = "one-column";
}

// Portrait: heading, three full-width routes in large type, then the other
// ways in two to a row (Help, the fifth, full width). Spare height goes to
// the tiles, the routes most; the rest stays below them.
bool Portrait(const Theme& t, const HomeTile (&tiles)[kHomeTiles], ImVec2 avail,
              const char* heading, HomeLayout* out) {
  const int ts = t.text_size();
  const float gap = t.gap() * 1.5f;
  const TileType route{t.Font(FontRole::kHeading, std::min(3, ts + 2)),
                       t.Font(FontRole::kBody, std::min(2, ts + 1)), t.Font(FontRole::kHeading, 2),
                       t.px(76)};
  const TileType other{t.Font(FontRole::kHeading, std::min(3, ts + 1)), t.Font(FontRole::kBody, ts),
                       t.Font(FontRole::kHeading, 1), t.px(56)};
  const float half = (avail.x - gap) / 2;
  float route_h = 0, other_h = 0, help_h = 0;
  for (int i = 0; i < 3; ++i) {
    if (!WordsFit(t, route, tiles[i], avail.x, true)) return false;
    route_h = std::max(route_h, Needs(t, route, tiles[i], avail.x, true));
  }
  for (int i = 3; i < kHomeTiles - 1; ++i) {
    if (!WordsFit(t, other, tiles[i], half, true)) return false;
    other_h = std::max(other_h, Needs(t, other, tiles[i], half, true));
  }
  if (!WordsFit(t, other, tiles[7], avail.x, true)) return false;
  help_h = std::max(other_h, Needs(t, other, tiles[7], avail.x, true));
  out->heading_font = t.Font(FontRole::kHeading, 3);
  out->heading_h = TextHeight(out->heading_font, heading, avail.x - t.px(8)) + gap;
  const float fixed = out->heading_h + 3 * route_h + 2 * other_h + help_h + 6 * gap;
  if (fixed < avail.y) {
    // Routes grow up to 1.6x, the others up to 1.3x; a third of what is
    // left after that stays empty at the bottom (where nobody looks).
    const float spare = avail.y - fixed;
    const float route_grow = std::min(spare * 0.6f / 3, route_h * 0.6f);
    const float other_grow = std::min(spare * 0.25f / 3, other_h * 0.3f);
    route_h += route_grow;
    other_h += other_grow;
    help_h += other_grow;
  }
  out->tiles.clear();
  float y = out->heading_h;
  for (int i = 0; i < 3; ++i, y += route_h + gap)
    out->tiles.push_back(Place(i, ImVec2(0, y), ImVec2(avail.x, route_h), route, true));
  for (int i = 3; i < kHomeTiles - 1; ++i) {
    const bool second = (i - 3) % 2 == 1;
    out->tiles.push_back(
        Place(i, ImVec2(second ? half + gap : 0, y), ImVec2(half, other_h), other, true));
    if (second) y += other_h + gap;
  }
  out->tiles.push_back(Place(7, ImVec2(0, y), ImVec2(avail.x, help_h), other, true));
  out->height = y + help_h;
  out->name = "portrait";
  return true;
}

}  // namespace

HomeLayout ChooseHomeLayout(const Theme& t, const HomeTile (&tiles)[kHomeTiles], ImVec2 avail,
                            const char* heading) {
  HomeLayout l;
  const TileType route{t.heading(), t.small(), t.chrome_bold(), t.px(44)};
  const TileType other{t.heading(), t.small(), t.chrome_bold(), t.px(36)};
  // A long translation (Welsh) at normal text: the other ways in in the
  // body type, so every tile still fits on one screen.
  const TileType other_plain{t.body(), t.small(), t.chrome_bold(), t.px(32)};
  const float scrollbar = ImGui::GetStyle().ScrollbarSize + t.px(6);
  const ImVec2 narrower(avail.x - scrollbar, avail.y);
  if (avail.y > avail.x) {
    if (Portrait(t, tiles, avail, heading, &l) && l.height <= avail.y) return l;
    l = HomeLayout{};
    if (Portrait(t, tiles, narrower, heading, &l)) {
      l.scrolls = true;
      return l;
    }
    l = HomeLayout{};
  } else {
    // Every tile on screen: the routes' column a little wider or narrower,
    // and at normal text the other ways in in body type if that is what it
    // takes (never at large text: it would undo the larger type).
    for (const TileType* other_type : {&other, &other_plain}) {
      if (other_type == &other_plain && t.text_size() > 0) break;
      for (float split : {0.56f, 0.6f, 0.52f, 0.48f})
        if (TwoColumns(t, tiles, avail, split, route, *other_type, false, &l)) return l;
    }
    if (TwoColumns(t, tiles, narrower, 0.56f, route, other, true, &l)) {
      l.scrolls = l.height > avail.y;
      if (!l.scrolls) TwoColumns(t, tiles, avail, 0.56f, route, other, true, &l);
      return l;
    }
  }
  OneColumn(t, tiles, narrower, route, &l);  // a column as wide as the screen
  l.scrolls = true;
  return l;
}

bool DrawHomeTile(const Theme& t, const HomeTile& tile, const PlacedTile& placed, ImDrawList* dl) {
  const Palette& p = t.p();
  const ImVec2 size = placed.rect.GetSize();
  const ImVec2 pos = ImGui::GetCursorScreenPos();
  ImVec2 min, max;
  const bool tapped = ui::Card(t, tile.id, size, tile.accent, &min, &max);
  const TileType type{placed.title_font, placed.sub_font, placed.glyph_font, placed.disc};
  const float w = TextWidth(t, type, size.x);
  const float title_h = TextHeight(type.title, tile.title, w);
  const bool sub = placed.subtitle && *tile.subtitle;
  const float sub_h = sub ? t.px(4) + TextHeight(type.sub, tile.subtitle, w) : 0;
  const ImVec2 c(min.x + placed.disc * 0.5f, pos.y + size.y * 0.5f);
  dl->AddCircleFilled(c, placed.disc * 0.5f, tile.accent, 48);
  ImFont* gf = placed.glyph_font;
  const ImVec2 gs = gf->CalcTextSizeA(gf->FontSize, FLT_MAX, 0, tile.glyph);
  dl->AddText(gf, gf->FontSize, c - gs * 0.5f, t.high_contrast() ? p.bg : IM_COL32_WHITE,
              tile.glyph);
  const float x = min.x + placed.disc + t.px(14);
  const float y = pos.y + std::max(t.px(10), (size.y - title_h - sub_h) * 0.5f);
  // Not clipped: the layout made room for every word. The card is the box
  // they must fit (the layout audit checks it).
  const ImRect box(pos, pos + size);
  ui::DrawText(dl, type.title, ImVec2(x, y), p.text, tile.title, w, nullptr, &box);
  if (sub)
    ui::DrawText(dl, type.sub, ImVec2(x, y + title_h + t.px(4)), p.muted, tile.subtitle, w, nullptr,
                 &box);
  return tapped;
}

}  // namespace signpost::kiosk
