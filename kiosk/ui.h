// ui: the kiosk's touch widgets on top of Dear ImGui 1.86 — big buttons,
// equal home tiles, filter chips, cards, drag-to-scroll areas with momentum,
// the on-screen keyboard and QR codes drawn as rectangles.
//
// Touch rules live here: a press that turns into a drag (finger moved more
// than a few pixels) scrolls instead of clicking, so every widget returns
// "clicked" only for a real tap. Widgets that animate (momentum) call
// RequestFrames() so the event-driven loop keeps drawing until they settle.
//
// Every widget here also records what it drew (the frame record, below):
// each text with its rectangle and each tappable widget with its label and
// rectangle, so scripts can tap and check in words and a layout audit can
// check that text fits its widget. Screens draw text only through these
// functions (DrawText for draw-list text), never ImGui::Text or AddText.
// Thread safety: UI thread only, inside a frame.
#pragma once

#include <imgui.h>
#include <imgui_internal.h>  // ImVec2 operators (IMGUI_DEFINE_MATH_OPERATORS), ClearActiveID

#include <functional>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/theme.h"

namespace signpost::kiosk::ui {

// [SECTION] Frame ------------------------------------------------------------------

// Per frame, before drawing: tracks the current touch gesture and starts a
// new frame record.
void BeginFrame(const Theme& theme);
// After the frame is built: completes the frame record (LastFrame()).
void EndFrame();
bool Dragging();            // the current/last press moved far enough to be a drag
float DragThreshold();      // pixels a touch moves before it is a drag, not a tap
void RequestFrames(int n);  // keep drawing n more frames (animations)
int TakeRequestedFrames();  // loop: frames requested during the last frame
void ResetGestures();       // forget momentum (session reset)

// [SECTION] Frame record: what the last frame drew -----------------------------------
//
// Filled by every widget in this file during a frame; complete after
// EndFrame(). Coordinates are the UI's screen pixels. Strings and vectors are
// reused from frame to frame, so recording does not allocate once warm.

struct DrawnText {
  std::string text;         // as shown: an ellipsised text ends with "…"
  std::string full;         // the whole text the widget was given
  ImRect rect;              // the text's extent (every line of wrapped text)
  ImRect clip;              // what of it can be seen: the window's (and widget's) clip
  ImRect owner;             // the widget or box it must fit in; the window for free text
  float font_size = 0;      // pixels
  bool ellipsised = false;  // cut short with "…" to fit `owner`
  bool sideways = false;    // inside a strip that scrolls sideways (ui::BeginScroll)
  bool Visible() const;     // some of `rect` is inside `clip`
};

struct Tappable {
  std::string label;        // what it says: its own label, else the texts drawn on it
  ImRect rect;              // the whole widget
  ImRect clip;              // the part of the screen where it can be touched
  bool enabled = true;      // false: drawn greyed out, a tap does nothing
  bool from_texts = false;  // the label was made from the texts drawn on it (cards)
  bool Visible() const;     // at least a finger's width of it is inside `clip`
  ImVec2 TapPoint() const;  // the middle of its visible part
};

struct DrawnCode {
  std::string text;     // what the QR code holds
  ImRect rect;          // the code with its quiet zone (white square)
  int modules = 0;      // modules a side, without the quiet zone
  float module_px = 0;  // pixels per module as drawn
};

class FrameRecord {
 public:
  std::span<const DrawnText> texts() const { return {texts_.data(), text_count_}; }
  std::span<const Tappable> tappables() const { return {tappables_.data(), tappable_count_}; }
  std::span<const DrawnCode> codes() const { return {codes_.data(), code_count_}; }

 private:
  friend void RecordText(std::string_view, std::string_view, ImRect, ImRect, float, bool,
                         const ImRect*);
  friend void RecordTappable(std::string_view, ImRect, bool, bool);
  friend void RecordCode(std::string_view, ImRect, int, float);
  friend void BeginRecord();
  friend void EndRecord();
  std::vector<DrawnText> texts_;     // in drawing order; entries past the count are reused
  std::vector<Tappable> tappables_;  // in drawing order
  std::vector<DrawnCode> codes_;     // QR codes
  std::size_t text_count_ = 0;
  std::size_t tappable_count_ = 0;
  std::size_t code_count_ = 0;
};
void BeginRecord();  // (BeginFrame/EndFrame call these)
void EndRecord();

// The last complete frame's record.
const FrameRecord& LastFrame();
// Text as it is compared by scripts: no-break spaces, tabs and newlines are
// spaces, and a run of spaces is one.
std::string NormaliseText(std::string_view s);
// What a script's words match: leading symbols (arrows, stars, ticks) and
// spaces are skipped, so "Add to shortlist" matches "☆ Add to shortlist".
std::string_view LabelWords(std::string_view label);

// Records text drawn by the caller's own code (for widgets outside this file).
// `clip`: a clip rectangle of the caller's own, besides the window's.
void RecordText(std::string_view shown, std::string_view full, ImRect rect, ImRect owner,
                float font_size, bool ellipsised, const ImRect* clip = nullptr);
// Records a QR code as drawn (ui::Qr does).
void RecordCode(std::string_view text, ImRect rect, int modules, float module_px);
// Records a tappable rectangle with this label; with `from_texts` its label
// is the text drawn on it instead (cards). An empty label is never matched.
void RecordTappable(std::string_view label, ImRect rect, bool enabled = true,
                    bool from_texts = false);

// [SECTION] Widgets ----------------------------------------------------------------

enum class ButtonKind { kPrimary, kSecondary, kQuiet, kOnBar };

// A rounded button at least theme.touch() tall; size 0 = fit the label.
bool Button(const Theme& t, const char* label, ImVec2 size = {0, 0},
            ButtonKind kind = ButtonKind::kPrimary, ImFont* font = nullptr);
// A toggle chip, e.g. "Apprenticeships (120)". count < 0 hides the count. A
// chip that is not enabled (choosing it would find nothing) is drawn muted
// and ignores taps.
bool Chip(const Theme& t, const char* label, bool selected, long long count = -1, ImU32 accent = 0,
          bool enabled = true);
// A chip for a filter in force: "Level 3 ✕"; a tap removes it.
bool RemovableChip(const Theme& t, const char* label);
// The width Chip() takes for this label and count.
float ChipWidth(const Theme& t, const char* label, long long count = -1, ImU32 accent = 0);
// A chip of a set width (e.g. equal shares of a row): label on top, count
// underneath, so long names like "Apprenticeships" still fit.
// `font`: the text size a row of them shares (StackedChipFont); null: the
// control font, a step smaller when this label would be cut.
bool StackedChip(const Theme& t, const char* label, bool selected, long long count, ImU32 accent,
                 float width, bool enabled = true, ImFont* font = nullptr);
// The font a row of stacked chips `width` wide shares: the control font
// (growing with the text size), a step smaller until every label fits whole,
// so the chips of a row stay the same size as each other.
ImFont* StackedChipFont(const Theme& t, std::initializer_list<const char*> labels, float width);
// An equal-sized home tile: coloured band, glyph, title and one line of text.
// A card with an accent band whose height follows `body` (at least
// `min_height`): the content is drawn first, the card underneath it.
void Panel(const Theme& t, const char* id, ImU32 accent, float width, float min_height,
           const std::function<void()>& body);
// Whether Tile() has room for `subtitle` under `title` at `size`.
bool TileShowsSubtitle(const Theme& t, const char* title, const char* subtitle, ImVec2 size);
bool Tile(const Theme& t, const char* id, const char* glyph, const char* title,
          const char* subtitle, ImU32 accent, ImVec2 size);
// A pressable card; the caller draws content inside [min, max] afterwards
// with the draw list (DrawText, DrawEllipsis): that text is its label in the
// frame record. Returns true on a tap.
bool Card(const Theme& t, const char* id, ImVec2 size, ImU32 accent, ImVec2* min, ImVec2* max);
// An invisible touch area (the caller draws it) whose label is `label` in
// the frame record ("" = none: a hidden gesture). Returns true on a tap.
bool HitArea(const char* id, ImVec2 size, const char* label, bool enabled = true);

// A child region that scrolls by dragging, with momentum (vertically, or
// horizontally for rows of chips).
void BeginScroll(const char* id, ImVec2 size, bool horizontal = false);
void EndScroll();

// Text helpers (font may be null for the current font).
void Text(ImFont* font, ImU32 colour, const char* text);
void TextWrapped(ImFont* font, ImU32 colour, const char* text, float wrap_width = 0);
// Heading + body pair, as used on detail screens ("Entry requirements", ...).
void Field(const Theme& t, const char* label, const std::string& value);
// Draws text clipped to max_width with "…", at pos.
void DrawEllipsis(ImDrawList* dl, ImFont* font, ImVec2 pos, float max_width, ImU32 colour,
                  const char* text, const char* text_end = nullptr);
// Draws text with the draw list (wrapped at wrap_width when > 0, clipped to
// `clip` when given) and records it. `owner` is the box it must fit in
// (default: the text's own extent).
void DrawText(ImDrawList* dl, ImFont* font, ImVec2 pos, ImU32 colour, std::string_view text,
              float wrap_width = 0, const ImVec4* clip = nullptr, const ImRect* owner = nullptr);
// A QR code `size` px square with a quiet zone; nothing when text is empty.
void Qr(const Theme& t, const std::string& text, float size);
// A QR code for a web link, checked again at render (signpost/links.h:
// http/https only, no user-info) with the host it leads to written above
// it ("Opens www.gov.uk"), so the student sees where it goes. Draws nothing
// and returns false for a link that fails the check. The host wraps at
// `caption_width` (0: the code's width, at least 120 px).
bool LinkQr(const Theme& t, const std::string& url, float size, float caption_width = 0);
// The height of LinkQr()'s "Opens <host>" line(s) at `caption_width`, so a
// caller can size the code to leave room for it.
float LinkQrCaptionHeight(const Theme& t, const std::string& url, float caption_width);

// The on-screen keyboard: digits, hyphen, apostrophe, letters, a wide
// space, backspace, clear and done, its keys growing with the text size.
// Edits *text (at most max_len bytes, whole UTF-8 characters only); returns
// true when it changed. Sets *done when the Done key is tapped. At the limit
// the character keys dim and stop typing and Space reads "Full".
bool Keyboard(const Theme& t, std::string* text, bool* done, std::size_t max_len = 60);
// Height the keyboard will take at the current theme.
float KeyboardHeight(const Theme& t);

// Typed text helpers (on-screen and physical keyboards alike).
// Appends the whole UTF-8 characters of `add` that fit in max_len bytes;
// stops at the first that does not (never half a character), skips broken
// sequences and control characters. True when anything was added.
bool AppendWhole(std::string* text, std::string_view add, std::size_t max_len);
void EraseLastChar(std::string* text);  // one whole UTF-8 character
bool AtInputLimit(const std::string& text, std::size_t max_len);
std::size_t Utf8CharLength(unsigned char lead);  // 1-4 from the lead byte

}  // namespace signpost::kiosk::ui
