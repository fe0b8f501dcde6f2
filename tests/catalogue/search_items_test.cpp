// Careers, events and local content in a search (search_items.cpp): each in
// its own order, with the filters a student meets, and rows added after the
// engine first read its items still found.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "signpost/dates.h"
#include "signpost/search.h"
#include "test_util.h"

namespace signpost::catalogue {
namespace {

using testing::OpenReader;
using testing::OpenWriter;
using testing::TempDir;

Event MakeEvent(const std::string& id, const std::string& title, UnixTime start, UnixTime end,
                std::uint8_t routes) {
  Event e;
  e.source_id = id;
  e.title = title;
  e.start = start;
  e.end = end;
  e.routes = routes;
  return e;
}

Career MakeCareer(const std::string& id, const std::string& title) {
  Career c;
  c.source_id = id;
  c.title = title;
  c.overview = "Joining metal with heat.";
  return c;
}

LocalItem MakeLocal(const std::string& id, const std::string& title, std::optional<Day> starts,
                    std::optional<Day> ends) {
  LocalItem l;
  l.source_id = id;
  l.title = title;
  l.starts = starts;
  l.ends = ends;
  return l;
}

class SearchItemsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    writer_ = OpenWriter(dir_.File("c.db"));
    const UnixTime now = NowUnix();
    const Day today = TodayUtc();
    ImportOptions o;
    o.today = today - 1;  // keeps the event that ended an hour ago in the catalogue
    auto imp = writer_->BeginImport("items", o);
    ASSERT_TRUE(imp.ok()) << imp.status().ToString();
    FeedImport& in = **imp;
    constexpr auto kApprenticeship = std::uint8_t{1} << static_cast<int>(Route::kApprenticeship);
    constexpr auto kHe = std::uint8_t{1} << static_cast<int>(Route::kHigherEducation);
    ASSERT_TRUE(in.AddEvent(MakeEvent("late", "Welding open day", now + 9 * 86400,
                                      now + 9 * 86400 + 3600, 0))
                    .ok());
    ASSERT_TRUE(in.AddEvent(MakeEvent("soon", "Welding taster", now + 2 * 86400,
                                      now + 2 * 86400 + 3600, kApprenticeship))
                    .ok());
    ASSERT_TRUE(
        in.AddEvent(MakeEvent("uni", "Welding science talk", now + 5 * 86400, now + 5 * 86400, kHe))
            .ok());
    ASSERT_TRUE(in.AddEvent(MakeEvent("over", "Welding fair", now - 7200, now - 3600, 0)).ok());
    ASSERT_TRUE(in.AddCareer(MakeCareer("c1", "Welding inspector")).ok());
    ASSERT_TRUE(in.AddCareer(MakeCareer("c2", "Welder")).ok());
    ASSERT_TRUE(in.AddCareer(MakeCareer("c3", "Underwater welder")).ok());
    ASSERT_TRUE(in.AddLocalItem(MakeLocal("now", "Welding club", today - 3, today + 3)).ok());
    ASSERT_TRUE(in.AddLocalItem(MakeLocal("later", "Welding week", today + 10, today + 20)).ok());
    ASSERT_TRUE(in.Commit().ok());
    reader_ = OpenReader(dir_.File("c.db"));
    auto e = SearchEngine::Create(reader_.get());
    ASSERT_TRUE(e.ok()) << e.status().ToString();
    engine_ = std::move(e.value());
  }

  std::vector<std::string> Titles(ResultKind kind, const std::vector<std::int64_t>& rowids) {
    std::vector<std::string> out;
    auto items = engine_->ItemSummaries(kind, rowids);  // kept: a loop over *temporary dangles
    EXPECT_TRUE(items.ok()) << items.status().ToString();
    if (!items.ok()) return out;
    for (const ItemSummary& s : *items) out.push_back(s.title);
    return out;
  }

  // Commits one more welding event, tomorrow, after the engine was made.
  void AddMasterclassTomorrow() {
    auto imp = writer_->BeginImport("more");
    ASSERT_TRUE(imp.ok());
    const UnixTime now = NowUnix();
    ASSERT_TRUE(
        (*imp)
            ->AddEvent(MakeEvent("new", "Welding masterclass", now + 86400, now + 86400 + 3600, 0))
            .ok());
    ASSERT_TRUE((*imp)->Commit().ok());
  }

  TempDir dir_;
  std::unique_ptr<Catalogue> writer_, reader_;
  std::unique_ptr<SearchEngine> engine_;
};

TEST_F(SearchItemsTest, EventsComeSoonestFirstAndThoseOverAreLeftOut) {
  auto r = engine_->Search({.text = "welding"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(
      Titles(ResultKind::kEvent, r->events()),
      (std::vector<std::string>{"Welding taster", "Welding science talk", "Welding open day"}));
}

TEST_F(SearchItemsTest, ARouteFilterKeepsEventsOnThatRouteAndEventsForEveryone) {
  auto r = engine_->Search(
      {.text = "welding", .routes = std::uint8_t{1} << static_cast<int>(Route::kApprenticeship)});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Titles(ResultKind::kEvent, r->events()),
            (std::vector<std::string>{"Welding taster", "Welding open day"}));
}

TEST_F(SearchItemsTest, CareersWithTheClosestTitlesComeFirst) {
  auto r = engine_->Search({.text = "welder"});
  ASSERT_TRUE(r.ok());
  // The word itself in the title first, shorter titles first; a title with
  // only a form of it ("welding") after them, though it is shorter.
  EXPECT_EQ(Titles(ResultKind::kCareer, r->careers()),
            (std::vector<std::string>{"Welder", "Underwater welder", "Welding inspector"}));
}

TEST_F(SearchItemsTest, LocalContentShowsOnlyWhileItRuns) {
  auto r = engine_->Search({.text = "welding"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Titles(ResultKind::kLocal, r->local_items()),
            (std::vector<std::string>{"Welding club"}));
}

TEST_F(SearchItemsTest, TheSameSearchAgainGivesTheSameOrder) {
  // The second time, rows come from what the engine kept.
  auto first = engine_->Search({.text = "welding"});
  auto again = engine_->Search({.text = "welding"});
  ASSERT_TRUE(first.ok() && again.ok());
  EXPECT_EQ(first->events(), again->events());
  EXPECT_EQ(first->careers(), again->careers());
  EXPECT_EQ(first->local_items(), again->local_items());
}

TEST_F(SearchItemsTest, AnEventAddedAfterTheEngineReadItsItemsIsFoundAfterReload) {
  ASSERT_EQ(engine_->Search({.text = "welding"})->events().size(), 3u);
  AddMasterclassTomorrow();
  if (HasFatalFailure()) return;
  ASSERT_TRUE(engine_->Reload().ok());
  EXPECT_EQ(Titles(ResultKind::kEvent, engine_->Search({.text = "welding"})->events()),
            (std::vector<std::string>{"Welding masterclass", "Welding taster",
                                      "Welding science talk", "Welding open day"}));
}

TEST_F(SearchItemsTest, AnEventAddedSinceTheSnapshotIsOrderedBeforeAReload) {
  // The engine orders items from its snapshot; a row the snapshot does not
  // have (the engine has not reloaded yet) is read from the catalogue.
  ASSERT_EQ(engine_->Search({.text = "welding"})->events().size(), 3u);
  AddMasterclassTomorrow();
  if (HasFatalFailure()) return;
  // Other text than before: the engine keeps what each word matched.
  EXPECT_EQ(Titles(ResultKind::kEvent, engine_->Search({.text = "weldin"})->events()),
            (std::vector<std::string>{"Welding masterclass", "Welding taster",
                                      "Welding science talk", "Welding open day"}));
}

}  // namespace
}  // namespace signpost::catalogue
