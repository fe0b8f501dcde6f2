#include "signpost/dates.h"

#include <chrono>
#include <cstdio>

namespace signpost {

// Howard Hinnant's days_from_civil / civil_from_days.
Day DayFromCivil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<Day>(era * 146097 + static_cast<int>(doe) - 719468);
}

void CivilFromDay(Day z0, int* year, unsigned* month, unsigned* day) {
  const int z = z0 + 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int y = static_cast<int>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  *year = y + (m <= 2);
  *month = m;
  *day = d;
}

namespace {

bool Digits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

unsigned DaysInMonth(int y, unsigned m) {
  static const unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
  return kDays[m - 1];
}

}  // namespace

std::optional<Day> ParseIsoDate(std::string_view s) {
  int y, m, d;
  if (s.size() < 10 || !Digits(s, 0, 4, &y) || s[4] != '-' || !Digits(s, 5, 2, &m) || s[7] != '-' ||
      !Digits(s, 8, 2, &d)) {
    return std::nullopt;
  }
  if (s.size() > 10 && s[10] != 'T' && s[10] != ' ' && s[10] != 't') return std::nullopt;
  if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 ||
      static_cast<unsigned>(d) > DaysInMonth(y, static_cast<unsigned>(m))) {
    return std::nullopt;
  }
  return DayFromCivil(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
}

std::string FormatIsoDate(Day d) {
  int y;
  unsigned m, dd;
  CivilFromDay(d, &y, &m, &dd);
  char buf[32];  // room for any int year, to keep -Wformat-truncation quiet
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", y, m, dd);
  return buf;
}

std::optional<UnixTime> ParseIsoTimestamp(std::string_view s) {
  auto day = ParseIsoDate(s);
  if (!day) return std::nullopt;
  UnixTime t = static_cast<UnixTime>(*day) * 86400;
  if (s.size() == 10) return t;
  int hh, mm, ss = 0;
  if (!Digits(s, 11, 2, &hh) || s.size() < 16 || s[13] != ':' || !Digits(s, 14, 2, &mm)) {
    return std::nullopt;
  }
  size_t pos = 16;
  if (pos < s.size() && s[pos] == ':') {
    if (!Digits(s, pos + 1, 2, &ss)) return std::nullopt;
    pos += 3;
    if (pos < s.size() && s[pos] == '.') {  // fractional seconds: ignored
      ++pos;
      while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
    }
  }
  if (hh > 23 || mm > 59 || ss > 60) return std::nullopt;
  t += hh * 3600 + mm * 60 + ss;
  if (pos == s.size()) return t;  // no zone: UTC
  if ((s[pos] == 'Z' || s[pos] == 'z') && pos + 1 == s.size()) return t;
  if (s[pos] == '+' || s[pos] == '-') {
    int oh, om = 0;
    if (!Digits(s, pos + 1, 2, &oh)) return std::nullopt;
    size_t q = pos + 3;
    if (q < s.size() && s[q] == ':') ++q;
    if (q < s.size()) {
      if (!Digits(s, q, 2, &om)) return std::nullopt;
      q += 2;
    }
    if (q != s.size() || oh > 14 || om > 59) return std::nullopt;
    const int off = (oh * 3600 + om * 60) * (s[pos] == '+' ? 1 : -1);
    return t - off;
  }
  return std::nullopt;
}

std::string FormatIsoTimestamp(UnixTime t) {
  const Day d = DayOf(t);
  const UnixTime secs = t - static_cast<UnixTime>(d) * 86400;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02dZ", FormatIsoDate(d).c_str(),
                static_cast<int>(secs / 3600), static_cast<int>(secs / 60 % 60),
                static_cast<int>(secs % 60));
  return buf;
}

UnixTime NowUnix() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Day TodayUtc() { return DayOf(NowUnix()); }

std::string FormatHumanDate(Day d, bool with_year) {
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  static const char* kWeekdays[] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
  int y;
  unsigned m, dd;
  CivilFromDay(d, &y, &m, &dd);
  const int wd = ((d % 7) + 7) % 7;  // 1970-01-01 was a Thursday
  char buf[40];
  if (with_year) {
    std::snprintf(buf, sizeof buf, "%s %u %s %d", kWeekdays[wd], dd, kMonths[m - 1], y);
  } else {
    std::snprintf(buf, sizeof buf, "%s %u %s", kWeekdays[wd], dd, kMonths[m - 1]);
  }
  return buf;
}

}  // namespace signpost
