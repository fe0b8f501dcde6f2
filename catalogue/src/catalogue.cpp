// Catalogue: opening, metadata, reads. Imports are in import.cpp, the search
// snapshot in snapshot.cpp.
//
// Index: [SECTION] Open  [SECTION] Meta and stats  [SECTION] Reads
//        [SECTION] Maintenance
#include "signpost/catalogue.h"
#include "signpost/search.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include <algorithm>
#include <sstream>

#include "local_rows.h"
#include "schema.h"
#include "snapshot.h"
#include "sqlite_util.h"
#include "write_scope.h"

namespace signpost::catalogue {

using internal::Guard;
using internal::Stmt;

namespace {

std::vector<std::string> SplitLines(std::string_view s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < s.size()) {
    size_t nl = s.find('\n', start);
    if (nl == std::string_view::npos) nl = s.size();
    if (nl > start) out.emplace_back(s.substr(start, nl - start));
    start = nl + 1;
  }
  return out;
}

std::optional<Day> OptDay(const Stmt& s, int col) {
  if (s.IsNull(col)) return std::nullopt;
  return ParseIsoDate(s.TextView(col));
}

std::optional<GeoPoint> OptPoint(const Stmt& s, int lat_col, int lon_col) {
  if (s.IsNull(lat_col) || s.IsNull(lon_col)) return std::nullopt;
  return GeoPoint{s.Double(lat_col), s.Double(lon_col)};
}

constexpr const char* kProviderColumns =
    "id, name, kind, ukprn, address, town, postcode, lat, lon, phone, email, website";

Provider ReadProvider(const Stmt& s, int c) {
  Provider p;
  p.id = s.Text(c + 0);
  p.name = s.Text(c + 1);
  p.kind = ParseProviderKind(s.TextView(c + 2)).value_or(ProviderKind::kOther);
  p.ukprn = s.Text(c + 3);
  p.address = s.Text(c + 4);
  p.town = s.Text(c + 5);
  p.postcode = s.Text(c + 6);
  p.location = OptPoint(s, c + 7, c + 8);
  p.phone = s.Text(c + 9);
  p.email = s.Text(c + 10);
  p.website = s.Text(c + 11);
  return p;
}

constexpr const char* kCareerColumns =
    "id, source_id, title, alternative_titles, overview, salary_starter, salary_experienced, "
    "hours, working_pattern, entry_university, entry_college, entry_apprenticeship, entry_work, "
    "skills, what_you_do, career_path, related_careers, soc_code, related_subjects, url";

// kCareerColumns qualified by a table alias: "c.id, c.source_id, ...".
std::string CareerColumnsOf(const std::string& alias) {
  std::string cols;
  std::stringstream in(kCareerColumns);
  for (std::string c; std::getline(in, c, ',');) {
    c.erase(0, c.find_first_not_of(' '));
    cols += (cols.empty() ? "" : ", ") + alias + "." + c;
  }
  return cols;
}

CareerRecord ReadCareer(const Stmt& s) {
  CareerRecord r;
  r.rowid = s.Int(0);
  Career& c = r.career;
  c.source_id = s.Text(1);
  c.title = s.Text(2);
  c.alternative_titles = s.Text(3);
  c.overview = s.Text(4);
  c.salary_starter = static_cast<int>(s.Int(5));
  c.salary_experienced = static_cast<int>(s.Int(6));
  c.hours = s.Text(7);
  c.working_pattern = s.Text(8);
  c.entry_university = s.Text(9);
  c.entry_college = s.Text(10);
  c.entry_apprenticeship = s.Text(11);
  c.entry_work = s.Text(12);
  c.skills = SplitLines(s.TextView(13));
  c.what_you_do = s.Text(14);
  c.career_path = s.Text(15);
  c.related_careers = SplitLines(s.TextView(16));
  c.soc_code = s.Text(17);
  c.related_subjects = SplitLines(s.TextView(18));
  c.url = s.Text(19);
  return r;
}

void AttachLmi(sqlite3* db, CareerRecord* r) {
  if (r->career.soc_code.empty()) return;
  Stmt s(db,
         "SELECT soc_code, area, metric, value, year FROM lmi WHERE soc_code = ? "
         "ORDER BY metric, area, year DESC");
  s.Bind(1, r->career.soc_code);
  while (s.Step()) {
    LabourMarketFigure f;
    f.soc_code = s.Text(0);
    f.area = s.Text(1);
    f.metric = ParseLmiMetric(s.TextView(2)).value_or(LmiMetric::kMedianAnnualPay);
    f.value = s.Double(3);
    f.year = static_cast<int>(s.Int(4));
    r->lmi.push_back(std::move(f));
  }
}

}  // namespace

// [SECTION] Open ---------------------------------------------------------------

Result<std::unique_ptr<Catalogue>> Catalogue::Open(const std::string& path,
                                                   const OpenOptions& options) {
  struct stat st {};
  const bool exists = ::stat(path.c_str(), &st) == 0;
  if (!exists && (options.read_only || !options.create)) {
    return Status::NotFound("no catalogue at " + path +
                            ": run content-sync, or `signpost-catalogue load-sample " + path +
                            "` to make the sample one");
  }
  if (exists && S_ISDIR(st.st_mode)) {
    return Status::InvalidArgument(path + " is a folder; give the path of the catalogue file");
  }
  int flags = options.read_only
                  ? SQLITE_OPEN_READONLY
                  : (SQLITE_OPEN_READWRITE | (options.create ? SQLITE_OPEN_CREATE : 0));
  flags |= SQLITE_OPEN_NOMUTEX;
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close(db);
    return Status::IoError("cannot open " + path + ": " + msg +
                           " (does the folder exist, and may this user write to it?)");
  }
  std::unique_ptr<Catalogue> cat(new Catalogue());
  cat->db_ = db;
  cat->path_ = path;
  cat->read_only_ = options.read_only;
  cat->batch_ = std::make_shared<internal::BatchState>();
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, options.busy_timeout_ms);

  Status s = Guard("opening the catalogue", [&] {
    // A non-database file fails on this first read.
    {
      Stmt probe(db, "SELECT count(*) FROM sqlite_schema");
      probe.Step();
    }
    if (!options.read_only) {
      Stmt wal(db, "PRAGMA journal_mode=WAL");
      if (!wal.Step() || wal.TextView(0) != "wal") {
        throw internal::SqliteError(SQLITE_IOERR, "could not switch the catalogue to WAL mode");
      }
      // NORMAL in WAL mode: a crash never corrupts, a power cut may lose only
      // the newest commit (the previous good catalogue stays).
      internal::Exec(db, "PRAGMA synchronous=NORMAL");
      // A 250k import writes a large WAL; give the space back after checkpoints.
      internal::Exec(db, "PRAGMA journal_size_limit=67108864");
      // Imports rewrite large full-text indexes: a bigger page cache saves I/O.
      internal::Exec(db, "PRAGMA cache_size=-32768");
      // The import stage lives in TEMP tables: no rollback journal is needed
      // there (a failed import just empties the stage).
      internal::Exec(db, "PRAGMA temp.journal_mode=OFF");
    }
    if (options.read_only) {
      // Search-as-you-type reads the same full-text pages keystroke after
      // keystroke ("comp", "compu", "comput"): SQLite's default 2 MB page
      // cache lost them between queries at 250k. Grows only as pages are read.
      internal::Exec(db, "PRAGMA cache_size=-16384");
    }
    internal::Exec(db, "PRAGMA foreign_keys=ON");
    internal::Exec(db, "PRAGMA temp_store=FILE");
  });
  if (!s.ok()) return s;
  s = internal::PrepareSchema(db, options.read_only, path);
  if (!s.ok()) return s;
  if (!options.read_only) {
    // The search snapshot is derived from the rows: one this program cannot
    // read (an older format, a blob cut short) is rebuilt. Its mapped copy is
    // a cache beside the file: put it back if it went missing (a restore, a
    // copy of the file alone).
    // Best effort: when it fails (a full disk), readers say to sync again.
    Guard("rebuilding the search snapshot", [&] {
      const char* f = sqlite3_db_filename(db, "main");
      if (internal::SnapshotOutdated(db)) {
        internal::Transaction tx(db);
        auto snapshot = internal::RebuildSearchSnapshot(db);
        tx.Commit();
        internal::PublishSnapshotCopy(f ? f : "", *snapshot);
      }
    });
    Guard("checking the search snapshot copy", [&] {
      const char* f = sqlite3_db_filename(db, "main");
      internal::EnsureSnapshotCopy(db, f ? f : "");
    });
  }
  return cat;
}

Catalogue::~Catalogue() { sqlite3_close_v2(db_); }

bool Catalogue::HasChanged() {
  std::int64_t v = -1;
  Status s = Guard("data_version", [&] {
    Stmt st(db_, "PRAGMA data_version");
    if (st.Step()) v = st.Int(0);
  });
  if (!s.ok()) return false;
  const bool changed = data_version_ != -1 && v != data_version_;
  data_version_ = v;
  return changed;
}

// [SECTION] Meta and stats -------------------------------------------------------

Status Catalogue::SetMeta(const std::string& key, const std::string& value) {
  return Guard("writing catalogue metadata", [&] {
    Stmt s(db_,
           "INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET "
           "value = excluded.value");
    s.Bind(1, key).Bind(2, value).Run();
  });
}

std::optional<std::string> Catalogue::GetMeta(const std::string& key) {
  std::optional<std::string> out;
  Guard("reading catalogue metadata", [&] {
    Stmt s(db_, "SELECT value FROM meta WHERE key = ?");
    s.Bind(1, key);
    if (s.Step()) out = s.Text(0);
  });
  return out;
}

Result<CatalogueStats> Catalogue::Stats() {
  CatalogueStats st;
  Status s = Guard("reading catalogue statistics", [&] {
    st.schema_version = kSchemaVersion;
    auto count = [&](const char* sql) {
      Stmt q(db_, sql);
      return q.Step() ? q.Int(0) : 0;
    };
    st.providers = count("SELECT count(*) FROM provider");
    st.opportunities = count("SELECT count(*) FROM opportunity");
    st.careers = count("SELECT count(*) FROM career");
    st.lmi_figures = count("SELECT count(*) FROM lmi");
    st.events = count("SELECT count(*) FROM event");
    st.local_items = count("SELECT count(*) FROM local_item");
    st.subject_links = count("SELECT count(*) FROM subject_link");
    st.postcodes = count("SELECT count(*) FROM postcode");
    {
      Stmt q(db_, "SELECT route, count(*) FROM opportunity GROUP BY route");
      while (q.Step()) {
        if (auto r = ParseRoute(q.TextView(0))) st.by_route[static_cast<int>(*r)] = q.Int(1);
      }
    }
    {
      Stmt q(db_,
             "SELECT feed, sum(n) FROM ("
             " SELECT feed, count(*) n FROM provider GROUP BY feed UNION ALL"
             " SELECT feed, count(*) FROM opportunity GROUP BY feed UNION ALL"
             " SELECT feed, count(*) FROM career GROUP BY feed UNION ALL"
             " SELECT feed, count(*) FROM lmi GROUP BY feed UNION ALL"
             " SELECT feed, count(*) FROM event GROUP BY feed UNION ALL"
             " SELECT feed, count(*) FROM local_item GROUP BY feed UNION ALL"
             " SELECT feed, count(*) FROM subject_link GROUP BY feed UNION ALL"
             " SELECT feed, count(*) FROM postcode GROUP BY feed) GROUP BY feed ORDER BY feed");
      while (q.Step()) st.feeds.push_back({q.Text(0), q.Int(1)});
    }
    {
      Stmt q(db_, "SELECT max(last_success) FROM sync_state");
      if (q.Step() && !q.IsNull(0)) st.last_import = q.Int(0);
    }
  });
  if (!s.ok()) return s;
  st.is_sample = GetMeta("is_sample").value_or("") == "1";
  st.name = GetMeta("name").value_or("");
  return st;
}

Result<std::vector<SyncState>> Catalogue::SyncStates() {
  std::vector<SyncState> out;
  Status s = Guard("reading sync state", [&] {
    Stmt q(db_,
           "SELECT feed, last_attempt, last_success, result, records, skipped, last_error, etag, "
           "last_modified FROM sync_state ORDER BY feed");
    while (q.Step()) {
      SyncState st;
      st.feed = q.Text(0);
      if (!q.IsNull(1)) st.last_attempt = q.Int(1);
      if (!q.IsNull(2)) st.last_success = q.Int(2);
      st.result = q.Text(3);
      st.records = q.Int(4);
      st.skipped = q.Int(5);
      st.last_error = q.Text(6);
      st.etag = q.Text(7);
      st.last_modified = q.Text(8);
      out.push_back(std::move(st));
    }
  });
  if (!s.ok()) return s;
  return out;
}

namespace internal {
void WriteSyncState(sqlite3* db, const SyncState& st) {
  Stmt q(db,
         "INSERT INTO sync_state(feed, last_attempt, last_success, result, records, skipped, "
         "last_error, etag, last_modified) VALUES(?,?,?,?,?,?,?,?,?) ON CONFLICT(feed) DO "
         "UPDATE SET last_attempt=excluded.last_attempt, last_success=excluded.last_success, "
         "result=excluded.result, records=excluded.records, skipped=excluded.skipped, "
         "last_error=excluded.last_error, etag=excluded.etag, "
         "last_modified=excluded.last_modified");
  q.Bind(1, st.feed);
  st.last_attempt ? q.Bind(2, *st.last_attempt) : q.BindNull(2);
  st.last_success ? q.Bind(3, *st.last_success) : q.BindNull(3);
  q.Bind(4, st.result).Bind(5, st.records).Bind(6, st.skipped).Bind(7, st.last_error);
  q.Bind(8, st.etag).Bind(9, st.last_modified).Run();
}
}  // namespace internal

Status Catalogue::PutSyncState(const SyncState& st) {
  return Guard("writing sync state", [&] { internal::WriteSyncState(db_, st); });
}

// [SECTION] Reads ------------------------------------------------------------------

Result<OpportunityRecord> Catalogue::GetOpportunity(std::int64_t rowid) {
  OpportunityRecord r;
  bool found = false;
  Status s = Guard("reading an opportunity", [&] {
    Stmt q(db_, std::string("SELECT o.id, o.feed, o.source_id, o.kind, o.route, o.title, "
                            "o.provider_id, o.level, o.qualification, o.subject_area, o.mode, "
                            "o.duration, o.duration_months, o.start_date, o.flexible_start, "
                            "o.closing_date, o.location_name, o.postcode, o.lat, o.lon, "
                            "o.entry_requirements, o.description, o.wage_text, o.wage_annual, "
                            "o.hours_per_week, o.cost_text, o.url, o.lars_code, o.soc_codes, "
                            "o.updated_at, o.expires, o.employer, ") +
                    "p.id, p.name, p.kind, p.ukprn, p.address, p.town, p.postcode, p.lat, "
                    "p.lon, p.phone, p.email, p.website, o.typical_job_titles, o.outcomes, "
                    "o.posted_date "
                    "FROM opportunity o JOIN provider p ON p.id = o.provider_id WHERE o.id = ?");
    q.Bind(1, rowid);
    if (!q.Step()) return;
    found = true;
    r.rowid = q.Int(0);
    r.feed = q.Text(1);
    Opportunity& o = r.opportunity;
    o.source_id = q.Text(2);
    o.kind = ParseOpportunityKind(q.TextView(3)).value_or(OpportunityKind::kFeCourse);
    o.route = ParseRoute(q.TextView(4)).value_or(RouteOfKind(o.kind));
    o.title = q.Text(5);
    o.provider_id = q.Text(6);
    o.level = static_cast<int>(q.Int(7));
    o.qualification = q.Text(8);
    o.subject_area = q.Text(9);
    o.mode = ParseStudyMode(q.TextView(10)).value_or(StudyMode::kUnknown);
    o.duration = q.Text(11);
    o.duration_months = static_cast<int>(q.Int(12));
    o.start = OptDay(q, 13);
    o.flexible_start = q.Int(14) != 0;
    o.closing = OptDay(q, 15);
    o.location_name = q.Text(16);
    o.postcode = q.Text(17);
    o.location = OptPoint(q, 18, 19);
    o.entry_requirements = q.Text(20);
    o.description = q.Text(21);
    o.wage_text = q.Text(22);
    o.wage_annual = q.Double(23);
    o.hours_per_week = q.Double(24);
    o.cost_text = q.Text(25);
    o.url = q.Text(26);
    o.lars_code = q.Text(27);
    std::string socs = q.Text(28);
    std::stringstream ss(socs);
    for (std::string item; std::getline(ss, item, ',');) {
      if (!item.empty()) o.soc_codes.push_back(item);
    }
    if (!q.IsNull(29)) o.updated = q.Int(29);
    o.expires = OptDay(q, 30);
    o.employer = q.Text(31);
    r.provider = ReadProvider(q, 32);
    std::stringstream titles(q.Text(44));
    for (std::string item; std::getline(titles, item);) {
      if (!item.empty()) o.typical_job_titles.push_back(item);
    }
    o.outcomes = DecodeCourseOutcomes(q.TextView(45));
    o.posted = OptDay(q, 46);
  });
  if (!s.ok()) return s;
  if (!found) return Status::NotFound("no opportunity " + std::to_string(rowid));
  return r;
}

Result<Provider> Catalogue::GetProvider(const std::string& id) {
  std::optional<Provider> p;
  Status s = Guard("reading a provider", [&] {
    Stmt q(db_, std::string("SELECT ") + kProviderColumns + " FROM provider WHERE id = ?");
    q.Bind(1, id);
    if (q.Step()) p = ReadProvider(q, 0);
  });
  if (!s.ok()) return s;
  if (!p) return Status::NotFound("no provider " + id);
  return *p;
}

Result<CareerRecord> Catalogue::GetCareer(std::int64_t rowid) {
  std::optional<CareerRecord> r;
  Status s = Guard("reading a career", [&] {
    Stmt q(db_, std::string("SELECT ") + kCareerColumns + " FROM career WHERE id = ?");
    q.Bind(1, rowid);
    if (q.Step()) {
      r = ReadCareer(q);
      AttachLmi(db_, &*r);
    }
  });
  if (!s.ok()) return s;
  if (!r) return Status::NotFound("no career " + std::to_string(rowid));
  return std::move(*r);
}

Result<CareerRecord> Catalogue::GetCareerBySource(const std::string& source_id) {
  std::optional<std::int64_t> rowid;
  Status s = Guard("finding a career", [&] {
    Stmt q(db_, "SELECT id FROM career WHERE source_id = ? ORDER BY id LIMIT 1");
    q.Bind(1, source_id);
    if (q.Step()) rowid = q.Int(0);
  });
  if (!s.ok()) return s;
  if (!rowid) return Status::NotFound("no career " + source_id);
  return GetCareer(*rowid);
}

Result<std::int64_t> Catalogue::FindOpportunity(const std::string& feed,
                                                const std::string& source_id) {
  std::optional<std::int64_t> rowid;
  Status s = Guard("finding an opportunity", [&] {
    Stmt q(db_, "SELECT id FROM opportunity WHERE feed = ? AND source_id = ?");
    q.Bind(1, feed).Bind(2, source_id);
    if (q.Step()) rowid = q.Int(0);
  });
  if (!s.ok()) return s;
  if (!rowid) return Status::NotFound("no opportunity " + feed + "/" + source_id);
  return *rowid;
}

Result<std::vector<CareerRecord>> Catalogue::SearchCareers(const std::string& text, int limit) {
  std::vector<CareerRecord> out;
  // Same forgiving handling as opportunity search: words, never syntax.
  std::string match;
  for (const std::string& t : SearchTokens(this, text)) {
    if (!match.empty()) match += " AND ";
    match += "\"" + t + "\"*";
  }
  Status s = Guard("searching careers", [&] {
    const std::string cols = CareerColumnsOf("c");
    if (match.empty()) {
      Stmt q(db_, "SELECT " + cols + " FROM career c ORDER BY c.title COLLATE NOCASE LIMIT ?");
      q.Bind(1, limit);
      while (q.Step()) out.push_back(ReadCareer(q));
    } else {
      Stmt q(db_, "SELECT " + cols +
                      " FROM career_fts f JOIN career c ON c.id = f.rowid WHERE career_fts "
                      "MATCH ? ORDER BY bm25(career_fts, 10.0, 5.0, 1.0), c.title LIMIT ?");
      q.Bind(1, match).Bind(2, limit);
      while (q.Step()) out.push_back(ReadCareer(q));
    }
    for (CareerRecord& r : out) AttachLmi(db_, &r);
  });
  if (!s.ok()) return s;
  return out;
}

Result<std::vector<CareerRecord>> Catalogue::CareersBySoc(
    const std::vector<std::string>& soc_codes) {
  std::vector<CareerRecord> out;
  Status s = Guard("reading careers", [&] {
    Stmt q(db_, std::string("SELECT ") + kCareerColumns + " FROM career WHERE soc_code = ?");
    for (const std::string& soc : soc_codes) {
      q.Reset();
      q.Bind(1, soc);
      while (q.Step()) out.push_back(ReadCareer(q));
    }
    for (CareerRecord& r : out) AttachLmi(db_, &r);
  });
  if (!s.ok()) return s;
  return out;
}

Result<std::vector<CareerRecord>> Catalogue::CareersForSubject(const std::string& subject,
                                                               int limit) {
  std::vector<CareerRecord> out;
  Status s = Guard("reading careers for a subject", [&] {
    const std::string cols = CareerColumnsOf("c");
    Stmt q(db_, "SELECT " + cols +
                    " FROM career c WHERE c.source_id IN (SELECT career_source_id FROM "
                    "subject_link WHERE subject = ?1) OR (char(10) || lower(c.related_subjects) || "
                    "char(10)) LIKE '%' || char(10) || lower(?1) || char(10) || '%' "
                    "ORDER BY c.title COLLATE NOCASE LIMIT ?2");
    q.Bind(1, subject).Bind(2, limit);
    while (q.Step()) out.push_back(ReadCareer(q));
    for (CareerRecord& r : out) AttachLmi(db_, &r);
  });
  if (!s.ok()) return s;
  return out;
}

Result<std::vector<std::int64_t>> Catalogue::OpportunitiesForSoc(const std::string& soc_code,
                                                                 int limit) {
  std::vector<std::int64_t> out;
  Status s = Guard("reading opportunities for a career", [&] {
    Stmt q(db_, "SELECT opportunity_id FROM opportunity_soc WHERE soc_code = ? LIMIT ?");
    q.Bind(1, soc_code).Bind(2, limit);
    while (q.Step()) out.push_back(q.Int(0));
  });
  if (!s.ok()) return s;
  return out;
}

namespace {

constexpr const char* kEventSelect =
    "SELECT e.id, e.source_id, e.title, e.kind, e.provider_id, e.start_at, e.end_at, "
    "e.all_day, e.location_name, e.postcode, e.lat, e.lon, e.url, e.description, "
    "e.routes, p.name FROM event e LEFT JOIN provider p ON p.id = e.provider_id ";

EventRecord ReadEvent(const Stmt& q) {
  EventRecord r;
  r.rowid = q.Int(0);
  Event& e = r.event;
  e.source_id = q.Text(1);
  e.title = q.Text(2);
  e.kind = ParseEventKind(q.TextView(3)).value_or(EventKind::kOther);
  e.provider_id = q.Text(4);
  e.start = q.Int(5);
  e.end = q.Int(6);
  e.all_day = q.Int(7) != 0;
  e.location_name = q.Text(8);
  e.postcode = q.Text(9);
  e.location = OptPoint(q, 10, 11);
  e.url = q.Text(12);
  e.description = q.Text(13);
  e.routes = static_cast<std::uint8_t>(q.Int(14));
  r.provider_name = q.Text(15);
  return r;
}

}  // namespace

Result<std::vector<EventRecord>> Catalogue::UpcomingEvents(UnixTime from, std::uint8_t routes,
                                                           int limit) {
  std::vector<EventRecord> out;
  Status s = Guard("reading events", [&] {
    Stmt q(db_, std::string(kEventSelect) +
                    "WHERE e.end_at >= ?1 AND (?2 = 0 OR e.routes = 0 OR (e.routes & ?2) != 0) "
                    "ORDER BY e.start_at, e.title LIMIT ?3");
    q.Bind(1, from).Bind(2, static_cast<int>(routes)).Bind(3, limit);
    while (q.Step()) out.push_back(ReadEvent(q));
  });
  if (!s.ok()) return s;
  return out;
}

Result<std::vector<EventRecord>> Catalogue::EventsForProvider(const std::string& provider_id,
                                                              UnixTime from, int limit) {
  std::vector<EventRecord> out;
  Status s = Guard("reading a provider's events", [&] {
    Stmt q(db_, std::string(kEventSelect) +
                    "WHERE e.provider_id = ?1 AND e.end_at >= ?2 "
                    "ORDER BY e.start_at, e.title LIMIT ?3");
    q.Bind(1, provider_id).Bind(2, from).Bind(3, limit);
    while (q.Step()) out.push_back(ReadEvent(q));
  });
  if (!s.ok()) return s;
  return out;
}

Result<EventRecord> Catalogue::GetEvent(std::int64_t rowid) {
  std::optional<EventRecord> out;
  Status s = Guard("reading an event", [&] {
    Stmt q(db_, std::string(kEventSelect) + "WHERE e.id = ?1");
    q.Bind(1, rowid);
    if (q.Step()) out = ReadEvent(q);
  });
  if (!s.ok()) return s;
  if (!out) return Status::NotFound("no event " + std::to_string(rowid));
  return std::move(*out);
}

Result<std::vector<std::int64_t>> Catalogue::OpportunitiesForProvider(
    const std::string& provider_id, int limit) {
  std::vector<std::int64_t> out;
  Status s = Guard("reading a provider's opportunities", [&] {
    Stmt q(db_, "SELECT id FROM opportunity WHERE provider_id = ? LIMIT ?");
    q.Bind(1, provider_id).Bind(2, limit);
    while (q.Step()) out.push_back(q.Int(0));
  });
  if (!s.ok()) return s;
  return out;
}

Result<std::vector<LocalItem>> Catalogue::LocalItems(std::optional<LocalKind> kind, Day today) {
  std::vector<LocalItem> out;
  const std::string today_s = FormatIsoDate(today);
  Status s = Guard("reading local content", [&] {
    Stmt q(db_, std::string("SELECT ") + internal::kLocalItemColumns +
                    " FROM local_item WHERE (?1 IS NULL OR kind = ?1) "
                    "AND (starts IS NULL OR starts <= ?2) AND (ends IS NULL OR ends >= ?2) "
                    "ORDER BY kind, event_date, event_start, starts, title");
    if (kind) {
      q.Bind(1, LocalKindKey(*kind));
    } else {
      q.BindNull(1);
    }
    q.Bind(2, today_s);
    while (q.Step()) {
      LocalItem l = internal::ReadLocalItem(q);
      out.push_back(std::move(l));
    }
  });
  if (!s.ok()) return s;
  return out;
}

Result<std::vector<SubjectLink>> Catalogue::SubjectLinks(const std::string& subject) {
  std::vector<SubjectLink> out;
  Status s = Guard("reading subject links", [&] {
    Stmt q(db_,
           "SELECT subject, subject_area, career_source_id FROM subject_link WHERE subject = ? "
           "ORDER BY id");
    q.Bind(1, subject);
    while (q.Step()) out.push_back({q.Text(0), q.Text(1), q.Text(2)});
  });
  if (!s.ok()) return s;
  return out;
}

Result<std::vector<std::string>> Catalogue::SchoolSubjects() {
  std::vector<std::string> out;
  Status s = Guard("reading subjects", [&] {
    Stmt q(db_, "SELECT DISTINCT subject FROM subject_link ORDER BY subject COLLATE NOCASE");
    while (q.Step()) out.push_back(q.Text(0));
  });
  if (!s.ok()) return s;
  return out;
}

std::optional<GeoPoint> Catalogue::LookupPostcode(const std::string& postcode) {
  const std::string pc = NormalisePostcode(postcode);
  std::optional<GeoPoint> out;
  if (pc.empty()) return out;
  Guard("looking up a postcode", [&] {
    Stmt q(db_, "SELECT lat, lon FROM postcode WHERE postcode = ?");
    q.Bind(1, pc);
    if (q.Step()) {
      out = GeoPoint{q.Double(0), q.Double(1)};
      return;
    }
    // Fall back to the district: the mean of known postcodes in "LS1 ".
    const std::string district = pc.substr(0, pc.find(' ') + 1);
    Stmt d(
        db_,
        "SELECT avg(lat), avg(lon), count(*) FROM postcode WHERE postcode >= ? AND postcode < ?");
    d.Bind(1, district).Bind(2, district.substr(0, district.size() - 1) + "!");
    if (d.Step() && d.Int(2) > 0) out = GeoPoint{d.Double(0), d.Double(1)};
  });
  return out;
}

// [SECTION] Maintenance --------------------------------------------------------------

Status Catalogue::IntegrityCheck() {
  std::string result;
  Status s = Guard("checking the catalogue", [&] {
    Stmt q(db_, "PRAGMA integrity_check");
    while (q.Step()) {
      if (!result.empty()) result += "; ";
      result += q.Text(0);
    }
  });
  if (!s.ok()) return s;
  if (result != "ok") return Status::Corrupt("integrity check failed: " + result);
  return Status::Ok();
}

}  // namespace signpost::catalogue
