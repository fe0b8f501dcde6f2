// Layout audit: checks every screen at every panel size and text size for
// text a reader would lose, from the frame record (ui.h) of each frame.
//
// A finding is text that
//   - overflows its widget: drawn outside the box it was given (a button, a
//     card, a clip of its own),
//   - is cut off: partly outside what can be seen while its widget is wholly
//     in view (a scroll list's row half out of view is not a finding),
//   - is covered: drawn under or over another text or a tappable widget it
//     does not belong to,
//   - is ellipsised where the full text is the point: "…" on text that is not
//     on a card (a list row's title may be cut when a tap opens the whole of
//     it; a detail screen's title, a button's or a chip's label may not).
//
// `signpost-kiosk --layout-audit` runs every scene (a screen in a given
// state: the search keyboard open, a subject chosen, the shortlist holding
// items, each attract slide, ...) at 800x480, 1024x600, 1280x800 and
// 1080x1920 with the three text sizes, headless on a catalogue, and prints
// each finding; a test asserts there are none.
// Thread safety: UI thread only (it drives kiosks it creates).
#pragma once

#include <imgui.h>

#include <functional>
#include <string>
#include <vector>

#include "kiosk/platform.h"
#include "kiosk/ui.h"

namespace signpost::kiosk {

struct LayoutFinding {
  std::string where;  // "detail 800x480 text 2"
  std::string what;   // "overflows its widget", "cut off", "covered by 'Filters'", "ellipsised"
  std::string text;   // the text as drawn
  std::string full;   // the whole text it was given
  ImRect rect;        // where it was drawn
  ImRect bound;       // the box, clip or other widget involved
};

// The findings in one frame's record. `display` is the screen's rectangle.
std::vector<LayoutFinding> AuditFrame(const ui::FrameRecord& record, const ImRect& display,
                                      const std::string& where);

// One state of one screen to audit: `setup` gets a kiosk on its home screen
// (a fresh session) and brings it to the state.
struct LayoutScene {
  std::string name;
  std::function<void(Kiosk&)> setup;
};
const std::vector<LayoutScene>& LayoutScenes();

struct LayoutAuditOptions {
  RunOptions base;  // catalogue, config; headless is forced
  std::vector<std::pair<int, int>> sizes = {{800, 480}, {1024, 600}, {1280, 800}, {1080, 1920}};
  std::vector<int> text_sizes = {0, 1, 2};
  bool dyslexia_font = false;   // also with the easy-read font
  std::string screenshot_dir;   // non-empty: a PNG of every scene with findings
  bool screenshot_all = false;  // ... of every scene
  std::string only_scene;       // non-empty: just this scene
};

// Runs every scene at every size and text size; the findings, and a line per
// scene run in *log when given.
std::vector<LayoutFinding> RunLayoutAudit(const LayoutAuditOptions& options, std::string* error,
                                          std::vector<std::string>* log = nullptr);

}  // namespace signpost::kiosk
