// The hostile-feed suite: the real content-sync binary against hostile HTTP
// servers on 127.0.0.1, each case starting from a catalogue that already
// holds good data in the feed's real shape. For every case: no crash, no
// hang past the configured timeouts, peak RSS under 300 MB, the catalogue
// unchanged when the feed is bad, and a status that names the cause.
// Index:
//   [SECTION] Harness
//   [SECTION] Crash: untrusted nesting, a sync that dies
//   [SECTION] Memory and size
//   [SECTION] Good data replaced by bad
//   [SECTION] Truncated bodies
//   [SECTION] Waiting and freshness
//   [SECTION] Secrets and local files
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <mutex>

#include "hostile_support.h"

namespace signpost::sync::hostile {
namespace {

// [SECTION] Harness ---------------------------------------------------------------

constexpr long kMaxRssKb = 300 * 1024;

class HostileTest : public ::testing::Test {
 protected:
  std::string Config() const { return dir.File("kiosk.toml"); }
  std::string Catalogue() const { return dir.File("catalogue.db"); }

  RunResult Run(const std::vector<std::string>& args, double limit_s = 120) {
    RunResult r = RunContentSync(dir, Config(), args, limit_s);
    std::cout << "[          ] content-sync";
    for (const auto& a : args) std::cout << " " << a;
    std::cout << ": "
              << (r.signal ? "signal " + std::to_string(r.signal)
                           : "exit " + std::to_string(r.exit_code))
              << ", " << static_cast<int>(r.seconds * 1000) << " ms, peak RSS "
              << r.max_rss_kb / 1024 << " MB\n";
    return r;
  }

  // Imports the good data; returns the catalogue's digest.
  std::string SeedGood() {
    RunResult r = Run({"once"});
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    const std::string digest = CatalogueDigest(Catalogue());
    EXPECT_NE(digest.find('\n'), std::string::npos) << "the good data imported nothing";
    return digest;
  }

  // What every hostile run must show: it ended by itself within its time,
  // within the memory budget, reported the feed as not ok (exit 1), kept
  // the good data byte for byte, and `status` names the cause.
  void ExpectHeld(const RunResult& r, const std::string& before, const std::string& cause,
                  double limit_s = 60) {
    EXPECT_FALSE(r.crashed()) << "signal " << r.signal << (r.timed_out ? " (hung)" : "") << "\n"
                              << r.err;
    EXPECT_LT(r.seconds, limit_s);
    if (kMeasuresRss) {
      EXPECT_LT(r.max_rss_kb, kMaxRssKb);
    }
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_EQ(CatalogueDigest(Catalogue()), before) << "good data was replaced";
    const RunResult status = Run({"status"});
    EXPECT_EQ(status.exit_code, 1);
    EXPECT_NE(status.out.find(cause), std::string::npos)
        << "status does not name the cause \"" << cause << "\":\n"
        << status.out;
  }

  TempDir dir;
  TestServer server;
  std::atomic<int> mode{0};  // 0 = good data; the test sets what the server does next
};

// A raw TCP server for what cpp-httplib will not send: a body cut short by
// a closed connection with no Content-Length, or bytes that trickle.
class RawServer {
 public:
  explicit RawServer(std::function<void(int fd)> respond) : respond_(std::move(respond)) {
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    listen(fd_, 8);
    thread_ = std::thread([this] {
      for (int served = 0; served < 32; ++served) {  // bounded
        const int c = accept(fd_, nullptr, nullptr);
        if (c < 0) return;
        std::string req;
        char buf[4096];
        while (req.find("\r\n\r\n") == std::string::npos) {
          const ssize_t n = recv(c, buf, sizeof buf, 0);
          if (n <= 0) break;
          req.append(buf, static_cast<std::size_t>(n));
        }
        respond_(c);
        close(c);
      }
    });
  }
  ~RawServer() {
    shutdown(fd_, SHUT_RDWR);
    close(fd_);
    if (thread_.joinable()) thread_.join();
  }
  std::string Url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  static void Send(int fd, const std::string& s) {
    (void)send(fd, s.data(), s.size(), MSG_NOSIGNAL);
  }

 private:
  std::function<void(int)> respond_;
  int fd_ = -1;
  int port_ = 0;
  std::thread thread_;
};

// [SECTION] Crash: untrusted nesting, a sync that dies -----------------------------

// An Open Referral service whose contacts nest 100,000 levels deep (1.5 MB)
// once killed content-sync with SIGSEGV (a recursive phone lookup).
TEST_F(HostileTest, ContactsNestedAHundredThousandDeepDoNotCrash) {
  OrukFeed good{20};
  std::string deep = "{\"phones\":[{\"number\":\"0113 496 0000\"}]}";
  std::string nested;
  nested.reserve(1'700'000);
  for (int i = 0; i < 100'000; ++i) nested += "{\"contacts\":[";
  nested += deep;
  for (int i = 0; i < 100'000; ++i) nested += "]}";
  server.server.Get("/services", [&](const httplib::Request&, httplib::Response& res) {
    nlohmann::json contents = nlohmann::json::array();
    for (int i = 0; i < good.n; ++i) {
      contents.push_back(OrukService("svc-" + std::to_string(i), "Youth Hub " + std::to_string(i)));
    }
    std::string page = OrukPage(contents, 1, 1);
    if (mode == 1) {  // one more service, its contacts nested absurdly deep
      const std::string svc =
          ",{\"id\":\"deep\",\"name\":\"Deep\",\"status\":\"active\",\"contacts\":[" + nested +
          "]}";
      page.insert(page.rfind(']'), svc);
    }
    res.set_content(page, "application/octet-stream");
  });
  server.server.Get(R"(/services/([^/]+))", [&](const httplib::Request& req,
                                                httplib::Response& res) {
    const std::string id = req.matches[1];
    if (id == "deep") {
      res.set_content(
          "{\"id\":\"deep\",\"name\":\"Deep\",\"status\":\"active\",\"contacts\":[" + nested + "]}",
          "application/octet-stream");
      return;
    }
    res.set_content(OrukDetail(id, "Youth Hub " + id.substr(4)).dump(), "application/json");
  });
  server.Start();
  WriteConfig(dir, Config(), {{"services", "open-referral", server.Url("/services")}});
  const std::string before = SeedGood();
  mode = 1;
  RunResult r = Run({"once"});
  EXPECT_FALSE(r.crashed()) << r.err;
  if (kMeasuresRss) {
    EXPECT_LT(r.max_rss_kb, kMaxRssKb);
  }
  // Either the page is refused (the feed keeps its data) or the deep service
  // is skipped and the other 20 stay as they were: the data is the same.
  EXPECT_EQ(CatalogueDigest(Catalogue()), before);
  EXPECT_NE((Run({"status"}).out + r.out + r.err).find("deep"), std::string::npos)
      << "nothing says what was wrong:\n"
      << r.out << r.err;
}

// A sync that dies (a crash, SIGKILL, a power cut) is visible afterwards,
// and the next run syncs the other feeds before the one that died.
TEST_F(HostileTest, ASyncThatDiedIsReportedAndTheOtherFeedsSyncFirstNextTime) {
  std::mutex mu;
  std::atomic<bool> released{false};
  std::vector<std::string> order;
  server.server.Get("/a.ics", [&](const httplib::Request&, httplib::Response& res) {
    {
      std::lock_guard<std::mutex> g(mu);
      order.push_back("a");
    }
    if (mode == 1) {  // hangs until the harness has killed the process
      for (int i = 0; i < 300 && !released; ++i) {  // bounded: 30 s at most
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    }
    res.set_content(Ics(5, "a"), "text/calendar");
  });
  server.server.Get("/b.ics", [&](const httplib::Request&, httplib::Response& res) {
    {
      std::lock_guard<std::mutex> g(mu);
      order.push_back("b");
    }
    res.set_content(Ics(5, "b"), "text/calendar");
  });
  server.Start();
  WriteConfig(dir, Config(),
              {{"a", "icalendar", server.Url("/a.ics")}, {"b", "icalendar", server.Url("/b.ics")}});
  const std::string before = SeedGood();
  {
    std::lock_guard<std::mutex> g(mu);
    order.clear();
  }
  mode = 1;
  // Killed while a downloads. The limit leaves a slow start (a sanitizer
  // build on a busy machine took over a second) time to reach the download.
  RunResult killed = Run({"once", "a"}, /*limit_s=*/6.0);
  released = true;
  EXPECT_TRUE(killed.timed_out);
  {
    std::lock_guard<std::mutex> g(mu);
    // a, perhaps asked again after a client timeout, and nothing else yet.
    ASSERT_FALSE(order.empty()) << "killed before it asked for a";
    ASSERT_EQ(std::count(order.begin(), order.end(), "a"), static_cast<long>(order.size()));
  }
  const RunResult status = Run({"status"});
  EXPECT_EQ(status.exit_code, 1);
  EXPECT_NE(status.out.find("did not finish"), std::string::npos) << status.out;
  EXPECT_EQ(CatalogueDigest(Catalogue()), before);
  mode = 0;
  {
    std::lock_guard<std::mutex> g(mu);
    order.clear();
  }
  RunResult next = Run({"once"});
  EXPECT_FALSE(next.crashed());
  std::lock_guard<std::mutex> g(mu);
  ASSERT_GE(order.size(), 2u);
  EXPECT_EQ(order.front(), "b") << "the feed whose sync died went first again";
}

// One feed that fails, however badly, never stops the feeds after it.
TEST_F(HostileTest, OneBrokenFeedNeverStopsTheOthers) {
  server.server.Get("/bad.ics", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content(mode == 1 ? std::string("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n") : Ics(3, "x"),
                    "text/calendar");
  });
  server.server.Get("/good.ics", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content(Ics(mode == 1 ? 7 : 4, "g"), "text/calendar");
  });
  server.Start();
  WriteConfig(dir, Config(),
              {{"bad", "icalendar", server.Url("/bad.ics")},
               {"good", "icalendar", server.Url("/good.ics")}});
  SeedGood();
  mode = 1;
  RunResult r = Run({"once"});
  EXPECT_FALSE(r.crashed());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(CountRows(Catalogue(), "SELECT count(*) FROM event WHERE feed = 'good'"), 7);
  EXPECT_EQ(CountRows(Catalogue(), "SELECT count(*) FROM event WHERE feed = 'bad'"), 3);
}

// [SECTION] Memory and size --------------------------------------------------------

// 60 MB of `{}` (under the 64 MB body cap) once took 2 GB of RAM.
TEST_F(HostileTest, SixtyMegabytesOfEmptyObjectsStayWithinMemory) {
  OrukFeed good{30};
  std::string flood;
  server.server.Get("/services", [&](const httplib::Request& req, httplib::Response& res) {
    if (mode == 0) {
      nlohmann::json contents = nlohmann::json::array();
      for (int i = 0; i < good.n; ++i) {
        contents.push_back(OrukService("svc-" + std::to_string(i), "Hub " + std::to_string(i)));
      }
      res.set_content(OrukPage(contents, 1, 1), "application/json");
      return;
    }
    (void)req;
    if (flood.empty()) {
      flood = "{\"total_pages\":1,\"last_page\":true,\"contents\":[{}";
      while (flood.size() < 60u << 20) flood += ",{}";
      flood += "]}";
    }
    res.set_content(flood, "application/octet-stream");
  });
  server.server.Get(
      R"(/services/([^/]+))", [&](const httplib::Request& req, httplib::Response& res) {
        const std::string id = req.matches[1];
        res.set_content(OrukDetail(id, "Hub " + id.substr(4)).dump(), "application/json");
      });
  server.Start();
  WriteConfig(dir, Config(), {{"services", "open-referral", server.Url("/services")}});
  const std::string before = SeedGood();
  mode = 1;
  ExpectHeld(Run({"once"}), before, "services");
}

// A 1 MB ZIP that inflates to 1 GB once took 1 GB of RAM.
TEST_F(HostileTest, AZipBombIsRefusedWithinMemory) {
  const std::string good = Zip(DiscoverUniTables(12));
  std::string bomb;
  {
    // KISCOURSE.csv: a header, then 1 GiB of the same row, deflated.
    std::string header =
        "PUBUKPRN,UKPRN,CRSEURL,HONOURS,KISCOURSEID,KISMODE,TITLE,KISAIMCODE,KISLEVEL\n";
    z_stream z{};
    deflateInit2(&z, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY);
    std::string block(1 << 20, '\0');
    for (std::size_t i = 0; i < block.size(); ++i)
      block[i] = "1,1,,1,C,01,Nursing,021,03\n"[i % 27];
    std::string out;
    std::uint32_t crc =
        crc32(0, reinterpret_cast<const Bytef*>(header.data()), static_cast<uInt>(header.size()));
    std::uint64_t total = header.size();
    std::string chunk(1 << 16, '\0');
    auto pump = [&](const std::string& in, int flush) {
      z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
      z.avail_in = static_cast<uInt>(in.size());
      do {
        z.next_out = reinterpret_cast<Bytef*>(chunk.data());
        z.avail_out = static_cast<uInt>(chunk.size());
        deflate(&z, flush);
        out.append(chunk.data(), chunk.size() - z.avail_out);
      } while (z.avail_out == 0);
    };
    pump(header, Z_NO_FLUSH);
    for (int i = 0; i < 1024; ++i) {
      pump(block, Z_NO_FLUSH);
      crc =
          crc32(crc, reinterpret_cast<const Bytef*>(block.data()), static_cast<uInt>(block.size()));
      total += block.size();
    }
    pump("", Z_FINISH);
    deflateEnd(&z);
    std::vector<ZipMember> members = DiscoverUniTables(12);
    members[0].deflated = out;
    members[0].crc = crc;
    members[0].size = static_cast<std::uint32_t>(total);
    bomb = Zip(members);
  }
  ASSERT_LT(bomb.size(), 8u << 20);
  server.server.Get("/unistats.zip", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content(mode == 0 ? good : bomb, "application/zip");
  });
  server.Start();
  WriteConfig(dir, Config(), {{"he", "discover-uni", server.Url("/unistats.zip")}});
  const std::string before = SeedGood();
  mode = 1;
  ExpectHeld(Run({"once"}), before, "he");
}

// 5,000 daily events without COUNT once became 1.8 million events and a
// 232 MB catalogue: the cap holds per feed, and over it the feed keeps its
// old data.
TEST_F(HostileTest, ACalendarThatExpandsBeyondTheFeedCapKeepsItsOldData) {
  std::string daily = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//hostile//EN\r\n";
  for (int i = 0; i < 5000; ++i) {
    daily += "BEGIN:VEVENT\r\nUID:daily-" + std::to_string(i) +
             "@x\r\nDTSTAMP:20261101T090000Z\r\nDTSTART:20261210T090000Z\r\nDTEND:"
             "20261210T100000Z\r\nRRULE:FREQ=DAILY\r\nSUMMARY:Drop-in " +
             std::to_string(i) + "\r\nEND:VEVENT\r\n";
  }
  daily += "END:VCALENDAR\r\n";
  server.server.Get("/events.ics", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content(mode == 0 ? Ics(25, "good") : daily, "application/octet-stream");
  });
  server.Start();
  WriteConfig(dir, Config(), {{"events", "icalendar", server.Url("/events.ics")}});
  const std::string before = SeedGood();
  mode = 1;
  ExpectHeld(Run({"once"}), before, "events");
  EXPECT_LT(std::filesystem::file_size(Catalogue()), 64u << 20);
}

// A 50 MB calendar once took 412 MB.
TEST_F(HostileTest, AFiftyMegabyteCalendarStaysWithinMemory) {
  std::string big;
  server.server.Get("/events.ics", [&](const httplib::Request&, httplib::Response& res) {
    if (mode == 0) {
      res.set_content(Ics(25, "good"), "text/calendar");
      return;
    }
    if (big.empty()) {
      big = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//hostile//EN\r\n";
      const std::string pad(900, 'x');
      for (int i = 0; big.size() < 50u << 20; ++i) {
        big += "BEGIN:VEVENT\r\nUID:big-" + std::to_string(i) +
               "@x\r\nDTSTAMP:20261101T090000Z\r\nDTSTART:20370310T090000Z\r\nSUMMARY:Big " +
               std::to_string(i) + "\r\nDESCRIPTION:" + pad + "\r\nEND:VEVENT\r\n";
      }
      big += "END:VCALENDAR\r\n";
    }
    res.set_content(big, "application/octet-stream");
  });
  server.Start();
  WriteConfig(dir, Config(), {{"events", "icalendar", server.Url("/events.ics")}});
  SeedGood();
  mode = 1;
  RunResult r = Run({"once"});
  EXPECT_FALSE(r.crashed()) << r.err;
  if (kMeasuresRss) {
    EXPECT_LT(r.max_rss_kb, kMaxRssKb);
  }
}

// [SECTION] Good data replaced by bad ----------------------------------------------

// 100 services that all carry one id are one service.
TEST_F(HostileTest, AHundredRecordsWithOneIdAreHeldBack) {
  OrukFeed good{40};
  good.Serve(server);
  server.server.Get("/dup/services", [&](const httplib::Request&, httplib::Response& res) {
    nlohmann::json contents = nlohmann::json::array();
    for (int i = 0; i < 100; ++i)
      contents.push_back(OrukService("svc-0", "Same " + std::to_string(i)));
    res.set_content(OrukPage(contents, 1, 1), "application/json");
  });
  server.server.Get(
      R"(/dup/services/([^/]+))", [&](const httplib::Request& req, httplib::Response& res) {
        res.set_content(OrukDetail(req.matches[1], "Same").dump(), "application/json");
      });
  server.Start();
  WriteConfig(dir, Config(), {{"services", "open-referral", server.Url("/services")}});
  const std::string before = SeedGood();
  WriteConfig(dir, Config(), {{"services", "open-referral", server.Url("/dup/services")}});
  ExpectHeld(Run({"once"}), before, "different");
}

// A server that ignores page= (20 pages, each the same 5 services).
TEST_F(HostileTest, AServerThatIgnoresPagingIsHeldBack) {
  OrukFeed good{40};
  good.Serve(server);
  server.server.Get("/loop/services", [&](const httplib::Request&, httplib::Response& res) {
    nlohmann::json contents = nlohmann::json::array();
    for (int i = 0; i < 5; ++i) contents.push_back(OrukService("svc-" + std::to_string(i), "Hub"));
    nlohmann::json doc = nlohmann::json::parse(OrukPage(contents, 1, 20));
    doc["last_page"] = false;
    res.set_content(doc.dump(), "application/json");
  });
  server.server.Get(R"(/loop/services/([^/]+))",
                    [&](const httplib::Request& req, httplib::Response& res) {
                      res.set_content(OrukDetail(req.matches[1], "Hub").dump(), "application/json");
                    });
  server.Start();
  WriteConfig(dir, Config(), {{"services", "open-referral", server.Url("/services")}});
  const std::string before = SeedGood();
  WriteConfig(dir, Config(), {{"services", "open-referral", server.Url("/loop/services")}});
  ExpectHeld(Run({"once"}), before, "services");
}

// Every vacancy rejected by validation (titles over the length limit):
// their providers must not make the feed look "ok, 100 records".
TEST_F(HostileTest, RecordsRejectedByValidationDoNotCount) {
  // Built once, before the server starts: 7 MB of JSON built per request
  // took longer than the stall limit in a sanitizer build on a busy machine.
  const std::string good = FatGood(100);
  const std::string too_long = FatGood(100, std::string(70000, 'T'));
  server.server.Get("/vacancies", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content(mode == 0 ? good : too_long, "application/json");
  });
  server.Start();
  WriteConfig(dir, Config(), {{"vacancies", "fat-vacancies", server.Url("/vacancies")}});
  const std::string before = SeedGood();
  mode = 1;
  ExpectHeld(Run({"once"}), before, "no records");
}

// A feed that drops to nothing, or by exactly 90%, is held back; small
// feeds too; one configured to allow it empties.
TEST_F(HostileTest, EmptyAndShrunkenFeedsAreHeldBackOnBothSidesOfTheThreshold) {
  std::atomic<int> n{40};
  server.server.Get("/events.ics", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content(Ics(n, "e" + std::to_string(n.load())), "text/calendar");
  });
  server.Start();
  WriteConfig(dir, Config(), {{"events", "icalendar", server.Url("/events.ics")}});
  std::string before = SeedGood();
  n = 0;
  ExpectHeld(Run({"once"}), before, "no records");

  n = 100;
  before = SeedGood();
  n = 10;  // exactly 90% fewer
  ExpectHeld(Run({"once"}), before, "10 usable records where it had 100");
  n = 11;
  EXPECT_EQ(Run({"once"}).exit_code, 0);
  EXPECT_EQ(CountRows(Catalogue(), "SELECT count(*) FROM event"), 11);

  n = 0;  // configured: this feed may really be empty
  WriteConfig(dir, Config(),
              {{"events", "icalendar", server.Url("/events.ics"), "allow_empty = true"}});
  EXPECT_EQ(Run({"once"}).exit_code, 0);
  EXPECT_EQ(CountRows(Catalogue(), "SELECT count(*) FROM event"), 0);
}

// `totalPages: 1e10` was cast to int (undefined behaviour).
TEST_F(HostileTest, AnAbsurdPageCountIsRangeChecked) {
  server.server.Get("/vacancies", [&](const httplib::Request&, httplib::Response& res) {
    nlohmann::json v = nlohmann::json::array();
    for (int i = 0; i < 5; ++i) v.push_back(FatVacancy(i, "Apprentice " + std::to_string(i)));
    res.set_content(mode == 0 ? FatPage(v, 1) : FatPage(v, 1e10), "application/json");
  });
  server.Start();
  WriteConfig(dir, Config(),
              {{"vacancies", "fat-vacancies", server.Url("/vacancies"), "max_pages = 3"}});
  const std::string before = SeedGood();
  mode = 1;
  ExpectHeld(Run({"once"}), before, "vacancies");
}

// An escaped NUL in every name was stored, and C-string readers saw
// truncated names.
TEST_F(HostileTest, NulAndControlCharactersNeverReachTheCatalogue) {
  server.server.Get("/events.ics", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content(Ics(5, "good"), "text/calendar");
  });
  server.server.Get("/vacancies", [&](const httplib::Request&, httplib::Response& res) {
    nlohmann::json v = nlohmann::json::array();
    for (int i = 0; i < 5; ++i) {
      nlohmann::json x = FatVacancy(i, std::string("Apprentice\0 \x1b[2J", 16) + std::to_string(i));
      x["employerName"] = std::string("Acme\0Corp", 9);
      v.push_back(x);
    }
    res.set_content(FatPage(v, 1), "application/json");
  });
  server.Start();
  WriteConfig(dir, Config(), {{"vacancies", "fat-vacancies", server.Url("/vacancies")}});
  RunResult r = Run({"once"});
  EXPECT_FALSE(r.crashed());
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(CountRows(Catalogue(), "SELECT count(*) FROM opportunity"), 5);
  EXPECT_EQ(CountRows(Catalogue(),
                      "SELECT count(*) FROM opportunity WHERE instr(title, char(0)) > 0 OR "
                      "instr(title, char(27)) > 0 OR instr(coalesce(employer,''), char(0)) > 0 "
                      "OR title NOT LIKE 'Apprentice %'"),
            0);
}

// [SECTION] Truncated bodies -------------------------------------------------------

// A calendar cut short by a closed connection (no Content-Length) was
// imported half-size.
TEST_F(HostileTest, ACalendarCutShortByAClosedConnectionIsNotData) {
  std::atomic<int> cut_mode{0};
  const std::string whole = Ics(40, "good");
  const std::string cut = Ics(40, "cut").substr(0, Ics(40, "cut").size() / 2);
  RawServer raw([&](int fd) {
    RawServer::Send(fd,
                    "HTTP/1.1 200 OK\r\nContent-Type: text/calendar\r\nConnection: close\r\n\r\n");
    RawServer::Send(fd, cut_mode == 0 ? whole : cut);
  });
  WriteConfig(dir, Config(), {{"events", "icalendar", raw.Url("/events.ics")}});
  const std::string before = SeedGood();
  cut_mode = 1;
  ExpectHeld(Run({"once"}), before, "events");
}

// A ZIP member whose CRC does not match is a failed download, never data.
TEST_F(HostileTest, AZipMemberWithABadCrcIsAFailedDownload) {
  const std::string good = Zip(DiscoverUniTables(12));
  std::vector<ZipMember> bad_members = DiscoverUniTables(30);
  bad_members[0].crc ^= 0x5A5A5A5Au;
  const std::string bad = Zip(bad_members);
  server.server.Get("/unistats.zip", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content(mode == 0 ? good : bad, "application/zip");
  });
  server.Start();
  WriteConfig(dir, Config(), {{"he", "discover-uni", server.Url("/unistats.zip")}});
  const std::string before = SeedGood();
  mode = 1;
  ExpectHeld(Run({"once"}), before, "he");
}

// A server that trickles a byte a second is given up on within the
// configured low-speed time, not waited on for ever.
TEST_F(HostileTest, ATrickleIsGivenUpWithinTheConfiguredTime) {
  std::atomic<int> slow{0};
  RawServer raw([&](int fd) {
    RawServer::Send(fd,
                    "HTTP/1.1 200 OK\r\nContent-Type: text/calendar\r\nContent-Length: "
                    "100000\r\n\r\n");
    if (slow == 0) {
      std::string body = Ics(10, "good");
      body.resize(100000, '\n');
      RawServer::Send(fd, body);
      return;
    }
    for (int i = 0; i < 40; ++i) {
      RawServer::Send(fd, "B");
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
  });
  WriteConfig(dir, Config(), {{"events", "icalendar", raw.Url("/events.ics")}},
              "low_speed_limit = 100\n");
  const std::string before = SeedGood();
  slow = 1;
  RunResult r = Run({"once"});
  EXPECT_FALSE(r.crashed());
  EXPECT_LT(r.seconds, 15.0);  // 2 attempts x 5 s low-speed time, plus backoff
  EXPECT_EQ(CatalogueDigest(Catalogue()), before);
}

// [SECTION] Waiting and freshness --------------------------------------------------

// Retry-After: 60 was waited for although retry_max_delay_s = 1.
TEST_F(HostileTest, ARetryAfterLongerThanTheConfiguredMaximumIsNotWaitedFor) {
  server.server.Get("/vacancies", [&](const httplib::Request&, httplib::Response& res) {
    if (mode == 0) {
      res.set_content(FatGood(5), "application/json");
      return;
    }
    res.status = 503;
    res.set_header("Retry-After", "60");
  });
  server.Start();
  WriteConfig(dir, Config(), {{"vacancies", "fat-vacancies", server.Url("/vacancies")}});
  const std::string before = SeedGood();
  mode = 1;
  RunResult r = Run({"once"});
  EXPECT_LT(r.seconds, 10.0);
  EXPECT_EQ(CatalogueDigest(Catalogue()), before);
  const RunResult status = Run({"status"});
  EXPECT_NE(status.out.find("next scheduled sync"), std::string::npos) << status.out;
}

// A Last-Modified in 2100 was echoed in every If-Modified-Since, so a
// server kept answering 304 and updates never arrived.
TEST_F(HostileTest, ALastModifiedInTheFutureDoesNotFreezeTheFeed) {
  std::atomic<int> version{1};
  std::atomic<int> conditional{0};
  server.server.Get("/events.ics", [&](const httplib::Request& req, httplib::Response& res) {
    if (req.has_header("If-Modified-Since")) {
      ++conditional;
      res.status = 304;  // what such a server says to its own future date
      return;
    }
    res.set_header("Last-Modified", "Fri, 01 Jan 2100 00:00:00 GMT");
    res.set_content(Ics(10 + version, "v" + std::to_string(version.load())), "text/calendar");
  });
  server.Start();
  WriteConfig(dir, Config(), {{"events", "icalendar", server.Url("/events.ics")}});
  SeedGood();
  version = 2;
  RunResult r = Run({"once"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(CountRows(Catalogue(), "SELECT count(*) FROM event"), 12);
  EXPECT_EQ(conditional.load(), 0);
}

// [SECTION] Secrets and local files ------------------------------------------------

// The API key went to another host on a redirect.
TEST_F(HostileTest, TheKeyNeverFollowsARedirectToAnotherHost) {
  TestServer other;
  std::atomic<int> other_saw_key{0}, other_requests{0};
  other.server.Get("/vacancies", [&](const httplib::Request& req, httplib::Response& res) {
    ++other_requests;
    if (req.has_header("Ocp-Apim-Subscription-Key")) ++other_saw_key;
    res.set_content(FatGood(5), "application/json");
  });
  other.Start();
  std::atomic<int> origin_saw_key{0};
  server.server.Get("/vacancies", [&](const httplib::Request& req, httplib::Response& res) {
    if (req.get_header_value("Ocp-Apim-Subscription-Key") == "s3cret-key") ++origin_saw_key;
    if (mode == 0) {
      res.set_content(FatGood(5), "application/json");
      return;
    }
    res.status = 302;
    res.set_header("Location", other.OtherHostUrl("/vacancies"));
  });
  server.Start();
  WriteConfig(dir, Config(),
              {{"vacancies", "fat-vacancies", server.Url("/vacancies"),
                "api_key = \"s3cret-key\"\napi_key_header = \"Ocp-Apim-Subscription-Key\""}});
  SeedGood();
  EXPECT_GE(origin_saw_key.load(), 1);
  mode = 1;
  RunResult r = Run({"once"});
  EXPECT_FALSE(r.crashed());
  EXPECT_EQ(other_saw_key.load(), 0) << "the subscription key was sent to another host";
  EXPECT_EQ(r.out.find("s3cret"), std::string::npos);
  EXPECT_EQ(r.err.find("s3cret"), std::string::npos);
}

// Links inside feed data (job-profile summary Urls) pointing at another
// host, or at a local file, are not fetched: the key stays home and no
// local file becomes a career.
TEST_F(HostileTest, LinksInFeedDataToOtherHostsOrLocalFilesAreNotFetched) {
  TestServer other;
  std::atomic<int> other_requests{0};
  other.server.Get(R"(/.*)", [&](const httplib::Request&, httplib::Response& res) {
    ++other_requests;
    res.set_content(JobProfile("Spy"), "application/json");
  });
  other.Start();
  std::ofstream(dir.File("secret.json")) << JobProfile("Local secret");
  server.server.Get("/job-profiles/summary", [&](const httplib::Request&, httplib::Response& res) {
    nlohmann::json list = nlohmann::json::array();
    for (const char* t : {"nurse", "plumber", "chef"}) {
      list.push_back({{"Url", server.Url(std::string("/job-profiles/") + t)},
                      {"Title", t},
                      {"LastUpdated", "2026-11-01T00:00:00Z"}});
    }
    if (mode == 1) {
      list.push_back({{"Url", other.OtherHostUrl("/job-profiles/spy")}, {"Title", "Spy"}});
      list.push_back({{"Url", "file://" + dir.File("secret.json")}, {"Title", "Local secret"}});
      list.push_back({{"Url", "file:///dev/zero"}, {"Title", "Zero"}});
    }
    res.set_content(list.dump(), "application/json");
  });
  server.server.Get(R"(/job-profiles/([a-z]+))",
                    [&](const httplib::Request& req, httplib::Response& res) {
                      res.set_content(JobProfile(req.matches[1]), "application/json");
                    });
  server.Start();
  WriteConfig(dir, Config(),
              {{"careers", "job-profiles", server.Url("/job-profiles/summary"),
                "api_key = \"s3cret-key\"\napi_key_header = \"Ocp-Apim-Subscription-Key\""}});
  SeedGood();
  mode = 1;
  RunResult r = Run({"once"}, 30);
  EXPECT_FALSE(r.crashed());
  EXPECT_EQ(other_requests.load(), 0);
  EXPECT_EQ(CountRows(Catalogue(),
                      "SELECT count(*) FROM career WHERE title IN ('Spy', 'Local secret', 'Zero')"),
            0);
  EXPECT_EQ(CountRows(Catalogue(), "SELECT count(*) FROM career"), 3);
}

}  // namespace
}  // namespace signpost::sync::hostile
