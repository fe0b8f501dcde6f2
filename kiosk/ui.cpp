#include "kiosk/ui.h"

#include <imgui_internal.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string_view>

#include "kiosk/i18n.h"
#include "kiosk/qr.h"
#include "signpost/links.h"

namespace signpost::kiosk::ui {
namespace {

struct GestureState {
  ImVec2 down_pos{0, 0};
  bool dragging = false;
  ImGuiID scroll_owner = 0;  // the scroll area being dragged
  float velocity = 0;        // px/s of the owner while dragging
  int frames_requested = 0;
  float drag_threshold = 10;
};
GestureState g;

// Momentum per scroll area, kept small and allocation-free after first use.
struct Momentum {
  ImGuiID id = 0;
  float velocity = 0;
};
Momentum g_momentum[8];

Momentum* MomentumFor(ImGuiID id, bool create) {
  for (auto& m : g_momentum)
    if (m.id == id) return &m;
  if (!create) return nullptr;
  for (auto& m : g_momentum)
    if (m.id == 0 || m.velocity == 0) {
      m.id = id;
      m.velocity = 0;
      return &m;
    }
  return &g_momentum[0];
}

bool Tapped(bool pressed) { return pressed && !g.dragging; }

std::string& EllipsisScratch() {
  static std::string s;  // reused: recording an ellipsised text does not allocate
  return s;
}

}  // namespace

void BeginFrame(const Theme& theme) {
  BeginRecord();
  ImGuiIO& io = ImGui::GetIO();
  g.drag_threshold = theme.px(10);
  if (io.MouseClicked[0]) {
    g.down_pos = io.MousePos;
    g.dragging = false;
    g.scroll_owner = 0;
    g.velocity = 0;
    for (auto& m : g_momentum) m.velocity = 0;  // a touch stops any glide
  }
  if (io.MouseDown[0] && !g.dragging) {
    float dx = io.MousePos.x - g.down_pos.x, dy = io.MousePos.y - g.down_pos.y;
    if (dx * dx + dy * dy > g.drag_threshold * g.drag_threshold) {
      g.dragging = true;
      // A drag is not a press: release whatever widget took the touch.
      ImGui::ClearActiveID();
    }
  }
}

void EndFrame() { EndRecord(); }

bool Dragging() { return g.dragging; }
float DragThreshold() { return g.drag_threshold; }

void RequestFrames(int n) { g.frames_requested = std::max(g.frames_requested, n); }

int TakeRequestedFrames() {
  int n = g.frames_requested;
  g.frames_requested = 0;
  return n;
}

void ResetGestures() {
  g = GestureState{};
  for (auto& m : g_momentum) m = Momentum{};
}

static void PushButtonColours(const Theme& t, ButtonKind kind) {
  const Palette& p = t.p();
  ImU32 bg = p.primary, fg = p.on_primary, border = p.primary;
  switch (kind) {
    case ButtonKind::kPrimary:
      break;
    case ButtonKind::kSecondary:
      bg = p.surface;
      fg = p.text;
      border = p.border;
      break;
    case ButtonKind::kQuiet:
      bg = WithAlpha(p.surface, 0.0f);
      fg = p.primary;
      border = bg;
      break;
    case ButtonKind::kOnBar:
      bg = p.bar;
      fg = p.on_bar;
      border = WithAlpha(p.on_bar, 0.5f);
      break;
  }
  ImGui::PushStyleColor(ImGuiCol_Button, ToVec4(bg));
  ImGui::PushStyleColor(ImGuiCol_ButtonHovered, ToVec4(bg));
  ImGui::PushStyleColor(
      ImGuiCol_ButtonActive,
      ToVec4(kind == ButtonKind::kPrimary ? WithAlpha(bg, 0.75f) : p.surface_down));
  ImGui::PushStyleColor(ImGuiCol_Text, ToVec4(fg));
  ImGui::PushStyleColor(ImGuiCol_Border, ToVec4(border));
}

bool Button(const Theme& t, const char* label, ImVec2 size, ButtonKind kind, ImFont* font) {
  PushButtonColours(t, kind);
  ImFont* f = font ? font : t.chrome_bold();
  if (size.x > 0 && !font) {
    // A fixed-width button whose label (often a translation) is too long:
    // drop to the regular chrome font before anything is clipped.
    float pad = ImGui::GetStyle().FramePadding.x * 2;
    const char* end = ImGui::FindRenderedTextEnd(label);
    if (f->CalcTextSizeA(f->FontSize, FLT_MAX, 0, label, end).x + pad > size.x) f = t.chrome();
  }
  ImGui::PushFont(f);
  ImGui::PushStyleVar(
      ImGuiStyleVar_FrameBorderSize,
      kind == ButtonKind::kSecondary || kind == ButtonKind::kOnBar || t.high_contrast() ? t.px(2)
                                                                                        : 0.0f);
  ImVec2 label_size = ImGui::CalcTextSize(label, nullptr, true);
  ImVec2 pad = ImGui::GetStyle().FramePadding;
  if (size.x <= 0) size.x = std::max(label_size.x + pad.x * 2, t.touch());
  if (size.y <= 0) size.y = std::max(label_size.y + pad.y * 2, t.touch());
  bool pressed = ImGui::Button(label, size);
  {
    // As ImGui centres it: in the button less its padding (never left of it).
    const ImRect bb(ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
    const ImVec2 inner(bb.GetWidth() - pad.x * 2, bb.GetHeight() - pad.y * 2);
    const ImVec2 at(bb.Min.x + pad.x + std::max(0.0f, (inner.x - label_size.x) * 0.5f),
                    bb.Min.y + pad.y + std::max(0.0f, (inner.y - label_size.y) * 0.5f));
    const std::string_view shown(label, ImGui::FindRenderedTextEnd(label) - label);
    RecordText(shown, shown, ImRect(at, at + label_size), bb, ImGui::GetFontSize(), false);
    RecordTappable(shown, bb);
  }
  ImGui::PopStyleVar();
  ImGui::PopFont();
  ImGui::PopStyleColor(5);
  return Tapped(pressed);
}

bool Chip(const Theme& t, const char* label, bool selected, long long count, ImU32 accent,
          bool enabled) {
  const Palette& p = t.p();
  char buf[160];
  if (count >= 0)
    std::snprintf(buf, sizeof buf, "%s  %lld##chip", label, count);
  else
    std::snprintf(buf, sizeof buf, "%s##chip", label);
  ImGui::PushID(label);
  ImFont* font = t.control();  // grows with the text size
  ImGui::PushFont(font);
  ImVec2 ts = ImGui::CalcTextSize(buf, nullptr, true);
  float h = t.ControlHeight(font);
  float dot = accent ? t.px(14) : 0;
  ImVec2 size(ts.x + t.px(36) + dot, h);
  ImVec2 pos = ImGui::GetCursorScreenPos();
  bool pressed = ImGui::InvisibleButton("chip", size);
  bool held = ImGui::IsItemActive() && enabled;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImU32 bg = selected ? p.primary : (held ? p.surface_down : p.surface);
  ImU32 fg = selected ? p.on_primary : enabled ? p.text : p.muted;
  if (!enabled && !selected) bg = p.bg;  // flat: nothing to press
  dl->AddRectFilled(pos, pos + size, bg, h * 0.5f);
  dl->AddRect(pos, pos + size,
              selected  ? p.primary
              : enabled ? p.border
                        : WithAlpha(p.border, 0.45f),
              h * 0.5f, 0, t.px(2));
  float x = pos.x + t.px(18);
  if (accent) {
    dl->AddCircleFilled(ImVec2(x + t.px(5), pos.y + h * 0.5f), t.px(6), accent);
    if (selected)
      dl->AddCircle(ImVec2(x + t.px(5), pos.y + h * 0.5f), t.px(6), p.on_primary, 0, t.px(1.5f));
    x += dot;
  }
  const char* buf_end = ImGui::FindRenderedTextEnd(buf);
  const ImVec2 at(x, pos.y + (h - ts.y) * 0.5f);
  dl->AddText(at, fg, buf, buf_end);
  const std::string_view shown(buf, buf_end - buf);
  RecordText(shown, shown, ImRect(at, at + ts), ImRect(pos, pos + size), font->FontSize, false);
  RecordTappable(label, ImRect(pos, pos + size), enabled);
  ImGui::PopFont();
  ImGui::PopID();
  return Tapped(pressed) && enabled;
}

bool RemovableChip(const Theme& t, const char* label) {
  // "Level 3  ✕": the cross says what a tap does.
  char buf[192];
  std::snprintf(buf, sizeof buf, "%s  \xE2\x9C\x95", label);
  return Chip(t, buf, true);
}

float ChipWidth(const Theme& t, const char* label, long long count, ImU32 accent) {
  char buf[160];
  if (count >= 0)
    std::snprintf(buf, sizeof buf, "%s  %lld", label, count);
  else
    std::snprintf(buf, sizeof buf, "%s", label);
  ImGui::PushFont(t.control());
  const float w = ImGui::CalcTextSize(buf).x + t.px(36) + (accent ? t.px(14) : 0);
  ImGui::PopFont();
  return w;
}

ImFont* StackedChipFont(const Theme& t, std::initializer_list<const char*> labels, float width) {
  ImFont* font = t.control();
  auto fits = [&] {
    for (const char* label : labels)
      if (font->CalcTextSizeA(font->FontSize, FLT_MAX, 0, label).x + t.px(14) > width) return false;
    return true;
  };
  for (int size = t.text_size() - 1; size >= 0 && !fits(); --size)
    font = t.Font(FontRole::kBody, size);
  return font;
}

bool StackedChip(const Theme& t, const char* label, bool selected, long long count, ImU32 accent,
                 float width, bool enabled, ImFont* font) {
  const Palette& p = t.p();
  ImGui::PushID(label);
  if (!font) font = StackedChipFont(t, {label}, width);
  const float h = std::max(t.touch() + t.px(8), 2 * font->FontSize + t.px(16));
  ImVec2 pos = ImGui::GetCursorScreenPos();
  bool pressed = ImGui::InvisibleButton("chip", ImVec2(width, h));
  bool held = ImGui::IsItemActive() && enabled;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImU32 bg = selected ? p.primary : (held ? p.surface_down : enabled ? p.surface : p.bg);
  ImU32 fg = selected ? p.on_primary : enabled ? p.text : p.muted;
  dl->AddRectFilled(pos, pos + ImVec2(width, h), bg, t.px(14));
  dl->AddRect(pos, pos + ImVec2(width, h),
              selected  ? p.primary
              : enabled ? p.border
                        : WithAlpha(p.border, 0.45f),
              t.px(14), 0, t.px(2));
  // Name on the first line (the whole width), the route's dot and the count
  // on the second: long names like "Further education" keep their room.
  const float line = font->FontSize;
  const float y = pos.y + (h - 2 * line) * 0.5f;
  const float x = pos.x + t.px(8);
  DrawEllipsis(dl, font, ImVec2(x, y), pos.x + width - t.px(6) - x, fg, label);
  float cx = x;
  if (accent) {
    dl->AddCircleFilled(ImVec2(cx + t.px(6), y + line * 1.5f), t.px(6), accent);
    cx += t.px(16);
  }
  if (count >= 0) {
    char n[32];
    std::snprintf(n, sizeof n, "%lld", count);
    DrawText(dl, font, ImVec2(cx, y + line), fg, n);
  }
  RecordTappable(label, ImRect(pos, pos + ImVec2(width, h)), enabled);
  ImGui::PopID();
  return Tapped(pressed) && enabled;
}

bool TileShowsSubtitle(const Theme& t, const char* title, const char* subtitle, ImVec2 size) {
  if (!subtitle || !*subtitle) return false;
  const float band = t.px(10), pad = t.px(14);
  const bool horizontal = size.x > size.y * 2.0f;
  const float disc =
      horizontal ? std::min(t.px(44), size.y - 2 * t.px(10)) : std::min(t.px(48), size.y * 0.3f);
  const float inner_w = horizontal ? size.x - band - 3 * pad - disc : size.x - band - 2 * pad;
  ImFont* tf = t.heading();
  ImFont* sf = t.small();
  const float title_h = tf->CalcTextSizeA(tf->FontSize, FLT_MAX, inner_w, title).y;
  const float sub_h = sf->CalcTextSizeA(sf->FontSize, FLT_MAX, inner_w, subtitle).y;
  float ty;
  if (horizontal) {
    const float total = title_h + t.px(2) + sub_h;
    if (total > size.y - t.px(8)) return false;
    ty = (size.y - total) * 0.5f;
  } else {
    ty = pad + disc + t.px(10);
  }
  return ty + title_h + t.px(2) + sf->FontSize <= size.y - t.px(4);
}

bool Tile(const Theme& t, const char* id, const char* glyph, const char* title,
          const char* subtitle, ImU32 accent, ImVec2 size) {
  const Palette& p = t.p();
  ImVec2 pos = ImGui::GetCursorScreenPos();
  bool pressed = ImGui::InvisibleButton(id, size);
  bool held = ImGui::IsItemActive() && !g.dragging;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  float r = t.radius();
  ImVec2 max = pos + size;
  dl->AddRectFilled(pos, max, held ? p.surface_down : p.surface, r);
  if (t.high_contrast())
    dl->AddRect(pos, max, accent, r, 0, t.px(3));
  else
    dl->AddRect(pos, max, WithAlpha(p.border, 0.6f), r, 0, t.px(1));
  // Accent band down the left edge: the same width on every tile.
  float band = t.px(10);
  dl->AddRectFilled(pos, ImVec2(pos.x + band, max.y), accent, r, ImDrawFlags_RoundCornersLeft);
  float pad = t.px(14);
  ImFont* tf = t.heading();
  ImFont* sf = t.small();
  ImFont* hf = t.chrome_bold();
  // Wide, short tiles (landscape lists): disc on the left, text beside it.
  // Tall tiles (portrait grids): disc on top, text below.
  bool horizontal = size.x > size.y * 2.0f;
  float disc =
      horizontal ? std::min(t.px(44), size.y - 2 * t.px(10)) : std::min(t.px(48), size.y * 0.3f);
  float x, ty, inner_w;
  ImVec2 c;
  if (horizontal) {
    c = ImVec2(pos.x + band + pad + disc * 0.5f, pos.y + size.y * 0.5f);
    x = pos.x + band + pad + disc + pad;
    inner_w = max.x - x - pad;
  } else {
    x = pos.x + band + pad;
    inner_w = max.x - x - pad;
    c = ImVec2(x + disc * 0.5f, pos.y + pad + disc * 0.5f);
  }
  dl->AddCircleFilled(c, disc * 0.5f, accent, 32);
  if (glyph && *glyph) {
    ImVec2 gs = hf->CalcTextSizeA(hf->FontSize, FLT_MAX, 0, glyph);
    dl->AddText(hf, hf->FontSize, c - gs * 0.5f, t.high_contrast() ? p.bg : IM_COL32_WHITE, glyph);
  }
  ImVec2 tsz = tf->CalcTextSizeA(tf->FontSize, FLT_MAX, inner_w, title);
  const bool show_sub = TileShowsSubtitle(t, title, subtitle, size);
  float sub_h = show_sub ? sf->CalcTextSizeA(sf->FontSize, FLT_MAX, inner_w, subtitle).y : 0;
  if (horizontal) {
    const float total = tsz.y + (show_sub ? t.px(2) + sub_h : 0);
    ty = pos.y + (size.y - total) * 0.5f;
  } else {
    ty = pos.y + pad + disc + t.px(10);
  }
  ImVec4 clip(x, pos.y, max.x - pad * 0.5f, max.y - t.px(4));
  const ImRect box(pos, max);
  DrawText(dl, tf, ImVec2(x, ty), p.text, title, inner_w, &clip, &box);
  float sy = ty + tsz.y + t.px(2);
  if (show_sub) DrawText(dl, sf, ImVec2(x, sy), p.muted, subtitle, inner_w, &clip, &box);
  RecordTappable(title, box);
  return Tapped(pressed);
}

void Panel(const Theme& t, const char* id, ImU32 accent, float width, float min_height,
           const std::function<void()>& body) {
  ImGui::PushID(id);
  ImVec2 pos = ImGui::GetCursorScreenPos();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->ChannelsSplit(2);  // content on top, the card drawn underneath once measured
  dl->ChannelsSetCurrent(1);
  ImGui::BeginGroup();
  ImGui::Dummy(ImVec2(0, t.px(4)));
  ImGui::Indent(t.px(18));
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width - t.px(30));
  body();
  ImGui::PopTextWrapPos();
  ImGui::Unindent(t.px(18));
  ImGui::Dummy(ImVec2(width, t.px(6)));
  ImGui::EndGroup();
  ImVec2 max(pos.x + width, std::max(ImGui::GetItemRectMax().y, pos.y + min_height));
  dl->ChannelsSetCurrent(0);
  dl->AddRectFilled(pos, max, t.p().surface, t.radius());
  dl->AddRect(pos, max, t.high_contrast() ? t.p().border : WithAlpha(t.p().border, 0.6f),
              t.radius(), 0, t.px(t.high_contrast() ? 2.0f : 1.0f));
  dl->AddRectFilled(pos, ImVec2(pos.x + t.px(8), max.y), accent, t.radius(),
                    ImDrawFlags_RoundCornersLeft);
  dl->ChannelsMerge();
  ImGui::PopID();
}

bool Card(const Theme& t, const char* id, ImVec2 size, ImU32 accent, ImVec2* min, ImVec2* max) {
  const Palette& p = t.p();
  ImVec2 pos = ImGui::GetCursorScreenPos();
  bool pressed = ImGui::InvisibleButton(id, size);
  bool held = ImGui::IsItemActive() && !g.dragging;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  float r = t.radius();
  dl->AddRectFilled(pos, pos + size, held ? p.surface_down : p.surface, r);
  dl->AddRect(pos, pos + size, t.high_contrast() ? p.border : WithAlpha(p.border, 0.6f), r, 0,
              t.px(t.high_contrast() ? 2.0f : 1.0f));
  float band = 0;
  if (accent) {
    band = t.px(8);
    dl->AddRectFilled(pos, ImVec2(pos.x + band, pos.y + size.y), accent, r,
                      ImDrawFlags_RoundCornersLeft);
  }
  *min = ImVec2(pos.x + band + t.px(14), pos.y + t.px(8));
  *max = ImVec2(pos.x + size.x - t.px(12), pos.y + size.y - t.px(8));
  RecordTappable("", ImRect(pos, pos + size), true, /*from_texts=*/true);
  return Tapped(pressed);
}

bool HitArea(const char* id, ImVec2 size, const char* label, bool enabled) {
  const ImVec2 pos = ImGui::GetCursorScreenPos();
  const bool pressed = ImGui::InvisibleButton(id, size);
  RecordTappable(label ? label : "", ImRect(pos, pos + size), enabled);
  return Tapped(pressed) && enabled;
}

void BeginScroll(const char* id, ImVec2 size, bool horizontal) {
  ImGuiWindowFlags flags = ImGuiWindowFlags_NoNav;
  // (HorizontalScrollbar draws nothing beside NoScrollbar: it marks the strip
  // as one that scrolls sideways for the frame record, ui_record.cpp.)
  if (horizontal)
    flags |= ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse |
             ImGuiWindowFlags_HorizontalScrollbar;
  ImGui::BeginChild(id, size, false, flags);
  ImGuiIO& io = ImGui::GetIO();
  ImGuiID wid = ImGui::GetCurrentWindow()->ID;
  float dt = std::max(io.DeltaTime, 1.0f / 240);
  if (io.MouseClicked[0] && ImGui::IsWindowHovered(ImGuiHoveredFlags_AllowWhenBlockedByActiveItem |
                                                   ImGuiHoveredFlags_ChildWindows))
    g.scroll_owner = wid;  // innermost scroll area wins: children run after parents
  if (g.scroll_owner == wid && io.MouseDown[0] && g.dragging) {
    float dy = horizontal ? io.MouseDelta.x : io.MouseDelta.y;
    if (horizontal)
      ImGui::SetScrollX(ImGui::GetScrollX() - dy);
    else
      ImGui::SetScrollY(ImGui::GetScrollY() - dy);
    float v = -dy / dt;
    g.velocity = g.velocity * 0.6f + v * 0.4f;
  } else if (g.scroll_owner == wid && io.MouseReleased[0]) {
    if (g.dragging && std::fabs(g.velocity) > 60) MomentumFor(wid, true)->velocity = g.velocity;
    g.scroll_owner = 0;
  }
  if (Momentum* m = MomentumFor(wid, false); m && m->velocity != 0) {
    float before = horizontal ? ImGui::GetScrollX() : ImGui::GetScrollY();
    float max = horizontal ? ImGui::GetScrollMaxX() : ImGui::GetScrollMaxY();
    if (horizontal)
      ImGui::SetScrollX(before + m->velocity * dt);
    else
      ImGui::SetScrollY(before + m->velocity * dt);
    m->velocity *= std::exp(-dt * 3.5f);
    bool at_end = (m->velocity < 0 && before <= 0) || (m->velocity > 0 && before >= max);
    if (std::fabs(m->velocity) < 25 || at_end)
      m->velocity = 0;
    else
      RequestFrames(2);
  }
}

void EndScroll() {
  // A soft fade at an edge that has more to scroll to: "there is more this way".
  ImGuiWindow* w = ImGui::GetCurrentWindow();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImU32 bg = ImGui::GetColorU32(ImGuiCol_WindowBg);
  ImU32 clear = bg & ~IM_COL32_A_MASK;
  float f = ImGui::GetFontSize() * 1.5f;
  ImRect r = w->InnerRect;
  if (w->ScrollMax.x > 0 && w->Scroll.x < w->ScrollMax.x - 1)
    dl->AddRectFilledMultiColor(ImVec2(r.Max.x - f, r.Min.y), r.Max, clear, bg, bg, clear);
  if (w->ScrollMax.x > 0 && w->Scroll.x > 1)
    dl->AddRectFilledMultiColor(r.Min, ImVec2(r.Min.x + f, r.Max.y), bg, clear, clear, bg);
  ImGui::EndChild();
}

namespace {

// Text placed by ImGui's layout (the last item): its box is the window's
// width at that line.
void RecordItemText(const char* text) {
  const ImRect r(ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
  const ImGuiWindow* w = ImGui::GetCurrentWindowRead();
  const ImRect owner(w->WorkRect.Min.x, r.Min.y, w->WorkRect.Max.x, r.Max.y);
  RecordText(text, text, r, owner, ImGui::GetFontSize(), false);
}

}  // namespace

void Text(ImFont* font, ImU32 colour, const char* text) {
  if (font) ImGui::PushFont(font);
  ImGui::PushStyleColor(ImGuiCol_Text, ToVec4(colour));
  ImGui::TextUnformatted(text);
  RecordItemText(text);
  ImGui::PopStyleColor();
  if (font) ImGui::PopFont();
}

void TextWrapped(ImFont* font, ImU32 colour, const char* text, float wrap_width) {
  if (font) ImGui::PushFont(font);
  ImGui::PushStyleColor(ImGuiCol_Text, ToVec4(colour));
  // An explicit width, else the enclosing wrap position, else the window edge.
  float current = ImGui::GetCurrentWindow()->DC.TextWrapPos;
  float wrap = wrap_width > 0 ? ImGui::GetCursorPosX() + wrap_width : current >= 0 ? current : 0.0f;
  ImGui::PushTextWrapPos(wrap);
  ImGui::TextUnformatted(text);
  RecordItemText(text);
  ImGui::PopTextWrapPos();
  ImGui::PopStyleColor();
  if (font) ImGui::PopFont();
}

void Field(const Theme& t, const char* label, const std::string& value) {
  if (value.empty()) return;
  Text(t.heading(), t.p().text, label);
  TextWrapped(t.body(), t.p().text, value.c_str());
  ImGui::Dummy(ImVec2(0, t.px(4)));
}

void DrawEllipsis(ImDrawList* dl, ImFont* font, ImVec2 pos, float max_width, ImU32 colour,
                  const char* text, const char* text_end) {
  if (!text_end) text_end = text + std::char_traits<char>::length(text);
  float size = font->FontSize;
  ImVec2 full = font->CalcTextSizeA(size, FLT_MAX, 0, text, text_end);
  const std::string_view whole(text, text_end - text);
  const ImRect owner(pos, pos + ImVec2(max_width, size));
  if (full.x <= max_width) {
    dl->AddText(font, size, pos, colour, text, text_end);
    RecordText(whole, whole, ImRect(pos, pos + full), owner, size, false);
    return;
  }
  const char* ell = "\xE2\x80\xA6";  // …
  float ell_w = font->CalcTextSizeA(size, FLT_MAX, 0, ell).x;
  const char* end = nullptr;
  font->CalcTextSizeA(size, max_width - ell_w, 0, text, text_end, &end);
  if (!end) end = text;
  dl->AddText(font, size, pos, colour, text, end);
  float w = font->CalcTextSizeA(size, FLT_MAX, 0, text, end).x;
  dl->AddText(font, size, ImVec2(pos.x + w, pos.y), colour, ell);
  std::string& shown = EllipsisScratch();
  shown.assign(text, end);
  shown += ell;
  RecordText(shown, whole, ImRect(pos, pos + ImVec2(w + ell_w, full.y)), owner, size, true);
}

void DrawText(ImDrawList* dl, ImFont* font, ImVec2 pos, ImU32 colour, std::string_view text,
              float wrap_width, const ImVec4* clip, const ImRect* owner) {
  if (text.empty()) return;
  const char* begin = text.data();
  const char* end = begin + text.size();
  dl->AddText(font, font->FontSize, pos, colour, begin, end, wrap_width, clip);
  const ImVec2 ext = font->CalcTextSizeA(font->FontSize, FLT_MAX, wrap_width, begin, end);
  const ImRect r(pos, pos + ext);
  // A clip given here is the box the text must fit: what falls outside it is
  // not drawn, so it is also the owner unless the caller names one.
  const ImRect box = clip ? ImRect(clip->x, clip->y, clip->z, clip->w) : r;
  RecordText(text, text, r, owner ? *owner : box, font->FontSize, false, clip ? &box : nullptr);
}

void Qr(const Theme& t, const std::string& text, float size) {
  // A tiny cache: the same code is drawn every frame while a screen shows.
  static std::string cached_text;
  static QrCode cached;
  if (text.empty()) return;
  if (text != cached_text) {
    cached_text = text;
    cached = MakeQr(text);
  }
  ImVec2 pos = ImGui::GetCursorScreenPos();
  ImGui::Dummy(ImVec2(size, size));
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(pos, pos + ImVec2(size, size), IM_COL32_WHITE, t.px(4));
  if (cached.width == 0) return;
  int modules = cached.width + 8;  // 4-module quiet zone each side
  float m = std::floor(size / modules);
  if (m < 1) m = 1;
  float off = std::floor((size - m * cached.width) * 0.5f);
  RecordCode(text, ImRect(pos, pos + ImVec2(size, size)), cached.width, m);
  for (int y = 0; y < cached.width; ++y) {
    for (int x = 0; x < cached.width; ++x) {
      if (!cached.dark(x, y)) continue;
      // Merge runs of dark modules into one rectangle.
      int run = x;
      while (run + 1 < cached.width && cached.dark(run + 1, y)) ++run;
      ImVec2 a(pos.x + off + x * m, pos.y + off + y * m);
      dl->AddRectFilled(a, ImVec2(pos.x + off + (run + 1) * m, a.y + m), IM_COL32_BLACK);
      x = run;
    }
  }
}

bool LinkQr(const Theme& t, const std::string& url, float size, float caption_width) {
  const std::string host = catalogue::LinkHost(url);
  if (host.empty()) return false;  // not a plain http(s) link: no code at all
  // Where it leads comes first: read before scanning, and never below the fold.
  const std::string opens = std::string(tr("Opens")) + " " + host;
  TextWrapped(t.small(), t.p().text, opens.c_str(),
              caption_width > 0 ? caption_width : std::max(size, t.px(120)));
  Qr(t, url, size);
  return true;
}

float LinkQrCaptionHeight(const Theme& t, const std::string& url, float caption_width) {
  const std::string host = catalogue::LinkHost(url);
  if (host.empty()) return 0;
  const std::string opens = std::string(tr("Opens")) + " " + host;
  ImFont* f = t.small();
  return f->CalcTextSizeA(f->FontSize, FLT_MAX, caption_width, opens.c_str()).y;
}

// [SECTION] On-screen keyboard ---------------------------------------------------------

std::size_t Utf8CharLength(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xF0 && lead < 0xF8) return 4;
  if (lead >= 0xE0) return 3;
  if (lead >= 0xC0) return 2;
  return 1;  // a stray continuation byte: taken alone (and dropped by AppendWhole)
}

bool AppendWhole(std::string* text, std::string_view add, std::size_t max_len) {
  bool changed = false;
  for (std::size_t i = 0; i < add.size();) {
    const auto lead = static_cast<unsigned char>(add[i]);
    std::size_t n = Utf8CharLength(lead);
    bool whole = i + n <= add.size() && (lead < 0x80 || lead >= 0xC0);
    for (std::size_t k = 1; whole && k < n; ++k)
      whole = (static_cast<unsigned char>(add[i + k]) & 0xC0) == 0x80;
    if (!whole) {  // a broken sequence is skipped, byte by byte
      ++i;
      continue;
    }
    if (lead < 0x20 || lead == 0x7F) {  // control characters never reach the text
      i += n;
      continue;
    }
    if (text->size() + n > max_len) break;  // the next character does not fit: stop here
    text->append(add.substr(i, n));
    changed = true;
    i += n;
  }
  return changed;
}

void EraseLastChar(std::string* text) {
  if (text->empty()) return;
  std::size_t n = text->size() - 1;
  while (n > 0 && (static_cast<unsigned char>((*text)[n]) & 0xC0) == 0x80) --n;
  text->resize(n);
}

bool AtInputLimit(const std::string& text, std::size_t max_len) {
  return text.size() >= max_len;  // every key adds at least one byte
}

namespace {

// Key rows, 12 units wide: 10 keys (11 on the top row with - and '), then
// the wide keys. Units, not pixels: a unit is one letter key.
constexpr int kKeyUnits = 12;

float KeyHeight(const Theme& t) {
  // Grows with the text size so the letters on the keys grow too.
  const ImFont* f = t.Font(FontRole::kHeading, t.text_size());
  return std::max(t.touch(), f->FontSize + t.px(22));
}

}  // namespace

float KeyboardHeight(const Theme& t) { return 4 * KeyHeight(t) + 4 * t.px(6); }

bool Keyboard(const Theme& t, std::string* text, bool* done, std::size_t max_len) {
  const Palette& p = t.p();
  bool changed = false;
  const float gap = t.px(6);
  const float width = ImGui::GetContentRegionAvail().x;
  const float unit = (width - (kKeyUnits - 1) * gap) / kKeyUnits;
  const float key_h = KeyHeight(t);
  const bool full = AtInputLimit(*text, max_len);
  auto w = [&](int units) { return unit * static_cast<float>(units) + gap * (units - 1); };
  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(gap, gap));
  ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(t.px(4), 0));
  ImFont* letters = t.Font(FontRole::kHeading, t.text_size());
  ImFont* words = t.Font(FontRole::kHeading, std::max(0, t.text_size() - 1));
  // A character key: types its character, unless the box is full (then it is
  // drawn dimmed and does nothing: the cue that nothing more fits).
  auto char_key = [&](const char* face, const char* types, int id) {
    ImGui::PushID(id);
    if (full) ImGui::BeginDisabled();  // greyed, ignores taps (and so recorded)
    bool pressed = Button(t, face, ImVec2(w(1), key_h), ButtonKind::kSecondary, letters);
    if (full) ImGui::EndDisabled();
    ImGui::PopID();
    if (pressed && !full && AppendWhole(text, types, max_len)) changed = true;
  };
  static const char* kRows[4] = {"1234567890-'", "qwertyuiop", "asdfghjkl", "zxcvbnm"};
  char face[2] = {0, 0};
  for (int r = 0; r < 4; ++r) {
    const char* row = kRows[r];
    for (int i = 0; row[i]; ++i) {
      if (i) ImGui::SameLine();
      face[0] = row[i];
      char_key(face, face, r * 32 + i);
      // Punctuation has no words: these keys are also recorded by name.
      if (row[i] == '-' || row[i] == '\'')
        RecordTappable(row[i] == '-' ? tr("Hyphen") : tr("Apostrophe"),
                       ImRect(ImGui::GetItemRectMin(), ImGui::GetItemRectMax()), !full);
    }
    if (r > 0) ImGui::SameLine();  // the digits row is full; letter rows end in a wide key
    if (r == 1) {                  // backspace: two units, right of the top letter row
      ButtonKind kind = full ? ButtonKind::kPrimary : ButtonKind::kSecondary;
      bool erase = Button(t, "\xE2\x8C\xAB##backspace", ImVec2(w(2), key_h), kind, letters);
      // "⌫" has no words: the key is also recorded as "Delete" for scripts.
      RecordTappable(tr("Delete"), ImRect(ImGui::GetItemRectMin(), ImGui::GetItemRectMax()));
      if (erase && !text->empty()) {
        EraseLastChar(text);
        changed = true;
      }
    } else if (r == 2) {  // clear: three units
      ButtonKind kind = full ? ButtonKind::kPrimary : ButtonKind::kSecondary;
      char label[64];
      std::snprintf(label, sizeof label, "%s##clear", tr("Clear"));
      if (Button(t, label, ImVec2(w(3), key_h), kind, words) && !text->empty()) {
        text->clear();
        changed = true;
      }
    } else if (r == 3) {  // space (three units, or "Full" at the limit) and done
      char label[64];
      std::snprintf(label, sizeof label, "%s##space", full ? tr("Full") : tr("Space"));
      if (full) ImGui::PushStyleColor(ImGuiCol_Border, ToVec4(p.warning));
      bool space = Button(t, label, ImVec2(w(3), key_h), ButtonKind::kSecondary, words);
      if (full) ImGui::PopStyleColor();
      if (space && !full && !text->empty() && text->back() != ' ' &&
          AppendWhole(text, " ", max_len))
        changed = true;
      ImGui::SameLine();
      std::snprintf(label, sizeof label, "%s##done", tr("Done"));
      if (Button(t, label, ImVec2(w(2), key_h), ButtonKind::kPrimary, words) && done) *done = true;
    }
  }
  ImGui::PopStyleVar(2);
  return changed;
}

}  // namespace signpost::kiosk::ui
