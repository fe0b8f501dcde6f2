// The search snapshot and its mapped copy beside the catalogue, and the
// version 1 -> 2 migration (search columns, event and local-content
// indexes, the mapped snapshot): an old catalogue upgrades and searches; and
// the version 3 -> 4 one (cheaper opportunity indexes) finds the same rows.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "signpost/search.h"
#include "snapshot_format.h"
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

void ImportSample(Catalogue* cat, const std::string& word = "welding") {
  ImportOptions o;
  o.today = kToday;
  auto imp = cat->BeginImport("courses", o);
  ASSERT_TRUE(imp.ok());
  ASSERT_TRUE((*imp)->AddProvider(MakeProvider("p", "Northgate College")).ok());
  for (int i = 0; i < 30; ++i) {
    auto opp = MakeOpportunity(std::to_string(i), word + " course " + std::to_string(i), "p",
                               kAllRoutes[i % kRouteCount]);
    opp.qualification = i % 2 ? "BTEC Level 3 National Diploma" : "City and Guilds Diploma";
    ASSERT_TRUE((*imp)->AddOpportunity(opp).ok());
  }
  Event e;
  e.source_id = "e1";
  e.title = "Northgate Open Day";
  e.start = static_cast<UnixTime>(kToday + 400) * 86400;
  e.end = e.start + 3600;
  e.routes = 1;
  ASSERT_TRUE((*imp)->AddEvent(e).ok());
  LocalItem l;
  l.source_id = "l1";
  l.kind = LocalKind::kAlumniStory;
  l.title = "Sam: from welding to engineering";
  ASSERT_TRUE((*imp)->AddLocalItem(l).ok());
  ASSERT_TRUE((*imp)->Commit().ok());
}

std::vector<std::string> Copies(const std::string& db) {
  std::vector<std::string> out;
  const std::string prefix = fs::path(db).filename().string() + ".search-";
  for (const auto& e : fs::directory_iterator(fs::path(db).parent_path())) {
    const std::string name = e.path().filename().string();
    if (name.rfind(prefix, 0) == 0) out.push_back(e.path().string());
  }
  return out;
}

bool MappedHere(const std::string& file) {
  std::ifstream maps("/proc/self/maps");
  std::string line;
  while (std::getline(maps, line)) {
    if (line.find(file) != std::string::npos) return true;
  }
  return false;
}

std::vector<std::int64_t> Rows(SearchEngine* e, const std::string& text) {
  auto r = e->Search({.text = text, .session_seed = 4});
  EXPECT_TRUE(r.ok());
  return r->Rows(0, r->size());
}

TEST(SnapshotTest, ReadersMapTheCopyBesideTheCatalogue) {
  TempDir dir;
  const std::string path = dir.File("c.db");
  ImportSample(OpenWriter(path).get());
  const auto copies = Copies(path);
  ASSERT_EQ(copies.size(), 1u);
  auto reader = OpenReader(path);
  auto engine = SearchEngine::Create(reader.get());
  ASSERT_TRUE(engine.ok());
  EXPECT_TRUE(MappedHere(copies[0]));
  EXPECT_EQ(Rows(engine->get(), "welding").size(), 30u);
  EXPECT_EQ(Rows(engine->get(), "btec").size(), 15u);  // qualifications are searched
}

TEST(SnapshotTest, TheCopyIsOnlyACacheMissingOrDamagedItGivesTheSameResults) {
  TempDir dir;
  const std::string path = dir.File("c.db");
  ImportSample(OpenWriter(path).get());
  std::vector<std::int64_t> expected;
  {
    auto reader = OpenReader(path);
    expected = Rows(SearchEngine::Create(reader.get())->get(), "weld");
    ASSERT_EQ(expected.size(), 30u);
  }
  const std::string copy = Copies(path).at(0);
  for (const char* damage : {"missing", "truncated", "flipped header", "other snapshot"}) {
    SCOPED_TRACE(damage);
    const std::string saved = dir.File("saved");
    fs::copy_file(copy, saved, fs::copy_options::overwrite_existing);
    const std::string what = damage;
    if (what == "missing") {
      fs::remove(copy);
    } else if (what == "truncated") {
      fs::resize_file(copy, fs::file_size(copy) / 2);
    } else if (what == "flipped header") {
      std::fstream f(copy, std::ios::in | std::ios::out | std::ios::binary);
      f.seekp(20);
      f.put('\x7f');
    } else {
      // A copy of the right name and size but another import's content.
      std::fstream f(copy, std::ios::in | std::ios::out | std::ios::binary);
      f.seekp(static_cast<std::streamoff>(fs::file_size(copy) - 1));
      f.put('\x55');
      f.seekp(100);
      f.put('\x01');
    }
    auto reader = OpenReader(path);
    auto engine = SearchEngine::Create(reader.get());
    ASSERT_TRUE(engine.ok()) << engine.status().ToString();
    EXPECT_EQ(Rows(engine->get(), "weld"), expected);
    engine->reset();
    fs::copy_file(saved, copy, fs::copy_options::overwrite_existing);
  }
  // A writer opening the catalogue puts a missing copy back.
  fs::remove(copy);
  OpenWriter(path);
  EXPECT_TRUE(fs::exists(copy));
}

TEST(SnapshotTest, AnImportReplacesTheCopyAndAReaderThatMappedTheOldOneCarriesOn) {
  TempDir dir;
  const std::string path = dir.File("c.db");
  auto writer = OpenWriter(path);
  ImportSample(writer.get(), "welding");
  const std::string first = Copies(path).at(0);
  auto reader = OpenReader(path);
  auto engine = SearchEngine::Create(reader.get());
  ASSERT_EQ(Rows(engine->get(), "welding").size(), 30u);
  EXPECT_FALSE(reader->HasChanged());  // the first call only starts watching
  ImportSample(writer.get(), "joinery");
  const auto now = Copies(path);
  ASSERT_EQ(now.size(), 1u);
  EXPECT_NE(now[0], first);
  // Until it reloads, the reader still answers from the old mapping (the
  // file was unlinked, not overwritten): stale, but no error and no crash.
  EXPECT_TRUE(MappedHere(first));
  auto stale = (*engine)->Search({.text = "weld"});
  ASSERT_TRUE(stale.ok());
  EXPECT_TRUE((*engine)->Summaries(stale->Rows(0, 100)).ok());
  EXPECT_TRUE(reader->HasChanged());
  ASSERT_TRUE((*engine)->Reload().ok());
  EXPECT_TRUE(MappedHere(now[0]));
  EXPECT_EQ(Rows(engine->get(), "joinery").size(), 30u);
  EXPECT_TRUE(Rows(engine->get(), "welding").empty());
}

TEST(SnapshotTest, ADamagedSnapshotInTheCatalogueIsACalmErrorNotACrash) {
  TempDir dir;
  const std::string path = dir.File("c.db");
  ImportSample(OpenWriter(path).get());
  for (const std::string& copy : Copies(path)) fs::remove(copy);
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    // Flip the version, then cut the blob short.
    EXPECT_EQ(sqlite3_exec(db,
                           "UPDATE search_snapshot SET docs = substr(docs, 1, 8) || x'09000000' "
                           "|| substr(docs, 13)",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
  }
  auto reader = OpenReader(path);
  auto bad = SearchEngine::Create(reader.get());
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), Status::Code::kCorrupt);
  EXPECT_NE(bad.status().message().find("run content-sync again"), std::string::npos)
      << bad.status().ToString();
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    EXPECT_EQ(sqlite3_exec(db, "UPDATE search_snapshot SET docs = substr(docs, 1, 300)", nullptr,
                           nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
  }
  auto cut = SearchEngine::Create(reader.get());
  ASSERT_FALSE(cut.ok());
  EXPECT_EQ(cut.status().code(), Status::Code::kCorrupt);
}

// Runs `sql` on the catalogue file with plain SQLite (as damage would).
void Sql(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* error = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error), SQLITE_OK)
      << (error ? error : "");
  sqlite3_free(error);
  sqlite3_close(db);
}

TEST(SnapshotTest, ACopyWhoseEndWasNeverWrittenIsNotMapped) {
  // A card pulled mid-write can leave a file of the right size whose last
  // blocks were never written (zeros): the header matches, the end does not.
  TempDir dir;
  const std::string path = dir.File("c.db");
  ImportSample(OpenWriter(path).get());
  std::vector<std::int64_t> expected;
  {
    auto reader = OpenReader(path);
    expected = Rows(SearchEngine::Create(reader.get())->get(), "weld");
  }
  const std::string copy = Copies(path).at(0);
  const auto size = fs::file_size(copy);
  {
    std::fstream f(copy, std::ios::in | std::ios::out | std::ios::binary);
    const std::uint64_t tail = std::min<std::uint64_t>(size / 2, 4096);
    f.seekp(static_cast<std::streamoff>(size - tail));
    const std::string zeros(static_cast<size_t>(tail), '\0');
    f.write(zeros.data(), static_cast<std::streamsize>(zeros.size()));
  }
  ASSERT_EQ(fs::file_size(copy), size);
  auto reader = OpenReader(path);
  auto engine = SearchEngine::Create(reader.get());
  ASSERT_TRUE(engine.ok()) << engine.status().ToString();
  EXPECT_FALSE(MappedHere(copy));  // read from the catalogue instead
  EXPECT_EQ(Rows(engine->get(), "weld"), expected);
}

TEST(SnapshotTest, ASnapshotOfAnotherFormatVersionIsRebuiltWhenTheWriterOpens) {
  TempDir dir;
  const std::string path = dir.File("c.db");
  ImportSample(OpenWriter(path).get());
  std::vector<std::int64_t> expected;
  {
    auto reader = OpenReader(path);
    expected = Rows(SearchEngine::Create(reader.get())->get(), "weld");
    ASSERT_EQ(expected.size(), 30u);
  }
  // What an older Signpost wrote: magic "SPSNAP02", version 2.
  Sql(path,
      "UPDATE search_snapshot SET docs = CAST(CAST('SPSNAP02' AS BLOB) || x'02000000' || "
      "substr(docs, 13) AS BLOB)");
  for (const std::string& copy : Copies(path)) fs::remove(copy);
  {
    // A reader never rebuilds: a calm error that says what to do.
    auto reader = OpenReader(path);
    auto old = SearchEngine::Create(reader.get());
    ASSERT_FALSE(old.ok());
    EXPECT_EQ(old.status().code(), Status::Code::kCorrupt);
  }
  OpenWriter(path);  // content-sync starting
  ASSERT_EQ(Copies(path).size(), 1u);
  auto reader = OpenReader(path);
  auto engine = SearchEngine::Create(reader.get());
  ASSERT_TRUE(engine.ok()) << engine.status().ToString();
  EXPECT_EQ(Rows(engine->get(), "weld"), expected);
  EXPECT_EQ((*engine)->Search({.text = "open day"})->events().size(), 1u);
}

// The snapshot keeps the search words table as the writer built it; a
// school's words changed behind it (here by plain SQL, as no Signpost
// program does) are still read as they are now.
TEST(SnapshotTest, SearchWordsChangedSinceTheSnapshotWasMadeAreReadAsTheyAreNow) {
  TempDir dir;
  const std::string path = dir.File("c.db");
  {
    auto cat = OpenWriter(path);
    ImportSample(cat.get());
    ImportOptions o;
    o.today = kToday;
    auto imp = cat->BeginImport("school", o);
    ASSERT_TRUE(imp.ok());
    ASSERT_TRUE((*imp)->AddSearchAlias({.words = "soldering", .means = "welding"}).ok());
    ASSERT_TRUE((*imp)->Commit().ok());
  }
  {
    auto reader = OpenReader(path);
    auto engine = SearchEngine::Create(reader.get());
    ASSERT_TRUE(engine.ok()) << engine.status().ToString();
    EXPECT_EQ(Rows(engine->get(), "soldering").size(), 30u);
    EXPECT_TRUE(Rows(engine->get(), "brazing").empty());
  }
  Sql(path, "UPDATE search_alias SET words = 'brazing'");
  auto reader = OpenReader(path);
  auto engine = SearchEngine::Create(reader.get());
  ASSERT_TRUE(engine.ok()) << engine.status().ToString();
  EXPECT_EQ(Rows(engine->get(), "brazing").size(), 30u);
  EXPECT_TRUE(Rows(engine->get(), "soldering").empty());
}

TEST(SnapshotTest, ASnapshotCutShortIsRebuiltWhenTheWriterOpens) {
  TempDir dir;
  const std::string path = dir.File("c.db");
  ImportSample(OpenWriter(path).get());
  Sql(path, "UPDATE search_snapshot SET docs = substr(docs, 1, length(docs) - 100)");
  for (const std::string& copy : Copies(path)) fs::remove(copy);
  OpenWriter(path);
  auto reader = OpenReader(path);
  auto engine = SearchEngine::Create(reader.get());
  ASSERT_TRUE(engine.ok()) << engine.status().ToString();
  EXPECT_EQ(Rows(engine->get(), "welding").size(), 30u);
}

// Damage anywhere in the snapshot (the section table, string tables, item
// columns, a doc's route or mode, which are no longer walked at load) is a
// calm error or a search that still runs: never a read out of bounds (the
// ASan build runs this too).
TEST(SnapshotTest, DamageAnywhereIsACalmErrorOrASearchNeverACrash) {
  TempDir dir;
  const std::string path = dir.File("c.db");
  ImportSample(OpenWriter(path).get());
  for (const std::string& copy : Copies(path)) fs::remove(copy);
  const std::string good = dir.File("good.db");
  fs::copy_file(path, good);
  std::int64_t bytes = 0;
  {
    auto reader = OpenReader(path);
    sqlite3_stmt* q = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(reader->handle(), "SELECT length(docs) FROM search_snapshot", -1,
                                 &q, nullptr),
              SQLITE_OK);
    ASSERT_EQ(sqlite3_step(q), SQLITE_ROW);
    bytes = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
  }
  ASSERT_GT(bytes, 4000);
  std::uint64_t rng = 12345;
  auto next = [&] {
    rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
    return rng >> 33;
  };
  int errors = 0, searched = 0;
  for (int round = 0; round < 60; ++round) {
    fs::copy_file(good, path, fs::copy_options::overwrite_existing);
    // Half the rounds hit the header and section table (its first ~850
    // bytes), half the sections after it.
    const std::int64_t from = round % 2 ? 1000 : 1, to = round % 2 ? bytes - 8 : 850;
    for (int k = 0; k < 3; ++k) {
      const auto at =
          from + static_cast<std::int64_t>(next() % static_cast<std::uint64_t>(to - from));
      const auto value = static_cast<int>(next() % 256);
      char hex[3];
      std::snprintf(hex, sizeof hex, "%02x", value);
      Sql(path, "UPDATE search_snapshot SET docs = CAST(substr(docs, 1, " + std::to_string(at - 1) +
                    ") || x'" + hex + "' || substr(docs, " + std::to_string(at + 1) + ") AS BLOB)");
    }
    auto reader = OpenReader(path);
    auto engine = SearchEngine::Create(reader.get());
    if (!engine.ok()) {
      EXPECT_EQ(engine.status().code(), Status::Code::kCorrupt) << engine.status().ToString();
      ++errors;
      continue;
    }
    ++searched;
    for (const char* text : {"weld", "e", "open day", "", "btec", "sam", "wleding"}) {
      auto r = (*engine)->Search({.text = text, .session_seed = 2});
      ASSERT_TRUE(r.ok()) << r.status().ToString();
      EXPECT_TRUE((*engine)->Summaries(r->Rows(0, r->size())).ok());
      EXPECT_TRUE((*engine)->ItemSummaries(ResultKind::kEvent, r->events()).ok());
    }
  }
  EXPECT_GT(errors, 0);    // damage to the header or sections is noticed
  EXPECT_GT(searched, 0);  // damage to plain data is searched through
}

// Ten courses with "welding" in the title, ten with it only in the
// qualification, ten with it only in the description: the order shows which
// tier found each (titles, then the other short fields, then descriptions).
// Far too few for cached bitsets: the first two tiers come from the
// snapshot's lists of documents.
void ImportTiers(Catalogue* cat) {
  auto imp = cat->BeginImport("courses", {.today = kToday});
  ASSERT_TRUE(imp.ok());
  ASSERT_TRUE((*imp)->AddProvider(MakeProvider("p", "Northgate College")).ok());
  for (int i = 0; i < 30; ++i) {
    const char* titles[] = {"Welding", "Floristry", "Bakery"};
    // One route: the order within a route is by tier first.
    auto opp = MakeOpportunity(std::to_string(i), std::string(titles[i / 10]) + " level 2", "p");
    opp.qualification = i / 10 == 1 ? "Welding Diploma" : "Certificate";
    if (i / 10 == 2) opp.description = "Includes welding in the workshop.";
    ASSERT_TRUE((*imp)->AddOpportunity(opp).ok());
  }
  ASSERT_TRUE((*imp)->Commit().ok());
}

// The rows of "welding" (or "weld") as the tier of each: 0, 1 or 2.
std::vector<int> WeldingTiers(SearchEngine* e, const std::string& text) {
  std::vector<int> tiers;
  auto r = e->Search({.text = text, .session_seed = 4});
  EXPECT_TRUE(r.ok());
  auto rows = e->Summaries(r->Rows(0, r->size()));
  EXPECT_TRUE(rows.ok());
  for (const OpportunitySummary& s : *rows) {
    tiers.push_back(s.title.rfind("Welding", 0) == 0 ? 0 : s.title.rfind("Flor", 0) == 0 ? 1 : 2);
  }
  return tiers;
}

const std::vector<int> kWeldingTiers = [] {
  std::vector<int> t;
  for (int tier = 0; tier < 3; ++tier) t.insert(t.end(), 10, tier);
  return t;
}();

// A careers-only import keeps the docs, and the new snapshot takes the lists
// over from the old one.
TEST(SnapshotTest, ListsOfDocumentsAreKeptWhenOnlyCareersChange) {
  TempDir dir;
  const std::string path = dir.File("c.db");
  auto writer = OpenWriter(path);
  ImportTiers(writer.get());
  for (bool careers_added : {false, true}) {
    SCOPED_TRACE(careers_added ? "after a careers import" : "after the courses import");
    auto reader = OpenReader(path);
    auto engine = SearchEngine::Create(reader.get());
    ASSERT_TRUE(engine.ok());
    EXPECT_EQ(WeldingTiers(engine->get(), "welding"), kWeldingTiers);
    EXPECT_EQ(WeldingTiers(engine->get(), "weld"), kWeldingTiers);
    EXPECT_EQ(Rows(engine->get(), "floristry").size(), 10u);
    EXPECT_EQ(Rows(engine->get(), "northgate").size(), 30u);
    EXPECT_EQ(Rows(engine->get(), "diploma").size(), 10u);
    if (careers_added) {
      EXPECT_EQ((*engine)->Search({.text = "welder"})->careers().size(), 1u);
      break;
    }
    auto imp = writer->BeginImport("careers", {.today = kToday});
    ASSERT_TRUE(imp.ok());
    Career c;
    c.source_id = "welder";
    c.title = "Welder";
    c.overview = "Welders join metal parts.";
    ASSERT_TRUE((*imp)->AddCareer(c).ok());
    ASSERT_TRUE((*imp)->Commit().ok());
  }
}

// The lists are not walked when a process maps the snapshot (that would
// cost every new process all of them): a damaged list is found as it is
// read, and the search asks the full-text index instead.
TEST(SnapshotTest, ADamagedListOfDocumentsFallsBackToTheFullTextIndex) {
  TempDir dir;
  const std::string path = dir.File("c.db");
  ImportTiers(OpenWriter(path).get());
  const std::string copy = Copies(path).at(0);
  internal::SnapshotHeader h{};
  {
    std::ifstream in(copy, std::ios::binary);
    in.read(reinterpret_cast<char*>(&h), sizeof h);
    ASSERT_TRUE(in.good());
  }
  const internal::SnapshotSection lists = h.sections[internal::kSecPostings];
  ASSERT_GT(lists.bytes, 30u);
  // A varint that never ends, and gaps that run past the last doc.
  for (const char fill : {'\xff', '\x7e'}) {
    SCOPED_TRACE(static_cast<int>(static_cast<unsigned char>(fill)));
    {
      std::fstream f(copy, std::ios::in | std::ios::out | std::ios::binary);
      f.seekp(static_cast<std::streamoff>(lists.offset));
      const std::string damage(static_cast<size_t>(lists.bytes), fill);
      f.write(damage.data(), static_cast<std::streamsize>(damage.size()));
    }
    auto reader = OpenReader(path);
    auto engine = SearchEngine::Create(reader.get());
    ASSERT_TRUE(engine.ok()) << engine.status().ToString();
    EXPECT_TRUE(MappedHere(copy));  // the damaged copy is the one read
    EXPECT_EQ(WeldingTiers(engine->get(), "welding"), kWeldingTiers);
    EXPECT_EQ(WeldingTiers(engine->get(), "weld"), kWeldingTiers);
    EXPECT_EQ(Rows(engine->get(), "northgate").size(), 30u);
  }
}

// What a version 1 catalogue looked like where versions 2 to 5 differ (the
// DDL is version 1's own, from catalogue/src/schema.cpp before the
// migrations).
void MakeVersion1(const std::string& path) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  const char* sql = R"sql(
    BEGIN;
    DROP TABLE event_fts;
    DROP TABLE local_fts;
    DROP TABLE search_alias;
    DROP TABLE opportunity_title_fts;
    DROP TABLE opportunity_fts;
    CREATE VIRTUAL TABLE opportunity_fts USING fts5(
      title, subject_area, provider_name, description,
      content='opportunity', content_rowid='id', detail=none, prefix='1 2 3',
      tokenize='unicode61 remove_diacritics 2');
    CREATE VIRTUAL TABLE opportunity_title_fts USING fts5(
      title, subject_area, provider_name,
      content='opportunity', content_rowid='id', detail=none, prefix='1 2 3',
      tokenize='unicode61 remove_diacritics 2');
    INSERT INTO opportunity_fts(opportunity_fts) VALUES('rebuild');
    INSERT INTO opportunity_title_fts(opportunity_title_fts) VALUES('rebuild');
    CREATE TABLE search_prefix(
      tier   INTEGER NOT NULL,
      prefix TEXT NOT NULL,
      docs   BLOB,
      alias  TEXT,
      PRIMARY KEY(tier, prefix)
    ) WITHOUT ROWID;
    DELETE FROM search_snapshot;
    INSERT INTO search_snapshot(id, docs) VALUES(1, x'5350533100000000');
    ALTER TABLE opportunity DROP COLUMN typical_job_titles;
    ALTER TABLE opportunity DROP COLUMN outcomes;
    ALTER TABLE opportunity DROP COLUMN posted_date;
    ALTER TABLE local_item DROP COLUMN event_date;
    ALTER TABLE local_item DROP COLUMN event_start;
    ALTER TABLE local_item DROP COLUMN event_end;
    ALTER TABLE local_item DROP COLUMN place;
    PRAGMA user_version = 1;
    COMMIT;
  )sql";
  char* error = nullptr;
  ASSERT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, &error), SQLITE_OK) << error;
  sqlite3_close(db);
  for (const std::string& copy : Copies(path)) fs::remove(copy);
}

TEST(MigrationTest, AVersion1CatalogueUpgradesAndSearchesEverything) {
  TempDir dir;
  const std::string path = dir.File("c.db");
  ImportSample(OpenWriter(path).get());
  MakeVersion1(path);
  // A reader never migrates: it says what to do.
  auto early = Catalogue::Open(path, {.read_only = true});
  ASSERT_FALSE(early.ok());
  EXPECT_NE(early.status().message().find("schema 1, needs " + std::to_string(kSchemaVersion)),
            std::string::npos)
      << early.status().ToString();
  // The writer (content-sync) upgrades it on open.
  auto writer = OpenWriter(path);
  ASSERT_TRUE(writer);
  EXPECT_EQ(writer->Stats()->schema_version, kSchemaVersion);
  for (const char* fts : {"opportunity_name_fts", "opportunity_title_fts", "opportunity_fts",
                          "career_fts", "event_fts", "local_fts"}) {
    char* error = nullptr;
    const std::string check =
        std::string("INSERT INTO ") + fts + "(" + fts + ", rank) VALUES('integrity-check', 1)";
    EXPECT_EQ(sqlite3_exec(writer->handle(), check.c_str(), nullptr, nullptr, &error), SQLITE_OK)
        << fts << ": " << (error ? error : "");
    sqlite3_free(error);
  }
  EXPECT_TRUE(writer->IntegrityCheck().ok());
  EXPECT_EQ(Copies(path).size(), 1u);
  writer.reset();
  auto reader = OpenReader(path);
  auto engine = SearchEngine::Create(reader.get());
  ASSERT_TRUE(engine.ok()) << engine.status().ToString();
  EXPECT_EQ(Rows(engine->get(), "welding").size(), 30u);
  EXPECT_EQ(Rows(engine->get(), "weldin").size(), 30u);
  EXPECT_EQ(Rows(engine->get(), "btec").size(), 15u);  // the new qualification column
  auto r = (*engine)->Search({.text = "open day"});
  ASSERT_EQ(r->events().size(), 1u);  // events are searched now
  auto story = (*engine)->Search({.text = "welding"});
  EXPECT_EQ(story->local_items().size(), 1u);
}

// Version 3's opportunity indexes (catalogue/src/schema.cpp, kSchemaV2):
// column sizes kept, 1-, 2- and 3-letter prefix indexes on every tier, and
// none of version 5's columns. With `claim_version` kSchemaVersion the file
// says it is current anyway (the columns stay), so a reader searches the old
// indexes.
void MakeVersion3(const std::string& path, int claim_version = 3) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  const char* sql = R"sql(
    BEGIN;
    DROP TABLE opportunity_name_fts;
    DROP TABLE opportunity_title_fts;
    DROP TABLE opportunity_fts;
    CREATE VIRTUAL TABLE opportunity_name_fts USING fts5(
      title,
      content='opportunity', content_rowid='id', detail=none, prefix='1 2 3',
      tokenize='unicode61 remove_diacritics 2');
    CREATE VIRTUAL TABLE opportunity_title_fts USING fts5(
      title, subject_area, provider_name, qualification, employer,
      content='opportunity', content_rowid='id', detail=none, prefix='1 2 3',
      tokenize='unicode61 remove_diacritics 2');
    CREATE VIRTUAL TABLE opportunity_fts USING fts5(
      title, subject_area, provider_name, qualification, employer, description,
      content='opportunity', content_rowid='id', detail=none, prefix='1 2 3',
      tokenize='unicode61 remove_diacritics 2');
    INSERT INTO opportunity_name_fts(opportunity_name_fts) VALUES('rebuild');
    INSERT INTO opportunity_title_fts(opportunity_title_fts) VALUES('rebuild');
    INSERT INTO opportunity_fts(opportunity_fts) VALUES('rebuild');
    COMMIT;
  )sql";
  char* error = nullptr;
  ASSERT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, &error), SQLITE_OK) << error;
  if (claim_version < 5) {
    const std::string drop = std::string("BEGIN;") + testing::kDropSchemaV5Columns + "COMMIT;";
    ASSERT_EQ(sqlite3_exec(db, drop.c_str(), nullptr, nullptr, &error), SQLITE_OK) << error;
  }
  const std::string version = "PRAGMA user_version = " + std::to_string(claim_version);
  ASSERT_EQ(sqlite3_exec(db, version.c_str(), nullptr, nullptr, &error), SQLITE_OK) << error;
  sqlite3_close(db);
}

std::string TableSql(Catalogue* cat, const std::string& table) {
  sqlite3_stmt* q = nullptr;
  sqlite3_prepare_v2(cat->handle(), "SELECT sql FROM sqlite_schema WHERE name = ?", -1, &q,
                     nullptr);
  sqlite3_bind_text(q, 1, table.c_str(), -1, SQLITE_TRANSIENT);
  std::string out;
  if (sqlite3_step(q) == SQLITE_ROW) out = reinterpret_cast<const char*>(sqlite3_column_text(q, 0));
  sqlite3_finalize(q);
  return out;
}

// Version 4 rebuilt the opportunity indexes cheaper to write (no column
// sizes; the description tier without the 1- and 2-letter prefix indexes
// search never reads): a version 3 catalogue finds exactly what it found.
TEST(MigrationTest, AVersion3CatalogueUpgradesAndFindsExactlyTheSameRows) {
  TempDir dir;
  const std::string path = dir.File("c.db");
  ImportSample(OpenWriter(path).get());
  const std::vector<std::string> queries = {
      "welding", "weld",   "wel",       "we",   "w",     "btec", "city",
      "gu",      "course", "northgate", "work", "place", "pra",  "diploma level 3"};
  auto results = [&] {
    std::vector<std::vector<std::int64_t>> out;
    auto reader = OpenReader(path);
    auto engine = SearchEngine::Create(reader.get());
    EXPECT_TRUE(engine.ok()) << engine.status().ToString();
    if (!engine.ok()) return out;
    for (const std::string& q : queries) out.push_back(Rows(engine->get(), q));
    return out;
  };
  const auto with_version_4 = results();
  ASSERT_EQ(with_version_4.front().size(), 30u);
  MakeVersion3(path, /*claim_version=*/kSchemaVersion);
  EXPECT_EQ(results(), with_version_4);  // the version 3 indexes find the same rows
  MakeVersion3(path);
  EXPECT_FALSE(Catalogue::Open(path, {.read_only = true}).ok());  // a reader never migrates
  auto writer = OpenWriter(path);
  ASSERT_TRUE(writer);
  EXPECT_EQ(writer->Stats()->schema_version, kSchemaVersion);
  EXPECT_NE(TableSql(writer.get(), "opportunity_fts").find("prefix='3'"), std::string::npos);
  for (const char* fts : {"opportunity_name_fts", "opportunity_title_fts", "opportunity_fts"}) {
    EXPECT_NE(TableSql(writer.get(), fts).find("columnsize=0"), std::string::npos) << fts;
    char* error = nullptr;
    const std::string check =
        std::string("INSERT INTO ") + fts + "(" + fts + ", rank) VALUES('integrity-check', 1)";
    EXPECT_EQ(sqlite3_exec(writer->handle(), check.c_str(), nullptr, nullptr, &error), SQLITE_OK)
        << fts << ": " << (error ? error : "");
    sqlite3_free(error);
  }
  writer.reset();
  EXPECT_EQ(results(), with_version_4);
}

}  // namespace
}  // namespace signpost::catalogue
