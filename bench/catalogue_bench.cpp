// Catalogue benchmarks on the synthetic national-size catalogue (250k
// opportunities): full import (wall and CPU), open + first query in a fresh
// process, and search-as-you-type keystroke latency with filters, facets,
// careers, events and local content, and for what students type (aliases,
// misspellings, plurals). p50/p95/p99 are reported as counters. See
// bench/README.md for the numbers and how to rerun.
//
// The catalogue is generated once into $SIGNPOST_BENCH_DB (default
// /tmp/signpost-bench-250k.db) and reused; BM_ImportFull regenerates it.
//
// `catalogue_bench --fresh-first-query DB` is the child BM_FreshProcess
// starts: it opens DB, answers one query and reads its first screen, and
// prints how long that took from the start of main().
#include <benchmark/benchmark.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
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

double CpuSeconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  auto secs = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return secs(ru.ru_utime) + secs(ru.ru_stime);
}

// Generating and importing every record, as content-sync would on first sync.
// CPU time (user + system) is reported beside the wall time, so a busy
// machine neither hides nor fakes a regression.
void BM_ImportFull(benchmark::State& state) {
  const std::string path = DbPath() + ".import";
  double cpu = 0;
  for (auto _ : state) {
    const double cpu0 = CpuSeconds();
    const double secs = Generate(path);
    cpu = CpuSeconds() - cpu0;
    state.SetIterationTime(secs);
  }
  state.counters["cpu_s"] = cpu;
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

// This thread's CPU time in ms: on a machine shared with builds the wall
// time of one query includes waiting for a core; its CPU time does not.
double ThreadCpuMs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

struct Latencies {
  std::vector<double> ms;
  std::vector<double> cpu_ms;  // the same queries' CPU time (may be empty)
  std::vector<std::pair<double, std::string>> by_query;  // CPU ms, query text
  void Add(double wall, double cpu, const std::string& text) {
    ms.push_back(wall);
    cpu_ms.push_back(cpu);
    by_query.emplace_back(cpu, text);
  }
  void Report(benchmark::State& state) {
    // SIGNPOST_BENCH_SLOWEST=N prints the N slowest queries (by CPU) to stderr.
    if (const char* n = std::getenv("SIGNPOST_BENCH_SLOWEST"); n && !by_query.empty()) {
      std::sort(by_query.rbegin(), by_query.rend());
      for (size_t i = 0; i < by_query.size() && i < static_cast<size_t>(std::atoi(n)); ++i) {
        std::fprintf(stderr, "  %7.2f ms CPU  \"%s\"\n", by_query[i].first,
                     by_query[i].second.c_str());
      }
    }
    auto pct = [](std::vector<double>& v, double p) {
      std::sort(v.begin(), v.end());
      return v[std::min(v.size() - 1, size_t(p * v.size()))];
    };
    state.counters["queries"] = static_cast<double>(ms.size());
    state.counters["p50_ms"] = pct(ms, 0.50);
    state.counters["p95_ms"] = pct(ms, 0.95);
    state.counters["p99_ms"] = pct(ms, 0.99);
    state.counters["max_ms"] = ms.back();
    if (!cpu_ms.empty()) {
      state.counters["cpu_p50_ms"] = pct(cpu_ms, 0.50);
      state.counters["cpu_p95_ms"] = pct(cpu_ms, 0.95);
      state.counters["cpu_max_ms"] = cpu_ms.back();
    }
  }
};

// What the kiosk does at start: open read-only, load the search snapshot,
// answer a query and read its first screen (every group's rows). In this
// process, after the first iteration, the heap and SQLite's caches are warm.
// SIGNPOST_BENCH_PHASES=1 prints each step's CPU time (ms) to stderr.
double CpuSeconds();
void FirstQuery(const std::string& path, const std::string& text) {
  const bool phases = std::getenv("SIGNPOST_BENCH_PHASES") != nullptr;
  double last = CpuSeconds();
  long faults = 0;
  auto phase = [&](const char* what) {
    if (!phases) return;
    const double now = CpuSeconds();
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    std::fprintf(stderr, "%s %.2f ms (%ld faults)  ", what, (now - last) * 1e3,
                 ru.ru_minflt - faults);
    last = now;
    faults = ru.ru_minflt;
  };
  phase("start");
  auto cat = Catalogue::Open(path, {.read_only = true});
  if (!cat.ok()) std::exit(1);
  phase("open");
  auto engine = SearchEngine::Create(cat->get());
  if (!engine.ok()) std::exit(1);
  phase("engine");
  auto r = (*engine)->Search({.text = text, .origin = GeoPoint{53.80, -1.55}, .session_seed = 1});
  if (!r.ok()) std::exit(1);
  phase("search");
  size_t rows = 0;
  for (const ResultBlock& b : r->first_screen()) {
    if (b.kind == ResultKind::kOpportunity) {
      rows += (*engine)->Summaries(b.rowids, GeoPoint{53.80, -1.55})->size();
    } else {
      rows += (*engine)->ItemSummaries(b.kind, b.rowids)->size();
    }
  }
  rows += (*engine)->Summaries(r->Rows(0, 20))->size();
  benchmark::DoNotOptimize(rows);
  phase("rows");
  if (phases) std::fprintf(stderr, "\n");
}

void BM_OpenAndFirstQuery(benchmark::State& state) {
  EnsureDb();
  for (auto _ : state) FirstQuery(DbPath(), "engineering");
}
BENCHMARK(BM_OpenAndFirstQuery)->Unit(benchmark::kMillisecond);

// The same as a user meets it: a new process each time (exec, loading,
// mapping the snapshot, a cold heap). The child times itself from main()
// to the first screen read; spawn_ms is the whole process, exit included.
std::string self_path;
Clock::time_point main_start;

void BM_FreshProcess(benchmark::State& state) {
  EnsureDb();
  const char* queries[] = {"engineering", "nurse", "a levels", "aprentiship", "e"};
  Latencies child, spawn;
  for (auto _ : state) {
    for (int round = 0; round < 4; ++round) {
      for (const char* q : queries) {
        int out[2];
        if (pipe(out) != 0) std::exit(1);
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_adddup2(&fa, out[1], STDOUT_FILENO);
        posix_spawn_file_actions_addclose(&fa, out[0]);
        std::string db = DbPath(), query = q;
        char* argv[] = {self_path.data(), const_cast<char*>("--fresh-first-query"), db.data(),
                        query.data(), nullptr};
        const auto t0 = Clock::now();
        pid_t pid = 0;
        if (posix_spawn(&pid, self_path.c_str(), &fa, nullptr, argv, environ) != 0) std::exit(1);
        close(out[1]);
        std::array<char, 64> buf{};
        const ssize_t n = read(out[0], buf.data(), buf.size() - 1);
        close(out[0]);
        int status = 0;
        rusage ru{};
        wait4(pid, &status, 0, &ru);
        spawn.ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
        auto ms = [](const timeval& t) {
          return static_cast<double>(t.tv_sec) * 1e3 + t.tv_usec / 1e3;
        };
        spawn.cpu_ms.push_back(ms(ru.ru_utime) + ms(ru.ru_stime));
        posix_spawn_file_actions_destroy(&fa);
        if (n <= 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) std::exit(1);
        char* rest = nullptr;
        child.ms.push_back(std::strtod(buf.data(), &rest));
        child.cpu_ms.push_back(std::strtod(rest, nullptr));
      }
    }
  }
  child.Report(state);
  std::sort(spawn.ms.begin(), spawn.ms.end());
  std::sort(spawn.cpu_ms.begin(), spawn.cpu_ms.end());
  state.counters["spawn_p50_ms"] = spawn.ms[spawn.ms.size() / 2];
  state.counters["spawn_max_ms"] = spawn.ms.back();
  state.counters["spawn_cpu_p50_ms"] = spawn.cpu_ms[spawn.cpu_ms.size() / 2];
}
BENCHMARK(BM_FreshProcess)->Unit(benchmark::kMillisecond)->Iterations(1);

const std::vector<std::string>& TypedQueries() {
  // SIGNPOST_BENCH_QUERIES="a,b" types those instead (to profile a few).
  if (const char* only = std::getenv("SIGNPOST_BENCH_QUERIES")) {
    static std::vector<std::string> mine;
    for (std::string_view rest = only; !rest.empty();) {
      const size_t comma = std::min(rest.find(','), rest.size());
      if (comma > 0) mine.emplace_back(rest.substr(0, comma));
      rest.remove_prefix(std::min(comma + 1, rest.size()));
    }
    if (!mine.empty()) return mine;
  }
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
        const double c0 = ThreadCpuMs();
        const auto t0 = Clock::now();
        auto r = (*engine)->Search(req);
        auto rows = (*engine)->Summaries(r->Rows(0, 20), req.origin);
        benchmark::DoNotOptimize(rows->size());
        lat.Add(std::chrono::duration<double, std::milli>(Clock::now() - t0).count(),
                ThreadCpuMs() - c0, req.text);
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

// What students type: route words, aliases, plurals, misspellings (each
// keystroke of a misspelling that matches nothing runs the spelling
// correction), punctuation and Unicode forms; the kiosk's origin is set.
const std::vector<std::string>& StudentQueries() {
  static const std::vector<std::string> kQueries = {"a levels",
                                                    "apprenticeships in engineering",
                                                    "uni",
                                                    "degree",
                                                    "aprentiship",
                                                    "nurce",
                                                    "enginear",
                                                    "fysics",
                                                    "plumber's mate",
                                                    "e-commerce",
                                                    "youtuber",
                                                    "lawyer",
                                                    "sixth form",
                                                    "t levels",
                                                    "hair/beauty",
                                                    "\xEF\xAC\x81nance",
                                                    "sykology",
                                                    "cooking",
                                                    "vet",
                                                    "it"};
  return kQueries;
}

void BM_Keystroke_StudentQueries(benchmark::State& state) {
  EnsureDb();
  auto cat = Catalogue::Open(DbPath(), {.read_only = true});
  auto engine = SearchEngine::Create(cat->get());
  Latencies lat;
  for (auto _ : state) {
    for (const std::string& q : StudentQueries()) {
      for (size_t n = 1; n <= q.size(); ++n) {
        if (n < q.size() && (static_cast<unsigned char>(q[n]) & 0xc0) == 0x80) continue;
        SearchRequest req{
            .text = q.substr(0, n), .origin = GeoPoint{53.80, -1.55}, .session_seed = 7};
        const double c0 = ThreadCpuMs();
        const auto t0 = Clock::now();
        auto r = (*engine)->Search(req);
        size_t rows = (*engine)->Summaries(r->Rows(0, 20), req.origin)->size();
        for (const ResultBlock& b : r->first_screen()) {
          if (b.kind != ResultKind::kOpportunity) {
            rows += (*engine)->ItemSummaries(b.kind, b.rowids)->size();
          }
        }
        benchmark::DoNotOptimize(rows);
        lat.Add(std::chrono::duration<double, std::milli>(Clock::now() - t0).count(),
                ThreadCpuMs() - c0, req.text);
      }
    }
  }
  lat.Report(state);
}
BENCHMARK(BM_Keystroke_StudentQueries)->Unit(benchmark::kMillisecond)->Iterations(3);

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

int main(int argc, char** argv) {
  main_start = Clock::now();
  if (argc == 4 && std::strcmp(argv[1], "--fresh-first-query") == 0) {
    FirstQuery(argv[2], argv[3]);
    // Wall time since main(), and CPU time since exec (dynamic loading included).
    std::printf("%.3f %.3f\n",
                std::chrono::duration<double, std::milli>(Clock::now() - main_start).count(),
                CpuSeconds() * 1e3);
    return 0;
  }
  self_path = "/proc/self/exe";
  char buf[4096];
  const ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n > 0) self_path.assign(buf, static_cast<size_t>(n));
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
