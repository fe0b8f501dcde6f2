// TimeZones (timezones.h), on ICU's C API.
#include "feeds/timezones.h"

#include <unicode/ucal.h>
#include <unicode/uenum.h>
#include <unicode/ustring.h>

#include <cctype>
#include <cmath>
#include <cstdio>
#include <unordered_map>
#include <vector>

#include "feeds/feed_util.h"

namespace signpost::sync::feeds {

namespace {

std::u16string U16(std::string_view ascii) {
  std::u16string out;
  for (char c : ascii) out.push_back(static_cast<char16_t>(static_cast<unsigned char>(c)));
  return out;
}

std::string Ascii(const UChar* s, int32_t n) {
  std::string out;
  for (int32_t i = 0; i < n; ++i) out.push_back(s[i] < 128 ? static_cast<char>(s[i]) : '?');
  return out;
}

bool PlainAscii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 128 || c == 0) return false;
  }
  return !s.empty() && s.size() < 128;
}

// The canonical system zone for an IANA name or alias, or "".
std::string SystemZone(std::string_view id) {
  if (!PlainAscii(id)) return {};
  const std::u16string u = U16(id);
  UChar out[128];
  UBool system = false;
  UErrorCode st = U_ZERO_ERROR;
  const int32_t n =
      ucal_getCanonicalTimeZoneID(reinterpret_cast<const UChar*>(u.data()),
                                  static_cast<int32_t>(u.size()), out, 128, &system, &st);
  if (U_FAILURE(st) || !system || n <= 0) return {};
  std::string zone = Ascii(out, n);
  return zone == "Etc/Unknown" ? std::string() : zone;
}

// The IANA zone CLDR gives a Windows zone name ("GMT Standard Time"), or "".
std::string ZoneForWindows(std::string_view windows) {
  if (!PlainAscii(windows)) return {};
  const std::u16string u = U16(windows);
  UChar out[128];
  UErrorCode st = U_ZERO_ERROR;
  const int32_t n =
      ucal_getTimeZoneIDForWindowsID(reinterpret_cast<const UChar*>(u.data()),
                                     static_cast<int32_t>(u.size()), nullptr, out, 128, &st);
  if (U_FAILURE(st) || n <= 0) return {};
  return Ascii(out, n);
}

std::string WindowsForZone(std::string_view zone) {
  const std::u16string u = U16(zone);
  UChar out[128];
  UErrorCode st = U_ZERO_ERROR;
  const int32_t n = ucal_getWindowsTimeZoneID(reinterpret_cast<const UChar*>(u.data()),
                                              static_cast<int32_t>(u.size()), out, 128, &st);
  if (U_FAILURE(st) || n <= 0) return {};
  return Ascii(out, n);
}

std::string FixedZone(int offset_seconds) {
  const int total = std::abs(offset_seconds) / 60;
  char buf[32];
  std::snprintf(buf, sizeof buf, "GMT%c%02d:%02d", offset_seconds < 0 ? '-' : '+', total / 60 % 100,
                total % 60);
  return buf;
}

// "(UTC+05:30) Chennai, Kolkata" -> offset 19800 and the text after it.
bool SplitDisplayName(std::string_view s, int* offset, std::string_view* rest) {
  s = Trim(s);
  if (s.size() < 5 || s.front() != '(') return false;
  const std::size_t close = s.find(')');
  if (close == std::string_view::npos) return false;
  std::string_view inner = s.substr(1, close - 1);
  if (inner.substr(0, 3) != "UTC" && inner.substr(0, 3) != "GMT") return false;
  inner.remove_prefix(3);
  *offset = 0;
  if (!inner.empty()) {
    const int sign = inner.front() == '-' ? -1 : 1;
    if (inner.front() != '+' && inner.front() != '-') return false;
    inner.remove_prefix(1);
    const std::size_t colon = inner.find(':');
    const auto h = ToInt(inner.substr(0, colon));
    const auto m = colon == std::string_view::npos ? std::optional<long long>(0)
                                                   : ToInt(inner.substr(colon + 1));
    if (!h || !m || *h > 14 || *m > 59) return false;
    *offset = sign * static_cast<int>(*h * 3600 + *m * 60);
  }
  *rest = s.substr(close + 1);
  return true;
}

}  // namespace

struct TimeZones::Impl {
  std::map<std::string, int> calendar_offsets;  // VTIMEZONE TZID -> standard offset
  std::map<std::string, std::pair<std::string, std::string>> resolved;  // tzid -> zone, how
  std::unordered_map<std::string, UCalendar*> calendars;                // zone -> ICU calendar
  std::unordered_map<std::string, std::vector<std::string>> cities;     // "london" -> zones
  bool cities_loaded = false;

  ~Impl() {
    for (auto& [zone, cal] : calendars) ucal_close(cal);
  }

  UCalendar* Calendar(const std::string& zone) {
    auto it = calendars.find(zone);
    if (it != calendars.end()) return it->second;
    const std::u16string u = U16(zone);
    UErrorCode st = U_ZERO_ERROR;
    UCalendar* cal = ucal_open(reinterpret_cast<const UChar*>(u.data()),
                               static_cast<int32_t>(u.size()), "en_GB", UCAL_GREGORIAN, &st);
    if (U_FAILURE(st) || cal == nullptr) {
      st = U_ZERO_ERROR;
      cal = ucal_open(u"UTC", -1, "en_GB", UCAL_GREGORIAN, &st);
    }
    ucal_setAttribute(cal, UCAL_REPEATED_WALL_TIME, UCAL_WALLTIME_FIRST);
    ucal_setAttribute(cal, UCAL_SKIPPED_WALL_TIME, UCAL_WALLTIME_NEXT_VALID);
    calendars.emplace(zone, cal);
    return cal;
  }

  void LoadCities() {
    if (cities_loaded) return;
    cities_loaded = true;
    UErrorCode st = U_ZERO_ERROR;
    UEnumeration* zones = ucal_openTimeZones(&st);
    if (U_FAILURE(st) || zones == nullptr) return;
    int32_t len = 0;
    while (const char* id = uenum_next(zones, &len, &st)) {
      if (U_FAILURE(st)) break;
      std::string zone(id, static_cast<std::size_t>(len));
      const std::size_t slash = zone.rfind('/');
      if (slash == std::string::npos || zone.rfind("Etc/", 0) == 0) continue;
      std::string city = ToLower(zone.substr(slash + 1));
      for (char& c : city) {
        if (c == '_') c = ' ';
      }
      cities[city].push_back(zone);
    }
    uenum_close(zones);
  }

  // An Outlook display name's zone, by its cities (see the header), or "".
  std::string FromCities(std::string_view names) {
    LoadCities();
    std::map<std::string, int> votes;  // Windows zone -> cities that name it
    std::string first_zone;
    while (!names.empty()) {
      const std::size_t sep = names.find_first_of(",:;/");
      std::string city = ToLower(Trim(names.substr(0, sep)));
      names = sep == std::string_view::npos ? std::string_view() : names.substr(sep + 1);
      auto it = cities.find(city);
      if (it == cities.end()) continue;
      for (const std::string& zone : it->second) {
        if (first_zone.empty()) first_zone = zone;
        if (std::string win = WindowsForZone(zone); !win.empty()) ++votes[win];
      }
    }
    std::string best;
    int most = 0;
    for (const auto& [win, n] : votes) {
      if (n > most) best = win, most = n;
    }
    if (!best.empty()) {
      if (std::string zone = ZoneForWindows(best); !zone.empty()) return zone;
    }
    return first_zone;
  }
};

TimeZones::TimeZones() : impl_(std::make_unique<Impl>()) {}
TimeZones::~TimeZones() = default;

void TimeZones::AddCalendarOffset(const std::string& tzid, int offset_seconds) {
  impl_->calendar_offsets.emplace(tzid, offset_seconds);
}

std::string TimeZones::Resolve(const std::string& raw, std::string* how) {
  auto cached = impl_->resolved.find(raw);
  if (cached != impl_->resolved.end()) {
    *how = cached->second.second;
    return cached->second.first;
  }
  std::string tzid(Trim(raw));
  if (tzid.size() >= 2 && tzid.front() == '"' && tzid.back() == '"') {
    tzid = tzid.substr(1, tzid.size() - 2);
  }
  std::string zone, note;
  // An IANA name, whole or behind a vendor prefix ("/mozilla.org/.../Europe/London").
  zone = SystemZone(tzid);
  for (std::size_t at = tzid.find('/'); zone.empty() && at != std::string::npos;
       at = tzid.find('/', at + 1)) {
    if (at + 1 < tzid.size()) zone = SystemZone(std::string_view(tzid).substr(at + 1));
  }
  if (zone.empty()) zone = ZoneForWindows(tzid);  // "GMT Standard Time"
  int offset = 0;
  std::string_view cities;
  if (zone.empty() && SplitDisplayName(tzid, &offset, &cities)) {
    zone = impl_->FromCities(cities);
    if (zone.empty()) {
      zone = FixedZone(offset);
      note =
          "TZID '" + tzid + "' names no known city: read as a fixed " + zone + " (no summer time)";
    }
  }
  if (zone.empty()) {
    if (auto it = impl_->calendar_offsets.find(raw); it != impl_->calendar_offsets.end()) {
      zone = FixedZone(it->second);
      note = "TZID '" + tzid + "' is not a known zone: read as its VTIMEZONE's standard offset " +
             zone + " (no summer time)";
    }
  }
  if (zone.empty()) {
    zone = "UTC";
    note = "TZID '" + tzid + "' is not a known zone: times read as UTC";
  }
  impl_->resolved.emplace(raw, std::make_pair(zone, note));
  *how = note;
  return zone;
}

UnixTime TimeZones::ToUtc(const std::string& zone, const CivilTime& t) {
  UCalendar* cal = impl_->Calendar(zone);
  UErrorCode st = U_ZERO_ERROR;
  ucal_clear(cal);
  ucal_setDateTime(cal, t.year, t.month - 1, t.day, t.hour, t.minute, t.second, &st);
  const UDate ms = ucal_getMillis(cal, &st);
  if (U_FAILURE(st) || !std::isfinite(ms)) {
    return static_cast<UnixTime>(
               DayFromCivil(t.year, static_cast<unsigned>(t.month), static_cast<unsigned>(t.day))) *
               86400 +
           t.hour * 3600 + t.minute * 60 + t.second;
  }
  return static_cast<UnixTime>(std::floor(ms / 1000.0));
}

CivilTime TimeZones::FromUtc(const std::string& zone, UnixTime utc) {
  UCalendar* cal = impl_->Calendar(zone);
  UErrorCode st = U_ZERO_ERROR;
  ucal_setMillis(cal, static_cast<UDate>(utc) * 1000.0, &st);
  CivilTime t;
  t.year = ucal_get(cal, UCAL_YEAR, &st);
  t.month = ucal_get(cal, UCAL_MONTH, &st) + 1;
  t.day = ucal_get(cal, UCAL_DATE, &st);
  t.hour = ucal_get(cal, UCAL_HOUR_OF_DAY, &st);
  t.minute = ucal_get(cal, UCAL_MINUTE, &st);
  t.second = ucal_get(cal, UCAL_SECOND, &st);
  return t;
}

}  // namespace signpost::sync::feeds
