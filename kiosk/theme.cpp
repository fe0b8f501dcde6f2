#include "kiosk/theme.h"

#include <sys/stat.h>
#include <algorithm>
#include <cstdio>

namespace signpost::kiosk {
namespace {

constexpr ImU32 Rgb(unsigned hex) {
  return IM_COL32((hex >> 16) & 0xff, (hex >> 8) & 0xff, hex & 0xff, 0xff);
}

// Base text sizes at 800x480, per text-size step: normal, large, largest,
// and one step above largest for titles.
constexpr float kBodyPx[4] = {19, 23, 28, 34};
constexpr float kHeadingPx[4] = {23, 28, 34, 41};
constexpr float kDyslexiaLine = 0.8f;  // OpenDyslexic line height, as a share of its own

bool Exists(const char* path) {
  struct stat st;
  return stat(path, &st) == 0;
}

const char* FirstExisting(std::initializer_list<const char*> paths) {
  for (const char* p : paths)
    if (Exists(p)) return p;
  return nullptr;
}

// Latin (with Welsh circumflexes in Latin Extended-A), punctuation, £/€ and
// the few symbols the UI draws as text.
const ImWchar kTextRanges[] = {0x0020, 0x017F, 0x2013, 0x2014, 0x2018, 0x201D, 0x2022,
                               0x2022, 0x2026, 0x2026, 0x20AC, 0x20AC, 0};
// U+25A1 (white square) is the one neutral glyph drawn for any character the
// fonts lack (an emoji, another script), instead of "?" per byte or glyph.
constexpr ImWchar kMissingGlyph = 0x25A1;
const ImWchar kSymbolRanges[] = {0x2190, 0x2193, 0x2302, 0x2302, 0x232B, 0x232B, 0x25A1,
                                 0x25A1, 0x25B6, 0x25B6, 0x2605, 0x2606, 0x2665, 0x2665,
                                 0x2691, 0x2691, 0x2713, 0x2715, 0};

}  // namespace

ImU32 WithAlpha(ImU32 c, float alpha) {
  unsigned a = static_cast<unsigned>(((c >> IM_COL32_A_SHIFT) & 0xff) * alpha);
  return (c & ~IM_COL32_A_MASK) | (a << IM_COL32_A_SHIFT);
}

ImVec4 ToVec4(ImU32 c) { return ImGui::ColorConvertU32ToFloat4(c); }

bool Theme::Apply(int width, int height, const Settings& settings) {
  // 1.0 at 800x480; portrait 720x1280 keeps 1.0 (it is narrow); 1080p gets 2.0.
  float s = std::min(width / 800.0f, height / 480.0f);
  scale_ = std::clamp(s, 0.9f, 2.0f);
  if (width < 800 && height > width) scale_ = std::clamp(width / 720.0f, 0.9f, 2.0f);
  high_contrast_ = settings.high_contrast;
  dyslexia_ = settings.dyslexia_font;
  text_size_ = std::clamp(settings.text_size, 0, 2);

  Palette& p = palette_;
  if (!high_contrast_) {
    p.bg = Rgb(0xf3f2f1);
    p.surface = Rgb(0xffffff);
    p.surface_down = Rgb(0xdbe7f3);
    p.text = Rgb(0x0b0c0c);
    p.muted = Rgb(0x484f53);
    p.border = Rgb(0xb1b4b6);
    p.primary = Rgb(0x1d70b8);
    p.on_primary = Rgb(0xffffff);
    p.focus = Rgb(0xffdd00);
    p.bar = Rgb(0x0b0c0c);
    p.on_bar = Rgb(0xffffff);
    p.badge = Rgb(0xffdd00);
    p.on_badge = Rgb(0x0b0c0c);
    p.warning = Rgb(0x8a4b00);
    p.route[0] = Rgb(0x1d70b8);  // further education: blue
    p.route[1] = Rgb(0x4c2c92);  // T Levels: purple
    p.route[2] = Rgb(0x00703c);  // higher education: green
    p.route[3] = Rgb(0xb4237a);  // apprenticeships: magenta
    p.careers = Rgb(0x00706b);
    p.events = Rgb(0xc24e00);
    p.subjects = Rgb(0x6f5a00);
    p.help = Rgb(0x505a5f);
    p.shortlist = Rgb(0x0b0c0c);
  } else {
    p.bg = Rgb(0x000000);
    p.surface = Rgb(0x000000);
    p.surface_down = Rgb(0x333300);
    p.text = Rgb(0xffffff);
    p.muted = Rgb(0xffffff);
    p.border = Rgb(0xffffff);
    p.primary = Rgb(0xffdd00);
    p.on_primary = Rgb(0x000000);
    p.focus = Rgb(0xffdd00);
    p.bar = Rgb(0x000000);
    p.on_bar = Rgb(0xffffff);
    p.badge = Rgb(0xffdd00);
    p.on_badge = Rgb(0x000000);
    p.warning = Rgb(0xffdd00);
    p.route[0] = Rgb(0x7fc4ff);
    p.route[1] = Rgb(0xc9b3ff);
    p.route[2] = Rgb(0x6ee7a0);
    p.route[3] = Rgb(0xff9ad5);
    p.careers = Rgb(0x66e0d8);
    p.events = Rgb(0xffb36b);
    p.subjects = Rgb(0xffe066);
    p.help = Rgb(0xffffff);
    p.shortlist = Rgb(0xffffff);
  }
  if (brand_bar_ && !high_contrast_) p.bar = Rgb(brand_bar_rgb_);
  ApplyStyle();
  return font_scale_baked_ != scale_ || dyslexia_baked_ != dyslexia_;
}

void Theme::ApplyStyle() {
  // [SECTION] Touch metrics: the only place they are set.
  ImGuiStyle& st = ImGui::GetStyle();
  st = ImGuiStyle();
  st.WindowPadding = ImVec2(px(14), px(10));
  st.WindowRounding = 0;
  st.WindowBorderSize = 0;
  st.ChildRounding = 0;
  st.ChildBorderSize = 0;
  st.PopupRounding = radius();
  st.FramePadding = ImVec2(px(16), px(12));
  st.FrameRounding = radius();
  st.FrameBorderSize = high_contrast_ ? px(2) : 0;
  st.ItemSpacing = ImVec2(px(10), px(10));
  st.ItemInnerSpacing = ImVec2(px(8), px(8));
  st.TouchExtraPadding = ImVec2(px(4), px(4));
  st.ScrollbarSize = px(14);  // a position indicator; scrolling is by dragging
  st.ScrollbarRounding = px(7);
  st.GrabMinSize = px(48);
  st.GrabRounding = px(7);
  st.AntiAliasedLines = true;
  st.AntiAliasedFill = true;

  const Palette& p = palette_;
  ImVec4* c = st.Colors;
  c[ImGuiCol_Text] = ToVec4(p.text);
  c[ImGuiCol_TextDisabled] = ToVec4(p.muted);
  c[ImGuiCol_WindowBg] = ToVec4(p.bg);
  c[ImGuiCol_ChildBg] = ImVec4(0, 0, 0, 0);
  c[ImGuiCol_PopupBg] = ToVec4(p.surface);
  c[ImGuiCol_ModalWindowDimBg] = ImVec4(0, 0, 0, 0.55f);
  c[ImGuiCol_Border] = ToVec4(p.border);
  c[ImGuiCol_FrameBg] = ToVec4(p.surface);
  c[ImGuiCol_FrameBgHovered] = ToVec4(p.surface);
  c[ImGuiCol_FrameBgActive] = ToVec4(p.surface_down);
  c[ImGuiCol_Button] = ToVec4(p.primary);
  c[ImGuiCol_ButtonHovered] = ToVec4(p.primary);  // no hover-only affordances
  c[ImGuiCol_ButtonActive] = ToVec4(WithAlpha(p.primary, 0.8f));
  c[ImGuiCol_ScrollbarBg] = ImVec4(0, 0, 0, 0);
  c[ImGuiCol_ScrollbarGrab] = ToVec4(WithAlpha(p.muted, 0.45f));
  c[ImGuiCol_ScrollbarGrabHovered] = c[ImGuiCol_ScrollbarGrab];
  c[ImGuiCol_ScrollbarGrabActive] = ToVec4(p.muted);
  c[ImGuiCol_Separator] = ToVec4(p.border);
  c[ImGuiCol_NavHighlight] = ToVec4(p.focus);
}

ImFont* Theme::Font(FontRole role, int size) const {
  size = std::clamp(size, 0, 3);
  ImFont* f = fonts_[static_cast<int>(role)][size];
  return f ? f : ImGui::GetIO().Fonts->Fonts.empty() ? nullptr : ImGui::GetIO().Fonts->Fonts[0];
}

bool Theme::RebuildFonts() {
  ImFontAtlas* atlas = ImGui::GetIO().Fonts;
  atlas->Clear();
  for (auto& role : fonts_)
    for (auto& f : role) f = nullptr;

  const char* regular =
      dyslexia_ ? FirstExisting({"/usr/share/fonts/opentype/opendyslexic/OpenDyslexic-Regular.otf",
                                 "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"})
                : FirstExisting({"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"});
  const char* bold =
      dyslexia_ ? FirstExisting({"/usr/share/fonts/opentype/opendyslexic/OpenDyslexic-Bold.otf",
                                 "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"})
                : FirstExisting({"/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"});
  const char* symbols = FirstExisting({"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"});
  atlas->TexDesiredWidth = 2048;
  bool ok = true;
  for (int role = 0; role < 2; ++role) {
    const char* file = role == 0 ? regular : bold;
    for (int size = 0; size < 4; ++size) {
      if (role == 0 && size == 3) continue;  // body text never needs the title size
      float px_size = px(role == 0 ? kBodyPx[size] : kHeadingPx[size]);
      // OpenDyslexic has very tall ascenders/descenders, so at the same
      // nominal size its letters look much smaller than DejaVu's.
      if (dyslexia_) px_size *= 1.3f;
      ImFontConfig cfg;
      cfg.OversampleH = 1;  // keeps the atlas small; text is drawn at its baked size
      cfg.OversampleV = 1;
      cfg.PixelSnapH = true;
      // OpenDyslexic's line box is very tall: pull glyphs up a little here and
      // shorten the line height after Build() (kDyslexiaLine) so paragraphs
      // keep a normal rhythm.
      if (dyslexia_) cfg.GlyphOffset.y = -px_size * (1 - kDyslexiaLine) * 0.5f;
      ImFont* font = nullptr;
      if (file) font = atlas->AddFontFromFileTTF(file, px_size, &cfg, kTextRanges);
      if (!font) {
        ok = false;
        ImFontConfig def;
        def.SizePixels = px_size;
        font = atlas->AddFontDefault(&def);
      } else if (symbols) {
        ImFontConfig merge = cfg;
        merge.MergeMode = true;
        if (atlas->AddFontFromFileTTF(symbols, px_size, &merge, kSymbolRanges))
          font->FallbackChar = kMissingGlyph;  // BuildLookupTable() uses it when present
      }
      fonts_[role][size] = font;
    }
  }
  fonts_[0][3] = fonts_[0][2];
  atlas->Build();
  if (dyslexia_)
    for (ImFont* f : atlas->Fonts) f->FontSize *= kDyslexiaLine;
  ImGui::GetIO().FontDefault = fonts_[0][0];
  font_scale_baked_ = scale_;
  dyslexia_baked_ = dyslexia_;
  if (!ok)
    std::fprintf(stderr, "signpost-kiosk: a font file is missing; using the built-in font\n");
  return ok;
}

}  // namespace signpost::kiosk
