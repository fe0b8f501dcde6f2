// UsageStore and UsageRecorder: counts go into hour buckets, nothing per
// session is stored, a missed search's text appears only from its fifth
// session, and counts survive a writer killed mid-transaction.
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include "signpost/usage.h"
#include "test_util.h"

namespace signpost::usage {
namespace {

using catalogue::testing::TempDir;

constexpr UnixTime kMonday = 1794182400;  // 2026-11-09 00:00:00 UTC, a Monday

std::unique_ptr<UsageStore> OpenStore(const std::string& path) {
  auto s = UsageStore::Open(path);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? std::move(s.value()) : nullptr;
}

SessionTally Session(UnixTime started, double seconds) {
  SessionTally t;
  t.started = started;
  t.seconds = seconds;
  t.Add(kSessions);
  t.Add(SessionLengthCounter(seconds));
  return t;
}

std::int64_t Total(UsageStore& s, const std::string& name, Day from, Day to) {
  auto rows = s.Counters(from, to);
  EXPECT_TRUE(rows.ok());
  std::int64_t n = 0;
  for (const auto& r : rows.value())
    if (r.name == name) n += r.value;
  return n;
}

std::string FileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Every value in every table of the file, as text.
std::vector<std::vector<std::string>> AllRows(const std::string& path, const std::string& table) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* st = nullptr;
  std::vector<std::vector<std::string>> out;
  if (sqlite3_prepare_v2(db, ("SELECT * FROM " + table).c_str(), -1, &st, nullptr) == SQLITE_OK) {
    while (sqlite3_step(st) == SQLITE_ROW) {
      std::vector<std::string> row;
      for (int i = 0; i < sqlite3_column_count(st); ++i) {
        const unsigned char* t = sqlite3_column_text(st, i);
        row.push_back(t ? reinterpret_cast<const char*>(t) : "NULL");
      }
      out.push_back(std::move(row));
    }
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return out;
}

// Text shaped like `pattern`, where 'd' is any digit and other characters match themselves.
bool Shaped(const std::string& s, const std::string& pattern) {
  if (s.size() != pattern.size()) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (pattern[i] == 'd' ? !std::isdigit(static_cast<unsigned char>(s[i])) : s[i] != pattern[i])
      return false;
  }
  return true;
}

bool Digits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c));
  });
}

TEST(UsageStoreTest, SessionLengthsAreBucketedNotKept) {
  EXPECT_EQ(SessionLengthCounter(5), "session_length.under_1m");
  EXPECT_EQ(SessionLengthCounter(60), "session_length.1_to_3m");
  EXPECT_EQ(SessionLengthCounter(179.9), "session_length.1_to_3m");
  EXPECT_EQ(SessionLengthCounter(180), "session_length.3_to_10m");
  EXPECT_EQ(SessionLengthCounter(3600), "session_length.over_10m");
}

TEST(UsageStoreTest, NormaliseSearchFoldsCaseAndSpaces) {
  EXPECT_EQ(NormaliseSearch("  Plumbing   COURSES "), "plumbing courses");
  EXPECT_EQ(NormaliseSearch("\t"), "");
  EXPECT_LE(NormaliseSearch(std::string(100, 'x')).size(), 60u);
  // Never cuts a multi-byte character in half.
  std::string w;
  for (int i = 0; i < 40; ++i) w += "\xC3\xA9";  // é
  std::string n = NormaliseSearch(w);
  EXPECT_EQ(n.size() % 2, 0u);
}

TEST(UsageStoreTest, SessionsAddUpInTheirHourWithNoPerSessionRows) {
  TempDir dir;
  auto store = OpenStore(dir.File("usage.db"));
  ASSERT_TRUE(store);
  for (int i = 0; i < 3; ++i) {
    SessionTally t = Session(kMonday + 9 * 3600 + 60 * i * 7 + 13, 200);
    t.Once("view.apprenticeship");
    t.Add("subject.Engineering", 2);
    ASSERT_TRUE(store->RecordSession(t).ok());
  }
  SessionTally later = Session(kMonday + 14 * 3600 + 1, 20);
  ASSERT_TRUE(store->RecordSession(later).ok());
  const Day d = DayOf(kMonday);
  EXPECT_EQ(Total(*store, kSessions, d, d), 4);
  EXPECT_EQ(Total(*store, "view.apprenticeship", d, d), 3);
  EXPECT_EQ(Total(*store, "subject.Engineering", d, d), 6);
  EXPECT_EQ(Total(*store, "session_length.3_to_10m", d, d), 3);
  EXPECT_EQ(Total(*store, "session_length.under_1m", d, d), 1);
  EXPECT_EQ(Total(*store, kSessions, d + 1, d + 5), 0);
  // One row per (hour, counter), however many sessions: no per-session rows.
  auto rows = AllRows(dir.File("usage.db"), "counter");
  std::set<std::pair<std::string, std::string>> keys;
  for (const auto& r : rows) keys.insert({r[0], r[1]});
  EXPECT_EQ(keys.size(), rows.size());
  EXPECT_EQ(rows.size(), 4u + 2u);  // 9:00 x 4 counters, 14:00 x 2
}

void ExpectHourTimes(const std::string& path, std::initializer_list<const char*> suffixes) {
  for (const char* suffix : suffixes) {
    struct stat st {};
    ASSERT_EQ(stat((path + suffix).c_str(), &st), 0) << path << suffix;
    EXPECT_EQ(st.st_mtime % 3600, 0) << path << suffix;
  }
}

TEST(UsageStoreTest, NoTimestampFinerThanTheHourIsInTheFile) {
  TempDir dir;
  const std::string path = dir.File("usage.db");
  {
    auto store = OpenStore(path);
    ASSERT_TRUE(store);
    std::mt19937 rng(7);
    for (int i = 0; i < 40; ++i) {
      SessionTally t = Session(kMonday + static_cast<UnixTime>(rng() % (14 * 86400)), rng() % 900);
      t.Once("view.fe");
      t.missed_searches.insert("zzz" + std::to_string(i % 3));
      ASSERT_TRUE(store->RecordSession(t).ok());
    }
    ExpectHourTimes(path, {"", "-wal"});
  }
  // Not even the files' own times say when the last session ended (checked
  // before this test's own readers open the file): the file after the
  // writer closed it, and (above) the file and its WAL while it was open.
  ExpectHourTimes(path, {""});
  for (const auto& r : AllRows(path, "counter")) {
    EXPECT_TRUE(Shaped(r[0], "dddd-dd-dd dd:00")) << r[0];
    EXPECT_TRUE(Digits(r[2])) << r[2];
  }
  for (const auto& r : AllRows(path, "missed_search"))
    EXPECT_TRUE(Shaped(r[0], "dddd-dd-dd")) << r[0];
  // The schema holds only these three tables: no session or event table.
  std::set<std::string> tables;
  for (const auto& r : AllRows(path, "sqlite_master WHERE type = 'table'")) tables.insert(r[1]);
  EXPECT_EQ(tables, (std::set<std::string>{"counter", "missed_search", "missed_text"}));
  // No number anywhere could be a timestamp (a Unix time is ~1.8e9): the
  // counts are small, the session counts too.
  for (const char* t : {"counter", "missed_search", "missed_text"})
    for (const auto& r : AllRows(path, std::string("(SELECT * FROM ") + t + ")"))
      for (const auto& v : r)
        if (Digits(v)) {
          EXPECT_LT(std::stoll(v), 1000000) << t;
        }
}

TEST(UsageStoreTest, AMissedSearchIsKeptAsTextOnlyFromItsFifthSessionOnItsThirdDay) {
  TempDir dir;
  const std::string path = dir.File("usage.db");
  auto store = OpenStore(path);
  ASSERT_TRUE(store);
  const Day d = DayOf(kMonday);
  for (int i = 0; i < 4; ++i) {  // four sessions over three days
    SessionTally t = Session(kMonday + (i % 3) * 86400 + i * 3600, 100);
    t.missed_searches.insert(i % 2 ? "Marine Biology" : "  marine   biology");
    ASSERT_TRUE(store->RecordSession(t).ok());
  }
  auto missed = store->MissedSearches(d, d + 2);
  ASSERT_TRUE(missed.ok());
  ASSERT_EQ(missed->size(), 1u);
  EXPECT_EQ(missed->front().text, "");
  EXPECT_EQ(missed->front().sessions, 4);
  // The text is nowhere in the file, not even in the WAL.
  EXPECT_EQ((FileBytes(path) + FileBytes(path + "-wal")).find("marine"), std::string::npos);

  SessionTally fifth = Session(kMonday + 2 * 86400 + 5 * 3600, 100);
  fifth.missed_searches.insert("MARINE BIOLOGY");
  ASSERT_TRUE(store->RecordSession(fifth).ok());
  missed = store->MissedSearches(d, d + 2);
  ASSERT_TRUE(missed.ok());
  ASSERT_EQ(missed->size(), 1u);
  EXPECT_EQ(missed->front().text, "marine biology");
  EXPECT_EQ(missed->front().sessions, 5);

  // Another search with four sessions stays hidden beside it.
  for (int i = 0; i < 4; ++i) {
    SessionTally t = Session(kMonday + i * 86400 + i, 30);
    t.missed_searches.insert("underwater welding");
    ASSERT_TRUE(store->RecordSession(t).ok());
  }
  missed = store->MissedSearches(d, d + 3);
  ASSERT_TRUE(missed.ok());
  ASSERT_EQ(missed->size(), 2u);
  EXPECT_EQ(missed->at(0).text, "marine biology");
  EXPECT_EQ(missed->at(1).text, "");
  EXPECT_EQ(missed->at(1).sessions, 4);
}

TEST(UsageStoreTest, TheKeyIsPerInstallSoHashesDifferBetweenKiosks) {
  TempDir a, b;
  auto sa = OpenStore(a.File("usage.db"));
  auto sb = OpenStore(b.File("usage.db"));
  ASSERT_TRUE(sa && sb);
  SessionTally t = Session(kMonday, 10);
  t.missed_searches.insert("astronaut");
  ASSERT_TRUE(sa->RecordSession(t).ok());
  ASSERT_TRUE(sb->RecordSession(t).ok());
  auto ha = AllRows(a.File("usage.db"), "(SELECT hex(hash) FROM missed_text)");
  auto hb = AllRows(b.File("usage.db"), "(SELECT hex(hash) FROM missed_text)");
  ASSERT_EQ(ha.size(), 1u);
  ASSERT_EQ(hb.size(), 1u);
  EXPECT_NE(ha[0][0], hb[0][0]);
  EXPECT_EQ(std::filesystem::status(UsageKeyPath(a.File("usage.db"))).permissions() &
                std::filesystem::perms::others_read,
            std::filesystem::perms::none);
}

TEST(UsageStoreTest, RefusesFilesThatAreNotUsageFilesAndLeavesThemAlone) {
  TempDir dir;
  const std::string other = dir.File("other.db");
  sqlite3* db = nullptr;
  sqlite3_open(other.c_str(), &db);
  sqlite3_exec(db, "CREATE TABLE t(x); INSERT INTO t VALUES(1);", nullptr, nullptr, nullptr);
  sqlite3_close(db);
  const std::string before = FileBytes(other);
  auto s = UsageStore::Open(other);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), Status::Code::kCorrupt);
  EXPECT_NE(s.status().message().find("not a Signpost usage file"), std::string::npos);
  EXPECT_EQ(FileBytes(other), before);

  const std::string newer = dir.File("newer.db");
  { ASSERT_TRUE(OpenStore(newer)); }
  sqlite3_open(newer.c_str(), &db);
  sqlite3_exec(db, "PRAGMA user_version=9", nullptr, nullptr, nullptr);
  sqlite3_close(db);
  const std::string newer_bytes = FileBytes(newer);
  s = UsageStore::Open(newer);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), Status::Code::kTooNew);
  EXPECT_EQ(FileBytes(newer), newer_bytes);

  std::ofstream(dir.File("junk.db")) << "this is not sqlite at all, just some words";
  s = UsageStore::Open(dir.File("junk.db"));
  EXPECT_FALSE(s.ok());
  s = UsageStore::Open(dir.File("missing.db"), /*read_only=*/true);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), Status::Code::kNotFound);
}

// A writer process records sessions in a loop; SIGKILL it at a random moment
// (often inside a transaction). Each session adds 1 to "sessions" and 1 to
// "view.fe" in one transaction, so the two totals must always match, never
// go down, and the file must pass integrity_check.
TEST(UsageCrashTest, CountsSurviveSigkillMidWrite) {
  TempDir dir;
  const std::string path = dir.File("usage.db");
  { ASSERT_TRUE(OpenStore(path)); }
  std::mt19937 rng(42);
  std::int64_t previous = 0;
  int killed_with_progress = 0;
  for (int round = 0; round < 20; ++round) {
    int started[2];
    ASSERT_EQ(pipe(started), 0);
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      close(started[0]);
      auto store = UsageStore::Open(path);
      if (!store.ok()) _exit(3);
      for (int i = 0; i < 100000; ++i) {
        SessionTally t = Session(kMonday + (i % 500) * 3600, i % 700);
        t.Once("view.fe");
        t.missed_searches.insert("q" + std::to_string(i % 7));
        if (!(*store)->RecordSession(t).ok()) _exit(4);
        if (i == 0 && write(started[1], "x", 1) != 1) _exit(5);
      }
      _exit(0);
    }
    close(started[1]);
    // The kill lands at a random moment after the writer's first session,
    // not after a guessed start-up time (slow under qemu or a sanitizer).
    struct pollfd first {
      started[0], POLLIN, 0
    };
    ASSERT_EQ(poll(&first, 1, 30000), 1) << "the writer never recorded a session";
    close(started[0]);
    std::this_thread::sleep_for(std::chrono::milliseconds(rng() % 100));
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status)) << "the writer finished or failed (status " << status << ")";
    auto store = UsageStore::Open(path);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    ASSERT_TRUE((*store)->IntegrityCheck().ok());
    const Day from = DayOf(kMonday), to = from + 30;
    const std::int64_t sessions = Total(**store, kSessions, from, to);
    EXPECT_EQ(sessions, Total(**store, "view.fe", from, to));
    EXPECT_GE(sessions, previous);
    if (sessions > previous) ++killed_with_progress;
    previous = sessions;
  }
  EXPECT_GT(killed_with_progress, 10) << "the writer hardly wrote anything before each kill";
  std::printf("usage crash test: %lld sessions committed across 20 SIGKILLs\n",
              static_cast<long long>(previous));
}

TEST(UsageRecorderTest, WritesOnItsOwnThreadAndReportsTheCost) {
  TempDir dir;
  const std::string path = dir.File("usage.db");
  constexpr int kSessionsToWrite = 50;
  double submit_max_us = 0;
  {
    UsageRecorder rec(path);
    for (int i = 0; i < kSessionsToWrite; ++i) {
      SessionTally t = Session(kMonday + i * 6 * 3600, 90);  // over 13 days
      t.Once("view.he");
      t.Once("a11y.high_contrast");
      t.Add("subject.Health and social care", 3);
      t.missed_searches.insert("xylophone repair");
      auto t0 = std::chrono::steady_clock::now();
      rec.Submit(std::move(t));
      submit_max_us = std::max(
          submit_max_us,
          std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
    }
    rec.Flush();
    EXPECT_EQ(rec.written(), kSessionsToWrite);
    EXPECT_EQ(rec.last_error(), "");
    std::printf(
        "usage recorder: Submit() at most %.1f us on the UI thread; last transaction "
        "%.2f ms on the writer thread (synchronous=FULL)\n",
        submit_max_us, rec.last_write_ms());
  }
  auto store = UsageStore::Open(path, true);
  ASSERT_TRUE(store.ok());
  const Day d = DayOf(kMonday);
  EXPECT_EQ(Total(**store, kSessions, d, d + 13), kSessionsToWrite);
  auto missed = (*store)->MissedSearches(d, d + 13);
  ASSERT_TRUE(missed.ok());
  ASSERT_EQ(missed->size(), 1u);
  EXPECT_EQ(missed->front().text, "xylophone repair");
}

TEST(UsageRecorderTest, AnUnwritableFileIsAnErrorNotACrash) {
  UsageRecorder rec("/proc/signpost-no-such-dir/usage.db");
  rec.Submit(Session(kMonday, 5));
  rec.Flush();
  EXPECT_EQ(rec.written(), 0);
  EXPECT_NE(rec.last_error(), "");
}

}  // namespace
}  // namespace signpost::usage

namespace signpost::usage {
namespace {

// The cost of writing one session once the file holds a school year of
// counters (printed, not asserted: speed goals are not unit tests).
TEST(UsageStoreTest, PrintsTheWriteCostWithAYearOfData) {
  catalogue::testing::TempDir dir;
  const std::string path = dir.File("usage.db");
  { ASSERT_TRUE(UsageStore::Open(path).ok()); }
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db, "INSERT INTO counter VALUES(?1, ?2, ?3)", -1, &st, nullptr);
    std::int64_t rows = 0;
    for (int day = 0; day < 365; ++day) {
      for (int hour = 8; hour < 17; ++hour) {
        const std::string h = HourBucket(kMonday + day * 86400LL + hour * 3600LL);
        for (int c = 0; c < 40; ++c) {
          const std::string name = "subject.area " + std::to_string(c);
          sqlite3_bind_text(st, 1, h.c_str(), -1, SQLITE_TRANSIENT);
          sqlite3_bind_text(st, 2, name.c_str(), -1, SQLITE_TRANSIENT);
          sqlite3_bind_int64(st, 3, 3);
          sqlite3_step(st);
          sqlite3_reset(st);
          ++rows;
        }
      }
    }
    sqlite3_finalize(st);
    sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
    sqlite3_close(db);
    std::printf("usage file: %lld counter rows (a school year, 40 counters an hour)\n",
                static_cast<long long>(rows));
  }
  auto store = UsageStore::Open(path);
  ASSERT_TRUE(store.ok());
  std::vector<double> ms;
  for (int i = 0; i < 30; ++i) {
    SessionTally t = Session(kMonday + 200 * 86400LL + i * 600, 120);
    t.Once("view.fe");
    t.Once("explored.fe");
    t.Add("subject.area 3", 2);
    t.Once("filter.text");
    t.missed_searches.insert("quantum " + std::to_string(i % 4));
    auto t0 = std::chrono::steady_clock::now();
    ASSERT_TRUE((*store)->RecordSession(t).ok());
    ms.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(ms.begin(), ms.end());
  std::printf("one session written (synchronous=FULL): median %.2f ms, worst %.2f ms\n",
              ms[ms.size() / 2], ms.back());
  auto t0 = std::chrono::steady_clock::now();
  auto rows = (*store)->Counters(DayOf(kMonday), DayOf(kMonday) + 364);
  ASSERT_TRUE(rows.ok());
  std::printf(
      "reading a year of counters for a report: %.1f ms (%zu rows)\n",
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count(),
      rows->size());
}

}  // namespace
}  // namespace signpost::usage
