// Failure tests: SIGKILL an importing process at random points, and read in
// a loop while another thread imports. Afterwards the catalogue must open,
// pass PRAGMA integrity_check, and hold exactly the old or the new set.
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <random>
#include <thread>

#include "../kill_rounds.h"
#include "signpost/catalogue.h"
#include "signpost/search.h"
#include "test_util.h"

namespace signpost::catalogue {
namespace {

using testing::MakeOpportunity;
using testing::MakeProvider;
using testing::OpenReader;
using testing::OpenWriter;
using testing::TempDir;

constexpr Day kToday = 20782;
constexpr int kOldCount = 600;
constexpr int kNewCount = 900;

// Imports `n` opportunities titled "<word> course i" as feed "courses".
Status ImportSet(Catalogue* cat, const std::string& word, int n) {
  ImportOptions o;
  o.today = kToday;
  auto imp = cat->BeginImport("courses", o);
  if (!imp.ok()) return imp.status();
  (*imp)->AddProvider(MakeProvider("p-" + word, word + " college"));
  for (int i = 0; i < n; ++i) {
    auto opp = MakeOpportunity(word + std::to_string(i), word + " course " + std::to_string(i),
                               "p-" + word, kAllRoutes[i % kRouteCount]);
    opp.description = "Study " + word + " with us. " + std::string(200, 'x');
    (*imp)->AddOpportunity(opp);
  }
  auto r = (*imp)->Commit();
  return r.ok() ? Status::Ok() : r.status();
}

std::pair<std::int64_t, std::int64_t> CountOldNew(sqlite3* db) {
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(db,
                     "SELECT sum(title LIKE 'old%'), sum(title LIKE 'new%'), count(*) FROM "
                     "opportunity",
                     -1, &s, nullptr);
  std::pair<std::int64_t, std::int64_t> out{-1, -1};
  if (sqlite3_step(s) == SQLITE_ROW) {
    out = {sqlite3_column_int64(s, 0), sqlite3_column_int64(s, 1)};
  }
  sqlite3_finalize(s);
  return out;
}

// Exactly one complete set, in the table, the index and the snapshot.
void ExpectOneCompleteSet(const std::string& path) {
  auto cat = OpenReader(path);
  ASSERT_TRUE(cat);
  ASSERT_TRUE(cat->IntegrityCheck().ok());
  const auto [old_n, new_n] = CountOldNew(cat->handle());
  const bool is_old = old_n == kOldCount && new_n == 0;
  const bool is_new = old_n == 0 && new_n == kNewCount;
  ASSERT_TRUE(is_old || is_new) << "old=" << old_n << " new=" << new_n;
  auto engine = SearchEngine::Create(cat.get());
  ASSERT_TRUE(engine.ok());
  EXPECT_EQ((*engine)->Search({})->size(), is_old ? kOldCount : kNewCount);
  EXPECT_EQ((*engine)->Search({.text = "old"})->size(), is_old ? kOldCount : 0);
  // "new" matches nothing in the old set: it is left out and said so.
  auto typed = (*engine)->Search({.text = "new cour"});
  EXPECT_EQ(typed->corrected(), is_old);
  EXPECT_EQ(typed->did_you_mean(), is_old ? "cour" : "");
  EXPECT_EQ(typed->size(), is_new ? kNewCount : kOldCount);
}

TEST(CrashTest, SigkillDuringImportLeavesTheOldOrTheNewSet) {
  TempDir dir;
  const std::string path = dir.File("c.db");
  // Calibrate: how long does a child process take to open the catalogue and
  // import, here (a forked ASan process is much slower than the parent)?
  long import_us = 0;
  for (int i = 0; i < 3; ++i) {
    std::remove(path.c_str());
    std::remove((path + "-wal").c_str());
    std::remove((path + "-shm").c_str());
    {
      auto cat = OpenWriter(path);
      ASSERT_TRUE(ImportSet(cat.get(), "old", kOldCount).ok());
    }
    const auto t0 = std::chrono::steady_clock::now();
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      auto cat = Catalogue::Open(path);
      _exit(cat.ok() && ImportSet(cat->get(), "new", kNewCount).ok() ? 0 : 4);
    }
    int status = 0;
    waitpid(child, &status, 0);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    import_us = std::max<long>(
        import_us, static_cast<long>(std::chrono::duration_cast<std::chrono::microseconds>(
                                         std::chrono::steady_clock::now() - t0)
                                         .count()));
  }
  std::mt19937 rng(12345);
  int saw_old = 0, saw_new = 0;
  const int kRuns = signpost::testing::KillRounds(50);
  for (int run = 0; run < kRuns; ++run) {
    std::remove(path.c_str());
    std::remove((path + "-wal").c_str());
    std::remove((path + "-shm").c_str());
    {
      auto cat = OpenWriter(path);
      ASSERT_TRUE(ImportSet(cat.get(), "old", kOldCount).ok());
    }
    int committed[2];
    ASSERT_EQ(pipe(committed), 0);
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      close(committed[0]);
      auto cat = Catalogue::Open(path);
      if (!cat.ok()) _exit(3);
      if (!ImportSet(cat->get(), "new", kNewCount).ok()) _exit(4);
      testing::SayCommittedAndWait(committed[1]);
    }
    close(committed[1]);
    // Every fifth kill lands just after the commit, whatever the load; the
    // others somewhere between "just started" and "probably finished".
    testing::KillChild(child, committed[0], run % 5 == 4, import_us * 5 / 4 + 1000, rng);
    int status = 0;
    waitpid(child, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status) || (WIFEXITED(status) && WEXITSTATUS(status) == 0))
        << "child failed on its own: " << status;
    ExpectOneCompleteSet(path);
    if (HasFailure()) return;
    auto cat = OpenReader(path);
    (CountOldNew(cat->handle()).first > 0 ? saw_old : saw_new)++;
  }
  // Both outcomes happened, so the kills really landed before and after commit.
  EXPECT_GT(saw_old, 0);
  EXPECT_GT(saw_new, 0);
  std::printf("[ kill runs: %d left the old set, %d the new set; one import ~%ld us ]\n", saw_old,
              saw_new, import_us);
}

TEST(CrashTest, AReaderDuringImportsNeverSeesAMixAndNeverErrors) {
  TempDir dir;
  const std::string path = dir.File("c.db");
  {
    auto cat = OpenWriter(path);
    ASSERT_TRUE(ImportSet(cat.get(), "old", kOldCount).ok());
  }
  std::atomic<bool> done{false};
  std::atomic<int> reads{0}, bad{0}, errors{0};
  std::thread reader([&] {
    auto cat = OpenReader(path);
    auto engine = SearchEngine::Create(cat.get());
    if (!cat || !engine.ok()) {
      errors++;
      return;
    }
    while (!done.load()) {
      const auto [old_n, new_n] = CountOldNew(cat->handle());
      if (!((old_n == kOldCount && new_n == 0) || (old_n == 0 && new_n == kNewCount))) bad++;
      if (cat->HasChanged() && !(*engine)->Reload().ok()) errors++;
      auto r = (*engine)->Search({.text = "cou"});
      if (!r.ok()) {
        errors++;
      } else if (r->size() != kOldCount && r->size() != kNewCount) {
        bad++;
      } else if (!(*engine)->Summaries(r->Rows(0, 20)).ok()) {
        errors++;
      }
      reads++;
    }
  });
  {
    auto cat = OpenWriter(path);
    for (int i = 0; i < 12; ++i) {
      ASSERT_TRUE(ImportSet(cat.get(), i % 2 ? "old" : "new", i % 2 ? kOldCount : kNewCount).ok());
    }
  }
  // Let the reader see the final state too.
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  done = true;
  reader.join();
  EXPECT_GT(reads.load(), 10);
  EXPECT_EQ(bad.load(), 0);
  EXPECT_EQ(errors.load(), 0);
}

}  // namespace
}  // namespace signpost::catalogue
