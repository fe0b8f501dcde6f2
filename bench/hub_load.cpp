// Hub load test (issue 6): N simulated kiosks, a bounded number at a time,
// sync from one hub served by a real nginx (nginx-light) on 127.0.0.1.
// Each kiosk is a real catalogue file pulling with the real client
// (libcurl, minisign verification, staged imports). Prints the hub's
// throughput for three rounds (first sync: full bundles; unchanged: 304s;
// one feed changed: deltas) and checks that every kiosk ends with the same
// verified catalogue as the hub (content digest over every feed).
//
//   build/bench/bench/hub_load [--kiosks 200] [--concurrency 16] [--hub-catalogue PATH]
//
// --hub-catalogue publishes an existing catalogue (e.g. the synthetic 250k
// one) instead of the sample; with big catalogues use fewer kiosks.
// Exit status: 0 when every kiosk verified and matched, 1 otherwise.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <map>
#include <mutex>
#include <thread>

#include "bundle/client.h"
#include "common/clock.h"
#include "hub_test_support.h"
#include "net/http_client.h"

using namespace signpost;
using namespace signpost::sync;
using namespace signpost::sync::testing;

namespace {

struct Round {
  std::string name;
  double seconds = 0;
  std::int64_t bytes = 0;
  std::int64_t requests = 0;
  std::map<std::string, int> results;
  std::vector<double> latencies_ms;
};

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1))];
}

Round RunRound(const std::string& name, int kiosks, int concurrency, const std::string& dir,
               const std::string& url, const bundle::PublicKey& key) {
  Round round;
  round.name = name;
  std::atomic<int> next{0};
  std::mutex mu;
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int t = 0; t < concurrency; ++t) {
    threads.emplace_back([&] {
      HttpOptions http;
      http.max_body_bytes = 2LL << 30;
      auto transport = MakeCurlTransport(http);
      for (int i = next++; i < kiosks; i = next++) {
        const std::string kdir = dir + "/kiosk" + std::to_string(i);
        fs::create_directories(kdir);
        auto cat = OpenCatalogue(kdir + "/catalogue.db");
        bundle::PullOptions o;
        o.hub_urls = {url};
        o.trusted = {key};
        o.download_dir = kdir + "/downloads";
        o.state_file = kdir + "/bundle-state.json";
        o.retry.max_attempts = 3;
        RealClock clock;
        const auto t0 = std::chrono::steady_clock::now();
        const bundle::ApplyResult r =
            cat ? bundle::PullFromHubs(*cat, transport.value().get(), &clock, o)
                : bundle::ApplyResult{};
        const double ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                .count();
        std::lock_guard<std::mutex> g(mu);
        round.bytes += r.bytes_downloaded;
        round.requests += r.requests;
        ++round.results[r.result.empty() ? "error" : r.result];
        round.latencies_ms.push_back(ms);
        if (!r.ok()) std::fprintf(stderr, "kiosk %d: %s\n", i, r.status.message().c_str());
      }
    });
  }
  for (auto& t : threads) t.join();
  round.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return round;
}

// What the hub alone can serve: each simulated kiosk fetches latest.json,
// the full bundle and its signature and checks the signature; no import.
Round DownloadOnly(int kiosks, int concurrency, const std::string& url, const std::string& file,
                   const bundle::PublicKey& key) {
  Round round;
  round.name = "download";
  std::atomic<int> next{0};
  std::mutex mu;
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int t = 0; t < concurrency; ++t) {
    threads.emplace_back([&, t] {
      HttpOptions http;
      http.max_body_bytes = 2LL << 30;
      auto transport = MakeCurlTransport(http);
      const std::string tmp = fs::temp_directory_path() /
                              ("hub-load-dl-" + std::to_string(getpid()) + "-" + std::to_string(t));
      for (int i = next++; i < kiosks; i = next++) {
        const auto t0 = std::chrono::steady_clock::now();
        std::int64_t bytes = 0;
        bool ok = true;
        std::string sig;
        for (const std::string& rel : {std::string("latest.json"), file, file + ".minisig"}) {
          HttpRequest req;
          req.url = url + rel;
          HttpResult r = transport.value()->Perform(req);
          ok = ok && r.status.ok() && r.response.status == 200;
          bytes += static_cast<std::int64_t>(r.response.body.size());
          if (rel == file) WriteFile(tmp, std::string(r.response.body.view()));
          if (rel.ends_with(".minisig")) sig = r.response.body.view();
        }
        ok = ok && bundle::VerifyFile(tmp, sig, {key}).ok();
        const double ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                .count();
        std::lock_guard<std::mutex> g(mu);
        round.bytes += bytes;
        round.requests += 3;
        ++round.results[ok ? "verified" : "failed"];
        round.latencies_ms.push_back(ms);
      }
      std::error_code ec;
      fs::remove(tmp, ec);
    });
  }
  for (auto& t : threads) t.join();
  round.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return round;
}

void Print(const Round& r) {
  std::string results;
  for (const auto& [k, v] : r.results) results += " " + k + "=" + std::to_string(v);
  std::printf(
      "%-10s %7.2f s  %8.1f kiosks/s  %8.1f req/s  %9.2f MB served  %8.2f MB/s  per-kiosk p50 "
      "%.0f ms p95 %.0f ms |%s\n",
      r.name.c_str(), r.seconds, static_cast<double>(r.latencies_ms.size()) / r.seconds,
      static_cast<double>(r.requests) / r.seconds, static_cast<double>(r.bytes) / 1e6,
      static_cast<double>(r.bytes) / 1e6 / r.seconds, Percentile(r.latencies_ms, 0.5),
      Percentile(r.latencies_ms, 0.95), results.c_str());
}

}  // namespace

int main(int argc, char** argv) {
  int kiosks = 200, concurrency = 16;
  std::string hub_catalogue;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--kiosks") kiosks = std::max(1, std::atoi(argv[i + 1]));
    if (a == "--concurrency") concurrency = std::max(1, std::atoi(argv[i + 1]));
    if (a == "--hub-catalogue") hub_catalogue = argv[i + 1];
  }
  if (NginxBinary() == nullptr) {
    std::fprintf(stderr, "hub_load: nginx is not installed (apt-get install nginx-light)\n");
    return 1;
  }
  (void)CurlGlobalInit();
  TempDir dir("load");
  std::unique_ptr<catalogue::Catalogue> hub;
  if (hub_catalogue.empty()) {
    hub = MakeHubCatalogue(dir / "hub.db");
  } else {
    fs::copy_file(hub_catalogue, dir / "hub.db");
    hub = OpenCatalogue(dir / "hub.db");
  }
  if (!hub || !PutNewsFeed(*hub, 20, "load-1").ok()) {
    std::fprintf(stderr, "hub_load: cannot make the hub catalogue\n");
    return 1;
  }
  const KeyFiles key = MakeKey(dir.path(), "hub");
  bundle::HubOptions ho;
  ho.output_dir = dir / "www";
  ho.secret_key_file = key.secret_path;
  ho.name = "load-test hub";
  const auto b0 = std::chrono::steady_clock::now();
  auto built = bundle::BuildHub(*hub, ho, NowUnix());
  if (!built.ok()) {
    std::fprintf(stderr, "hub_load: %s\n", built.status().message().c_str());
    return 1;
  }
  std::printf("hub build: serial %lld, %lld records, full bundle %lld bytes, %.2f s\n",
              static_cast<long long>(built->serial), static_cast<long long>(built->records),
              static_cast<long long>(built->full_bytes),
              std::chrono::duration<double>(std::chrono::steady_clock::now() - b0).count());
  NginxServer nginx(dir / "www", dir / "nginx");
  if (!nginx.Start()) {
    std::fprintf(stderr, "hub_load: nginx did not start: %s\n",
                 ReadFile(dir / "nginx/error.log").c_str());
    return 1;
  }
  std::printf("%d kiosks, %d at a time, nginx on %s\n", kiosks, concurrency, nginx.Url().c_str());
  std::vector<Round> rounds;
  rounds.push_back(DownloadOnly(kiosks, concurrency, nginx.Url(), built->full_file, key.pub));
  Print(rounds.back());
  rounds.push_back(RunRound("first", kiosks, concurrency, dir.path(), nginx.Url(), key.pub));
  Print(rounds.back());
  rounds.push_back(RunRound("unchanged", kiosks, concurrency, dir.path(), nginx.Url(), key.pub));
  Print(rounds.back());
  if (!PutNewsFeed(*hub, 20, "load-2").ok()) return 1;
  auto built2 = bundle::BuildHub(*hub, ho, NowUnix());
  if (!built2.ok() || built2->deltas.empty()) {
    std::fprintf(stderr, "hub_load: second build: no delta\n");
    return 1;
  }
  std::printf("hub build 2: serial %lld, delta %lld bytes (full %lld)\n",
              static_cast<long long>(built2->serial),
              static_cast<long long>(built2->deltas[0].bytes),
              static_cast<long long>(built2->full_bytes));
  rounds.push_back(RunRound("delta", kiosks, concurrency, dir.path(), nginx.Url(), key.pub));
  Print(rounds.back());

  // Every kiosk: same verified serial and the hub's exact content.
  const std::string want = ContentDigest(*hub);
  int same = 0;
  std::map<std::string, int> digests;
  for (int i = 0; i < kiosks; ++i) {
    auto cat = OpenCatalogue(dir / ("kiosk" + std::to_string(i) + "/catalogue.db"));
    if (!cat) continue;
    const std::string d = ContentDigest(*cat);
    ++digests[bundle::Sha256Hex(d).substr(0, 16)];
    if (d == want && bundle::ReadInstalled(*cat).serial == built2->serial) ++same;
  }
  std::map<std::string, int> codes;
  for (const auto& line : nginx.AccessLines()) ++codes[line.substr(0, 3)];
  bool all_verified = true;
  for (const auto& r : rounds) {
    for (const auto& [k, v] : r.results)
      all_verified =
          all_verified && (k != "failed" && k != "error" && k != "refused" && k != "offline");
  }
  std::string code_list;
  for (const auto& [c, n] : codes) code_list += " " + c + "x" + std::to_string(n);
  std::printf("nginx answered:%s\n", code_list.c_str());
  std::printf("%d of %d kiosks hold serial %lld with the hub's content (digest %s); %zu distinct\n",
              same, kiosks, static_cast<long long>(built2->serial),
              bundle::Sha256Hex(want).substr(0, 16).c_str(), digests.size());
  return same == kiosks && all_verified ? 0 : 1;
}
