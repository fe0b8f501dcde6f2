// Times of day in a local content pack, as a teacher writes them: on the
// 24-hour clock ("18:00", or the TOML time 18:00 without quotes) or in
// words ("6pm", "6.30pm", "noon"), alone or as a range ("6pm to 8pm",
// "18:00-20:00", "6 to 8pm": a bare hour takes the other end's am/pm).
// A bare number with no am/pm and no minutes ("6") is refused: it could be
// morning or evening.
//
// Thread safety: plain functions.
#pragma once

#include <optional>
#include <string_view>

namespace signpost::sync {

struct PackTimes {
  int start = 0;           // minutes after midnight, 0 .. 1439
  std::optional<int> end;  // after start, when a range was given
};

// nullopt when `text` is not one of the forms above, or a range ends
// before (or when) it starts.
std::optional<PackTimes> ParsePackTimes(std::string_view text);

// "18:00" (for messages).
std::string FormatPackTime(int minutes);

}  // namespace signpost::sync
