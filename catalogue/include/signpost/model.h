// The catalogue's data model: plain value structs, shared by content-sync
// (which fills them from feeds) and the kiosk (which reads them back).
//
// Records belong to a feed: every import names its feed, and a record's
// identity is (feed, source_id). Strings are UTF-8 as published. Dates are
// signpost::Day, timestamps signpost::UnixTime (see dates.h). Values only:
// thread-safe to copy.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "signpost/dates.h"

namespace signpost::catalogue {

// [SECTION] Enumerations ----------------------------------------------------

// The four routes after 16/18 that the kiosk gives equal prominence.
enum class Route : std::uint8_t {
  kFurtherEducation = 0,  // FE and adult courses, sixth-form study
  kTLevel = 1,            // T Levels (technical, level 3)
  kHigherEducation = 2,   // degrees, HNCs/HNDs, foundation degrees
  kApprenticeship = 3,    // vacancies and apprenticeship training courses
};
inline constexpr int kRouteCount = 4;
inline constexpr Route kAllRoutes[kRouteCount] = {Route::kFurtherEducation, Route::kTLevel,
                                                  Route::kHigherEducation, Route::kApprenticeship};
std::string_view RouteKey(Route r);                     // "fe", "tlevel", "he", "apprenticeship"
std::string_view RouteLabel(Route r);                   // "Further education", "T Levels", ...
std::optional<Route> ParseRoute(std::string_view key);  // accepts keys and common names

enum class OpportunityKind : std::uint8_t {
  kFeCourse = 0,
  kTLevel = 1,
  kHeCourse = 2,
  kApprenticeshipVacancy = 3,   // a real job with training, has a closing date
  kApprenticeshipStandard = 4,  // a training course/standard (what you would train in)
};
std::string_view OpportunityKindKey(OpportunityKind k);  // "fe_course", "tlevel", ...
std::optional<OpportunityKind> ParseOpportunityKind(std::string_view key);
Route RouteOfKind(OpportunityKind k);

enum class StudyMode : std::uint8_t {
  kUnknown = 0,
  kFullTime = 1,
  kPartTime = 2,
  kFlexible = 3,   // self-paced / flexible attendance
  kDistance = 4,   // online or distance learning
  kWorkBased = 5,  // apprenticeships: mostly at work
};
inline constexpr int kStudyModeCount = 6;
std::string_view StudyModeKey(StudyMode m);    // "full_time", ...
std::string_view StudyModeLabel(StudyMode m);  // "Full time", ...
std::optional<StudyMode> ParseStudyMode(std::string_view key);

enum class ProviderKind : std::uint8_t {
  kOther = 0,
  kFeCollege,
  kSixthForm,
  kSchool,
  kUniversity,
  kTrainingProvider,
  kEmployer,
  kLocalAuthority,  // LA services: youth support, SEND local offer
};
std::string_view ProviderKindKey(ProviderKind k);
std::optional<ProviderKind> ParseProviderKind(std::string_view key);

enum class EventKind : std::uint8_t {
  kOpenDay = 0,
  kTasterDay,
  kCareersFair,
  kTalk,
  kOther,
};
std::string_view EventKindKey(EventKind k);
std::string_view EventKindLabel(EventKind k);
std::optional<EventKind> ParseEventKind(std::string_view key);

enum class LocalKind : std::uint8_t {
  kAdviserDropIn = 0,  // when the careers adviser is free, how to book a one-to-one
  kAlumniStory,        // "what I did after Year 11"
  kNotice,             // school notices
  kSchoolEvent,        // the school's own careers events
  kLink,               // the school's own links
};
std::string_view LocalKindKey(LocalKind k);
std::optional<LocalKind> ParseLocalKind(std::string_view key);

// Qualification levels 0 (entry) to 8, in plain words for a 14-year-old:
// "Level 3 — same level as A levels". -1 = not known.
std::string_view LevelPlainWords(int level);

// [SECTION] Records -----------------------------------------------------------

struct GeoPoint {
  double lat = 0;  // WGS84 degrees
  double lon = 0;
};
// Great-circle distance in kilometres.
double DistanceKm(GeoPoint a, GeoPoint b);

struct Provider {
  std::string id;    // stable key across feeds, e.g. "ukprn:10001234"; required
  std::string name;  // required, as published
  ProviderKind kind = ProviderKind::kOther;
  std::string ukprn;    // UK Provider Reference Number (8 digits), or ""
  std::string address;  // street lines, comma separated
  std::string town;
  std::string postcode;  // as published; normalised on import
  std::optional<GeoPoint> location;
  std::string phone;
  std::string email;
  std::string website;
};

// A figure about an HE course from the Discover Uni data set (what its
// students said, how many carried on, what graduates earned), with the data
// set's own caveat. The data set withholds figures about small groups: then
// value is empty and the caveat says why, in plain words.
enum class OutcomeMetric : std::uint8_t {
  kSatisfaction = 0,  // National Student Survey: % of students positive about `label`
  kContinuation,      // % still studying or finished a year after starting
  kSalary,            // median salary 15 months after the course, GBP a year
};
std::string_view OutcomeMetricKey(OutcomeMetric m);  // "satisfaction", "continuation", "salary"
std::optional<OutcomeMetric> ParseOutcomeMetric(std::string_view key);

struct CourseOutcome {
  OutcomeMetric metric = OutcomeMetric::kSatisfaction;
  std::string label;            // what was measured: "Teaching on my course"
  std::optional<double> value;  // percent (0-100) or GBP a year; nullopt = not published
  std::optional<double> low;    // salary: lower quartile
  std::optional<double> high;   // salary: upper quartile
  int population = 0;           // students the figure is about; 0 = not given
  std::string caveat;           // what it covers ("all Computing students at this
                                // university, 2 years") or why it is not published
};
// How the catalogue stores a course's outcomes in one text column: a line
// per outcome, tab-separated (tabs and newlines in text become spaces).
std::string EncodeCourseOutcomes(const std::vector<CourseOutcome>& outcomes);
// Lines that do not read back are dropped.
std::vector<CourseOutcome> DecodeCourseOutcomes(std::string_view text);

struct Opportunity {
  std::string source_id;  // id within its feed; required, unique per feed
  OpportunityKind kind = OpportunityKind::kFeCourse;
  Route route = Route::kFurtherEducation;  // normally RouteOfKind(kind)
  std::string title;                       // required
  std::string provider_id;    // Provider::id; required (staged in the same import or already held)
  std::string employer;       // vacancies: the employer (the provider is the training provider)
  int level = -1;             // 0 (entry) .. 8; -1 unknown
  std::string qualification;  // e.g. "BTEC Level 3 National Extended Diploma"
  std::string subject_area;   // e.g. "Engineering and manufacturing"
  StudyMode mode = StudyMode::kUnknown;
  std::string duration;              // as published: "2 years", "18 months"
  int duration_months = 0;           // 0 = unknown
  std::optional<Day> start;          // next start date
  bool flexible_start = false;       // "start any time"
  std::optional<Day> closing;        // applications close (vacancies, some courses)
  std::optional<Day> posted;         // vacancies: the day it was advertised (the "New" tag)
  std::string location_name;         // venue / workplace town
  std::string postcode;              // venue postcode; normalised on import
  std::optional<GeoPoint> location;  // venue; falls back to the provider's
  std::string entry_requirements;
  std::string description;
  std::string wage_text;               // as published: "£15,000 a year", "National Minimum Wage"
  double wage_annual = 0;              // GBP per year where it can be worked out; 0 = not given
  double hours_per_week = 0;           // 0 = not given
  std::string cost_text;               // course fee as published, e.g. "Free for 16-18"
  std::string url;                     // where to find out more or apply
  std::string lars_code;               // LARS / standard code, if any
  std::vector<std::string> soc_codes;  // careers this leads to (SOC 2020 4-digit)
  std::optional<UnixTime> updated;     // when the publisher last changed it
  std::optional<Day> expires;          // drop after this day even if still published
  std::vector<std::string> typical_job_titles;  // apprenticeship standards: jobs it leads to
  std::vector<CourseOutcome> outcomes;          // HE courses: Discover Uni figures
};

struct Career {
  std::string source_id;  // job-profile id/slug; required
  std::string title;      // required
  std::string alternative_titles;
  std::string overview;
  int salary_starter = 0;            // GBP a year, 0 = not known
  int salary_experienced = 0;        // GBP a year, 0 = not known
  std::string hours;                 // "37 to 39 a week"
  std::string working_pattern;       // "evenings / weekends"
  std::string entry_university;      // how to get in: university route
  std::string entry_college;         // college route
  std::string entry_apprenticeship;  // apprenticeship route
  std::string entry_work;            // work / volunteering / direct application
  std::vector<std::string> skills;
  std::string what_you_do;
  std::string career_path;
  std::vector<std::string> related_careers;   // titles
  std::string soc_code;                       // SOC 2020 4-digit, joins labour-market figures
  std::vector<std::string> related_subjects;  // school subjects ("Biology")
  std::string url;
};

enum class LmiMetric : std::uint8_t {
  kMedianAnnualPay = 0,  // GBP
  kEmploymentChangePct,  // projected % change over the projection period
  kVacancies,            // current advertised vacancies in the area
  kEmployment,           // people employed in the area
};
std::string_view LmiMetricKey(LmiMetric m);
std::optional<LmiMetric> ParseLmiMetric(std::string_view key);

struct LabourMarketFigure {
  std::string soc_code;  // required
  std::string area;      // "England", "West Yorkshire", an LA name
  LmiMetric metric = LmiMetric::kMedianAnnualPay;
  double value = 0;
  int year = 0;  // year the figure is for (or projection end year)
};

struct Event {
  std::string source_id;  // required (iCalendar UID + recurrence date)
  std::string title;      // required
  EventKind kind = EventKind::kOpenDay;
  std::string provider_id;  // optional
  UnixTime start = 0;       // required
  UnixTime end = 0;         // >= start
  bool all_day = false;
  std::string location_name;
  std::string postcode;
  std::optional<GeoPoint> location;
  std::string url;
  std::string description;
  std::uint8_t routes = 0;  // bitmask of 1<<Route the event is about; 0 = general
};

struct LocalItem {
  std::string source_id;  // required (file name in the local content pack)
  LocalKind kind = LocalKind::kNotice;
  std::string title;  // required
  std::string body;
  std::optional<Route> route;  // alumni story: the route they took
  std::string provider_name;   // alumni story: where they went
  std::string leads_to;        // alumni story: what it led to
  std::string subject_area;    // to show alongside matching courses
  std::string image_path;      // beside the pack; optional
  std::string url;
  std::optional<Day> starts;  // show from
  std::optional<Day> ends;    // show until (pruned after)
  // School events: the day it happens and its times on the school's clock
  // (minutes after midnight, local time as the pack says it). No start time:
  // all day; an end time only with a start time, and after it.
  std::optional<Day> event_day;
  std::optional<int> event_start_minute;  // 0 .. 1439
  std::optional<int> event_end_minute;    // start .. 1439
  std::string place;                      // school events: where ("Main hall")
  std::int64_t rowid = 0;                 // as read from the catalogue; ignored on import
};

// "I like Biology" -> subject areas and careers.
struct SubjectLink {
  std::string subject;           // school subject as a student knows it: "Biology"
  std::string subject_area;      // an Opportunity::subject_area it leads to
  std::string career_source_id;  // optional Career::source_id
};

// Words a local pack adds to search (the shipped list is
// assets/search/aliases.txt; the format is the same): what students type and
// what it means.
struct SearchAlias {
  std::string words;  // what students type, comma-separated: "d of e, dofe"
  std::string means;  // what to look for: "duke of edinburgh, volunteering"
};

struct PostcodePoint {
  std::string postcode;  // any spacing/case; normalised on import
  GeoPoint location;
};

// "LS1 4AP" / "ls14ap" -> "LS1 4AP". "" when it is not a plausible UK postcode.
std::string NormalisePostcode(std::string_view s);

// Text from feeds as the catalogue stores it: C0 controls (NUL included)
// removed except tab and newline, CR LF and lone CR made newlines, DEL and
// the C1 controls (U+0080..U+009F) removed, and the bidirectional embedding,
// override and isolate controls (U+202A..U+202E, U+2066..U+2069) removed, so
// no stored name is cut short by a NUL, moves a terminal's cursor, or reads
// backwards. Invalid UTF-8 is left as it is (validation rejects it).
// Every text column an import stages passes through this (import.cpp).
std::string StripControlCharacters(std::string_view s);
// True when StripControlCharacters would change `s` (no allocation).
bool HasControlCharacters(std::string_view s);
// Empty once control characters and spaces are removed: a required field
// made only of them is missing.
bool IsBlankText(std::string_view s);

// [SECTION] Sync state ----------------------------------------------------------

struct SyncState {
  std::string feed;  // feed name from config
  std::optional<UnixTime> last_attempt;
  std::optional<UnixTime> last_success;  // last time the catalogue held fresh data from it
  std::string result;                    // "ok", "unchanged", "failed", "held_back", "offline"
  std::int64_t records = 0;              // records held from this feed
  std::int64_t skipped = 0;              // records skipped in the last import
  std::string last_error;                // "" when the last attempt worked
  std::string etag;                      // for If-None-Match
  std::string last_modified;             // for If-Modified-Since
};

}  // namespace signpost::catalogue
