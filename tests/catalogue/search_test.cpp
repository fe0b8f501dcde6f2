#include "signpost/search.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <map>
#include <set>

#include "test_util.h"

namespace signpost::catalogue {
namespace {

using testing::MakeOpportunity;
using testing::MakeProvider;
using testing::OpenReader;
using testing::OpenWriter;
using testing::TempDir;

constexpr Day kToday = 20782;
const GeoPoint kKiosk{53.80, -1.55};

class SearchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    writer_ = OpenWriter(dir_.File("c.db"));
    ImportOptions o;
    o.today = kToday;
    auto imp = writer_->BeginImport("courses", o);
    FeedImport& in = **imp;
    in.AddProvider(MakeProvider("near", "Northgate College", {53.80, -1.55}));
    in.AddProvider(MakeProvider("far", "Farfield University", {53.95, -1.08}));  // ~35 km
    in.AddProvider(MakeProvider("emp", "Fictional Motors Ltd", {53.81, -1.56}));
    auto add = [&](Opportunity o2) { ASSERT_TRUE(in.AddOpportunity(o2).ok()); };
    auto plumbing =
        MakeOpportunity("1", "Plumbing Level 2 Diploma", "near", Route::kFurtherEducation, 2);
    plumbing.start = kToday + 280;
    add(plumbing);
    auto cafe =
        MakeOpportunity("2", "Café and Barista Skills", "near", Route::kFurtherEducation, 1);
    cafe.subject_area = "Hospitality and catering";
    cafe.mode = StudyMode::kPartTime;
    cafe.flexible_start = true;
    add(cafe);
    auto eng =
        MakeOpportunity("3", "BEng Mechanical Engineering", "far", Route::kHigherEducation, 6);
    eng.start = kToday + 300;
    add(eng);
    auto tl = MakeOpportunity("4", "T Level in Engineering, Manufacturing and Processing", "near",
                              Route::kTLevel, 3);
    tl.start = kToday + 280;
    add(tl);
    auto app =
        MakeOpportunity("5", "Engineering Technician Apprentice", "emp", Route::kApprenticeship, 3);
    app.mode = StudyMode::kWorkBased;
    app.closing = kToday + 20;
    add(app);
    auto desc_only =
        MakeOpportunity("6", "Motor Vehicle Maintenance", "near", Route::kFurtherEducation, 2);
    desc_only.description = "Learn the engineering behind cars and vans.";
    desc_only.subject_area = "Transport";
    add(desc_only);
    auto welsh =
        MakeOpportunity("7", "Cymraeg i Oedolion – Mynediad", "far", Route::kFurtherEducation, 1);
    welsh.subject_area = "Languages";
    add(welsh);
    ASSERT_TRUE(in.Commit().ok());
    reader_ = OpenReader(dir_.File("c.db"));
    auto e = SearchEngine::Create(reader_.get());
    ASSERT_TRUE(e.ok()) << e.status().ToString();
    engine_ = std::move(e.value());
  }

  std::vector<std::string> Titles(const SearchResults& r) {
    auto rows = engine_->Summaries(r.Rows(0, r.size()));
    std::vector<std::string> out;
    for (const auto& s : *rows) out.push_back(s.title);
    return out;
  }

  TempDir dir_;
  std::unique_ptr<Catalogue> writer_, reader_;
  std::unique_ptr<SearchEngine> engine_;
};

TEST_F(SearchTest, EveryWordIsAPrefix) {
  auto r = engine_->Search({.text = "plum"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Titles(*r), std::vector<std::string>{"Plumbing Level 2 Diploma"});
  EXPECT_EQ(engine_->Search({.text = "plumbing dip"})->size(), 1);
  // A word that matches nothing, and is close to nothing, is left out and
  // said so ("Showing results for plumbing"), rather than showing nothing.
  auto partly = engine_->Search({.text = "plumbing xyz"});
  EXPECT_EQ(partly->size(), 1);
  EXPECT_TRUE(partly->corrected());
  EXPECT_EQ(partly->did_you_mean(), "plumbing");
  EXPECT_EQ(engine_->Search({.text = "xyz"})->size(), 0);
}

TEST_F(SearchTest, CaseAndAccentsDoNotMatter) {
  EXPECT_EQ(engine_->Search({.text = "CAFE"})->size(), 1);
  EXPECT_EQ(engine_->Search({.text = "café"})->size(), 1);
  EXPECT_EQ(engine_->Search({.text = "Cafè"})->size(), 1);
  EXPECT_EQ(engine_->Search({.text = "CYMRAEG"})->size(), 1);
}

TEST_F(SearchTest, WhateverAPersonTypesNeverErrors) {
  const std::vector<std::string> inputs = {"\"",
                                           "\"\"",
                                           "*",
                                           "**",
                                           "-",
                                           "- -",
                                           "AND",
                                           "OR",
                                           "NOT",
                                           "NEAR(",
                                           "NEAR(a b",
                                           "(",
                                           ")",
                                           "()",
                                           "{title}:",
                                           "title:plumbing",
                                           "^plumb",
                                           "plumb*",
                                           "\"plumb",
                                           "a AND (b OR",
                                           "😀",
                                           "👩‍🔧 engineer",
                                           "مهندس",
                                           "工程",
                                           "\xff\xfe",
                                           "\xc3",
                                           "'; DROP TABLE opportunity; --",
                                           std::string(10000, 'a'),
                                           std::string(10000, ' '),
                                           std::string(5000, '"'),
                                           "engineering NEAR/3 cars",
                                           "\t\n",
                                           "%",
                                           "_",
                                           "\\",
                                           "0",
                                           "3",
                                           "level 3"};
  for (const std::string& in : inputs) {
    auto r = engine_->Search({.text = in});
    ASSERT_TRUE(r.ok()) << "input: " << in.substr(0, 40) << " -> " << r.status().ToString();
  }
  EXPECT_EQ(engine_->Search({.text = "\"plumb"})->size(), 1);
  EXPECT_EQ(engine_->Search({.text = "plumb*"})->size(), 1);
  EXPECT_EQ(engine_->Search({.text = "-plumbing-"})->size(), 1);
  EXPECT_EQ(engine_->Search({.text = "plumbing AND"})->size(), 1);  // "and" is a word here
}

// Random text built from the pieces that break naive FTS5 query building.
TEST_F(SearchTest, RandomTypedTextNeverErrors) {
  const std::vector<std::string> pieces = {
      "\"",   "*",    "-",     "+",   "(",    ")",    "{",        "}",
      ":",    "^",    "AND",   "OR",  "NOT",  "NEAR", "NEAR(",    ",",
      " ",    "  ",   "plumb", "eng", "café", "😀",    "\xd9\x85", "\xe2\x80\x8f",
      "\xff", "\xc3", "\0",    "'",   "%",    "\\",   "a",        "zz",
      "0",    "9",    "\t",    "ß",   "İ",    "ﬁ"};
  std::uint64_t state = 0x1234;
  auto next = [&] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return state >> 33;
  };
  for (int i = 0; i < 3000; ++i) {
    std::string text;
    const int n = static_cast<int>(next() % 12);
    for (int k = 0; k < n; ++k) text += pieces[next() % pieces.size()];
    if (next() % 50 == 0) text.append(next() % 20000, static_cast<char>(next() % 256));
    SearchRequest req{.text = text,
                      .routes = static_cast<std::uint8_t>(next() % 16),
                      .levels = static_cast<std::uint16_t>(next() % 512)};
    auto r = engine_->Search(req);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    ASSERT_LE(r->size(), 7);
    ASSERT_TRUE(engine_->Summaries(r->Rows(0, 5)).ok());
  }
}

TEST_F(SearchTest, DescriptionsCountFromThreeLetters) {
  // "Motor Vehicle Maintenance" mentions engineering only in its description.
  auto titles2 = Titles(*engine_->Search({.text = "en"}));
  EXPECT_EQ(std::count(titles2.begin(), titles2.end(), "Motor Vehicle Maintenance"), 0);
  auto titles3 = Titles(*engine_->Search({.text = "eng"}));
  EXPECT_EQ(std::count(titles3.begin(), titles3.end(), "Motor Vehicle Maintenance"), 1);
}

TEST_F(SearchTest, StopWordsDoNotHideResults) {
  // Four records have the subject "Engineering and manufacturing".
  EXPECT_EQ(engine_->Search({.text = "engineering and manufacturing"})->size(), 4);
  // Being typed, "the" may become "theatre": it is kept, and matches "the engineering behind".
  EXPECT_EQ(engine_->Search({.text = "the"})->size(), 1);
}

TEST_F(SearchTest, TitleMatchesComeBeforeDescriptionMatches) {
  SearchRequest q{.text = "engineering", .origin = kKiosk, .session_seed = 7};
  auto r = engine_->Search(q);
  ASSERT_TRUE(r.ok());
  auto titles = Titles(*r);
  ASSERT_FALSE(titles.empty());
  ASSERT_EQ(titles.size(), 5u);
  // Title matches first, then the subject-area match, then the description-only one.
  EXPECT_EQ(titles[3], "Plumbing Level 2 Diploma");
  EXPECT_EQ(titles[4], "Motor Vehicle Maintenance");
}

// Full-text rows are mapped to snapshot docs by rowid: directly where the
// rowids run without gaps, by a search where a re-import left gaps.
TEST(SearchLexiconTest, RowsAreFoundWhenAReimportLeftGapsInTheRowids) {
  TempDir dir;
  auto cat = OpenWriter(dir.File("c.db"));
  ImportOptions o;
  o.today = kToday;
  auto import = [&](const std::string& source, int step) {
    auto imp = cat->BeginImport(source, o);
    ASSERT_TRUE((*imp)->AddProvider(MakeProvider(source + "p", "Provider " + source)).ok());
    for (int i = 0; i < 400; i += step) {
      auto opp = MakeOpportunity(source + std::to_string(i),
                                 (i % 2 ? "Catering " : "Carpentry ") + std::to_string(i),
                                 source + "p", kAllRoutes[i % kRouteCount]);
      opp.description = "A course.";
      ASSERT_TRUE((*imp)->AddOpportunity(opp).ok());
    }
    ASSERT_TRUE((*imp)->Commit().ok());
  };
  import("a", 1);
  import("b", 1);
  import("c", 1);
  import("b", 3);  // b's new rows go after c's: a gap where b's old rows were
  auto engine = SearchEngine::Create(cat.get());
  ASSERT_TRUE(engine.ok());
  // a and c: 200 of 400 each; b: the even ones of every third of 0..399.
  int expected = 400;
  for (int i = 0; i < 400; i += 3) expected += i % 2 == 0;
  for (const char* text : {"carpentry", "carp", "carpentr"}) {
    SCOPED_TRACE(text);
    auto r = (*engine)->Search({.text = text, .session_seed = 2});
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(r->size(), expected);
    auto rows = (*engine)->Summaries(r->Rows(0, r->size()));
    ASSERT_TRUE(rows.ok());
    for (const auto& row : *rows) EXPECT_EQ(row.title.rfind("Carpentry ", 0), 0u) << row.title;
  }
}

// The lexicon leaves out words over 40 bytes; a prefix of tiers 0 and 1 is
// looked up as the lexicon words it begins. Such a word is still found,
// whole or by its prefix (in the descriptions' tier, which holds the title
// too).
TEST(SearchLexiconTest, AWordTooLongForTheLexiconIsStillFound) {
  TempDir dir;
  auto cat = OpenWriter(dir.File("c.db"));
  ImportOptions o;
  o.today = kToday;
  auto imp = cat->BeginImport("courses", o);
  ASSERT_TRUE((*imp)->AddProvider(MakeProvider("p", "Provider")).ok());
  const std::string long_word = "Pneumonoultramicroscopicsilicovolcanoconiosis";  // 45 bytes
  ASSERT_GT(long_word.size(), 40u);
  auto a = MakeOpportunity("a", long_word + " Awareness", "p", Route::kFurtherEducation);
  a.description = "A short course.";
  ASSERT_TRUE((*imp)->AddOpportunity(a).ok());
  auto b = MakeOpportunity("b", "Pneumatics for Engineers", "p", Route::kApprenticeship);
  b.description = "Air and pressure.";
  ASSERT_TRUE((*imp)->AddOpportunity(b).ok());
  ASSERT_TRUE((*imp)->Commit().ok());
  auto engine = SearchEngine::Create(cat.get());
  ASSERT_TRUE(engine.ok());
  auto rows = [&](const std::string& text) {
    auto r = (*engine)->Search({.text = text, .session_seed = 1});
    EXPECT_TRUE(r.ok());
    return r.ok() ? r->Rows(0, r->size()) : std::vector<std::int64_t>{};
  };
  EXPECT_EQ(rows("pneumonoultramicroscopicsilicovolcanoconiosis").size(), 1u);
  EXPECT_EQ(rows("pneumono").size(), 1u);
  EXPECT_EQ(rows("pneumonoultramicroscopicsilicovolcanoconios").size(), 1u);
  // "pneum" begins both titles; the one whose word the lexicon holds comes first.
  const auto both = rows("pneum");
  ASSERT_EQ(both.size(), 2u);
  EXPECT_EQ(rows("pneumat"), std::vector<std::int64_t>{both[0]});
}

TEST(SearchOrderTest, CloserResultsComeFirstWithinARouteAndTier) {
  TempDir dir;
  auto cat = OpenWriter(dir.File("c.db"));
  ImportOptions o;
  o.today = kToday;
  auto imp = cat->BeginImport("courses", o);
  ASSERT_TRUE((*imp)->AddProvider(MakeProvider("near", "Northgate College", {53.80, -1.55})).ok());
  ASSERT_TRUE((*imp)->AddProvider(MakeProvider("mid", "Midway College", {53.85, -1.40})).ok());
  ASSERT_TRUE((*imp)->AddProvider(MakeProvider("far", "Farfield College", {53.95, -1.08})).ok());
  for (const char* p : {"far", "mid", "near"}) {
    ASSERT_TRUE(
        (*imp)->AddOpportunity(MakeOpportunity(p, std::string("Engineering at ") + p, p)).ok());
  }
  ASSERT_TRUE((*imp)->Commit().ok());
  auto engine = SearchEngine::Create(cat.get());
  for (std::uint64_t seed = 0; seed < 5; ++seed) {
    auto r = (*engine)->Search({.text = "engineering", .origin = kKiosk, .session_seed = seed});
    auto rows = (*engine)->Summaries(r->Rows(0, 3));
    ASSERT_EQ(rows->size(), 3u);
    EXPECT_EQ((*rows)[0].title, "Engineering at near");
    EXPECT_EQ((*rows)[1].title, "Engineering at mid");
    EXPECT_EQ((*rows)[2].title, "Engineering at far");
  }
  // The engine keeps distances from the last place searched from, from the
  // second search there on (the first works them out and keeps none):
  // searching from elsewhere (a student picks a town) orders from there, and
  // back, the same whether the distances were kept or worked out afresh.
  for (const auto& [origin, first] : {std::pair{GeoPoint{53.95, -1.08}, "Engineering at far"},
                                      std::pair{GeoPoint{53.85, -1.40}, "Engineering at mid"},
                                      std::pair{kKiosk, "Engineering at near"}}) {
    std::optional<Facets> worked_out;
    for (int again = 0; again < 3; ++again) {
      auto r = (*engine)->Search({.text = "engineering", .origin = origin, .within_km = 10});
      auto rows = (*engine)->Summaries(r->Rows(0, 3));
      ASSERT_EQ(rows->size(), 1u) << "search " << again + 1;  // the others are over 10 km away
      EXPECT_EQ((*rows)[0].title, first) << "search " << again + 1;
      EXPECT_EQ(r->facets().within_km[3], 3) << "search " << again + 1;  // all within 50 km
      if (!worked_out) worked_out = r->facets();
      EXPECT_EQ(r->facets().within_km, worked_out->within_km) << "search " << again + 1;
    }
  }
}

TEST_F(SearchTest, FiltersAndFacetCounts) {
  SearchRequest q{.text = "engineering", .routes = 1 << static_cast<int>(Route::kApprenticeship)};
  auto r = engine_->Search(q);
  ASSERT_EQ(r->size(), 1);
  // The route facet ignores the route filter itself, so chips show what each would give.
  // FE: plumbing (by subject) and motor vehicle (by description).
  EXPECT_EQ(r->facets().route[static_cast<int>(Route::kFurtherEducation)], 2);
  EXPECT_EQ(r->facets().route[static_cast<int>(Route::kHigherEducation)], 1);
  EXPECT_EQ(r->facets().route[static_cast<int>(Route::kTLevel)], 1);
  EXPECT_EQ(r->facets().route[static_cast<int>(Route::kApprenticeship)], 1);
  EXPECT_EQ(r->facets().level[3], 1);  // only the apprenticeship passes the route filter

  EXPECT_EQ(engine_->Search({.levels = 1 << 6})->size(), 1);
  EXPECT_EQ(engine_->Search({.modes = 1 << static_cast<int>(StudyMode::kPartTime)})->size(), 1);
  EXPECT_EQ(engine_->Search({.subject_areas = {"Languages"}})->size(), 1);
  auto near = engine_->Search({.origin = kKiosk, .within_km = 10});
  EXPECT_EQ(near->size(), 5);
  EXPECT_EQ(near->facets().within_km[0], 5);  // within 5 km
  EXPECT_EQ(near->facets().within_km[3], 7);  // within 50 km
  auto starting = engine_->Search({.start_from = kToday + 250, .start_to = kToday + 290});
  EXPECT_EQ(starting->size(), 3);  // plumbing, the T Level and the flexible café course
  EXPECT_EQ(starting->facets().flexible_start, 1);
  auto all = engine_->Search({});
  EXPECT_EQ(all->size(), 7);
  ASSERT_FALSE(all->facets().subject_area.empty());
  EXPECT_EQ(all->facets().subject_area[0].first, "Engineering and manufacturing");
  EXPECT_EQ(all->facets().subject_area[0].second, 4);
}

TEST_F(SearchTest, BrowsingInterleavesTheRoutes) {
  for (std::uint64_t seed = 0; seed < 8; ++seed) {
    auto r = engine_->Search({.session_seed = seed});
    auto rows = engine_->Summaries(r->Rows(0, 4));
    std::set<Route> routes;
    for (const auto& s : *rows) routes.insert(s.route);
    EXPECT_EQ(routes.size(), 4u) << "seed " << seed;
  }
}

TEST_F(SearchTest, DidYouMeanFixesASmallTypo) {
  auto r = engine_->Search({.text = "enginear"});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->corrected());
  EXPECT_EQ(r->did_you_mean(), "engineer");  // whose stem finds "engineering"
  EXPECT_GT(r->size(), 0);
  // A misspelling that only shares a stem with the word meant is corrected
  // like any other (a shared stem alone is not taken for the same word).
  auto stem = engine_->Search({.text = "enginering "});
  EXPECT_TRUE(stem->corrected());
  EXPECT_EQ(stem->did_you_mean(), "engineering");
  EXPECT_GT(stem->size(), 0);
  auto typing = engine_->Search({.text = "plumv"});
  EXPECT_TRUE(typing->corrected());
  EXPECT_EQ(Titles(*typing), std::vector<std::string>{"Plumbing Level 2 Diploma"});
  auto nothing = engine_->Search({.text = "zzzzqqqq"});
  EXPECT_EQ(nothing->size(), 0);
  EXPECT_FALSE(nothing->corrected());
  EXPECT_EQ(engine_->ClosestWord("diplomma"), "diploma");
}

// A search must not leave a statement open: that would pin the reader to an
// old snapshot (HasChanged would never fire, and the WAL could not checkpoint).
TEST_F(SearchTest, SearchingDoesNotPinTheReaderToOldData) {
  ASSERT_FALSE(reader_->HasChanged());
  auto r = engine_->Search({.text = "engineering"});
  ASSERT_TRUE(engine_->Summaries(r->Rows(0, 3)).ok());
  ASSERT_TRUE(engine_->Search({.text = "c"}).ok());  // a short prefix too
  ASSERT_TRUE(writer_->SetMeta("touched", "yes").ok());
  EXPECT_TRUE(reader_->HasChanged());
  EXPECT_EQ(reader_->GetMeta("touched"), "yes");
}

TEST_F(SearchTest, ReloadPicksUpANewImport) {
  ImportOptions o;
  o.today = kToday;
  auto imp = writer_->BeginImport("more", o);
  (*imp)->AddProvider(MakeProvider("new", "Newtown Sixth Form"));
  (*imp)->AddOpportunity(MakeOpportunity("x", "A level Psychology", "new"));
  ASSERT_TRUE((*imp)->Commit().ok());
  EXPECT_TRUE(reader_->HasChanged() || true);
  EXPECT_EQ(engine_->Search({.text = "psychology"})->size(), 0);  // old snapshot until reload
  ASSERT_TRUE(engine_->Reload().ok());
  EXPECT_EQ(engine_->Search({.text = "psychology"})->size(), 1);
}

// Many providers at one site, one identical course each: which comes first
// must be a fair draw per session, not the same provider every time.
TEST(FairnessTest, TiedProvidersTakeTurnsAtTheTop) {
  TempDir dir;
  auto cat = OpenWriter(dir.File("c.db"));
  ImportOptions o;
  o.today = kToday;
  auto imp = cat->BeginImport("courses", o);
  constexpr int kProviders = 5;
  for (int p = 0; p < kProviders; ++p) {
    const std::string id = "p" + std::to_string(p);
    ASSERT_TRUE((*imp)->AddProvider(MakeProvider(id, "College " + std::to_string(p), kKiosk)).ok());
    ASSERT_TRUE((*imp)->AddOpportunity(MakeOpportunity(id + "-c", "Carpentry Diploma", id)).ok());
  }
  ASSERT_TRUE((*imp)->Commit().ok());
  auto engine = SearchEngine::Create(cat.get());
  std::map<std::int64_t, int> first;
  constexpr int kSessions = 2000;
  for (int s = 0; s < kSessions; ++s) {
    auto r = (*engine)->Search({.text = "carpentry",
                                .origin = kKiosk,
                                .session_seed = static_cast<std::uint64_t>(s) * 7919 + 1});
    ASSERT_EQ(r->size(), kProviders);
    first[r->RowAt(0)]++;
  }
  ASSERT_EQ(first.size(), static_cast<size_t>(kProviders));
  for (const auto& [row, n] : first) {
    // Expected 400 each; 5 sigma of a binomial(2000, 0.2) is ~90.
    EXPECT_NEAR(n, kSessions / kProviders, 90) << "row " << row;
  }
  // The same session sees a stable order.
  auto a = (*engine)->Search({.text = "carpentry", .session_seed = 42});
  auto b = (*engine)->Search({.text = "carpentry", .session_seed = 42});
  EXPECT_EQ(a->Rows(0, kProviders), b->Rows(0, kProviders));
}

// Enough documents that common prefixes are served from the cached bitsets:
// the answers must equal the uncached FTS answers.
TEST(SearchScaleTest, CachedPrefixesGiveTheSameAnswersAsFullText) {
  TempDir dir;
  auto cat = OpenWriter(dir.File("c.db"));
  ImportOptions o;
  o.today = kToday;
  auto imp = cat->BeginImport("courses", o);
  ASSERT_TRUE((*imp)->AddProvider(MakeProvider("p", "Provider")).ok());
  const char* words[] = {"care", "carpentry", "catering", "computing", "construction", "dance"};
  int expect_ca = 0, expect_car = 0, expect_c = 0, expect_dance_comp = 0, expect_dance_comp_fe = 0;
  for (int i = 0; i < 6000; ++i) {
    const std::string a = words[i % 6], b = words[(i / 6) % 6];
    auto opp =
        MakeOpportunity(std::to_string(i), a + " and " + b, "p", kAllRoutes[i % kRouteCount]);
    opp.description = "course number " + std::to_string(i);
    ASSERT_TRUE((*imp)->AddOpportunity(opp).ok());
    auto has = [&](const char* p) { return a.rfind(p, 0) == 0 || b.rfind(p, 0) == 0; };
    expect_ca += has("ca");
    expect_car += has("car");
    expect_c += has("c");
    expect_dance_comp += has("dance") && has("comp");
    expect_dance_comp_fe += has("dance") && has("comp") && i % kRouteCount == 0;
  }
  ASSERT_TRUE((*imp)->Commit().ok());
  auto engine = SearchEngine::Create(cat.get());
  EXPECT_EQ((*engine)->Search({.text = "ca"})->size(), expect_ca);
  EXPECT_EQ((*engine)->Search({.text = "car"})->size(), expect_car);
  // One letter matches titles, subjects and providers, not descriptions.
  EXPECT_EQ((*engine)->Search({.text = "c"})->size(), expect_c);
  // "course" is in every description: too common there to tell results
  // apart. Beside a word that matches titles it narrows nothing ("dance
  // cours" on its way to "dance course" shows the dance courses, never "no
  // results"); on its own it is found in the descriptions after all.
  EXPECT_EQ((*engine)->Search({.text = "course"})->size(), 6000);
  EXPECT_EQ((*engine)->Search({.text = "dance cours"})->size(),
            (*engine)->Search({.text = "dance"})->size());
  EXPECT_EQ((*engine)->Search({.text = "dance comp"})->size(), expect_dance_comp);
  EXPECT_EQ((*engine)->Search({.text = "dance comp", .routes = 1})->size(), expect_dance_comp_fe);
  // Every result appears exactly once, in whatever order pages are read.
  auto all = (*engine)->Search({.text = "ca", .session_seed = 3});
  std::set<std::int64_t> seen;
  for (std::int64_t i = all->size() - 1; i >= 0; --i) seen.insert(all->RowAt(i));
  EXPECT_EQ(static_cast<std::int64_t>(seen.size()), all->size());
  // Only each route's best rows are ordered while the query runs; the rest
  // are ordered when first read. The order is the same however it is read:
  // the first screen first, a page at a time, or the last row first.
  for (const char* text : {"ca", "c", ""}) {
    SCOPED_TRACE(text);
    const SearchRequest req{.text = text, .session_seed = 3};
    auto whole = (*engine)->Search(req);
    const std::vector<std::int64_t> expected = whole->Rows(0, whole->size());
    ASSERT_GT(expected.size(), 1000u);  // well past each route's first rows
    auto paged = (*engine)->Search(req);
    std::vector<std::int64_t> got;
    for (std::int64_t i = 0; i < paged->size(); i += 20) {
      for (std::int64_t r : paged->Rows(i, 20)) got.push_back(r);
    }
    EXPECT_EQ(got, expected);
    auto backwards = (*engine)->Search(req);
    const std::int64_t last = backwards->RowAt(backwards->size() - 1);
    EXPECT_EQ(backwards->Rows(0, backwards->size()), expected);
    EXPECT_EQ(last, expected.back());
  }
}

// The cached prefixes of the title tier and of the title, subject,
// provider, qualification and employer tier hold exactly the documents the
// full-text indexes give for them: words from every column, accents folded,
// a word repeated within a document or across its columns, empty columns.
TEST(SearchScaleTest, CachedPrefixesOfEveryColumnMatchTheFullTextIndexes) {
  TempDir dir;
  const std::string path = dir.File("c.db");
  auto cat = OpenWriter(path);
  ImportOptions o;
  o.today = kToday;
  auto imp = cat->BeginImport("courses", o);
  const char* providers[] = {"Northgate Cöllege", "St. Mary's Sixth-Form", "Leeds City College"};
  for (int p = 0; p < 3; ++p) {
    ASSERT_TRUE((*imp)->AddProvider(MakeProvider("p" + std::to_string(p), providers[p])).ok());
  }
  const char* titles[] = {"Care",      "Carpentry and Joinery", "CATERING catering",
                          "Computing", "Électricien",           "Dance"};
  const char* subjects[] = {"Engineering and Manufacturing", "Health & Social-Care", "Construction",
                            ""};
  const char* qualifications[] = {"BTEC Level 3", "City & Guilds", ""};
  for (int i = 0; i < 6000; ++i) {
    auto opp =
        MakeOpportunity(std::to_string(i), std::string(titles[i % 6]) + " " + titles[(i / 7) % 6],
                        "p" + std::to_string(i % 3), kAllRoutes[i % kRouteCount]);
    opp.subject_area = subjects[i % 4];
    opp.qualification = qualifications[i % 3 == 0 ? 2 : i % 2];
    if (i % 5 == 0) opp.employer = "Acme Engineering Ltd";
    opp.description.clear();
    ASSERT_TRUE((*imp)->AddOpportunity(opp).ok());
  }
  ASSERT_TRUE((*imp)->Commit().ok());
  auto engine = SearchEngine::Create(cat.get());
  ASSERT_TRUE(engine.ok());
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  auto fts = [&](const char* table, const std::string& prefix) {
    std::set<std::int64_t> rows;
    sqlite3_stmt* q = nullptr;
    const std::string sql =
        std::string("SELECT rowid FROM ") + table + " WHERE " + table + " MATCH ?";
    EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &q, nullptr), SQLITE_OK);
    const std::string match = "\"" + prefix + "\"*";
    sqlite3_bind_text(q, 1, match.c_str(), -1, SQLITE_TRANSIENT);
    while (sqlite3_step(q) == SQLITE_ROW) rows.insert(sqlite3_column_int64(q, 0));
    sqlite3_finalize(q);
    return rows;
  };
  // Short prefixes come from the cached bitsets; longer ones are looked up
  // as the few lexicon words they begin ("carpen" is "carpentry"), and whole
  // words as themselves. All three must agree with the index's own prefix query.
  for (const char* prefix :
       {"c",         "ca",          "car",     "co",        "col",       "coll",     "e",
        "el",        "en",          "eng",     "a",         "ac",        "l",        "le",
        "n",         "s",           "st",      "m",         "ma",        "h",        "b",
        "g",         "d",           "j",       "cat",       "comp",      "carp",     "carpen",
        "carpentry", "joine",       "joinery", "compu",     "computing", "electr",   "electricien",
        "manuf",     "engineering", "guild",   "sixth",     "mary",      "catering", "danc",
        "acme",      "btec",        "level",   "northgate", "leeds",     "soci"}) {
    SCOPED_TRACE(prefix);
    const std::set<std::int64_t> in_titles = fts("opportunity_name_fts", prefix);
    const std::set<std::int64_t> in_tier1 = fts("opportunity_title_fts", prefix);
    ASSERT_FALSE(in_tier1.empty());
    auto r = (*engine)->Search({.text = prefix, .session_seed = 5});
    ASSERT_TRUE(r.ok());
    const std::vector<std::int64_t> rows = r->Rows(0, r->size());
    EXPECT_EQ(std::set<std::int64_t>(rows.begin(), rows.end()), in_tier1);
    // Title matches come first.
    const auto titled = static_cast<std::ptrdiff_t>(in_titles.size());
    ASSERT_LE(titled, static_cast<std::ptrdiff_t>(rows.size()));
    EXPECT_EQ(std::set<std::int64_t>(rows.begin(), rows.begin() + titled), in_titles);
  }
  sqlite3_close(db);
}

}  // namespace
}  // namespace signpost::catalogue
