// The take-away: the shortlist as QR codes a phone's camera reads as a note
// (titles, providers, contact, links; events with when and where), on screen
// and on the printed slip. Every item leaves with the student: nothing is
// dropped. A list too long for one code is split between codes ("Signpost
// shortlist 1 of 3"), never splitting an item; an item too long for a code
// of its own loses its link first, then has its words shortened. A link that
// is not a plain http(s) address (signpost/links.h) is never put in a code.
//
// How big a code may be is the caller's: a QR code of `max_modules` modules
// a side (with error correction as MakeQr() chooses) drawn at whole pixels
// per module. On screen the shortlist picks it so that every module is at
// least kMinModulePx pixels, which reads at arm's length off a 7" 800x480
// panel (about 0.75 mm a module).
// Thread safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include "kiosk/app_state.h"

namespace signpost::kiosk {

inline constexpr int kMinModulePx = 4;       // on-screen pixels per QR module, at least
inline constexpr int kQuietZoneModules = 4;  // the white border around a code, each side
inline constexpr int kMinCodeModules = 37;   // QR version 5: the smallest a code is made

// The codes' texts, in order. Empty when the list is empty. A code never
// needs more than max(max_modules, kMinCodeModules) modules a side.
std::vector<std::string> TakeAwayCodes(const std::vector<ShortlistItem>& list, int max_modules);

// The largest code (modules a side) that fits `side` pixels at kMinModulePx
// per module with its quiet zone, never below kMinCodeModules.
int MaxModulesFor(float side_px);

}  // namespace signpost::kiosk
