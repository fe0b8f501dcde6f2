// Discover Uni outcome tables (discover_uni_outcomes.h).
#include "feeds/discover_uni_outcomes.h"

#include <cctype>

#include "feeds/feed_util.h"

namespace signpost::sync::feeds {

namespace {

// The NSS themes since 2023 (T1..T7), in the survey's own words.
constexpr const char* kThemes[] = {
    "Teaching on my course", "Learning opportunities",      "Assessment and feedback",
    "Academic support",      "Organisation and management", "Learning resources",
    "Student voice"};

struct TableNames {
  const char* reason;
  const char* population;
  const char* agg;
};
constexpr TableNames kNames[] = {{"NSSUNAVAILREASON", "NSSPOP", "NSSAGG"},
                                 {"CONTUNAVAILREASON", "CONTPOP", "CONTAGG"},
                                 {"GOSALUNAVAILREASON", "GOSALPOP", "GOSALAGG"}};

// A published percentage or amount: a whole number in range, else -1.
std::int32_t Figure(const Columns& cols, const std::vector<std::string>& row, const char* name,
                    long long max) {
  const auto v = ToDouble(cols.Get(row, name));
  if (!v || *v < 0 || *v > static_cast<double>(max)) return -1;
  return ClampInt(*v + 0.5, 0, static_cast<int>(max));
}

std::int8_t Code(const Columns& cols, const std::vector<std::string>& row, const char* name) {
  const auto v = ToInt(cols.Get(row, name));
  if (!v || *v < 0 || *v > 99) return -1;
  return static_cast<std::int8_t>(*v);
}

// What a published figure covers, or why none is published, in plain words.
std::string Caveat(const OutcomeRow& r, bool published) {
  if (!published) {
    switch (r.reason) {
      case 1:
        return "No data yet: the course has not run, or not for long enough. This does not "
               "reflect on the quality of the course.";
      case 2:
        return "No data is available for this course. This does not reflect on the quality of "
               "the course.";
      default:
        return "Not published: there is not enough data for this course (it is small, or too "
               "few students answered). This does not reflect on the quality of the course.";
    }
  }
  const std::string students =
      r.population > 0 ? WithCommas(r.population) + (r.population == 1 ? " student" : " students")
                       : "students";
  switch (r.agg) {
    case 24:
      return "Based on " + students + " on this course over the two most recent years.";
    case 11:
    case 12:
    case 13:
    case 21:
    case 22:
    case 23: {
      const std::string why =
          r.reason == 1 || r.reason == 2
              ? "This course has no data of its own yet"
              : "There was not enough data for this course alone (it is small, or too few "
                "students answered)";
      return why + ": this is for " + students +
             " on courses in the same subject at this university" +
             (r.agg >= 21 ? " over two years." : ".");
    }
    default:
      return "Based on " + students + " on this course.";
  }
}

}  // namespace

std::string CourseKey(std::string_view pubukprn, std::string_view course_id,
                      std::string_view mode) {
  const auto m = ToInt(mode);
  return std::string(Trim(pubukprn)) + "|" + std::string(Trim(course_id)) + "|" +
         (m ? std::to_string(*m) : std::string(Trim(mode)));
}

Columns::Columns(const std::vector<std::string>& header) : columns_(header.size()) {
  for (std::size_t i = 0; i < header.size(); ++i) {
    std::string name;
    for (char c : Trim(header[i]))
      name.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    index_.emplace(std::move(name), i);
  }
}

std::string Columns::Get(const std::vector<std::string>& row, const char* name) const {
  auto it = index_.find(name);
  if (it == index_.end() || it->second >= row.size()) return {};
  return std::string(Trim(row[it->second]));
}

int OutcomeTables::Recognise(const Columns& cols) {
  if (!cols.Has("KISCOURSEID") || !cols.Has("KISMODE")) return -1;
  for (int t = 0; t < 3; ++t) {
    if (cols.Has(kNames[t].reason) || cols.Has(kNames[t].population)) return t;
  }
  return -1;
}

void OutcomeTables::Add(int table, const Columns& cols, const std::vector<std::string>& row) {
  if (table < 0 || table > 2) return;
  const std::string key =
      CourseKey(cols.Get(row, "PUBUKPRN"), cols.Get(row, "KISCOURSEID"), cols.Get(row, "KISMODE"));
  Course& c = rows_[key];
  if (c.present[table]) return;  // joint courses list a row per subject: the first wins
  OutcomeRow& r = c.rows[table];
  r.reason = Code(cols, row, kNames[table].reason);
  r.agg = Code(cols, row, kNames[table].agg);
  if (auto pop = ToInt(cols.Get(row, kNames[table].population)); pop && *pop > 0)
    r.population = ClampInt(*pop, 0, 10'000'000);
  switch (table) {
    case kNss:
      for (int i = 1; i <= 7; ++i) {
        const std::string name = "T" + std::to_string(i);
        r.values.push_back(Figure(cols, row, name.c_str(), 100));
      }
      r.values.push_back(Figure(cols, row, "Q27", 100));  // "overall satisfied" before 2023
      break;
    case kContinuation: {
      const std::int32_t cont = Figure(cols, row, "UCONT", 100);
      const std::int32_t gained = Figure(cols, row, "UGAINED", 100);
      r.values.push_back(cont >= 0 && gained >= 0 && cont + gained <= 100 ? cont + gained : -1);
      break;
    }
    case kSalary:
      r.values = {Figure(cols, row, "GOINSTLQ", 1'000'000),
                  Figure(cols, row, "GOINSTMED", 1'000'000),
                  Figure(cols, row, "GOINSTUQ", 1'000'000)};
      break;
  }
  for (std::int32_t v : r.values) r.has_values = r.has_values || v >= 0;
  c.present[table] = true;
}

std::vector<catalogue::CourseOutcome> OutcomeTables::For(const std::string& course_key) const {
  std::vector<catalogue::CourseOutcome> out;
  auto it = rows_.find(course_key);
  if (it == rows_.end()) return out;
  const Course& c = it->second;
  auto add = [&](catalogue::OutcomeMetric metric, std::string label, std::int32_t value,
                 const OutcomeRow& r) {
    catalogue::CourseOutcome o;
    o.metric = metric;
    o.label = std::move(label);
    if (value >= 0) o.value = value;
    o.population = r.population;
    o.caveat = Caveat(r, value >= 0);
    out.push_back(std::move(o));
    return &out.back();
  };
  if (c.present[kNss]) {
    const OutcomeRow& r = c.rows[kNss];
    if (!r.has_values) {
      add(catalogue::OutcomeMetric::kSatisfaction, "Student satisfaction", -1, r);
    } else {
      for (std::size_t i = 0; i < 7 && i < r.values.size(); ++i) {
        if (r.values[i] >= 0)
          add(catalogue::OutcomeMetric::kSatisfaction, kThemes[i], r.values[i], r);
      }
      if (r.values.size() > 7 && r.values[7] >= 0) {
        add(catalogue::OutcomeMetric::kSatisfaction, "Overall satisfied with the course",
            r.values[7], r);
      }
    }
  }
  if (c.present[kContinuation]) {
    const OutcomeRow& r = c.rows[kContinuation];
    add(catalogue::OutcomeMetric::kContinuation, "Still studying or finished a year after starting",
        r.values.empty() ? -1 : r.values[0], r);
  }
  if (c.present[kSalary]) {
    const OutcomeRow& r = c.rows[kSalary];
    const std::int32_t median = r.values.size() == 3 ? r.values[1] : -1;
    catalogue::CourseOutcome* o = add(catalogue::OutcomeMetric::kSalary,
                                      "Typical salary 15 months after the course", median, r);
    if (median >= 0) {
      if (r.values[0] >= 0) o->low = r.values[0];
      if (r.values[2] >= 0) o->high = r.values[2];
    }
  }
  return out;
}

}  // namespace signpost::sync::feeds
