// Anonymous usage counters: what the kiosk was used for, in aggregate only,
// so a careers leader can evaluate the school's careers provision.
//
// A separate SQLite file (default /var/lib/signpost/usage.db, beside the
// catalogue) with its own application_id and schema version; the catalogue
// is never written by the kiosk. Privacy rules, enforced here and tested:
//   - rows are (UTC hour, counter name) -> count; no timestamp finer than the
//     hour is stored, and nothing per session (no ids, no trails);
//   - a search that found nothing is stored as a keyed hash (libsodium
//     crypto_generichash, with a random per-install key kept in a private
//     folder, usage-key/, that only the writer reads) and a count of the
//     distinct sessions that made it. Its text is stored only when all of:
//     at least kMissedTextThreshold sessions made it, on at least
//     kMissedTextMinDays different days, and every word of it is an
//     ordinary English word from the dictionary (no digits, no e-mail or
//     web addresses, no word the dictionary knows only as a name). One
//     pupil typing their name and phone number in five sessions is counted,
//     never written down;
//   - accessibility counters ("a11y.*") are stored per week (in the hour
//     bucket of the week's Monday 00:00), so no visit's needs can be read
//     off beside what it looked at;
//   - session lengths are stored as buckets (<1, 1-3, 3-10, >10 minutes);
//   - the files' own modification times are rounded down to the hour too.
// The kiosk adds up a session in memory (SessionTally) and hands it to a
// UsageRecorder, which writes it in one small transaction on its own thread.
//
// Owner: the usage module (kiosk hooks and `content-sync report` use it).
// Thread safety: a UsageStore is one SQLite connection, one thread at a time;
// UsageRecorder::Submit may be called from any thread.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "signpost/dates.h"
#include "signpost/status.h"

struct sqlite3;

namespace signpost::usage {

inline constexpr int kUsageSchemaVersion = 2;  // 2: texts kept under the word rules
inline constexpr std::int32_t kUsageApplicationId = 0x53505553;  // "SPUS"
inline constexpr int kMissedTextThreshold = 5;  // sessions before a search's text is kept
inline constexpr int kMissedTextMinDays = 3;    // ... on at least this many different days
// Debian's wbritish: the English words a missed search's text may be made of.
inline constexpr const char* kDefaultDictionary = "/usr/share/dict/british-english";

// [SECTION] Counter names ------------------------------------------------------
// Counter names are short ASCII keys; the report knows how to read them.
inline constexpr const char* kSessions = "sessions";
// "session_length.under_1m" .. "session_length.over_10m"
std::string SessionLengthCounter(double seconds);
// Views: "view.fe", "view.tlevel", "view.he", "view.apprenticeship",
// "view.careers", "view.events" (one per distinct thing opened per session).
// "explored.<route>": sessions that opened anything on that route.
// "subject.<subject area>": opportunities viewed, by subject area.
// "filter.<route|level|mode|subject|distance|starting_soon|text>": sessions using it.
// "a11y.<text_size|high_contrast|dyslexia_font|read_aloud|language>": sessions using it.
// "shortlist.taken_away": sessions that opened their shortlist's take-away code
// with something on it; "shortlist.items": items on those shortlists.
// "screen.<name>": sessions that opened that screen (help, subjects, ...).
// "search.none_found": searches that found nothing.

// "  Plumbing   COURSES " -> "plumbing courses" (case-folded ASCII, spaces
// collapsed, at most 60 bytes). Used as the identity of a missed search.
std::string NormaliseSearch(std::string_view text);

// The texts (normalised) that may be written down: made only of letters,
// spaces, hyphens and apostrophes, and every word a lower-case entry of the
// dictionary at `dictionary_path` (one word a line) that is not also there
// only as a capitalised name ("Jane"). A missing dictionary keeps nothing.
// Reads the dictionary once per call, keeping only the words asked about.
std::set<std::string> KeepableSearchTexts(const std::set<std::string>& normalised,
                                          const std::string& dictionary_path);

// Where the writer keeps the missed-search key for the usage file at
// `usage_path`: a 0700 folder "usage-key" beside it, not the file's own
// folder listing, so a copy of the usage file (or a reader, such as the
// sync units, which cannot see that folder) does not carry the key.
std::string UsageKeyPath(const std::string& usage_path);

// What one session did. Built on the UI thread, then handed to a recorder.
struct SessionTally {
  UnixTime started = 0;                        // only its hour is stored
  double seconds = 0;                          // how long it lasted
  std::map<std::string, std::int64_t> counts;  // counter name -> amount to add
  std::set<std::string> missed_searches;       // normalised texts that found nothing

  void Add(const std::string& name, std::int64_t n = 1) { counts[name] += n; }
  // Counts `name` at most once for this session.
  void Once(const std::string& name) { counts[name] = 1; }
};

// "2026-11-25 14:00" for the hour holding `t` (UTC).
std::string HourBucket(UnixTime t);

struct CounterTotal {
  std::string hour;  // "YYYY-MM-DD HH:00" (UTC)
  std::string name;
  std::int64_t value = 0;
};

struct MissedSearch {
  std::string text;           // "" unless it passed every rule above
  std::int64_t sessions = 0;  // in the range asked for
  std::int64_t sessions_all_time = 0;
};

class UsageStore {
 public:
  // Opens (and for a writer creates) the usage file. The key file is
  // UsageKeyPath(path) (32 random bytes, mode 0600 in a 0700 folder),
  // created with the file; readers never open it.
  // Errors: kNotFound (reader, no file), kCorrupt (not a usage file),
  // kTooNew (newer schema, untouched), kIoError.
  static Result<std::unique_ptr<UsageStore>> Open(const std::string& path, bool read_only = false);
  ~UsageStore();
  UsageStore(const UsageStore&) = delete;
  UsageStore& operator=(const UsageStore&) = delete;

  // Adds one finished session in one transaction (all or nothing).
  Status RecordSession(const SessionTally& tally);

  // Counter totals per hour in [from, to] (whole days, inclusive, UTC).
  Result<std::vector<CounterTotal>> Counters(Day from, Day to);
  // Searches that found nothing in [from, to], most sessions first. Texts are
  // only those that have reached the threshold (over all time).
  Result<std::vector<MissedSearch>> MissedSearches(Day from, Day to);
  // First and last day holding any data; nullopt pair when empty.
  Result<std::pair<Day, Day>> DataRange();
  Status IntegrityCheck();
  const std::string& path() const { return path_; }
  // The word list for KeepableSearchTexts (default kDefaultDictionary).
  void set_dictionary(std::string path) { dictionary_ = std::move(path); }

 private:
  UsageStore() = default;
  std::string path_;
  std::string dictionary_ = kDefaultDictionary;
  sqlite3* db_ = nullptr;
  std::string key_;  // keyed-hash key (writer only)
};

// Writes sessions on a background thread so the UI never waits on the disk.
// The file is opened on first use; a failure is kept (last_error) and the
// session is dropped: usage counting never stops the kiosk.
class UsageRecorder {
 public:
  explicit UsageRecorder(std::string path, std::string dictionary = kDefaultDictionary);
  ~UsageRecorder();  // writes what is queued (bounded), then joins
  UsageRecorder(const UsageRecorder&) = delete;
  UsageRecorder& operator=(const UsageRecorder&) = delete;

  void Submit(SessionTally tally);  // never blocks on I/O
  // Blocks until everything submitted so far is written (tests, export).
  void Flush();
  std::int64_t written() const;
  std::string last_error() const;
  double last_write_ms() const;  // how long the last transaction took
  const std::string& path() const { return path_; }

 private:
  void Run();
  const std::string path_;
  const std::string dictionary_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<SessionTally> queue_;  // GUARDED_BY(mu_)
  bool stop_ = false;               // GUARDED_BY(mu_)
  bool busy_ = false;               // GUARDED_BY(mu_): a write in progress
  std::int64_t written_ = 0;        // GUARDED_BY(mu_)
  std::string last_error_;          // GUARDED_BY(mu_)
  double last_write_ms_ = 0;        // GUARDED_BY(mu_)
  std::thread thread_;
};

}  // namespace signpost::usage
