// The frame record (ui.h): every text and every tappable widget of a frame.
//
// Widgets call RecordText()/RecordTappable() while they draw; EndFrame()
// gives cards without a label of their own the text drawn on them, and makes
// the record the LastFrame(). Entries are reused from frame to frame
// (std::string::assign keeps its capacity), so a warm frame does not allocate.
#include <imgui_internal.h>

#include <algorithm>
#include <cctype>
#include <utility>

#include "kiosk/ui.h"

namespace signpost::kiosk::ui {
namespace {

FrameRecord g_building;  // the frame being drawn
FrameRecord g_last;      // the last complete frame

// The clip rectangle in force for the current window's widgets.
ImRect CurrentClip() {
  ImGuiWindow* w = ImGui::GetCurrentWindowRead();
  if (!w) return ImRect(0, 0, 0, 0);
  return w->ClipRect;
}

// Whether the current window, or one it is inside, scrolls sideways.
bool InSidewaysScroll() {
  for (const ImGuiWindow* w = ImGui::GetCurrentWindowRead(); w; w = w->ParentWindow)
    if (w->Flags & ImGuiWindowFlags_HorizontalScrollbar) return true;
  return false;
}

ImRect Intersection(ImRect a, const ImRect& b) {
  a.ClipWithFull(b);
  return a;
}

}  // namespace

bool DrawnText::Visible() const {
  const ImRect r = Intersection(rect, clip);
  return r.GetWidth() > 0.5f && r.GetHeight() > 0.5f;
}

bool Tappable::Visible() const {
  const ImRect r = Intersection(rect, clip);
  // A sliver at the edge of a scroll area is not something a finger can hit.
  return r.GetWidth() >= std::min(8.0f, rect.GetWidth()) &&
         r.GetHeight() >= std::min(8.0f, rect.GetHeight());
}

ImVec2 Tappable::TapPoint() const { return Intersection(rect, clip).GetCenter(); }

const FrameRecord& LastFrame() { return g_last; }

std::string NormaliseText(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    bool space = s[i] == ' ' || s[i] == '\n' || s[i] == '\t';
    if (s.compare(i, 2, "\xC2\xA0") == 0) {  // no-break space
      space = true;
      ++i;
    }
    if (!space)
      out.push_back(s[i]);
    else if (!out.empty() && out.back() != ' ')  // runs of spaces are one
      out.push_back(' ');
  }
  return out;
}

std::string_view LabelWords(std::string_view label) {
  // Skip ASCII spaces and punctuation, and any non-ASCII symbol before the
  // first letter or digit (arrows, stars, ticks, the pound sign on a glyph).
  std::size_t i = 0;
  while (i < label.size()) {
    const auto c = static_cast<unsigned char>(label[i]);
    if (c < 0x80) {
      if (std::isalnum(c)) break;
      ++i;
      continue;
    }
    // A multi-byte character: letters in Latin-1 and Latin Extended (Welsh
    // ŵ ŷ, accents) start words; other symbols are skipped.
    const bool latin_letter = (c == 0xC3) || (c == 0xC4) || (c == 0xC5);
    if (latin_letter) break;
    ++i;
    while (i < label.size() && (static_cast<unsigned char>(label[i]) & 0xC0) == 0x80) ++i;
  }
  return label.substr(i);
}

void RecordText(std::string_view shown, std::string_view full, ImRect rect, ImRect owner,
                float font_size, bool ellipsised, const ImRect* clip) {
  if (shown.empty()) return;
  FrameRecord& f = g_building;
  if (f.text_count_ == f.texts_.size()) f.texts_.emplace_back();
  DrawnText& t = f.texts_[f.text_count_++];
  t.text.assign(shown);
  t.full.assign(full);
  t.rect = rect;
  t.clip = CurrentClip();
  if (clip) t.clip = Intersection(t.clip, *clip);
  t.owner = owner;
  t.font_size = font_size;
  t.ellipsised = ellipsised;
  t.sideways = InSidewaysScroll();
}

void RecordTappable(std::string_view label, ImRect rect, bool enabled, bool from_texts) {
  FrameRecord& f = g_building;
  if (f.tappable_count_ == f.tappables_.size()) f.tappables_.emplace_back();
  Tappable& t = f.tappables_[f.tappable_count_++];
  // ImGui ids ("Search##box", "###shortlist") are not part of the label.
  const std::size_t hashes = label.find("##");
  t.label.assign(label.substr(0, hashes));
  t.from_texts = from_texts;
  t.rect = rect;
  t.clip = CurrentClip();
  // Inside ImGui::BeginDisabled() a widget is drawn greyed and ignores taps.
  t.enabled = enabled && (GImGui->CurrentItemFlags & ImGuiItemFlags_Disabled) == 0;
}

void RecordCode(std::string_view text, ImRect rect, int modules, float module_px) {
  FrameRecord& f = g_building;
  if (f.code_count_ == f.codes_.size()) f.codes_.emplace_back();
  DrawnCode& c = f.codes_[f.code_count_++];
  c.text.assign(text);
  c.rect = rect;
  c.modules = modules;
  c.module_px = module_px;
}

void BeginRecord() {
  g_building.text_count_ = 0;
  g_building.tappable_count_ = 0;
  g_building.code_count_ = 0;
}

void EndRecord() {
  FrameRecord& f = g_building;
  // Cards: their label is the text drawn on them, in drawing order.
  for (std::size_t i = 0; i < f.tappable_count_; ++i) {
    Tappable& t = f.tappables_[i];
    if (!t.from_texts) continue;
    t.label.clear();
    // The text drawn on the visible part of the card, in its window (not
    // the bar drawn over a card that is half scrolled out of view); a card
    // wholly out of view keeps its whole text, so scripts can say it is
    // there to scroll to.
    ImRect area = Intersection(t.rect, t.clip);
    if (area.GetWidth() <= 0 || area.GetHeight() <= 0) area = t.rect;
    for (const DrawnText& d : f.texts()) {
      if (!area.Contains(d.rect.GetCenter()) || d.clip.Min.x != t.clip.Min.x ||
          d.clip.Min.y != t.clip.Min.y || d.clip.Max.x != t.clip.Max.x ||
          d.clip.Max.y != t.clip.Max.y)
        continue;
      if (!t.label.empty()) t.label += " \xC2\xB7 ";
      t.label += d.text;
    }
  }
  std::swap(g_building, g_last);  // the old record's storage is reused next frame
}

}  // namespace signpost::kiosk::ui
