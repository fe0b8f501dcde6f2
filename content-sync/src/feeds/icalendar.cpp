// iCalendar (RFC 5545) events adapter.
//
// Format: RFC 5545 itself (https://www.rfc-editor.org/rfc/rfc5545):
// content lines folded at 75 octets (CRLF + one space/tab continues a line,
// 3.1), property parameters (3.2, quoted values may hold ':' and ';'), TEXT
// escaping \\ \; \, \n \N (3.3.11), DATE and DATE-TIME forms with Z, TZID or
// floating time (3.3.4, 3.3.5), DURATION (3.3.6), RRULE (3.3.10), EXDATE
// (3.8.5.1), RECURRENCE-ID (3.8.4.4), GEO "lat;lon" (3.8.1.6).
// Colleges' and councils' .ics exports (Outlook, Google, WordPress event
// plugins) were not available to compare; the parser follows the RFC.
//
// Time zones: TZID=Europe/London (and Windows "GMT Standard Time") uses the
// UK rules (BST from 01:00 UTC on the last Sunday of March to 01:00 UTC on
// the last Sunday of October); floating times are read as UK local time;
// any other TZID is read as UTC (offset 0) and noted, not skipped. VTIMEZONE
// blocks are ignored.
// All-day events (VALUE=DATE) start at 00:00 UTC of the date (so DayOf()
// gives the published date); DTEND is exclusive (RFC), so a one-day event
// ends at 00:00 UTC the next day.
// RRULE: FREQ=DAILY/WEEKLY/MONTHLY with COUNT, UNTIL, INTERVAL, BYDAY (WEEKLY:
// weekdays; MONTHLY: "MO" every Monday, "2TU", "-1FR"), BYMONTHDAY (MONTHLY),
// WKST; expanded in local wall-clock time (09:00 stays 09:00 across BST);
// only occurrences overlapping [now, now + horizon) are emitted, at most
// max_occurrences per event, and at most 100000 candidates are examined.
// Other FREQ values: the first occurrence only, noted. EXDATE removes
// occurrences; a VEVENT with RECURRENCE-ID replaces its occurrence. RDATE,
// BYMONTH/BYSETPOS/BYHOUR and VTIMEZONE definitions are ignored.
//
// Mapping: VEVENT -> Event (source_id UID, or "UID/<UTC start>" for a
// recurring occurrence e.g. "abc@college/20261007T160000Z"), title SUMMARY,
// kind from SUMMARY/CATEGORIES words (open day/evening, taster, fair,
// talk/webinar/information evening, else other), routes bitmask from words
// (apprenticeship, T Level, university/degree, college/sixth form/A level),
// location_name LOCATION with a trailing postcode copied to postcode, GEO,
// URL, DESCRIPTION. Past single events and STATUS:CANCELLED are left out
// (not counted as skipped).
// Skipped and counted: no UID, no SUMMARY, missing or malformed DTSTART,
// DTEND before DTSTART, invalid UTF-8.
// Whole payload refused: no BEGIN:VCALENDAR (e.g. an HTML page).
// Thread safety: one thread at a time.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>
#include <set>

#include "feeds/adapters.h"
#include "feeds/feed_util.h"

namespace signpost::sync {
namespace {

using catalogue::Event;
using catalogue::EventKind;

// [SECTION] Content lines ------------------------------------------------------

struct Prop {
  std::string name;                                         // upper case
  std::vector<std::pair<std::string, std::string>> params;  // names upper case
  std::string value;
  std::string Param(std::string_view key) const {
    for (const auto& [k, v] : params) {
      if (k == key) return v;
    }
    return {};
  }
};

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::optional<Prop> ParseLine(std::string_view line) {
  // name *(";" param) ":" value, where param values may be quoted.
  Prop p;
  std::size_t i = 0;
  while (i < line.size() && line[i] != ';' && line[i] != ':') ++i;
  if (i == line.size()) return std::nullopt;
  p.name = Upper(feeds::Trim(line.substr(0, i)));
  while (i < line.size() && line[i] == ';') {
    ++i;
    std::size_t eq = i;
    while (eq < line.size() && line[eq] != '=' && line[eq] != ':' && line[eq] != ';') ++eq;
    if (eq >= line.size()) return std::nullopt;
    std::string key = Upper(line.substr(i, eq - i));
    std::string value;
    i = eq;
    if (line[i] == '=') {
      ++i;
      for (;;) {  // comma-separated list of (possibly quoted) values
        if (i < line.size() && line[i] == '"') {
          std::size_t close = line.find('"', i + 1);
          if (close == std::string_view::npos) return std::nullopt;
          value.append(line.substr(i + 1, close - i - 1));
          i = close + 1;
        } else {
          std::size_t e = i;
          while (e < line.size() && line[e] != ';' && line[e] != ':' && line[e] != ',') ++e;
          value.append(line.substr(i, e - i));
          i = e;
        }
        if (i < line.size() && line[i] == ',') {
          value.push_back(',');
          ++i;
          continue;
        }
        break;
      }
    }
    p.params.emplace_back(std::move(key), std::move(value));
  }
  if (i >= line.size() || line[i] != ':') return std::nullopt;
  p.value = std::string(line.substr(i + 1));
  return p;
}

std::string UnescapeText(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      char n = s[++i];
      out.push_back(n == 'n' || n == 'N' ? '\n' : n);
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

// [SECTION] Dates and time zones ------------------------------------------------

struct DateTime {
  bool is_date = false;  // VALUE=DATE
  bool utc = false;      // trailing Z
  Day day = 0;           // civil date (local)
  int secs = 0;          // seconds after local midnight
  std::string tzid;
};

int Weekday(Day d) {  // 0 = Sunday
  int w = static_cast<int>((static_cast<long long>(d) + 4) % 7);
  return w < 0 ? w + 7 : w;
}

int DaysInMonth(int y, unsigned m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
  return kDays[(m - 1) % 12];
}

Day LastSunday(int y, unsigned m) {
  Day last = DayFromCivil(y, m, static_cast<unsigned>(DaysInMonth(y, m)));
  return last - Weekday(last);
}

bool IsLondon(std::string_view tzid) {
  return tzid.empty() || feeds::ContainsNoCase(tzid, "Europe/London") ||
         feeds::EqualsNoCase(tzid, "GMT Standard Time") || feeds::EqualsNoCase(tzid, "GB");
}

// UK local wall-clock time -> UTC.
UnixTime LondonToUtc(Day day, int secs) {
  int y;
  unsigned m, d;
  CivilFromDay(day, &y, &m, &d);
  const UnixTime local = static_cast<UnixTime>(day) * 86400 + secs;
  const UnixTime bst_start = static_cast<UnixTime>(LastSunday(y, 3)) * 86400 + 3600;
  const UnixTime bst_end = static_cast<UnixTime>(LastSunday(y, 10)) * 86400 + 3600;
  const UnixTime if_bst = local - 3600;
  return (if_bst >= bst_start && if_bst < bst_end) ? if_bst : local;
}

std::optional<int> Digits(std::string_view s, std::size_t pos, std::size_t n) {
  if (pos + n > s.size()) return std::nullopt;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

// "20260907", "20260907T090000", "20260907T090000Z".
std::optional<DateTime> ParseDateTimeText(std::string_view v, bool date_param,
                                          const std::string& tzid) {
  v = feeds::Trim(v);
  DateTime dt;
  auto y = Digits(v, 0, 4), mo = Digits(v, 4, 2), d = Digits(v, 6, 2);
  if (!y || !mo || !d || *y < 1900 || *y > 2200 || *mo < 1 || *mo > 12 || *d < 1 ||
      *d > DaysInMonth(*y, static_cast<unsigned>(*mo))) {
    return std::nullopt;
  }
  dt.day = DayFromCivil(*y, static_cast<unsigned>(*mo), static_cast<unsigned>(*d));
  dt.tzid = tzid;
  if (v.size() == 8) {
    dt.is_date = true;
    return dt;
  }
  if (date_param) return std::nullopt;
  if (v.size() < 15 || v[8] != 'T') return std::nullopt;
  auto hh = Digits(v, 9, 2), mm = Digits(v, 11, 2), ss = Digits(v, 13, 2);
  if (!hh || !mm || !ss || *hh > 23 || *mm > 59 || *ss > 60) return std::nullopt;
  dt.secs = *hh * 3600 + *mm * 60 + (*ss == 60 ? 59 : *ss);
  if (v.size() == 16 && (v[15] == 'Z' || v[15] == 'z')) {
    dt.utc = true;
  } else if (v.size() != 15) {
    return std::nullopt;
  }
  return dt;
}

std::optional<DateTime> ParseDateTime(const Prop& p) {
  return ParseDateTimeText(p.value, feeds::EqualsNoCase(p.Param("VALUE"), "DATE"), p.Param("TZID"));
}

// "P1D", "PT1H30M", "P2W" -> seconds (negative durations are refused).
std::optional<long long> ParseDuration(std::string_view s) {
  s = feeds::Trim(s);
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  if (s.empty() || s.front() != 'P') return std::nullopt;
  long long total = 0, n = 0;
  bool digits = false, any = false;
  for (std::size_t i = 1; i < s.size(); ++i) {
    char c = s[i];
    if (c >= '0' && c <= '9') {
      n = n * 10 + (c - '0');
      if (n > 100000000) return std::nullopt;
      digits = true;
      continue;
    }
    if (c == 'T') continue;
    if (!digits) return std::nullopt;
    switch (c) {
      case 'W':
        total += n * 7 * 86400;
        break;
      case 'D':
        total += n * 86400;
        break;
      case 'H':
        total += n * 3600;
        break;
      case 'M':
        total += n * 60;
        break;
      case 'S':
        total += n;
        break;
      default:
        return std::nullopt;
    }
    n = 0, digits = false, any = true;
  }
  if (!any || digits) return std::nullopt;
  return total;
}

// [SECTION] Events --------------------------------------------------------------

struct VEvent {
  std::int64_t line = 0;
  std::map<std::string, Prop> props;  // first of each name
  std::vector<Prop> exdates;
  bool bad_utf8 = false;
};

EventKind KindOf(const std::string& text) {
  if (feeds::ContainsNoCase(text, "open day") || feeds::ContainsNoCase(text, "open evening") ||
      feeds::ContainsNoCase(text, "open morning") || feeds::ContainsNoCase(text, "open event")) {
    return EventKind::kOpenDay;
  }
  if (feeds::ContainsNoCase(text, "taster")) return EventKind::kTasterDay;
  if (feeds::ContainsNoCase(text, "fair")) return EventKind::kCareersFair;
  if (feeds::ContainsNoCase(text, "talk") || feeds::ContainsNoCase(text, "webinar") ||
      feeds::ContainsNoCase(text, "information evening") ||
      feeds::ContainsNoCase(text, "information session")) {
    return EventKind::kTalk;
  }
  return EventKind::kOther;
}

std::uint8_t RoutesOf(const std::string& text) {
  auto bit = [](catalogue::Route r) {
    return static_cast<std::uint8_t>(1u << static_cast<unsigned>(r));
  };
  std::uint8_t routes = 0;
  if (feeds::ContainsNoCase(text, "apprentice")) routes |= bit(catalogue::Route::kApprenticeship);
  if (feeds::ContainsNoCase(text, "t level") || feeds::ContainsNoCase(text, "t-level")) {
    routes |= bit(catalogue::Route::kTLevel);
  }
  if (feeds::ContainsNoCase(text, "university") || feeds::ContainsNoCase(text, "degree") ||
      feeds::ContainsNoCase(text, "ucas")) {
    routes |= bit(catalogue::Route::kHigherEducation);
  }
  if (feeds::ContainsNoCase(text, "college") || feeds::ContainsNoCase(text, "sixth form") ||
      feeds::ContainsNoCase(text, "a level") || feeds::ContainsNoCase(text, "btec")) {
    routes |= bit(catalogue::Route::kFurtherEducation);
  }
  return routes;
}

std::string UtcStamp(UnixTime t, bool date_only) {
  Day d = DayOf(t);
  int y;
  unsigned m, dd;
  CivilFromDay(d, &y, &m, &dd);
  char buf[96];
  if (date_only) {
    std::snprintf(buf, sizeof buf, "%04d%02u%02u", y, m, dd);
  } else {
    long long s = t - static_cast<UnixTime>(d) * 86400;
    std::snprintf(buf, sizeof buf, "%04d%02u%02uT%02lld%02lld%02lldZ", y, m, dd, s / 3600,
                  s / 60 % 60, s % 60);
  }
  return buf;
}

struct Rule {
  std::string freq;
  long long count = 0;  // 0 = no COUNT
  std::optional<DateTime> until;
  int interval = 1;
  std::vector<std::pair<int, int>> byday;  // (ordinal or 0, weekday 0=SU)
  std::vector<int> bymonthday;
  int wkst = 1;  // MO
};

int WeekdayCode(std::string_view s) {
  static constexpr std::string_view kCodes[] = {"SU", "MO", "TU", "WE", "TH", "FR", "SA"};
  for (int i = 0; i < 7; ++i) {
    if (feeds::EqualsNoCase(s, kCodes[i])) return i;
  }
  return -1;
}

std::optional<Rule> ParseRule(std::string_view v) {
  Rule r;
  while (!v.empty()) {
    std::size_t semi = v.find(';');
    std::string_view part = v.substr(0, semi);
    v = semi == std::string_view::npos ? std::string_view() : v.substr(semi + 1);
    std::size_t eq = part.find('=');
    if (eq == std::string_view::npos) continue;
    std::string key = Upper(feeds::Trim(part.substr(0, eq)));
    std::string_view val = feeds::Trim(part.substr(eq + 1));
    if (key == "FREQ") {
      r.freq = Upper(val);
    } else if (key == "COUNT") {
      auto n = feeds::ToInt(val);
      if (!n || *n < 1) return std::nullopt;
      r.count = *n;
    } else if (key == "INTERVAL") {
      auto n = feeds::ToInt(val);
      if (!n || *n < 1 || *n > 10000) return std::nullopt;
      r.interval = static_cast<int>(*n);
    } else if (key == "UNTIL") {
      r.until = ParseDateTimeText(val, false, {});
      if (!r.until) return std::nullopt;
    } else if (key == "WKST") {
      int w = WeekdayCode(val);
      if (w >= 0) r.wkst = w;
    } else if (key == "BYDAY" || key == "BYMONTHDAY") {
      while (!val.empty()) {
        std::size_t c = val.find(',');
        std::string_view item = feeds::Trim(val.substr(0, c));
        val = c == std::string_view::npos ? std::string_view() : val.substr(c + 1);
        if (key == "BYMONTHDAY") {
          auto n = feeds::ToInt(item);
          if (!n || *n == 0 || *n < -31 || *n > 31) return std::nullopt;
          r.bymonthday.push_back(static_cast<int>(*n));
          continue;
        }
        if (item.size() < 2) return std::nullopt;
        int w = WeekdayCode(item.substr(item.size() - 2));
        if (w < 0) return std::nullopt;
        int ord = 0;
        if (item.size() > 2) {
          auto n = feeds::ToInt(item.substr(0, item.size() - 2));
          if (!n || *n == 0 || *n < -5 || *n > 5) return std::nullopt;
          ord = static_cast<int>(*n);
        }
        r.byday.emplace_back(ord, w);
      }
    }
  }
  if (r.freq.empty()) return std::nullopt;
  return r;
}

// Candidate local days of one MONTHLY period.
std::vector<Day> MonthDays(const Rule& r, int y, unsigned m, unsigned start_dom) {
  std::vector<Day> days;
  const int dim = DaysInMonth(y, m);
  const Day first = DayFromCivil(y, m, 1);
  if (!r.byday.empty()) {
    for (const auto& [ord, wd] : r.byday) {
      std::vector<Day> all;
      for (int i = 0; i < dim; ++i) {
        if (Weekday(first + i) == wd) all.push_back(first + i);
      }
      if (ord == 0) {
        days.insert(days.end(), all.begin(), all.end());
      } else if (ord > 0 && static_cast<std::size_t>(ord) <= all.size()) {
        days.push_back(all[static_cast<std::size_t>(ord - 1)]);
      } else if (ord < 0 && static_cast<std::size_t>(-ord) <= all.size()) {
        days.push_back(all[all.size() - static_cast<std::size_t>(-ord)]);
      }
    }
  } else if (!r.bymonthday.empty()) {
    for (int md : r.bymonthday) {
      int d = md > 0 ? md : dim + md + 1;
      if (d >= 1 && d <= dim) days.push_back(first + d - 1);
    }
  } else if (static_cast<int>(start_dom) <= dim) {
    days.push_back(first + static_cast<int>(start_dom) - 1);
  }
  std::sort(days.begin(), days.end());
  days.erase(std::unique(days.begin(), days.end()), days.end());
  return days;
}

class IcalendarAdapter final : public FeedAdapter {
 public:
  explicit IcalendarAdapter(const IcalendarOptions& o) : options_(o) {}

  std::string_view kind() const override { return "icalendar"; }

  FeedRequest FirstRequest(const FeedSettings& feed) const override {
    FeedRequest req;
    req.url = feed.url;
    return req;
  }

  std::optional<FeedRequest> NextRequest(const FeedSettings&, int) const override {
    return std::nullopt;
  }

  Status Parse(std::string_view payload, int /*page*/, catalogue::FeedImport& out) override {
    now_ = options_.now != 0 ? options_.now : NowUnix();
    noted_.clear();
    std::vector<VEvent> events;
    if (Status s = Split(payload, events, out); !s.ok()) return s;
    // RECURRENCE-ID overrides: UID -> UTC instants they replace.
    std::map<std::string, std::set<UnixTime>> overridden;
    for (const VEvent& e : events) {
      auto uid = e.props.find("UID");
      auto rid = e.props.find("RECURRENCE-ID");
      if (uid == e.props.end() || rid == e.props.end()) continue;
      if (auto dt = ParseDateTime(rid->second)) overridden[uid->second.value].insert(ToUtc(*dt));
    }
    for (const VEvent& e : events) Emit(e, overridden, out);
    return Status::Ok();
  }

 private:
  void Note(const std::string& what) {
    if (options_.notes && noted_.insert(what).second)
      options_.notes->push_back("icalendar: " + what);
  }

  UnixTime ToUtc(const DateTime& dt) {
    if (dt.is_date || dt.utc) return static_cast<UnixTime>(dt.day) * 86400 + dt.secs;
    if (IsLondon(dt.tzid)) return LondonToUtc(dt.day, dt.secs);
    Note("TZID '" + dt.tzid + "' is not Europe/London: times read as UTC");
    return static_cast<UnixTime>(dt.day) * 86400 + dt.secs;
  }

  // Unfolds content lines and collects VEVENTs.
  Status Split(std::string_view payload, std::vector<VEvent>& events, catalogue::FeedImport& out) {
    std::string_view head = feeds::Trim(payload.substr(0, 512));
    if (head.substr(0, 3) == "\xEF\xBB\xBF") head = feeds::Trim(head.substr(3));
    if (!feeds::EqualsNoCase(head.substr(0, 15), "BEGIN:VCALENDAR")) {
      if (!head.empty() && head.front() == '<') {
        return Status::InvalidArgument(
            "icalendar: the response was an HTML page, not an iCalendar file");
      }
      return Status::InvalidArgument("icalendar: not an iCalendar file (no BEGIN:VCALENDAR)");
    }
    std::vector<std::string> stack;  // component names
    VEvent* current = nullptr;
    std::string logical;
    std::int64_t logical_line = 0, line_no = 0;
    auto flush = [&]() {
      if (logical.empty()) return;
      std::optional<Prop> p = ParseLine(logical);
      logical.clear();
      if (!p) return;  // not a content line: ignored
      if (p->name == "BEGIN") {
        stack.push_back(Upper(p->value));
        if (stack.back() == "VEVENT" && stack.size() >= 2 &&
            stack[stack.size() - 2] == "VCALENDAR") {
          events.emplace_back();
          current = &events.back();
          current->line = logical_line;
        }
        return;
      }
      if (p->name == "END") {
        if (!stack.empty()) {
          if (stack.back() == "VEVENT") current = nullptr;
          stack.pop_back();
        }
        return;
      }
      if (!current || stack.empty() || stack.back() != "VEVENT") return;  // VALARM etc.
      if (!feeds::IsValidUtf8(p->value)) current->bad_utf8 = true;
      for (const auto& param : p->params) {
        if (!feeds::IsValidUtf8(param.second)) current->bad_utf8 = true;
      }
      if (p->name == "EXDATE") {
        current->exdates.push_back(std::move(*p));
      } else {
        current->props.emplace(p->name, std::move(*p));
      }
    };
    std::size_t pos = payload.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;  // byte order mark
    while (pos < payload.size()) {
      std::size_t nl = payload.find('\n', pos);
      std::string_view line =
          payload.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
      pos = nl == std::string_view::npos ? payload.size() : nl + 1;
      ++line_no;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (!line.empty() && (line.front() == ' ' || line.front() == '\t')) {
        logical.append(line.substr(1));  // folded continuation
        continue;
      }
      flush();
      logical.assign(line);
      logical_line = line_no;
    }
    flush();
    (void)out;
    return Status::Ok();
  }

  void Emit(const VEvent& e, const std::map<std::string, std::set<UnixTime>>& overridden,
            catalogue::FeedImport& out) {
    const std::string where = "icalendar: VEVENT at line " + std::to_string(e.line);
    auto get = [&](const char* name) -> const Prop* {
      auto it = e.props.find(name);
      return it == e.props.end() ? nullptr : &it->second;
    };
    if (e.bad_utf8) return out.Skip(where + ": invalid UTF-8");
    const Prop* uid = get("UID");
    if (!uid || feeds::Trim(uid->value).empty()) return out.Skip(where + ": missing UID");
    const std::string id = std::string(feeds::Trim(uid->value));
    const Prop* summary = get("SUMMARY");
    if (!summary || feeds::Trim(summary->value).empty())
      return out.Skip(where + " (" + id + "): missing SUMMARY");
    if (const Prop* st = get("STATUS");
        st && feeds::EqualsNoCase(feeds::Trim(st->value), "CANCELLED"))
      return;
    const Prop* dtstart_p = get("DTSTART");
    if (!dtstart_p) return out.Skip(where + " (" + id + "): missing DTSTART");
    std::optional<DateTime> start = ParseDateTime(*dtstart_p);
    if (!start)
      return out.Skip(where + " (" + id + "): malformed DTSTART '" + dtstart_p->value + "'");
    const UnixTime start_utc = ToUtc(*start);
    long long length = start->is_date ? 86400 : 0;
    if (const Prop* dtend_p = get("DTEND")) {
      std::optional<DateTime> end = ParseDateTime(*dtend_p);
      if (!end) return out.Skip(where + " (" + id + "): malformed DTEND '" + dtend_p->value + "'");
      length = ToUtc(*end) - start_utc;
      if (length < 0) return out.Skip(where + " (" + id + "): DTEND before DTSTART");
    } else if (const Prop* dur = get("DURATION")) {
      std::optional<long long> d = ParseDuration(dur->value);
      if (!d) return out.Skip(where + " (" + id + "): malformed DURATION '" + dur->value + "'");
      length = *d;
    }

    Event ev;
    ev.title = UnescapeText(feeds::Trim(summary->value));
    ev.all_day = start->is_date;
    const Prop* cats = get("CATEGORIES");
    const std::string words = ev.title + " " + (cats ? UnescapeText(cats->value) : std::string());
    ev.kind = KindOf(words);
    if (const Prop* desc = get("DESCRIPTION")) ev.description = UnescapeText(desc->value);
    ev.routes = RoutesOf(words + " " + ev.description);
    if (const Prop* loc = get("LOCATION")) {
      ev.location_name = UnescapeText(feeds::Trim(loc->value));
      ev.postcode = feeds::PostcodeFromAddress(ev.location_name);
    }
    if (const Prop* geo = get("GEO")) {
      std::string_view g = geo->value;
      std::size_t semi = g.find(';');
      if (semi != std::string_view::npos) {
        auto lat = feeds::ToDouble(g.substr(0, semi));
        auto lon = feeds::ToDouble(g.substr(semi + 1));
        if (lat && lon && *lat >= -90 && *lat <= 90 && *lon >= -180 && *lon <= 180) {
          ev.location = catalogue::GeoPoint{*lat, *lon};
        }
      }
    }
    if (const Prop* url = get("URL")) ev.url = std::string(feeds::Trim(url->value));

    const Prop* rrule = get("RRULE");
    const Prop* rid = get("RECURRENCE-ID");
    if (rid) {  // an overriding instance: its own event
      std::optional<DateTime> r = ParseDateTime(*rid);
      if (!r) return out.Skip(where + " (" + id + "): malformed RECURRENCE-ID");
      ev.source_id = id + "/" + UtcStamp(ToUtc(*r), r->is_date);
      rrule = nullptr;
    } else {
      ev.source_id = id;
    }
    std::optional<Rule> rule;
    if (rrule) {
      rule = ParseRule(rrule->value);
      if (!rule) {
        Note("RRULE '" + rrule->value + "' not understood: first occurrence only");
      } else if (rule->freq != "DAILY" && rule->freq != "WEEKLY" && rule->freq != "MONTHLY") {
        Note("RRULE FREQ=" + rule->freq + " not supported: first occurrence only");
        rule.reset();
      }
    }
    if (!rule) {
      ev.start = start_utc;
      ev.end = start_utc + length;
      if (ev.end < now_) return;  // already over: not an error, nothing to show
      (void)out.AddEvent(ev);
      return;
    }
    std::set<UnixTime> excluded;
    for (const Prop& ex : e.exdates) {
      std::string_view rest = ex.value;
      while (!rest.empty()) {
        std::size_t c = rest.find(',');
        std::string_view item = rest.substr(0, c);
        rest = c == std::string_view::npos ? std::string_view() : rest.substr(c + 1);
        auto dt = ParseDateTimeText(item, feeds::EqualsNoCase(ex.Param("VALUE"), "DATE"),
                                    ex.Param("TZID"));
        if (dt) excluded.insert(ToUtc(*dt));
      }
    }
    if (auto it = overridden.find(id); it != overridden.end()) {
      excluded.insert(it->second.begin(), it->second.end());
    }
    Expand(*start, length, *rule, excluded, ev, out);
  }

  void Expand(const DateTime& start, long long length, const Rule& rule,
              const std::set<UnixTime>& excluded, Event ev, catalogue::FeedImport& out) {
    const std::string uid = ev.source_id;
    const UnixTime horizon = now_ + static_cast<UnixTime>(options_.horizon_days) * 86400;
    std::optional<UnixTime> until_utc;
    if (rule.until) {
      until_utc = rule.until->is_date ? static_cast<UnixTime>(rule.until->day) * 86400 + 86399
                                      : ToUtc(*rule.until);
    }
    long long counted = 0;
    int emitted = 0;
    long long examined = 0;
    bool done = false;
    auto consider = [&](Day day) {  // one candidate local day; false = stop
      if (day < start.day) return true;
      if (++examined > 100000) {
        Note("recurrence of '" + uid + "' stopped after 100000 candidates");
        return false;
      }
      DateTime local = start;
      local.day = day;
      const UnixTime s = ToUtc(local);
      if (until_utc && s > *until_utc) return false;
      if (rule.count > 0 && counted >= rule.count) return false;
      ++counted;
      if (s >= horizon) return false;
      if (s + length < now_ || excluded.count(s)) return true;
      if (emitted >= options_.max_occurrences) return false;
      ev.start = s;
      ev.end = s + length;
      ev.source_id = uid + "/" + UtcStamp(s, start.is_date);
      (void)out.AddEvent(ev);
      ++emitted;
      return true;
    };
    int y;
    unsigned m, dom;
    CivilFromDay(start.day, &y, &m, &dom);
    for (long long k = 0; !done; ++k) {
      if (rule.freq == "DAILY") {
        done = !consider(start.day + static_cast<Day>(k * rule.interval));
      } else if (rule.freq == "WEEKLY") {
        // Week containing DTSTART, starting on WKST.
        const Day week0 = start.day - ((Weekday(start.day) - rule.wkst + 7) % 7);
        const Day week = week0 + static_cast<Day>(k * 7 * rule.interval);
        std::vector<Day> days;
        if (rule.byday.empty()) {
          days.push_back(week + ((Weekday(start.day) - rule.wkst + 7) % 7));
        } else {
          for (const auto& bd : rule.byday)
            days.push_back(week + ((bd.second - rule.wkst + 7) % 7));
        }
        std::sort(days.begin(), days.end());
        days.erase(std::unique(days.begin(), days.end()), days.end());
        for (Day d : days) {
          if (!consider(d)) {
            done = true;
            break;
          }
        }
      } else {  // MONTHLY
        const long long months = static_cast<long long>(m - 1) + k * rule.interval;
        const long long yy = y + months / 12;
        if (yy > 2200) break;
        for (Day d :
             MonthDays(rule, static_cast<int>(yy), static_cast<unsigned>(months % 12 + 1), dom)) {
          if (!consider(d)) {
            done = true;
            break;
          }
        }
      }
      if (examined > 100000 || k > 100000) break;
    }
  }

  IcalendarOptions options_;
  UnixTime now_ = 0;             // "now" for the current Parse
  std::set<std::string> noted_;  // notes already written in this Parse
};

}  // namespace

std::unique_ptr<FeedAdapter> MakeIcalendarAdapter(const IcalendarOptions& options) {
  return std::make_unique<IcalendarAdapter>(options);
}

}  // namespace signpost::sync
