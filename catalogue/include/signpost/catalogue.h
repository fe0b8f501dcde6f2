// Catalogue: the SQLite store that content-sync writes and the kiosk reads.
//
// One Catalogue object is one SQLite connection. It is not thread-safe: use
// one per thread (SQLite's WAL lets many readers and one writer share the
// file across threads and processes). Readers open with read_only=true and
// never write, not even a migration; the writer (content-sync, the CLI)
// migrates the schema forward on open. A file written by a newer schema is
// refused with Status::TooNew and left untouched.
//
// Imports are atomic per feed: records are staged in a private temporary
// table while a feed is parsed, then swapped in by one transaction, so a
// reader sees the old set or the new set, never a mix. An ImportBatch
// (BeginBatch) makes several feeds' imports one such transaction.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "signpost/model.h"
#include "signpost/status.h"

struct sqlite3;

namespace signpost::catalogue {

namespace internal {
struct BatchState;
}

inline constexpr int kSchemaVersion = 5;

struct OpenOptions {
  bool read_only = false;      // kiosk: true. Never creates, migrates or writes.
  bool create = true;          // writer only: create the file when missing
  int busy_timeout_ms = 5000;  // how long to wait for another writer's lock
};

// What an import did, for logs and `content-sync status`.
struct ImportReport {
  std::string feed;
  std::int64_t accepted = 0;          // records now held from this feed
  std::int64_t skipped = 0;           // records that failed validation (not imported)
  std::int64_t expired = 0;           // records dropped because they had closed/ended
  std::int64_t previous = 0;          // records held from this feed before
  std::int64_t duplicates = 0;        // records whose id had already arrived (counted once)
  std::vector<std::string> problems;  // the first few skip reasons, for people
};

struct ImportOptions {
  Day today = 0;  // 0 = TodayUtc(); records closing/ending before today are pruned
  // The guard that keeps good data from being replaced by bad (HoldBackReason
  // below): refuse (Status::HeldBack) when the new set is this fraction of
  // the previous set or smaller and the previous set had at least
  // min_previous records. 0 disables. content-sync uses 0.1 (a drop of 90%
  // or more is held back).
  double min_fraction_of_previous = 0;
  std::int64_t min_previous = 1;
  // Refuse a set with no records where the feed had some (unless the feed
  // is configured to allow it), and one where more records repeated an id
  // than brought a new one (an upstream that ignores paging).
  bool hold_back_empty = false;
  bool hold_back_repeats = false;
};

// What the guard compares, in records that would be imported: distinct ids
// (a repeated id counts once) that passed validation. Providers count only
// for a feed that publishes nothing else (a directory of services).
struct GuardCounts {
  std::int64_t previous = 0;    // held from the feed now
  std::int64_t incoming = 0;    // distinct valid records in the new set
  std::int64_t duplicates = 0;  // records that repeated an id of the new set
};
// Why the new set must not replace the old one, or nullopt when it may.
// Every import's guard decision is made here (feeds, bundles, local packs).
std::optional<std::string> HoldBackReason(const std::string& feed, const GuardCounts& counts,
                                          const ImportOptions& options);

// Written by Commit() in the same transaction as the records, so what they
// say always describes exactly the data the catalogue holds (a crash between
// "records swapped" and "bookkeeping saved" is impossible).
struct CommitExtras {
  // The feed's sync state; records and skipped are filled in from the
  // committed import.
  std::optional<SyncState> sync_state;
  // Catalogue metadata to set (an empty value deletes the key).
  std::vector<std::pair<std::string, std::string>> meta;
};

// The meta key where content-sync keeps how to tell a feed is unchanged
// (its "sync plan": per-page requests, validators and hashes). Every import
// or removal of the feed deletes it unless that same commit sets it again,
// so it can never describe data the catalogue no longer holds.
std::string FeedPlanMetaKey(const std::string& feed);

// The meta key where content-sync keeps, while a feed is degraded (most of
// its records lack a key field they should have), the sentence a technician
// reads; the key is absent (or its value empty) when the feed is fine. Read
// by `content-sync status`, signpost-doctor and the kiosk's technician screen.
std::string FeedDegradedMetaKey(const std::string& feed);

// A feed's records being staged. Add* validate a record and stage it, or
// count it as skipped and return the reason. Nothing is visible to readers
// until Commit(). Dropping the object without Commit() discards the stage.
class FeedImport {
 public:
  virtual ~FeedImport() = default;
  virtual Status AddProvider(const Provider& p) = 0;
  virtual Status AddOpportunity(const Opportunity& o) = 0;
  virtual Status AddCareer(const Career& c) = 0;
  virtual Status AddLabourMarket(const LabourMarketFigure& f) = 0;
  virtual Status AddEvent(const Event& e) = 0;
  virtual Status AddLocalItem(const LocalItem& l) = 0;
  virtual Status AddSubjectLink(const SubjectLink& s) = 0;
  virtual Status AddPostcode(const PostcodePoint& p) = 0;
  // Search words from a local pack (a catalogue import stores them; other
  // sinks need not support them).
  virtual Status AddSearchAlias(const SearchAlias&) {
    return Status::InvalidArgument("this import does not take search words");
  }
  // A parser could not even build a record: count it as skipped, with why.
  virtual void Skip(const std::string& reason) = 0;
  virtual std::int64_t staged() const = 0;
  virtual std::int64_t skipped() const = 0;
  // Swap the staged set in for this feed's previous set, in one transaction
  // that also writes `extras`.
  virtual Result<ImportReport> Commit(const CommitExtras& extras = {}) = 0;
};

// Several writes as one transaction (Catalogue::BeginBatch). Must not
// outlive its Catalogue.
class ImportBatch {
 public:
  // Without Commit(), every write made in the batch is undone.
  virtual ~ImportBatch() = default;
  // Rebuilds the search snapshot once for everything the batch changed, then
  // commits.
  virtual Status Commit() = 0;
};

struct FeedStats {
  std::string feed;
  std::int64_t records = 0;
};

struct CatalogueStats {
  int schema_version = 0;
  bool is_sample = false;  // the bundled sample catalogue
  std::string name;        // meta "name", e.g. "Sample: Kirkhaven area"
  std::int64_t providers = 0;
  std::int64_t opportunities = 0;
  std::int64_t by_route[kRouteCount] = {};
  std::int64_t careers = 0;
  std::int64_t lmi_figures = 0;
  std::int64_t events = 0;
  std::int64_t local_items = 0;
  std::int64_t subject_links = 0;
  std::int64_t postcodes = 0;
  std::optional<UnixTime> last_import;  // newest successful import of any feed
  std::vector<FeedStats> feeds;
};

// A row of an opportunity with its provider, as the kiosk's detail screen and
// the CLI need it.
struct OpportunityRecord {
  std::int64_t rowid = 0;
  std::string feed;
  Opportunity opportunity;
  Provider provider;
};

struct CareerRecord {
  std::int64_t rowid = 0;
  Career career;
  std::vector<LabourMarketFigure> lmi;  // figures joined by SOC code
};

struct EventRecord {
  std::int64_t rowid = 0;
  Event event;
  std::string provider_name;  // "" when the event has no provider
};

class Catalogue {
 public:
  // Opens (and for a writer, creates and migrates) the catalogue at `path`.
  // Errors: kNotFound (reader, no file), kCorrupt (not a catalogue / damaged),
  // kTooNew (newer schema), kIoError (permissions, read-only dir, disk full).
  static Result<std::unique_ptr<Catalogue>> Open(const std::string& path,
                                                 const OpenOptions& options = {});
  ~Catalogue();
  Catalogue(const Catalogue&) = delete;
  Catalogue& operator=(const Catalogue&) = delete;

  const std::string& path() const { return path_; }
  bool read_only() const { return read_only_; }
  sqlite3* handle() { return db_; }

  // True when another connection has committed since the last call (cheap:
  // PRAGMA data_version). The first call returns false.
  bool HasChanged();

  // [SECTION] Writing (writer connections only) ----------------------------
  Result<std::unique_ptr<FeedImport>> BeginImport(const std::string& feed,
                                                  const ImportOptions& options = {});
  // Drops every record of a feed (e.g. a feed removed from config).
  Status RemoveFeed(const std::string& feed);
  // Removes opportunities, events and local items that closed/ended before `today`.
  Result<std::int64_t> PruneExpired(Day today);
  // Makes the writes that follow (imports' Commit(), RemoveFeed,
  // PruneExpired, SetMeta, ...) up to the batch's Commit() one transaction:
  // readers see all of them or none, a crash or kill leaves the catalogue as
  // it was before the batch, and the search snapshot is rebuilt once at the
  // end instead of after every feed. Each import is still checked on its own
  // (a feed held back is undone alone). For imports from local data
  // (generate, bundles): the batch holds the write lock until it ends, so
  // do not download inside one. An import begun inside a batch must be
  // committed before the batch ends. One batch at a time.
  Result<std::unique_ptr<ImportBatch>> BeginBatch();
  Status PutSyncState(const SyncState& s);
  Status SetMeta(const std::string& key, const std::string& value);

  // [SECTION] Reading --------------------------------------------------------
  Result<CatalogueStats> Stats();
  std::optional<std::string> GetMeta(const std::string& key);
  Result<std::vector<SyncState>> SyncStates();
  Result<OpportunityRecord> GetOpportunity(std::int64_t rowid);
  Result<Provider> GetProvider(const std::string& id);
  Result<CareerRecord> GetCareer(std::int64_t rowid);
  // The career with this job-profile id (SubjectLink::career_source_id).
  Result<CareerRecord> GetCareerBySource(const std::string& source_id);
  // An opportunity's current row id from its stable identity: row ids change
  // when a feed is re-imported, (feed, source_id) does not.
  Result<std::int64_t> FindOpportunity(const std::string& feed, const std::string& source_id);
  // Careers whose title, alternative titles or overview match `text` (the
  // same forgiving query handling as opportunity search); all when empty.
  Result<std::vector<CareerRecord>> SearchCareers(const std::string& text, int limit = 50);
  // Careers linked to a SOC code list (an opportunity's soc_codes).
  Result<std::vector<CareerRecord>> CareersBySoc(const std::vector<std::string>& soc_codes);
  // Careers for a school subject: linked by the subject table, or naming the
  // subject among their related subjects ("biology", any case).
  Result<std::vector<CareerRecord>> CareersForSubject(const std::string& subject, int limit = 50);
  // Opportunities that lead to a career (by SOC code), nearest-first is the
  // caller's job: row ids in catalogue order, at most `limit`.
  Result<std::vector<std::int64_t>> OpportunitiesForSoc(const std::string& soc_code,
                                                        int limit = 200);
  // Events ending at or after `from`, soonest first; `routes` is a bitmask
  // (0 = any), an event with no routes matches every filter.
  Result<std::vector<EventRecord>> UpcomingEvents(UnixTime from, std::uint8_t routes = 0,
                                                  int limit = 200);
  // A provider's events ending at or after `from`, soonest first ("Open day
  // Sat 19 Dec" beside its courses).
  Result<std::vector<EventRecord>> EventsForProvider(const std::string& provider_id, UnixTime from,
                                                     int limit = 20);
  // One event by row id; kNotFound when a refresh removed it.
  Result<EventRecord> GetEvent(std::int64_t rowid);
  // A provider's opportunities (row ids in catalogue order, at most `limit`):
  // "Courses at this college".
  Result<std::vector<std::int64_t>> OpportunitiesForProvider(const std::string& provider_id,
                                                             int limit = 500);
  Result<std::vector<LocalItem>> LocalItems(std::optional<LocalKind> kind, Day today);
  // Subject areas and careers for a school subject ("biology", any case).
  Result<std::vector<SubjectLink>> SubjectLinks(const std::string& subject);
  Result<std::vector<std::string>> SchoolSubjects();  // distinct subjects, sorted
  std::optional<GeoPoint> LookupPostcode(const std::string& postcode);
  // "PRAGMA integrity_check" == ok.
  Status IntegrityCheck();

 private:
  Catalogue() = default;
  std::string path_;
  bool read_only_ = false;
  sqlite3* db_ = nullptr;
  std::int64_t data_version_ = -1;
  std::shared_ptr<internal::BatchState> batch_;  // writers: the open ImportBatch, if any
  friend class CatalogueInternals;
};

}  // namespace signpost::catalogue
