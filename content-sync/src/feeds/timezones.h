// TimeZones: what a calendar's TZID means, and local wall-clock time to UTC,
// with ICU (libicu: its own time-zone data, so nothing depends on the
// machine's /usr/share/zoneinfo).
//
// Calendars name their zones in several ways; each is resolved to an IANA
// zone:
//   - an IANA name ("Europe/London"), also behind a vendor prefix
//     ("/mozilla.org/20050126_1/Europe/London") or as an old alias ("GB");
//   - a Windows zone name, as Outlook and Exchange write it ("GMT Standard
//     Time"), by CLDR's mapping (ucal_getTimeZoneIDForWindowsID);
//   - an Outlook display name ("(UTC+00:00) Dublin, Edinburgh, Lisbon,
//     London"): its cities are looked up among the IANA zones' exemplar
//     cities, each city's zone votes for its Windows zone, and the winner's
//     own IANA zone is used (London, Dublin and Lisbon all say "GMT Standard
//     Time", whose zone is Europe/London). With no city found, the "(UTC+hh:
//     mm)" offset alone gives a fixed offset, without summer time (noted);
//   - the calendar's own VTIMEZONE block for that TZID: its standard-time
//     offset, fixed (noted);
//   - anything else: UTC (noted).
//
// Owned by the feed adapters (icalendar.cpp). Thread safety: one object per
// thread (it caches ICU calendars).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "signpost/dates.h"

namespace signpost::sync::feeds {

struct CivilTime {
  int year = 1970;
  int month = 1;  // 1-12
  int day = 1;
  int hour = 0;
  int minute = 0;
  int second = 0;
};

class TimeZones {
 public:
  TimeZones();
  ~TimeZones();
  TimeZones(const TimeZones&) = delete;
  TimeZones& operator=(const TimeZones&) = delete;

  // The calendar's VTIMEZONE for `tzid` has this standard-time offset
  // (seconds east of UTC): the fallback for a TZID nothing else explains.
  void AddCalendarOffset(const std::string& tzid, int offset_seconds);

  // The zone `tzid` names (see the header), e.g. "Europe/London", or a fixed
  // "GMT+01:00"; *how says how it was found when it was not exact (a note
  // for the technician), else stays empty.
  std::string Resolve(const std::string& tzid, std::string* how);

  // `local` wall-clock time in `zone` (a Resolve result) as UTC. A time
  // that does not exist (the hour skipped in spring) moves forward; one
  // that happens twice (autumn) is the first.
  UnixTime ToUtc(const std::string& zone, const CivilTime& local);
  // UTC as wall-clock time in `zone`.
  CivilTime FromUtc(const std::string& zone, UnixTime utc);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace signpost::sync::feeds
