// Scripted input: a small text language to drive the kiosk with no display,
// for tests and for people who want to see a screen in a given state.
//
//   # comment                      blank lines are ignored
//   screen search                  open a screen directly (test hook)
//   tap 400 240                    tap at pixels (or percentages: tap 50% 90%)
//   drag 400 400 400 100 300ms     press, move over 300 ms, release
//   type engineer                  type text (one character per frame)
//   key backspace                  backspace, return, escape, tab, space, f4
//   wait 500ms                     let time pass (also: wait 2s)
//   screenshot out.png             save the current frame as PNG
//   expect-screen search           fail unless this screen is showing
//   expect-search-text engineer    fail unless the search box holds this text
//   expect-shortlist 2             fail unless the shortlist holds this many
//
// In words (the frame record, ui.h), so scripts survive layout changes and
// work at every screen size:
//   tap-label Apprenticeships      tap the one visible widget whose label
//                                  starts with these words; fails when none or
//                                  several are visible
//   scroll-to Add to shortlist     drag the list holding that widget (or text)
//                                  until it is wholly in view
//   expect-text 3 results          fail unless this text is drawn on the frame
//   expect-no-text Loading         fail if it is
// Words are compared ignoring ASCII case and leading symbols ("☆ Add" is
// "Add"), with no-break spaces as spaces. A script's English words also
// match their translation in the current language (e.g. Welsh), so one
// script drives the kiosk in either; feed text (titles) matches as written.
//
// Thread safety: UI thread only.
#pragma once

#include <string>
#include <vector>

#include "kiosk/platform.h"

namespace signpost::kiosk {

struct ScriptLine {
  int number = 0;                 // 1-based line number, for messages
  std::string verb;               // "tap", "drag", ...
  std::vector<std::string> args;  // split on spaces ("type" keeps the rest whole)
};

// Parses a script; false with *error ("line 3: unknown command 'tapp'").
bool ParseScript(const std::string& text, std::vector<ScriptLine>* out, std::string* error);
// Runs parsed lines against a kiosk; false with *error at the first failure.
bool RunScript(Kiosk& kiosk, const std::vector<ScriptLine>& lines, std::string* error);
// Reads, parses and runs a script file.
bool RunScriptFile(Kiosk& kiosk, const std::string& path, std::string* error);

}  // namespace signpost::kiosk
