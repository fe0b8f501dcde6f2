// Theme: the kiosk's look in ONE place. Colours (a calm light theme in the
// spirit of GOV.UK/NHS apps, and a high-contrast black/white/yellow theme),
// touch-sized ImGui style metrics, and the fonts baked into the atlas.
//
// Everything scales with the screen: scale() is 1.0 at 800x480 (the official
// 7" display) and grows for bigger panels, so touch targets stay >= 48 px at
// 800x480 and the layout looks the same at 1920x1080. Dear ImGui 1.86 has no
// dynamic font sizes, so the three text sizes are baked into the atlas for
// the current font family (DejaVu Sans, or OpenDyslexic for the dyslexia
// option); changing family or screen size rebuilds the atlas between frames.
// Thread safety: UI thread only.
#pragma once

#include <imgui.h>

#include "kiosk/app_state.h"
#include "signpost/model.h"

namespace signpost::kiosk {

struct Palette {
  ImU32 bg;            // screen background
  ImU32 surface;       // cards, tiles
  ImU32 surface_down;  // a card while pressed
  ImU32 text;          // body text
  ImU32 muted;         // secondary text (still >= 4.5:1 on surface)
  ImU32 border;        // card outlines
  ImU32 primary;       // primary buttons, links, selected chips
  ImU32 on_primary;    // text on primary
  ImU32 focus;         // focus/selection highlight (GOV.UK yellow)
  ImU32 bar;           // top and accessibility bars
  ImU32 on_bar;        // text on the bars
  ImU32 badge;         // "Sample data" badge
  ImU32 on_badge;
  ImU32 warning;                                     // calm warnings ("updates paused")
  ImU32 route[catalogue::kRouteCount];               // one accent per route, used everywhere
  ImU32 careers, events, subjects, help, shortlist;  // the other home tiles
};

enum class FontRole { kBody = 0, kHeading = 1 };

class Theme {
 public:
  // Recomputes scale, palette and style for a screen size and settings.
  // Returns true when the font atlas must be rebuilt (call RebuildFonts()).
  bool Apply(int width, int height, const Settings& settings);
  // Bakes the fonts for the current family and scale. Call outside a frame;
  // the renderer backend's font texture must be recreated afterwards.
  bool RebuildFonts();

  float scale() const { return scale_; }
  float px(float base) const { return base * scale_; }  // base px at 800x480 -> px
  float touch() const { return px(52); }                // minimum touch target edge
  float gap() const { return px(12); }                  // spacing between cards
  float radius() const { return px(10); }
  const Palette& p() const { return palette_; }
  bool high_contrast() const { return high_contrast_; }
  int text_size() const { return text_size_; }

  ImFont* body() const { return Font(FontRole::kBody, text_size_); }
  ImFont* heading() const { return Font(FontRole::kHeading, text_size_); }
  ImFont* title() const { return Font(FontRole::kHeading, text_size_ + 1); }
  ImFont* small() const { return Font(FontRole::kBody, text_size_ > 0 ? text_size_ - 1 : 0); }
  // Fixed-size fonts for chrome that must not grow with the text size setting
  // (the top and accessibility bars: they must always fit).
  ImFont* chrome() const { return Font(FontRole::kBody, 0); }
  ImFont* chrome_bold() const { return Font(FontRole::kHeading, 0); }
  // What a student reads to choose grows with the text size: chips and their
  // counts, "Filters", the result count, shortlist buttons, the keyboard.
  ImFont* control() const { return Font(FontRole::kBody, text_size_); }
  ImFont* control_bold() const { return Font(FontRole::kHeading, text_size_); }
  // A touch target tall enough for a line of `f` (never under touch()).
  float ControlHeight(const ImFont* f) const {
    return f->FontSize + px(22) > touch() ? f->FontSize + px(22) : touch();
  }
  ImFont* Font(FontRole role, int size) const;

  ImU32 RouteColour(catalogue::Route r) const { return palette_.route[static_cast<int>(r)]; }
  // An open-day host's header colour (0xRRGGBB, contrast already checked)
  // for the bars; ignored by the high-contrast theme. Takes effect at Apply().
  void SetBrandBar(bool on, unsigned rgb) {
    brand_bar_ = on;
    brand_bar_rgb_ = rgb;
  }

 private:
  void ApplyStyle();
  float scale_ = 1;
  float font_scale_baked_ = 0;  // scale the atlas was baked at (0 = never)
  bool dyslexia_baked_ = false;
  bool dyslexia_ = false;
  bool high_contrast_ = false;
  bool brand_bar_ = false;  // [kiosk.branding] accent_colour given
  unsigned brand_bar_rgb_ = 0;
  int text_size_ = 0;
  Palette palette_{};
  ImFont* fonts_[2][4] = {};  // [role][size step 0..3]
};

// Colour helpers.
ImU32 WithAlpha(ImU32 c, float alpha);
ImVec4 ToVec4(ImU32 c);

}  // namespace signpost::kiosk
