// The version 4 -> 5 migration (issue 15): vacancies keep the day they were
// posted, school events their day, times and place. A version 3 catalogue
// (made here as version 3 held it: the same tables without the version 5
// columns; version 4 only rebuilt the full-text indexes, which
// snapshot_test.cpp checks) opens, upgrades through 4 and 5 in place, keeps
// every row, gives its school events their day, and makes the feeds that hold vacancies or local
// items import again (their validators and sync plans are forgotten); then the new fields go in and
// come back out.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>

#include "signpost/search.h"
#include "test_util.h"

namespace signpost::catalogue {
namespace {

using testing::MakeOpportunity;
using testing::MakeProvider;
using testing::OpenReader;
using testing::OpenWriter;
using testing::TempDir;

constexpr Day kToday = 20791;  // 2026-12-04

void Sql(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* error = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, &error), SQLITE_OK) << (error ? error : "");
  sqlite3_free(error);
  sqlite3_close(db);
}

std::string One(Catalogue* cat, const char* sql) {
  sqlite3_stmt* st = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(cat->handle(), sql, -1, &st, nullptr), SQLITE_OK) << sql;
  std::string out = "(no row)";
  if (sqlite3_step(st) == SQLITE_ROW) {
    const unsigned char* t = sqlite3_column_text(st, 0);
    out = t ? reinterpret_cast<const char*>(t) : "NULL";
  }
  sqlite3_finalize(st);
  return out;
}

// The "vacancies" feed: an apprenticeship vacancy (posted on `posted`) and
// a course.
void ImportVacancies(Catalogue* cat, std::optional<Day> posted) {
  ImportOptions o;
  o.today = kToday;
  auto imp = cat->BeginImport("vacancies", o);
  ASSERT_TRUE(imp.ok());
  ASSERT_TRUE((*imp)->AddProvider(MakeProvider("p", "Northgate Training")).ok());
  auto v = MakeOpportunity("v1", "Apprentice welder", "p", Route::kApprenticeship);
  v.closing = kToday + 20;
  v.posted = posted;
  ASSERT_TRUE((*imp)->AddOpportunity(v).ok());
  ASSERT_TRUE((*imp)->AddOpportunity(MakeOpportunity("c1", "Welding course", "p")).ok());
  ASSERT_TRUE((*imp)->Commit().ok());
}

// The local pack feed "school", and its careers fair (shown until 13 days on).
std::unique_ptr<FeedImport> BeginPack(Catalogue* cat) {
  ImportOptions o;
  o.today = kToday;
  auto pack = cat->BeginImport("school", o);
  EXPECT_TRUE(pack.ok());
  return pack.ok() ? std::move(pack.value()) : nullptr;
}
LocalItem Fair() {
  LocalItem e;
  e.source_id = "events/fair";
  e.kind = LocalKind::kSchoolEvent;
  e.title = "Careers fair";
  e.ends = kToday + 13;
  return e;
}

// A catalogue as version 3 left it: a vacancy feed and a local pack feed,
// each with its validators and sync plan, and a school event whose day was
// only in its text (and its show-until day).
void MakeVersion3(const std::string& path) {
  {
    auto cat = OpenWriter(path);
    ASSERT_TRUE(cat);
    ImportVacancies(cat.get(), std::nullopt);
    auto pack = BeginPack(cat.get());
    ASSERT_TRUE(pack);
    LocalItem e = Fair();
    e.body = "Thu 17 Dec 2026, 6pm to 8pm, Main hall";
    ASSERT_TRUE(pack->AddLocalItem(e).ok());
    LocalItem n;
    n.source_id = "notice";
    n.kind = LocalKind::kNotice;
    n.title = "Forms due";
    ASSERT_TRUE(pack->AddLocalItem(n).ok());
    ASSERT_TRUE(pack->Commit().ok());
    for (const char* feed : {"vacancies", "school", "courses"}) {
      SyncState s;
      s.feed = feed;
      s.result = "ok";
      s.etag = std::string("\"etag-") + feed + "\"";
      s.last_modified = "Tue, 01 Dec 2026 09:00:00 GMT";
      ASSERT_TRUE(cat->PutSyncState(s).ok());
      ASSERT_TRUE(cat->SetMeta(FeedPlanMetaKey(feed), "{\"pages\":[]}").ok());
    }
  }
  Sql(path,
      (std::string("BEGIN;") + testing::kDropSchemaV5Columns + "PRAGMA user_version = 3; COMMIT;")
          .c_str());
}

TEST(MigrationTest, AVersion3CatalogueOpensAndMigratesKeepingEveryRow) {
  TempDir dir;
  const std::string path = dir.File("c.db");
  MakeVersion3(path);
  // A reader never migrates: it says what to do and leaves the file alone.
  auto early = Catalogue::Open(path, {.read_only = true});
  ASSERT_FALSE(early.ok());
  EXPECT_NE(early.status().message().find("schema 3, needs 5"), std::string::npos)
      << early.status().ToString();

  auto cat = OpenWriter(path);  // content-sync's open upgrades it
  ASSERT_TRUE(cat);
  EXPECT_EQ(cat->Stats()->schema_version, kSchemaVersion);
  EXPECT_TRUE(cat->IntegrityCheck().ok());
  EXPECT_EQ(One(cat.get(), "SELECT count(*) FROM opportunity"), "2");
  EXPECT_EQ(One(cat.get(), "SELECT count(*) FROM opportunity WHERE posted_date IS NULL"), "2");
  // The school event's day until the pack is imported again: the day it
  // was shown until.
  auto items = cat->LocalItems(LocalKind::kSchoolEvent, kToday);
  ASSERT_TRUE(items.ok());
  ASSERT_EQ(items->size(), 1u);
  EXPECT_EQ((*items)[0].event_day, kToday + 13);
  EXPECT_FALSE((*items)[0].event_start_minute.has_value());
  EXPECT_EQ((*items)[0].body, "Thu 17 Dec 2026, 6pm to 8pm, Main hall");
  EXPECT_EQ(One(cat.get(), "SELECT event_date FROM local_item WHERE kind = 'notice'"), "NULL");
  // The vacancy and pack feeds import again at their next sync; the others
  // keep their validators.
  auto states = cat->SyncStates();
  ASSERT_TRUE(states.ok());
  ASSERT_EQ(states->size(), 3u);
  for (const SyncState& s : *states) {
    SCOPED_TRACE(s.feed);
    const bool refetch = s.feed != "courses";
    EXPECT_EQ(s.etag.empty(), refetch);
    EXPECT_EQ(s.last_modified.empty(), refetch);
    EXPECT_EQ(cat->GetMeta(FeedPlanMetaKey(s.feed)).has_value(), !refetch);
  }
  // Searching still works on the migrated file (a reader now opens it).
  cat.reset();
  auto reader = OpenReader(path);
  ASSERT_TRUE(reader);
  auto engine = SearchEngine::Create(reader.get());
  ASSERT_TRUE(engine.ok()) << engine.status().ToString();
  auto r = (*engine)->Search({.text = "welder"});  // the vacancy, and the course by its stem
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->size(), 2);
}

TEST(MigrationTest, PostedDaysAndSchoolEventTimesGoInAndComeBackOut) {
  TempDir dir;
  const std::string path = dir.File("c.db");
  MakeVersion3(path);
  auto cat = OpenWriter(path);
  ASSERT_TRUE(cat);
  ImportVacancies(cat.get(), kToday - 2);
  auto id = cat->FindOpportunity("vacancies", "v1");
  ASSERT_TRUE(id.ok());
  auto rec = cat->GetOpportunity(*id);
  ASSERT_TRUE(rec.ok());
  EXPECT_EQ(rec->opportunity.posted, kToday - 2);
  auto engine = SearchEngine::Create(cat.get());
  ASSERT_TRUE(engine.ok());
  auto rows = (*engine)->Summaries({*id}, std::nullopt);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].posted, kToday - 2);

  auto pack = BeginPack(cat.get());
  ASSERT_TRUE(pack);
  LocalItem e = Fair();
  e.event_day = e.ends;
  e.event_start_minute = 18 * 60;
  e.event_end_minute = 20 * 60;
  e.place = "Main hall";
  ASSERT_TRUE(pack->AddLocalItem(e).ok());
  LocalItem bad = e;  // an end before its start is not stored
  bad.source_id = "events/backwards";
  bad.event_end_minute = 17 * 60;
  EXPECT_FALSE(pack->AddLocalItem(bad).ok());
  LocalItem no_start = e;
  no_start.source_id = "events/no-start";
  no_start.event_start_minute.reset();
  EXPECT_FALSE(pack->AddLocalItem(no_start).ok());
  ASSERT_TRUE(pack->Commit().ok());
  auto items = cat->LocalItems(LocalKind::kSchoolEvent, kToday);
  ASSERT_TRUE(items.ok());
  ASSERT_EQ(items->size(), 1u);
  EXPECT_EQ((*items)[0].event_day, kToday + 13);
  EXPECT_EQ((*items)[0].event_start_minute, 18 * 60);
  EXPECT_EQ((*items)[0].event_end_minute, 20 * 60);
  EXPECT_EQ((*items)[0].place, "Main hall");
}

}  // namespace
}  // namespace signpost::catalogue
