// The sample catalogue loader (see sample_data.h).
//
// Index:
//   [SECTION] Errors and JSON access    -- every failure names the file and the record
//   [SECTION] Relative dates            -- start anchors, UK local time for events
//   [SECTION] The parsed sample         -- the seven files, read once per call
//   [SECTION] Feeds                     -- one Emit* per feed, records into a FeedImport
//   [SECTION] Public functions
//
// nlohmann::json throws; everything that can throw is inside this file and is
// turned into a Status before it leaves a public function.
#include "signpost/sample_data.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <utility>

#ifndef SIGNPOST_SAMPLE_SOURCE_DIR
#define SIGNPOST_SAMPLE_SOURCE_DIR ""
#endif
#ifndef SIGNPOST_SAMPLE_INSTALL_DIR
#define SIGNPOST_SAMPLE_INSTALL_DIR "/usr/share/signpost/sample"
#endif

namespace signpost {

namespace {

using catalogue::FeedImport;
using nlohmann::json;
namespace fs = std::filesystem;

// [SECTION] Errors and JSON access -------------------------------------------

// A malformed sample file. Never leaves this file.
struct SampleError {
  Status status;
};
[[noreturn]] void Fail(Status s) { throw SampleError{std::move(s)}; }

// A JSON object and where it came from ("careers.json, career \"nurse\""), so
// every complaint says which file and which record.
class Obj {
 public:
  Obj(const json& j, std::string where) : j_(j), where_(std::move(where)) {
    if (!j_.is_object()) Bad("must be a JSON object");
  }
  const std::string& where() const { return where_; }
  bool Has(const char* key) const { return j_.contains(key) && !j_.at(key).is_null(); }
  const json& At(const char* key) const {
    if (!Has(key)) Bad(std::string("has no \"") + key + "\"");
    return j_.at(key);
  }
  std::string Str(const char* key) const {
    const json& v = At(key);
    if (!v.is_string()) Bad(std::string("\"") + key + "\" must be text");
    return v.get<std::string>();
  }
  std::string OptStr(const char* key, const std::string& fallback = "") const {
    return Has(key) ? Str(key) : fallback;
  }
  double Num(const char* key) const {
    const json& v = At(key);
    if (!v.is_number()) Bad(std::string("\"") + key + "\" must be a number");
    return v.get<double>();
  }
  double OptNum(const char* key, double fallback) const { return Has(key) ? Num(key) : fallback; }
  int Int(const char* key) const {
    const json& v = At(key);
    if (!v.is_number_integer()) Bad(std::string("\"") + key + "\" must be a whole number");
    return v.get<int>();
  }
  int OptInt(const char* key, int fallback) const { return Has(key) ? Int(key) : fallback; }
  std::vector<std::string> StrList(const char* key) const {
    std::vector<std::string> out;
    if (!Has(key)) return out;
    const json& v = At(key);
    if (!v.is_array()) Bad(std::string("\"") + key + "\" must be a list");
    for (const json& e : v) {
      if (!e.is_string()) Bad(std::string("\"") + key + "\" must be a list of text");
      out.push_back(e.get<std::string>());
    }
    return out;
  }
  const json& Array(const char* key) const {
    const json& v = At(key);
    if (!v.is_array()) Bad(std::string("\"") + key + "\" must be a list");
    return v;
  }
  const json& Object(const char* key) const {
    const json& v = At(key);
    if (!v.is_object()) Bad(std::string("\"") + key + "\" must be a JSON object");
    return v;
  }
  [[noreturn]] void Bad(const std::string& what) const {
    Fail(Status::Corrupt("sample file " + where_ + " " + what));
  }

 private:
  const json& j_;
  std::string where_;
};

struct File {
  std::string name;  // "careers.json"
  json doc;
};

File ReadJsonFile(const std::string& dir, const std::string& name) {
  const fs::path path = fs::path(dir) / name;
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    Fail(Status::NotFound("sample file " + path.string() + " is missing"));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) Fail(Status::IoError("sample file " + path.string() + " could not be opened"));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) Fail(Status::IoError("sample file " + path.string() + " could not be read"));
  File f{name, json()};
  try {
    f.doc = json::parse(text.str());
  } catch (const json::parse_error& e) {
    Fail(Status::Corrupt("sample file " + path.string() + " is not valid JSON (at byte " +
                         std::to_string(e.byte) + "): " + e.what()));
  }
  if (!f.doc.is_object()) {
    Fail(Status::Corrupt("sample file " + path.string() + " must hold a JSON object"));
  }
  return f;
}

// Adds a record; a record the catalogue refuses (kInvalidArgument) is counted
// as skipped by the import and loading goes on; anything else (the disk)
// stops the load.
void Add(const Status& s) {
  if (!s.ok() && s.code() != Status::Code::kInvalidArgument) Fail(s);
}

// [SECTION] Relative dates ------------------------------------------------------

int WeekdayMon0(Day d) { return ((d + 3) % 7 + 7) % 7; }  // 1970-01-01 was a Thursday
Day MondayOnOrAfter(Day d) { return d + (7 - WeekdayMon0(d)) % 7; }

int YearOf(Day d) {
  int y;
  unsigned m, dd;
  CivilFromDay(d, &y, &m, &dd);
  return y;
}

// The next term start on or after today: the Monday on or after `dom` `month`.
Day NextStart(Day today, unsigned month, unsigned dom) {
  for (int y = YearOf(today); y <= YearOf(today) + 1; ++y) {
    const Day s = MondayOnOrAfter(DayFromCivil(y, month, dom));
    if (s >= today) return s;
  }
  return MondayOnOrAfter(DayFromCivil(YearOf(today) + 1, month, dom));
}

Day LastSunday(int year, unsigned month) {
  const Day last =
      (month == 12 ? DayFromCivil(year + 1, 1, 1) : DayFromCivil(year, month + 1, 1)) - 1;
  return last - (WeekdayMon0(last) + 1) % 7;
}

// The Christmas break, when nothing starts and nobody holds an open day.
bool InChristmasBreak(Day d) {
  int y;
  unsigned m, dd;
  CivilFromDay(d, &y, &m, &dd);
  return (m == 12 && dd >= 22) || (m == 1 && dd <= 2);
}

// A vacancy's start: the first Monday on or after `d`, outside the break.
Day StartMonday(Day d) {
  Day s = MondayOnOrAfter(d);
  while (InChristmasBreak(s)) s = MondayOnOrAfter(s + 1);
  return s;
}

// The day an event is held: the first `weekday` (0 = Monday) on or after
// `d`. As `today` moves the event moves by whole weeks, so a Saturday taster
// stays on a Saturday. Nobody holds one in the Christmas break: it moves a
// whole number of weeks out of it, to the last week before (`earlier`, when
// that is still after `today`) or the first week after; events alternate
// between the two so the break's events do not all pile onto early January.
Day EventDay(Day d, int weekday, bool earlier, Day today) {
  d += (weekday - WeekdayMon0(d) + 7) % 7;
  if (!InChristmasBreak(d)) return d;
  Day before = d - 7, after = d + 7;
  while (InChristmasBreak(before)) before -= 7;
  while (InChristmasBreak(after)) after += 7;
  return earlier && before > today ? before : after;
}

// "mon".."sat" -> 0..5: the weekday an event is held on (never a Sunday;
// evening events, from 15:00, Monday to Thursday only).
int ParseEventWeekday(const Obj& e, int start_minutes) {
  static const char* const kDays[6] = {"mon", "tue", "wed", "thu", "fri", "sat"};
  const std::string w = e.Str("weekday");
  for (int i = 0; i < 6; ++i) {
    if (w != kDays[i]) continue;
    if (start_minutes >= 15 * 60 && i > 3) e.Bad("is an evening event on a " + w + " (mon..thu)");
    return i;
  }
  e.Bad("has \"weekday\" \"" + w + "\" (one of mon tue wed thu fri sat)");
  return 0;
}

// UK local wall-clock time on `day` to UTC (BST from the last Sunday of March
// to the last Sunday of October; the changeover hour itself is not special).
UnixTime UkLocalToUtc(Day day, int minutes) {
  const int y = YearOf(day);
  const bool bst = day >= LastSunday(y, 3) && day < LastSunday(y, 10);
  return static_cast<UnixTime>(day) * 86400 + minutes * 60 - (bst ? 3600 : 0);
}

int ParseClock(const Obj& o, const char* key) {
  const std::string t = o.Str(key);
  int h = -1, m = -1;
  if (t.size() == 5 && t[2] == ':') {
    h = std::atoi(t.substr(0, 2).c_str());
    m = std::atoi(t.substr(3, 2).c_str());
  }
  if (h < 0 || h > 23 || m < 0 || m > 59) o.Bad(std::string("\"") + key + "\" must be HH:MM");
  return h * 60 + m;
}

// A course "start": a named anchor or a number of days from today.
void SetStart(const Obj& o, const json& start, Day today, catalogue::Opportunity* opp) {
  if (start.is_number_integer()) {
    opp->start = today + start.get<int>();
    return;
  }
  if (!start.is_string()) o.Bad("\"start\" must be a number of days or a named start");
  const std::string s = start.get<std::string>();
  if (s == "flexible") {
    opp->flexible_start = true;
  } else if (s == "september") {
    opp->start = NextStart(today, 9, 3);
  } else if (s == "he_september") {
    opp->start = NextStart(today, 9, 20);
  } else if (s == "january") {
    opp->start = NextStart(today, 1, 5);
  } else if (s == "april") {
    opp->start = NextStart(today, 4, 14);
  } else {
    o.Bad("has an unknown \"start\" \"" + s +
          "\" (use september, he_september, january, april, flexible or a number)");
  }
}

// [SECTION] The parsed sample ---------------------------------------------------------

struct ProviderEntry {
  catalogue::Provider provider;
  std::string course_note;  // appended to the descriptions of its courses
};

struct Sample {
  SampleInfo info;
  std::map<std::string, File> files;               // by role: "providers", "courses", ...
  std::map<std::string, ProviderEntry> providers;  // by id
  std::vector<std::string> provider_order;         // as listed

  const File& Get(const std::string& role) const { return files.at(role); }
  const ProviderEntry& ProviderOf(const Obj& where, const std::string& id) const {
    auto it = providers.find(id);
    if (it == providers.end())
      where.Bad("names provider \"" + id + "\", which providers.json lacks");
    return it->second;
  }
};

constexpr const char* kRoles[] = {"providers", "courses", "vacancies", "events",
                                  "careers",   "local",   "reference"};

SampleInfo ParseManifest(const File& f) {
  const Obj m(f.doc, f.name);
  if (m.OptInt("format", 1) != 1) m.Bad("has a \"format\" this Signpost does not know");
  SampleInfo info;
  info.name = m.Str("name");
  info.area = m.Str("area");
  info.kiosk_postcode = m.Str("kiosk_postcode");
  info.kiosk_location_name = m.OptStr("kiosk_location_name");
  if (catalogue::NormalisePostcode(info.kiosk_postcode).empty()) {
    m.Bad("has a \"kiosk_postcode\" that is not a UK postcode");
  }
  return info;
}

void ParseProviders(Sample* s) {
  const File& f = s->Get("providers");
  const Obj root(f.doc, f.name);
  for (const json& j : root.Array("providers")) {
    const Obj o(j, f.name + ", a provider");
    ProviderEntry e;
    catalogue::Provider& p = e.provider;
    p.id = o.Str("id");
    const Obj po(j, f.name + ", provider \"" + p.id + "\"");
    p.name = po.Str("name");
    const auto kind = catalogue::ParseProviderKind(po.Str("kind"));
    if (!kind) po.Bad("has an unknown \"kind\"");
    p.kind = *kind;
    p.ukprn = po.OptStr("ukprn");
    p.address = po.OptStr("address");
    p.town = po.Str("town");
    p.postcode = po.Str("postcode");
    p.location = catalogue::GeoPoint{po.Num("lat"), po.Num("lon")};
    p.phone = po.OptStr("phone");
    p.email = po.OptStr("email");
    p.website = po.OptStr("website");
    e.course_note = po.OptStr("course_note");
    if (!s->providers.emplace(p.id, e).second) po.Bad("appears twice");
    s->provider_order.push_back(p.id);
  }
}

Sample LoadSample(const std::string& dir) {
  Sample s;
  const File manifest = ReadJsonFile(dir, "manifest.json");
  s.info = ParseManifest(manifest);
  const Obj m(manifest.doc, manifest.name);
  const Obj files(m.Object("files"), manifest.name + ", \"files\"");
  for (const char* role : kRoles) {
    s.files.emplace(role, ReadJsonFile(dir, files.Str(role)));
  }
  ParseProviders(&s);
  return s;
}

// [SECTION] Feeds ---------------------------------------------------------------------

std::string ShortId(const std::string& provider_id) {
  const auto colon = provider_id.find(':');
  return colon == std::string::npos ? provider_id : provider_id.substr(colon + 1);
}

std::string JoinText(const std::string& a, const std::string& b) {
  if (a.empty()) return b;
  if (b.empty()) return a;
  return a + " " + b;
}

// Adds each provider once per feed.
class ProviderSet {
 public:
  ProviderSet(const Sample& s, FeedImport* sink) : s_(s), sink_(sink) {}
  void Need(const Obj& where, const std::string& id) {
    const ProviderEntry& e = s_.ProviderOf(where, id);
    if (added_.insert(id).second) Add(sink_->AddProvider(e.provider));
  }

 private:
  const Sample& s_;
  FeedImport* sink_;
  std::set<std::string> added_;
};

void EmitCourses(const Sample& s, Day today, FeedImport* sink) {
  const File& f = s.Get("courses");
  const Obj root(f.doc, f.name);
  const Obj texts(root.Object("texts"), f.name + ", \"texts\"");
  auto text = [&](const Obj& where, const std::string& v) -> std::string {
    if (v.empty() || v[0] != '@') return v;
    const std::string key = v.substr(1);
    if (!texts.Has(key.c_str())) where.Bad("refers to \"" + v + "\", which \"texts\" lacks");
    return texts.Str(key.c_str());
  };
  const json& courses = root.Object("courses");
  ProviderSet providers(s, sink);
  for (const json& offer_json : root.Array("offers")) {
    const Obj offer(offer_json, f.name + ", an offer");
    const std::string provider_id = offer.Str("provider");
    const Obj where(offer_json, f.name + ", the offer of \"" + provider_id + "\"");
    providers.Need(where, provider_id);
    const ProviderEntry& pe = s.ProviderOf(where, provider_id);
    for (const json& item : where.Array("courses")) {
      // An item is a course id, or {"course": id, overrides...}.
      json merged;
      std::string course_id;
      if (item.is_string()) {
        course_id = item.get<std::string>();
      } else {
        course_id = Obj(item, where.where() + ", an override").Str("course");
      }
      if (!courses.contains(course_id)) {
        where.Bad("lists course \"" + course_id + "\", which \"courses\" lacks");
      }
      merged = courses.at(course_id);
      std::string id = course_id;
      if (item.is_object()) {
        for (const auto& [k, v] : item.items()) {
          if (k != "course") merged[k] = v;
        }
        if (item.contains("id")) id = Obj(item, where.where()).Str("id");
      }
      const Obj c(merged, f.name + ", course \"" + id + "\" at \"" + provider_id + "\"");
      catalogue::Opportunity o;
      o.source_id = ShortId(provider_id) + "/" + id;
      const auto kind = catalogue::ParseOpportunityKind(c.Str("kind"));
      if (!kind) c.Bad("has an unknown \"kind\"");
      o.kind = *kind;
      o.route = catalogue::RouteOfKind(o.kind);
      o.title = c.Str("title");
      o.provider_id = provider_id;
      o.level = c.Int("level");
      o.qualification = c.OptStr("qualification");
      o.subject_area = c.Str("subject_area");
      const auto mode = catalogue::ParseStudyMode(c.Str("mode"));
      if (!mode) c.Bad("has an unknown \"mode\"");
      o.mode = *mode;
      o.duration = c.OptStr("duration");
      o.duration_months = c.OptInt("months", 0);
      SetStart(c, c.At("start"), today, &o);
      o.location_name = pe.provider.town;
      o.postcode = pe.provider.postcode;
      o.location = pe.provider.location;
      o.entry_requirements = text(c, c.OptStr("entry"));
      o.description = JoinText(text(c, c.Str("description")), pe.course_note);
      o.cost_text = text(c, c.OptStr("cost"));
      if (!pe.provider.website.empty()) o.url = pe.provider.website + "/courses/" + id;
      o.soc_codes = c.StrList("soc");
      Add(sink->AddOpportunity(o));
    }
  }
}

constexpr const char* kApprenticeshipCost =
    "No cost to you: your training is paid for by your employer and the government.";

void EmitVacancies(const Sample& s, Day today, FeedImport* sink) {
  const File& f = s.Get("vacancies");
  const Obj root(f.doc, f.name);
  ProviderSet providers(s, sink);
  for (const json& j : root.Array("vacancies")) {
    const std::string id = Obj(j, f.name + ", a vacancy").Str("id");
    const Obj v(j, f.name + ", vacancy \"" + id + "\"");
    // As the apprenticeship service lists them: the provider is the training
    // provider, the employer is named, and the place is the workplace.
    const std::string employer_id = v.Str("employer");
    const std::string trainer_id = v.Str("trainer");
    providers.Need(v, employer_id);
    providers.Need(v, trainer_id);
    const catalogue::Provider& p = s.ProviderOf(v, employer_id).provider;
    catalogue::Opportunity o;
    o.source_id = "vacancy/" + id;
    o.kind = catalogue::OpportunityKind::kApprenticeshipVacancy;
    o.route = catalogue::Route::kApprenticeship;
    o.title = v.Str("title");
    o.provider_id = trainer_id;
    o.employer = p.name;
    o.level = v.Int("level");
    o.qualification = v.Str("standard");
    o.subject_area = v.Str("subject_area");
    o.mode = catalogue::StudyMode::kWorkBased;
    o.duration = v.OptStr("duration");
    o.duration_months = v.OptInt("months", 0);
    o.closing = today + v.Int("closing_in_days");
    o.expires = o.closing;
    if (v.Has("posted_days_ago")) o.posted = today - v.Int("posted_days_ago");
    o.start = StartMonday(today + v.Int("start_in_days"));
    if (*o.start < *o.closing) v.Bad("starts before applications close");
    o.location_name = p.town;
    o.postcode = p.postcode;
    o.location = p.location;
    o.entry_requirements = v.OptStr("entry");
    o.description = v.Str("description");
    o.wage_text = v.Str("wage_text");
    o.hours_per_week = v.OptNum("hours", 0);
    if (v.Has("wage_annual")) {
      o.wage_annual = v.Num("wage_annual");
    } else if (v.Has("wage_hourly")) {
      o.wage_annual = std::round(v.Num("wage_hourly") * o.hours_per_week * 52);
    }
    o.cost_text = kApprenticeshipCost;
    if (!p.website.empty()) o.url = p.website + "/apprenticeships/" + id;
    o.soc_codes = v.StrList("soc");
    Add(sink->AddOpportunity(o));
  }

  const Obj standards(root.Object("standards"), f.name + ", \"standards\"");
  for (const json& j : standards.Array("list")) {
    const std::string id = Obj(j, f.name + ", a standard").Str("id");
    const Obj st(j, f.name + ", standard \"" + id + "\"");
    const int level = st.Int("level");
    for (const std::string& provider_id : st.StrList("providers")) {
      providers.Need(st, provider_id);
      const ProviderEntry& pe = s.ProviderOf(st, provider_id);
      catalogue::Opportunity o;
      o.source_id = "standard/" + ShortId(provider_id) + "/" + id;
      o.kind = catalogue::OpportunityKind::kApprenticeshipStandard;
      o.route = catalogue::Route::kApprenticeship;
      o.title = st.Str("title") + " apprenticeship";
      o.provider_id = provider_id;
      o.level = level;
      o.qualification = "Apprenticeship standard, level " + std::to_string(level);
      o.subject_area = st.Str("subject_area");
      o.mode = catalogue::StudyMode::kWorkBased;
      o.duration = st.OptStr("duration");
      o.duration_months = st.OptInt("months", 0);
      o.flexible_start = true;
      o.location_name = pe.provider.town;
      o.postcode = pe.provider.postcode;
      o.location = pe.provider.location;
      o.entry_requirements = "You need an employer to take you on as an apprentice; " +
                             pe.provider.name +
                             " can help you find one. Employers set their own entry requirements: "
                             "many ask for GCSE English and maths at grade 4, or you can work "
                             "towards them during the apprenticeship.";
      o.description = JoinText(st.Str("description"), pe.course_note);
      o.cost_text = kApprenticeshipCost;
      if (!pe.provider.website.empty()) o.url = pe.provider.website + "/apprenticeships/" + id;
      o.soc_codes = st.StrList("soc");
      Add(sink->AddOpportunity(o));
    }
  }
}

void EmitEvents(const Sample& s, Day today, FeedImport* sink) {
  const File& f = s.Get("events");
  const Obj root(f.doc, f.name);
  ProviderSet providers(s, sink);
  int series = 0;
  for (const json& j : root.Array("events")) {
    const std::string id = Obj(j, f.name + ", an event").Str("id");
    const Obj e(j, f.name + ", event \"" + id + "\"");
    const auto kind = catalogue::ParseEventKind(e.Str("kind"));
    if (!kind) e.Bad("has an unknown \"kind\"");
    std::uint8_t routes = 0;
    for (const std::string& r : e.StrList("routes")) {
      const auto route = catalogue::ParseRoute(r);
      if (!route) e.Bad("has an unknown route \"" + r + "\"");
      routes |= static_cast<std::uint8_t>(1u << static_cast<int>(*route));
    }
    const int start_min = ParseClock(e, "start_time");
    const int end_min = ParseClock(e, "end_time");
    if (end_min < start_min) e.Bad("ends before it starts");
    const catalogue::Provider* p = nullptr;
    if (e.Has("provider")) {
      providers.Need(e, e.Str("provider"));
      p = &s.ProviderOf(e, e.Str("provider")).provider;
    }
    const int weekday = ParseEventWeekday(e, start_min);
    const bool earlier = series++ % 2 == 0;  // out of the Christmas break: before or after
    std::set<Day> held;                      // a series never holds two on one day
    const json& days = e.Array("in_days");
    for (const json& d : days) {
      if (!d.is_number_integer()) e.Bad("\"in_days\" must be a list of whole numbers");
      const Day day = EventDay(today + d.get<int>(), weekday, earlier, today);
      if (!held.insert(day).second) continue;  // moved out of the break onto another one
      catalogue::Event ev;
      ev.source_id = id + "/" + FormatIsoDate(day);
      ev.title = e.Str("title");
      ev.kind = *kind;
      ev.start = UkLocalToUtc(day, start_min);
      ev.end = UkLocalToUtc(day, end_min);
      ev.description = e.Str("description");
      ev.routes = routes;
      if (p) {
        ev.provider_id = p->id;
        ev.location_name = p->name + ", " + p->address + ", " + p->town;
        ev.postcode = p->postcode;
        ev.location = p->location;
        if (!p->website.empty()) ev.url = p->website + "/events";
      }
      ev.location_name = e.OptStr("location_name", ev.location_name);
      Add(sink->AddEvent(ev));
    }
  }
}

void EmitCareers(const Sample& s, Day today, FeedImport* sink) {
  const File& f = s.Get("careers");
  const Obj root(f.doc, f.name);
  const std::string area = root.OptStr("area", s.info.area);
  const int year = YearOf(today);
  std::set<std::string> socs_with_lmi;
  for (const json& j : root.Array("careers")) {
    const std::string id = Obj(j, f.name + ", a career").Str("id");
    const Obj c(j, f.name + ", career \"" + id + "\"");
    catalogue::Career career;
    career.source_id = id;
    career.title = c.Str("title");
    career.alternative_titles = c.OptStr("alt");
    career.overview = c.Str("overview");
    const json& salary = c.Array("salary");
    if (salary.size() != 2 || !salary[0].is_number_integer() || !salary[1].is_number_integer()) {
      c.Bad("\"salary\" must be [starter, experienced] in whole pounds");
    }
    career.salary_starter = salary[0].get<int>();
    career.salary_experienced = salary[1].get<int>();
    career.hours = c.OptStr("hours");
    career.working_pattern = c.OptStr("pattern");
    career.entry_university = c.OptStr("uni");
    career.entry_college = c.OptStr("college");
    career.entry_apprenticeship = c.OptStr("apprenticeship");
    career.entry_work = c.OptStr("work");
    career.skills = c.StrList("skills");
    career.what_you_do = c.OptStr("what");
    career.career_path = c.OptStr("path");
    career.related_careers = c.StrList("related");
    career.soc_code = c.Str("soc");
    career.related_subjects = c.StrList("subjects");
    Add(sink->AddCareer(career));

    if (!c.Has("lmi") || !socs_with_lmi.insert(career.soc_code).second) continue;
    const json& lmi = c.Array("lmi");
    if (lmi.size() != 5) c.Bad("\"lmi\" must have 5 numbers (see the _comment)");
    for (const json& v : lmi) {
      if (!v.is_number()) c.Bad("\"lmi\" must have 5 numbers (see the _comment)");
    }
    using catalogue::LmiMetric;
    const struct {
      const std::string& area;
      LmiMetric metric;
      int index;
      int year;
    } figures[] = {
        {area, LmiMetric::kMedianAnnualPay, 0, year - 1},
        {area, LmiMetric::kEmploymentChangePct, 1, year + 10},
        {area, LmiMetric::kVacancies, 2, year},
        {area, LmiMetric::kEmployment, 3, year - 1},
    };
    for (const auto& fig : figures) {
      Add(sink->AddLabourMarket(
          {career.soc_code, fig.area, fig.metric, lmi[fig.index].get<double>(), fig.year}));
    }
    Add(sink->AddLabourMarket(
        {career.soc_code, "England", LmiMetric::kMedianAnnualPay, lmi[4].get<double>(), year - 1}));
  }
}

void EmitLocal(const Sample& s, Day today, FeedImport* sink) {
  const File& f = s.Get("local");
  const Obj root(f.doc, f.name);
  for (const json& j : root.Array("items")) {
    const std::string id = Obj(j, f.name + ", an item").Str("id");
    const Obj l(j, f.name + ", item \"" + id + "\"");
    catalogue::LocalItem item;
    item.source_id = id;
    const auto kind = catalogue::ParseLocalKind(l.Str("kind"));
    if (!kind) l.Bad("has an unknown \"kind\"");
    item.kind = *kind;
    item.title = l.Str("title");
    item.body = l.OptStr("body");
    if (l.Has("route")) {
      item.route = catalogue::ParseRoute(l.Str("route"));
      if (!item.route) l.Bad("has an unknown \"route\"");
    }
    item.provider_name = l.OptStr("provider_name");
    item.leads_to = l.OptStr("leads_to");
    item.subject_area = l.OptStr("subject_area");
    item.image_path = l.OptStr("image");
    item.url = l.OptStr("url");
    if (l.Has("starts_in_days")) item.starts = today + l.Int("starts_in_days");
    if (l.Has("ends_in_days")) item.ends = today + l.Int("ends_in_days");
    if (l.Has("day_in_days")) {  // a school event: its day (by weekday, as events), times, place
      const int start = l.Has("time") ? ParseClock(l, "time") : 12 * 60;
      if (l.Has("time")) item.event_start_minute = start;
      if (l.Has("end_time")) item.event_end_minute = ParseClock(l, "end_time");
      if (item.event_end_minute && *item.event_end_minute <= start) l.Bad("ends before it starts");
      item.event_day =
          EventDay(today + l.Int("day_in_days"), ParseEventWeekday(l, start), false, today);
      if (!item.ends) item.ends = item.event_day;
      item.place = l.OptStr("where");
    }
    Add(sink->AddLocalItem(item));
  }
}

void EmitReference(const Sample& s, Day /*today*/, FeedImport* sink) {
  const File& f = s.Get("reference");
  const Obj root(f.doc, f.name);
  // Subject -> subject areas.
  const json& subjects = root.Object("subjects");
  for (const auto& [subject, areas] : subjects.items()) {
    const Obj where(subjects, f.name + ", subject \"" + subject + "\"");
    if (!areas.is_array()) where.Bad("must list subject areas");
    for (const json& a : areas) {
      if (!a.is_string()) where.Bad("must list subject areas as text");
      Add(sink->AddSubjectLink({subject, a.get<std::string>(), ""}));
    }
  }
  // Subject -> careers, from the careers' own "subjects".
  const File& cf = s.Get("careers");
  for (const json& j : Obj(cf.doc, cf.name).Array("careers")) {
    const std::string id = Obj(j, cf.name + ", a career").Str("id");
    const Obj c(j, cf.name + ", career \"" + id + "\"");
    const std::string area = c.Str("area");
    for (const std::string& subject : c.StrList("subjects")) {
      Add(sink->AddSubjectLink({subject, area, id}));
    }
  }
  // Postcodes: every provider's own, then a grid of points per district.
  std::set<std::string> seen;
  auto add_postcode = [&](const std::string& pc, catalogue::GeoPoint at) {
    const std::string n = catalogue::NormalisePostcode(pc);
    if (n.empty() || !seen.insert(n).second) return;
    Add(sink->AddPostcode({n, at}));
  };
  for (const std::string& id : s.provider_order) {
    const catalogue::Provider& p = s.providers.at(id).provider;
    if (p.location) add_postcode(p.postcode, *p.location);
  }
  const Obj pcs(root.Object("postcodes"), f.name + ", \"postcodes\"");
  std::vector<int> sectors;
  for (const json& v : pcs.Array("sectors")) {
    if (!v.is_number_integer() || v.get<int>() < 0 || v.get<int>() > 9) {
      pcs.Bad("\"sectors\" must be digits 0 to 9");
    }
    sectors.push_back(v.get<int>());
  }
  const std::vector<std::string> units = pcs.StrList("units");
  for (const json& d : pcs.Array("districts")) {
    if (!d.is_array() || d.size() != 3 || !d[0].is_string() || !d[1].is_number() ||
        !d[2].is_number()) {
      pcs.Bad("\"districts\" must be [\"LS1\", lat, lon] triples");
    }
    const std::string district = d[0].get<std::string>();
    const double lat = d[1].get<double>(), lon = d[2].get<double>();
    for (size_t si = 0; si < sectors.size(); ++si) {
      // Sectors on a 3x3 grid around the centroid (about 450 m apart), units
      // on a small cross within the sector, so the district mean stays put.
      const double slat = lat + 0.004 * (static_cast<int>(si % 3) - 1);
      const double slon = lon + 0.006 * (static_cast<int>(si / 3 % 3) - 1);
      for (size_t ui = 0; ui < units.size(); ++ui) {
        const double sign = ui % 2 ? -1.0 : 1.0;
        const double ulat = slat + (ui / 2 % 2 ? 0 : 0.0008 * sign);
        const double ulon = slon + (ui / 2 % 2 ? 0.0012 * sign : 0);
        add_postcode(district + " " + std::to_string(sectors[si]) + units[ui],
                     catalogue::GeoPoint{ulat, ulon});
      }
    }
  }
}

using EmitFn = void (*)(const Sample&, Day, FeedImport*);
struct FeedDef {
  const char* name;
  EmitFn emit;
};
constexpr FeedDef kFeeds[] = {
    {"sample-courses", EmitCourses}, {"sample-vacancies", EmitVacancies},
    {"sample-events", EmitEvents},   {"sample-careers", EmitCareers},
    {"sample-local", EmitLocal},     {"sample-reference", EmitReference},
};

// Runs `fn`, turning the exceptions of this file (and nlohmann's) into a Status.
template <typename Fn>
Status Guarded(const std::string& dir, Fn&& fn) {
  try {
    fn();
    return Status::Ok();
  } catch (const SampleError& e) {
    return e.status;
  } catch (const json::exception& e) {
    return Status::Corrupt("sample in " + dir + " is malformed: " + e.what());
  } catch (const std::bad_alloc&) {
    return Status::Internal("out of memory while loading the sample");
  } catch (const std::exception& e) {
    return Status::Internal(std::string("loading the sample: ") + e.what());
  }
}

}  // namespace

// [SECTION] Public functions -----------------------------------------------------------

const std::vector<std::string>& SampleFeedNames() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const FeedDef& f : kFeeds) v.emplace_back(f.name);
    return v;
  }();
  return names;
}

Result<SampleInfo> ReadSampleInfo(const std::string& sample_dir) {
  SampleInfo info;
  Status s =
      Guarded(sample_dir, [&] { info = ParseManifest(ReadJsonFile(sample_dir, "manifest.json")); });
  if (!s.ok()) return s;
  return info;
}

Status ReadSampleFeed(const std::string& sample_dir, Day today, const std::string& feed,
                      catalogue::FeedImport* sink) {
  for (const FeedDef& def : kFeeds) {
    if (feed != def.name) continue;
    return Guarded(sample_dir, [&] {
      const Sample sample = LoadSample(sample_dir);
      def.emit(sample, today, sink);
    });
  }
  return Status::InvalidArgument("there is no sample feed called \"" + feed + "\"");
}

Status LoadSampleCatalogue(catalogue::Catalogue* writer, const std::string& sample_dir, Day today,
                           catalogue::ImportReport* summary) {
  if (writer == nullptr) return Status::InvalidArgument("LoadSampleCatalogue needs a catalogue");
  if (today <= 0) today = TodayUtc();
  catalogue::ImportReport total;
  total.feed = "sample";
  Sample sample;
  Status s = Guarded(sample_dir, [&] { sample = LoadSample(sample_dir); });
  if (!s.ok()) return s;

  catalogue::ImportOptions options;
  options.today = today;
  for (const FeedDef& def : kFeeds) {
    auto import = writer->BeginImport(def.name, options);
    if (!import.ok()) return import.status();
    s = Guarded(sample_dir, [&] { def.emit(sample, today, import->get()); });
    if (!s.ok()) return s;  // the stage is dropped with the import
    auto report = (*import)->Commit();
    if (!report.ok()) return report.status();
    total.accepted += report->accepted;
    total.skipped += report->skipped;
    total.expired += report->expired;
    total.previous += report->previous;
    for (const std::string& p : report->problems) {
      if (total.problems.size() < 20) total.problems.push_back(std::string(def.name) + ": " + p);
    }
  }

  const std::pair<const char*, std::string> meta[] = {
      {"is_sample", "1"},
      {"name", sample.info.name},
      {"kiosk_postcode", catalogue::NormalisePostcode(sample.info.kiosk_postcode)},
      {"kiosk_location_name", sample.info.kiosk_location_name},
      {"sample_today", FormatIsoDate(today)},
  };
  for (const auto& [key, value] : meta) {
    s = writer->SetMeta(key, value);
    if (!s.ok()) return s;
  }
  if (summary) *summary = std::move(total);
  return Status::Ok();
}

Status RemoveSampleCatalogue(catalogue::Catalogue* writer) {
  if (writer == nullptr) return Status::InvalidArgument("RemoveSampleCatalogue needs a catalogue");
  for (const FeedDef& def : kFeeds) {
    if (Status s = writer->RemoveFeed(def.name); !s.ok()) return s;
  }
  if (writer->GetMeta("is_sample").value_or("") != "1") return Status::Ok();
  for (const char* key : {"name", "kiosk_postcode", "kiosk_location_name", "sample_today"}) {
    if (Status s = writer->SetMeta(key, ""); !s.ok()) return s;
  }
  return writer->SetMeta("is_sample", "0");
}

std::string DefaultSampleDir() {
  if (const char* env = std::getenv("SIGNPOST_SAMPLE_DIR"); env != nullptr && *env != '\0') {
    return env;
  }
  std::error_code ec;
  const std::string source = SIGNPOST_SAMPLE_SOURCE_DIR;
  if (!source.empty() && fs::exists(fs::path(source) / "manifest.json", ec)) return source;
  return SIGNPOST_SAMPLE_INSTALL_DIR;
}

}  // namespace signpost
