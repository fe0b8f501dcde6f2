// Issue 16: a kiosk must import exactly the bytes whose signature it
// checked. A USB stick (or a download folder) is someone else's: the file
// can be swapped between the check and the import, be a symbolic link, a
// FIFO that never answers, or a huge sparse file. Each test here fails
// when the one-open, one-read rule in bundle/client.cpp is taken away.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

#include "bundle/client.h"
#include "hub_test_support.h"

namespace signpost::sync::testing {
namespace {

using bundle::ApplyResult;
using bundle::BuildHub;
using bundle::HubOptions;
using bundle::ImportBundleFile;

class BundleSecurityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    good_hub_ = MakeHubCatalogue(dir_ / "good-hub.db");
    evil_hub_ = MakeHubCatalogue(dir_ / "evil-hub.db");
    ASSERT_NE(good_hub_, nullptr);
    ASSERT_NE(evil_hub_, nullptr);
    ASSERT_TRUE(PutNewsFeed(*good_hub_, 5, "genuine").ok());
    ASSERT_TRUE(PutNewsFeed(*evil_hub_, 5, "FORGED").ok());
    key_ = MakeKey(dir_.path(), "trusted");
    evil_key_ = MakeKey(dir_.path(), "attacker");
    good_ = Publish(*good_hub_, key_, "good");
    // The attacker's bundle claims the trusted key in its manifest (the
    // manifest is the attacker's to write): only the signature can tell.
    const std::string evil_built = Publish(*evil_hub_, evil_key_, "evil");
    std::string bytes = ReadFile(evil_built);
    const std::string theirs = evil_key_.pub.IdHex(), ours = key_.pub.IdHex();
    ASSERT_EQ(theirs.size(), ours.size());
    const auto at = bytes.find(theirs);
    ASSERT_NE(at, std::string::npos);
    bytes.replace(at, theirs.size(), ours);
    evil_ = dir_ / "evil.bundle";
    WriteFile(evil_, bytes);
    kiosk_ = OpenCatalogue(dir_ / "kiosk.db");
    ASSERT_NE(kiosk_, nullptr);
    good_digest_ = ContentDigest(*good_hub_);
    evil_digest_ = ContentDigest(*evil_hub_);
    ASSERT_NE(good_digest_, evil_digest_);
  }
  void TearDown() override { bundle::SetAfterVerifyHookForTesting(nullptr); }

  std::string Publish(catalogue::Catalogue& hub, const KeyFiles& key, const std::string& name) {
    HubOptions o;
    o.output_dir = dir_ / ("out-" + name);
    o.secret_key_file = key.secret_path;
    o.name = name;
    auto r = BuildHub(hub, o, NowUnix());
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? (fs::path(o.output_dir) / r->full_file).string() : "";
  }
  // The genuine bundle and its genuine signature, on "the stick".
  std::string OnStick() {
    const std::string to = dir_ / "stick.bundle";
    fs::copy_file(good_, to, fs::copy_options::overwrite_existing);
    fs::copy_file(good_ + ".minisig", to + ".minisig", fs::copy_options::overwrite_existing);
    return to;
  }

  TempDir dir_{"bundle-security"};
  std::unique_ptr<catalogue::Catalogue> good_hub_, evil_hub_, kiosk_;
  KeyFiles key_, evil_key_;
  std::string good_, evil_, good_digest_, evil_digest_;
};

TEST_F(BundleSecurityTest, ABundleSwappedRightAfterItsSignatureWasCheckedImportsWhatWasChecked) {
  const std::string stick = OnStick();
  bool swapped = false;
  bundle::SetAfterVerifyHookForTesting([&](const std::string& path) {
    // The attacker's moment: the genuine file has been checked.
    swapped = rename(evil_.c_str(), path.c_str()) == 0;
  });
  const ApplyResult r = ImportBundleFile(*kiosk_, stick, {key_.pub}, NowUnix());
  ASSERT_TRUE(swapped);
  ASSERT_EQ(r.result, "ok") << r.status.ToString();
  EXPECT_EQ(ContentDigest(*kiosk_), good_digest_) << "the kiosk imported bytes it never verified";
  EXPECT_NE(ContentDigest(*kiosk_), evil_digest_);
}

TEST_F(BundleSecurityTest, AFileSwappedBackAndForthDuringThirtyImportsNeverImportsTheForgedOne) {
  // The review's attack, as it was tried: 30 imports while another process
  // keeps renaming the forged bundle over the genuine one and back.
  const std::string stick = OnStick();
  const std::string genuine_copy = dir_ / "genuine-copy.bundle";
  fs::copy_file(good_, genuine_copy);
  std::atomic<bool> stop{false};
  std::thread swapper([&] {
    const std::string a = dir_ / "swap-a", b = dir_ / "swap-b";
    for (int i = 0; i < 2'000'000 && !stop; ++i) {
      // Hard links, so each rename puts a whole file in place atomically.
      fs::remove(a);
      fs::remove(b);
      if (link((i % 2 ? genuine_copy : evil_).c_str(), a.c_str()) != 0) break;
      rename(a.c_str(), stick.c_str());
      std::this_thread::yield();
    }
  });
  int imported = 0;
  for (int attempt = 0; attempt < 30; ++attempt) {
    auto fresh = OpenCatalogue(dir_ / ("kiosk-" + std::to_string(attempt) + ".db"));
    ASSERT_NE(fresh, nullptr);
    const ApplyResult r = ImportBundleFile(*fresh, stick, {key_.pub}, NowUnix());
    if (r.result != "ok") continue;  // refused: the forged file was read, and caught
    ++imported;
    ASSERT_EQ(ContentDigest(*fresh), good_digest_)
        << "attempt " << attempt << " imported a bundle the trusted key never signed";
  }
  stop = true;
  swapper.join();
  EXPECT_GT(imported, 0) << "the genuine bundle was never imported: the test proved nothing";
}

TEST_F(BundleSecurityTest, ABundleThatIsASymbolicLinkIsNotFollowed) {
  const std::string link_path = dir_ / "link.bundle";
  ASSERT_EQ(symlink(good_.c_str(), link_path.c_str()), 0);
  fs::copy_file(good_ + ".minisig", link_path + ".minisig");
  const ApplyResult r = ImportBundleFile(*kiosk_, link_path, {key_.pub}, NowUnix());
  EXPECT_EQ(r.result, "failed");
  EXPECT_NE(r.status.message().find("symbolic link"), std::string::npos) << r.status.message();
  EXPECT_EQ(bundle::ReadInstalled(*kiosk_).serial, 0);
}

// Runs `f` on another thread; if it has not returned in 10 s, `unstick`
// runs (so a stuck read ends) and the test fails.
template <typename F>
auto WithinTenSeconds(F f, const std::function<void()>& unstick) {
  auto fut = std::async(std::launch::async, f);
  if (fut.wait_for(std::chrono::seconds(10)) != std::future_status::ready) {
    ADD_FAILURE() << "still waiting after 10 s: the read blocked";
    unstick();
  }
  return fut.get();
}

TEST_F(BundleSecurityTest, AFifoOnTheStickNeitherStallsTheListingNorTheImport) {
  const std::string stick = dir_ / "stick";
  fs::create_directories(stick);
  const std::string fifo = stick + "/signpost-000009.bundle";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  WriteFile(fifo + ".minisig", ReadFile(good_ + ".minisig"));
  auto unstick = [&] {  // a writer that says nothing and goes: readers see EOF
    const int fd = open(fifo.c_str(), O_WRONLY | O_NONBLOCK);
    if (fd >= 0) close(fd);
  };
  const auto found = WithinTenSeconds([&] { return bundle::FindBundlesIn(stick); }, unstick);
  EXPECT_TRUE(found.empty());
  const ApplyResult r = WithinTenSeconds(
      [&] { return ImportBundleFile(*kiosk_, fifo, {key_.pub}, NowUnix()); }, unstick);
  EXPECT_EQ(r.result, "failed");
  EXPECT_NE(r.status.message().find("not a regular file"), std::string::npos) << r.status.message();
}

TEST_F(BundleSecurityTest, AHugeSparseFileIsRefusedBySizeWithoutBeingRead) {
  const std::string huge = dir_ / "signpost-000010.bundle";
  { std::ofstream(huge) << "SIGNPOST-BUNDLE 1\n"; }
  fs::resize_file(huge, 64ull << 30);  // 64 GiB of holes: reading it would take minutes
  WriteFile(huge + ".minisig", ReadFile(good_ + ".minisig"));
  const auto t0 = std::chrono::steady_clock::now();
  const ApplyResult r = ImportBundleFile(*kiosk_, huge, {key_.pub}, NowUnix());
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_EQ(r.result, "failed");
  EXPECT_NE(r.status.message().find("too big"), std::string::npos) << r.status.message();
  EXPECT_LT(s, 5.0);
  EXPECT_TRUE(bundle::FindBundlesIn(dir_.path()).empty());
}

TEST_F(BundleSecurityTest, ReplacingTheCatalogueDoesNotResetTheRollbackGuard) {
  // Serial 1, then serial 2 from the same hub.
  HubOptions o;
  o.output_dir = dir_ / "out-rollback";
  o.secret_key_file = key_.secret_path;
  auto first = BuildHub(*good_hub_, o, NowUnix());
  ASSERT_TRUE(first.ok());
  const std::string old_bundle = dir_ / "old.bundle";
  fs::copy_file(fs::path(o.output_dir) / first->full_file, old_bundle);
  fs::copy_file(fs::path(o.output_dir) / (first->full_file + ".minisig"), old_bundle + ".minisig");
  ASSERT_TRUE(PutNewsFeed(*good_hub_, 5, "newer").ok());
  auto second = BuildHub(*good_hub_, o, NowUnix());
  ASSERT_TRUE(second.ok());
  ASSERT_GT(second->serial, first->serial);
  ASSERT_EQ(
      ImportBundleFile(*kiosk_, fs::path(o.output_dir) / second->full_file, {key_.pub}, NowUnix())
          .result,
      "ok");
  // Someone swaps the catalogue for a fresh one (or an old backup): the
  // serial it held is gone with it.
  kiosk_.reset();
  fs::remove(dir_ / "kiosk.db");
  fs::remove(dir_ / "kiosk.db-wal");
  fs::remove(dir_ / "kiosk.db-shm");
  kiosk_ = OpenCatalogue(dir_ / "kiosk.db");
  ASSERT_EQ(bundle::ReadInstalled(*kiosk_).serial, 0);
  const ApplyResult r = ImportBundleFile(*kiosk_, old_bundle, {key_.pub}, NowUnix());
  EXPECT_EQ(r.result, "refused");
  EXPECT_EQ(r.reason, "rollback") << r.status.message();
  EXPECT_EQ(bundle::ReadTrustState(bundle::TrustStatePath(dir_ / "kiosk.db")).serial,
            second->serial);
  // The newest bundle still applies to the fresh catalogue.
  EXPECT_EQ(
      ImportBundleFile(*kiosk_, fs::path(o.output_dir) / second->full_file, {key_.pub}, NowUnix())
          .result,
      "ok");
}

}  // namespace
}  // namespace signpost::sync::testing
