// Issue 16: what one visitor does must never be readable from the usage
// file or the careers leader's report. A name and phone number typed in
// five sessions is counted, never written down; every count under 5 is
// "fewer than 5"; accessibility needs are kept per week; the missed-search
// key is not beside the file; the export never writes through a link.
// Uses Debian's English word list (wbritish, deploy/install-deps.sh).
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "signpost/usage_report.h"
#include "test_util.h"

namespace signpost::usage {
namespace {

namespace fs = std::filesystem;
using catalogue::testing::TempDir;

constexpr UnixTime kMonday = 1794182400;  // 2026-11-09 00:00:00 UTC, a Monday
const Day kFirst = DayOf(kMonday);

std::string Read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

SessionTally Visit(UnixTime started) {
  SessionTally t;
  t.started = started;
  t.seconds = 200;
  t.Add(kSessions);
  t.Add(SessionLengthCounter(t.seconds));
  return t;
}

class UsagePrivacyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(fs::exists(kDefaultDictionary))
        << kDefaultDictionary << " is missing: apt-get install wbritish (deploy/install-deps.sh)";
    auto s = UsageStore::Open(dir_.File("usage.db"));
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s.value());
  }
  // Everything a careers leader (or anyone with the files) could read.
  std::string EverythingWritten() {
    ReportOptions o;
    o.from = kFirst;
    o.to = kFirst + 27;
    o.out_dir = dir_.File("report");
    auto files = WriteUsageReport(*store_, o);
    EXPECT_TRUE(files.ok()) << files.status().ToString();
    std::string all;
    for (const auto& p : files->paths) all += Read(p) + "\n";
    return all;
  }
  std::string TheUsageFile() {
    return Read(dir_.File("usage.db")) + Read(dir_.File("usage.db-wal"));
  }

  TempDir dir_;
  std::unique_ptr<UsageStore> store_;
};

TEST_F(UsagePrivacyTest, ANameAndPhoneNumberTypedInFiveSessionsAreCountedNeverWritten) {
  for (int i = 0; i < 5; ++i) {  // the review's attack: five idle-separated sessions
    SessionTally t = Visit(kMonday + 9 * 3600 + i * 600);
    t.missed_searches.insert("Jane Smith 07700 900123");
    t.Add("search.none_found");
    ASSERT_TRUE(store_->RecordSession(t).ok());
  }
  const std::string report = Lower(EverythingWritten());
  for (const char* secret : {"jane", "smith", "07700", "900123"}) {
    EXPECT_EQ(report.find(secret), std::string::npos) << secret << " is in the report";
    EXPECT_EQ(Lower(TheUsageFile()).find(secret), std::string::npos) << secret << " is in usage.db";
  }
  auto missed = store_->MissedSearches(kFirst, kFirst + 27);
  ASSERT_TRUE(missed.ok());
  ASSERT_EQ(missed->size(), 1u);  // still counted
  EXPECT_EQ(missed->front().sessions, 5);
  EXPECT_EQ(missed->front().text, "");
}

TEST_F(UsagePrivacyTest, ANameRepeatedOnManyDaysIsStillNeverWritten) {
  // One visitor coming back every day for two weeks, typing their name (no
  // digits this time) and their e-mail address.
  for (int day = 0; day < 14; ++day) {
    SessionTally t = Visit(kMonday + day * 86400 + 12 * 3600);
    t.missed_searches.insert("jane smith");
    t.missed_searches.insert("jane.smith@example.com");
    t.missed_searches.insert("www example com");
    ASSERT_TRUE(store_->RecordSession(t).ok());
  }
  const std::string report = Lower(EverythingWritten());
  for (const char* secret : {"jane", "smith", "example"}) {
    EXPECT_EQ(report.find(secret), std::string::npos) << secret << " is in the report";
    EXPECT_EQ(Lower(TheUsageFile()).find(secret), std::string::npos) << secret << " is in usage.db";
  }
}

TEST_F(UsagePrivacyTest, OrdinaryWordsAreKeptOnlyOnceSeenOnThreeDifferentDays) {
  for (int i = 0; i < 6; ++i) {  // six sessions, one day
    SessionTally t = Visit(kMonday + 10 * 3600 + i * 600);
    t.missed_searches.insert("Marine Biology");
    ASSERT_TRUE(store_->RecordSession(t).ok());
  }
  auto missed = store_->MissedSearches(kFirst, kFirst + 27);
  ASSERT_TRUE(missed.ok());
  ASSERT_EQ(missed->size(), 1u);
  EXPECT_EQ(missed->front().text, "") << "one day is one class, or one visitor";
  for (int day = 1; day <= 2; ++day) {
    SessionTally t = Visit(kMonday + day * 86400 + 10 * 3600);
    t.missed_searches.insert("marine biology");
    ASSERT_TRUE(store_->RecordSession(t).ok());
  }
  missed = store_->MissedSearches(kFirst, kFirst + 27);
  ASSERT_TRUE(missed.ok());
  EXPECT_EQ(missed->front().text, "marine biology");
  EXPECT_NE(EverythingWritten().find("marine biology"), std::string::npos);
}

TEST_F(UsagePrivacyTest, OnlyTextsMadeOfOrdinaryDictionaryWordsMayBeKept) {
  const auto kept =
      KeepableSearchTexts({"marine biology", "vet nurse", "jane smith",
                           "smith",  // a trade, as well as a name
                           "call 07700900123", "jo@example.com", "gov.uk", "xqzv", "plumbing"},
                          kDefaultDictionary);
  EXPECT_EQ(kept, (std::set<std::string>{"marine biology", "vet nurse", "smith", "plumbing"}));
  EXPECT_TRUE(KeepableSearchTexts({"plumbing"}, dir_.File("no-such-word-list")).empty())
      << "no word list: nothing is kept";
}

TEST_F(UsagePrivacyTest, OneVisitorsSessionCannotBeReadOffTheReport) {
  SessionTally t = Visit(kMonday + 2 * 86400 + 14 * 3600);  // a Wednesday afternoon
  t.Add("view.he");
  t.Once("explored.he");
  t.Add("subject.Health and social care");
  t.Once("a11y.dyslexia_font");
  t.Once("a11y.read_aloud");
  t.Once("screen.help");
  t.Once("shortlist.taken_away");
  t.missed_searches.insert("plumbing");
  ASSERT_TRUE(store_->RecordSession(t).ok());
  ReportOptions o;
  o.from = o.to = kFirst + 2;  // a report of that one day
  o.out_dir = dir_.File("one-day");
  auto files = WriteUsageReport(*store_, o);
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  for (const auto& p : files->paths) {
    const std::string text = Read(p);
    SCOPED_TRACE(p);
    if (p.ends_with(".csv")) {
      // No count under 5 anywhere: each is "fewer than 5" (or not listed).
      std::stringstream ss(text);
      for (std::string line; std::getline(ss, line);) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        const std::string last = line.substr(line.rfind(',') + 1);
        EXPECT_TRUE(last.empty() || last.find_first_not_of("0123456789") != std::string::npos ||
                    std::stoll(last) >= 5)
            << line;
      }
      EXPECT_EQ(text.find("Health and social care"), std::string::npos);
      EXPECT_EQ(text.find("plumbing"), std::string::npos);
    } else {
      for (const char* small : {"\"n\">1<", "\"n\">0<", ": 1<", "(1)", ">100%<", "<b>1</b>"})
        EXPECT_EQ(text.find(small), std::string::npos) << small;
      EXPECT_EQ(text.find("Health and social care"), std::string::npos);
      EXPECT_NE(text.find("fewer than 5"), std::string::npos);
    }
  }
  const std::string daily = Read(dir_.File("one-day/daily.csv"));
  EXPECT_EQ(daily.find("a11y"), std::string::npos) << daily;
  EXPECT_EQ(daily.find("2026-11-11"), std::string::npos) << daily;
}

TEST_F(UsagePrivacyTest, AccessibilityCountersAreStoredPerWeekNotPerHour) {
  SessionTally t = Visit(kMonday + 2 * 86400 + 14 * 3600);  // Wednesday 14:00
  t.Once("a11y.dyslexia_font");
  t.Add("view.fe");
  ASSERT_TRUE(store_->RecordSession(t).ok());
  auto rows = store_->Counters(kFirst, kFirst + 6);
  ASSERT_TRUE(rows.ok());
  for (const auto& r : rows.value()) {
    if (r.name == "a11y.dyslexia_font") {
      EXPECT_EQ(r.hour, "2026-11-09 00:00");
    }
    if (r.name == "view.fe") {
      EXPECT_EQ(r.hour, "2026-11-11 14:00");
    }
  }
}

TEST_F(UsagePrivacyTest, TheMissedSearchKeyIsNotBesideTheFileAndOnlyTheWriterCanRead) {
  EXPECT_FALSE(fs::exists(dir_.File("usage.db.key")));
  const std::string key = UsageKeyPath(dir_.File("usage.db"));
  EXPECT_EQ(fs::path(key).parent_path(), fs::path(dir_.File("usage-key")));
  struct stat st {};
  ASSERT_EQ(stat(fs::path(key).parent_path().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  ASSERT_EQ(stat(key.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  // A key an older Signpost left beside the file is moved in (the hashes
  // keep counting the same searches).
  TempDir old;
  {
    auto s = UsageStore::Open(old.File("usage.db"));
    ASSERT_TRUE(s.ok());
  }
  const std::string moved = UsageKeyPath(old.File("usage.db"));
  const std::string bytes = Read(moved);
  fs::rename(moved, old.File("usage.db.key"));
  auto again = UsageStore::Open(old.File("usage.db"));
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(fs::exists(old.File("usage.db.key")));
  EXPECT_EQ(Read(moved), bytes);
}

TEST_F(UsagePrivacyTest, AnOlderFilesKeptTextsAreForgottenOnUpgrade) {
  TempDir old;
  const std::string path = old.File("usage.db");
  {
    auto s = UsageStore::Open(path);
    ASSERT_TRUE(s.ok());
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "INSERT INTO missed_text VALUES(x'00', 5, 'jane smith 07700 900123');"
                         "PRAGMA user_version=1;",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  {
    auto s = UsageStore::Open(path);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
  }
  EXPECT_EQ(Read(path).find("07700"), std::string::npos);
  EXPECT_EQ(Read(path + "-wal").find("07700"), std::string::npos);
}

TEST_F(UsagePrivacyTest, TheExportNeverWritesThroughALinkPlantedOnTheStick) {
  const std::string precious = dir_.File("catalogue.db");
  { std::ofstream(precious) << "the kiosk's catalogue"; }
  const std::string out = dir_.File("stick");
  fs::create_directories(out);
  // The review's attack, and its variants: links named like the temp file,
  // and like the files themselves.
  fs::create_symlink(precious, out + "/report.html.tmp");
  fs::create_symlink(precious, out + "/summary.csv.tmp");
  fs::create_symlink(precious, out + "/weekly.csv");
  ReportOptions o;
  o.from = kFirst;
  o.to = kFirst + 6;
  o.out_dir = out;
  auto files = WriteUsageReport(*store_, o);
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  EXPECT_EQ(Read(precious), "the kiosk's catalogue");
  EXPECT_TRUE(fs::is_regular_file(fs::symlink_status(out + "/weekly.csv")));
  EXPECT_TRUE(fs::is_regular_file(fs::symlink_status(out + "/report.html")));
  // A report folder that is itself a link (to the kiosk's state folder) is refused.
  fs::create_directory_symlink(dir_.path(), dir_.File("linked-stick"));
  o.out_dir = dir_.File("linked-stick");
  auto refused = WriteUsageReport(*store_, o);
  EXPECT_FALSE(refused.ok());
  EXPECT_FALSE(fs::exists(dir_.File("report.html")));
}

}  // namespace
}  // namespace signpost::usage
