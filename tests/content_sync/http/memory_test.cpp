// Peak memory of the real content-sync binary, measured as a kiosk meets it:
// a fresh process (`content-sync once`), its peak RSS read from wait4()'s
// rusage, syncing a body from a real HTTP server on 127.0.0.1 in this test
// process. Each case prints its figure (bench/README.md keeps them).
//
//   - an 80 MB Skills England standards array (2,000 standards of ~40 KB, as
//     the real ~78 MB list): under 150 MB, and the approved ones imported;
//   - hostile bodies up to the body cap: 60 MB of "{}", one 60 MB string, a
//     record of 4 million keys, 60 MB of nesting, a 48 MB calendar of 200,000
//     daily events, a 1 MB ZIP that inflates to 1 GB, a CSV with one 60 MB
//     field: each under 300 MB, each refused (the catalogue keeps its data).
//
// Skipped under AddressSanitizer (its shadow memory is most of the RSS).
// About 40 s on a 2-core machine; not run under qemu (scripts/cross-arm64.sh).
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <zlib.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>

#include "signpost/catalogue.h"
#include "test_support.h"

extern char** environ;

namespace signpost::sync {
namespace {

using testing::TempDir;
using testing::TestServer;

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAsan = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kAsan = true;
#else
constexpr bool kAsan = false;
#endif
#else
constexpr bool kAsan = false;
#endif

struct Measured {
  int exit_code = -1;
  long peak_rss_mb = 0;
  double seconds = 0;
};

// Runs `content-sync --config CONFIG once` and measures it. ru_maxrss of a
// spawned child is at least its parent's RSS at the time (the child shares
// the parent's memory until exec), so this test keeps itself small and the
// figure is an upper bound for content-sync.
Measured RunOnce(const std::string& config) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  std::string bin = CONTENT_SYNC_BINARY, flag = "--config", cfg = config, cmd = "once";
  char* argv[] = {bin.data(), flag.data(), cfg.data(), cmd.data(), nullptr};
  Measured r;
  const auto t0 = std::chrono::steady_clock::now();
  pid_t pid = -1;
  if (posix_spawn(&pid, bin.c_str(), &actions, nullptr, argv, environ) != 0) return r;
  posix_spawn_file_actions_destroy(&actions);
  int status = 0;
  struct rusage usage {};
  if (wait4(pid, &status, 0, &usage) != pid) return r;
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
  r.peak_rss_mb = usage.ru_maxrss / 1024;  // KB on Linux
  return r;
}

// A standard of about 40 KB, in the public list's shape.
void AppendStandard(std::string& out, int i) {
  const bool approved = i % 3 == 0;
  out += R"({"referenceNumber": "ST)" + std::to_string(1000 + i) + R"(", "title": "Standard )" +
         std::to_string(i) + R"(", "level": )" + std::to_string(2 + i % 5) + R"(, "status": ")" +
         (approved ? "Approved for delivery" : "Retired") + R"(", "larsCode": )" +
         std::to_string(100 + i) +
         R"(, "version": "1.0", "versionNumber": "1.0", "route": "Digital", "typicalDuration": 24,)"
         R"( "typicalJobTitles": ["Job one", "Job two"], "overviewOfRole": ")" +
         std::string(600, 'o') + R"(", "standardPageUrl": "https://example/st", "duties": [)";
  for (int d = 0; d < 40; ++d) {
    out += std::string(d ? "," : "") + R"({"dutyDetail": ")" + std::string(900, 'd') +
           R"(", "ksbs": ["K1", "S2", "B3"]})";
  }
  out += "]}";
}

class MemoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (kAsan) GTEST_SKIP() << "AddressSanitizer's shadow memory would be most of the figure";
    // The body lives in a file, written and served a chunk at a time, so this
    // test process stays small: a child's ru_maxrss starts from its parent's
    // (posix_spawn shares the parent's memory until exec), and a parent
    // holding an 80 MB string would be measured instead of content-sync.
    server.server.Get(R"(/.*)", [this](const httplib::Request&, httplib::Response& res) {
      // application/octet-stream: the test server compresses JSON, and a
      // compressed body would measure the server, not content-sync.
      const std::size_t size = std::filesystem::file_size(dir.File("body"));
      res.set_content_provider(
          size, "application/octet-stream",
          [this](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
            std::ifstream in(dir.File("body"), std::ios::binary);
            in.seekg(static_cast<std::streamoff>(offset));
            std::string chunk(std::min<std::size_t>(length, 1 << 20), '\0');
            in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
            sink.write(chunk.data(), static_cast<std::size_t>(in.gcount()));
            return true;
          });
    });
    server.Start();
  }

  Measured Sync(const std::string& kind, std::string path = "/body",
                const std::string& extra = "") {
    std::ofstream(dir.File("kiosk.toml")) << "[sync]\ncatalogue = \"" << dir.File("cat.db")
                                          << "\"\nmax_attempts = 1\ntotal_timeout_s = 300\n"
                                          << "[[feed]]\nname = \"feed\"\nkind = \"" << kind
                                          << "\"\nurl = \"" << server.Url(path) << "\"\n"
                                          << extra;
    return RunOnce(dir.File("kiosk.toml"));
  }

  std::int64_t Held() {
    auto cat = catalogue::Catalogue::Open(dir.File("cat.db"));
    if (!cat.ok()) return -1;
    auto stats = cat.value()->Stats();
    return stats.ok() ? stats->opportunities + stats->events : -1;
  }

  void Report(const char* what, const Measured& r) {
    std::printf("[ memory ] %-44s peak RSS %4ld MB, %5.1f s, exit %d\n", what, r.peak_rss_mb,
                r.seconds, r.exit_code);
    std::fflush(stdout);
  }

  // Writes the body file a chunk at a time: `more(chunk)` appends to the
  // chunk and returns false when the body is complete.
  std::int64_t WriteBody(const std::function<bool(std::string&)>& more) {
    std::ofstream out(dir.File("body"), std::ios::binary | std::ios::trunc);
    std::string chunk;
    std::int64_t total = 0;
    for (bool go = true; go;) {
      chunk.clear();
      while ((go = more(chunk)) && chunk.size() < (1 << 20)) {
      }
      out << chunk;
      total += static_cast<std::int64_t>(chunk.size());
    }
    return total;
  }
  void WriteBody(const std::string& whole) {
    std::ofstream(dir.File("body"), std::ios::binary | std::ios::trunc) << whole;
  }

  TempDir dir;
  TestServer server;
};

TEST_F(MemoryTest, AnEightyMegabyteStandardsArrayStaysUnder150MB) {
  int i = 0;
  const std::int64_t size = WriteBody([&](std::string& out) {
    out += i ? "," : "[";
    AppendStandard(out, i);
    if (++i < 2200) return true;
    out += "]";
    return false;
  });
  ASSERT_GT(size, 80 << 20);
  const Measured r = Sync("standards");
  Report("standards array, 84 MB (2,200 standards)", r);
  ASSERT_EQ(r.exit_code, 0);
  EXPECT_LT(r.peak_rss_mb, 150);
  EXPECT_EQ(Held(), 734);  // every third of 2,200 is approved for delivery
}

TEST_F(MemoryTest, HostileJsonUpToTheBodyCapStaysUnder300MBAndIsRefused) {
  const std::int64_t size = 60 << 20;  // under the 64 MB default body cap
  struct Case {
    const char* what;
    std::string head, repeat, tail;
  };
  const Case cases[] = {
      {"60 MB of {} in the records array", "{\"vacancies\": [", "{},", "{}], \"totalPages\": 1}"},
      {"one 60 MB string", "{\"vacancies\": [{\"title\": \"", "xxxxxxxxxxxxxxxx", "\"}]}"},
      {"one record of 4 million keys", "{\"vacancies\": [{", "\"key\":1,", "\"end\":1}]}"},
      {"60 MB of nesting", "", "[[[[[[[[[[[[[[[[", ""},
      {"60 MB of vacancies, cut short", "{\"vacancies\": [",
       R"({"vacancyReference": "1", "title": "A", "ukprn": 1, "providerName": "P"},)", ""},
  };
  for (const Case& c : cases) {
    bool head = true;
    std::int64_t written = 0;
    WriteBody([&](std::string& out) {
      if (head) out += c.head, head = false;
      out += c.repeat;
      written += static_cast<std::int64_t>(c.repeat.size());
      if (written < size) return true;
      out += c.tail;
      return false;
    });
    const Measured r = Sync("fat-vacancies");
    Report(c.what, r);
    EXPECT_EQ(r.exit_code, 1) << c.what;  // the feed failed: nothing imported
    EXPECT_LT(r.peak_rss_mb, 300) << c.what;
    EXPECT_EQ(Held(), 0) << c.what;
  }
}

TEST_F(MemoryTest, HostileCalendarsZipsAndCsvStayUnder300MBAndAreRefused) {
  // 200,000 events from tomorrow, each daily without end: the feed's cap.
  const std::time_t tomorrow = std::time(nullptr) + 86400;
  std::tm day{};
  gmtime_r(&tomorrow, &day);
  char start[32];
  std::strftime(start, sizeof start, "%Y%m%dT090000Z", &day);
  int i = 0;
  WriteBody([&](std::string& out) {
    if (i == 0) out += "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n";
    out += "BEGIN:VEVENT\r\nUID:e" + std::to_string(i) + "\r\nSUMMARY:Daily\r\nDTSTART:" + start +
           "\r\nRRULE:FREQ=DAILY\r\nDESCRIPTION:" + std::string(150, 'd') + "\r\nEND:VEVENT\r\n";
    if (++i < 200000) return true;
    out += "END:VCALENDAR\r\n";
    return false;
  });
  Measured r = Sync("icalendar");
  Report("calendar, 48 MB of endless daily events", r);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_LT(r.peak_rss_mb, 300);
  EXPECT_EQ(Held(), 0);

  // A 1 MB ZIP whose one member inflates to 1 GB.
  {
    z_stream zs{};
    ASSERT_EQ(deflateInit2(&zs, 9, Z_DEFLATED, -MAX_WBITS, 9, Z_DEFAULT_STRATEGY), Z_OK);
    std::string packed(2 << 20, '\0');
    std::string zeros(1 << 20, '\0');
    zs.next_out = reinterpret_cast<Bytef*>(packed.data());
    zs.avail_out = static_cast<uInt>(packed.size());
    unsigned long crc = crc32(0, nullptr, 0);
    for (int k = 0; k < 1024; ++k) {
      zs.next_in = reinterpret_cast<Bytef*>(zeros.data());
      zs.avail_in = static_cast<uInt>(zeros.size());
      crc = crc32(crc, reinterpret_cast<const Bytef*>(zeros.data()), zeros.size());
      ASSERT_EQ(deflate(&zs, k == 1023 ? Z_FINISH : Z_NO_FLUSH), k == 1023 ? Z_STREAM_END : Z_OK);
    }
    packed.resize(zs.total_out);
    deflateEnd(&zs);
    auto put = [](std::string& s, unsigned long v, int n) {
      for (int b = 0; b < n; ++b) s.push_back(static_cast<char>((v >> (8 * b)) & 0xFF));
    };
    const std::string name = "KISCOURSE.csv";
    std::string zip;
    put(zip, 0x04034b50, 4), put(zip, 20, 2), put(zip, 0, 2), put(zip, 8, 2), put(zip, 0, 4);
    put(zip, crc, 4), put(zip, packed.size(), 4), put(zip, 1ul << 30, 4);
    put(zip, name.size(), 2), put(zip, 0, 2);
    zip += name + packed;
    const std::size_t cd = zip.size();
    put(zip, 0x02014b50, 4), put(zip, 20, 2), put(zip, 20, 2), put(zip, 0, 2);
    put(zip, 8, 2), put(zip, 0, 4), put(zip, crc, 4), put(zip, packed.size(), 4);
    put(zip, 1ul << 30, 4), put(zip, name.size(), 2), put(zip, 0, 6), put(zip, 0, 4);
    put(zip, 0, 4), put(zip, 0, 4);
    zip += name;
    const std::size_t cd_size = zip.size() - cd;
    put(zip, 0x06054b50, 4), put(zip, 0, 4), put(zip, 1, 2), put(zip, 1, 2);
    put(zip, cd_size, 4), put(zip, cd, 4), put(zip, 0, 2);
    WriteBody(zip);
  }
  r = Sync("discover-uni", "/dataset.zip");
  Report("ZIP, 1 MB inflating to 1 GB", r);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_LT(r.peak_rss_mb, 300);

  // A CSV table with one 60 MB quoted field.
  std::int64_t written = 0;
  WriteBody([&](std::string& out) {
    if (written == 0) out += "PUBUKPRN,UKPRN,LEGAL_NAME\n1,1,\"";
    out += std::string(1 << 16, 'n');
    written += 1 << 16;
    if (written < (60 << 20)) return true;
    out += "\"\n";
    return false;
  });
  r = Sync("discover-uni", "/unpacked");  // asks for /unpacked/INSTITUTION.csv first
  Report("CSV with one 60 MB field", r);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_LT(r.peak_rss_mb, 300);
}

}  // namespace
}  // namespace signpost::sync
