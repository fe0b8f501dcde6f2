// The Discover Uni outcome tables a student would want beside an HE course:
// student satisfaction (NSS.csv), continuation (CONTINUATION.csv) and
// graduate salary (GOSALARY.csv), with the data set's own suppression of
// figures about small groups.
//
// Columns (HESA C25061 file structure, as read by public loaders of the
// data set, e.g. a PostgreSQL schema "based on HESA C25061" and the Office
// for Students' beta-data-pipelines; likely, no real file to hand):
//   every table: PUBUKPRN, UKPRN, KISCOURSEID, KISMODE, <X>UNAVAILREASON,
//     <X>POP, <X>AGG, <X>SBJ (X = NSS, CONT, GOSAL);
//   NSS: T1..T7 theme scores, % positive (NSS 2023 onwards), or Q27 "overall
//     satisfied" in older files; CONTINUATION: UCONT, UDORMANT, UGAINED,
//     ULEFT, ULOWER (percentages); GOSALARY: GOINSTLQ, GOINSTMED, GOINSTUQ
//     (GBP a year, 15 months after the course).
// Suppression, as the data set means it (the Office for Students'
// unavailreason text): a figure left empty is not published; UNAVAILREASON
// 0 = not enough data (a small course or too few answers), 1 = the course
// has not run (long enough), 2 = no data. AGG says what a published figure
// covers: 14 this course, 24 this course over two years, 11-13 courses in
// the same subject at the provider, 21-23 the same over two years. The
// kiosk shows the caveat built here with every figure.
//
// Owned by the feed adapters (discover_uni.cpp). Thread safety: one thread.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "signpost/model.h"

namespace signpost::sync::feeds {

class Columns;

// One table row's figures, compact until the course is read.
struct OutcomeRow {
  std::int8_t reason = -1;  // UNAVAILREASON, -1 = none given
  std::int8_t agg = -1;     // AGG code
  std::int32_t population = 0;
  std::vector<std::int32_t> values;  // per table: see OutcomeTables
  bool has_values = false;
};

class OutcomeTables {
 public:
  enum Table { kNss = 0, kContinuation, kSalary };
  // The table a header belongs to, or -1.
  static int Recognise(const Columns& cols);
  // Keeps one row of `table` (fields by header name).
  void Add(int table, const Columns& cols, const std::vector<std::string>& row);
  // The figures for a course key ("PUBUKPRN|KISCOURSEID|mode number"), as
  // the catalogue keeps them.
  std::vector<catalogue::CourseOutcome> For(const std::string& course_key) const;
  std::size_t size() const { return rows_.size(); }
  void clear() { rows_.clear(); }

 private:
  struct Course {
    OutcomeRow rows[3];
    bool present[3] = {false, false, false};
  };
  std::unordered_map<std::string, Course> rows_;
};

// "PUBUKPRN|KISCOURSEID|1": the key every Discover Uni table shares.
std::string CourseKey(std::string_view pubukprn, std::string_view course_id, std::string_view mode);

// Column lookup by (upper-case) header name; the first occurrence wins.
class Columns {
 public:
  explicit Columns(const std::vector<std::string>& header);
  bool Has(const char* name) const { return index_.count(name) > 0; }
  // The field, trimmed, or "" when the column or field is missing.
  std::string Get(const std::vector<std::string>& row, const char* name) const;
  std::size_t size() const { return columns_; }

 private:
  std::unordered_map<std::string, std::size_t> index_;
  std::size_t columns_ = 0;
};

}  // namespace signpost::sync::feeds
