// content-sync benchmarks (issue 3, "Performance"): a national-size set of
// feed payloads imported through the REAL adapters (find-a-course,
// fat-vacancies), the REAL sync engine and the REAL libcurl transport, over
// REAL HTTP from a cpp-httplib server on 127.0.0.1 started inside this
// process. Pages are generated lazily per request (upstream JSON, field names
// as in tests/content_sync/fixtures/{find_a_course,fat_vacancies}/; vacancies in
// the Display Advert API v2 shape, addresses[]), with
// titles, descriptions, venues and postcodes from signpost::SyntheticOpportunity.
//
//   BM_SyncImportFull    first sync into an empty catalogue (goal < 30 s CPU: the
//                        sync thread's user+sys, sync_cpu_s, and the process's);
//                        peak RSS (ru_maxrss) reported as a counter (goal < 200 MB).
//   BM_SyncUnchanged     the same national feeds again, unchanged: every page
//                        carries the feed's ETag and the server answers 304 to a
//                        matching If-None-Match (goal < 1 s, zero catalogue
//                        writes, checked with HasChanged() on a second,
//                        read-only connection). The engine replays its sync
//                        plan: one conditional request per page.
//   BM_SyncUnchangedNoValidators  the same, from an upstream that ignores
//                        If-None-Match (as most JSON APIs do): every page is
//                        downloaded and hashed, nothing parsed or written.
//   BM_SyncUnchangedOnePageFeeds  the 304 path itself: 10 + 10 one-page feeds
//                        (the shape whose ETag the engine keeps), synced unchanged,
//                        with and without the engine's fsync'd state file.
//
// Sizes: SIGNPOST_SYNC_BENCH_COURSES (default 175000 Find-a-course results,
// FE + T Levels, limit 50 per page) and SIGNPOST_SYNC_BENCH_VACANCIES (default
// 75000 FAT v2 vacancies, PageSize 100). The catalogue is written to
// $SIGNPOST_SYNC_BENCH_DB (default /tmp/signpost-sync-bench.db).
// Results and how to rerun: bench/README.md.
#include <benchmark/benchmark.h>
#include <httplib.h>
#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "signpost/catalogue.h"
#include "signpost/dates.h"
#include "signpost/synthetic.h"
#include "sync/sync_engine.h"

namespace {

using namespace signpost;
using namespace signpost::sync;
using SteadyClock = std::chrono::steady_clock;

constexpr int kCoursePageSize = 50;      // the Find a course API refuses limit > 50
constexpr int kVacancyPageSize = 100;    // FAT v2 PageSize (the adapter's default)
constexpr int kCourseProviders = 3000;   // UKPRNs 10000000..10002999
constexpr int kVacancyProviders = 2000;  // UKPRNs 10002000..10003999 (1000 shared)
constexpr int kOnePageFeeds = 10;        // of each kind, for BM_SyncUnchangedOnePageFeeds

std::int64_t EnvInt(const char* name, std::int64_t fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::atoll(v) : fallback;
}

std::int64_t Courses() { return EnvInt("SIGNPOST_SYNC_BENCH_COURSES", 175000); }
std::int64_t Vacancies() { return EnvInt("SIGNPOST_SYNC_BENCH_VACANCIES", 75000); }

std::string DbPath() {
  const char* p = std::getenv("SIGNPOST_SYNC_BENCH_DB");
  return p && *p ? p : "/tmp/signpost-sync-bench.db";
}

void RemoveDb(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
}

[[noreturn]] void Die(const std::string& why) {
  std::fprintf(stderr, "sync_bench: %s\n", why.c_str());
  std::exit(1);
}

// CPU seconds (user, system) used so far by the process (RUSAGE_SELF: the
// in-process server's threads included) or by the calling thread
// (RUSAGE_THREAD: the sync itself runs on the benchmark's thread).
struct CpuTime {
  double user = 0, sys = 0;
  double total() const { return user + sys; }
};
CpuTime CpuNow(int who) {
  rusage ru{};
  getrusage(who, &ru);
  auto s = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return {s(ru.ru_utime), s(ru.ru_stime)};
}

double PeakRssMb() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

// [SECTION] Upstream JSON ----------------------------------------------------------------

void AppendJsonString(std::string& out, const std::string& s) {
  out += '"';
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
          out += buf;
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

void Field(std::string& out, const char* name, const std::string& value) {
  out += '"';
  out += name;
  out += "\":";
  AppendJsonString(out, value);
  out += ',';
}

void RawField(std::string& out, const char* name, const std::string& raw) {
  out += '"';
  out += name;
  out += "\":";
  out += raw;
  out += ',';
}

std::string Uuid(std::uint64_t tag, std::int64_t i) {
  std::uint64_t h = static_cast<std::uint64_t>(i) * 0x9E3779B97F4A7C15ULL ^ tag;
  char buf[40];
  std::snprintf(buf, sizeof buf,
                "%08" PRIx64 "-%04" PRIx64 "-4%03" PRIx64 "-8%03" PRIx64 "-%012" PRIx64, h >> 32,
                (h >> 16) & 0xffff, h & 0xfff, tag & 0xfff, static_cast<std::uint64_t>(i));
  return buf;
}

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.5f", v);
  return buf;
}

std::string Timestamp(Day d) { return FormatIsoDate(d) + "T00:00:00"; }

// Everything the pages are made from; built once.
struct Upstream {
  SyntheticOptions options;
  SyntheticSplit split;
  Day today = TodayUtc();
  std::vector<std::string> provider_names;  // by provider index

  Upstream() {
    options.opportunities = 250000;
    options.today = today;
    split = SyntheticSplitOf(options);
    provider_names.reserve(static_cast<std::size_t>(options.providers));
    for (int i = 0; i < options.providers; ++i) {
      provider_names.push_back(SyntheticProvider(options, i).name);
    }
  }

  // One Find a course search result (SearchResultViewModel), result i.
  void AppendCourse(std::string& out, std::int64_t i) const {
    // FE courses and T Levels are synthetic indices 0..fe+tlevels-1.
    const std::int64_t span = split.fe_courses + split.tlevels;
    catalogue::Opportunity o = SyntheticOpportunity(options, i % span);
    const bool tlevel = o.kind == catalogue::OpportunityKind::kTLevel;
    const int p = static_cast<int>((static_cast<std::uint64_t>(i) * 7919u) % kCourseProviders);
    const std::string ukprn = std::to_string(10000000 + p);
    const Day start = today + 30 + static_cast<Day>(i % 300);
    out += '{';
    RawField(out, "searchScore", "12.5");
    RawField(out, "distance", "3.1");
    if (o.location) {
      RawField(
          out, "venueLocation",
          "{\"latitude\":" + Num(o.location->lat) + ",\"longitude\":" + Num(o.location->lon) + "}");
    } else {
      RawField(out, "venueLocation", "null");
    }
    if (tlevel) {
      RawField(out, "courseId", "null");
      RawField(out, "courseRunId", "null");
      Field(out, "offeringType", "TLevel");
      Field(out, "tLevelId", Uuid(0x7e1, i / 4));
      Field(out, "tLevelLocationId", Uuid(0x7e2, i));
    } else {
      Field(out, "courseId", Uuid(0xc01, i / 3));
      Field(out, "courseRunId", Uuid(0xc02, i));
      Field(out, "offeringType", "Course");
      RawField(out, "tLevelId", "null");
      RawField(out, "tLevelLocationId", "null");
    }
    Field(out, "qualificationCourseTitle", o.qualification);
    Field(out, "learnAimRef", std::to_string(60000000 + i % 90000));
    Field(out, "qualificationLevel", tlevel ? "3" : o.level == 0 ? "E" : std::to_string(o.level));
    Field(out, "updatedOn", Timestamp(today - static_cast<Day>(i % 90)) + ".57Z");
    Field(out, "venueName", o.location_name + " Campus");
    Field(out, "venueAddress", "1 College Road, " + o.location_name + ", " + o.postcode);
    Field(out, "venueAttendancePattern", "1");
    Field(out, "venueAttendancePatternDescription", "Daytime");
    Field(out, "providerName", provider_names[static_cast<std::size_t>(p)]);
    Field(out, "region", "England");
    const bool part = o.mode == catalogue::StudyMode::kPartTime;
    const bool online = o.mode == catalogue::StudyMode::kDistance;
    Field(out, "venueStudyMode", part || online ? "2" : "1");
    Field(out, "venueStudyModeDescription", part || online ? "Part time" : "Full time");
    Field(out, "deliveryMode", online ? "2" : "1");
    Field(out, "deliveryModeDescription", online ? "Online" : "Classroom based");
    if (o.flexible_start) {
      RawField(out, "startDate", "null");
    } else {
      Field(out, "startDate", Timestamp(start));
    }
    Field(out, "venueTown", o.location_name);
    RawField(out, "cost", i % 3 == 0 ? "450" : "0");
    Field(out, "costDescription", o.cost_text);
    Field(out, "courseText", o.entry_requirements);
    Field(out, "ukprn", ukprn);
    Field(out, "courseDescription", o.description);
    Field(out, "courseName", o.title);
    RawField(out, "flexibleStartDate", o.flexible_start ? "true" : "false");
    const bool weeks = o.duration_months > 0 && o.duration_months < 10;
    Field(out, "durationUnit", weeks ? "Weeks" : "Months");
    RawField(out, "durationValue",
             std::to_string(weeks ? o.duration_months * 4 : o.duration_months));
    RawField(out, "national", "false");
    RawField(out, "courseType", "null");
    RawField(out, "courseTypeDescription", "null");
    RawField(out, "sectorId", std::to_string(1 + i % 15));
    Field(out, "sectorDescription", o.subject_area);
    RawField(out, "educationLevel", "null");
    RawField(out, "educationLevelDescription", "null");
    Field(out, "awardingBody", "Pearson");
    out.back() = '}';
  }

  // One FAT v2 vacancy (GetVacanciesListResponseItemV2), vacancy i.
  void AppendVacancy(std::string& out, std::int64_t i) const {
    const std::int64_t first = split.fe_courses + split.tlevels + split.he_courses;
    catalogue::Opportunity o = SyntheticOpportunity(options, first + i % split.vacancies);
    const int p =
        2000 + static_cast<int>((static_cast<std::uint64_t>(i) * 104729u) % kVacancyProviders);
    const Day closing = today + 14 + static_cast<Day>(i % 60);
    out += '{';
    Field(out, "closingDate", FormatIsoDate(closing) + "T23:59:59");
    Field(out, "description", o.description);
    Field(out, "employerName", o.employer);
    RawField(out, "hoursPerWeek", i % 2 ? "37.5" : "30");
    RawField(out, "isDisabilityConfident", i % 5 ? "false" : "true");
    RawField(out, "isNationalVacancy", "false");
    RawField(out, "numberOfPositions", std::to_string(1 + i % 3));
    Field(out, "postedDate", Timestamp(today - static_cast<Day>(i % 20)) + ".55Z");
    Field(out, "providerName", provider_names[static_cast<std::size_t>(p)]);
    Field(out, "startDate", Timestamp(closing + 30));
    Field(out, "title", o.title);
    RawField(out, "ukprn", std::to_string(10000000 + p));
    const std::string ref = std::to_string(1000000000 + i);
    Field(out, "vacancyReference", ref);
    Field(out, "vacancyUrl",
          "https://www.findapprenticeship.service.gov.uk/apprenticeship/VAC" + ref);
    const int level = o.level >= 2 && o.level <= 7 ? o.level : 3;
    RawField(
        out, "course",
        "{\"larsCode\":" + std::to_string(100 + i % 700) + ",\"title\":" +
            [&] {
              std::string t;
              AppendJsonString(t, o.qualification.empty()
                                      ? o.title + " (level " + std::to_string(level) + ")"
                                      : o.qualification);
              return t;
            }() +
            ",\"level\":" + std::to_string(level) + ",\"route\":" +
            [&] {
              std::string t;
              AppendJsonString(t, o.subject_area);
              return t;
            }() +
            ",\"type\":\"apprenticeship\"}");
    if (i % 3 == 0) {
      RawField(out, "wage",
               "{\"wageType\":\"Custom\",\"wageAmount\":" + std::to_string(14000 + i % 9000) +
                   ".0,\"wageUnit\":\"Annually\",\"wageAdditionalInformation\":\"Reviewed after "
                   "12 months.\",\"workingWeekDescription\":\"Monday to Friday, 9am to 5pm\"}");
    } else {
      RawField(out, "wage",
               "{\"wageType\":\"ApprenticeshipMinimum\",\"wageAmount\":null,\"wageUnit\":"
               "\"Annually\",\"wageAdditionalInformation\":null,\"workingWeekDescription\":"
               "\"Flexible hours\"}");
    }
    // The v2 shape (GetVacanciesListResponseItemV2): addresses[] with the
    // map point in each address; no v1 address/location.
    std::string address =
        "[{\"addressLine1\":\"" + std::to_string(1 + i % 200) + " High Street\",\"addressLine3\":";
    AppendJsonString(address, o.location_name);
    address += ",\"postcode\":";
    AppendJsonString(address, o.postcode);
    if (o.location) {
      address += ",\"latitude\":" + Num(o.location->lat) + ",\"longitude\":" + Num(o.location->lon);
    }
    address += "}]";
    RawField(out, "addresses", address);
    RawField(out, "distance", "2.4");
    RawField(out, "employerContactPhone", "null");
    RawField(out, "employerContactName", "null");
    RawField(out, "employerContactEmail", "null");
    RawField(out, "employerWebsiteUrl", "null");
    static constexpr const char* kLevelNames[] = {"Intermediate", "Intermediate", "Intermediate",
                                                  "Advanced",     "Higher",       "Higher",
                                                  "Degree",       "Degree"};
    Field(out, "apprenticeshipLevel", kLevelNames[level]);
    Field(out, "expectedDuration", i % 2 ? "18 months" : "2 years");
    RawField(out, "applicationUrl", "null");
    out.back() = '}';
  }

  // SearchViewModel: {facets, results, total, limit, start}.
  std::string CoursePage(std::int64_t start, std::int64_t limit, std::int64_t total) const {
    std::string out;
    out.reserve(static_cast<std::size_t>(limit) * 3200);
    out += "{\"facets\":{},\"results\":[";
    const std::int64_t end = std::min(total, start + limit);
    for (std::int64_t i = start; i < end; ++i) {
      if (i > start) out += ',';
      AppendCourse(out, i);
    }
    out += "],\"total\":" + std::to_string(total) + ",\"limit\":" + std::to_string(limit) +
           ",\"start\":" + std::to_string(start) + "}";
    return out;
  }

  // GetVacanciesListResponseV2: {vacancies, total, totalFiltered, totalPages}.
  std::string VacancyPage(std::int64_t page_number, std::int64_t page_size,
                          std::int64_t total) const {
    std::string out;
    out.reserve(static_cast<std::size_t>(page_size) * 3200);
    out += "{\"vacancies\":[";
    const std::int64_t start = (page_number - 1) * page_size;
    const std::int64_t end = std::min(total, start + page_size);
    for (std::int64_t i = start; i < end; ++i) {
      if (i > start) out += ',';
      AppendVacancy(out, i);
    }
    const std::int64_t pages = (total + page_size - 1) / page_size;
    out += "],\"total\":" + std::to_string(total) + ",\"totalFiltered\":" + std::to_string(total) +
           ",\"totalPages\":" + std::to_string(pages) + "}";
    return out;
  }
};

// [SECTION] The upstream server -------------------------------------------------------------

std::int64_t JsonInt(const std::string& body, const char* key, std::int64_t fallback) {
  const std::string k = std::string("\"") + key + "\":";
  const std::size_t at = body.find(k);
  if (at == std::string::npos) return fallback;
  return std::atoll(body.c_str() + at + k.size());
}

class UpstreamServer {
 public:
  explicit UpstreamServer(const Upstream* upstream) : upstream_(upstream) {
    server_.set_keep_alive_max_count(1000);
    server_.Post(
        "/api/v1/coursesearch", [this](const httplib::Request& req, httplib::Response& res) {
          ++requests;
          if (NotModified(req, res, kCourseEtag)) return;
          const std::int64_t start = JsonInt(req.body, "start", 0);
          const std::int64_t limit = JsonInt(req.body, "limit", 20);
          if (limit < 1 || limit > 50 || start < 0) {
            res.status = 400;
            return;
          }
          const auto t0 = SteadyClock::now();
          Send(res, upstream_->CoursePage(start, limit, Total(req, Courses())), kCourseEtag, t0);
        });
    server_.Get(
        "/vacancies/v2/vacancy", [this](const httplib::Request& req, httplib::Response& res) {
          ++requests;
          if (NotModified(req, res, kVacancyEtag)) return;
          const std::int64_t page = std::atoll(req.get_param_value("PageNumber").c_str());
          const std::int64_t size = std::atoll(req.get_param_value("PageSize").c_str());
          if (page < 1 || size < 1 || req.get_header_value("X-Version") != "2") {
            res.status = 400;
            return;
          }
          const auto t0 = SteadyClock::now();
          Send(res, upstream_->VacancyPage(page, size, Total(req, Vacancies())), kVacancyEtag, t0);
        });
    port_ = server_.bind_to_any_port("127.0.0.1");
    if (port_ <= 0) Die("cannot bind 127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    for (int i = 0; i < 400 && !server_.is_running(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  ~UpstreamServer() {
    server_.stop();
    if (thread_.joinable()) thread_.join();
  }
  UpstreamServer(const UpstreamServer&) = delete;
  UpstreamServer& operator=(const UpstreamServer&) = delete;

  std::string Url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  std::atomic<bool> honour_etags{true};
  void ResetCounters() {
    requests = 0;
    not_modified = 0;
    bytes = 0;
    generate_ns = 0;
  }

  std::atomic<std::int64_t> requests{0};
  std::atomic<std::int64_t> not_modified{0};
  std::atomic<std::int64_t> bytes{0};
  std::atomic<std::int64_t> generate_ns{0};  // time spent making pages (our cost, not the client's)

 private:
  static constexpr const char* kCourseEtag = "\"courses-2026-11\"";
  static constexpr const char* kVacancyEtag = "\"vacancies-2026-11\"";

  // "?total=N" in the feed URL scopes a feed down (the one-page feeds).
  static std::int64_t Total(const httplib::Request& req, std::int64_t national) {
    return req.has_param("total") ? std::atoll(req.get_param_value("total").c_str()) : national;
  }
  bool NotModified(const httplib::Request& req, httplib::Response& res, const char* etag) {
    if (!honour_etags || req.get_header_value("If-None-Match") != etag) return false;
    ++not_modified;
    res.status = 304;
    res.set_header("ETag", etag);
    return true;
  }
  void Send(httplib::Response& res, std::string body, const char* etag,
            SteadyClock::time_point t0) {
    generate_ns +=
        std::chrono::duration_cast<std::chrono::nanoseconds>(SteadyClock::now() - t0).count();
    bytes += static_cast<std::int64_t>(body.size());
    res.set_header("ETag", etag);
    res.set_content(std::move(body), "application/json; charset=utf-8");
  }

  const Upstream* upstream_;
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

// [SECTION] The sync side --------------------------------------------------------------------

struct World {
  Upstream upstream;
  UpstreamServer server{&upstream};
  std::unique_ptr<HttpTransport> transport;
  RealClock clock;
  bool imported = false;

  World() {
    if (Status s = CurlGlobalInit(); !s.ok()) Die(s.ToString());
    HttpOptions http;
    http.proxy = "none";  // 127.0.0.1, whatever the environment says
    auto t = MakeCurlTransport(http);
    if (!t.ok()) Die(t.status().ToString());
    transport = std::move(t.value());
  }

  // The national feeds; or, with `one_page_feeds`, kOnePageFeeds LA-scoped
  // feeds of each kind that fit in one page (50 courses / 100 vacancies), the
  // only shape whose ETag the engine keeps (sync_engine.h: validators are
  // stored only for a one-page import).
  std::vector<FeedSettings> Feeds(bool one_page_feeds = false) const {
    std::vector<FeedSettings> feeds;
    const int copies = one_page_feeds ? kOnePageFeeds : 1;
    for (int c = 0; c < copies; ++c) {
      const std::string suffix = one_page_feeds ? "-la" + std::to_string(c + 1) : "";
      FeedSettings courses;
      courses.name = "courses" + suffix;
      courses.kind = "find-a-course";
      courses.url = server.Url("/api/v1/coursesearch");
      if (one_page_feeds) courses.url += "?total=" + std::to_string(kCoursePageSize);
      courses.api_key = "bench-key";
      courses.api_key_header = "Ocp-Apim-Subscription-Key";
      courses.page_size = kCoursePageSize;
      courses.max_pages = 100000;
      feeds.push_back(courses);
    }
    for (int c = 0; c < copies; ++c) {
      const std::string suffix = one_page_feeds ? "-la" + std::to_string(c + 1) : "";
      FeedSettings vacancies;
      vacancies.name = "vacancies" + suffix;
      vacancies.kind = "fat-vacancies";
      vacancies.url = server.Url("/vacancies/v2/vacancy");
      if (one_page_feeds) vacancies.url += "?total=" + std::to_string(kVacancyPageSize);
      vacancies.api_key = "bench-key";
      vacancies.api_key_header = "Ocp-Apim-Subscription-Key";
      vacancies.extra_headers = {{"X-Version", "2"}};
      vacancies.page_size = kVacancyPageSize;
      vacancies.max_pages = 100000;
      feeds.push_back(vacancies);
    }
    return feeds;
  }

  // One sync of `feeds` into `cat`; the outcomes.
  std::vector<FeedOutcome> Sync(catalogue::Catalogue* cat, const std::vector<FeedSettings>& feeds,
                                const std::string& state_file) {
    SyncEnv env;
    env.catalogue = cat;
    env.transport = transport.get();
    env.clock = &clock;
    env.state_file = state_file;
    env.seed = 1;
    env.log = [](LogLevel, const std::string& line) {
      if (line.find(" skipped: ") == std::string::npos &&
          line.find(" result=unchanged ") == std::string::npos)
        std::fprintf(stderr, "%s\n", line.c_str());
    };
    return SyncFeeds(feeds, {}, env);
  }
  std::vector<FeedOutcome> Sync(catalogue::Catalogue* cat) {
    return Sync(cat, Feeds(), DbPath() + ".state.json");
  }

  static std::unique_ptr<catalogue::Catalogue> OpenWriter(const std::string& path = DbPath()) {
    auto cat = catalogue::Catalogue::Open(path);
    if (!cat.ok()) Die(cat.status().ToString());
    return std::move(cat.value());
  }
};

World& TheWorld() {
  static World world;
  return world;
}

// An honest benchmark checks that it did the work.
void CheckImported(catalogue::Catalogue* cat, const std::vector<FeedOutcome>& outcomes) {
  for (const auto& o : outcomes) {
    if (o.result != "ok") Die("feed " + o.feed + ": " + o.result + " " + o.status.ToString());
    if (o.skipped != 0) Die("feed " + o.feed + ": skipped " + std::to_string(o.skipped));
  }
  auto stats = cat->Stats();
  if (!stats.ok()) Die(stats.status().ToString());
  if (stats->opportunities != Courses() + Vacancies()) {
    Die("catalogue holds " + std::to_string(stats->opportunities) + " opportunities, expected " +
        std::to_string(Courses() + Vacancies()));
  }
}

void BM_SyncImportFull(benchmark::State& state) {
  World& w = TheWorld();
  std::vector<FeedOutcome> outcomes;
  for (auto _ : state) {
    RemoveDb(DbPath());
    std::filesystem::remove(DbPath() + ".state.json");
    auto cat = w.OpenWriter();
    w.server.ResetCounters();
    const auto t0 = SteadyClock::now();
    const CpuTime process0 = CpuNow(RUSAGE_SELF), thread0 = CpuNow(RUSAGE_THREAD);
    outcomes = w.Sync(cat.get());
    const CpuTime process1 = CpuNow(RUSAGE_SELF), thread1 = CpuNow(RUSAGE_THREAD);
    state.SetIterationTime(std::chrono::duration<double>(SteadyClock::now() - t0).count());
    // CPU time besides wall: on a loaded machine wall time is mostly waiting
    // for a core. sync_cpu_s is the sync's own thread (download, parse,
    // import); process_cpu_s adds the in-process server making the pages.
    state.counters["sync_cpu_s"] = thread1.total() - thread0.total();
    state.counters["sync_user_s"] = thread1.user - thread0.user;
    state.counters["sync_sys_s"] = thread1.sys - thread0.sys;
    state.counters["process_cpu_s"] = process1.total() - process0.total();
    CheckImported(cat.get(), outcomes);
    w.imported = true;
  }
  state.counters["opportunities"] = static_cast<double>(Courses() + Vacancies());
  state.counters["courses"] = static_cast<double>(Courses());
  state.counters["vacancies"] = static_cast<double>(Vacancies());
  state.counters["requests"] = static_cast<double>(w.server.requests.load());
  state.counters["served_MB"] = static_cast<double>(w.server.bytes.load()) / (1024.0 * 1024.0);
  state.counters["server_gen_s"] = static_cast<double>(w.server.generate_ns.load()) / 1e9;
  state.counters["peak_RSS_MB"] = PeakRssMb();
  state.counters["db_MB"] =
      static_cast<double>(std::filesystem::file_size(DbPath())) / (1024.0 * 1024.0);
}
BENCHMARK(BM_SyncImportFull)->Unit(benchmark::kSecond)->UseManualTime()->Iterations(1);

void BM_SyncUnchanged(benchmark::State& state) {
  World& w = TheWorld();
  w.server.honour_etags = state.range(0) != 0;
  if (!w.imported) {
    RemoveDb(DbPath());
    std::filesystem::remove(DbPath() + ".state.json");
    auto cat = w.OpenWriter();
    CheckImported(cat.get(), w.Sync(cat.get()));
    w.imported = true;
  }
  auto reader = catalogue::Catalogue::Open(DbPath(), {.read_only = true});
  if (!reader.ok()) Die(reader.status().ToString());
  (void)(*reader)->HasChanged();  // the first call only takes the baseline
  std::int64_t unchanged = 0, feeds = 0;
  bool wrote = false;
  for (auto _ : state) {
    auto cat = w.OpenWriter();
    w.server.ResetCounters();
    const auto t0 = SteadyClock::now();
    const std::vector<FeedOutcome> outcomes = w.Sync(cat.get());
    state.SetIterationTime(std::chrono::duration<double>(SteadyClock::now() - t0).count());
    feeds = static_cast<std::int64_t>(outcomes.size());
    unchanged = 0;
    for (const auto& o : outcomes) unchanged += o.result == "unchanged" ? 1 : 0;
    wrote = wrote || (*reader)->HasChanged();
  }
  state.counters["feeds"] = static_cast<double>(feeds);
  state.counters["unchanged"] = static_cast<double>(unchanged);
  state.counters["requests"] = static_cast<double>(w.server.requests.load());
  state.counters["answered_304"] = static_cast<double>(w.server.not_modified.load());
  state.counters["served_MB"] = static_cast<double>(w.server.bytes.load()) / (1024.0 * 1024.0);
  state.counters["catalogue_writes"] = wrote ? 1 : 0;
  if (unchanged != feeds || wrote) {
    state.SetLabel("NOT all unchanged: see unchanged/requests/catalogue_writes");
  }
  w.server.honour_etags = true;
}
BENCHMARK(BM_SyncUnchanged)
    ->Name("BM_SyncUnchanged")
    ->Arg(1)
    ->Unit(benchmark::kMillisecond)
    ->UseManualTime()
    ->Iterations(1);
BENCHMARK(BM_SyncUnchanged)
    ->Name("BM_SyncUnchangedNoValidators")
    ->Arg(0)
    ->Unit(benchmark::kMillisecond)
    ->UseManualTime()
    ->Iterations(1);

// The 304 path itself: kOnePageFeeds x 2 feeds of one page each, imported
// once (not timed), then synced unchanged: one conditional request per feed.
void BM_SyncUnchangedOnePageFeeds(benchmark::State& state) {
  World& w = TheWorld();
  const std::string path = DbPath() + ".onepage.db";
  // range(0) == 1: the engine keeps its state file (fsync'd per feed, as in
  // production); 0: no state file, to show what the 304 path itself costs.
  const std::string state_file = state.range(0) ? path + ".state.json" : std::string();
  RemoveDb(path);
  std::filesystem::remove(path + ".state.json");
  const std::vector<FeedSettings> feeds = w.Feeds(/*one_page_feeds=*/true);
  {
    auto cat = World::OpenWriter(path);
    for (const auto& o : w.Sync(cat.get(), feeds, state_file)) {
      if (o.result != "ok") Die("feed " + o.feed + ": " + o.result + " " + o.status.ToString());
    }
    auto stats = cat->Stats();
    const std::int64_t expected = kOnePageFeeds * (kCoursePageSize + kVacancyPageSize);
    if (!stats.ok() || stats->opportunities != expected) Die("one-page feeds: wrong record count");
  }
  auto reader = catalogue::Catalogue::Open(path, {.read_only = true});
  if (!reader.ok()) Die(reader.status().ToString());
  (void)(*reader)->HasChanged();
  auto cat = World::OpenWriter(path);
  std::int64_t unchanged = 0;
  bool wrote = false;
  w.server.ResetCounters();
  for (auto _ : state) {
    const std::vector<FeedOutcome> outcomes = w.Sync(cat.get(), feeds, state_file);
    for (const auto& o : outcomes) unchanged += o.result == "unchanged" ? 1 : 0;
    wrote = wrote || (*reader)->HasChanged();
  }
  const double iterations = static_cast<double>(state.iterations());
  state.counters["feeds"] = static_cast<double>(feeds.size());
  state.counters["unchanged"] = static_cast<double>(unchanged) / iterations;
  state.counters["requests"] = static_cast<double>(w.server.requests.load()) / iterations;
  state.counters["answered_304"] = static_cast<double>(w.server.not_modified.load()) / iterations;
  state.counters["catalogue_writes"] = wrote ? 1 : 0;
  if (unchanged != static_cast<std::int64_t>(feeds.size()) * state.iterations() || wrote) {
    state.SetLabel("NOT all unchanged");
  }
}
BENCHMARK(BM_SyncUnchangedOnePageFeeds)
    ->ArgName("state_file")
    ->Arg(1)
    ->Arg(0)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(20);

}  // namespace

BENCHMARK_MAIN();
