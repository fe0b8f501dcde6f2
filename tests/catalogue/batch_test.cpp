// ImportBatch: several feeds' imports as one transaction, the search
// snapshot rebuilt once at the end. Readers see all of a batch or none of it,
// a batch dropped (or a process killed) before its Commit leaves the
// catalogue as it was, and a feed held back inside a batch is undone alone.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <random>
#include <thread>

#include "../kill_rounds.h"
#include "signpost/search.h"
#include "test_util.h"

namespace signpost::catalogue {
namespace {

namespace fs = std::filesystem;
using testing::MakeOpportunity;
using testing::MakeProvider;
using testing::OpenReader;
using testing::OpenWriter;
using testing::TempDir;

constexpr Day kToday = 20782;

// Imports `n` opportunities titled "<word> course i" as `feed`; the import's
// result (a held-back import is not ok).
Status ImportFeed(Catalogue* cat, const std::string& feed, const std::string& word, int n,
                  double min_fraction = 0) {
  ImportOptions o;
  o.today = kToday;
  o.min_fraction_of_previous = min_fraction;
  auto imp = cat->BeginImport(feed, o);
  if (!imp.ok()) return imp.status();
  (*imp)->AddProvider(MakeProvider("p-" + feed, feed + " college"));
  for (int i = 0; i < n; ++i) {
    (*imp)->AddOpportunity(MakeOpportunity(feed + std::to_string(i),
                                           word + " course " + std::to_string(i), "p-" + feed,
                                           kAllRoutes[i % kRouteCount]));
  }
  auto r = (*imp)->Commit();
  return r.ok() ? Status::Ok() : r.status();
}

// What a fresh reader finds for `text` (with the snapshot it loads), -1 on error.
std::int64_t Found(const std::string& path, const std::string& text) {
  auto reader = OpenReader(path);
  if (!reader) return -1;
  auto engine = SearchEngine::Create(reader.get());
  if (!engine.ok()) return -1;
  auto r = (*engine)->Search({.text = text});
  return r.ok() ? static_cast<std::int64_t>(r->size()) : -1;
}

std::int64_t Opportunities(const std::string& path) {
  auto reader = OpenReader(path);
  auto stats = reader ? reader->Stats() : Result<CatalogueStats>(Status::Internal("no reader"));
  return stats.ok() ? stats->opportunities : -1;
}

int SnapshotCopies(const std::string& db) {
  int n = 0;
  const std::string prefix = fs::path(db).filename().string() + ".search-";
  for (const auto& e : fs::directory_iterator(fs::path(db).parent_path())) {
    if (e.path().filename().string().rfind(prefix, 0) == 0) ++n;
  }
  return n;
}

TEST(BatchTest, ReadersSeeNothingOfABatchUntilItCommitsThenAllOfIt) {
  TempDir dir;
  const std::string path = dir.File("c.db");
  auto writer = OpenWriter(path);
  ASSERT_TRUE(ImportFeed(writer.get(), "courses", "plumbing", 40).ok());
  ASSERT_TRUE(ImportFeed(writer.get(), "old", "roofing", 10).ok());
  {
    auto batch = writer->BeginBatch();
    ASSERT_TRUE(batch.ok()) << batch.status().ToString();
    ASSERT_TRUE(ImportFeed(writer.get(), "courses", "welding", 30).ok());
    ASSERT_TRUE(ImportFeed(writer.get(), "vacancies", "bricklaying", 20).ok());
    ASSERT_TRUE(writer->RemoveFeed("old").ok());
    ASSERT_TRUE(writer->SetMeta("name", "batched").ok());
    // Not committed yet: another connection still sees the old catalogue,
    // and searches it with the old snapshot.
    EXPECT_EQ(Opportunities(path), 50);
    EXPECT_EQ(Found(path, "plumbing"), 40);
    EXPECT_EQ(Found(path, "roofing"), 10);
    EXPECT_EQ(Found(path, "welding"), 0);
    ASSERT_TRUE((*batch)->Commit().ok());
    EXPECT_FALSE((*batch)->Commit().ok());  // once
  }
  EXPECT_EQ(Opportunities(path), 50);
  EXPECT_EQ(Found(path, "plumbing"), 0);
  EXPECT_EQ(Found(path, "roofing"), 0);
  EXPECT_EQ(Found(path, "welding"), 30);  // the snapshot covers every feed of the batch
  EXPECT_EQ(Found(path, "bricklaying"), 20);
  EXPECT_EQ(Found(path, "course"), 50);
  EXPECT_EQ(OpenReader(path)->GetMeta("name").value_or(""), "batched");
  EXPECT_EQ(SnapshotCopies(path), 1);
  EXPECT_TRUE(OpenReader(path)->IntegrityCheck().ok());
}

TEST(BatchTest, ABatchDroppedWithoutCommitLeavesTheCatalogueAsItWas) {
  TempDir dir;
  const std::string path = dir.File("c.db");
  auto writer = OpenWriter(path);
  ASSERT_TRUE(ImportFeed(writer.get(), "courses", "plumbing", 40).ok());
  {
    auto batch = writer->BeginBatch();
    ASSERT_TRUE(batch.ok());
    ASSERT_TRUE(ImportFeed(writer.get(), "courses", "welding", 30).ok());
    ASSERT_TRUE(ImportFeed(writer.get(), "vacancies", "bricklaying", 20).ok());
    // An import staged but not committed when the batch ends.
    auto pending = writer->BeginImport("events");
    ASSERT_TRUE(pending.ok());
    (*pending)->AddProvider(MakeProvider("p-x", "x college"));
  }
  EXPECT_EQ(Opportunities(path), 40);
  EXPECT_EQ(Found(path, "plumbing"), 40);
  EXPECT_EQ(Found(path, "welding"), 0);
  EXPECT_EQ(SnapshotCopies(path), 1);
  // The writer carries on normally afterwards, batch or not.
  ASSERT_TRUE(ImportFeed(writer.get(), "vacancies", "tiling", 5).ok());
  EXPECT_EQ(Found(path, "tiling"), 5);
  auto batch = writer->BeginBatch();
  ASSERT_TRUE(batch.ok());
  ASSERT_TRUE(ImportFeed(writer.get(), "courses", "glazing", 7).ok());
  ASSERT_TRUE((*batch)->Commit().ok());
  EXPECT_EQ(Found(path, "glazing"), 7);
  EXPECT_EQ(Found(path, "tiling"), 5);
  EXPECT_EQ(Opportunities(path), 12);
  EXPECT_TRUE(OpenReader(path)->IntegrityCheck().ok());
}

TEST(BatchTest, AFeedHeldBackInABatchIsUndoneAloneAndTheOthersCommit) {
  TempDir dir;
  const std::string path = dir.File("c.db");
  auto writer = OpenWriter(path);
  ASSERT_TRUE(ImportFeed(writer.get(), "courses", "plumbing", 40).ok());
  auto batch = writer->BeginBatch();
  ASSERT_TRUE(batch.ok());
  ASSERT_TRUE(ImportFeed(writer.get(), "vacancies", "bricklaying", 20).ok());
  // 40 -> 2 records: held back, the feed keeps its 40.
  const Status held = ImportFeed(writer.get(), "courses", "welding", 2, /*min_fraction=*/0.1);
  EXPECT_EQ(held.code(), Status::Code::kHeldBack) << held.ToString();
  ASSERT_TRUE(ImportFeed(writer.get(), "events-feed", "joinery", 3).ok());
  ASSERT_TRUE((*batch)->Commit().ok());
  EXPECT_EQ(Found(path, "plumbing"), 40);
  EXPECT_EQ(Found(path, "welding"), 0);
  EXPECT_EQ(Found(path, "bricklaying"), 20);
  EXPECT_EQ(Found(path, "joinery"), 3);
  EXPECT_EQ(Opportunities(path), 63);
}

TEST(BatchTest, MisuseIsRefusedNotSilentlyWrong) {
  TempDir dir;
  const std::string path = dir.File("c.db");
  auto writer = OpenWriter(path);
  ASSERT_TRUE(ImportFeed(writer.get(), "courses", "plumbing", 4).ok());
  EXPECT_FALSE(OpenReader(path)->BeginBatch().ok());  // a reader never writes
  std::unique_ptr<FeedImport> outlived;
  {
    auto batch = writer->BeginBatch();
    ASSERT_TRUE(batch.ok());
    EXPECT_FALSE(writer->BeginBatch().ok());  // one at a time
    auto imp = writer->BeginImport("courses");
    ASSERT_TRUE(imp.ok());
    outlived = std::move(*imp);
    for (int i = 0; i < 3; ++i) {
      outlived->AddOpportunity(MakeOpportunity("w" + std::to_string(i), "welding", "p-courses"));
    }
  }  // dropped: its stage went with it
  // Committing would replace the feed with a stage the rollback emptied.
  auto r = outlived->Commit();
  EXPECT_FALSE(r.ok());
  outlived.reset();
  EXPECT_EQ(Found(path, "plumbing"), 4);
  EXPECT_EQ(Opportunities(path), 4);
  // An import begun before a batch is committed before the batch begins: its
  // stage is still being written in a transaction of its own.
  auto before = writer->BeginImport("vacancies");
  ASSERT_TRUE(before.ok());
  (*before)->AddProvider(MakeProvider("p-v", "v college"));
  ASSERT_TRUE((*before)->AddOpportunity(MakeOpportunity("v1", "glazing", "p-v")).ok());
  EXPECT_FALSE(writer->BeginBatch().ok());
  ASSERT_TRUE((*before)->Commit().ok());
  EXPECT_EQ(Found(path, "glazing"), 1);
  EXPECT_TRUE(writer->BeginBatch().ok());
}

// SIGKILL a process in the middle of a batch of two feeds: afterwards the
// catalogue holds both old sets or both new sets, never one of each.
TEST(BatchTest, SigkillDuringABatchLeavesAllOfItOrNone) {
  TempDir dir;
  const std::string path = dir.File("c.db");
  auto reset = [&] {
    for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path + suffix).c_str());
    auto cat = OpenWriter(path);
    ASSERT_TRUE(ImportFeed(cat.get(), "courses", "plumbing", 300).ok());
    ASSERT_TRUE(ImportFeed(cat.get(), "vacancies", "roofing", 200).ok());
  };
  // `committed_fd` >= 0: once the batch is committed, say so on it and wait
  // to be killed (never exit on its own after the commit).
  auto child_batch = [&](int committed_fd) {
    auto cat = Catalogue::Open(path);
    if (!cat.ok()) _exit(3);
    auto batch = (*cat)->BeginBatch();
    if (!batch.ok()) _exit(4);
    const bool ok = ImportFeed(cat->get(), "courses", "welding", 400).ok() &&
                    ImportFeed(cat->get(), "vacancies", "bricklaying", 250).ok() &&
                    (*batch)->Commit().ok();
    if (ok && committed_fd >= 0) testing::SayCommittedAndWait(committed_fd);
    _exit(ok ? 0 : 5);
  };
  // How long the batch takes in a child process here (ASan is much slower).
  long batch_us = 0;
  for (int i = 0; i < 2; ++i) {
    reset();
    const auto t0 = std::chrono::steady_clock::now();
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) child_batch(-1);
    int status = 0;
    waitpid(child, &status, 0);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
    batch_us = std::max<long>(
        batch_us, static_cast<long>(std::chrono::duration_cast<std::chrono::microseconds>(
                                        std::chrono::steady_clock::now() - t0)
                                        .count()));
  }
  std::mt19937 rng(777);
  int saw_old = 0, saw_new = 0;
  for (int run = 0; run < signpost::testing::KillRounds(25); ++run) {
    reset();
    int committed[2];
    ASSERT_EQ(pipe(committed), 0);
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      close(committed[0]);
      child_batch(committed[1]);
    }
    close(committed[1]);
    // Every fifth kill lands just after the commit, whatever the load: a
    // random delay alone can miss it when the machine is busier than when it
    // was timed.
    testing::KillChild(child, committed[0], run % 5 == 4, batch_us * 5 / 4 + 1000, rng);
    int status = 0;
    waitpid(child, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status) || (WIFEXITED(status) && WEXITSTATUS(status) == 0))
        << "child failed on its own: " << status;
    auto cat = OpenWriter(path);  // recovers the WAL as the next writer would
    ASSERT_TRUE(cat->IntegrityCheck().ok());
    cat.reset();
    const std::int64_t plumbing = Found(path, "plumbing"), roofing = Found(path, "roofing"),
                       welding = Found(path, "welding"), brick = Found(path, "bricklaying");
    const bool is_old = plumbing == 300 && roofing == 200 && welding == 0 && brick == 0;
    const bool is_new = plumbing == 0 && roofing == 0 && welding == 400 && brick == 250;
    ASSERT_TRUE(is_old || is_new) << plumbing << " " << roofing << " " << welding << " " << brick;
    (is_old ? saw_old : saw_new)++;
  }
  // Both outcomes happened, so the kills really landed before and after the
  // commit (the random ones may land on either side).
  EXPECT_GT(saw_old, 0);
  EXPECT_GT(saw_new, 0);
  std::printf("[ batch kill runs: %d left the old sets, %d the new; one batch ~%ld us ]\n", saw_old,
              saw_new, batch_us);
}

}  // namespace
}  // namespace signpost::catalogue
