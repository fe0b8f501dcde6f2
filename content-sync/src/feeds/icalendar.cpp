// iCalendar (RFC 5545) events adapter, on libical and ICU. Index:
//   [SECTION] Scanning: structure, unfolding, one VEVENT at a time
//   [SECTION] Reading a VEVENT with libical
//   [SECTION] The adapter: times, recurrence, caps
//
// Format: RFC 5545. No real college or council export is available as a
// sample; what real exporters emit (../shared/feeds/FORMATS.md section 8):
// Outlook/Exchange write Windows zone names (TZID="GMT Standard Time") and
// display names ("(UTC+00:00) Dublin, Edinburgh, Lisbon, London": likely),
// and relative monthly rules with BYSETPOS ("first Tuesday":
// FREQ=MONTHLY;BYDAY=TU;BYSETPOS=1); Google writes BYDAY=1WE and
// X-WR-TIMEZONE; WordPress's The Events Calendar writes Europe/London and
// blank lines between components.
//
// Parsing: the body is read as a stream a line at a time (unfolded, at most
// 1 MB a line): the structure is checked (BEGIN/END balanced, at most 8
// deep, ending with END:VCALENDAR: a calendar cut short is a failed
// download, never fewer events) and each VEVENT's own lines (not its
// VALARMs) are handed to libical one event at a time, so memory is bounded
// by one event, not the body. VTIMEZONE blocks are read for their TZID and
// standard offset only. Two passes: the first finds RECURRENCE-ID overrides.
// Time zones (timezones.h): a TZID is an IANA name, a Windows name or an
// Outlook display name, mapped with ICU; floating times are in the
// calendar's X-WR-TIMEZONE, else UK time. All-day events (VALUE=DATE) start
// at 00:00 UTC of the date (so DayOf() gives the published date) and DTEND
// is exclusive.
// Recurrence: libical expands RRULE (DAILY to YEARLY, BYDAY, BYMONTHDAY,
// BYMONTH, BYSETPOS, COUNT, UNTIL, INTERVAL, WKST) in local wall-clock time
// (09:00 stays 09:00 across BST), plus RDATE; EXDATE and overriding
// instances remove occurrences. Only occurrences overlapping [now, now +
// horizon) are kept; HOURLY and finer rules give the first occurrence only
// (noted). Caps: at most max_occurrences per event (the rest noted), and
// per feed at most max_feed_occurrences events and max_feed_steps
// recurrence steps: over either, the feed fails and keeps its old data.
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
// DTEND before DTSTART, an unreadable VEVENT, invalid UTF-8.
// Whole payload refused: no BEGIN:VCALENDAR (e.g. an HTML page), a cut or
// unbalanced structure, nesting deeper than 8, over a cap.
// Thread safety: one thread at a time.
#include <libical/ical.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <functional>
#include <map>
#include <set>

#include "feeds/adapters.h"
#include "feeds/feed_util.h"
#include "feeds/timezones.h"

namespace signpost::sync {
namespace {

using catalogue::Event;
using catalogue::EventKind;

// [SECTION] Scanning ---------------------------------------------------------------------

constexpr std::size_t kMaxLineBytes = 1 << 20;   // one unfolded content line
constexpr std::size_t kMaxEventBytes = 4 << 20;  // one VEVENT's text
constexpr std::size_t kMaxDepth = 8;             // VCALENDAR > VEVENT > VALARM is 3

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// A content line's name ("DTSTART" of "DTSTART;TZID=...:...") and value.
std::string LineName(std::string_view line) {
  return Upper(feeds::Trim(line.substr(0, line.find_first_of(";:"))));
}
std::string_view LineValue(std::string_view line) {
  // The value follows the first ':' outside a quoted parameter value.
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '"') quoted = !quoted;
    if (line[i] == ':' && !quoted) return line.substr(i + 1);
  }
  return {};
}

// "+0100" / "-0530" -> seconds.
std::optional<int> UtcOffset(std::string_view v) {
  v = feeds::Trim(v);
  if (v.size() < 5 || (v[0] != '+' && v[0] != '-')) return std::nullopt;
  const auto h = feeds::ToInt(v.substr(1, 2)), m = feeds::ToInt(v.substr(3, 2));
  if (!h || !m || *h > 23 || *m > 59) return std::nullopt;
  return (v[0] == '-' ? -1 : 1) * static_cast<int>(*h * 3600 + *m * 60);
}

struct ScanEvents {
  // Each VEVENT of the calendar: its text and first line; false stops the scan.
  std::function<bool(const std::string& text, std::int64_t line)> on_event;
  std::map<std::string, int> vtimezone_offsets;  // TZID -> standard offset (seconds)
  std::string default_tz;                        // X-WR-TIMEZONE
};

// Reads the calendar line by line (see the header); non-ok when it is not a
// whole calendar.
Status Scan(const Payload& payload, ScanEvents& scan) {
  std::unique_ptr<std::istream> in = payload.Stream();
  std::streambuf* buf = in->rdbuf();
  std::vector<std::string> stack;  // open components, upper case
  bool seen_calendar = false, ended = false, stopped = false;
  std::string event;  // the VEVENT being collected
  std::int64_t event_line = 0, line_no = 0, logical_line = 0;
  std::string tz_id;
  bool tz_standard_done = false;
  std::string logical, physical;
  Status problem;

  auto handle = [&](const std::string& line) -> bool {
    if (line.empty()) return true;
    const std::string name = LineName(line);
    const std::string_view value = LineValue(line);
    if (!seen_calendar) {
      if (!(name == "BEGIN" && Upper(feeds::Trim(value)) == "VCALENDAR")) {
        problem = Status::InvalidArgument(
            feeds::Trim(line).substr(0, 1) == "<"
                ? "icalendar: the response was an HTML page, not an iCalendar file"
                : "icalendar: not an iCalendar file (no BEGIN:VCALENDAR)");
        return false;
      }
      seen_calendar = true;
    }
    if (name == "BEGIN") {
      const std::string what = Upper(feeds::Trim(value));
      if (stack.empty() && what != "VCALENDAR") return true;  // stray text between calendars
      stack.push_back(what);
      if (stack.size() > kMaxDepth) {
        problem = Status::InvalidArgument("icalendar: components nested deeper than " +
                                          std::to_string(kMaxDepth) + " at line " +
                                          std::to_string(logical_line));
        return false;
      }
      if (stack.size() == 2 && what == "VEVENT") {
        event = "BEGIN:VEVENT\r\n";
        event_line = logical_line;
      }
      if (stack.size() == 2 && what == "VTIMEZONE") tz_id.clear(), tz_standard_done = false;
      return true;
    }
    if (name == "END") {
      const std::string what = Upper(feeds::Trim(value));
      if (stack.empty()) return true;
      if (stack.back() != what) {
        problem = Status::InvalidArgument(
            "icalendar: END:" + what + " at line " + std::to_string(logical_line) +
            " closes BEGIN:" + stack.back() + " (a damaged or cut file?)");
        return false;
      }
      if (stack.size() == 2 && what == "VEVENT") {
        event += "END:VEVENT\r\n";
        if (!scan.on_event(event, event_line)) {
          stopped = true;
          return false;
        }
        event.clear();
      }
      if (stack.size() == 3 && what == "STANDARD") tz_standard_done = true;
      stack.pop_back();
      if (stack.empty()) ended = true;
      return true;
    }
    if (stack.size() == 1 && name == "X-WR-TIMEZONE") {
      scan.default_tz = std::string(feeds::Trim(value));
    } else if (stack.size() == 2 && stack.back() == "VEVENT") {
      if (event.size() + line.size() > kMaxEventBytes) {
        problem = Status::InvalidArgument("icalendar: the VEVENT at line " +
                                          std::to_string(event_line) + " is larger than " +
                                          feeds::WithCommas(kMaxEventBytes) + " bytes");
        return false;
      }
      event += line;
      event += "\r\n";
    } else if (stack.size() == 2 && stack.back() == "VTIMEZONE" && name == "TZID") {
      tz_id = std::string(feeds::Trim(value));
    } else if (stack.size() == 3 && stack[1] == "VTIMEZONE" && stack[2] == "STANDARD" &&
               name == "TZOFFSETTO" && !tz_standard_done && !tz_id.empty()) {
      if (auto offset = UtcOffset(value)) scan.vtimezone_offsets.emplace(tz_id, *offset);
    }
    return true;
  };

  bool go = true;
  for (;;) {
    // One physical line.
    physical.clear();
    int c = buf->sbumpc();
    if (c == std::char_traits<char>::eof()) break;
    ++line_no;
    bool too_long = false;
    while (c != std::char_traits<char>::eof() && c != '\n') {
      if (physical.size() < kMaxLineBytes) {
        physical.push_back(static_cast<char>(c));
      } else {
        too_long = true;
      }
      c = buf->sbumpc();
    }
    if (!physical.empty() && physical.back() == '\r') physical.pop_back();
    if (line_no == 1 && physical.rfind("\xEF\xBB\xBF", 0) == 0) physical.erase(0, 3);  // BOM
    if (too_long || logical.size() + physical.size() > kMaxLineBytes) {
      return Status::InvalidArgument("icalendar: line " + std::to_string(line_no) +
                                     " is longer than " + feeds::WithCommas(kMaxLineBytes) +
                                     " bytes");
    }
    if (!physical.empty() && (physical[0] == ' ' || physical[0] == '\t') && !logical.empty()) {
      logical.append(physical, 1, std::string::npos);  // folded continuation
      continue;
    }
    if (!logical.empty() && !(go = handle(logical))) break;
    logical = physical;
    logical_line = line_no;
  }
  if (go && !logical.empty()) go = handle(logical);
  if (stopped) return Status::Ok();
  if (!problem.ok()) return problem;
  if (!seen_calendar) return Status::InvalidArgument("icalendar: the response was empty");
  if (!stack.empty() || !ended) {
    return Status::InvalidArgument(
        "icalendar: the calendar ends without END:VCALENDAR (a truncated download?)");
  }
  return Status::Ok();
}

// [SECTION] Reading a VEVENT with libical -------------------------------------------------

struct ComponentFree {
  void operator()(icalcomponent* c) const { icalcomponent_free(c); }
};
using Component = std::unique_ptr<icalcomponent, ComponentFree>;

struct PropertyFree {
  void operator()(icalproperty* p) const { icalproperty_free(p); }
};

std::string TzidOf(icalproperty* p) {
  icalparameter* tz = icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER);
  const char* v = tz ? icalparameter_get_tzid(tz) : nullptr;
  return v ? std::string(v) : std::string();
}

std::string TextOf(icalproperty* p) {
  if (!p) return {};
  const char* v = icalproperty_get_value_as_string(p);  // escapes undone for TEXT
  if (!v) return {};
  if (icalproperty_isa(p) == ICAL_SUMMARY_PROPERTY ||
      icalproperty_isa(p) == ICAL_DESCRIPTION_PROPERTY ||
      icalproperty_isa(p) == ICAL_LOCATION_PROPERTY ||
      icalproperty_isa(p) == ICAL_CATEGORIES_PROPERTY) {
    const icalvalue* val = icalproperty_get_value(p);
    if (val && icalvalue_isa(val) == ICAL_TEXT_VALUE) {
      const char* t = icalvalue_get_text(val);
      return t ? std::string(t) : std::string();
    }
  }
  return v;
}

bool PlausibleDate(const icaltimetype& t) {
  return !icaltime_is_null_time(t) && t.year >= 1900 && t.year <= 2200 && t.month >= 1 &&
         t.month <= 12 && t.day >= 1 && t.day <= 31;
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

// [SECTION] The adapter ---------------------------------------------------------------------

class IcalendarAdapter final : public FeedAdapter {
 public:
  explicit IcalendarAdapter(const IcalendarOptions& o) : options_(o) {
    // libical aborts on a parse error unless told not to; feeds are untrusted.
    icalerror_set_errors_are_fatal(0);
  }

  std::string_view kind() const override { return "icalendar"; }

  FeedRequest FirstRequest(const FeedSettings& feed) const override {
    FeedRequest req;
    req.url = feed.url;
    return req;
  }

  std::optional<FeedRequest> NextRequest(const FeedSettings&, int) const override {
    return std::nullopt;
  }

  std::vector<KeyField> KeyFields() const override {
    const std::string what = "events";
    KeyField place{"a place (LOCATION or GEO)", what, 0.5,
                   "has the calendar stopped saying where?"};
    place.event = [](const Event& e) { return !e.location_name.empty() || e.location.has_value(); };
    KeyField about{"a description or link", what, 0,
                   "has the calendar stopped publishing DESCRIPTION and URL?"};
    about.event = [](const Event& e) { return !e.description.empty() || !e.url.empty(); };
    return {place, about};
  }

  Status ParsePayload(const Payload& payload, int /*page*/, catalogue::FeedImport& out) override {
    now_ = options_.now != 0 ? options_.now : NowUnix();
    noted_.clear();
    zones_ = std::make_unique<feeds::TimeZones>();
    feed_events_ = 0;
    feed_steps_ = 0;
    over_cap_.clear();

    // Pass 1: the structure, time zones, and which occurrences are overridden.
    std::vector<std::pair<std::string, std::string>> overrides;  // UID, RECURRENCE-ID line
    ScanEvents first;
    first.on_event = [&](const std::string& text, std::int64_t) {
      std::string uid, rid;
      std::string_view rest = text;
      while (!rest.empty()) {
        const std::size_t nl = rest.find("\r\n");
        const std::string_view line = rest.substr(0, nl);
        rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 2);
        const std::string name = LineName(line);
        if (name == "UID") uid = std::string(feeds::Trim(LineValue(line)));
        if (name == "RECURRENCE-ID") rid = std::string(line);
      }
      if (!uid.empty() && !rid.empty() && overrides.size() < 100000) {
        overrides.emplace_back(uid, rid);
      }
      return true;
    };
    if (Status s = Scan(payload, first); !s.ok()) return s;
    for (const auto& [tzid, offset] : first.vtimezone_offsets) {
      zones_->AddCalendarOffset(tzid, offset);
    }
    default_zone_ = "Europe/London";
    if (!first.default_tz.empty()) default_zone_ = Zone(first.default_tz);
    overridden_.clear();
    for (const auto& [uid, line] : overrides) {
      std::unique_ptr<icalproperty, PropertyFree> p(icalproperty_new_from_string(line.c_str()));
      if (!p) continue;
      const icaltimetype t = icalproperty_get_recurrenceid(p.get());
      if (PlausibleDate(t)) overridden_[uid].insert(ToUtc(t, TzidOf(p.get())));
    }

    // Pass 2: each event, expanded.
    ScanEvents second;
    second.on_event = [&](const std::string& text, std::int64_t line) {
      Emit(text, line, out);
      return over_cap_.empty();
    };
    if (Status s = Scan(payload, second); !s.ok()) return s;
    if (!over_cap_.empty()) return Status::InvalidArgument("icalendar: " + over_cap_);
    return Status::Ok();
  }

  Status Parse(std::string_view payload, int page, catalogue::FeedImport& out) override {
    return ParsePayload(Payload::Borrow(payload), page, out);
  }

 private:
  void Note(const std::string& what) {
    if (options_.notes && noted_.size() < 50 && noted_.insert(what).second)
      options_.notes->push_back("icalendar: " + what);
  }

  std::string Zone(const std::string& tzid) {
    std::string how;
    std::string zone = zones_->Resolve(tzid, &how);
    if (!how.empty()) Note(how);
    return zone;
  }

  // A DATE or DATE-TIME as UTC (see the header for all-day and floating times).
  UnixTime ToUtc(const icaltimetype& t, const std::string& tzid) {
    if (t.is_date || icaltime_is_utc(t)) {
      return static_cast<UnixTime>(DayFromCivil(t.year, static_cast<unsigned>(t.month),
                                                static_cast<unsigned>(t.day))) *
                 86400 +
             (t.is_date ? 0 : t.hour * 3600 + t.minute * 60 + t.second);
    }
    const std::string zone = tzid.empty() ? default_zone_ : Zone(tzid);
    return zones_->ToUtc(zone, {t.year, t.month, t.day, t.hour, t.minute, t.second});
  }

  void Emit(const std::string& text, std::int64_t line, catalogue::FeedImport& out) {
    const std::string where = "icalendar: VEVENT at line " + std::to_string(line);
    if (!feeds::IsValidUtf8(text)) return out.Skip(where + ": invalid UTF-8");
    Component c(icalparser_parse_string(text.c_str()));
    if (!c || icalcomponent_isa(c.get()) != ICAL_VEVENT_COMPONENT) {
      return out.Skip(where + ": not a readable VEVENT");
    }
    icalcomponent* ev = c.get();
    auto prop = [&](icalproperty_kind k) { return icalcomponent_get_first_property(ev, k); };
    const std::string id = std::string(feeds::Trim(TextOf(prop(ICAL_UID_PROPERTY))));
    if (id.empty()) return out.Skip(where + ": missing UID");
    const std::string summary = std::string(feeds::Trim(TextOf(prop(ICAL_SUMMARY_PROPERTY))));
    if (summary.empty()) return out.Skip(where + " (" + id + "): missing SUMMARY");
    if (icalproperty* st = prop(ICAL_STATUS_PROPERTY);
        st && icalproperty_get_status(st) == ICAL_STATUS_CANCELLED) {
      return;
    }
    icalproperty* dtstart_p = prop(ICAL_DTSTART_PROPERTY);
    if (!dtstart_p) return out.Skip(where + " (" + id + "): missing DTSTART");
    const icaltimetype start = icalproperty_get_dtstart(dtstart_p);
    if (!PlausibleDate(start)) return out.Skip(where + " (" + id + "): malformed DTSTART");
    const std::string start_tz = TzidOf(dtstart_p);
    const std::string zone = start.is_date || icaltime_is_utc(start)
                                 ? "UTC"
                                 : (start_tz.empty() ? default_zone_ : Zone(start_tz));
    const UnixTime start_utc = ToUtc(start, start_tz);
    long long length = start.is_date ? 86400 : 0;
    if (icalproperty* dtend_p = prop(ICAL_DTEND_PROPERTY)) {
      const icaltimetype end = icalproperty_get_dtend(dtend_p);
      if (!PlausibleDate(end)) return out.Skip(where + " (" + id + "): malformed DTEND");
      length = ToUtc(end, TzidOf(dtend_p)) - start_utc;
      if (length < 0) return out.Skip(where + " (" + id + "): DTEND before DTSTART");
    } else if (icalproperty* dur = prop(ICAL_DURATION_PROPERTY)) {
      const icaldurationtype d = icalproperty_get_duration(dur);
      const long long seconds = (static_cast<long long>(d.weeks) * 7 + d.days) * 86400 +
                                static_cast<long long>(d.hours) * 3600 + d.minutes * 60LL +
                                d.seconds;
      if (d.is_neg || seconds > 3660LL * 86400) {
        return out.Skip(where + " (" + id + "): DURATION negative or over ten years");
      }
      length = seconds;
    }

    Event e;
    e.title = summary;
    e.all_day = start.is_date != 0;
    std::string words = e.title;
    for (icalproperty* cat = icalcomponent_get_first_property(ev, ICAL_CATEGORIES_PROPERTY); cat;
         cat = icalcomponent_get_next_property(ev, ICAL_CATEGORIES_PROPERTY)) {
      words += " " + TextOf(cat);
    }
    e.kind = KindOf(words);
    e.description = TextOf(prop(ICAL_DESCRIPTION_PROPERTY));
    e.routes = RoutesOf(words + " " + e.description);
    e.location_name = std::string(feeds::Trim(TextOf(prop(ICAL_LOCATION_PROPERTY))));
    e.postcode = feeds::PostcodeFromAddress(e.location_name);
    if (icalproperty* geo = prop(ICAL_GEO_PROPERTY)) {
      const icalgeotype g = icalproperty_get_geo(geo);
      if (g.lat >= -90 && g.lat <= 90 && g.lon >= -180 && g.lon <= 180 &&
          !(g.lat == 0 && g.lon == 0)) {
        e.location = catalogue::GeoPoint{g.lat, g.lon};
      }
    }
    if (icalproperty* url = prop(ICAL_URL_PROPERTY)) e.url = std::string(feeds::Trim(TextOf(url)));
    if (!feeds::IsValidUtf8(e.title) || !feeds::IsValidUtf8(e.description) ||
        !feeds::IsValidUtf8(e.location_name) || !feeds::IsValidUtf8(e.url)) {
      return out.Skip(where + " (" + id + "): invalid UTF-8");
    }

    if (icalproperty* rid = prop(ICAL_RECURRENCEID_PROPERTY)) {  // an overriding instance
      const icaltimetype r = icalproperty_get_recurrenceid(rid);
      if (!PlausibleDate(r)) return out.Skip(where + " (" + id + "): malformed RECURRENCE-ID");
      e.source_id = id + "/" + UtcStamp(ToUtc(r, TzidOf(rid)), r.is_date != 0);
      e.start = start_utc;
      e.end = start_utc + length;
      if (e.end >= now_) AddOccurrence(e, out);
      return;
    }
    e.source_id = id;
    icalproperty* rrule_p = prop(ICAL_RRULE_PROPERTY);
    std::optional<icalrecurrencetype> rule;
    if (rrule_p) {
      rule = icalproperty_get_rrule(rrule_p);
      if (rule->freq == ICAL_NO_RECURRENCE) {
        Note("RRULE of '" + id + "' not understood: first occurrence only");
        rule.reset();
      } else if (rule->freq < ICAL_DAILY_RECURRENCE) {
        Note(std::string("RRULE FREQ=") + icalrecur_freq_to_string(rule->freq) +
             " not supported: first occurrence only");
        rule.reset();
      }
    }
    const bool has_rdate = prop(ICAL_RDATE_PROPERTY) != nullptr;
    if (!rule && !has_rdate) {
      e.start = start_utc;
      e.end = start_utc + length;
      if (e.end < now_) return;  // already over: not an error, nothing to show
      AddOccurrence(e, out);
      return;
    }
    // The occurrences EXDATE and overriding instances replace.
    std::set<UnixTime> excluded;
    for (icalproperty* ex = icalcomponent_get_first_property(ev, ICAL_EXDATE_PROPERTY); ex;
         ex = icalcomponent_get_next_property(ev, ICAL_EXDATE_PROPERTY)) {
      const icaltimetype t = icalproperty_get_exdate(ex);
      if (PlausibleDate(t)) excluded.insert(ToUtc(t, TzidOf(ex)));
    }
    if (auto it = overridden_.find(id); it != overridden_.end()) {
      excluded.insert(it->second.begin(), it->second.end());
    }
    Expand(e, start, zone, start_utc, length, rule, excluded, ev, out);
  }

  void Expand(Event e, const icaltimetype& start, const std::string& zone, UnixTime start_utc,
              long long length, std::optional<icalrecurrencetype> rule,
              const std::set<UnixTime>& excluded, icalcomponent* ev, catalogue::FeedImport& out) {
    const std::string uid = e.source_id;
    const UnixTime horizon = now_ + static_cast<UnixTime>(options_.horizon_days) * 86400;
    std::set<UnixTime> starts;  // every occurrence kept, by UTC start
    bool capped = false;
    auto consider = [&](UnixTime s) {
      if (s >= horizon || s + length < now_ || excluded.count(s) || starts.count(s)) return;
      if (static_cast<int>(starts.size()) >= options_.max_occurrences) {
        Note("'" + uid + "' has more than " + std::to_string(options_.max_occurrences) +
             " occurrences in the horizon: the first " + std::to_string(options_.max_occurrences) +
             " are kept");
        capped = true;
        return;
      }
      starts.insert(s);
    };
    consider(start_utc);  // DTSTART is always the first occurrence
    if (rule) {
      icaltimetype local = start;
      local.zone = nullptr;  // expanded in wall-clock time
      if (!icaltime_is_null_time(rule->until) && icaltime_is_utc(rule->until) && !start.is_date) {
        // UNTIL is UTC; the expansion is local: compare like with like.
        const feeds::CivilTime u = zones_->FromUtc(zone, ToUtc(rule->until, ""));
        rule->until = icaltime_null_time();
        rule->until.year = u.year, rule->until.month = u.month, rule->until.day = u.day;
        rule->until.hour = u.hour, rule->until.minute = u.minute, rule->until.second = u.second;
      }
      icalrecur_iterator* it = icalrecur_iterator_new(*rule, local);
      if (!it) {
        Note("RRULE of '" + uid + "' could not be expanded: first occurrence only");
      } else {
        // Far in the past and open-ended: start near now, not at DTSTART.
        if (rule->count == 0 && start_utc + length < now_ - 7 * 86400) {
          const feeds::CivilTime n = zones_->FromUtc(zone, now_ - length - 86400);
          icaltimetype from = local;
          from.year = n.year, from.month = n.month, from.day = n.day;
          (void)icalrecur_iterator_set_start(it, from);
        }
        for (int examined = 0;; ++examined) {
          if (++feed_steps_ > options_.max_feed_steps) {
            over_cap_ = "the recurrence rules need more than " +
                        feeds::WithCommas(options_.max_feed_steps) +
                        " steps to expand; the feed keeps its old data";
            break;
          }
          const icaltimetype next = icalrecur_iterator_next(it);
          if (icaltime_is_null_time(next) || !PlausibleDate(next)) break;
          const UnixTime s = next.is_date
                                 ? ToUtc(next, "")
                                 : zones_->ToUtc(zone, {next.year, next.month, next.day, next.hour,
                                                        next.minute, next.second});
          if (s >= horizon) break;
          consider(s);
          if (capped) break;
        }
        icalrecur_iterator_free(it);
      }
    }
    for (icalproperty* rd = icalcomponent_get_first_property(ev, ICAL_RDATE_PROPERTY); rd;
         rd = icalcomponent_get_next_property(ev, ICAL_RDATE_PROPERTY)) {
      const icaldatetimeperiodtype r = icalproperty_get_rdate(rd);
      const icaltimetype t = icaltime_is_null_time(r.time) ? r.period.start : r.time;
      if (PlausibleDate(t)) consider(ToUtc(t, TzidOf(rd)));
    }
    for (UnixTime s : starts) {
      e.start = s;
      e.end = s + length;
      e.source_id = uid + "/" + UtcStamp(s, start.is_date != 0);
      AddOccurrence(e, out);
      if (!over_cap_.empty()) return;
    }
  }

  void AddOccurrence(const Event& e, catalogue::FeedImport& out) {
    if (!over_cap_.empty()) return;
    if (++feed_events_ > options_.max_feed_occurrences) {
      over_cap_ = "more than " + feeds::WithCommas(options_.max_feed_occurrences) +
                  " events in the next " + std::to_string(options_.horizon_days) +
                  " days (a recurring event with no end?); the feed keeps its old data";
      return;
    }
    (void)out.AddEvent(e);
  }

  IcalendarOptions options_;
  UnixTime now_ = 0;             // "now" for the current Parse
  std::set<std::string> noted_;  // notes already written in this Parse
  std::unique_ptr<feeds::TimeZones> zones_;
  std::string default_zone_;                              // for floating times
  std::map<std::string, std::set<UnixTime>> overridden_;  // UID -> instants replaced
  std::int64_t feed_events_ = 0;                          // events added in this Parse
  std::int64_t feed_steps_ = 0;                           // recurrence steps in this Parse
  std::string over_cap_;                                  // why the feed went over a cap
};

}  // namespace

std::unique_ptr<FeedAdapter> MakeIcalendarAdapter(const IcalendarOptions& options) {
  return std::make_unique<IcalendarAdapter>(options);
}

}  // namespace signpost::sync
