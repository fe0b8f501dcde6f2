// The usage report. Index:
//   [SECTION] Helpers (escaping, weeks, labels)
//   [SECTION] Gathering
//   [SECTION] SVG charts
//   [SECTION] HTML
//   [SECTION] CSV
//   [SECTION] Writing files
#include "signpost/usage_report.h"

#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <sstream>

namespace signpost::usage {
namespace {

// [SECTION] Helpers -------------------------------------------------------------------

std::string Html(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

Day MondayOf(Day d) { return d - (((d + 3) % 7) + 7) % 7; }  // day 0 was a Thursday

std::string Num(std::int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return (n < 0 ? "-" : "") + out;
}

// Small numbers are never shown: a count under kMinShown (0 included, so
// that "0 beside fewer than 5" cannot single anyone out) is "fewer than 5".
constexpr std::int64_t kMinShown = 5;
const std::string kFewer = "fewer than " + std::to_string(kMinShown);
bool Shown(std::int64_t n) { return n >= kMinShown; }
std::string Count(std::int64_t n) { return Shown(n) ? Num(n) : kFewer; }
std::string CsvCount(std::int64_t n) { return Shown(n) ? std::to_string(n) : kFewer; }

std::string Pct(std::int64_t part, std::int64_t whole) {
  // A share of a hidden count (or of a hidden total) would give it away.
  if (whole <= 0 || !Shown(part) || !Shown(whole) || !Shown(whole - part)) return "\xE2\x80\x93";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.0f%%", 100.0 * static_cast<double>(part) / whole);
  return buf;
}

std::string Fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

struct Series {
  const char* key;    // counter suffix
  const char* label;  // plain English
  const char* colour;
};

// The six things a student can explore; colours are distinct in greyscale
// print too (light to dark) and pass 3:1 against white.
constexpr Series kRoutes[] = {
    {"fe", "College courses (FE)", "#1b6ca8"}, {"tlevel", "T Levels", "#7b3fa0"},
    {"he", "University (HE)", "#b5482a"},      {"apprenticeship", "Apprenticeships", "#1e7a46"},
    {"careers", "Careers", "#8a6d00"},         {"events", "Open days and events", "#5b5b5b"},
};

struct Named {
  const char* key;
  const char* label;
};
constexpr Named kLengths[] = {
    {"session_length.under_1m", "Under 1 minute"},
    {"session_length.1_to_3m", "1 to 3 minutes"},
    {"session_length.3_to_10m", "3 to 10 minutes"},
    {"session_length.over_10m", "Over 10 minutes"},
};
constexpr Named kFilters[] = {
    {"filter.text", "Typed a search"},
    {"filter.route", "Chose a route (college, T Level, university, apprenticeship)"},
    {"filter.level", "Filtered by level"},
    {"filter.subject", "Filtered by subject"},
    {"filter.mode", "Filtered by how you study (full time, part time...)"},
    {"filter.distance", "Filtered by distance"},
    {"filter.starting_soon", "Only courses starting soon"},
};
constexpr Named kAccessibility[] = {
    {"a11y.text_size", "Bigger text"},
    {"a11y.high_contrast", "High contrast"},
    {"a11y.dyslexia_font", "Easy-read (dyslexia-friendly) font"},
    {"a11y.read_aloud", "Read aloud"},
    {"a11y.language", "Another language (Welsh)"},
};
constexpr Named kScreens[] = {
    {"screen.help", "Looked at how to book a one-to-one / careers help"},
    {"screen.subjects", "Used \"What can I do with the subjects I like?\""},
    {"screen.careers", "Browsed careers"},
    {"screen.events", "Looked at open days and events"},
    {"screen.school", "Read the school's own notices, stories and links"},
};

// [SECTION] SVG charts ---------------------------------------------------------------------

// Stacked columns, one per week.
std::string WeeklyChart(const ReportData& d) {
  const int n = static_cast<int>(d.weeks.size());
  const double w = 720, h = 280, left = 48, bottom = 40, top = 16, right = 12;
  std::int64_t peak = 2 * kMinShown;  // an axis of whole numbers even when nothing is drawn
  for (const auto& wk : d.weeks) {
    std::int64_t sum = 0;
    for (const auto& s : kRoutes) {
      auto it = wk.totals.find(std::string("view.") + s.key);
      if (it != wk.totals.end() && Shown(it->second)) sum += it->second;
    }
    peak = std::max(peak, sum);
  }
  // A round axis maximum: 1, 2, 5 x 10^k.
  double step = std::pow(10.0, std::floor(std::log10(static_cast<double>(peak))));
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    if (m * step >= static_cast<double>(peak)) {
      step *= m;
      break;
    }
  }
  const double ymax = step;
  const double plot_h = h - top - bottom, plot_w = w - left - right;
  std::ostringstream s;
  s << "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " << w << " " << h
    << "\" role=\"img\" aria-labelledby=\"weekly-title\" class=\"chart\">"
    << "<title id=\"weekly-title\">Things opened on the kiosk each week, by route</title>";
  for (int i = 0; i <= 4; ++i) {
    double y = top + plot_h - plot_h * i / 4;
    s << "<line x1=\"" << left << "\" x2=\"" << w - right << "\" y1=\"" << Fmt(y) << "\" y2=\""
      << Fmt(y) << "\" stroke=\"#d0d0d0\" stroke-width=\"1\"/>"
      << "<text x=\"" << left - 6 << "\" y=\"" << Fmt(y + 4)
      << "\" text-anchor=\"end\" class=\"axis\">" << Num(std::llround(ymax * i / 4)) << "</text>";
  }
  const double slot = n > 0 ? plot_w / n : plot_w;
  const double bar = std::min(56.0, slot * 0.7);
  for (int i = 0; i < n; ++i) {
    const auto& wk = d.weeks[static_cast<std::size_t>(i)];
    double x = left + slot * i + (slot - bar) / 2;
    double y = top + plot_h;
    for (const auto& sr : kRoutes) {
      auto it = wk.totals.find(std::string("view.") + sr.key);
      std::int64_t v = it == wk.totals.end() ? 0 : it->second;
      if (!Shown(v)) continue;  // counts under 5 are not drawn
      double bh = plot_h * static_cast<double>(v) / ymax;
      y -= bh;
      s << "<rect x=\"" << Fmt(x) << "\" y=\"" << Fmt(y) << "\" width=\"" << Fmt(bar)
        << "\" height=\"" << Fmt(bh) << "\" fill=\"" << sr.colour << "\"><title>" << sr.label
        << ": " << Num(v) << "</title></rect>";
    }
    // Week label every few columns so they never overlap.
    const int every = std::max(1, n / 10 + (n % 10 ? 1 : 0));
    if (i % every == 0) {
      s << "<text x=\"" << Fmt(x + bar / 2) << "\" y=\"" << Fmt(top + plot_h + 16)
        << "\" text-anchor=\"middle\" class=\"axis\">" << Html(FormatHumanDate(wk.monday, false))
        << "</text>";
    }
  }
  s << "<text x=\"" << Fmt(left + plot_w / 2) << "\" y=\"" << h - 4
    << "\" text-anchor=\"middle\" class=\"axis\">Week beginning</text>";
  s << "</svg><div class=\"keys\">";
  for (const auto& sr : kRoutes)
    s << "<span><i style=\"background:" << sr.colour << "\"></i>" << sr.label << "</span>";
  s << "</div>";
  return s.str();
}

// One 100% bar split into parts, with labels underneath.
std::string BalanceChart(std::vector<std::pair<std::string, std::int64_t>> parts,
                         const std::vector<const char*>& colours) {
  for (auto& p : parts)
    if (!Shown(p.second)) p.second = 0;  // not drawn, and not part of the whole
  std::int64_t total = 0;
  for (const auto& p : parts) total += p.second;
  const double w = 720, h = 40, bar_h = 40;
  std::ostringstream s;
  s << "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " << w << " " << h
    << "\" role=\"img\" aria-labelledby=\"balance-title\" class=\"chart\">"
    << "<title id=\"balance-title\">Balance of routes explored</title>";
  if (total == 0) {
    s << "<rect x=\"0\" y=\"0\" width=\"" << w << "\" height=\"" << bar_h
      << "\" fill=\"#eeeeee\"/><text x=\"" << w / 2 << "\" y=\"26\" text-anchor=\"middle\" "
      << "class=\"legend\">Too few opened to show</text></svg>";
    return s.str();
  }
  double x = 0;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    double pw = w * static_cast<double>(parts[i].second) / static_cast<double>(total);
    s << "<rect x=\"" << Fmt(x) << "\" y=\"0\" width=\"" << Fmt(pw) << "\" height=\"" << bar_h
      << "\" fill=\"" << colours[i] << "\"><title>" << Html(parts[i].first) << ": "
      << Count(parts[i].second) << "</title></rect>";
    if (pw > 48) {
      s << "<text x=\"" << Fmt(x + pw / 2) << "\" y=\"26\" text-anchor=\"middle\" "
        << "class=\"inbar\">" << Pct(parts[i].second, total) << "</text>";
    }
    x += pw;
  }
  s << "</svg><div class=\"keys\">";
  for (std::size_t i = 0; i < parts.size(); ++i)
    s << "<span><i style=\"background:" << colours[i] << "\"></i>" << Html(parts[i].first)
      << ": <b>" << Pct(parts[i].second, total) << "</b> (" << Count(parts[i].second) << ")</span>";
  s << "</div>";
  return s.str();
}

// Horizontal bars for a ranked list.
std::string HBarChart(const std::string& id, const std::string& title,
                      const std::vector<std::pair<std::string, std::int64_t>>& rows,
                      const char* colour) {
  const double w = 720, row_h = 26, label_w = 300;
  const double h = std::max<double>(row_h, row_h * rows.size()) + 8;
  std::int64_t peak = 1;
  for (const auto& r : rows) peak = std::max(peak, r.second);
  std::ostringstream s;
  s << "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " << w << " " << h
    << "\" role=\"img\" aria-labelledby=\"" << id << "\" class=\"chart\"><title id=\"" << id
    << "\">" << Html(title) << "</title>";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    double y = i * row_h + 4;
    double bw = (w - label_w - 70) * static_cast<double>(rows[i].second) / peak;
    std::string label = rows[i].first;
    if (label.size() > 44) label = label.substr(0, 42) + "\xE2\x80\xA6";
    s << "<text x=\"" << label_w - 8 << "\" y=\"" << Fmt(y + 17)
      << "\" text-anchor=\"end\" class=\"legend\">" << Html(label) << "</text>"
      << "<rect x=\"" << label_w << "\" y=\"" << Fmt(y + 3) << "\" width=\""
      << Fmt(std::max(bw, 1.0)) << "\" height=\"" << row_h - 8 << "\" fill=\"" << colour
      << "\"/><text x=\"" << Fmt(label_w + bw + 6) << "\" y=\"" << Fmt(y + 17)
      << "\" class=\"legend\">" << Num(rows[i].second) << "</text>";
  }
  s << "</svg>";
  return s.str();
}

std::vector<std::pair<std::string, std::int64_t>> WithPrefix(const ReportData& d,
                                                             const std::string& prefix,
                                                             std::size_t limit) {
  std::vector<std::pair<std::string, std::int64_t>> out;
  for (const auto& [name, v] : d.totals)
    if (name.starts_with(prefix) && Shown(v)) out.emplace_back(name.substr(prefix.size()), v);
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  if (out.size() > limit) out.resize(limit);
  return out;
}

// [SECTION] CSV -----------------------------------------------------------------------------

std::string Cell(std::string_view v) {
  std::string s(v);
  if (!s.empty() && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@')) s = "'" + s;
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  return out + "\"";
}

}  // namespace

// [SECTION] Gathering ---------------------------------------------------------------------

Result<ReportData> GatherReport(UsageStore& store, Day from, Day to) {
  if (to < from) return Status::InvalidArgument("the report's end date is before its start date");
  if (to - from > 3700) return Status::InvalidArgument("a report covers at most ten years");
  ReportData d;
  d.from = from;
  d.to = to;
  for (Day m = MondayOf(from); m <= to; m += 7) d.weeks.push_back(ReportData::Week{m, {}});
  auto counters = store.Counters(from, to);
  if (!counters.ok()) return counters.status();
  for (const auto& c : counters.value()) {
    auto day = ParseIsoDate(c.hour.substr(0, 10));
    if (!day) continue;
    d.totals[c.name] += c.value;
    d.by_day[*day][c.name] += c.value;
    std::size_t w = static_cast<std::size_t>((MondayOf(*day) - MondayOf(from)) / 7);
    if (w < d.weeks.size()) d.weeks[w].totals[c.name] += c.value;
  }
  // Accessibility counters are stored per week (at the Monday's first
  // hour): add up every week that touches the range.
  auto weekly = store.Counters(MondayOf(from), MondayOf(to) + 6);
  if (!weekly.ok()) return weekly.status();
  for (const auto& c : weekly.value()) {
    auto day = ParseIsoDate(c.hour.substr(0, 10));
    if (!day) continue;
    if (c.name.starts_with("a11y.")) d.access[c.name] += c.value;
    if (c.name == kSessions) d.week_sessions += c.value;
  }
  for (auto& [name, totals] : d.by_day)
    std::erase_if(totals, [](const auto& kv) { return kv.first.starts_with("a11y."); });
  auto missed = store.MissedSearches(from, to);
  if (!missed.ok()) return missed.status();
  d.missed = std::move(missed.value());
  return d;
}

// [SECTION] HTML ----------------------------------------------------------------------------

std::string RenderReportHtml(const ReportData& d, const ReportOptions& o) {
  const std::int64_t sessions = d.Total(kSessions);
  const std::string range = FormatHumanDate(d.from) + " to " + FormatHumanDate(d.to);
  const UnixTime generated = o.generated != 0 ? o.generated : NowUnix();
  std::ostringstream h;
  h << "<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\">"
    << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    << "<title>Careers kiosk usage report, " << Html(range) << "</title><style>"
    << "body{font-family:'DejaVu Sans',Arial,Helvetica,sans-serif;color:#1a1a1a;max-width:"
       "780px;margin:24px auto;padding:0 16px;line-height:1.45}"
    << "h1{font-size:1.6em;margin:0 0 4px}h2{font-size:1.2em;margin:28px 0 6px;"
       "border-bottom:2px solid #1b6ca8;padding-bottom:3px}"
    << ".sub{color:#555;margin:0 0 16px}.figures{display:flex;flex-wrap:wrap;gap:10px}"
    << ".fig{flex:1 1 150px;border:1px solid #ccc;border-radius:6px;padding:8px 12px}"
    << ".fig b{display:block;font-size:1.7em}.fig span{color:#444;font-size:.9em}"
    << "table{border-collapse:collapse;width:100%;font-size:.92em;margin:6px 0}"
    << "th,td{text-align:left;padding:4px 6px;border-bottom:1px solid #ddd}"
    << "td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}"
    << ".chart{width:100%;height:auto;display:block;margin:6px 0}"
    << ".axis{font-size:11px;fill:#444}.legend{font-size:12px;fill:#222}"
    << ".inbar{font-size:14px;fill:#fff;font-weight:bold}"
    << ".keys{display:flex;flex-wrap:wrap;gap:4px 16px;font-size:.85em;margin:2px 0 8px}"
    << ".keys i{display:inline-block;width:11px;height:11px;margin-right:5px;"
       "vertical-align:-1px;print-color-adjust:exact;-webkit-print-color-adjust:exact}"
    << ".note{color:#444;font-size:.9em}.privacy{background:#f3f6f9;border-left:4px solid "
       "#1b6ca8;padding:8px 12px;font-size:.9em}"
    << "section{break-inside:avoid;page-break-inside:avoid}"
    << "@media print{body{margin:0;max-width:none}h2{break-after:avoid}}"
    << "</style></head><body>\n";
  h << "<h1>Careers kiosk: how it was used</h1><p class=\"sub\">"
    << (o.site_name.empty() ? "" : Html(o.site_name) + " &middot; ") << Html(range)
    << " &middot; produced " << Html(FormatHumanDate(DayOf(generated))) << "</p>\n";

  // Key figures.
  const std::int64_t shortlists = d.Total("shortlist.taken_away");
  const std::int64_t help = d.Total("screen.help");
  std::int64_t views = 0;
  for (const auto& r : kRoutes) views += d.Total(std::string("view.") + r.key);
  h << "<section><h2>At a glance</h2><div class=\"figures\">"
    << "<div class=\"fig\"><b>" << Count(sessions) << "</b><span>sessions (one person or group "
    << "using the kiosk until it cleared itself)</span></div>"
    << "<div class=\"fig\"><b>" << Count(views)
    << "</b><span>courses, apprenticeships, careers and "
    << "events opened</span></div>"
    << "<div class=\"fig\"><b>" << Count(shortlists) << "</b><span>shortlists taken away ("
    << Pct(shortlists, sessions) << " of sessions)</span></div>"
    << "<div class=\"fig\"><b>" << Count(help) << "</b><span>sessions that looked at how to get "
    << "careers help</span></div></div>";
  if (sessions == 0) {
    h << "<p>No sessions were recorded in these dates. If the kiosk was in use, check it was "
         "switched on and that its usage file is being written (technician mode).</p>";
  }
  h << "<table><tr><th>How long sessions lasted</th><th class=\"n\">Sessions</th><th "
       "class=\"n\">Share</th></tr>";
  for (const auto& l : kLengths) {
    h << "<tr><td>" << l.label << "</td><td class=\"n\">" << Count(d.Total(l.key))
      << "</td><td class=\"n\">" << Pct(d.Total(l.key), sessions) << "</td></tr>";
  }
  h << "</table></section>\n";

  // Routes per week.
  h << "<section><h2>Routes explored each week</h2><p class=\"note\">Each column is one week; "
       "each colour is a kind of route. A thing opened twice in one session counts once.</p>"
    << WeeklyChart(d) << "<table><tr><th>Route</th><th class=\"n\">Opened</th><th class=\"n\">"
    << "Sessions that explored it</th></tr>";
  for (const auto& r : kRoutes) {
    h << "<tr><td>" << r.label << "</td><td class=\"n\">"
      << Count(d.Total(std::string("view.") + r.key)) << "</td><td class=\"n\">"
      << Count(d.Total(std::string("explored.") + r.key)) << " ("
      << Pct(d.Total(std::string("explored.") + r.key), sessions) << ")</td></tr>";
  }
  h << "</table></section>\n";

  // Balance.
  const std::int64_t academic = d.Total("view.he");
  const std::int64_t technical = d.Total("view.fe") + d.Total("view.tlevel");
  const std::int64_t apprenticeship = d.Total("view.apprenticeship");
  h << "<section><h2>Academic, technical and apprenticeship routes</h2>"
    << BalanceChart({{"Academic (university)", academic},
                     {"Technical (college, T Levels)", technical},
                     {"Apprenticeships", apprenticeship}},
                    {"#b5482a", "#1b6ca8", "#1e7a46"})
    << "<p class=\"note\">What students opened, not what they were shown: the kiosk gives every "
       "route equal prominence. Guidance must cover all options after 16 and 18, including "
       "technical education and apprenticeships (Gatsby Benchmark 7; the provider access "
       "legislation); a route that is rarely opened may need promoting in lessons and "
       "assemblies.</p></section>\n";

  // Subjects.
  auto subjects = WithPrefix(d, "subject.", 10);
  h << "<section><h2>Top subjects</h2>";
  if (subjects.empty()) {
    h << "<p>No courses or apprenticeships were opened in these dates.</p>";
  } else {
    h << HBarChart("subjects-title", "Subject areas of the courses and apprenticeships opened",
                   subjects, "#1b6ca8");
  }
  auto school = WithPrefix(d, "school_subject.", 10);
  if (!school.empty()) {
    h << "<p class=\"note\">School subjects chosen in \"What can I do with the subjects I "
         "like?\":</p>"
      << HBarChart("school-title", "School subjects chosen", school, "#7b3fa0");
  }
  h << "</section>\n";

  // Searches that found nothing.
  std::int64_t hidden_kinds = 0, hidden_sessions = 0;
  h << "<section><h2>Searches that found nothing</h2><p class=\"note\">What students looked "
       "for that the kiosk could not show: a sign of what the catalogue (or the local offer) "
       "is missing. In total "
    << Count(d.Total("search.none_found")) << " searches found nothing.</p>";
  std::ostringstream rows;
  int shown = 0;
  for (const auto& m : d.missed) {
    if (m.text.empty()) {
      ++hidden_kinds;
      hidden_sessions += m.sessions;
      continue;
    }
    if (shown++ >= 25) continue;
    rows << "<tr><td>" << Html(m.text) << "</td><td class=\"n\">" << Count(m.sessions)
         << "</td></tr>";
  }
  if (shown == 0 && hidden_kinds == 0) {
    h << "<p>None: every search found something.</p>";
  } else {
    h << "<table><tr><th>Search</th><th class=\"n\">Sessions</th></tr>" << rows.str();
    if (hidden_kinds > 0) {
      h << "<tr><td><i>Other searches (" << Count(hidden_kinds)
        << "), not shown: too few sessions or days, or not made of ordinary words (see "
           "below)</i></td><td class=\"n\">"
        << Count(hidden_sessions) << "</td></tr>";
    }
    h << "</table>";
  }
  h << "</section>\n";

  // How it was used.
  h << "<section><h2>How the kiosk was used</h2><table><tr><th>Feature</th><th "
       "class=\"n\">Sessions</th><th class=\"n\">Share</th></tr>";
  auto row = [&](const Named& n) {
    h << "<tr><td>" << n.label << "</td><td class=\"n\">" << Count(d.Total(n.key))
      << "</td><td class=\"n\">" << Pct(d.Total(n.key), sessions) << "</td></tr>";
  };
  for (const auto& n : kScreens) row(n);
  for (const auto& n : kFilters) row(n);
  h << "</table><h2>Accessibility features</h2><p class=\"note\">Sessions that switched a "
       "feature on, counted per whole week (every week that touches these dates), so no one "
       "visit can be picked out. Students with SEND need the same breadth of information in a "
       "form they can use.</p><table><tr><th>Feature</th><th class=\"n\">Sessions</th><th "
       "class=\"n\">Share"
       "</th></tr>";
  for (const auto& n : kAccessibility) {
    h << "<tr><td>" << n.label << "</td><td class=\"n\">" << Count(d.AccessTotal(n.key))
      << "</td><td class=\"n\">" << Pct(d.AccessTotal(n.key), d.week_sessions) << "</td></tr>";
  }
  h << "</table></section>\n";

  // Privacy.
  h << "<section><h2>What this report does not contain</h2><div class=\"privacy\"><p>The kiosk "
       "has no accounts and keeps nothing about any person. It only adds to totals:</p><ul>"
       "<li>Counts are kept per hour; no time finer than the hour is stored, and nothing links "
       "one action to another (no per-session records or trails).</li>"
       "<li>The words of a search that found nothing are kept only when at least "
    << kMissedTextThreshold << " separate sessions on at least " << kMissedTextMinDays
    << " different days searched for exactly the same thing, and only when every word is an "
       "ordinary English word: never digits (phone numbers), e-mail or web addresses, or "
       "names. Otherwise only a scrambled fingerprint and a count are kept.</li>"
       "<li>Any number under "
    << kMinShown << " is shown as \"" << kFewer
    << "\", in this page, its charts and the CSV files; accessibility features are counted "
       "per week.</li>"
       "<li>Session lengths are kept only as bands (under 1 minute, 1-3, 3-10, over 10).</li>"
       "</ul><p>A \"session\" ends when the kiosk is left untouched and clears itself, so a "
       "group sharing the screen is one session and one person coming back later is two."
       "</p></div></section>\n";
  h << "<p class=\"note\">Produced by Signpost from its anonymous usage counters. The same "
       "figures are in the CSV files beside this report.</p></body></html>\n";
  return h.str();
}

std::map<std::string, std::string> RenderReportCsv(const ReportData& d) {
  std::map<std::string, std::string> files;
  {
    std::ostringstream s;
    s << "measure,value\r\n"
      << "from," << FormatIsoDate(d.from) << "\r\nto," << FormatIsoDate(d.to) << "\r\n";
    auto put = [&](const std::string& key, std::int64_t v) {
      s << Cell(key) << "," << CsvCount(v) << "\r\n";
    };
    put(kSessions, d.Total(kSessions));
    for (const auto& l : kLengths) put(l.key, d.Total(l.key));
    for (const auto& r : kRoutes) {
      put(std::string("view.") + r.key, d.Total(std::string("view.") + r.key));
      put(std::string("explored.") + r.key, d.Total(std::string("explored.") + r.key));
    }
    for (const auto& n : kScreens) put(n.key, d.Total(n.key));
    for (const auto& n : kFilters) put(n.key, d.Total(n.key));
    // Per whole week, as in the HTML.
    for (const auto& n : kAccessibility) put(std::string(n.key) + ".weeks", d.AccessTotal(n.key));
    put("shortlist.taken_away", d.Total("shortlist.taken_away"));
    put("shortlist.items", d.Total("shortlist.items"));
    put("search.none_found", d.Total("search.none_found"));
    files["summary.csv"] = s.str();
  }
  {
    std::ostringstream s;
    s << "week_beginning,sessions";
    for (const auto& r : kRoutes) s << ",view." << r.key;
    s << ",shortlist.taken_away,search.none_found\r\n";
    for (const auto& w : d.weeks) {
      auto get = [&](const std::string& k) {
        auto it = w.totals.find(k);
        return it == w.totals.end() ? 0 : it->second;
      };
      s << FormatIsoDate(w.monday) << "," << CsvCount(get(kSessions));
      for (const auto& r : kRoutes) s << "," << CsvCount(get(std::string("view.") + r.key));
      s << "," << CsvCount(get("shortlist.taken_away")) << "," << CsvCount(get("search.none_found"))
        << "\r\n";
    }
    files["weekly.csv"] = s.str();
  }
  {
    std::ostringstream s;
    s << "subject_area,opened\r\n";
    for (const auto& [name, v] : WithPrefix(d, "subject.", 1000))  // only those shown
      s << Cell(name) << "," << v << "\r\n";
    s << Cell("(every other subject area: " + kFewer + " each)") << "," << kFewer << "\r\n";
    files["subjects.csv"] = s.str();
  }
  {
    std::ostringstream s;
    s << "search,sessions\r\n";
    std::int64_t hidden = 0, hidden_sessions = 0;
    for (const auto& m : d.missed) {
      if (m.text.empty()) {
        ++hidden;
        hidden_sessions += m.sessions;
      } else {
        s << Cell(m.text) << "," << m.sessions << "\r\n";
      }
    }
    if (hidden > 0)
      s << Cell("(other searches: " + CsvCount(hidden) +
                "; not shown: too few sessions or days, or not ordinary words)")
        << "," << CsvCount(hidden_sessions) << "\r\n";
    files["missed_searches.csv"] = s.str();
  }
  {
    std::ostringstream s;
    // Only counts of 5 or more, and no accessibility counters (they are
    // kept per week): a day's row must not say what one visitor needed.
    s << "day,counter,value\r\n";
    for (const auto& [day, counts] : d.by_day)
      for (const auto& [name, v] : counts)
        if (Shown(v) && !name.starts_with("a11y."))
          s << FormatIsoDate(day) << "," << Cell(name) << "," << v << "\r\n";
    s << Cell("(counts under " + std::to_string(kMinShown) + " are not listed)") << ",,\r\n";
    files["daily.csv"] = s.str();
  }
  return files;
}

// [SECTION] Writing files ----------------------------------------------------------------------

namespace {

// Writes `name` inside the folder `dir_fd` (opened O_NOFOLLOW): a new temp
// file with a random name, created O_EXCL|O_NOFOLLOW (so a link or file
// planted on the stick under any name is never written through), fsynced,
// then renamed over `name` (rename replaces a link itself, never its target).
Status WriteDurably(int dir_fd, const std::string& dir, const std::string& name,
                    const std::string& data) {
  const std::string shown = (std::filesystem::path(dir) / name).string();
  std::string tmp;
  int fd = -1;
  for (int attempt = 0; attempt < 16 && fd < 0; ++attempt) {
    char suffix[24];
    std::snprintf(suffix, sizeof suffix, ".%08x.tmp", randombytes_random());
    tmp = "." + name + suffix;
    fd = openat(dir_fd, tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0 && errno != EEXIST) break;
  }
  if (fd < 0)
    return Status::IoError("cannot write in " + dir + " (is the stick read-only or full?)");
  std::size_t done = 0;
  while (done < data.size()) {
    ssize_t n = write(fd, data.data() + done, data.size() - done);
    if (n <= 0) {
      close(fd);
      unlinkat(dir_fd, tmp.c_str(), 0);
      return Status::IoError("cannot write " + shown + " (disk full?)");
    }
    done += static_cast<std::size_t>(n);
  }
  if (fsync(fd) != 0 || close(fd) != 0) {
    unlinkat(dir_fd, tmp.c_str(), 0);
    return Status::IoError("cannot finish writing " + shown);
  }
  if (renameat(dir_fd, tmp.c_str(), dir_fd, name.c_str()) != 0) {
    unlinkat(dir_fd, tmp.c_str(), 0);
    return Status::IoError("cannot write " + shown + " (is something else in its place?)");
  }
  return Status::Ok();
}

}  // namespace

Result<ReportFiles> WriteUsageReport(UsageStore& store, const ReportOptions& o) {
  auto data = GatherReport(store, o.from, o.to);
  if (!data.ok()) return data.status();
  std::error_code ec;
  std::filesystem::create_directories(o.out_dir, ec);
  if (ec) return Status::IoError("cannot create " + o.out_dir + ": " + ec.message());
  ReportFiles out;
  out.sessions = data->Total(kSessions);
  const std::filesystem::path dir(o.out_dir);
  // The folder itself must not be a link (to the kiosk's own files, say).
  const int dfd = open(o.out_dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (dfd < 0) {
    return Status::IoError(
        "cannot write in " + o.out_dir +
        (errno == ELOOP || errno == ENOTDIR ? " (it is not a plain folder)" : ""));
  }
  Status st = WriteDurably(dfd, o.out_dir, "report.html", RenderReportHtml(*data, o));
  if (st.ok()) out.paths.push_back((dir / "report.html").string());
  if (st.ok()) {
    for (const auto& [name, text] : RenderReportCsv(*data)) {
      st = WriteDurably(dfd, o.out_dir, name, text);
      if (!st.ok()) break;
      out.paths.push_back((dir / name).string());
    }
  }
  if (st.ok()) fsync(dfd);
  close(dfd);
  if (!st.ok()) return st;
  return out;
}

}  // namespace signpost::usage
