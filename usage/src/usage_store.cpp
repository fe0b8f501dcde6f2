// UsageStore and UsageRecorder. Index:
//   [SECTION] Helpers (SQLite statements, the key file)
//   [SECTION] Names and buckets
//   [SECTION] Open, schema
//   [SECTION] Writing a session
//   [SECTION] Reading
//   [SECTION] UsageRecorder
#include "signpost/usage.h"

#include <fcntl.h>
#include <sodium.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <unordered_map>

namespace signpost::usage {
namespace {

// [SECTION] Helpers ----------------------------------------------------------------

class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql) {
    if (sqlite3_prepare_v2(db, sql, -1, &s_, nullptr) != SQLITE_OK) s_ = nullptr;
  }
  ~Stmt() { sqlite3_finalize(s_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  bool ok() const { return s_ != nullptr; }
  Stmt& Text(int i, std::string_view v) {
    sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Stmt& Blob(int i, const void* p, int n) {
    sqlite3_bind_blob(s_, i, p, n, SQLITE_TRANSIENT);
    return *this;
  }
  Stmt& Int(int i, std::int64_t v) {
    sqlite3_bind_int64(s_, i, v);
    return *this;
  }
  // SQLITE_ROW -> true; SQLITE_DONE -> false; errors -> false with rc() set.
  bool Step() {
    rc_ = s_ ? sqlite3_step(s_) : SQLITE_ERROR;
    return rc_ == SQLITE_ROW;
  }
  bool Done() {
    Step();
    bool good = rc_ == SQLITE_DONE;
    sqlite3_reset(s_);
    return good;
  }
  void Reset() {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
  }
  int rc() const { return rc_; }
  std::int64_t Col64(int i) { return sqlite3_column_int64(s_, i); }
  std::string ColText(int i) {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s_, i));
    return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(s_, i))) : "";
  }
  bool IsNull(int i) { return sqlite3_column_type(s_, i) == SQLITE_NULL; }

 private:
  sqlite3_stmt* s_ = nullptr;
  int rc_ = SQLITE_OK;
};

std::string Err(sqlite3* db) { return db ? sqlite3_errmsg(db) : "out of memory"; }

Status Exec(sqlite3* db, const char* sql, const std::string& what) {
  char* msg = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &msg) == SQLITE_OK) return Status::Ok();
  std::string m = msg ? msg : Err(db);
  sqlite3_free(msg);
  return Status::IoError(what + ": " + m);
}

std::int64_t PragmaInt(sqlite3* db, const char* sql) {
  Stmt s(db, sql);
  return s.Step() ? s.Col64(0) : -1;
}

// Reads the 32-byte key, or (writer) creates it atomically: temp file, fsync,
// rename, fsync of the folder. The key's folder is made (or put back to)
// 0700; a key left beside the usage file by an older Signpost is moved in.
Result<std::string> LoadOrCreateKey(const std::string& key_path, const std::string& old_path,
                                    bool create) {
  std::string key(crypto_generichash_KEYBYTES, '\0');
  const std::string key_dir = std::filesystem::path(key_path).parent_path().string();
  if (create) {
    if (mkdir(key_dir.c_str(), 0700) != 0 && errno != EEXIST)
      return Status::IoError("cannot create " + key_dir + ": " + std::strerror(errno));
    struct stat st {};
    if (lstat(key_dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
      return Status::IoError(key_dir + " is not a folder (move it away)");
    if ((st.st_mode & 077) != 0) chmod(key_dir.c_str(), 0700);
    if (access(key_path.c_str(), F_OK) != 0 && access(old_path.c_str(), F_OK) == 0)
      rename(old_path.c_str(), key_path.c_str());
  }
  int fd = open(key_path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd >= 0) {
    ssize_t n = read(fd, key.data(), key.size());
    close(fd);
    if (n != static_cast<ssize_t>(key.size()))
      return Status::Corrupt(key_path +
                             " is not a usage key (wrong size); move it away to start "
                             "a new one (missed-search counts restart)");
    return key;
  }
  if (!create) return std::string();  // readers do not need it
  randombytes_buf(key.data(), key.size());
  const std::string tmp = key_path + ".tmp";
  unlink(tmp.c_str());
  fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) return Status::IoError("cannot create " + tmp);
  bool good =
      write(fd, key.data(), key.size()) == static_cast<ssize_t>(key.size()) && fsync(fd) == 0;
  close(fd);
  if (!good || rename(tmp.c_str(), key_path.c_str()) != 0) {
    unlink(tmp.c_str());
    return Status::IoError("cannot write " + key_path);
  }
  std::string dir = std::filesystem::path(key_path).parent_path().string();
  int dfd = open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    fsync(dfd);
    close(dfd);
  }
  return key;
}

std::string DayText(Day d) { return FormatIsoDate(d); }

// The files' own times would say to the second when the last session ended:
// round them down to the hour like everything inside.
void RoundFileTimesToTheHour(const std::string& path) {
  const UnixTime hour = NowUnix() / 3600 * 3600;
  const struct timespec times[2] = {{static_cast<time_t>(hour), 0}, {static_cast<time_t>(hour), 0}};
  for (const char* suffix : {"", "-wal", "-shm"})
    utimensat(AT_FDCWD, (path + suffix).c_str(), times, 0);
}

}  // namespace

// [SECTION] Names and buckets -------------------------------------------------------

std::string SessionLengthCounter(double seconds) {
  if (seconds < 60) return "session_length.under_1m";
  if (seconds < 180) return "session_length.1_to_3m";
  if (seconds < 600) return "session_length.3_to_10m";
  return "session_length.over_10m";
}

std::string NormaliseSearch(std::string_view text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    unsigned char u = static_cast<unsigned char>(c);
    if (std::isspace(u)) {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(u < 0x80 ? static_cast<char>(std::tolower(u)) : c);
  }
  if (out.size() > 60) {
    std::size_t n = 60;
    while (n > 0 && (static_cast<unsigned char>(out[n]) & 0xC0) == 0x80) --n;  // whole characters
    out.resize(n);
  }
  return out;
}

std::string UsageKeyPath(const std::string& usage_path) {
  const std::filesystem::path p(usage_path);
  return (p.parent_path() / "usage-key" / (p.filename().string() + ".key")).string();
}

namespace {

// The words of a normalised text, or nothing when it holds anything but
// lower-case letters, spaces, hyphens and apostrophes (digits, "@", ".",
// "/", ":" and other scripts all mean: do not keep).
std::optional<std::vector<std::string>> WordsOf(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  for (char c : text) {
    if (c >= 'a' && c <= 'z') {
      word.push_back(c);
    } else if (c == ' ' || c == '-') {
      if (!word.empty()) words.push_back(std::move(word));
      word.clear();
    } else if (c == '\'' && !word.empty()) {
      word.push_back(c);
    } else {
      return std::nullopt;
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  if (words.empty()) return std::nullopt;
  return words;
}

}  // namespace

std::set<std::string> KeepableSearchTexts(const std::set<std::string>& normalised,
                                          const std::string& dictionary_path) {
  std::map<std::string, std::vector<std::string>> split;
  std::set<std::string> wanted;  // every word asked about
  for (const std::string& t : normalised) {
    auto words = WordsOf(t);
    if (!words) continue;
    for (const auto& w : *words) wanted.insert(w);
    split[t] = std::move(*words);
  }
  std::set<std::string> out;
  if (wanted.empty()) return out;
  // One pass over the word list, keeping only what was asked about: no
  // word list stays in memory between sessions.
  std::set<std::string> common, capitalised;
  std::ifstream in(dictionary_path);
  std::string line;
  for (int n = 0; n < 2'000'000 && std::getline(in, line); ++n) {
    if (line.empty() || line.size() > 64) continue;
    const bool upper = line[0] >= 'A' && line[0] <= 'Z';
    std::string lower = line;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (!wanted.count(lower)) continue;
    (upper ? capitalised : common).insert(lower);
  }
  for (const auto& [text, words] : split) {
    const bool known = std::all_of(words.begin(), words.end(), [&](const std::string& w) {
      return common.count(w) > 0;  // capitalised-only entries ("Jane") are names
    });
    if (known) out.insert(text);
  }
  return out;
}

std::string HourBucket(UnixTime t) {
  const Day d = DayOf(t);
  const std::int64_t hour = (t - static_cast<std::int64_t>(d) * 86400) / 3600;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s %02d:00", FormatIsoDate(d).c_str(), static_cast<int>(hour));
  return buf;
}

// [SECTION] Open, schema ---------------------------------------------------------------

static constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS counter(
  hour  TEXT NOT NULL,     -- 'YYYY-MM-DD HH:00' UTC: nothing finer is stored
  name  TEXT NOT NULL,     -- e.g. 'sessions', 'view.apprenticeship'
  value INTEGER NOT NULL,
  PRIMARY KEY(hour, name)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS missed_search(
  day      TEXT NOT NULL,  -- 'YYYY-MM-DD' UTC
  hash     BLOB NOT NULL,  -- keyed BLAKE2b of the normalised text (key in usage.db.key)
  sessions INTEGER NOT NULL,
  PRIMARY KEY(day, hash)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS missed_text(
  hash     BLOB PRIMARY KEY,
  sessions INTEGER NOT NULL, -- distinct sessions over all time
  text     TEXT              -- NULL until 5 sessions on 3 days, and only ordinary words
) WITHOUT ROWID;
)sql";

Result<std::unique_ptr<UsageStore>> UsageStore::Open(const std::string& path, bool read_only) {
  if (sodium_init() < 0) return Status::Internal("libsodium could not start");
  std::unique_ptr<UsageStore> store(new UsageStore());
  store->path_ = path;
  struct stat st {};
  const bool exists = stat(path.c_str(), &st) == 0;
  if (read_only && !exists) return Status::NotFound("no usage file at " + path);
  int flags = read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  if (sqlite3_open_v2(path.c_str(), &store->db_, flags | SQLITE_OPEN_NOMUTEX, nullptr) !=
      SQLITE_OK) {
    return Status::IoError("cannot open " + path + ": " + Err(store->db_));
  }
  sqlite3* db = store->db_;
  sqlite3_busy_timeout(db, 5000);
  const std::int64_t app = PragmaInt(db, "PRAGMA application_id");
  if (app < 0) return Status::Corrupt(path + " is not a SQLite database (" + Err(db) + ")");
  const std::int64_t tables = PragmaInt(db, "SELECT count(*) FROM sqlite_master");
  if (app != kUsageApplicationId && (app != 0 || tables > 0))
    return Status::Corrupt(path + " is not a Signpost usage file");
  const std::int64_t version = PragmaInt(db, "PRAGMA user_version");
  if (version > kUsageSchemaVersion)
    return Status::TooNew(path + " was written by a newer Signpost (usage schema " +
                          std::to_string(version) + "); left untouched");
  if (read_only) {
    if (version < 1) return Status::Corrupt(path + " has no usage data yet");
    return store;
  }
  if (Status s = Exec(db, "PRAGMA journal_mode=WAL", path); !s.ok()) return s;
  // FULL: a committed session survives a power cut, not just a crash. One
  // small transaction per session makes the extra fsync cheap.
  if (Status s = Exec(db, "PRAGMA synchronous=FULL", path); !s.ok()) return s;
  if (version < 1) {
    std::string sql = std::string("BEGIN IMMEDIATE;") + kSchema +
                      "PRAGMA application_id=" + std::to_string(kUsageApplicationId) +
                      ";PRAGMA user_version=" + std::to_string(kUsageSchemaVersion) + ";COMMIT;";
    if (Status s = Exec(db, sql.c_str(), "creating " + path); !s.ok()) return s;
  } else if (version < 2) {
    // 1 -> 2: texts were kept after 5 sessions whatever they said (a name
    // and phone number typed five times was kept). Forget every text; the
    // counts stay, and a text comes back when it passes the new rules.
    if (Status s = Exec(db,
                        "BEGIN IMMEDIATE;UPDATE missed_text SET text = NULL;"
                        "PRAGMA user_version=2;COMMIT;",
                        "upgrading " + path);
        !s.ok())
      return s;
    Exec(db, "VACUUM", "vacuum " + path);  // the old texts leave the file's free pages too
  }
  auto key = LoadOrCreateKey(UsageKeyPath(path), path + ".key", true);
  if (!key.ok()) return key.status();
  store->key_ = std::move(key.value());
  return store;
}

UsageStore::~UsageStore() {
  sqlite3_close_v2(db_);  // a writer's close checkpoints the WAL into the file
  if (!key_.empty()) RoundFileTimesToTheHour(path_);
}

// [SECTION] Writing a session -----------------------------------------------------------

Status UsageStore::RecordSession(const SessionTally& tally) {
  if (key_.empty()) return Status::InvalidArgument("usage file opened read-only");
  const std::string hour = HourBucket(tally.started);
  const Day today = DayOf(tally.started);
  const std::string day = DayText(today);
  // Accessibility needs are counted per week: the hour bucket of the week's Monday.
  const std::string week_hour =
      HourBucket(static_cast<UnixTime>(today - (((today + 3) % 7) + 7) % 7) * 86400);
  std::set<std::string> normalised;
  for (const auto& text : tally.missed_searches) {
    std::string norm = NormaliseSearch(text);
    if (!norm.empty()) normalised.insert(std::move(norm));
  }
  const std::set<std::string> keepable = KeepableSearchTexts(normalised, dictionary_);
  if (Status s = Exec(db_, "BEGIN IMMEDIATE", "usage: begin"); !s.ok()) return s;
  bool good = true;
  {
    Stmt add(db_,
             "INSERT INTO counter(hour, name, value) VALUES(?1, ?2, ?3) "
             "ON CONFLICT(hour, name) DO UPDATE SET value = value + excluded.value");
    good = add.ok();
    for (const auto& [name, n] : tally.counts) {
      if (!good) break;
      if (n == 0 || name.empty()) continue;
      add.Text(1, name.starts_with("a11y.") ? week_hour : hour).Text(2, name).Int(3, n);
      good = add.Done();
    }
    Stmt day_row(db_,
                 "INSERT INTO missed_search(day, hash, sessions) VALUES(?1, ?2, 1) "
                 "ON CONFLICT(day, hash) DO UPDATE SET sessions = sessions + 1");
    Stmt text_row(db_,
                  "INSERT INTO missed_text(hash, sessions, text) VALUES(?1, 1, NULL) "
                  "ON CONFLICT(hash) DO UPDATE SET sessions = sessions + 1");
    // The session that passes the thresholds still has the text: store it
    // now, when it is made of ordinary words.
    Stmt reveal(db_,
                "UPDATE missed_text SET text = ?2 WHERE hash = ?1 AND text IS NULL "
                "AND sessions >= ?3 AND "
                "(SELECT count(*) FROM missed_search WHERE hash = ?1) >= ?4");
    good = good && day_row.ok() && text_row.ok() && reveal.ok();
    for (const auto& norm : normalised) {
      if (!good) break;
      unsigned char h[16];
      crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char*>(norm.data()),
                         norm.size(), reinterpret_cast<const unsigned char*>(key_.data()),
                         key_.size());
      day_row.Text(1, day).Blob(2, h, sizeof h);
      text_row.Blob(1, h, sizeof h);
      good = day_row.Done() && text_row.Done();
      if (good && keepable.count(norm)) {
        reveal.Blob(1, h, sizeof h)
            .Text(2, norm)
            .Int(3, kMissedTextThreshold)
            .Int(4, kMissedTextMinDays);
        good = reveal.Done();
      }
    }
  }
  if (!good) {
    std::string why = Err(db_);
    Exec(db_, "ROLLBACK", "usage: rollback");
    return Status::IoError("could not record a session in " + path_ + ": " + why);
  }
  Status committed = Exec(db_, "COMMIT", "usage: commit " + path_);
  if (committed.ok()) RoundFileTimesToTheHour(path_);
  return committed;
}

// [SECTION] Reading ------------------------------------------------------------------------

Result<std::vector<CounterTotal>> UsageStore::Counters(Day from, Day to) {
  std::vector<CounterTotal> out;
  Stmt q(db_,
         "SELECT hour, name, value FROM counter WHERE hour >= ?1 AND hour < ?2 "
         "ORDER BY hour, name");
  if (!q.ok()) return Status::Corrupt(path_ + ": " + Err(db_));
  q.Text(1, DayText(from)).Text(2, DayText(to + 1));
  while (q.Step()) out.push_back(CounterTotal{q.ColText(0), q.ColText(1), q.Col64(2)});
  if (q.rc() != SQLITE_DONE) return Status::IoError(path_ + ": " + Err(db_));
  return out;
}

Result<std::vector<MissedSearch>> UsageStore::MissedSearches(Day from, Day to) {
  std::vector<MissedSearch> out;
  Stmt q(db_,
         "SELECT coalesce(t.text, ''), sum(m.sessions), coalesce(t.sessions, 0) "
         "FROM missed_search m LEFT JOIN missed_text t ON t.hash = m.hash "
         "WHERE m.day >= ?1 AND m.day <= ?2 GROUP BY m.hash "
         "ORDER BY sum(m.sessions) DESC, t.text");
  if (!q.ok()) return Status::Corrupt(path_ + ": " + Err(db_));
  q.Text(1, DayText(from)).Text(2, DayText(to));
  while (q.Step()) out.push_back(MissedSearch{q.ColText(0), q.Col64(1), q.Col64(2)});
  if (q.rc() != SQLITE_DONE) return Status::IoError(path_ + ": " + Err(db_));
  return out;
}

Result<std::pair<Day, Day>> UsageStore::DataRange() {
  Stmt q(db_, "SELECT min(hour), max(hour) FROM counter");
  if (!q.ok() || !q.Step() || q.IsNull(0)) return Status::NotFound("no usage recorded yet");
  auto a = ParseIsoDate(q.ColText(0).substr(0, 10));
  auto b = ParseIsoDate(q.ColText(1).substr(0, 10));
  if (!a || !b) return Status::Corrupt(path_ + ": unreadable hour in counter table");
  return std::make_pair(*a, *b);
}

Status UsageStore::IntegrityCheck() {
  Stmt q(db_, "PRAGMA integrity_check");
  if (q.Step() && q.ColText(0) == "ok") return Status::Ok();
  return Status::Corrupt(path_ + " failed its integrity check");
}

// [SECTION] UsageRecorder ---------------------------------------------------------------------

UsageRecorder::UsageRecorder(std::string path, std::string dictionary)
    : path_(std::move(path)), dictionary_(std::move(dictionary)) {
  thread_ = std::thread([this] { Run(); });
}

UsageRecorder::~UsageRecorder() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void UsageRecorder::Submit(SessionTally tally) {
  {
    std::lock_guard lock(mu_);
    if (queue_.size() >= 64) queue_.pop_front();  // a stuck disk must not grow memory
    queue_.push_back(std::move(tally));
  }
  cv_.notify_all();
}

void UsageRecorder::Flush() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [this] { return queue_.empty() && !busy_; });
}

std::int64_t UsageRecorder::written() const {
  std::lock_guard lock(mu_);
  return written_;
}

std::string UsageRecorder::last_error() const {
  std::lock_guard lock(mu_);
  return last_error_;
}

double UsageRecorder::last_write_ms() const {
  std::lock_guard lock(mu_);
  return last_write_ms_;
}

void UsageRecorder::Run() {
  std::unique_ptr<UsageStore> store;
  std::unique_lock lock(mu_);
  for (;;) {
    cv_.wait(lock, [this] { return stop_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stop_ and nothing left
    SessionTally tally = std::move(queue_.front());
    queue_.pop_front();
    busy_ = true;
    lock.unlock();
    const auto t0 = std::chrono::steady_clock::now();
    Status st = Status::Ok();
    if (!store) {
      auto opened = UsageStore::Open(path_);
      if (opened.ok()) {
        store = std::move(opened.value());
        store->set_dictionary(dictionary_);
      } else {
        st = opened.status();
      }
    }
    if (store) st = store->RecordSession(tally);
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    lock.lock();
    busy_ = false;
    last_write_ms_ = ms;
    if (st.ok()) {
      ++written_;
    } else {
      last_error_ = st.message();
      store.reset();  // try a fresh open next time (the disk may come back)
    }
    cv_.notify_all();
  }
}

}  // namespace signpost::usage
