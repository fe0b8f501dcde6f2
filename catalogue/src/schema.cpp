#include "schema.h"

#include <string>
#include <vector>

#include "signpost/catalogue.h"
#include "snapshot.h"
#include "sqlite_util.h"

namespace signpost::catalogue::internal {

namespace {

// Version 1: the whole catalogue. Dates are ISO text (YYYY-MM-DD), times
// Unix seconds. Every content row names the feed that owns it; an import
// replaces exactly its own feed's rows.
constexpr const char* kSchemaV1 = R"sql(
CREATE TABLE meta(
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE provider(
  id        TEXT PRIMARY KEY,
  feed      TEXT NOT NULL,
  name      TEXT NOT NULL,
  kind      TEXT NOT NULL,
  ukprn     TEXT,
  address   TEXT,
  town      TEXT,
  postcode  TEXT,
  lat       REAL,
  lon       REAL,
  phone     TEXT,
  email     TEXT,
  website   TEXT
);
CREATE INDEX provider_feed ON provider(feed);

CREATE TABLE opportunity(
  id                 INTEGER PRIMARY KEY,
  feed               TEXT NOT NULL,
  source_id          TEXT NOT NULL,
  kind               TEXT NOT NULL,
  route              TEXT NOT NULL,
  title              TEXT NOT NULL,
  provider_id        TEXT NOT NULL REFERENCES provider(id),
  provider_name      TEXT NOT NULL,
  employer           TEXT,
  level              INTEGER NOT NULL DEFAULT -1,
  qualification      TEXT,
  subject_area       TEXT,
  mode               TEXT NOT NULL DEFAULT 'unknown',
  duration           TEXT,
  duration_months    INTEGER NOT NULL DEFAULT 0,
  start_date         TEXT,
  flexible_start     INTEGER NOT NULL DEFAULT 0,
  closing_date       TEXT,
  location_name      TEXT,
  postcode           TEXT,
  lat                REAL,
  lon                REAL,
  entry_requirements TEXT,
  description        TEXT,
  wage_text          TEXT,
  wage_annual        REAL,
  hours_per_week     REAL,
  cost_text          TEXT,
  url                TEXT,
  lars_code          TEXT,
  soc_codes          TEXT,
  updated_at         INTEGER,
  expires            TEXT,
  UNIQUE(feed, source_id)
);
CREATE INDEX opportunity_provider ON opportunity(provider_id);

-- Which careers (SOC 2020 codes) each opportunity leads to.
CREATE TABLE opportunity_soc(
  soc_code       TEXT NOT NULL,
  opportunity_id INTEGER NOT NULL REFERENCES opportunity(id) ON DELETE CASCADE,
  PRIMARY KEY(soc_code, opportunity_id)
) WITHOUT ROWID;
CREATE INDEX opportunity_soc_opp ON opportunity_soc(opportunity_id);

-- Full text, three relevance tiers: the title alone; title, subject and
-- provider; and everything including the description.
CREATE VIRTUAL TABLE opportunity_name_fts USING fts5(
  title,
  content='opportunity', content_rowid='id', detail=none, prefix='1 2 3',
  tokenize='unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE opportunity_fts USING fts5(
  title, subject_area, provider_name, description,
  content='opportunity', content_rowid='id', detail=none, prefix='1 2 3',
  tokenize='unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE opportunity_title_fts USING fts5(
  title, subject_area, provider_name,
  content='opportunity', content_rowid='id', detail=none, prefix='1 2 3',
  tokenize='unicode61 remove_diacritics 2');

CREATE TABLE career(
  id                   INTEGER PRIMARY KEY,
  feed                 TEXT NOT NULL,
  source_id            TEXT NOT NULL,
  title                TEXT NOT NULL,
  alternative_titles   TEXT,
  overview             TEXT,
  salary_starter       INTEGER NOT NULL DEFAULT 0,
  salary_experienced   INTEGER NOT NULL DEFAULT 0,
  hours                TEXT,
  working_pattern      TEXT,
  entry_university     TEXT,
  entry_college        TEXT,
  entry_apprenticeship TEXT,
  entry_work           TEXT,
  skills               TEXT,
  what_you_do          TEXT,
  career_path          TEXT,
  related_careers      TEXT,
  soc_code             TEXT,
  related_subjects     TEXT,
  url                  TEXT,
  UNIQUE(feed, source_id)
);
CREATE INDEX career_soc ON career(soc_code);
CREATE VIRTUAL TABLE career_fts USING fts5(
  title, alternative_titles, overview,
  content='career', content_rowid='id', prefix='1 2 3',
  tokenize='unicode61 remove_diacritics 2');

-- lmi and postcode are ordinary rowid tables on purpose: SQLite 3.40's
-- integrity_check reports false "NULL value in" errors for REAL NOT NULL
-- columns of WITHOUT ROWID tables.
CREATE TABLE lmi(
  id       INTEGER PRIMARY KEY,
  feed     TEXT NOT NULL,
  soc_code TEXT NOT NULL,
  area     TEXT NOT NULL,
  metric   TEXT NOT NULL,
  value    REAL NOT NULL,
  year     INTEGER NOT NULL,
  UNIQUE(soc_code, area, metric, year, feed)
);
CREATE INDEX lmi_feed ON lmi(feed);

CREATE TABLE event(
  id            INTEGER PRIMARY KEY,
  feed          TEXT NOT NULL,
  source_id     TEXT NOT NULL,
  title         TEXT NOT NULL,
  kind          TEXT NOT NULL,
  provider_id   TEXT REFERENCES provider(id),
  start_at      INTEGER NOT NULL,
  end_at        INTEGER NOT NULL,
  all_day       INTEGER NOT NULL DEFAULT 0,
  location_name TEXT,
  postcode      TEXT,
  lat           REAL,
  lon           REAL,
  url           TEXT,
  description   TEXT,
  routes        INTEGER NOT NULL DEFAULT 0,
  UNIQUE(feed, source_id)
);
CREATE INDEX event_end ON event(end_at);

CREATE TABLE local_item(
  id            INTEGER PRIMARY KEY,
  feed          TEXT NOT NULL,
  source_id     TEXT NOT NULL,
  kind          TEXT NOT NULL,
  title         TEXT NOT NULL,
  body          TEXT,
  route         TEXT,
  provider_name TEXT,
  leads_to      TEXT,
  subject_area  TEXT,
  image_path    TEXT,
  url           TEXT,
  starts        TEXT,
  ends          TEXT,
  UNIQUE(feed, source_id)
);

CREATE TABLE subject_link(
  id               INTEGER PRIMARY KEY,
  feed             TEXT NOT NULL,
  subject          TEXT NOT NULL COLLATE NOCASE,
  subject_area     TEXT NOT NULL,
  career_source_id TEXT
);
CREATE INDEX subject_link_subject ON subject_link(subject);

CREATE TABLE postcode(
  postcode TEXT PRIMARY KEY,
  feed     TEXT NOT NULL,
  lat      REAL NOT NULL,
  lon      REAL NOT NULL
);

CREATE TABLE sync_state(
  feed          TEXT PRIMARY KEY,
  last_attempt  INTEGER,
  last_success  INTEGER,
  result        TEXT NOT NULL DEFAULT '',
  records       INTEGER NOT NULL DEFAULT 0,
  skipped       INTEGER NOT NULL DEFAULT 0,
  last_error    TEXT NOT NULL DEFAULT '',
  etag          TEXT NOT NULL DEFAULT '',
  last_modified TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;

-- Search snapshot, rebuilt by each import that changes opportunities: the
-- per-opportunity facet columns in one blob, and the match sets of very
-- common word prefixes (so "e" or "and" costs a blob read, not a 200k-row scan).
CREATE TABLE search_snapshot(
  id    INTEGER PRIMARY KEY CHECK (id = 1),
  docs  BLOB NOT NULL
);
CREATE TABLE search_prefix(
  tier   INTEGER NOT NULL,   -- 0: title, 1: title/subject/provider, 2: all text
  prefix TEXT NOT NULL,
  docs   BLOB,               -- bitset over snapshot order (tiers 0 and 1)
  alias  TEXT,               -- same matches as this longer prefix (docs is NULL)
  PRIMARY KEY(tier, prefix)
) WITHOUT ROWID;
)sql";

// Version 2 (search, issue 14): qualification and employer are searched
// with the title, subject and provider (students type "btec", "nhs");
// events and the school's local content get full-text indexes so the one
// search box finds them; the search snapshot becomes one blob laid out to be
// mapped (see snapshot.h), so the per-prefix table goes; local packs may add
// search words (search_alias). The indexes are rebuilt from the rows, then
// the snapshot (Migration::rebuilds_snapshot).
constexpr const char* kSchemaV2 = R"sql(
DROP TABLE opportunity_title_fts;
DROP TABLE opportunity_fts;
CREATE VIRTUAL TABLE opportunity_title_fts USING fts5(
  title, subject_area, provider_name, qualification, employer,
  content='opportunity', content_rowid='id', detail=none, prefix='1 2 3',
  tokenize='unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE opportunity_fts USING fts5(
  title, subject_area, provider_name, qualification, employer, description,
  content='opportunity', content_rowid='id', detail=none, prefix='1 2 3',
  tokenize='unicode61 remove_diacritics 2');
INSERT INTO opportunity_title_fts(opportunity_title_fts) VALUES('rebuild');
INSERT INTO opportunity_fts(opportunity_fts) VALUES('rebuild');

CREATE VIRTUAL TABLE event_fts USING fts5(
  title, location_name, description,
  content='event', content_rowid='id', prefix='1 2 3',
  tokenize='unicode61 remove_diacritics 2');
INSERT INTO event_fts(event_fts) VALUES('rebuild');
CREATE VIRTUAL TABLE local_fts USING fts5(
  title, subject_area, provider_name, leads_to, body,
  content='local_item', content_rowid='id', prefix='1 2 3',
  tokenize='unicode61 remove_diacritics 2');
INSERT INTO local_fts(local_fts) VALUES('rebuild');

-- Words a local pack adds to the shipped search aliases: "words" is what
-- students type (comma-separated), "means" what to look for (see
-- assets/search/aliases.txt for the format).
CREATE TABLE search_alias(
  id    INTEGER PRIMARY KEY,
  feed  TEXT NOT NULL,
  words TEXT NOT NULL,
  means TEXT NOT NULL
);
CREATE INDEX search_alias_feed ON search_alias(feed);

DROP TABLE search_prefix;
DELETE FROM search_snapshot;
)sql";

// Version 3 (feeds, issue 11): what the real feeds publish beyond version 2.
// Apprenticeship standards keep their typical job titles (newline-separated)
// and HE courses the Discover Uni outcome figures (student satisfaction,
// continuation, graduate salary) with the data set's caveats, encoded by
// EncodeCourseOutcomes. Both stay NULL for every other record.
constexpr const char* kSchemaV3 = R"sql(
ALTER TABLE opportunity ADD COLUMN typical_job_titles TEXT;
ALTER TABLE opportunity ADD COLUMN outcomes TEXT;
)sql";

// Version 4 (import speed, issue 13): the opportunities' full-text indexes
// are rebuilt cheaper to write, with the same words in them, so every search
// finds the same rows. They keep no per-row column sizes (columnsize=0: only
// bm25() reads them, and search ranks by tier, not bm25). The description
// tier keeps only its 3-letter prefix index: search asks it for words of 3+
// letters only (SearchEngine's DescriptionCounts), so its 1- and 2-letter
// indexes were never read, and they were a third of a 250k import's indexing
// time. Each index gathers 8 MB of new entries in memory (hashsize; 1 MB by
// default) before writing them out, so a big import writes and merges fewer
// segments.
constexpr const char* kSchemaV4 = R"sql(
DROP TABLE opportunity_name_fts;
DROP TABLE opportunity_title_fts;
DROP TABLE opportunity_fts;
CREATE VIRTUAL TABLE opportunity_name_fts USING fts5(
  title,
  content='opportunity', content_rowid='id', detail=none, columnsize=0, prefix='1 2 3',
  tokenize='unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE opportunity_title_fts USING fts5(
  title, subject_area, provider_name, qualification, employer,
  content='opportunity', content_rowid='id', detail=none, columnsize=0, prefix='1 2 3',
  tokenize='unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE opportunity_fts USING fts5(
  title, subject_area, provider_name, qualification, employer, description,
  content='opportunity', content_rowid='id', detail=none, columnsize=0, prefix='3',
  tokenize='unicode61 remove_diacritics 2');
INSERT INTO opportunity_name_fts(opportunity_name_fts, rank) VALUES('hashsize', 8388608);
INSERT INTO opportunity_title_fts(opportunity_title_fts, rank) VALUES('hashsize', 8388608);
INSERT INTO opportunity_fts(opportunity_fts, rank) VALUES('hashsize', 8388608);
INSERT INTO opportunity_name_fts(opportunity_name_fts) VALUES('rebuild');
INSERT INTO opportunity_title_fts(opportunity_title_fts) VALUES('rebuild');
INSERT INTO opportunity_fts(opportunity_fts) VALUES('rebuild');
)sql";

// Version 5 (kiosk journeys, issue 15): vacancies keep the day they were
// posted (the "New" tag; posted_date, ISO text like closing_date) and a
// local pack's school events their day, times on the school's clock
// (minutes after midnight; no start = all day) and place, so the kiosk
// groups them with the open days. Until the pack is imported again, a
// school event's day is the day it was shown until (which is the event's
// day unless the pack said show_until). The feeds that hold vacancies or
// local items forget their validators (ETag, Last-Modified, the pack's
// fingerprint, the saved sync plan: FeedPlanMetaKey), so their next sync
// imports them again and fills the new columns instead of answering
// "unchanged".
constexpr const char* kSchemaV5 = R"sql(
ALTER TABLE opportunity ADD COLUMN posted_date TEXT;
ALTER TABLE local_item ADD COLUMN event_date TEXT;
ALTER TABLE local_item ADD COLUMN event_start INTEGER;
ALTER TABLE local_item ADD COLUMN event_end INTEGER;
ALTER TABLE local_item ADD COLUMN place TEXT;
UPDATE local_item SET event_date = ends WHERE kind = 'school_event';
CREATE TEMP TABLE v5_refetch AS
  SELECT feed FROM opportunity WHERE kind = 'apprenticeship_vacancy' UNION
  SELECT feed FROM local_item;
UPDATE sync_state SET etag = '', last_modified = '' WHERE feed IN v5_refetch;
DELETE FROM meta WHERE key IN (SELECT 'sync_plan:' || feed FROM v5_refetch);
DROP TABLE v5_refetch;
)sql";

struct Migration {
  int to_version;
  const char* sql;
  bool rebuilds_snapshot;  // the search snapshot is rebuilt after the migrations
};
// Forward migrations, in order; each takes the file to `to_version`.
const std::vector<Migration>& Migrations() {
  static const std::vector<Migration> kMigrations = {{1, kSchemaV1, false},
                                                     {2, kSchemaV2, true},
                                                     {3, kSchemaV3, false},
                                                     {4, kSchemaV4, false},
                                                     {5, kSchemaV5, false}};
  return kMigrations;
}

int PragmaInt(sqlite3* db, const char* sql) {
  Stmt s(db, sql);
  return s.Step() ? static_cast<int>(s.Int(0)) : 0;
}

}  // namespace

Status PrepareSchema(sqlite3* db, bool read_only, const std::string& path) {
  int version = 0, app_id = 0, tables = 0;
  // Reading the header is the first real I/O: a non-database file fails here.
  Status st = Guard("opening the catalogue", [&] {
    version = PragmaInt(db, "PRAGMA user_version");
    app_id = PragmaInt(db, "PRAGMA application_id");
    tables = PragmaInt(db, "SELECT count(*) FROM sqlite_schema");
  });
  if (!st.ok()) return st;
  if (tables > 0 && app_id != kApplicationId) {
    return Status::Corrupt(path + " is an SQLite file but not a Signpost catalogue");
  }
  if (version > kSchemaVersion) {
    return Status::TooNew(path + " was written by a newer Signpost (schema " +
                          std::to_string(version) + "; this program knows up to " +
                          std::to_string(kSchemaVersion) +
                          "). Update this program; the file has not been changed.");
  }
  if (read_only) {
    if (version < kSchemaVersion) {
      return Status::NotFound(path + " has no catalogue yet (schema " + std::to_string(version) +
                              ", needs " + std::to_string(kSchemaVersion) +
                              "): run content-sync or `signpost-catalogue load-sample` first");
    }
    return Status::Ok();
  }
  if (version == kSchemaVersion) return Status::Ok();
  return Guard("upgrading the catalogue schema", [&] {
    Transaction tx(db);
    bool rebuild = false;
    for (const Migration& m : Migrations()) {
      if (m.to_version <= version) continue;
      Exec(db, m.sql);
      rebuild = rebuild || m.rebuilds_snapshot;
    }
    std::shared_ptr<const std::string> snapshot;
    if (rebuild) snapshot = RebuildSearchSnapshot(db);
    Exec(db, ("PRAGMA user_version = " + std::to_string(kSchemaVersion)).c_str());
    Exec(db, ("PRAGMA application_id = " + std::to_string(kApplicationId)).c_str());
    tx.Commit();
    const char* file = sqlite3_db_filename(db, "main");
    if (snapshot && file) PublishSnapshotCopy(file, *snapshot);
  });
}

}  // namespace signpost::catalogue::internal
