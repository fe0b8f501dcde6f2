// signpost-catalogue: the technician's and tests' command line over the
// catalogue. It searches with exactly the code the kiosk uses (SearchEngine).
//
//   signpost-catalogue [--catalogue PATH] COMMAND [ARGS]
//
// Exit codes: 0 the command ran (a search with no results included),
// 1 the catalogue could not be opened or written, 2 bad usage.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "signpost/catalogue.h"
#include "signpost/printable.h"
#include "signpost/sample_data.h"
#include "signpost/search.h"
#include "signpost/synthetic.h"

namespace {

// Text from the catalogue (feeds wrote it) as it may be printed: control
// characters escaped, never obeyed by the terminal (signpost/printable.h).
// Use as P(x).c_str() inside a printf call (the temporary lives until its end).
std::string P(std::string_view s) { return signpost::Printable(s); }

using namespace signpost;
using namespace signpost::catalogue;
using nlohmann::json;

constexpr int kOk = 0;
constexpr int kFailed = 1;
constexpr int kUsage = 2;

const char* kUsageText = R"(usage: signpost-catalogue [--catalogue PATH] COMMAND [ARGS]

Commands:
  load-sample [--sample-dir DIR] [--today YYYY-MM-DD]
                      load the bundled sample catalogue (dates are moved to today)
  generate [--opportunities N] [--providers N] [--careers N] [--seed N]
                      fill the catalogue with deterministic synthetic data
  stats [--json]      counts per route, feeds and freshness
  search QUERY [--route R]... [--level N]... [--subject AREA]... [--mode M]...
         [--near POSTCODE --within KM] [--starts-after DATE] [--starts-before DATE]
         [--limit N] [--seed N] [--json]
                      search exactly as the kiosk does; exits 0 even with no results
                      R: fe, tlevel, he, apprenticeship; M: full_time, part_time,
                      flexible, distance, work_based
  careers [QUERY] [--limit N] [--json]
                      job profiles matching QUERY
  events [--limit N] [--json]
                      upcoming open days and events, soonest first
  check               run SQLite's integrity check

The catalogue is --catalogue PATH, else $SIGNPOST_CATALOGUE, else
/var/lib/signpost/catalogue.db.
)";

int Usage(const std::string& why) {
  std::fprintf(stderr, "signpost-catalogue: %s\n\n%s", why.c_str(), kUsageText);
  return kUsage;
}

int Fail(const Status& s) {
  std::fprintf(stderr, "signpost-catalogue: %s\n", P(s.ToString()).c_str());
  return kFailed;
}

struct Args {
  std::vector<std::string> positional;
  std::vector<std::pair<std::string, std::string>> options;  // --name value
  std::vector<std::string> flags;                            // --json
  bool Flag(const std::string& f) const {
    for (const auto& x : flags) {
      if (x == f) return true;
    }
    return false;
  }
  std::vector<std::string> All(const std::string& name) const {
    std::vector<std::string> out;
    for (const auto& [k, v] : options) {
      if (k == name) out.push_back(v);
    }
    return out;
  }
  std::optional<std::string> One(const std::string& name) const {
    auto all = All(name);
    if (all.empty()) return std::nullopt;
    return all.back();
  }
};

bool ParseLong(const std::string& s, long long min, long long max, long long* out) {
  char* end = nullptr;
  errno = 0;
  const long long v = std::strtoll(s.c_str(), &end, 10);
  if (errno || end == s.c_str() || *end || v < min || v > max) return false;
  *out = v;
  return true;
}

bool ParseNumber(const std::string& s, double* out) {
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (end == s.c_str() || *end || !std::isfinite(v) || v < 0) return false;
  *out = v;
  return true;
}

Result<std::unique_ptr<Catalogue>> OpenCatalogue(const std::string& path, bool write) {
  OpenOptions o;
  o.read_only = !write;
  return Catalogue::Open(path, o);
}

std::string Freshness(std::optional<UnixTime> t) {
  if (!t) return "never updated from a feed";
  const UnixTime age = NowUnix() - *t;
  if (age < 3600) return "updated " + std::to_string(std::max<UnixTime>(age / 60, 0)) + " min ago";
  if (age < 86400 * 2) return "updated " + std::to_string(age / 3600) + " hours ago";
  return "updated " + std::to_string(age / 86400) + " days ago (" + FormatHumanDate(DayOf(*t)) +
         ")";
}

int CmdLoadSample(Catalogue* cat, const Args& a) {
  const std::string dir = a.One("sample-dir").value_or(DefaultSampleDir());
  Day today = TodayUtc();
  if (auto t = a.One("today")) {
    auto d = ParseIsoDate(*t);
    if (!d) return Usage("--today must be a date like 2026-09-01");
    today = *d;
  }
  ImportReport report;
  Status s = LoadSampleCatalogue(cat, dir, today, &report);
  if (!s.ok()) return Fail(s);
  auto stats = cat->Stats();
  if (!stats.ok()) return Fail(stats.status());
  std::printf(
      "Loaded the sample catalogue from %s into %s: %lld opportunities, %lld providers, "
      "%lld careers, %lld events.\n",
      dir.c_str(), cat->path().c_str(), static_cast<long long>(stats->opportunities),
      static_cast<long long>(stats->providers), static_cast<long long>(stats->careers),
      static_cast<long long>(stats->events));
  return kOk;
}

int CmdGenerate(Catalogue* cat, const Args& a) {
  SyntheticOptions o;
  long long v;
  if (auto s = a.One("opportunities")) {
    if (!ParseLong(*s, 0, 5'000'000, &v)) return Usage("--opportunities must be 0..5000000");
    o.opportunities = v;
  }
  if (auto s = a.One("providers")) {
    if (!ParseLong(*s, 1, 1'000'000, &v)) return Usage("--providers must be 1..1000000");
    o.providers = static_cast<int>(v);
  }
  if (auto s = a.One("careers")) {
    if (!ParseLong(*s, 0, 100'000, &v)) return Usage("--careers must be 0..100000");
    o.careers = static_cast<int>(v);
  }
  if (auto s = a.One("seed")) {
    if (!ParseLong(*s, 0, INT64_MAX, &v)) return Usage("--seed must be a whole number");
    o.seed = static_cast<std::uint64_t>(v);
  }
  o.today = TodayUtc();
  if (Status bad = ValidateSyntheticOptions(o); !bad.ok()) return Usage(bad.message());
  Status s = GenerateSynthetic(cat, o, nullptr);
  if (!s.ok()) return Fail(s);
  auto stats = cat->Stats();
  if (!stats.ok()) return Fail(stats.status());
  std::printf("Generated %lld opportunities from %lld providers into %s.\n",
              static_cast<long long>(stats->opportunities),
              static_cast<long long>(stats->providers), cat->path().c_str());
  return kOk;
}

int CmdStats(Catalogue* cat, const Args& a) {
  auto st = cat->Stats();
  if (!st.ok()) return Fail(st.status());
  auto sync = cat->SyncStates();
  if (!sync.ok()) return Fail(sync.status());
  if (a.Flag("json")) {
    json j = {{"path", cat->path()},
              {"schema_version", st->schema_version},
              {"is_sample", st->is_sample},
              {"name", st->name},
              {"providers", st->providers},
              {"opportunities", st->opportunities},
              {"careers", st->careers},
              {"labour_market_figures", st->lmi_figures},
              {"events", st->events},
              {"local_items", st->local_items},
              {"subject_links", st->subject_links},
              {"postcodes", st->postcodes}};
    for (Route r : kAllRoutes) {
      j["by_route"][std::string(RouteKey(r))] = st->by_route[static_cast<int>(r)];
    }
    j["feeds"] = json::array();
    for (const auto& f : st->feeds)
      j["feeds"].push_back({{"feed", f.feed}, {"records", f.records}});
    if (st->last_import) j["last_import"] = FormatIsoTimestamp(*st->last_import);
    std::cout << j.dump(2, ' ', true) << "\n";  // ASCII: no control text raw
    return kOk;
  }
  std::printf("Catalogue %s (schema %d)%s\n", cat->path().c_str(), st->schema_version,
              st->is_sample ? "  [SAMPLE DATA]" : "");
  if (!st->name.empty()) std::printf("  %s\n", P(st->name).c_str());
  std::printf("  %lld opportunities:", static_cast<long long>(st->opportunities));
  for (Route r : kAllRoutes) {
    std::printf(" %s %lld;", std::string(RouteLabel(r)).c_str(),
                static_cast<long long>(st->by_route[static_cast<int>(r)]));
  }
  std::printf(
      "\n  %lld providers, %lld careers (%lld labour-market figures), %lld events, "
      "%lld local items, %lld subject links, %lld postcodes\n",
      static_cast<long long>(st->providers), static_cast<long long>(st->careers),
      static_cast<long long>(st->lmi_figures), static_cast<long long>(st->events),
      static_cast<long long>(st->local_items), static_cast<long long>(st->subject_links),
      static_cast<long long>(st->postcodes));
  std::printf("  Freshness: %s\n", Freshness(st->last_import).c_str());
  for (const auto& f : st->feeds) {
    std::printf("  feed %-24s %8lld records\n", P(f.feed).c_str(),
                static_cast<long long>(f.records));
  }
  for (const auto& s : *sync) {
    std::printf("  sync %-24s %s, %s%s%s\n", P(s.feed).c_str(),
                s.result.empty() ? "-" : P(s.result).c_str(), Freshness(s.last_success).c_str(),
                s.last_error.empty() ? "" : "; last error: ", P(s.last_error).c_str());
  }
  return kOk;
}

std::string GroupKey(const ResultBlock& b) {
  return b.kind == ResultKind::kOpportunity ? std::string(RouteKey(b.route))
                                            : std::string(ResultKindKey(b.kind));
}

std::string GroupLabel(const ResultBlock& b) {
  return b.kind == ResultKind::kOpportunity ? std::string(RouteLabel(b.route))
                                            : std::string(ResultKindLabel(b.kind));
}

json OpportunityJson(const OpportunitySummary& r) {
  json j = {{"id", r.rowid},
            {"title", r.title},
            {"provider", r.provider_name},
            {"route", RouteKey(r.route)},
            {"kind", OpportunityKindKey(r.kind)},
            {"level", r.level},
            {"mode", StudyModeKey(r.mode)},
            {"subject_area", r.subject_area},
            {"town", r.town}};
  if (r.distance_km) j["distance_km"] = std::round(*r.distance_km * 10) / 10;
  if (r.start) j["start"] = FormatIsoDate(*r.start);
  if (r.flexible_start) j["flexible_start"] = true;
  if (r.closing) j["closing"] = FormatIsoDate(*r.closing);
  if (!r.wage_text.empty()) j["wage"] = r.wage_text;
  return j;
}

json ItemJson(const ItemSummary& r) {
  json j = {{"id", r.rowid}, {"title", r.title}, {"kind", ResultKindKey(r.kind)}};
  if (!r.detail.empty()) j["detail"] = r.detail;
  if (r.kind == ResultKind::kEvent) j["event_kind"] = r.subkind;
  if (r.kind == ResultKind::kLocal) j["local_kind"] = r.subkind;
  if (r.start) j["start"] = FormatIsoTimestamp(*r.start);
  if (r.routes) {
    j["routes"] = json::array();
    for (Route route : kAllRoutes) {
      if (r.routes >> static_cast<int>(route) & 1) j["routes"].push_back(RouteKey(route));
    }
  }
  return j;
}

std::string OpportunityLine(const OpportunitySummary& r) {
  std::string line = "  " + std::string(RouteLabel(r.route)) + "  L" +
                     (r.level >= 0 ? std::to_string(r.level) : "?") + "  " + r.title + " — " +
                     r.provider_name;
  char buf[64];
  if (r.distance_km) {
    std::snprintf(buf, sizeof buf, " (%.1f km)", *r.distance_km);
    line += buf;
  }
  if (r.start) line += ", starts " + FormatHumanDate(*r.start);
  if (r.closing) line += ", closes " + FormatHumanDate(*r.closing);
  return line;
}

// Prints results in the order the kiosk's first screen shows them: its
// groups (careers, each matching route, events, local content), then the
// rest of the opportunities. JSON: one object per line, each with its kind,
// its group and whether it is on the first screen.
int PrintResults(SearchEngine* engine, const SearchResults& results, const SearchRequest& req,
                 long long limit, bool as_json) {
  std::vector<json> lines;
  std::vector<std::string> text;
  const bool corrected = results.corrected();
  long long real = 0;  // result lines (headings are text only)
  auto add = [&](json j, const std::string& group, bool first_screen, std::string line) {
    if (real >= limit) return;
    ++real;
    j["group"] = group;
    j["first_screen"] = first_screen;
    if (corrected) j["showing_results_for"] = results.did_you_mean();
    lines.push_back(std::move(j));
    text.push_back(std::move(line));
  };
  std::int64_t shown_opportunities = 0;
  for (const ResultBlock& b : results.first_screen()) {
    const std::string group = GroupKey(b);
    if (real < limit) {
      text.push_back(GroupLabel(b) + " (" + std::to_string(b.total) + ")");
      lines.push_back(nullptr);  // a heading: text only
    }
    if (b.kind == ResultKind::kOpportunity) {
      auto rows = engine->Summaries(b.rowids, req.origin);
      if (!rows.ok()) return Fail(rows.status());
      for (const auto& r : *rows) add(OpportunityJson(r), group, true, OpportunityLine(r));
      shown_opportunities += static_cast<std::int64_t>(b.rowids.size());
    } else {
      auto rows = engine->ItemSummaries(b.kind, b.rowids);
      if (!rows.ok()) return Fail(rows.status());
      for (const auto& r : *rows) {
        add(ItemJson(r), group, true, "  " + r.title + (r.detail.empty() ? "" : " — " + r.detail));
      }
    }
    if (b.total > static_cast<std::int64_t>(b.rowids.size()) && real < limit) {
      text.push_back("  ... all " + std::to_string(b.total));
      lines.push_back(nullptr);
    }
  }
  if (!results.first_screen().empty() && shown_opportunities < results.size() && real < limit) {
    text.push_back("More results");
    lines.push_back(nullptr);
  }
  const long long more = std::max<long long>(0, limit - real);
  auto rows = engine->Summaries(results.Rows(shown_opportunities, more), req.origin);
  if (!rows.ok()) return Fail(rows.status());
  for (const auto& r : *rows) {
    add(OpportunityJson(r), std::string(RouteKey(r.route)), false, OpportunityLine(r));
  }
  if (as_json) {
    for (const json& j : lines) {
      if (!j.is_null()) std::cout << j.dump(-1, ' ', true) << "\n";  // ASCII: no control text raw
    }
    return kOk;
  }
  std::string counts;
  for (const ResultBlock& b : results.first_screen()) {
    counts += (counts.empty() ? "" : " · ") + GroupLabel(b) + " " + std::to_string(b.total);
  }
  std::printf("%lld result%s", static_cast<long long>(results.size()),
              results.size() == 1 ? "" : "s");
  if (!counts.empty()) std::printf(" (%s)", counts.c_str());
  if (corrected) {
    std::printf("\nShowing results for \"%s\" (nothing matched \"%s\")",
                P(results.did_you_mean()).c_str(), P(req.text).c_str());
  } else if (!results.did_you_mean().empty()) {
    std::printf(" (did you mean \"%s\"?)", P(results.did_you_mean()).c_str());
  }
  std::printf("\n");
  for (const std::string& t : text) std::printf("%s\n", P(t).c_str());
  return kOk;
}

int CmdSearch(Catalogue* cat, const Args& a) {
  if (a.positional.size() > 1) return Usage("search takes one QUERY (quote it)");
  SearchRequest req;
  req.text = a.positional.empty() ? "" : a.positional[0];
  for (const std::string& r : a.All("route")) {
    auto route = ParseRoute(r);
    if (!route) return Usage("unknown --route '" + r + "' (fe, tlevel, he, apprenticeship)");
    req.routes |= static_cast<std::uint8_t>(1u << static_cast<int>(*route));
  }
  long long v;
  for (const std::string& l : a.All("level")) {
    if (!ParseLong(l, 0, 8, &v)) return Usage("--level must be 0 (entry) to 8");
    req.levels |= static_cast<std::uint16_t>(1u << v);
  }
  for (const std::string& m : a.All("mode")) {
    auto mode = ParseStudyMode(m);
    if (!mode) return Usage("unknown --mode '" + m + "'");
    req.modes |= static_cast<std::uint8_t>(1u << static_cast<int>(*mode));
  }
  req.subject_areas = a.All("subject");
  if (auto near = a.One("near")) {
    req.origin = cat->LookupPostcode(*near);
    if (!req.origin) {
      return Usage("postcode '" + *near + "' is not in the catalogue's postcode table");
    }
  }
  if (auto w = a.One("within")) {
    if (!req.origin) return Usage("--within needs --near POSTCODE");
    if (!ParseNumber(*w, &req.within_km)) return Usage("--within must be a distance in km");
  }
  if (auto d = a.One("starts-after")) {
    req.start_from = ParseIsoDate(*d);
    if (!req.start_from) return Usage("--starts-after must be a date like 2026-09-01");
  }
  if (auto d = a.One("starts-before")) {
    req.start_to = ParseIsoDate(*d);
    if (!req.start_to) return Usage("--starts-before must be a date like 2026-09-01");
  }
  long long limit = 20;
  if (auto l = a.One("limit")) {
    if (!ParseLong(*l, 0, 1'000'000, &limit)) return Usage("--limit must be 0..1000000");
  }
  if (auto s = a.One("seed")) {
    if (!ParseLong(*s, 0, INT64_MAX, &v)) return Usage("--seed must be a whole number");
    req.session_seed = static_cast<std::uint64_t>(v);
  }
  auto engine = SearchEngine::Create(cat);
  if (!engine.ok()) return Fail(engine.status());
  auto results = (*engine)->Search(req);
  if (!results.ok()) return Fail(results.status());
  return PrintResults(engine->get(), *results, req, limit, a.Flag("json"));
}

int CmdCareers(Catalogue* cat, const Args& a) {
  long long limit = 20;
  if (auto l = a.One("limit")) {
    if (!ParseLong(*l, 0, 100000, &limit)) return Usage("--limit must be 0..100000");
  }
  auto careers =
      cat->SearchCareers(a.positional.empty() ? "" : a.positional[0], static_cast<int>(limit));
  if (!careers.ok()) return Fail(careers.status());
  for (const auto& c : *careers) {
    if (a.Flag("json")) {
      json j = {{"id", c.rowid},
                {"title", c.career.title},
                {"soc_code", c.career.soc_code},
                {"salary_starter", c.career.salary_starter},
                {"salary_experienced", c.career.salary_experienced},
                {"labour_market_figures", c.lmi.size()}};
      std::cout << j.dump(-1, ' ', true) << "\n";
    } else {
      std::printf("  %s (SOC %s): £%d to £%d a year, %zu local figures\n",
                  P(c.career.title).c_str(), P(c.career.soc_code).c_str(), c.career.salary_starter,
                  c.career.salary_experienced, c.lmi.size());
    }
  }
  return kOk;
}

int CmdEvents(Catalogue* cat, const Args& a) {
  long long limit = 20;
  if (auto l = a.One("limit")) {
    if (!ParseLong(*l, 0, 100000, &limit)) return Usage("--limit must be 0..100000");
  }
  auto events = cat->UpcomingEvents(NowUnix(), 0, static_cast<int>(limit));
  if (!events.ok()) return Fail(events.status());
  for (const auto& e : *events) {
    if (a.Flag("json")) {
      json j = {{"id", e.rowid},
                {"title", e.event.title},
                {"kind", EventKindKey(e.event.kind)},
                {"provider", e.provider_name},
                {"start", FormatIsoTimestamp(e.event.start)},
                {"end", FormatIsoTimestamp(e.event.end)},
                {"all_day", e.event.all_day}};
      std::cout << j.dump(-1, ' ', true) << "\n";
    } else {
      std::printf("  %s  %s — %s\n", FormatHumanDate(DayOf(e.event.start)).c_str(),
                  P(e.event.title).c_str(), P(e.provider_name).c_str());
    }
  }
  return kOk;
}

}  // namespace

int main(int argc, char** argv) {
  std::string path;
  if (const char* env = std::getenv("SIGNPOST_CATALOGUE"); env && *env) path = env;
  if (path.empty()) path = "/var/lib/signpost/catalogue.db";
  std::string command;
  Args args;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "-h" || a == "--help" || a == "help") {
      std::printf("%s", kUsageText);
      return kOk;
    }
    if (a == "--json") {
      args.flags.push_back("json");
    } else if (a.rfind("--", 0) == 0 && a.size() > 2) {
      std::string name = a.substr(2), value;
      if (auto eq = name.find('='); eq != std::string::npos) {
        value = name.substr(eq + 1);
        name = name.substr(0, eq);
      } else {
        if (i + 1 >= argc) return Usage("--" + name + " needs a value");
        value = argv[++i];
      }
      if (name == "catalogue") {
        path = value;
      } else {
        args.options.emplace_back(name, value);
      }
    } else if (command.empty()) {
      command = a;
    } else {
      args.positional.push_back(a);
    }
  }
  if (command.empty()) return Usage("no command given");
  static const std::vector<std::pair<std::string, std::vector<std::string>>> kAllowed = {
      {"load-sample", {"sample-dir", "today"}},
      {"generate", {"opportunities", "providers", "careers", "seed"}},
      {"stats", {}},
      {"search",
       {"route", "level", "subject", "mode", "near", "within", "starts-after", "starts-before",
        "limit", "seed"}},
      {"careers", {"limit"}},
      {"events", {"limit"}},
      {"check", {}},
  };
  const std::vector<std::string>* allowed = nullptr;
  for (const auto& [name, opts] : kAllowed) {
    if (name == command) allowed = &opts;
  }
  if (!allowed) return Usage("unknown command '" + command + "'");
  for (const auto& [name, value] : args.options) {
    if (std::find(allowed->begin(), allowed->end(), name) == allowed->end()) {
      return Usage("'" + command + "' has no option --" + name);
    }
  }
  if (!args.positional.empty() && command != "search" && command != "careers") {
    return Usage("'" + command + "' takes no argument '" + args.positional[0] + "'");
  }
  const bool write = command == "load-sample" || command == "generate";
  auto cat = OpenCatalogue(path, write);
  if (!cat.ok()) return Fail(cat.status());
  Catalogue* c = cat->get();
  if (command == "load-sample") return CmdLoadSample(c, args);
  if (command == "generate") return CmdGenerate(c, args);
  if (command == "stats") return CmdStats(c, args);
  if (command == "search") return CmdSearch(c, args);
  if (command == "careers") return CmdCareers(c, args);
  if (command == "events") return CmdEvents(c, args);
  Status s = c->IntegrityCheck();
  if (!s.ok()) return Fail(s);
  std::printf("%s: ok\n", c->path().c_str());
  return kOk;
}
