// Hub mode end to end: a real nginx (Debian's nginx-light) on 127.0.0.1
// serves a hub's output folder to several kiosk catalogues pulling over
// libcurl, through one scenario in order: first sync (one kiosk listing a
// dead mirror first), an unchanged sync (304s only), a delta, a key
// rotation, a rollback attempt, an expired bundle, a tampered byte, a
// truncated file, and the hub killed mid-download. After every refusal or
// failure each kiosk still holds exactly the content it had.
#include <gtest/gtest.h>

#include <atomic>
#include <map>

#include "bundle/client.h"
#include "common/clock.h"
#include "hub_test_support.h"
#include "net/http_client.h"

namespace signpost::sync::testing {
namespace {

using bundle::ApplyResult;

struct Kiosk {
  std::string name;
  std::unique_ptr<catalogue::Catalogue> cat;
  bundle::PullOptions options;
};

class HubE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (NginxBinary() == nullptr) GTEST_SKIP() << "nginx is not installed (nginx-light)";
    ASSERT_TRUE(CurlGlobalInit().ok());
    hub_ = MakeHubCatalogue(dir_ / "hub.db");
    ASSERT_NE(hub_, nullptr);
    ASSERT_TRUE(PutNewsFeed(*hub_, 5, "first").ok());
    key_a_ = MakeKey(dir_.path(), "hub-a");
    key_b_ = MakeKey(dir_.path(), "hub-b");
    hub_options_.output_dir = dir_ / "www";
    hub_options_.secret_key_file = key_a_.secret_path;
    hub_options_.name = "E2E hub";
    nginx_ = std::make_unique<NginxServer>(dir_ / "www", dir_ / "nginx", 64 * 1024);
    fs::create_directories(dir_ / "www");
    ASSERT_TRUE(nginx_->Start()) << ReadFile(dir_ / "nginx/error.log");
    for (int i = 0; i < 3; ++i) {
      Kiosk k;
      k.name = "kiosk" + std::to_string(i);
      fs::create_directories(dir_ / k.name);
      k.cat = OpenCatalogue(dir_ / (k.name + "/catalogue.db"));
      ASSERT_NE(k.cat, nullptr);
      // Kiosk 0 lists a mirror that is down first: it must fall over to nginx.
      if (i == 0)
        k.options.hub_urls.push_back("http://127.0.0.1:" + std::to_string(FreePort()) + "/");
      k.options.hub_urls.push_back(nginx_->Url());
      k.options.trusted = {key_a_.pub, key_b_.pub};
      k.options.download_dir = dir_ / (k.name + "/downloads");
      k.options.state_file = dir_ / (k.name + "/bundle-state.json");
      k.options.retry.max_attempts = 2;
      k.options.seed = 7;
      kiosks_.push_back(std::move(k));
    }
  }

  bundle::HubBuildReport Build(UnixTime now) {
    auto r = bundle::BuildHub(*hub_, hub_options_, now);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? r.value() : bundle::HubBuildReport{};
  }

  ApplyResult Pull(Kiosk& k) {
    HttpOptions http;
    http.max_body_bytes = 1LL << 30;
    http.low_speed_time_s = 5;
    auto t = MakeCurlTransport(http);
    EXPECT_TRUE(t.ok());
    FakeClock clock(NowUnix());  // real time; retries do not really sleep
    return bundle::PullFromHubs(*k.cat, t.value().get(), &clock, k.options);
  }

  std::size_t LogMark() const { return nginx_->AccessLines().size(); }
  std::vector<std::string> LogSince(std::size_t mark) const {
    auto lines = nginx_->AccessLines();
    return std::vector<std::string>(lines.begin() + static_cast<long>(std::min(mark, lines.size())),
                                    lines.end());
  }
  // Every kiosk still holds exactly what it held.
  void ExpectAllUnchanged(const std::vector<std::string>& digests, std::int64_t serial) {
    for (std::size_t i = 0; i < kiosks_.size(); ++i) {
      EXPECT_EQ(ContentDigest(*kiosks_[i].cat), digests[i]) << kiosks_[i].name;
      EXPECT_EQ(bundle::ReadInstalled(*kiosks_[i].cat).serial, serial) << kiosks_[i].name;
    }
  }
  std::vector<std::string> Digests() {
    std::vector<std::string> d;
    for (auto& k : kiosks_) d.push_back(ContentDigest(*k.cat));
    return d;
  }
  // Leaves only the full bundle in latest.json (drops the deltas).
  void DropDeltasFromPointer() {
    const std::string p = dir_ / "www/latest.json";
    auto j = nlohmann::json::parse(ReadFile(p));
    j["deltas"] = nlohmann::json::array();
    ASSERT_TRUE(bundle::WriteFileAtomic(p, j.dump()).ok());
  }

  TempDir dir_{"e2e"};
  std::unique_ptr<catalogue::Catalogue> hub_;
  KeyFiles key_a_, key_b_;
  bundle::HubOptions hub_options_;
  std::unique_ptr<NginxServer> nginx_;
  std::vector<Kiosk> kiosks_;
};

TEST_F(HubE2eTest, KiosksFollowAHubThroughEveryKindOfUpdateAndAttack) {
  const UnixTime t0 = NowUnix();
  // 1. First sync: every kiosk gets the full bundle and the hub's exact content.
  const auto s1 = Build(t0);
  ASSERT_EQ(s1.serial, 1);
  std::size_t mark = LogMark();
  for (auto& k : kiosks_) {
    const ApplyResult r = Pull(k);
    ASSERT_EQ(r.result, "ok") << k.name << ": " << r.status.message();
    EXPECT_EQ(r.serial_after, 1);
    EXPECT_EQ(ContentDigest(*k.cat), ContentDigest(*hub_)) << k.name;
  }
  int full_downloads = 0;
  for (const auto& l : LogSince(mark)) {
    full_downloads += l.starts_with("200 /bundles/signpost-000001.bundle ");
  }
  EXPECT_EQ(full_downloads, 3);

  // 2. Unchanged: one conditional request per kiosk, answered 304, nothing else.
  mark = LogMark();
  for (auto& k : kiosks_) {
    const ApplyResult r = Pull(k);
    EXPECT_EQ(r.result, "unchanged") << k.name << ": " << r.status.message();
    EXPECT_EQ(r.bytes_downloaded, 0);
  }
  auto lines = LogSince(mark);
  ASSERT_EQ(lines.size(), 3u);
  for (const auto& l : lines) EXPECT_TRUE(l.starts_with("304 /latest.json ")) << l;

  // 3. A delta: one feed changes; kiosks download only the delta.
  ASSERT_TRUE(PutNewsFeed(*hub_, 9, "second").ok());
  const auto s2 = Build(t0 + 60);
  ASSERT_EQ(s2.deltas.size(), 1u);
  mark = LogMark();
  for (auto& k : kiosks_) {
    const ApplyResult r = Pull(k);
    ASSERT_EQ(r.result, "ok") << k.name << ": " << r.status.message();
    EXPECT_EQ(r.imported, std::vector<std::string>{"news"});
    EXPECT_LT(r.bytes_downloaded, s2.full_bytes / 5);
    EXPECT_EQ(ContentDigest(*k.cat), ContentDigest(*hub_)) << k.name;
  }
  for (const auto& l : LogSince(mark)) {
    EXPECT_EQ(l.find("/bundles/signpost-000002.bundle "), std::string::npos)
        << "full fetched: " << l;
  }

  // 4. Key rotation: the hub signs with key B, which kiosks 0-1 already trust
  //    (kiosk 2 retired nothing yet either); then kiosk 2 is told to trust
  //    only the old key A and refuses.
  hub_options_.secret_key_file = key_b_.secret_path;
  ASSERT_TRUE(PutNewsFeed(*hub_, 9, "third").ok());
  kiosks_[2].options.trusted = {key_a_.pub};
  const std::string k2_before = ContentDigest(*kiosks_[2].cat);
  Build(t0 + 120);
  for (std::size_t i = 0; i < 2; ++i) {
    const ApplyResult r = Pull(kiosks_[i]);
    ASSERT_EQ(r.result, "ok") << r.status.message();
    EXPECT_EQ(bundle::ReadInstalled(*kiosks_[i].cat).key_id, key_b_.pub.IdHex());
  }
  ApplyResult r2 = Pull(kiosks_[2]);
  EXPECT_EQ(r2.result, "refused");
  EXPECT_EQ(r2.reason, "unknown_key") << r2.status.message();
  EXPECT_EQ(ContentDigest(*kiosks_[2].cat), k2_before);
  kiosks_[2].options.trusted = {key_b_.pub};  // the technician adds the new key
  r2 = Pull(kiosks_[2]);
  ASSERT_EQ(r2.result, "ok") << r2.status.message();
  ASSERT_EQ(ContentDigest(*kiosks_[2].cat), ContentDigest(*hub_));
  std::vector<std::string> good = Digests();

  // 5. Rollback: the folder is replaced by an old copy announcing serial 1.
  const std::string www = dir_ / "www", saved = dir_ / "www-serial3";
  fs::copy(www, saved, fs::copy_options::recursive);
  {
    TempDir old_hub("oldhub");
    auto old = MakeHubCatalogue(old_hub / "hub.db");
    ASSERT_NE(old, nullptr);
    bundle::HubOptions o = hub_options_;
    o.output_dir = old_hub / "www";
    ASSERT_TRUE(bundle::BuildHub(*old, o, t0).ok());
    fs::remove_all(www);
    fs::copy(old_hub / "www", www, fs::copy_options::recursive);
  }
  for (auto& k : kiosks_) {
    const ApplyResult r = Pull(k);
    EXPECT_EQ(r.result, "refused") << k.name;
    EXPECT_EQ(r.reason, "rollback") << r.status.message();
  }
  ExpectAllUnchanged(good, 3);
  fs::remove_all(www);
  fs::copy(saved, www, fs::copy_options::recursive);

  // 6. Expired: a newer serial, but built (or replayed) past its valid-until.
  hub_options_.valid_days = 2;
  ASSERT_TRUE(PutNewsFeed(*hub_, 9, "stale").ok());
  Build(t0 - 3 * 86400);
  for (auto& k : kiosks_) {
    const ApplyResult r = Pull(k);
    EXPECT_EQ(r.result, "refused") << k.name;
    EXPECT_EQ(r.reason, "expired") << r.status.message();
  }
  ExpectAllUnchanged(good, 3);
  hub_options_.valid_days = 14;

  // 7. A tampered byte in the published bundle (deltas withdrawn so the full one is fetched).
  ASSERT_TRUE(PutNewsFeed(*hub_, 9, "fifth").ok());
  const auto s5 = Build(t0 + 240);
  DropDeltasFromPointer();
  const std::string full5 = dir_ / ("www/" + s5.full_file);
  const std::string pristine5 = ReadFile(full5);
  std::string bytes = pristine5;
  bytes[bytes.size() / 3] ^= 0x01;
  WriteFile(full5, bytes);
  for (auto& k : kiosks_) {
    const ApplyResult r = Pull(k);
    EXPECT_EQ(r.result, "refused") << k.name;
    EXPECT_EQ(r.reason, "bad_signature") << r.status.message();
  }
  ExpectAllUnchanged(good, 3);

  // 8. A truncated file on the server.
  WriteFile(full5, pristine5.substr(0, pristine5.size() / 2));
  for (auto& k : kiosks_) {
    const ApplyResult r = Pull(k);
    EXPECT_EQ(r.result, "refused") << k.name;
    EXPECT_EQ(r.reason, "truncated") << r.status.message();
  }
  ExpectAllUnchanged(good, 3);

  // 9. The hub dies mid-download: a large bundle served at 64 kB/s, nginx
  //    SIGKILLed about a second in. The kiosk keeps its catalogue, leaves no
  //    download behind, and completes once the hub is back.
  ASSERT_TRUE(PutNewsFeed(*hub_, 40, "big", 20000, 99).ok());  // ~800 kB incompressible
  const auto s6 = Build(t0 + 300);
  ASSERT_GT(s6.full_bytes, 400000);
  DropDeltasFromPointer();
  std::atomic<bool> done{false};
  ApplyResult mid;
  std::thread puller([&] {
    mid = Pull(kiosks_[1]);
    done = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(1200));
  EXPECT_FALSE(done.load()) << "the download finished before the hub was killed";
  nginx_->Kill();
  puller.join();
  EXPECT_NE(mid.result, "ok");
  EXPECT_FALSE(mid.ok()) << mid.status.message();
  EXPECT_EQ(ContentDigest(*kiosks_[1].cat), good[1]);
  EXPECT_EQ(bundle::ReadInstalled(*kiosks_[1].cat).serial, 3);
  for (const auto& e : fs::directory_iterator(kiosks_[1].options.download_dir)) {
    ADD_FAILURE() << "left behind: " << e.path();
  }
  ASSERT_TRUE(nginx_->Start()) << ReadFile(dir_ / "nginx/error.log");
  const ApplyResult again = Pull(kiosks_[1]);
  ASSERT_EQ(again.result, "ok") << again.status.message();
  EXPECT_EQ(ContentDigest(*kiosks_[1].cat), ContentDigest(*hub_));
  EXPECT_TRUE(kiosks_[1].cat->IntegrityCheck().ok());
}

}  // namespace
}  // namespace signpost::sync::testing
