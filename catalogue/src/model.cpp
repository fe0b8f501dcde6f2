#include "signpost/model.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace signpost::catalogue {

namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  // Treat spaces, hyphens and underscores alike: "full-time" == "full time" == "full_time".
  for (char& c : out) {
    if (c == ' ' || c == '-') c = '_';
  }
  return out;
}

template <typename E, size_t N>
std::optional<E> FindKey(std::string_view key, const std::string_view (&keys)[N]) {
  const std::string k = Lower(key);
  for (size_t i = 0; i < N; ++i) {
    if (keys[i] == k) return static_cast<E>(i);
  }
  return std::nullopt;
}

constexpr std::string_view kRouteKeys[] = {"fe", "tlevel", "he", "apprenticeship"};
constexpr std::string_view kKindKeys[] = {"fe_course", "tlevel", "he_course",
                                          "apprenticeship_vacancy", "apprenticeship_standard"};
constexpr std::string_view kModeKeys[] = {"unknown",  "full_time", "part_time",
                                          "flexible", "distance",  "work_based"};
constexpr std::string_view kProviderKeys[] = {"other",    "fe_college",     "sixth_form",
                                              "school",   "university",     "training_provider",
                                              "employer", "local_authority"};
constexpr std::string_view kEventKeys[] = {"open_day", "taster_day", "careers_fair", "talk",
                                           "other"};
constexpr std::string_view kLocalKeys[] = {"adviser_drop_in", "alumni_story", "notice",
                                           "school_event", "link"};
constexpr std::string_view kLmiKeys[] = {"median_annual_pay", "employment_change_pct", "vacancies",
                                         "employment"};

constexpr std::string_view kOutcomeKeys[] = {"satisfaction", "continuation", "salary"};

}  // namespace

std::string_view RouteKey(Route r) { return kRouteKeys[static_cast<int>(r)]; }

std::string_view RouteLabel(Route r) {
  switch (r) {
    case Route::kFurtherEducation:
      return "Further education";
    case Route::kTLevel:
      return "T Levels";
    case Route::kHigherEducation:
      return "Higher education";
    case Route::kApprenticeship:
      return "Apprenticeships";
  }
  return "";
}

std::optional<Route> ParseRoute(std::string_view key) {
  if (auto r = FindKey<Route>(key, kRouteKeys)) return r;
  const std::string k = Lower(key);
  if (k == "further_education" || k == "college" || k == "fe_course") {
    return Route::kFurtherEducation;
  }
  if (k == "t_level" || k == "t_levels" || k == "tlevels") return Route::kTLevel;
  if (k == "higher_education" || k == "university" || k == "uni") return Route::kHigherEducation;
  if (k == "apprenticeships" || k == "app" || k == "apprentice") return Route::kApprenticeship;
  return std::nullopt;
}

std::string_view OpportunityKindKey(OpportunityKind k) { return kKindKeys[static_cast<int>(k)]; }
std::optional<OpportunityKind> ParseOpportunityKind(std::string_view key) {
  return FindKey<OpportunityKind>(key, kKindKeys);
}

Route RouteOfKind(OpportunityKind k) {
  switch (k) {
    case OpportunityKind::kFeCourse:
      return Route::kFurtherEducation;
    case OpportunityKind::kTLevel:
      return Route::kTLevel;
    case OpportunityKind::kHeCourse:
      return Route::kHigherEducation;
    case OpportunityKind::kApprenticeshipVacancy:
    case OpportunityKind::kApprenticeshipStandard:
      return Route::kApprenticeship;
  }
  return Route::kFurtherEducation;
}

std::string_view StudyModeKey(StudyMode m) { return kModeKeys[static_cast<int>(m)]; }
std::string_view StudyModeLabel(StudyMode m) {
  switch (m) {
    case StudyMode::kUnknown:
      return "Not stated";
    case StudyMode::kFullTime:
      return "Full time";
    case StudyMode::kPartTime:
      return "Part time";
    case StudyMode::kFlexible:
      return "Flexible";
    case StudyMode::kDistance:
      return "Online";
    case StudyMode::kWorkBased:
      return "Work-based";
  }
  return "";
}
std::optional<StudyMode> ParseStudyMode(std::string_view key) {
  return FindKey<StudyMode>(key, kModeKeys);
}

std::string_view ProviderKindKey(ProviderKind k) { return kProviderKeys[static_cast<int>(k)]; }
std::optional<ProviderKind> ParseProviderKind(std::string_view key) {
  return FindKey<ProviderKind>(key, kProviderKeys);
}

std::string_view EventKindKey(EventKind k) { return kEventKeys[static_cast<int>(k)]; }
std::string_view EventKindLabel(EventKind k) {
  switch (k) {
    case EventKind::kOpenDay:
      return "Open day";
    case EventKind::kTasterDay:
      return "Taster day";
    case EventKind::kCareersFair:
      return "Careers fair";
    case EventKind::kTalk:
      return "Talk";
    case EventKind::kOther:
      return "Event";
  }
  return "";
}
std::optional<EventKind> ParseEventKind(std::string_view key) {
  return FindKey<EventKind>(key, kEventKeys);
}

std::string_view LocalKindKey(LocalKind k) { return kLocalKeys[static_cast<int>(k)]; }
std::optional<LocalKind> ParseLocalKind(std::string_view key) {
  return FindKey<LocalKind>(key, kLocalKeys);
}

std::string_view OutcomeMetricKey(OutcomeMetric m) { return kOutcomeKeys[static_cast<int>(m)]; }
std::optional<OutcomeMetric> ParseOutcomeMetric(std::string_view key) {
  return FindKey<OutcomeMetric>(key, kOutcomeKeys);
}

namespace {
std::string OneLine(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  }
  return out;
}
std::string NumberText(const std::optional<double>& v) {
  if (!v || !std::isfinite(*v)) return "";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", *v);
  return buf;
}
std::optional<double> NumberFrom(std::string_view s) {
  if (s.empty() || s.size() > 30) return std::nullopt;
  const std::string t(s);
  char* end = nullptr;
  const double v = std::strtod(t.c_str(), &end);
  if (end != t.c_str() + t.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}
}  // namespace

std::string EncodeCourseOutcomes(const std::vector<CourseOutcome>& outcomes) {
  std::string out;
  for (const CourseOutcome& o : outcomes) {
    if (!out.empty()) out += '\n';
    out += std::string(OutcomeMetricKey(o.metric)) + '\t' + OneLine(o.label) + '\t' +
           NumberText(o.value) + '\t' + NumberText(o.low) + '\t' + NumberText(o.high) + '\t' +
           std::to_string(o.population) + '\t' + OneLine(o.caveat);
  }
  return out;
}

std::vector<CourseOutcome> DecodeCourseOutcomes(std::string_view text) {
  std::vector<CourseOutcome> out;
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    std::vector<std::string_view> f;
    while (f.size() < 7) {
      const std::size_t tab = line.find('\t');
      f.push_back(line.substr(0, tab));
      if (tab == std::string_view::npos) break;
      line = line.substr(tab + 1);
    }
    if (f.size() != 7) continue;
    const auto metric = ParseOutcomeMetric(f[0]);
    if (!metric) continue;
    CourseOutcome o;
    o.metric = *metric;
    o.label = std::string(f[1]);
    o.value = NumberFrom(f[2]);
    o.low = NumberFrom(f[3]);
    o.high = NumberFrom(f[4]);
    const auto pop = NumberFrom(f[5]);
    o.population = pop && *pop >= 0 && *pop < 1e9 ? static_cast<int>(*pop) : 0;
    o.caveat = std::string(f[6]);
    out.push_back(std::move(o));
  }
  return out;
}

std::string_view LmiMetricKey(LmiMetric m) { return kLmiKeys[static_cast<int>(m)]; }
std::optional<LmiMetric> ParseLmiMetric(std::string_view key) {
  return FindKey<LmiMetric>(key, kLmiKeys);
}

std::string_view LevelPlainWords(int level) {
  switch (level) {
    case 0:
      return "Entry level: a first step, no qualifications needed";
    case 1:
      return "Level 1: same level as GCSE grades 3 to 1";
    case 2:
      return "Level 2: same level as GCSE grades 9 to 4";
    case 3:
      return "Level 3: same level as A levels";
    case 4:
      return "Level 4: same level as the first year of a degree (HNC)";
    case 5:
      return "Level 5: same level as a foundation degree or HND";
    case 6:
      return "Level 6: same level as a bachelor's degree";
    case 7:
      return "Level 7: same level as a master's degree";
    case 8:
      return "Level 8: same level as a doctorate (PhD)";
    default:
      return "Level not stated";
  }
}

double DistanceKm(GeoPoint a, GeoPoint b) {
  constexpr double kEarthRadiusKm = 6371.0088;
  constexpr double kRad = 3.14159265358979323846 / 180.0;
  const double dlat = (b.lat - a.lat) * kRad;
  const double dlon = (b.lon - a.lon) * kRad;
  const double h =
      std::sin(dlat / 2) * std::sin(dlat / 2) +
      std::cos(a.lat * kRad) * std::cos(b.lat * kRad) * std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * kEarthRadiusKm * std::asin(std::min(1.0, std::sqrt(h)));
}

std::string NormalisePostcode(std::string_view s) {
  std::string compact;
  for (char c : s) {
    if (c == ' ' || c == '\t') continue;
    if (!std::isalnum(static_cast<unsigned char>(c))) return "";
    compact.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  // UK postcodes: outward code (2-4 chars) + inward code (digit + 2 letters).
  if (compact.size() < 5 || compact.size() > 7) return "";
  const size_t n = compact.size();
  if (!std::isdigit(static_cast<unsigned char>(compact[n - 3])) ||
      !std::isalpha(static_cast<unsigned char>(compact[n - 2])) ||
      !std::isalpha(static_cast<unsigned char>(compact[n - 1])) ||
      !std::isalpha(static_cast<unsigned char>(compact[0]))) {
    return "";
  }
  return compact.substr(0, n - 3) + " " + compact.substr(n - 3);
}

namespace {

// Length of the control sequence at s[i], or 0 when s[i] starts ordinary
// text. CR is handled by the caller.
std::size_t ControlAt(std::string_view s, std::size_t i) {
  const auto b = static_cast<unsigned char>(s[i]);
  if (b < 0x20) return (b == '\t' || b == '\n') ? 0 : 1;
  if (b == 0x7F) return 1;
  if (b == 0xC2 && i + 1 < s.size()) {  // C1: U+0080..U+009F
    const auto c = static_cast<unsigned char>(s[i + 1]);
    if (c >= 0x80 && c <= 0x9F) return 2;
  }
  if (b == 0xE2 && i + 2 < s.size()) {
    const auto c = static_cast<unsigned char>(s[i + 1]);
    const auto d = static_cast<unsigned char>(s[i + 2]);
    if (c == 0x80 && d >= 0xAA && d <= 0xAE) return 3;  // U+202A..U+202E
    if (c == 0x81 && d >= 0xA6 && d <= 0xA9) return 3;  // U+2066..U+2069
  }
  return 0;
}

}  // namespace

bool HasControlCharacters(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (ControlAt(s, i) != 0) return true;
  }
  return false;
}

std::string StripControlCharacters(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    if (s[i] == '\r') {  // CR LF and a lone CR: one newline
      out += '\n';
      i += (i + 1 < s.size() && s[i + 1] == '\n') ? 2 : 1;
      continue;
    }
    if (const std::size_t n = ControlAt(s, i); n > 0) {
      i += n;
      continue;
    }
    out += s[i++];
  }
  return out;
}

bool IsBlankText(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    if (const std::size_t n = ControlAt(s, i); n > 0) {
      i += n;
      continue;
    }
    if (!std::isspace(static_cast<unsigned char>(s[i]))) return false;
    ++i;
  }
  return true;
}

}  // namespace signpost::catalogue
