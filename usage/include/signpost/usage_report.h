// The careers leader's usage report: one self-contained HTML file (inline CSS
// and SVG charts, no scripts, no external references; opens offline and
// prints) plus CSV files for a spreadsheet, for a range of whole days.
//
// Written for governors and inspectors in plain English: sessions and how
// long they lasted, the routes explored each week, the balance between
// academic, technical and apprenticeship routes, top subjects, filters and
// accessibility features used, shortlists taken away, and the searches that
// found nothing (what the catalogue is missing). It states the privacy rules.
// Used by `content-sync report` and the kiosk's technician export.
// Thread safety: plain functions; the store is used by the calling thread.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "signpost/usage.h"

namespace signpost::usage {

struct ReportOptions {
  Day from = 0;            // first day (UTC), inclusive
  Day to = 0;              // last day (UTC), inclusive
  std::string out_dir;     // created if missing; files are replaced atomically
  std::string site_name;   // e.g. "Kirkhaven Academy careers library"; "" = none
  UnixTime generated = 0;  // 0 = now
};

// Totals for a report, worked out from the store (pure data; tested directly).
struct ReportData {
  Day from = 0, to = 0;
  std::map<std::string, std::int64_t> totals;  // counter name -> total in range
  struct Week {
    Day monday = 0;
    std::map<std::string, std::int64_t> totals;
  };
  std::vector<Week> weeks;  // every week touching the range, oldest first
  std::map<Day, std::map<std::string, std::int64_t>> by_day;
  std::vector<MissedSearch> missed;
  // Accessibility counters over every whole week touching the range (they
  // are stored per week), and the sessions of those weeks (their whole).
  std::map<std::string, std::int64_t> access;
  std::int64_t week_sessions = 0;
  std::int64_t Total(const std::string& name) const {
    auto it = totals.find(name);
    return it == totals.end() ? 0 : it->second;
  }
  std::int64_t AccessTotal(const std::string& name) const {
    auto it = access.find(name);
    return it == access.end() ? 0 : it->second;
  }
};

Result<ReportData> GatherReport(UsageStore& store, Day from, Day to);
std::string RenderReportHtml(const ReportData& data, const ReportOptions& options);
// CSV files by name ("weekly.csv" -> contents), RFC 4180 quoting; a cell that
// would start with = + - @ gets a leading ' so spreadsheets never run it.
// Every count under 5, in every file and chart, is "fewer than 5" (or, in
// the long daily.csv, not listed); accessibility counters appear only as
// whole-week totals.
std::map<std::string, std::string> RenderReportCsv(const ReportData& data);

struct ReportFiles {
  std::vector<std::string> paths;  // report.html first
  std::int64_t sessions = 0;
};
// Gathers, renders and writes report.html and the CSV files into out_dir
// (each written to a temp file, fsynced and renamed, so a stick pulled out
// early never holds half a report).
Result<ReportFiles> WriteUsageReport(UsageStore& store, const ReportOptions& options);

}  // namespace signpost::usage
