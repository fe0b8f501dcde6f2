// Calendar dates and timestamps as the catalogue stores them.
//
// A Day is a civil date counted in days since 1970-01-01 (no time zone: a
// course "starts on 7 Sept" wherever the kiosk is). Timestamps are Unix
// seconds, UTC. The catalogue stores both as ISO 8601 text so a technician
// can read them with sqlite3. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace signpost {

using Day = std::int32_t;       // days since 1970-01-01
using UnixTime = std::int64_t;  // seconds since 1970-01-01T00:00:00Z

Day DayFromCivil(int year, unsigned month, unsigned day);
void CivilFromDay(Day d, int* year, unsigned* month, unsigned* day);

// "2026-09-07" -> Day. Also accepts a full timestamp and takes its date part.
std::optional<Day> ParseIsoDate(std::string_view s);
std::string FormatIsoDate(Day d);  // "2026-09-07"

// "2026-09-07T09:30:00Z", "2026-09-07T10:30:00+01:00", "2026-09-07 09:30:00"
// (no zone = UTC), "2026-09-07" (midnight UTC).
std::optional<UnixTime> ParseIsoTimestamp(std::string_view s);
std::string FormatIsoTimestamp(UnixTime t);  // "2026-09-07T09:30:00Z"

inline Day DayOf(UnixTime t) { return static_cast<Day>((t >= 0 ? t : t - 86399) / 86400); }
UnixTime NowUnix();  // the real clock
Day TodayUtc();      // DayOf(NowUnix())

// "Mon 7 Sep 2026" / "7 Sep" style, English. Used by the CLI and the kiosk.
std::string FormatHumanDate(Day d, bool with_year = true);

}  // namespace signpost
