#include "signpost/catalogue.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <fstream>

#include "test_util.h"

namespace signpost::catalogue {
namespace {

using testing::MakeOpportunity;
using testing::MakeProvider;
using testing::OpenReader;
using testing::OpenWriter;
using testing::TempDir;

TEST(CatalogueTest, WriterCreatesAVersionedCatalogueInWalMode) {
  TempDir dir;
  auto cat = OpenWriter(dir.File("c.db"));
  ASSERT_TRUE(cat);
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(cat->handle(), "PRAGMA journal_mode", -1, &s, nullptr);
  ASSERT_EQ(sqlite3_step(s), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)), "wal");
  sqlite3_finalize(s);
  auto stats = cat->Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->schema_version, kSchemaVersion);
  EXPECT_EQ(stats->opportunities, 0);
  EXPECT_TRUE(cat->IntegrityCheck().ok());
}

TEST(CatalogueTest, ReaderOnAMissingFileSaysWhatToDo) {
  TempDir dir;
  OpenOptions o;
  o.read_only = true;
  auto cat = Catalogue::Open(dir.File("missing.db"), o);
  ASSERT_FALSE(cat.ok());
  EXPECT_EQ(cat.status().code(), Status::Code::kNotFound);
  EXPECT_NE(cat.status().message().find("load-sample"), std::string::npos);
}

TEST(CatalogueTest, ReaderCannotWrite) {
  TempDir dir;
  { ASSERT_TRUE(OpenWriter(dir.File("c.db"))); }
  auto reader = OpenReader(dir.File("c.db"));
  ASSERT_TRUE(reader);
  EXPECT_FALSE(reader->BeginImport("x").ok());
  EXPECT_FALSE(reader->SetMeta("k", "v").ok());
}

TEST(CatalogueTest, NewerSchemaIsRefusedAndLeftUntouched) {
  TempDir dir;
  const std::string path = dir.File("c.db");
  {
    auto cat = OpenWriter(path);
    ASSERT_TRUE(cat);
    ASSERT_EQ(sqlite3_exec(cat->handle(), "PRAGMA user_version = 99", nullptr, nullptr, nullptr),
              SQLITE_OK);
  }
  std::ifstream before(path, std::ios::binary);
  const std::string bytes_before((std::istreambuf_iterator<char>(before)), {});
  for (bool ro : {false, true}) {
    OpenOptions o;
    o.read_only = ro;
    auto cat = Catalogue::Open(path, o);
    ASSERT_FALSE(cat.ok());
    EXPECT_EQ(cat.status().code(), Status::Code::kTooNew);
    EXPECT_NE(cat.status().message().find("newer"), std::string::npos);
  }
  std::ifstream after(path, std::ios::binary);
  const std::string bytes_after((std::istreambuf_iterator<char>(after)), {});
  EXPECT_EQ(bytes_before, bytes_after);
}

TEST(CatalogueTest, ANonDatabaseFileIsReportedAsCorrupt) {
  TempDir dir;
  const std::string path = dir.File("c.db");
  std::ofstream(path) << "this is not a database, it is a shopping list\n"
                      << std::string(5000, 'x');
  for (bool ro : {false, true}) {
    OpenOptions o;
    o.read_only = ro;
    auto cat = Catalogue::Open(path, o);
    ASSERT_FALSE(cat.ok());
    EXPECT_EQ(cat.status().code(), Status::Code::kCorrupt) << cat.status().ToString();
  }
}

TEST(CatalogueTest, AnotherSqliteDatabaseIsNotMistakenForACatalogue) {
  TempDir dir;
  const std::string path = dir.File("other.db");
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_exec(db, "CREATE TABLE t(x)", nullptr, nullptr, nullptr);
  sqlite3_close(db);
  auto cat = Catalogue::Open(path);
  ASSERT_FALSE(cat.ok());
  EXPECT_EQ(cat.status().code(), Status::Code::kCorrupt);
}

TEST(CatalogueTest, TruncatedCatalogueFailsCleanly) {
  TempDir dir;
  const std::string path = dir.File("c.db");
  {
    auto cat = OpenWriter(path);
    auto imp = cat->BeginImport("f");
    ASSERT_TRUE(imp.ok());
    ASSERT_TRUE((*imp)->AddProvider(MakeProvider("p1", "Northgate College")).ok());
    for (int i = 0; i < 300; ++i) {
      ASSERT_TRUE((*imp)
                      ->AddOpportunity(MakeOpportunity("o" + std::to_string(i),
                                                       "Welding level " + std::to_string(i), "p1"))
                      .ok());
    }
    ASSERT_TRUE((*imp)->Commit().ok());
    sqlite3_exec(cat->handle(), "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr);
  }
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  ASSERT_EQ(::truncate(path.c_str(), st.st_size / 3), 0);
  OpenOptions o;
  o.read_only = true;
  auto cat = Catalogue::Open(path, o);
  if (cat.ok()) {
    // The header survived; the damage must then show as a clean error.
    EXPECT_FALSE((*cat)->IntegrityCheck().ok());
    auto stats = (*cat)->Stats();
    if (!stats.ok()) {
      EXPECT_EQ(stats.status().code(), Status::Code::kCorrupt);
    }
  } else {
    EXPECT_EQ(cat.status().code(), Status::Code::kCorrupt) << cat.status().ToString();
  }
}

TEST(CatalogueTest, ReadOnlyDirectoryGivesAClearError) {
  if (::geteuid() == 0) {
    // root ignores directory permissions; use a path under a file instead.
    TempDir dir;
    std::ofstream(dir.File("file")) << "x";
    auto cat = Catalogue::Open(dir.File("file") + "/c.db");
    ASSERT_FALSE(cat.ok());
    EXPECT_EQ(cat.status().code(), Status::Code::kIoError);
    EXPECT_NE(cat.status().message().find("cannot open"), std::string::npos);
    return;
  }
  TempDir dir;
  ::chmod(dir.path().c_str(), 0555);
  auto cat = Catalogue::Open(dir.File("c.db"));
  ASSERT_FALSE(cat.ok());
  EXPECT_EQ(cat.status().code(), Status::Code::kIoError);
}

TEST(CatalogueTest, AFolderIsNotACatalogue) {
  TempDir dir;
  auto cat = Catalogue::Open(dir.path());
  ASSERT_FALSE(cat.ok());
  EXPECT_EQ(cat.status().code(), Status::Code::kInvalidArgument);
}

TEST(CatalogueTest, HasChangedSeesAnotherConnectionsCommit) {
  TempDir dir;
  auto writer = OpenWriter(dir.File("c.db"));
  auto reader = OpenReader(dir.File("c.db"));
  ASSERT_TRUE(writer && reader);
  EXPECT_FALSE(reader->HasChanged());  // first call primes
  EXPECT_FALSE(reader->HasChanged());
  ASSERT_TRUE(writer->SetMeta("name", "Test").ok());
  EXPECT_TRUE(reader->HasChanged());
  EXPECT_FALSE(reader->HasChanged());
}

TEST(CatalogueTest, MetaAndSyncStateRoundTrip) {
  TempDir dir;
  auto cat = OpenWriter(dir.File("c.db"));
  ASSERT_TRUE(cat->SetMeta("is_sample", "1").ok());
  ASSERT_TRUE(cat->SetMeta("is_sample", "1").ok());
  EXPECT_EQ(cat->GetMeta("is_sample"), "1");
  EXPECT_FALSE(cat->GetMeta("nope"));
  SyncState s;
  s.feed = "vacancies";
  s.last_attempt = 1000;
  s.last_success = 900;
  s.result = "ok";
  s.records = 12;
  s.etag = "\"abc\"";
  ASSERT_TRUE(cat->PutSyncState(s).ok());
  auto states = cat->SyncStates();
  ASSERT_TRUE(states.ok());
  ASSERT_EQ(states->size(), 1u);
  EXPECT_EQ((*states)[0].etag, "\"abc\"");
  EXPECT_EQ((*states)[0].last_success, 900);
  auto stats = cat->Stats();
  EXPECT_TRUE(stats->is_sample);
  EXPECT_EQ(stats->last_import, 900);
}

TEST(CatalogueTest, PostcodesNormaliseAndFallBackToTheDistrict) {
  EXPECT_EQ(NormalisePostcode("ls14ap"), "LS1 4AP");
  EXPECT_EQ(NormalisePostcode(" SW1A 1AA "), "SW1A 1AA");
  EXPECT_EQ(NormalisePostcode("hello"), "");
  EXPECT_EQ(NormalisePostcode("LS1-4AP"), "");
  TempDir dir;
  auto cat = OpenWriter(dir.File("c.db"));
  auto imp = cat->BeginImport("postcodes");
  ASSERT_TRUE((*imp)->AddPostcode({"LS1 4AP", {53.80, -1.55}}).ok());
  ASSERT_TRUE((*imp)->AddPostcode({"LS1 5AA", {53.82, -1.53}}).ok());
  EXPECT_FALSE((*imp)->AddPostcode({"nonsense", {53.82, -1.53}}).ok());
  ASSERT_TRUE((*imp)->Commit().ok());
  auto exact = cat->LookupPostcode("ls14ap");
  ASSERT_TRUE(exact);
  EXPECT_DOUBLE_EQ(exact->lat, 53.80);
  auto district = cat->LookupPostcode("LS1 9ZZ");
  ASSERT_TRUE(district);
  EXPECT_NEAR(district->lat, 53.81, 1e-9);
  EXPECT_FALSE(cat->LookupPostcode("BD1 1AA"));
  EXPECT_TRUE(cat->IntegrityCheck().ok()) << cat->IntegrityCheck().ToString();
}

TEST(CatalogueTest, LevelsAreExplainedInPlainWords) {
  EXPECT_EQ(LevelPlainWords(3), "Level 3: same level as A levels");
  EXPECT_NE(LevelPlainWords(6).find("bachelor"), std::string_view::npos);
  EXPECT_NE(LevelPlainWords(-1).find("not stated"), std::string_view::npos);
}

}  // namespace
}  // namespace signpost::catalogue
