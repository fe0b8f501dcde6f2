// Catalogue benchmarks on the synthetic national-size catalogue (250k
// opportunities): full import, open + first query, and search-as-you-type
// keystroke latency with filters and facets (p50/p95/p99 reported as
// counters). See bench/README.md for the numbers and how to rerun.
//
// The catalogue is generated once into $SIGNPOST_BENCH_DB (default
// /tmp/signpost-bench-250k.db) and reused; BM_ImportFull regenerates it.
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "signpost/catalogue.h"
#include "signpost/search.h"
#include "signpost/synthetic.h"

namespace {

using namespace signpost;
using namespace signpost::catalogue;
using Clock = std::chrono::steady_clock;

std::int64_t Opportunities() {
  const char* n = std::getenv("SIGNPOST_BENCH_OPPORTUNITIES");
  return n ? std::atoll(n) : 250000;
}

std::string DbPath() {
  const char* p = std::getenv("SIGNPOST_BENCH_DB");
  return p ? p : "/tmp/signpost-bench-" + std::to_string(Opportunities() / 1000) + "k.db";
}

void RemoveDb(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
}

double Generate(const std::string& path) {
  RemoveDb(path);
  auto cat = Catalogue::Open(path);
  if (!cat.ok()) {
    std::fprintf(stderr, "%s\n", cat.status().ToString().c_str());
    std::exit(1);
  }
  SyntheticOptions o;
  o.opportunities = Opportunities();
  o.today = TodayUtc();
  const auto t0 = Clock::now();
  Status s = GenerateSynthetic(cat->get(), o, nullptr);
  const double secs = std::chrono::duration<double>(Clock::now() - t0).count();
  if (!s.ok()) {
    std::fprintf(stderr, "%s\n", s.ToString().c_str());
    std::exit(1);
  }
  return secs;
}

void EnsureDb() {
  static bool ready = false;
  if (ready) return;
  if (!std::filesystem::exists(DbPath())) Generate(DbPath());
  ready = true;
}

// Generating and importing every record, as content-sync would on first sync.
void BM_ImportFull(benchmark::State& state) {
  const std::string path = DbPath() + ".import";
  for (auto _ : state) {
    const double secs = Generate(path);
    state.SetIterationTime(secs);
  }
  auto cat = Catalogue::Open(path, {.read_only = true});
  state.counters["opportunities"] = static_cast<double>((*cat)->Stats()->opportunities);
  state.counters["db_MB"] =
      static_cast<double>(std::filesystem::file_size(path)) / (1024.0 * 1024.0);
  cat->reset();
  RemoveDb(path);
}
BENCHMARK(BM_ImportFull)->UseManualTime()->Iterations(1)->Unit(benchmark::kSecond);

// Replacing the biggest feed (FE courses + T Levels, 70% of the catalogue)
// with a fresh copy of itself, as a daily sync of a changed national feed
// does: staging, deleting the old rows and their index entries, inserting
// and indexing the new ones, the search snapshot. Works on a copy.
void BM_ReimportBiggestFeed(benchmark::State& state) {
  EnsureDb();
  const std::string path = DbPath() + ".reimport";
  RemoveDb(path);
  std::filesystem::copy_file(DbPath(), path);
  auto cat = Catalogue::Open(path);
  if (!cat.ok()) std::exit(1);
  SyntheticOptions o;
  o.opportunities = Opportunities();
  o.today = TodayUtc();
  std::int64_t accepted = 0;
  for (auto _ : state) {
    const auto t0 = Clock::now();
    ImportOptions io;
    io.today = o.today;
    auto import = (*cat)->BeginImport("synthetic-courses", io);
    if (!import.ok()) std::exit(1);
    if (Status s = GenerateSyntheticFeed(o, "synthetic-courses", import->get()); !s.ok()) {
      std::fprintf(stderr, "%s\n", s.ToString().c_str());
      std::exit(1);
    }
    auto report = (*import)->Commit();
    if (!report.ok()) {
      std::fprintf(stderr, "%s\n", report.status().ToString().c_str());
      std::exit(1);
    }
    accepted = report->accepted;
    state.SetIterationTime(std::chrono::duration<double>(Clock::now() - t0).count());
  }
  state.counters["records"] = static_cast<double>(accepted);
  cat->reset();
  RemoveDb(path);
}
BENCHMARK(BM_ReimportBiggestFeed)->UseManualTime()->Iterations(1)->Unit(benchmark::kSecond);

// What the kiosk does at start: open read-only, load the search snapshot,
// answer a query and read the first page.
void BM_OpenAndFirstQuery(benchmark::State& state) {
  EnsureDb();
  for (auto _ : state) {
    auto cat = Catalogue::Open(DbPath(), {.read_only = true});
    auto engine = SearchEngine::Create(cat->get());
    auto r = (*engine)->Search({.text = "engineering", .session_seed = 1});
    auto rows = (*engine)->Summaries(r->Rows(0, 20));
    benchmark::DoNotOptimize(rows->size());
  }
}
BENCHMARK(BM_OpenAndFirstQuery)->Unit(benchmark::kMillisecond);

const std::vector<std::string>& TypedQueries() {
  static const std::vector<std::string> kQueries = {
      "engineering",     "nursing",      "plumbing",      "computer science",
      "hair and beauty", "accounting",   "motor vehicle", "health and social care",
      "electrician",     "construction", "animal care",   "business",
      "art and design",  "law",          "psychology",    "sport",
      "childcare",       "chef",         "games design",  "midwife",
      "police",          "teaching",     "music",         "welding",
      "digital"};
  return kQueries;
}

struct Latencies {
  std::vector<double> ms;
  void Report(benchmark::State& state) {
    std::sort(ms.begin(), ms.end());
    auto pct = [&](double p) { return ms[std::min(ms.size() - 1, size_t(p * ms.size()))]; };
    state.counters["queries"] = static_cast<double>(ms.size());
    state.counters["p50_ms"] = pct(0.50);
    state.counters["p95_ms"] = pct(0.95);
    state.counters["p99_ms"] = pct(0.99);
    state.counters["max_ms"] = ms.back();
  }
};

// Every prefix of every query, as a person types it, with filters and facet
// counts computed, plus the first page of results read.
void RunKeystrokes(benchmark::State& state, const SearchRequest& base) {
  EnsureDb();
  auto cat = Catalogue::Open(DbPath(), {.read_only = true});
  auto engine = SearchEngine::Create(cat->get());
  Latencies lat;
  for (auto _ : state) {
    for (const std::string& q : TypedQueries()) {
      for (size_t n = 1; n <= q.size(); ++n) {
        SearchRequest req = base;
        req.text = q.substr(0, n);
        const auto t0 = Clock::now();
        auto r = (*engine)->Search(req);
        auto rows = (*engine)->Summaries(r->Rows(0, 20), req.origin);
        benchmark::DoNotOptimize(rows->size());
        lat.ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
      }
    }
  }
  lat.Report(state);
}

void BM_Keystroke_NoFilter(benchmark::State& state) { RunKeystrokes(state, {.session_seed = 7}); }
BENCHMARK(BM_Keystroke_NoFilter)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_Keystroke_RouteAndLevel(benchmark::State& state) {
  RunKeystrokes(state, {.routes = 1 << 3 | 1 << 1, .levels = 1 << 3 | 1 << 2, .session_seed = 7});
}
BENCHMARK(BM_Keystroke_RouteAndLevel)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_Keystroke_Near25km(benchmark::State& state) {
  RunKeystrokes(state, {.origin = GeoPoint{53.80, -1.55}, .within_km = 25, .session_seed = 7});
}
BENCHMARK(BM_Keystroke_Near25km)->Unit(benchmark::kMillisecond)->Iterations(3);

// Browsing with no text: every opportunity, interleaved by route.
void BM_BrowseAll(benchmark::State& state) {
  EnsureDb();
  auto cat = Catalogue::Open(DbPath(), {.read_only = true});
  auto engine = SearchEngine::Create(cat->get());
  for (auto _ : state) {
    auto r = (*engine)->Search({.origin = GeoPoint{53.80, -1.55}, .session_seed = 3});
    auto rows = (*engine)->Summaries(r->Rows(0, 20));
    benchmark::DoNotOptimize(rows->size());
  }
}
BENCHMARK(BM_BrowseAll)->Unit(benchmark::kMillisecond);

void BM_PeakRss(benchmark::State& state) {
  for (auto _ : state) {
  }
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  state.counters["peak_rss_MB"] = static_cast<double>(ru.ru_maxrss) / 1024.0;
}
BENCHMARK(BM_PeakRss)->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
