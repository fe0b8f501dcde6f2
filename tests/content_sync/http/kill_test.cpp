// SIGKILL the real content-sync binary at random points while it syncs an
// iCalendar feed over HTTP (50 runs): every time, the catalogue must pass
// its integrity check and hold exactly the old set or the new set, and
// sync-state.json must be readable (it is replaced atomically).
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include "../../kill_rounds.h"
#include "signpost/catalogue.h"
#include "sync/state_file.h"
#include "sync/sync_plan.h"
#include "test_support.h"

extern char** environ;

namespace signpost::sync {
namespace {

using testing::TempDir;
using testing::TestServer;

std::string Ics(int n, const std::string& tag) {
  std::string s = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Signpost tests//EN\r\n";
  for (int i = 0; i < n; ++i) {
    s += "BEGIN:VEVENT\r\nUID:" + tag + "-" + std::to_string(i) +
         "@test.example\r\nDTSTART:20370310T090000Z\r\nDTEND:20370310T100000Z\r\n"
         "SUMMARY:Open day " +
         tag + " " + std::to_string(i) + "\r\nEND:VEVENT\r\n";
  }
  return s + "END:VCALENDAR\r\n";
}

void WriteConfig(const std::string& path, const std::string& catalogue, const std::string& url) {
  std::ofstream(path) << "[sync]\ncatalogue = \"" << catalogue << "\"\nmax_attempts = 1\n"
                      << "[[feed]]\nname = \"events\"\nkind = \"icalendar\"\nurl = \"" << url
                      << "\"\n";
}

pid_t Spawn(const std::string& config) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  std::string bin = CONTENT_SYNC_BINARY, flag = "--config", cfg = config, cmd = "once";
  char* argv[] = {bin.data(), flag.data(), cfg.data(), cmd.data(), nullptr};
  pid_t pid = -1;
  if (posix_spawn(&pid, bin.c_str(), &actions, nullptr, argv, environ) != 0) pid = -1;
  posix_spawn_file_actions_destroy(&actions);
  return pid;
}

int Wait(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

std::int64_t Events(const std::string& path) {
  auto cat =
      catalogue::Catalogue::Open(path);  // a writer: recovers a hot WAL as content-sync would
  if (!cat.ok()) return -1;
  if (!cat.value()->IntegrityCheck().ok()) return -2;
  auto stats = cat.value()->Stats();
  return stats.ok() ? stats->events : -3;
}

// The sync bookkeeping the catalogue holds for its one feed: the records
// its sync_state row claims and the URL of page 1 of its sync plan. They are
// written by the import's own transaction, so they must match the data.
std::pair<std::int64_t, std::string> Bookkeeping(const std::string& path) {
  auto cat = catalogue::Catalogue::Open(path);
  if (!cat.ok()) return {-1, ""};
  auto states = cat.value()->SyncStates();
  if (!states.ok() || states->size() != 1) return {-2, ""};
  const auto plan = DecodeSyncPlan(
      cat.value()->GetMeta(catalogue::FeedPlanMetaKey(states->front().feed)).value_or(""));
  return {states->front().records, plan ? plan->pages.front().request.url : ""};
}

void CopyCatalogue(const std::string& from, const std::string& to) {
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::filesystem::remove(to + suffix);
    if (std::filesystem::exists(from + suffix)) {
      std::filesystem::copy_file(from + suffix, to + suffix);
    }
  }
}

TEST(KillTest, SigkillDuringSyncLeavesTheOldSetOrTheNewSet) {
  constexpr int kOld = 1500, kNew = 2500;
  const int kRuns = signpost::testing::KillRounds(50);
  TempDir dir;
  std::ofstream(dir.File("old.ics")) << Ics(kOld, "old");
  const std::string new_ics = Ics(kNew, "new");
  TestServer server;
  server.server.Get("/events.ics", [&](const httplib::Request&, httplib::Response& res) {
    // Served as octet-stream so cpp-httplib does not brotli-compress it
    // (slow at its default quality); content-sync accepts either.
    res.set_content(new_ics, "application/octet-stream");
  });
  server.Start();

  // The old set, from a file.
  WriteConfig(dir.File("seed.toml"), dir.File("seed.db"), "file://" + dir.File("old.ics"));
  ASSERT_EQ(Wait(Spawn(dir.File("seed.toml"))), 0);
  ASSERT_EQ(Events(dir.File("seed.db")), kOld);

  // How long a whole sync of the new set takes.
  WriteConfig(dir.File("run.toml"), dir.File("run.db"), server.Url("/events.ics"));
  CopyCatalogue(dir.File("seed.db"), dir.File("run.db"));
  const auto t0 = std::chrono::steady_clock::now();
  ASSERT_EQ(Wait(Spawn(dir.File("run.toml"))), 0);
  const auto full =
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0);
  ASSERT_EQ(Events(dir.File("run.db")), kNew);

  std::mt19937 rng(20261125);
  int saw_old = 0, saw_new = 0;
  for (int run = 0; run < kRuns; ++run) {
    CopyCatalogue(dir.File("seed.db"), dir.File("run.db"));
    std::filesystem::remove(dir.File("sync-state.json"));
    const pid_t pid = Spawn(dir.File("run.toml"));
    ASSERT_GT(pid, 0);
    std::this_thread::sleep_for(std::chrono::microseconds(
        std::uniform_int_distribution<std::int64_t>(0, full.count() * 11 / 10)(rng)));
    kill(pid, SIGKILL);
    Wait(pid);
    const std::int64_t events = Events(dir.File("run.db"));
    ASSERT_TRUE(events == kOld || events == kNew) << "run " << run << ": " << events << " events";
    (events == kOld ? saw_old : saw_new)++;
    const auto [recorded, plan_url] = Bookkeeping(dir.File("run.db"));
    ASSERT_EQ(recorded, events) << "run " << run << ": sync_state disagrees with the data";
    ASSERT_EQ(plan_url,
              events == kOld ? "file://" + dir.File("old.ics") : server.Url("/events.ics"))
        << "run " << run << ": the sync plan describes other data";
    Status problem;
    (void)LoadStateFile(dir.File("sync-state.json"), &problem);
    ASSERT_TRUE(problem.ok()) << "run " << run << ": " << problem.ToString();
  }
  std::cout << "[          ] full sync " << full.count() / 1000 << " ms; after SIGKILL: " << saw_old
            << " old, " << saw_new << " new\n";
}

}  // namespace
}  // namespace signpost::sync
