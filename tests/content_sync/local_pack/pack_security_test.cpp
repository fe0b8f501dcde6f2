// Issue 16: a local pack is read from folders and USB sticks someone else
// controls. Links and special files are never followed or read, and a pack
// from removable media loads only when the hub signed it (hub sign-pack);
// a file changed or added after signing is rejected.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <future>
#include <sstream>

#include "bundle/hub.h"
#include "bundle/minisign.h"
#include "cli/cli.h"
#include "local_pack/local_pack.h"
#include "local_pack/local_pack_sync.h"
#include "local_pack/pack_signature.h"
#include "pack_test_util.h"
#include "signpost/catalogue.h"
#include "test_util.h"

namespace signpost::sync {
namespace {

using catalogue::testing::TempDir;
using testing::MakePng;
using testing::WriteFile;
namespace cat = signpost::catalogue;
namespace fs = std::filesystem;

class PackSecurityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    pack = dir.File("stick/local-content");
    WriteFile(pack + "/notice.toml",
              "kind = \"notice\"\ntitle = \"Forms due\"\ntext = \"Friday\"\n");
    WriteFile(pack + "/alumni/sam.png", MakePng(40, 30));
    WriteFile(pack + "/alumni/sam.toml",
              "kind = \"alumni\"\nname = \"Sam\"\nwent_to = \"an apprenticeship\"\n"
              "provider = \"Harland\"\nroute = \"apprenticeship\"\nphoto = \"sam.png\"\n"
              "story = \"It was great.\"\n");
    // Something private outside the pack that a link could point at.
    WriteFile(dir.File("private/secret.toml"),
              "kind = \"notice\"\ntitle = \"PRIVATE\"\ntext = \"not for the kiosk\"\n");
    WriteFile(dir.File("private/face.png"), MakePng(20, 20));
    auto pk = bundle::WriteKeyPair(dir.File("hub.key"), dir.File("hub.pub"), "hub");
    ASSERT_TRUE(pk.ok());
    trusted = pk.value();
    auto sk = bundle::ReadSecretKeyFile(dir.File("hub.key"));
    ASSERT_TRUE(sk.ok());
    key = sk.value();
  }
  std::string Messages(const LocalPack& p) {
    std::string all;
    for (const auto& m : p.messages) all += m.ToString() + "\n";
    return all;
  }
  FeedOutcome Sync(bool require_signature) {
    auto c = cat::Catalogue::Open(dir.File("catalogue.db"));
    EXPECT_TRUE(c.ok());
    catalogue = std::move(c.value());
    env.catalogue = catalogue.get();
    env.clock = &clock;
    env.log = [](LogLevel, const std::string&) {};
    env.trusted_keys = {trusted};
    env.require_signed_packs = require_signature;
    FeedSettings feed;
    feed.name = "school";
    feed.kind = std::string(kLocalPackKind);
    feed.url = "file://" + pack;
    return SyncLocalPack(feed, env);
  }
  std::vector<std::string> Titles() {
    std::vector<std::string> out;
    auto r = catalogue->LocalItems(std::nullopt, TodayUtc());
    if (r.ok())
      for (const auto& i : r.value()) out.push_back(i.title);
    return out;
  }

  TempDir dir;
  std::string pack;
  bundle::PublicKey trusted;
  bundle::SecretKey key;
  std::unique_ptr<cat::Catalogue> catalogue;
  RealClock clock;
  SyncEnv env;
};

TEST_F(PackSecurityTest, AnItemFileThatIsALinkOutOfThePackIsRejectedNotRead) {
  ASSERT_EQ(symlink(dir.File("private/secret.toml").c_str(), (pack + "/linked.toml").c_str()), 0);
  auto loaded = LoadLocalPack(pack);
  ASSERT_TRUE(loaded.ok());
  for (const auto& item : loaded->items) EXPECT_NE(item.item.title, "PRIVATE");
  EXPECT_NE(Messages(*loaded).find("linked.toml: is a link or a special file"), std::string::npos)
      << Messages(*loaded);
  EXPECT_EQ(loaded->items.size(), 2u) << Messages(*loaded);
}

TEST_F(PackSecurityTest, APhotoThatIsALinkOutOfThePackIsRejected) {
  fs::remove(pack + "/alumni/sam.png");
  ASSERT_EQ(symlink(dir.File("private/face.png").c_str(), (pack + "/alumni/sam.png").c_str()), 0);
  auto loaded = LoadLocalPack(pack);
  ASSERT_TRUE(loaded.ok());
  for (const auto& item : loaded->items) EXPECT_TRUE(item.image_source.empty()) << item.file;
  EXPECT_NE(Messages(*loaded).find("is a link or a special file"), std::string::npos)
      << Messages(*loaded);
}

TEST_F(PackSecurityTest, AFifoNamedLikeAnItemDoesNotStallTheLoad) {
  const std::string fifo = pack + "/waiting.toml";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  auto fut = std::async(std::launch::async, [&] { return LoadLocalPack(pack); });
  if (fut.wait_for(std::chrono::seconds(10)) != std::future_status::ready) {
    ADD_FAILURE() << "the pack load is stuck reading a FIFO";
    const int fd = open(fifo.c_str(), O_WRONLY | O_NONBLOCK);  // let it go
    if (fd >= 0) close(fd);
  }
  auto loaded = fut.get();
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(loaded->items.size(), 2u);
  EXPECT_NE(Messages(*loaded).find("waiting.toml"), std::string::npos);
}

TEST_F(PackSecurityTest, AnUnsignedPackFromAStickIsRefusedAndTheCatalogueKept) {
  const FeedOutcome out = Sync(/*require_signature=*/true);
  EXPECT_EQ(out.result, "failed");
  EXPECT_NE(out.status.message().find("is not signed"), std::string::npos) << out.status.message();
  EXPECT_TRUE(Titles().empty());
}

TEST_F(PackSecurityTest, ASignedPackLoadsAndAFileChangedAfterSigningIsRejected) {
  auto n = SignPack(pack, key);
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(n.value(), 3);  // notice.toml, alumni/sam.toml, alumni/sam.png
  FeedOutcome out = Sync(true);
  ASSERT_EQ(out.result, "ok") << out.status.message();
  EXPECT_EQ(Titles().size(), 2u);
  // Someone edits the notice on the stick, and adds an item of their own.
  WriteFile(pack + "/notice.toml",
            "kind = \"notice\"\ntitle = \"Visit evil.example\"\ntext = \"now\"\n");
  WriteFile(pack + "/extra.toml", "kind = \"notice\"\ntitle = \"Added\"\ntext = \"x\"\n");
  out = Sync(true);
  ASSERT_EQ(out.result, "ok") << out.status.message();
  const auto titles = Titles();
  EXPECT_EQ(titles.size(), 1u);
  for (const auto& t : titles) {
    EXPECT_NE(t, "Visit evil.example");
    EXPECT_NE(t, "Added");
  }
  std::string problems;
  for (const auto& p : out.problems) problems += p + "\n";
  EXPECT_NE(problems.find("notice.toml: was changed after the pack was signed"), std::string::npos)
      << problems;
  EXPECT_NE(problems.find("extra.toml: was added after the pack was signed"), std::string::npos)
      << problems;
}

TEST_F(PackSecurityTest, APackSignedByAKeyTheKioskDoesNotTrustIsRefused) {
  auto pk = bundle::WriteKeyPair(dir.File("other.key"), dir.File("other.pub"), "other");
  auto other = bundle::ReadSecretKeyFile(dir.File("other.key"));
  ASSERT_TRUE(pk.ok() && other.ok());
  ASSERT_TRUE(SignPack(pack, other.value()).ok());
  const FeedOutcome out = Sync(true);
  EXPECT_EQ(out.result, "failed");
  EXPECT_NE(out.status.message().find("does not trust"), std::string::npos) << out.status.message();
  EXPECT_TRUE(Titles().empty());
}

TEST_F(PackSecurityTest, APhotoSwappedAfterTheCheckIsNotWhatIsCopied) {
  // The picture copied beside the catalogue is the one that was checked
  // and verified, not whatever the path holds by the time of the copy.
  ASSERT_TRUE(SignPack(pack, key).ok());
  const std::string good = MakePng(40, 30);
  FeedOutcome out = Sync(true);
  ASSERT_EQ(out.result, "ok");
  for (const auto& e : fs::recursive_directory_iterator(dir.File("local-content"))) {
    if (e.is_regular_file()) {
      std::ifstream in(e.path(), std::ios::binary);
      std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      EXPECT_EQ(bytes, good) << e.path();
    }
  }
}

TEST_F(PackSecurityTest, HubSignPackSignsAFolderThatTheKioskThenAccepts) {
  WriteFile(dir.File("hub.toml"), "[sync]\ncatalogue = \"" + dir.File("hub.db") + "\"\n");
  std::ostringstream out, err;
  const int code = RunCli({"--config", dir.File("hub.toml"), "hub", "sign-pack", "--secret-key",
                           dir.File("hub.key"), pack},
                          out, err);
  ASSERT_EQ(code, 0) << err.str();
  EXPECT_NE(out.str().find("signed 3 files"), std::string::npos) << out.str();
  EXPECT_TRUE(fs::exists(pack + "/.signpost-pack.minisig"));
  auto verified = VerifyPackSignature(pack, {trusted});
  ASSERT_TRUE(verified.ok()) << verified.status().ToString();
  EXPECT_EQ(verified->files.size(), 3u);
  EXPECT_EQ(Sync(true).result, "ok");
  // A link in the folder is not signed: the careers leader is told to copy the file.
  ASSERT_EQ(symlink(dir.File("private/secret.toml").c_str(), (pack + "/linked.toml").c_str()), 0);
  std::ostringstream out2, err2;
  EXPECT_NE(RunCli({"--config", dir.File("hub.toml"), "hub", "sign-pack", "--secret-key",
                    dir.File("hub.key"), pack},
                   out2, err2),
            0);
  EXPECT_NE(err2.str().find("is a link or a special file"), std::string::npos) << err2.str();
}

TEST_F(PackSecurityTest, PacksOnRemovableMediaOrAnotherFilesystemNeedASignature) {
  EXPECT_TRUE(PackNeedsSignature("/media/signpost-usb/local-content", dir.File("catalogue.db")));
  EXPECT_TRUE(PackNeedsSignature("/run/media/pi/STICK/pack", dir.File("catalogue.db")));
  EXPECT_TRUE(PackNeedsSignature("/mnt/pack", dir.File("catalogue.db")));
  EXPECT_FALSE(PackNeedsSignature(pack, dir.File("catalogue.db")));
  EXPECT_TRUE(PackNeedsSignature("/proc/self", dir.File("catalogue.db")));  // another filesystem
}

}  // namespace
}  // namespace signpost::sync
