// Hub bundles without HTTP: the export/import round trip, every refusal a
// kiosk makes (each leaving its catalogue untouched), deltas, key
// rotation, the hub's output folder, and minisign interoperability with
// Debian's minisign CLI.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <sodium.h>
#include <sqlite3.h>

#include <cstdlib>

#include "bundle/client.h"
#include "config/config.h"
#include "hub_test_support.h"

namespace signpost::sync::testing {
namespace {

using bundle::ApplyResult;
using bundle::BuildHub;
using bundle::HubOptions;
using bundle::ImportBundleFile;

class BundleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    hub_ = MakeHubCatalogue(dir_ / "hub.db");
    ASSERT_NE(hub_, nullptr);
    ASSERT_TRUE(PutNewsFeed(*hub_, 5, "first").ok());
    key_ = MakeKey(dir_.path(), "hub-a");
    ASSERT_TRUE(fs::exists(key_.secret_path));
    options_.output_dir = dir_ / "out";
    options_.secret_key_file = key_.secret_path;
    options_.name = "Test hub";
    kiosk_ = OpenCatalogue(dir_ / "kiosk.db");
    ASSERT_NE(kiosk_, nullptr);
    empty_digest_ = ContentDigest(*kiosk_);
    ASSERT_FALSE(empty_digest_.starts_with("error"));
  }

  bundle::HubBuildReport Build(UnixTime now = NowUnix()) {
    auto r = BuildHub(*hub_, options_, now);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? r.value() : bundle::HubBuildReport{};
  }
  std::string Out(const std::string& rel) const {
    return (fs::path(options_.output_dir) / rel).string();
  }
  ApplyResult Import(const std::string& rel, std::vector<bundle::PublicKey> keys = {}) {
    if (keys.empty()) keys = {key_.pub};
    return ImportBundleFile(*kiosk_, Out(rel), keys, NowUnix());
  }
  // Copies a published bundle (and signature) so a test can damage the copy.
  std::string CopyOf(const std::string& rel) {
    const std::string to = dir_ / fs::path(rel).filename().string();
    fs::copy_file(Out(rel), to, fs::copy_options::overwrite_existing);
    fs::copy_file(Out(rel) + ".minisig", to + ".minisig", fs::copy_options::overwrite_existing);
    return to;
  }
  void ExpectKioskUnchanged(const std::string& digest_before, std::int64_t serial_before) {
    EXPECT_EQ(ContentDigest(*kiosk_), digest_before);
    EXPECT_EQ(bundle::ReadInstalled(*kiosk_).serial, serial_before);
  }

  TempDir dir_{"bundle"};
  std::unique_ptr<catalogue::Catalogue> hub_, kiosk_;
  KeyFiles key_;
  HubOptions options_;
  std::string empty_digest_;  // the kiosk's content before any bundle
};

TEST_F(BundleTest, AFullBundleRebuildsTheHubsContentExactlyOnAnEmptyKiosk) {
  const auto built = Build();
  ASSERT_TRUE(built.published);
  EXPECT_EQ(built.serial, 1);
  const ApplyResult r = Import(built.full_file);
  ASSERT_EQ(r.result, "ok") << r.status.ToString();
  EXPECT_EQ(r.serial_after, 1);
  EXPECT_EQ(ContentDigest(*kiosk_), ContentDigest(*hub_));
  auto hs = hub_->Stats(), ks = kiosk_->Stats();
  ASSERT_TRUE(hs.ok() && ks.ok());
  EXPECT_EQ(ks->opportunities, hs->opportunities);
  EXPECT_EQ(ks->providers, hs->providers);
  EXPECT_EQ(ks->careers, hs->careers);
  EXPECT_EQ(ks->events, hs->events);
  EXPECT_EQ(ks->local_items, hs->local_items);
  EXPECT_EQ(ks->postcodes, hs->postcodes);
  EXPECT_GT(ks->opportunities, 100);
  EXPECT_TRUE(kiosk_->IntegrityCheck().ok());
  // Applying the same bundle again changes nothing.
  EXPECT_EQ(Import(built.full_file).result, "unchanged");
}

TEST_F(BundleTest, AFlippedByteIsRefusedAndTheCatalogueKeptAsItWas) {
  const auto first = Build();
  ASSERT_EQ(Import(first.full_file).result, "ok");
  ASSERT_TRUE(PutNewsFeed(*hub_, 5, "second").ok());
  const auto second = Build();
  const std::string before = ContentDigest(*kiosk_);
  for (const std::int64_t at : {std::int64_t{3}, second.full_bytes / 2, second.full_bytes - 1}) {
    const std::string copy = CopyOf(second.full_file);
    std::string bytes = ReadFile(copy);
    bytes[static_cast<std::size_t>(at)] ^= 0x20;
    WriteFile(copy, bytes);
    const ApplyResult r = ImportBundleFile(*kiosk_, copy, {key_.pub}, NowUnix());
    EXPECT_EQ(r.result, "refused") << "byte " << at;
    EXPECT_EQ(r.reason, "bad_signature") << "byte " << at << ": " << r.status.message();
    EXPECT_NE(r.status.message().find("does not match its signature"), std::string::npos)
        << r.status.message();
    ExpectKioskUnchanged(before, 1);
  }
}

TEST_F(BundleTest, ATruncatedBundleIsRefusedAsTruncated) {
  const auto built = Build();
  const std::string copy = CopyOf(built.full_file);
  fs::resize_file(copy, static_cast<std::uintmax_t>(built.full_bytes * 2 / 3));
  const ApplyResult r = ImportBundleFile(*kiosk_, copy, {key_.pub}, NowUnix());
  EXPECT_EQ(r.result, "refused");
  EXPECT_EQ(r.reason, "truncated") << r.status.message();
  EXPECT_NE(r.status.message().find("truncated"), std::string::npos);
  ExpectKioskUnchanged(empty_digest_, 0);
}

TEST_F(BundleTest, AKeyTheKioskDoesNotTrustIsRefusedNamingBothKeys) {
  const auto built = Build();
  const KeyFiles other = MakeKey(dir_.path(), "other");
  const ApplyResult r = Import(built.full_file, {other.pub});
  EXPECT_EQ(r.result, "refused");
  EXPECT_EQ(r.reason, "unknown_key");
  EXPECT_NE(r.status.message().find(key_.pub.IdHex()), std::string::npos) << r.status.message();
  EXPECT_NE(r.status.message().find(other.pub.IdHex()), std::string::npos) << r.status.message();
  ExpectKioskUnchanged(empty_digest_, 0);
}

TEST_F(BundleTest, ABundleWithoutItsSignatureFileIsRefused) {
  const auto built = Build();
  const std::string copy = CopyOf(built.full_file);
  fs::remove(copy + ".minisig");
  ApplyResult r = ImportBundleFile(*kiosk_, copy, {key_.pub}, NowUnix());
  EXPECT_EQ(r.reason, "no_signature") << r.status.message();
  WriteFile(copy + ".minisig", "untrusted comment: x\nnot base64 at all\n");
  r = ImportBundleFile(*kiosk_, copy, {key_.pub}, NowUnix());
  EXPECT_EQ(r.reason, "no_signature") << r.status.message();
  ExpectKioskUnchanged(empty_digest_, 0);
}

TEST_F(BundleTest, AnOlderSerialIsRefusedAsARollback) {
  const auto first = Build();
  const std::string old_copy = CopyOf(first.full_file);
  ASSERT_TRUE(PutNewsFeed(*hub_, 5, "second").ok());
  const auto second = Build();
  ASSERT_EQ(Import(second.full_file).result, "ok");
  const std::string before = ContentDigest(*kiosk_);
  const ApplyResult r = ImportBundleFile(*kiosk_, old_copy, {key_.pub}, NowUnix());
  EXPECT_EQ(r.result, "refused");
  EXPECT_EQ(r.reason, "rollback") << r.status.message();
  ExpectKioskUnchanged(before, 2);
}

TEST_F(BundleTest, ABundlePastItsValidUntilIsRefused) {
  options_.valid_days = 3;
  const auto built = Build(NowUnix() - 4 * 86400);
  const ApplyResult r = Import(built.full_file);
  EXPECT_EQ(r.result, "refused");
  EXPECT_EQ(r.reason, "expired") << r.status.message();
  EXPECT_NE(r.status.message().find("expired at"), std::string::npos);
  ExpectKioskUnchanged(empty_digest_, 0);
}

TEST_F(BundleTest, ADeltaCarriesOnlyTheChangedFeedAndLandsOnTheSameContent) {
  const auto first = Build();
  ASSERT_EQ(Import(first.full_file).result, "ok");
  ASSERT_TRUE(PutNewsFeed(*hub_, 7, "second").ok());
  const auto second = Build();
  ASSERT_EQ(second.changed_feeds, std::vector<std::string>{"news"});
  ASSERT_EQ(second.deltas.size(), 1u);
  EXPECT_EQ(second.deltas[0].from, 1);
  EXPECT_LT(second.deltas[0].bytes * 10, second.full_bytes);  // most of the transfer saved
  auto delta = bundle::OpenBundle(Out(second.deltas[0].file));
  ASSERT_TRUE(delta.ok());
  for (const auto& f : delta->manifest.feeds) EXPECT_EQ(f.included, f.name == "news") << f.name;
  const ApplyResult r = Import(second.deltas[0].file);
  ASSERT_EQ(r.result, "ok") << r.status.message();
  EXPECT_EQ(r.imported, std::vector<std::string>{"news"});
  EXPECT_EQ(ContentDigest(*kiosk_), ContentDigest(*hub_));
  EXPECT_EQ(bundle::ReadInstalled(*kiosk_).serial, 2);
}

TEST_F(BundleTest, ADeltaForAnotherBaseAsksForTheFullBundle) {
  const auto first = Build();
  ASSERT_TRUE(PutNewsFeed(*hub_, 7, "second").ok());
  const auto second = Build();
  ASSERT_EQ(second.deltas.size(), 1u);
  // This kiosk has nothing yet: a delta from 1 cannot apply.
  const ApplyResult r = Import(second.deltas[0].file);
  EXPECT_EQ(r.result, "refused");
  EXPECT_EQ(r.reason, "needs_full");
  ExpectKioskUnchanged(empty_digest_, 0);
  EXPECT_EQ(Import(second.full_file).result, "ok");
  EXPECT_EQ(ContentDigest(*kiosk_), ContentDigest(*hub_));
}

TEST_F(BundleTest, KeyRotationANewKeyIsAcceptedOnceTrustedAndTheOldOneCanBeRetired) {
  const auto first = Build();
  const KeyFiles next = MakeKey(dir_.path(), "hub-b");
  // Step 1: kiosks are given both keys. Step 2: the hub switches key.
  ASSERT_EQ(Import(first.full_file, {key_.pub, next.pub}).result, "ok");
  options_.secret_key_file = next.secret_path;
  ASSERT_TRUE(PutNewsFeed(*hub_, 5, "rotated").ok());
  const auto second = Build();
  ApplyResult r = Import(second.full_file, {next.pub});  // old key retired on this kiosk
  ASSERT_EQ(r.result, "ok") << r.status.message();
  EXPECT_EQ(bundle::ReadInstalled(*kiosk_).key_id, next.pub.IdHex());
  // A kiosk that still trusts only the old key refuses the new bundles.
  auto other = OpenCatalogue(dir_ / "kiosk-old.db");
  r = ImportBundleFile(*other, Out(second.full_file), {key_.pub}, NowUnix());
  EXPECT_EQ(r.reason, "unknown_key") << r.status.message();
}

TEST_F(BundleTest, AFeedTheHubDropsIsRemovedButTheKiosksOwnFeedsStay) {
  ASSERT_EQ(Import(Build().full_file).result, "ok");
  {  // The kiosk's own local feed, not from the hub.
    auto imp = kiosk_->BeginImport("school-local");
    ASSERT_TRUE(imp.ok());
    catalogue::LocalItem l;
    l.source_id = "dropin";
    l.title = "Adviser drop-in, Tuesdays";
    ASSERT_TRUE(imp.value()->AddLocalItem(l).ok());
    ASSERT_TRUE(imp.value()->Commit().ok());
  }
  ASSERT_TRUE(hub_->RemoveFeed("news").ok());
  const ApplyResult r = Import(Build().full_file);
  ASSERT_EQ(r.result, "ok") << r.status.message();
  EXPECT_EQ(r.removed, std::vector<std::string>{"news"});
  auto feeds = catalogue::ListFeeds(*kiosk_);
  ASSERT_TRUE(feeds.ok());
  EXPECT_EQ(std::count(feeds->begin(), feeds->end(), "news"), 0);
  EXPECT_EQ(std::count(feeds->begin(), feeds->end(), "school-local"), 1);
}

// Feed "m" owns two providers but lists courses at only one; feeds "b" and
// "z" list courses at the other without publishing it. A kiosk must end with
// the same providers, owned by the same feed, whatever order it imports in,
// and keep them right through deltas that change only one feed.
Status PutCourses(catalogue::Catalogue& cat, const std::string& feed,
                  const std::vector<std::string>& own_providers,
                  const std::vector<std::string>& course_providers, const std::string& tag) {
  auto imp = cat.BeginImport(feed);
  if (!imp.ok()) return imp.status();
  for (const auto& id : own_providers) {
    catalogue::Provider p;
    p.id = id;
    p.name = "Provider " + id + " " + tag;
    if (Status st = imp.value()->AddProvider(p); !st.ok()) return st;
  }
  int n = 0;
  for (const auto& id : course_providers) {
    catalogue::Opportunity o;
    o.source_id = feed + "-" + std::to_string(n++);
    o.title = "Course at " + id + " " + tag;
    o.provider_id = id;
    if (Status st = imp.value()->AddOpportunity(o); !st.ok()) return st;
  }
  auto r = imp.value()->Commit();
  return r.ok() ? Status::Ok() : r.status();
}

std::string OwnerOf(catalogue::Catalogue& cat, const std::string& id) {
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(cat.handle(), "SELECT feed FROM provider WHERE id = ?", -1, &s, nullptr);
  sqlite3_bind_text(s, 1, id.c_str(), -1, SQLITE_TRANSIENT);
  std::string out = sqlite3_step(s) == SQLITE_ROW
                        ? reinterpret_cast<const char*>(sqlite3_column_text(s, 0))
                        : "(none)";
  sqlite3_finalize(s);
  return out;
}

TEST_F(BundleTest, SharedProvidersKeepTheirOwnerFeedOnEveryKioskThroughDeltas) {
  ASSERT_TRUE(PutCourses(*hub_, "m", {"p:own", "p:shared"}, {"p:own"}, "v1").ok());
  ASSERT_TRUE(PutCourses(*hub_, "b", {}, {"p:shared"}, "v1").ok());
  ASSERT_TRUE(PutCourses(*hub_, "z", {}, {"p:shared"}, "v1").ok());
  ASSERT_EQ(OwnerOf(*hub_, "p:shared"), "m");
  ASSERT_EQ(Import(Build().full_file).result, "ok");
  EXPECT_EQ(OwnerOf(*kiosk_, "p:shared"), "m");
  EXPECT_EQ(ContentDigest(*kiosk_), ContentDigest(*hub_));
  // Only "b" changes: the delta carries b, which refers to m's provider.
  ASSERT_TRUE(PutCourses(*hub_, "b", {}, {"p:shared", "p:shared"}, "v2").ok());
  auto second = Build();
  ASSERT_EQ(second.changed_feeds, std::vector<std::string>{"b"});
  ASSERT_EQ(Import(second.deltas.at(0).file).result, "ok");
  EXPECT_EQ(OwnerOf(*kiosk_, "p:shared"), "m");
  EXPECT_EQ(ContentDigest(*kiosk_), ContentDigest(*hub_));
  // m renames its provider: every kiosk shows the new name.
  ASSERT_TRUE(PutCourses(*hub_, "m", {"p:own", "p:shared"}, {"p:own"}, "v3").ok());
  auto third = Build();
  ASSERT_EQ(Import(third.deltas.at(0).file).result, "ok");
  auto p = kiosk_->GetProvider("p:shared");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->name, "Provider p:shared v3");
  EXPECT_EQ(ContentDigest(*kiosk_), ContentDigest(*hub_));
  // m stops publishing it while b and z still list courses there.
  ASSERT_TRUE(PutCourses(*hub_, "m", {"p:own"}, {"p:own"}, "v3").ok());
  ASSERT_EQ(Import(Build().deltas.at(0).file).result, "ok");
  EXPECT_EQ(OwnerOf(*kiosk_, "p:shared"), OwnerOf(*hub_, "p:shared"));
  EXPECT_EQ(ContentDigest(*kiosk_), ContentDigest(*hub_));
  // A second kiosk taking only the latest full bundle lands on the same.
  auto other = OpenCatalogue(dir_ / "kiosk2.db");
  const auto latest = nlohmann::json::parse(ReadFile(Out("latest.json")));
  ASSERT_EQ(ImportBundleFile(*other, Out(latest["full"]["file"]), {key_.pub}, NowUnix()).result,
            "ok");
  EXPECT_EQ(ContentDigest(*other), ContentDigest(*hub_));
}

TEST_F(BundleTest, RealContentReplacesTheSampleOnAKioskThatShowedIt) {
  ASSERT_TRUE(LoadSampleCatalogue(kiosk_.get(), DefaultSampleDir(), TodayUtc()).ok());
  ASSERT_TRUE(hub_->RemoveFeed("sample-vacancies").ok());  // hub content differs from the sample
  const ApplyResult r = Import(Build().full_file);
  ASSERT_EQ(r.result, "ok") << r.status.message();
  EXPECT_EQ(kiosk_->GetMeta("is_sample").value_or(""), "0");
  EXPECT_EQ(ContentDigest(*kiosk_), ContentDigest(*hub_));
}

TEST_F(BundleTest, TheHubPublishesNothingWhenContentIsUnchangedAndFresh) {
  const auto first = Build();
  const std::string latest = ReadFile(Out("latest.json"));
  const auto again = Build();
  EXPECT_FALSE(again.published) << again.reason;
  EXPECT_EQ(again.serial, 1);
  EXPECT_EQ(ReadFile(Out("latest.json")), latest);
  // Past half its validity, the same content is re-signed with a new serial.
  const auto later = Build(NowUnix() + 8 * 86400);
  EXPECT_TRUE(later.published);
  EXPECT_EQ(later.serial, 2);
  EXPECT_TRUE(later.changed_feeds.empty());
}

TEST_F(BundleTest, TheOutputFolderHoldsOnlyCompleteFilesAndPrunesBeyondRetention) {
  options_.retention = 3;
  for (int i = 0; i < 6; ++i) {
    ASSERT_TRUE(PutNewsFeed(*hub_, 5, "round" + std::to_string(i)).ok());
    Build();
  }
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(Out("bundles"))) {
    names.push_back(e.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  for (const auto& n : names) EXPECT_FALSE(n.starts_with(".tmp")) << n;
  // Full bundles 4..6 with signatures, and deltas only to kept serials.
  EXPECT_TRUE(fs::exists(Out("bundles/signpost-000006.bundle.minisig")));
  EXPECT_TRUE(fs::exists(Out("bundles/signpost-000004.bundle")));
  EXPECT_FALSE(fs::exists(Out("bundles/signpost-000003.bundle")));
  EXPECT_TRUE(fs::exists(Out("bundles/signpost-000006-from-000005.bundle")));
  for (const auto& n : names) {
    EXPECT_TRUE(n.starts_with("signpost-000004") || n.starts_with("signpost-000005") ||
                n.starts_with("signpost-000006"))
        << n;
  }
  // latest.json names files that exist.
  const auto pointer = nlohmann::json::parse(ReadFile(Out("latest.json")));
  EXPECT_EQ(pointer["serial"], 6);
  EXPECT_TRUE(fs::exists(Out(pointer["full"]["file"])));
  for (const auto& d : pointer["deltas"]) EXPECT_TRUE(fs::exists(Out(d["file"]))) << d.dump();
}

TEST_F(BundleTest, ADamagedSegmentCacheOnTheHubIsReencodedNotPublished) {
  const auto first = Build();
  // Damage every cached segment on the hub, then change content and build.
  const std::string work = options_.output_dir + ".work";
  int damaged = 0;
  for (const auto& e : fs::directory_iterator(work)) {
    if (e.path().extension() != ".seg") continue;
    std::string bytes = ReadFile(e.path().string());
    bytes[bytes.size() / 2] ^= 0x55;
    WriteFile(e.path().string(), bytes);
    ++damaged;
  }
  ASSERT_GT(damaged, 3);
  ASSERT_TRUE(PutNewsFeed(*hub_, 5, "after-damage").ok());
  const auto second = Build();
  const ApplyResult r = Import(second.full_file);
  ASSERT_EQ(r.result, "ok") << r.status.message();
  EXPECT_EQ(ContentDigest(*kiosk_), ContentDigest(*hub_));
}

TEST_F(BundleTest, TheSerialNeverGoesBackEvenWhenTheOutputFolderIsLost) {
  Build();
  ASSERT_TRUE(PutNewsFeed(*hub_, 5, "x").ok());
  Build();
  fs::remove_all(options_.output_dir);
  ASSERT_TRUE(PutNewsFeed(*hub_, 5, "y").ok());
  EXPECT_EQ(Build().serial, 3);
}

TEST_F(BundleTest, TheHubRefusesAPasswordProtectedKeyWithAClearMessage) {
  std::string text = ReadFile(key_.secret_path);
  // Flip the kdf algorithm bytes to "Sc" (scrypt) in the base64 blob.
  const auto nl = text.find('\n');
  std::string b64 = text.substr(nl + 1);
  b64.erase(b64.find_last_not_of("\n") + 1);
  std::vector<unsigned char> raw(200);
  std::size_t len = 0;
  ASSERT_EQ(sodium_base642bin(raw.data(), raw.size(), b64.data(), b64.size(), nullptr, &len,
                              nullptr, sodium_base64_VARIANT_ORIGINAL),
            0);
  raw[2] = 'S';
  raw[3] = 'c';
  std::string enc(sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(enc.data(), enc.size(), raw.data(), len, sodium_base64_VARIANT_ORIGINAL);
  WriteFile(key_.secret_path, text.substr(0, nl + 1) + enc.c_str() + "\n");
  auto r = BuildHub(*hub_, options_, NowUnix());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("password"), std::string::npos) << r.status().message();
  EXPECT_FALSE(fs::exists(Out("latest.json")));
}

TEST_F(BundleTest, KeygenWritesAPrivateSecretKeyAndRefusesToOverwriteIt) {
  struct stat st {};
  ASSERT_EQ(stat(key_.secret_path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto again = bundle::WriteKeyPair(key_.secret_path, key_.public_path, "x");
  EXPECT_FALSE(again.ok());
  auto sk = bundle::ReadSecretKeyFile(key_.secret_path);
  ASSERT_TRUE(sk.ok());
  EXPECT_EQ(sk->Public().Base64(), key_.pub.Base64());
}

// [SECTION] minisign interoperability ------------------------------------------------------

bool HaveMinisign() { return std::system("minisign -v >/dev/null 2>&1") == 0; }

TEST_F(BundleTest, DebiansMinisignVerifiesTheHubsSignatureAndCatchesATamperedCopy) {
  if (!HaveMinisign()) GTEST_SKIP() << "minisign is not installed (deploy/install-deps.sh)";
  const auto built = Build();
  const std::string cmd = "minisign -Vm '" + Out(built.full_file) + "' -p '" + key_.public_path +
                          "' > '" + (dir_ / "minisign.out") + "' 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << ReadFile(dir_ / "minisign.out");
  const std::string said = ReadFile(dir_ / "minisign.out");
  EXPECT_NE(said.find("serial:1"), std::string::npos) << said;  // the trusted comment
  const std::string copy = CopyOf(built.full_file);
  std::string bytes = ReadFile(copy);
  bytes[bytes.size() / 2] ^= 1;
  WriteFile(copy, bytes);
  EXPECT_NE(
      std::system(
          ("minisign -Vm '" + copy + "' -P " + key_.pub.Base64() + " >/dev/null 2>&1").c_str()),
      0);
}

TEST_F(BundleTest, KeysAndSignaturesMadeByMinisignWorkWithTheHubAndKiosk) {
  if (!HaveMinisign()) GTEST_SKIP() << "minisign is not installed (deploy/install-deps.sh)";
  const std::string sec = dir_ / "ms.key", pub = dir_ / "ms.pub";
  ASSERT_EQ(
      std::system(("minisign -G -W -p '" + pub + "' -s '" + sec + "' >/dev/null 2>&1").c_str()), 0);
  options_.secret_key_file = sec;  // the hub signs with a minisign-made key
  const auto built = Build();
  auto pk = bundle::ReadPublicKeyFile(pub);
  ASSERT_TRUE(pk.ok()) << pk.status().message();
  ASSERT_EQ(Import(built.full_file, {pk.value()}).result, "ok");
  // And a signature made by minisign itself (over our own secret key) verifies.
  ASSERT_TRUE(PutNewsFeed(*hub_, 5, "ms").ok());
  options_.secret_key_file = key_.secret_path;
  const auto second = Build();
  const std::string copy = CopyOf(second.full_file);
  fs::remove(copy + ".minisig");
  ASSERT_EQ(std::system(("minisign -S -s '" + key_.secret_path + "' -m '" + copy +
                         "' -t 'signed by hand' >/dev/null 2>&1")
                            .c_str()),
            0);
  const ApplyResult r = ImportBundleFile(*kiosk_, copy, {key_.pub}, NowUnix());
  EXPECT_EQ(r.result, "ok") << r.status.message();
}

// [SECTION] config --------------------------------------------------------------------------

TEST(BundleConfigTest, ABadTrustedKeyIsAnErrorNamingTheFieldAndLine) {
  auto c = ParseConfig(
      "[bundles]\nhub_urls = [\"https://hub.example/\"]\n\ntrusted_keys = [\"RWQnotakey\"]\n",
      "kiosk.toml", {});
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("kiosk.toml:4"), std::string::npos) << c.status().message();
  EXPECT_NE(c.status().message().find("bundles.trusted_keys[0]"), std::string::npos)
      << c.status().message();
  c = ParseConfig("[bundles]\nhub_urls = [\"ftp://x/\"]\n", "kiosk.toml", {});
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("bundles.hub_urls"), std::string::npos);
  c = ParseConfig("[hub]\nretention = 1\n", "hub.toml", {});
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("hub.toml:2: hub.retention"), std::string::npos)
      << c.status().message();
}

TEST(BundleConfigTest, HubAndBundlesTablesAreRead) {
  TempDir dir("cfg");
  const KeyFiles k = MakeKey(dir.path(), "k");
  auto c = ParseConfig(
      "[hub]\noutput_dir = \"/srv/hub\"\nsecret_key_file = \"/k\"\nvalid_days = 7\n"
      "[bundles]\nhub_urls = [\"https://a/\", \"http://b/\"]\ntrusted_keys = [\"" +
          k.pub.Base64() + "\"]\ntrusted_key_files = [\"" + k.public_path + "\"]\n",
      "x.toml", {});
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_TRUE(c->hub.present);
  EXPECT_EQ(c->hub.output_dir, "/srv/hub");
  EXPECT_EQ(c->hub.valid_days, 7);
  EXPECT_EQ(c->bundles.hub_urls.size(), 2u);
  ASSERT_EQ(c->bundles.trusted.size(), 2u);
  EXPECT_EQ(c->bundles.trusted[1].IdHex(), k.pub.IdHex());
}

}  // namespace
}  // namespace signpost::sync::testing
