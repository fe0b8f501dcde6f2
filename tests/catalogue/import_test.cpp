#include <gtest/gtest.h>
#include <sqlite3.h>

#include "signpost/catalogue.h"
#include "signpost/search.h"
#include "test_util.h"

namespace signpost::catalogue {
namespace {

using testing::MakeOpportunity;
using testing::MakeProvider;
using testing::OpenReader;
using testing::OpenWriter;
using testing::TempDir;

constexpr Day kToday = 20782;  // 2026-11-25

ImportOptions Today() {
  ImportOptions o;
  o.today = kToday;
  return o;
}

std::int64_t Count(Catalogue* c, const char* table) {
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(c->handle(), (std::string("SELECT count(*) FROM ") + table).c_str(), -1, &s,
                     nullptr);
  sqlite3_step(s);
  const auto n = sqlite3_column_int64(s, 0);
  sqlite3_finalize(s);
  return n;
}

void ImportCourses(Catalogue* c, const std::string& feed, int n, const std::string& prefix) {
  auto imp = c->BeginImport(feed, Today());
  ASSERT_TRUE(imp.ok()) << imp.status().ToString();
  ASSERT_TRUE((*imp)->AddProvider(MakeProvider(feed + "-p", "Provider of " + feed)).ok());
  for (int i = 0; i < n; ++i) {
    ASSERT_TRUE(
        (*imp)
            ->AddOpportunity(MakeOpportunity(prefix + std::to_string(i),
                                             prefix + " course " + std::to_string(i), feed + "-p"))
            .ok());
  }
  auto report = (*imp)->Commit();
  ASSERT_TRUE(report.ok()) << report.status().ToString();
}

TEST(ImportTest, StagedRecordsAreInvisibleUntilCommit) {
  TempDir dir;
  auto writer = OpenWriter(dir.File("c.db"));
  auto reader = OpenReader(dir.File("c.db"));
  auto imp = writer->BeginImport("courses", Today());
  ASSERT_TRUE(imp.ok());
  ASSERT_TRUE((*imp)->AddProvider(MakeProvider("p1", "Northgate College")).ok());
  ASSERT_TRUE((*imp)->AddOpportunity(MakeOpportunity("a", "Plumbing", "p1")).ok());
  EXPECT_EQ(Count(reader.get(), "opportunity"), 0);
  EXPECT_EQ((*imp)->staged(), 2);
  auto report = (*imp)->Commit();
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->accepted, 2);  // provider + course
  EXPECT_EQ(Count(reader.get(), "opportunity"), 1);
}

TEST(ImportTest, BadRecordsAreSkippedAndCountedTheRestGoIn) {
  TempDir dir;
  auto cat = OpenWriter(dir.File("c.db"));
  auto imp = cat->BeginImport("courses", Today());
  FeedImport& in = **imp;
  ASSERT_TRUE(in.AddProvider(MakeProvider("p1", "Northgate College")).ok());
  EXPECT_FALSE(in.AddProvider(MakeProvider("", "No id")).ok());
  EXPECT_TRUE(in.AddOpportunity(MakeOpportunity("good", "Bricklaying", "p1")).ok());
  EXPECT_FALSE(in.AddOpportunity(MakeOpportunity("", "No id", "p1")).ok());
  EXPECT_FALSE(in.AddOpportunity(MakeOpportunity("notitle", "", "p1")).ok());
  EXPECT_FALSE(
      in.AddOpportunity(MakeOpportunity("badlevel", "Level 12", "p1", Route::kFurtherEducation, 12))
          .ok());
  auto bad_utf8 = MakeOpportunity("utf8", "Caf\xC3 au lait", "p1");
  EXPECT_FALSE(in.AddOpportunity(bad_utf8).ok());
  auto bad_geo = MakeOpportunity("geo", "Somewhere", "p1");
  bad_geo.location = GeoPoint{123, 0};
  EXPECT_FALSE(in.AddOpportunity(bad_geo).ok());
  EXPECT_FALSE(in.AddOpportunity(MakeOpportunity("good", "Duplicate id", "p1")).ok());
  EXPECT_TRUE(in.AddOpportunity(MakeOpportunity("orphan", "Orphan", "nobody")).ok());
  in.Skip("the parser could not read record 7");
  auto report = in.Commit();
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->skipped, 9);  // 7 refused at Add, 1 parser skip, 1 unknown provider
  EXPECT_EQ(Count(cat.get(), "opportunity"), 1);
  bool mentions_duplicate = false, mentions_provider = false;
  for (const auto& p : report->problems) {
    mentions_duplicate |= p.find("twice") != std::string::npos;
    mentions_provider |= p.find("unknown provider") != std::string::npos;
  }
  EXPECT_TRUE(mentions_duplicate);
  EXPECT_TRUE(mentions_provider);
}

TEST(ImportTest, ReimportReplacesOnlyItsOwnFeed) {
  TempDir dir;
  auto cat = OpenWriter(dir.File("c.db"));
  ImportCourses(cat.get(), "a", 10, "alpha");
  ImportCourses(cat.get(), "b", 5, "beta");
  EXPECT_EQ(Count(cat.get(), "opportunity"), 15);
  auto before = cat->FindOpportunity("b", "beta2");
  ASSERT_TRUE(before.ok());
  ImportCourses(cat.get(), "a", 3, "gamma");
  EXPECT_EQ(Count(cat.get(), "opportunity"), 8);
  EXPECT_EQ(cat->FindOpportunity("b", "beta2").value(), before.value());
  EXPECT_FALSE(cat->FindOpportunity("a", "alpha1").ok());
  EXPECT_TRUE(cat->FindOpportunity("a", "gamma1").ok());
  auto engine = SearchEngine::Create(cat.get());
  ASSERT_TRUE(engine.ok());
  EXPECT_EQ((*engine)->Search({.text = "alpha"})->size(), 0);
  EXPECT_EQ((*engine)->Search({.text = "gamma"})->size(), 3);
  EXPECT_EQ((*engine)->Search({.text = "beta"})->size(), 5);
  EXPECT_TRUE(cat->IntegrityCheck().ok());
}

// Replacing a feed that holds most of the catalogue rebuilds the full-text
// indexes; a small one updates them row by row. Both must leave every index
// exactly matching the rows (FTS5's own integrity check) and searchable.
TEST(ImportTest, FullTextIndexesStayExactWhetherUpdatedOrRebuilt) {
  for (const bool big : {true, false}) {
    SCOPED_TRACE(big ? "feed holds most rows: rebuilt" : "small feed: updated row by row");
    TempDir dir;
    auto cat = OpenWriter(dir.File("c.db"));
    ImportCourses(cat.get(), "a", big ? 40 : 4, "alpha");
    ImportCourses(cat.get(), "b", big ? 4 : 40, "beta");
    ImportCourses(cat.get(), "a", big ? 30 : 3, "gamma");
    for (const char* fts : {"opportunity_name_fts", "opportunity_title_fts", "opportunity_fts"}) {
      char* error = nullptr;
      const std::string sql =
          std::string("INSERT INTO ") + fts + "(" + fts + ", rank) VALUES('integrity-check', 1)";
      EXPECT_EQ(sqlite3_exec(cat->handle(), sql.c_str(), nullptr, nullptr, &error), SQLITE_OK)
          << fts << ": " << (error ? error : "");
      sqlite3_free(error);
    }
    auto engine = SearchEngine::Create(cat.get());
    ASSERT_TRUE(engine.ok());
    EXPECT_EQ((*engine)->Search({.text = "alpha"})->size(), 0);
    EXPECT_EQ((*engine)->Search({.text = "gamma"})->size(), big ? 30 : 3);
    EXPECT_EQ((*engine)->Search({.text = "beta"})->size(), big ? 4 : 40);
    EXPECT_EQ((*engine)->Search({.text = "course"})->size(), big ? 34 : 43);
  }
}

TEST(ImportTest, ExpiredRecordsArePrunedOnImport) {
  TempDir dir;
  auto cat = OpenWriter(dir.File("c.db"));
  auto imp = cat->BeginImport("vacancies", Today());
  ASSERT_TRUE((*imp)->AddProvider(MakeProvider("e1", "Fictional Motors Ltd")).ok());
  auto open = MakeOpportunity("open", "Vehicle technician", "e1", Route::kApprenticeship);
  open.closing = kToday + 10;
  open.employer = "Fictional Garage Ltd";
  auto closed = MakeOpportunity("closed", "Paint sprayer", "e1", Route::kApprenticeship);
  closed.closing = kToday - 1;
  auto closes_today = MakeOpportunity("today", "Tyre fitter", "e1", Route::kApprenticeship);
  closes_today.closing = kToday;
  ASSERT_TRUE((*imp)->AddOpportunity(open).ok());
  ASSERT_TRUE((*imp)->AddOpportunity(closed).ok());
  ASSERT_TRUE((*imp)->AddOpportunity(closes_today).ok());
  Event past;
  past.source_id = "past";
  past.title = "Last year's open day";
  past.start = static_cast<UnixTime>(kToday - 30) * 86400;
  past.end = past.start + 3600;
  ASSERT_TRUE((*imp)->AddEvent(past).ok());
  auto report = (*imp)->Commit();
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->expired, 2);
  EXPECT_EQ(Count(cat.get(), "opportunity"), 2);
  EXPECT_EQ(Count(cat.get(), "event"), 0);
  auto engine = SearchEngine::Create(cat.get());
  auto found = (*engine)->Search({.text = "vehicle"});
  ASSERT_EQ(found->size(), 1);
  auto record = cat->GetOpportunity(found->RowAt(0));
  ASSERT_TRUE(record.ok());
  EXPECT_EQ(record->opportunity.employer, "Fictional Garage Ltd");
  EXPECT_EQ(record->opportunity.closing, kToday + 10);
  EXPECT_EQ(record->provider.name, "Fictional Motors Ltd");
  EXPECT_EQ((*engine)->Summaries({found->RowAt(0)})->at(0).employer, "Fictional Garage Ltd");
  // Later, PruneExpired drops what has closed since.
  auto removed = cat->PruneExpired(kToday + 5);
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(*removed, 1);
  EXPECT_EQ(Count(cat.get(), "opportunity"), 1);
}

TEST(ImportTest, AFeedThatSuddenlyShrinksIsHeldBack) {
  TempDir dir;
  auto cat = OpenWriter(dir.File("c.db"));
  ImportCourses(cat.get(), "courses", 200, "full");
  ImportOptions o = Today();
  o.min_fraction_of_previous = 0.1;
  auto imp = cat->BeginImport("courses", o);
  ASSERT_TRUE((*imp)->AddProvider(MakeProvider("courses-p", "Provider")).ok());
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE((*imp)
                    ->AddOpportunity(MakeOpportunity("s" + std::to_string(i), "Small", "courses-p"))
                    .ok());
  }
  auto report = (*imp)->Commit();
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), Status::Code::kHeldBack);
  EXPECT_NE(report.status().message().find("10 usable records where it had 200"), std::string::npos)
      << report.status().message();
  EXPECT_EQ(Count(cat.get(), "opportunity"), 200);
  EXPECT_TRUE(cat->IntegrityCheck().ok());
}

// The feed's sync state and meta are written by the import's own
// transaction: they appear with the records, and a held-back import writes
// neither. A plain import of the feed drops the feed's sync plan.
TEST(ImportTest, CommitExtrasAreWrittenWithTheRecordsOrNotAtAll) {
  TempDir dir;
  auto cat = OpenWriter(dir.File("c.db"));
  ImportCourses(cat.get(), "courses", 200, "full");
  auto import_with_extras = [&](int n, const std::string& etag) {
    ImportOptions o = Today();
    o.min_fraction_of_previous = 0.1;
    auto imp = cat->BeginImport("courses", o);
    EXPECT_TRUE((*imp)->AddProvider(MakeProvider("courses-p", "Provider")).ok());
    for (int i = 0; i < n; ++i) {
      EXPECT_TRUE(
          (*imp)
              ->AddOpportunity(MakeOpportunity(etag + std::to_string(i), "Course", "courses-p"))
              .ok());
    }
    (*imp)->Skip("one broken record");
    CommitExtras extras;
    extras.sync_state.emplace();
    extras.sync_state->result = "ok";
    extras.sync_state->etag = etag;
    extras.sync_state->last_success = 1000;
    extras.meta = {{FeedPlanMetaKey("courses"), "plan-" + etag}, {"other", "x"}};
    return (*imp)->Commit(extras);
  };
  auto held = import_with_extras(10, "small");
  ASSERT_FALSE(held.ok());
  EXPECT_TRUE(cat->SyncStates()->empty());
  EXPECT_FALSE(cat->GetMeta(FeedPlanMetaKey("courses")).has_value());
  EXPECT_FALSE(cat->GetMeta("other").has_value());

  auto done = import_with_extras(150, "v2");
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  auto states = cat->SyncStates();
  ASSERT_TRUE(states.ok());
  ASSERT_EQ(states->size(), 1u);
  EXPECT_EQ(states->at(0).feed, "courses");
  EXPECT_EQ(states->at(0).etag, "v2");
  EXPECT_EQ(states->at(0).records, done->accepted);  // filled in by Commit
  EXPECT_EQ(states->at(0).records, 151);
  EXPECT_EQ(states->at(0).skipped, 1);
  EXPECT_EQ(cat->GetMeta(FeedPlanMetaKey("courses")), "plan-v2");
  EXPECT_EQ(cat->GetMeta("other"), "x");

  ImportCourses(cat.get(), "courses", 150, "plain");
  EXPECT_FALSE(cat->GetMeta(FeedPlanMetaKey("courses")).has_value());
  EXPECT_EQ(cat->GetMeta("other"), "x");
}

TEST(ImportTest, AnAbandonedImportChangesNothing) {
  TempDir dir;
  auto cat = OpenWriter(dir.File("c.db"));
  ImportCourses(cat.get(), "courses", 20, "keep");
  {
    auto imp = cat->BeginImport("courses", Today());
    ASSERT_TRUE((*imp)->AddProvider(MakeProvider("x", "Half-downloaded")).ok());
    ASSERT_TRUE((*imp)->AddOpportunity(MakeOpportunity("half", "Half", "x")).ok());
    // dropped without Commit: the download failed
  }
  EXPECT_EQ(Count(cat.get(), "opportunity"), 20);
  ImportCourses(cat.get(), "other", 2, "next");  // the stage was emptied
  EXPECT_EQ(Count(cat.get(), "opportunity"), 22);
}

TEST(ImportTest, ProvidersStayWhileAnotherFeedStillUsesThem) {
  TempDir dir;
  auto cat = OpenWriter(dir.File("c.db"));
  {
    auto imp = cat->BeginImport("providers", Today());
    ASSERT_TRUE((*imp)->AddProvider(MakeProvider("p1", "Shared College")).ok());
    ASSERT_TRUE((*imp)->Commit().ok());
  }
  {
    auto imp = cat->BeginImport("courses", Today());
    ASSERT_TRUE((*imp)->AddOpportunity(MakeOpportunity("c1", "Catering", "p1")).ok());
    ASSERT_TRUE((*imp)->Commit().ok());
  }
  {
    auto imp = cat->BeginImport("providers", Today());  // p1 no longer listed
    ASSERT_TRUE((*imp)->Commit().ok());
  }
  EXPECT_TRUE(cat->GetProvider("p1").ok());
  ASSERT_TRUE(cat->RemoveFeed("courses").ok());
  EXPECT_FALSE(cat->GetProvider("p1").ok());
  EXPECT_EQ(Count(cat.get(), "opportunity"), 0);
}

TEST(ImportTest, ADiskFullDuringCommitKeepsThePreviousData) {
  TempDir dir;
  auto cat = OpenWriter(dir.File("c.db"));
  ImportCourses(cat.get(), "courses", 20, "old");
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(cat->handle(), "PRAGMA page_count", -1, &s, nullptr);
  sqlite3_step(s);
  const auto pages = sqlite3_column_int64(s, 0);
  sqlite3_finalize(s);
  // Simulate a full disk: the file may not grow by more than a few pages.
  const std::string limit = "PRAGMA max_page_count = " + std::to_string(pages + 2);
  ASSERT_EQ(sqlite3_exec(cat->handle(), limit.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
  auto imp = cat->BeginImport("courses", Today());
  ASSERT_TRUE(imp.ok());
  ASSERT_TRUE((*imp)->AddProvider(MakeProvider("courses-p", "Provider")).ok());
  for (int i = 0; i < 2000; ++i) {
    auto o =
        MakeOpportunity("n" + std::to_string(i), "New course " + std::to_string(i), "courses-p");
    o.description = std::string(500, 'x') + " " + std::to_string(i);
    (*imp)->AddOpportunity(o);
  }
  auto report = (*imp)->Commit();
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), Status::Code::kIoError) << report.status().ToString();
  EXPECT_NE(report.status().message().find("full"), std::string::npos);
  EXPECT_EQ(Count(cat.get(), "opportunity"), 20);
  EXPECT_TRUE(cat->IntegrityCheck().ok());
}

TEST(ImportTest, CareersJoinLabourMarketFiguresBySoc) {
  TempDir dir;
  auto cat = OpenWriter(dir.File("c.db"));
  auto imp = cat->BeginImport("careers", Today());
  Career c;
  c.source_id = "electrician";
  c.title = "Electrician";
  c.overview = "Electricians install and repair wiring.";
  c.soc_code = "5241";
  c.salary_starter = 18000;
  c.salary_experienced = 42000;
  c.skills = {"Maths", "Problem solving"};
  ASSERT_TRUE((*imp)->AddCareer(c).ok());
  ASSERT_TRUE(
      (*imp)->AddLabourMarket({"5241", "West Yorkshire", LmiMetric::kVacancies, 312, 2026}).ok());
  ASSERT_TRUE(
      (*imp)->AddLabourMarket({"5241", "England", LmiMetric::kMedianAnnualPay, 36500, 2025}).ok());
  ASSERT_TRUE(
      (*imp)->AddSubjectLink({"Physics", "Engineering and manufacturing", "electrician"}).ok());
  ASSERT_TRUE((*imp)->Commit().ok());
  auto found = cat->SearchCareers("electric");
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ((*found)[0].lmi.size(), 2u);
  EXPECT_EQ((*found)[0].career.skills.size(), 2u);
  auto by_source = cat->GetCareerBySource("electrician");
  ASSERT_TRUE(by_source.ok());
  EXPECT_EQ(by_source->career.title, "Electrician");
  EXPECT_EQ(by_source->lmi.size(), 2u);
  EXPECT_EQ(cat->GetCareerBySource("astronaut").status().code(), Status::Code::kNotFound);
  auto by_soc = cat->CareersBySoc({"5241"});
  ASSERT_EQ(by_soc->size(), 1u);
  auto links = cat->SubjectLinks("physics");
  ASSERT_EQ(links->size(), 1u);
  EXPECT_EQ((*links)[0].career_source_id, "electrician");
  EXPECT_EQ(cat->SchoolSubjects()->size(), 1u);
  auto for_physics = cat->CareersForSubject("PHYSICS");
  ASSERT_TRUE(for_physics.ok());
  ASSERT_EQ(for_physics->size(), 1u);
  EXPECT_EQ((*for_physics)[0].career.title, "Electrician");
  EXPECT_TRUE(cat->SearchCareers("\"NEAR(( *")->empty());
  EXPECT_TRUE(cat->IntegrityCheck().ok()) << cat->IntegrityCheck().ToString();
}

TEST(ImportTest, OpportunitiesAreFoundByTheCareersTheyLeadTo) {
  TempDir dir;
  auto cat = OpenWriter(dir.File("c.db"));
  auto imp = cat->BeginImport("vacancies", Today());
  ASSERT_TRUE((*imp)->AddProvider(MakeProvider("e1", "Fictional Power Ltd")).ok());
  auto a = MakeOpportunity("a", "Electrical installation apprentice", "e1", Route::kApprenticeship);
  a.soc_codes = {"5241", "5249"};
  auto b = MakeOpportunity("b", "Plumbing apprentice", "e1", Route::kApprenticeship);
  b.soc_codes = {"5314"};
  ASSERT_TRUE((*imp)->AddOpportunity(a).ok());
  ASSERT_TRUE((*imp)->AddOpportunity(b).ok());
  Career c;
  c.source_id = "nurse";
  c.title = "Nurse";
  c.related_subjects = {"Biology", "Chemistry"};
  ASSERT_TRUE((*imp)->AddCareer(c).ok());
  ASSERT_TRUE((*imp)->Commit().ok());
  EXPECT_EQ(cat->OpportunitiesForSoc("5241")->size(), 1u);
  EXPECT_EQ(cat->OpportunitiesForSoc("5249")->size(), 1u);
  EXPECT_EQ(cat->OpportunitiesForSoc("5314")->size(), 1u);
  EXPECT_EQ(cat->OpportunitiesForSoc("9999")->size(), 0u);
  EXPECT_EQ(cat->CareersForSubject("chemistry")->size(), 1u);
  EXPECT_EQ(cat->CareersForSubject("chem")->size(), 0u);
  auto again = cat->BeginImport("vacancies", Today());
  ASSERT_TRUE((*again)->AddProvider(MakeProvider("e1", "Fictional Power Ltd")).ok());
  ASSERT_TRUE((*again)->AddOpportunity(b).ok());
  ASSERT_TRUE((*again)->Commit().ok());
  EXPECT_EQ(cat->OpportunitiesForSoc("5241")->size(), 0u);
  EXPECT_EQ(cat->OpportunitiesForSoc("5314")->size(), 1u);
  EXPECT_TRUE(cat->IntegrityCheck().ok());
}

TEST(ImportTest, UpcomingEventsAreSoonestFirstAndFilterByRoute) {
  TempDir dir;
  auto cat = OpenWriter(dir.File("c.db"));
  auto imp = cat->BeginImport("events", Today());
  ASSERT_TRUE((*imp)->AddProvider(MakeProvider("p1", "Northgate College")).ok());
  const UnixTime now = static_cast<UnixTime>(kToday) * 86400;
  auto ev = [&](const char* id, int days, std::uint8_t routes) {
    Event e;
    e.source_id = id;
    e.title = id;
    e.provider_id = "p1";
    e.start = now + days * 86400;
    e.end = e.start + 7200;
    e.routes = routes;
    return e;
  };
  ASSERT_TRUE((*imp)->AddEvent(ev("later", 20, 1 << 2)).ok());
  ASSERT_TRUE((*imp)->AddEvent(ev("soon", 2, 1 << 3)).ok());
  ASSERT_TRUE((*imp)->AddEvent(ev("general", 5, 0)).ok());
  auto unknown = ev("unknown-provider", 6, 0);
  unknown.provider_id = "nobody";
  ASSERT_TRUE((*imp)->AddEvent(unknown).ok());
  ASSERT_TRUE((*imp)->Commit().ok());
  auto all = cat->UpcomingEvents(now);
  ASSERT_EQ(all->size(), 4u);
  EXPECT_EQ((*all)[0].event.title, "soon");
  EXPECT_EQ((*all)[0].provider_name, "Northgate College");
  EXPECT_EQ((*all)[2].provider_name, "");
  auto he = cat->UpcomingEvents(now, 1 << 2);
  ASSERT_EQ(he->size(), 3u);  // the HE one and the two general ones
}

TEST(ImportTest, AProvidersEventsAndCoursesAreFoundFromEitherSide) {
  TempDir dir;
  auto cat = OpenWriter(dir.File("c.db"));
  auto imp = cat->BeginImport("mixed", Today());
  ASSERT_TRUE((*imp)->AddProvider(MakeProvider("p1", "Northgate College")).ok());
  ASSERT_TRUE((*imp)->AddProvider(MakeProvider("p2", "Southgate College")).ok());
  ASSERT_TRUE((*imp)->AddOpportunity(MakeOpportunity("a", "Plumbing", "p1")).ok());
  ASSERT_TRUE((*imp)->AddOpportunity(MakeOpportunity("b", "Welding", "p1")).ok());
  ASSERT_TRUE((*imp)->AddOpportunity(MakeOpportunity("c", "Nursing", "p2")).ok());
  const UnixTime now = static_cast<UnixTime>(kToday) * 86400;
  auto ev = [&](const char* id, const char* provider, int days) {
    Event e;
    e.source_id = id;
    e.title = id;
    e.provider_id = provider;
    e.start = now + days * 86400;
    e.end = e.start + 7200;
    return e;
  };
  ASSERT_TRUE((*imp)->AddEvent(ev("north-later", "p1", 20)).ok());
  ASSERT_TRUE((*imp)->AddEvent(ev("north-soon", "p1", 2)).ok());
  ASSERT_TRUE((*imp)->AddEvent(ev("north-past", "p1", -3)).ok());
  ASSERT_TRUE((*imp)->AddEvent(ev("south", "p2", 1)).ok());
  ASSERT_TRUE((*imp)->Commit().ok());

  auto north = cat->EventsForProvider("p1", now);
  ASSERT_TRUE(north.ok()) << north.status().ToString();
  ASSERT_EQ(north->size(), 2u);  // not the one that is over
  EXPECT_EQ((*north)[0].event.title, "north-soon");
  EXPECT_EQ((*north)[0].provider_name, "Northgate College");
  EXPECT_EQ(cat->EventsForProvider("nobody", now)->size(), 0u);

  auto one = cat->GetEvent((*north)[1].rowid);
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->event.title, "north-later");
  EXPECT_EQ(one->provider_name, "Northgate College");
  EXPECT_EQ(cat->GetEvent(999999).status().code(), Status::Code::kNotFound);

  auto courses = cat->OpportunitiesForProvider("p1");
  ASSERT_TRUE(courses.ok());
  EXPECT_EQ(courses->size(), 2u);
  EXPECT_EQ(cat->OpportunitiesForProvider("p1", 1)->size(), 1u);
  EXPECT_EQ(cat->OpportunitiesForProvider("p3")->size(), 0u);
}

TEST(ImportTest, LocalItemsShowOnlyInsideTheirDates) {
  TempDir dir;
  auto cat = OpenWriter(dir.File("c.db"));
  auto imp = cat->BeginImport("local", Today());
  LocalItem a;
  a.source_id = "dropin";
  a.kind = LocalKind::kAdviserDropIn;
  a.title = "Careers adviser drop-in";
  LocalItem b = a;
  b.source_id = "future";
  b.starts = kToday + 3;
  ASSERT_TRUE((*imp)->AddLocalItem(a).ok());
  ASSERT_TRUE((*imp)->AddLocalItem(b).ok());
  ASSERT_TRUE((*imp)->Commit().ok());
  EXPECT_EQ(cat->LocalItems(LocalKind::kAdviserDropIn, kToday)->size(), 1u);
  EXPECT_EQ(cat->LocalItems(std::nullopt, kToday + 3)->size(), 2u);
  EXPECT_EQ(cat->LocalItems(LocalKind::kAlumniStory, kToday)->size(), 0u);
}

}  // namespace

// [guard] Both sides of every threshold of the one guard every import uses.
TEST(ImportGuardTest, EveryThresholdHoldsOnOneSideAndPassesOnTheOther) {
  ImportOptions o;
  o.min_fraction_of_previous = 0.1;
  o.hold_back_empty = true;
  o.hold_back_repeats = true;
  auto held = [&](std::int64_t previous, std::int64_t incoming, std::int64_t duplicates = 0) {
    return HoldBackReason("f", GuardCounts{previous, incoming, duplicates}, o).has_value();
  };
  // A drop of exactly 90% is held back; one record more is not.
  EXPECT_TRUE(held(100, 10));
  EXPECT_FALSE(held(100, 11));
  // Small feeds are protected too.
  EXPECT_TRUE(held(20, 2));
  EXPECT_FALSE(held(20, 3));
  EXPECT_TRUE(held(40, 0));
  EXPECT_TRUE(held(1, 0));
  // A first import, or an empty feed staying empty, is never held back.
  EXPECT_FALSE(held(0, 0));
  EXPECT_FALSE(held(0, 5));
  // More repeats than different records: paging is broken.
  EXPECT_TRUE(held(0, 5, 6));
  EXPECT_FALSE(held(0, 5, 5));
  // Configured to allow an empty feed: 40 -> 0 replaces (the shrink rule
  // does not hold it back either); 40 -> 4 is still a 90% drop.
  o.hold_back_empty = false;
  EXPECT_FALSE(held(40, 0));
  EXPECT_TRUE(held(40, 4));
  o.min_fraction_of_previous = 0;
  o.hold_back_repeats = false;
  EXPECT_FALSE(held(0, 5, 95));
}

// Records the import will not keep do not count: 100 courses whose titles
// are all too long leave only their providers, and the feed is held back
// instead of replacing 100 good courses with none.
TEST(ImportGuardTest, RecordsRejectedByValidationDoNotCountTowardTheGuard) {
  TempDir dir;
  auto cat = OpenWriter(dir.File("c.db"));
  ImportCourses(cat.get(), "courses", 100, "good");
  ImportOptions o = Today();
  o.min_fraction_of_previous = 0.1;
  o.hold_back_empty = true;
  auto imp = cat->BeginImport("courses", o);
  ASSERT_TRUE((*imp)->AddProvider(MakeProvider("courses-p", "Provider")).ok());
  for (int i = 0; i < 100; ++i) {
    EXPECT_FALSE((*imp)
                     ->AddOpportunity(MakeOpportunity("b" + std::to_string(i),
                                                      std::string(100000, 'x'), "courses-p"))
                     .ok());
  }
  auto report = (*imp)->Commit();
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), Status::Code::kHeldBack);
  EXPECT_NE(report.status().message().find("no records where it had 100"), std::string::npos)
      << report.status().message();
  EXPECT_EQ(Count(cat.get(), "opportunity"), 100);
}

// 100 records that all carry one id are one record and 99 repeats: counted
// once, reported, and held back instead of replacing a good set.
TEST(ImportGuardTest, RepeatedIdsAreCountedOnceAndAFeedOfRepeatsIsHeldBack) {
  TempDir dir;
  auto cat = OpenWriter(dir.File("c.db"));
  ImportCourses(cat.get(), "courses", 100, "good");
  ImportOptions o = Today();
  o.min_fraction_of_previous = 0.1;
  o.hold_back_repeats = true;
  auto imp = cat->BeginImport("courses", o);
  ASSERT_TRUE((*imp)->AddProvider(MakeProvider("courses-p", "Provider")).ok());
  for (int i = 0; i < 100; ++i) {
    (void)(*imp)->AddOpportunity(
        MakeOpportunity("same", "Course " + std::to_string(i), "courses-p"));
  }
  auto report = (*imp)->Commit();
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.status().message().find("sent 100 records but only 1 different"),
            std::string::npos)
      << report.status().message();
  EXPECT_EQ(Count(cat.get(), "opportunity"), 100);
}

// A NUL, an escape sequence or a bidi override in feed text never reaches
// the catalogue; newlines and tabs in descriptions stay; a title made only
// of control characters is a missing title.
TEST(ImportTest, ControlCharactersAreStrippedFromEveryTextField) {
  TempDir dir;
  auto cat = OpenWriter(dir.File("c.db"));
  auto imp = cat->BeginImport("courses", Today());
  Provider p = MakeProvider(
      "courses-p", std::string("Leeds\0 College\x1b[31m", sizeof("Leeds\0 College\x1b[31m") - 1));
  ASSERT_TRUE((*imp)->AddProvider(p).ok());
  Opportunity o = MakeOpportunity("a1",
                                  std::string("Nursing\0 \xE2\x80\xAE"
                                              "evil",
                                              sizeof("Nursing\0 \xE2\x80\xAE"
                                                     "evil") -
                                                  1),
                                  "courses-p");
  o.description = "Line one\r\nLine two\tand a tab\x7f\xC2\x85";
  ASSERT_TRUE((*imp)->AddOpportunity(o).ok());
  EXPECT_FALSE((*imp)->AddOpportunity(MakeOpportunity("a2", "\x01\x02 ", "courses-p")).ok());
  ASSERT_TRUE((*imp)->Commit().ok());
  auto text = [&](const char* sql) {
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(cat->handle(), sql, -1, &s, nullptr);
    std::string out;
    if (sqlite3_step(s) == SQLITE_ROW) {
      out.assign(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)),
                 static_cast<std::size_t>(sqlite3_column_bytes(s, 0)));
    }
    sqlite3_finalize(s);
    return out;
  };
  EXPECT_EQ(text("SELECT title FROM opportunity WHERE source_id = 'a1'"), "Nursing evil");
  EXPECT_EQ(text("SELECT description FROM opportunity WHERE source_id = 'a1'"),
            "Line one\nLine two\tand a tab");
  EXPECT_EQ(text("SELECT name FROM provider WHERE id = 'courses-p'"), "Leeds College[31m");
  EXPECT_EQ(Count(cat.get(), "opportunity"), 1);
}

// Schema 3: a standard's typical job titles and an HE course's Discover Uni
// figures come back as imported, a withheld figure stays withheld (not 0),
// and tabs or newlines inside the text cannot break the stored lines.
TEST(ImportTest, JobTitlesAndCourseOutcomesComeBackAsImported) {
  TempDir dir;
  auto cat = OpenWriter(dir.File("c.db"));
  auto imp = cat->BeginImport("he", Today());
  ASSERT_TRUE(imp.ok());
  ASSERT_TRUE((*imp)->AddProvider(MakeProvider("he-p", "Northgate University")).ok());
  Opportunity o = MakeOpportunity("c1", "Computing", "he-p");
  o.typical_job_titles = {"Software developer", "Data analyst"};
  CourseOutcome teaching;
  teaching.metric = OutcomeMetric::kSatisfaction;
  teaching.label = "Teaching\ton my\ncourse";
  teaching.value = 84;
  teaching.population = 120;
  teaching.caveat = "this course, 2 years";
  CourseOutcome salary;
  salary.metric = OutcomeMetric::kSalary;
  salary.label = "Median salary";
  salary.value = 27500;
  salary.low = 23000;
  salary.high = 31000.5;
  CourseOutcome withheld;
  withheld.metric = OutcomeMetric::kContinuation;
  withheld.label = "Still studying after a year";
  withheld.caveat = "not published: too few students";
  o.outcomes = {teaching, salary, withheld};
  ASSERT_TRUE((*imp)->AddOpportunity(o).ok());
  ASSERT_TRUE((*imp)->Commit().ok());

  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(cat->handle(), "SELECT id FROM opportunity WHERE source_id = 'c1'", -1, &s,
                     nullptr);
  ASSERT_EQ(sqlite3_step(s), SQLITE_ROW);
  const std::int64_t rowid = sqlite3_column_int64(s, 0);
  sqlite3_finalize(s);
  auto record = cat->GetOpportunity(rowid);
  ASSERT_TRUE(record.ok()) << record.status().ToString();
  const Opportunity& back = record->opportunity;
  EXPECT_EQ(back.typical_job_titles,
            (std::vector<std::string>{"Software developer", "Data analyst"}));
  ASSERT_EQ(back.outcomes.size(), 3u);
  EXPECT_EQ(back.outcomes[0].metric, OutcomeMetric::kSatisfaction);
  EXPECT_EQ(back.outcomes[0].label, "Teaching on my course");
  EXPECT_EQ(back.outcomes[0].value, 84);
  EXPECT_EQ(back.outcomes[0].population, 120);
  EXPECT_EQ(back.outcomes[0].caveat, "this course, 2 years");
  EXPECT_EQ(back.outcomes[1].metric, OutcomeMetric::kSalary);
  EXPECT_EQ(back.outcomes[1].low, 23000);
  EXPECT_EQ(back.outcomes[1].high, 31000.5);
  EXPECT_EQ(back.outcomes[2].metric, OutcomeMetric::kContinuation);
  EXPECT_FALSE(back.outcomes[2].value.has_value());
  EXPECT_EQ(back.outcomes[2].caveat, "not published: too few students");
}

}  // namespace signpost::catalogue
