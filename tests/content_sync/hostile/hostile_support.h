// Support for the hostile-feed suite: the real content-sync binary run as a
// child process against real HTTP servers on 127.0.0.1, with what a
// careful operator watches measured for each run: how it ended (exit code,
// or the signal that killed it), how long it took, its peak RSS (wait4),
// and whether the catalogue still holds exactly the good data it held
// before (a digest of every record).
//
// Each test starts from a catalogue that already holds good data in the
// feed's real shape, then points the same feed at a hostile server.
// Thread safety: test-only; one test at a time per process.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "../http/test_support.h"

extern char** environ;

namespace signpost::sync::hostile {

using testing::TempDir;
using testing::TestServer;

// [SECTION] Running the real binary ------------------------------------------------

struct RunResult {
  int exit_code = -1;      // when it exited
  int signal = 0;          // when a signal ended it (a crash: SIGSEGV, SIGABRT...)
  bool timed_out = false;  // killed by the harness after the time limit
  double seconds = 0;      // wall time
  long max_rss_kb = 0;     // peak resident set (getrusage of the child)
  std::string out, err;    // stdout and stderr
  bool crashed() const { return signal != 0 || timed_out; }
};

inline std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Runs `content-sync --config CONFIG ARGS...`, killing it after
// `limit_s` seconds (a hang is a failure, reported as timed_out).
inline RunResult RunContentSync(const TempDir& dir, const std::string& config,
                                const std::vector<std::string>& args, double limit_s = 60) {
  const std::string out_path = dir.File("run.out"), err_path = dir.File("run.err");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  std::vector<std::string> argv_s = {CONTENT_SYNC_BINARY, "--config", config};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  RunResult r;
  pid_t pid = -1;
  const auto t0 = std::chrono::steady_clock::now();
  if (posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ) != 0) pid = -1;
  posix_spawn_file_actions_destroy(&actions);
  if (pid < 0) return r;
  int status = 0;
  struct rusage usage {};
  for (;;) {
    const pid_t done = wait4(pid, &status, WNOHANG, &usage);
    if (done == pid) break;
    const double waited =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (waited > limit_s) {
      kill(pid, SIGKILL);
      wait4(pid, &status, 0, &usage);
      r.timed_out = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  r.max_rss_kb = usage.ru_maxrss;
  if (!r.timed_out) {
    if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
  }
  r.out = ReadAll(out_path);
  r.err = ReadAll(err_path);
  return r;
}

// Peak RSS limits mean nothing under AddressSanitizer (its shadow memory).
#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kMeasuresRss = false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool kMeasuresRss = false;
#else
inline constexpr bool kMeasuresRss = true;
#endif
#else
inline constexpr bool kMeasuresRss = true;
#endif

// [SECTION] Config and catalogue ---------------------------------------------------

struct FeedConfig {
  std::string name, kind, url;
  std::string extra;  // more TOML lines for the [[feed]] table
};

inline void WriteConfig(const TempDir& dir, const std::string& path,
                        const std::vector<FeedConfig>& feeds, const std::string& sync_extra = "") {
  std::ofstream c(path);
  c << "[sync]\ncatalogue = \"" << dir.File("catalogue.db") << "\"\nmax_attempts = 2\n"
    << "retry_max_delay_s = 1\ntimeout_s = 30\nlow_speed_time_s = 5\nconnect_timeout_s = 5\n"
    << sync_extra << "\n";
  for (const auto& f : feeds) {
    c << "[[feed]]\nname = \"" << f.name << "\"\nkind = \"" << f.kind << "\"\nurl = \"" << f.url
      << "\"\n"
      << f.extra << "\n";
  }
}

// Every record the catalogue holds, one line each, in a stable order: two
// digests are equal exactly when the catalogue holds the same data.
inline std::string CatalogueDigest(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    return "<cannot open>";
  }
  std::string out;
  const char* queries[] = {
      "SELECT 'o', feed, source_id, title, provider_id, coalesce(postcode,''), "
      "coalesce(description,'') FROM opportunity ORDER BY feed, source_id",
      "SELECT 'c', feed, source_id, title, '', '', coalesce(overview,'') FROM career ORDER BY "
      "feed, source_id",
      "SELECT 'e', feed, source_id, title, start_at, '', '' FROM event ORDER BY feed, source_id",
      "SELECT 'p', feed, id, name, coalesce(postcode,''), coalesce(phone,''), '' FROM provider "
      "ORDER BY id"};
  for (const char* q : queries) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db, q, -1, &s, nullptr) != SQLITE_OK) continue;
    while (sqlite3_step(s) == SQLITE_ROW) {
      for (int i = 0; i < 7; ++i) {
        const auto* t = sqlite3_column_text(s, i);
        out += t ? reinterpret_cast<const char*>(t) : "";
        out += '\t';
      }
      out += '\n';
    }
    sqlite3_finalize(s);
  }
  sqlite3_close(db);
  return out;
}

inline std::int64_t CountRows(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  std::int64_t n = -1;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW) {
      n = sqlite3_column_int64(s, 0);
    }
    sqlite3_finalize(s);
  }
  sqlite3_close(db);
  return n;
}

// [SECTION] Feeds in their real shapes (../shared/feeds/FORMATS.md) ------------------

// Open Referral UK 3: a /services page (list items carry no locations) and
// /services/{id} details.
inline nlohmann::json OrukService(const std::string& id, const std::string& name) {
  return {{"id", id},
          {"name", name},
          {"description", "Advice and support for young people: " + name},
          {"url", "https://example.org/services/" + id},
          {"email", "info@example.org"},
          {"status", "active"},
          {"organization", {{"id", "org-" + id}, {"name", name + " Trust"}}}};
}
inline nlohmann::json OrukDetail(const std::string& id, const std::string& name) {
  nlohmann::json d = OrukService(id, name);
  d["service_at_locations"] = nlohmann::json::array(
      {{{"id", "sal-" + id},
        {"location",
         {{"id", "loc-" + id},
          {"latitude", 53.7996},
          {"longitude", -1.5491},
          {"addresses", nlohmann::json::array({{{"address_1", "1 Park Row"},
                                                {"city", "Leeds"},
                                                {"postal_code", "LS1 5HD"},
                                                {"country", "GB"},
                                                {"address_type", "physical"}}})}}}}});
  d["contacts"] = nlohmann::json::array(
      {{{"id", "c-" + id}, {"name", "Desk"}, {"phones", {{{"number", "0113 496 0000"}}}}}});
  return d;
}
inline std::string OrukPage(const nlohmann::json& contents, int page, int total_pages) {
  nlohmann::json doc = {{"total_items", contents.size()},
                        {"total_pages", total_pages},
                        {"page_number", page},
                        {"size", contents.size()},
                        {"first_page", page == 1},
                        {"last_page", page >= total_pages},
                        {"empty", contents.empty()},
                        {"contents", contents}};
  return doc.dump();
}

// Serves an ORUK feed of `n` services ("svc-0".."svc-(n-1)") on `server`:
// /services (one page) and /services/{id}.
struct OrukFeed {
  int n = 0;
  std::string tag = "Youth Hub";
  void Serve(TestServer& server) {
    server.server.Get("/services", [this](const httplib::Request&, httplib::Response& res) {
      nlohmann::json contents = nlohmann::json::array();
      for (int i = 0; i < n; ++i) {
        contents.push_back(OrukService("svc-" + std::to_string(i), tag + " " + std::to_string(i)));
      }
      res.set_content(OrukPage(contents, 1, 1), "application/json");
    });
    server.server.Get(
        R"(/services/([^/]+))", [this](const httplib::Request& req, httplib::Response& res) {
          const std::string id = req.matches[1];
          const int i = std::atoi(id.substr(id.rfind('-') + 1).c_str());
          res.set_content(OrukDetail(id, tag + " " + std::to_string(i)).dump(), "application/json");
        });
  }
};

// RFC 5545 calendar of `n` events from 2037 (never expired by the import).
inline std::string Ics(int n, const std::string& tag, bool end = true) {
  std::string s = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Signpost hostile tests//EN\r\n";
  for (int i = 0; i < n; ++i) {
    s += "BEGIN:VEVENT\r\nUID:" + tag + "-" + std::to_string(i) +
         "@test.example\r\nDTSTAMP:20261101T090000Z\r\nDTSTART:20370310T090000Z\r\n"
         "DTEND:20370310T100000Z\r\nSUMMARY:Open day " +
         tag + " " + std::to_string(i) + "\r\nEND:VEVENT\r\n";
  }
  return end ? s + "END:VCALENDAR\r\n" : s;
}

// Find an apprenticeship, display advert API v2: one page of vacancies.
inline nlohmann::json FatVacancy(int i, const std::string& title) {
  return {{"vacancyReference", std::to_string(1000000 + i)},
          {"title", title},
          {"description", "Learn on the job and earn a wage."},
          {"numberOfPositions", 1},
          {"postedDate", "2026-11-20T00:00:00Z"},
          {"closingDate", "2037-10-15T23:59:59"},
          {"startDate", "2037-11-01T00:00:00"},
          {"wage",
           {{"wageType", "Custom"},
            {"wageAmount", 16500},
            {"wageUnit", "Annually"},
            {"wageAdditionalInformation", ""},
            {"workingWeekDescription", "Monday to Friday"}}},
          {"hoursPerWeek", 37.5},
          {"expectedDuration", "2 years"},
          {"addresses", nlohmann::json::array({{{"addressLine1", "1 Park Row"},
                                                {"addressLine3", "Leeds"},
                                                {"postcode", "LS1 5HD"},
                                                {"latitude", 53.7996},
                                                {"longitude", -1.5491}}})},
          {"employerName", "Acme Engineering"},
          {"course",
           {{"larsCode", 274},
            {"title", "Engineering technician (level 3)"},
            {"level", 3},
            {"route", "Engineering and manufacturing"},
            {"type", "Standard"}}},
          {"providerName", "Leeds College of Building"},
          {"ukprn", 10003955},
          {"vacancyUrl", "https://www.findapprenticeship.service.gov.uk/apprenticeship/VAC" +
                             std::to_string(1000000 + i)},
          {"isNationalVacancy", false}};
}
inline std::string FatPage(const nlohmann::json& vacancies, const nlohmann::json& total_pages) {
  nlohmann::json doc = {{"vacancies", vacancies},
                        {"total", vacancies.size()},
                        {"totalFiltered", vacancies.size()},
                        {"totalPages", total_pages}};
  return doc.dump();
}
inline std::string FatGood(int n, const std::string& tag = "Apprentice") {
  nlohmann::json v = nlohmann::json::array();
  for (int i = 0; i < n; ++i) v.push_back(FatVacancy(i, tag + " " + std::to_string(i)));
  return FatPage(v, 1);
}

// NCS job profiles: the summary list and one profile.
inline std::string JobProfile(const std::string& title) {
  nlohmann::json p = {
      {"Title", title},
      {"Url", "https://api.example/job-profiles/" + title},
      {"Soc", "2231"},
      {"AlternativeTitle", ""},
      {"Overview", "<p>" + title + "s look after people.</p>"},
      {"SalaryStarter", "24000"},
      {"SalaryExperienced", "36000"},
      {"MinimumHours", 37.5},
      {"MaximumHours", 39},
      {"HowToBecome",
       {{"EntryRouteSummary", nlohmann::json::array({"You can get into this job through a "
                                                     "university course."})},
        {"EntryRoutes",
         {{"University",
           {{"RelevantSubjects", nlohmann::json::array()},
            {"FurtherInformation", nlohmann::json::array()},
            {"EntryRequirementPreface", "You'll usually need:"},
            {"EntryRequirements", nlohmann::json::array({"2 or 3 A levels"})},
            {"AdditionalInformation", nlohmann::json::array()}}}}}}},
      {"WhatItTakes", {{"Skills", nlohmann::json::array({{{"Description", "patience"}}})}}},
      {"WhatYouWillDo", {{"WYDDayToDayTasks", nlohmann::json::array({"care for patients"})}}},
      {"RelatedCareers", nlohmann::json::array()}};
  return p.dump();
}

// [SECTION] ZIP (Discover Uni), written here so a test controls every byte -------

struct ZipMember {
  std::string name;
  std::string data;        // stored uncompressed size = data.size() unless `deflated`
  std::string deflated;    // raw deflate of the contents, when not empty
  std::uint32_t crc = 0;   // CRC-32 of the uncompressed contents
  std::uint32_t size = 0;  // uncompressed size
};

inline std::string RawDeflate(const std::string& data) {
  z_stream z{};
  deflateInit2(&z, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, data.size()), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

inline ZipMember Member(const std::string& name, const std::string& data) {
  ZipMember m;
  m.name = name;
  m.deflated = RawDeflate(data);
  m.crc = crc32(0, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(data.size()));
  m.size = static_cast<std::uint32_t>(data.size());
  return m;
}

inline std::string Zip(const std::vector<ZipMember>& members) {
  auto u16 = [](std::string& s, std::uint16_t v) {
    s += static_cast<char>(v & 0xFF);
    s += static_cast<char>(v >> 8);
  };
  auto u32 = [&](std::string& s, std::uint32_t v) {
    u16(s, static_cast<std::uint16_t>(v & 0xFFFF));
    u16(s, static_cast<std::uint16_t>(v >> 16));
  };
  std::string out, central;
  for (const auto& m : members) {
    const std::uint32_t offset = static_cast<std::uint32_t>(out.size());
    const std::string& body = m.deflated;
    out += "PK\x03\x04";
    u16(out, 20), u16(out, 0), u16(out, 8), u16(out, 0), u16(out, 0);
    u32(out, m.crc), u32(out, static_cast<std::uint32_t>(body.size())), u32(out, m.size);
    u16(out, static_cast<std::uint16_t>(m.name.size())), u16(out, 0);
    out += m.name + body;
    central += "PK\x01\x02";
    u16(central, 20), u16(central, 20), u16(central, 0), u16(central, 8), u16(central, 0),
        u16(central, 0);
    u32(central, m.crc), u32(central, static_cast<std::uint32_t>(body.size())),
        u32(central, m.size);
    u16(central, static_cast<std::uint16_t>(m.name.size())), u16(central, 0), u16(central, 0),
        u16(central, 0), u16(central, 0);
    u32(central, 0), u32(central, offset);
    central += m.name;
  }
  const std::uint32_t cd_offset = static_cast<std::uint32_t>(out.size());
  out += central;
  out += "PK\x05\x06";
  u16(out, 0), u16(out, 0), u16(out, static_cast<std::uint16_t>(members.size())),
      u16(out, static_cast<std::uint16_t>(members.size()));
  u32(out, static_cast<std::uint32_t>(central.size())), u32(out, cd_offset), u16(out, 0);
  return out;
}

// The three Discover Uni tables, real columns (FORMATS.md), `n` courses.
inline std::vector<ZipMember> DiscoverUniTables(int n) {
  std::string course =
      "PUBUKPRN,UKPRN,ASSURL,ASSURLW,CRSECSTURL,CRSECSTURLW,CRSEURL,CRSEURLW,DISTANCE,EMPLOYURL,"
      "EMPLOYURLW,FOUNDATION,HONOURS,HECOS,HECOS,HECOS,HECOS,HECOS,KISCOURSEID,KISMODE,LOCCHNGE,"
      "LTURL,LTURLW,NHS,NUMSTAGE,SANDWICH,SUPPORTURL,SUPPORTURLW,TITLE,TITLEW,UCASPROGID,"
      "UKPRNAPPLY,YEARABROAD,KISAIMCODE,KISLEVEL\n";
  for (int i = 0; i < n; ++i) {
    course += "10007795,10007795,,,,,https://www.leeds.ac.uk/c" + std::to_string(i) +
              ",,0,,,0,1,100346,,,,,C" + std::to_string(i) + ",01,0,,,0,3,0,,,Nursing " +
              std::to_string(i) + ",,B700,,0,021,03\n";
  }
  const std::string institution =
      "LEGAL_NAME,FIRST_TRADING_NAME,OTHER_NAMES,PROVADDRESS,PROVTEL,PROVURL,PUBUKPRN,UKPRN,"
      "COUNTRY,PUBUKPRNCOUNTRY,QAA_Report_Type,QAA_URL,SUURL,SUURLW\n"
      "University of Leeds,University of Leeds,,\"Woodhouse Lane, Leeds, LS2 9JT\",0113 243 "
      "1751,www.leeds.ac.uk,10007795,10007795,XF,XF,,,,\n";
  const std::string location =
      "UKPRN,ACCOMURL,ACCOMURLW,LOCID,LOCNAME,LOCNAMEW,LATITUDE,LONGITUDE,LOCUKPRN,LOCCOUNTRY,"
      "SUURL,SUURLW\n10007795,,,A,Main campus,,53.8067,-1.5550,10007795,XF,,\n";
  const std::string kisaim = "KISAIMCODE,KISAIMLABEL\n021,BSc\n000,BA\n";
  return {Member("KISCOURSE.csv", course), Member("INSTITUTION.csv", institution),
          Member("LOCATION.csv", location), Member("KISAIM.csv", kisaim)};
}

}  // namespace signpost::sync::hostile
