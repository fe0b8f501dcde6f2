// Issue 15: things with a date, as a visitor meets them. The school's own
// events (local pack) have a day and a time, sit among the open days under
// "This week" / "This month" / "Later" and open like them; a vacancy posted
// in the last week says "New", from the Find an apprenticeship v2 payload
// (the fixture in the real v2 shape, its dates moved to this week) through
// the adapter and the catalogue's import to the row and page on screen, in
// English and Welsh.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <fstream>
#include <functional>
#include <sstream>

#include "feeds/adapters.h"
#include "kiosk/i18n.h"
#include "kiosk/screens/screens.h"
#include "kiosk/ui.h"
#include "kiosk_test_util.h"

namespace signpost::kiosk {
namespace {

namespace cat = catalogue;
using testing::RunWords;

// Where the last frame laid this text out (scrolled into view or not); the
// first text containing `words`, or nullptr.
const ui::DrawnText* LaidOut(const std::string& words) {
  for (const auto& t : ui::LastFrame().texts())
    if (t.full.find(words) != std::string::npos) return &t;
  return nullptr;
}

// The heading of the group (This week, This month, Later) a text is laid
// out under: the last heading above it.
std::string GroupOf(const ui::DrawnText& item) {
  std::string group;
  float best = -1e9f;
  for (const auto& t : ui::LastFrame().texts()) {
    if (t.full != "This week" && t.full != "This month" && t.full != "Later") continue;
    if (t.rect.Min.y < item.rect.Min.y && t.rect.Min.y > best) {
      best = t.rect.Min.y;
      group = t.full;
    }
  }
  return group;
}

// A copy of the sample catalogue with a school's own pack: a careers talk
// today from 18:00 to 19:30 in the library, and a whole-day trip 60 days on
// (always a later month, so "Later").
std::string CatalogueWithSchoolEvents(const testing::TempDir& dir) {
  const std::string db = dir.File("school.db");
  sqlite3* h = nullptr;
  EXPECT_EQ(sqlite3_open(testing::SampleCatalogue().c_str(), &h), SQLITE_OK);
  const std::string vacuum = "VACUUM INTO '" + db + "'";
  EXPECT_EQ(sqlite3_exec(h, vacuum.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(h);
  auto writer = cat::Catalogue::Open(db);
  EXPECT_TRUE(writer.ok());
  if (!writer.ok()) return db;
  auto imp = (*writer)->BeginImport("school", {});
  EXPECT_TRUE(imp.ok());
  if (!imp.ok()) return db;
  cat::LocalItem talk;
  talk.source_id = "events/talk";
  talk.kind = cat::LocalKind::kSchoolEvent;
  talk.title = "Nursing careers talk for Year 11";
  talk.body = "A nurse and a student nurse on the routes into nursing.";
  talk.ends = talk.event_day = TodayUtc();
  talk.event_start_minute = 18 * 60;
  talk.event_end_minute = 19 * 60 + 30;
  talk.place = "Library";
  EXPECT_TRUE((*imp)->AddLocalItem(talk).ok());
  cat::LocalItem trip;
  trip.source_id = "events/trip";
  trip.kind = cat::LocalKind::kSchoolEvent;
  trip.title = "Year 10 trip to the Skills Show";
  trip.ends = trip.event_day = TodayUtc() + 60;
  trip.place = "Coach from the main gate";
  EXPECT_TRUE((*imp)->AddLocalItem(trip).ok());
  EXPECT_TRUE((*imp)->Commit().ok());
  return db;
}

// `fn` on a kiosk on `db`, in English, at each size the issue names with
// normal and largest text.
void AtEverySize(const std::string& db, const std::function<void(Kiosk&)>& fn) {
  for (auto [w, h] : {std::pair{800, 480}, std::pair{1080, 1920}}) {
    for (int text_size : {0, 2}) {
      SCOPED_TRACE(std::to_string(w) + "x" + std::to_string(h) + " text " +
                   std::to_string(text_size));
      ASSERT_TRUE(SetLanguage("en"));
      auto options = testing::HeadlessOptions(w, h);
      options.config.catalogue_path = db;
      options.config.defaults.text_size = text_size;
      auto k = testing::MakeKiosk(options);
      ASSERT_TRUE(k);
      fn(*k);
    }
  }
}

std::unique_ptr<Kiosk> WelshKiosk(const std::string& db) {
  auto options = testing::HeadlessOptions(1280, 800);
  options.config.catalogue_path = db;
  options.config.defaults.language = "cy";
  return testing::MakeKiosk(options);
}

TEST(SchoolEventsTest, AmongTheOpenDaysByDayWithTheirTimeAndTheyOpen) {
  testing::TempDir dir;
  const std::string db = CatalogueWithSchoolEvents(dir);
  AtEverySize(db, [](Kiosk& kiosk) {
    Kiosk* k = &kiosk;
    k->GoToScreen(Screen::kEvents);
    k->Settle();
    const ui::DrawnText* talk = LaidOut("Nursing careers talk for Year 11");
    ASSERT_NE(talk, nullptr) << "the school's talk is not among the open days";
    EXPECT_EQ(GroupOf(*talk), "This week");
    const ui::DrawnText* trip = LaidOut("Year 10 trip to the Skills Show");
    ASSERT_NE(trip, nullptr);
    EXPECT_EQ(GroupOf(*trip), "Later");
    // Its card says what it is and when, as an open day's does.
    EXPECT_NE(LaidOut("School event  \xC2\xB7  "), nullptr);
    EXPECT_NE(LaidOut("18:00 \xE2\x80\x93 19:30"), nullptr);
    EXPECT_NE(LaidOut("all day"), nullptr);
    std::string error;
    EXPECT_TRUE(RunWords(*k,
                         "scroll-to Nursing careers talk\ntap-label Nursing careers talk\n"
                         "expect-screen event\nexpect-text School event\n"
                         "expect-text 18:00 \xE2\x80\x93 19:30\nexpect-text Library\n"
                         "scroll-to A nurse and a student nurse\n"
                         "expect-text A nurse and a student nurse\n",
                         &error))
        << error;
    // The day with its year on the event's own page.
    const std::string day = HumanDate(TodayUtc(), true);
    EXPECT_NE(LaidOut(day + ", 18:00 \xE2\x80\x93 19:30"), nullptr) << day;
    EXPECT_TRUE(RunWords(*k,
                         "tap-label \xE2\x98\x86 Add to shortlist\nexpect-shortlist 1\n"
                         "expect-text \xE2\x98\x85 On your shortlist\n",
                         &error))
        << error;
  });
  // In Welsh.
  auto k = WelshKiosk(db);
  ASSERT_TRUE(k);
  k->GoToScreen(Screen::kEvents);
  k->Settle();
  EXPECT_NE(LaidOut("Digwyddiad ysgol"), nullptr);
  ASSERT_TRUE(SetLanguage("en"));
}

// A school event found by a search opens its own screen, as one found in the
// open days list does; its search row already says its day and time.
TEST(SchoolEventsTest, OneFoundBySearchOpensItsOwnScreen) {
  testing::TempDir dir;
  const std::string db = CatalogueWithSchoolEvents(dir);
  AtEverySize(db, [](Kiosk& k) {
    k.GoToScreen(Screen::kSearch);
    k.app().session().search.text = "nursing talk";
    k.Settle();
    std::string error;
    EXPECT_TRUE(RunWords(k,
                         "expect-text From your school\n"
                         "expect-text Event at your school  \xC2\xB7  \n"
                         "expect-text 18:00 \xE2\x80\x93 19:30\n"
                         "scroll-to Nursing careers talk\ntap-label Nursing careers talk\n"
                         "expect-screen event\nexpect-text School event\n"
                         "expect-text Library\nexpect-no-text Talk to your careers adviser\n",
                         &error))
        << error;
    const std::string day = HumanDate(TodayUtc(), true);
    EXPECT_NE(LaidOut(day + ", 18:00 \xE2\x80\x93 19:30"), nullptr) << day;
    // Back is the search it came from.
    EXPECT_TRUE(RunWords(k, "tap-label Back\nexpect-screen search\n", &error)) << error;
  });
}

// [SECTION] "New" vacancies -------------------------------------------------------------

// Whether a tag reading exactly `words` is in view (expect-text finds words
// inside other text: "New" is in "Newcastle").
bool TagShown(const std::string& words) {
  for (const auto& t : ui::LastFrame().texts())
    if (t.Visible() && t.full == words) return true;
  return false;
}

TEST(VacancyTagsTest, PostedInTheLastWeekIsNewOnAFixedClock) {
  const Day today = DayFromCivil(2026, 12, 4);
  using screens::PostedRecently;
  EXPECT_TRUE(PostedRecently(today, today));
  EXPECT_TRUE(PostedRecently(today - 6, today));
  EXPECT_FALSE(PostedRecently(today - 7, today));
  EXPECT_TRUE(PostedRecently(today + 1, today));  // a feed's clock a little ahead
  EXPECT_FALSE(PostedRecently(today + 2, today));
  EXPECT_FALSE(PostedRecently(std::nullopt, today));
  using screens::RowTag;
  EXPECT_EQ(screens::RowTags(today - 1, today + 3, today),
            (std::vector<RowTag>{RowTag::kNew, RowTag::kClosingSoon}));
  EXPECT_EQ(screens::RowTags(today - 10, today + 30, today), std::vector<RowTag>{});
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void Replace(std::string* s, const std::string& from, const std::string& to) {
  const std::size_t at = s->find(from);
  ASSERT_NE(at, std::string::npos) << from;
  s->replace(at, from.size(), to);
}

// The v2 fixture's first page with its dates moved: the vehicle technician
// posted 2 days ago, the business administration apprentice 9 days ago,
// both closing in 30 days; parsed by the adapter into a new catalogue.
std::string CatalogueFromVacancyFeed(const testing::TempDir& dir) {
  std::string page =
      ReadFile(std::string(SIGNPOST_FEEDS_FIXTURE_DIR) + "/fat_vacancies/page1.json");
  EXPECT_FALSE(page.empty());
  const Day today = TodayUtc();
  const std::string closing = FormatIsoDate(today + 30);
  Replace(&page, "\"2026-08-20T09:14:03.55Z\"",
          "\"" + FormatIsoDate(today - 2) + "T09:14:03.55Z\"");
  Replace(&page, "\"2026-08-21T10:00:00Z\"", "\"" + FormatIsoDate(today - 9) + "T10:00:00Z\"");
  Replace(&page, "\"2026-10-15T23:59:59\"", "\"" + closing + "T23:59:59\"");
  Replace(&page, "\"2026-10-01T23:59:59Z\"", "\"" + closing + "T23:59:59Z\"");
  const std::string db = dir.File("vacancies.db");
  auto writer = cat::Catalogue::Open(db);
  EXPECT_TRUE(writer.ok()) << writer.status().ToString();
  if (!writer.ok()) return db;
  auto imp = (*writer)->BeginImport("vacancies", {});
  EXPECT_TRUE(imp.ok());
  if (!imp.ok()) return db;
  EXPECT_TRUE(sync::MakeFatVacanciesAdapter()->Parse(page, 0, **imp).ok());
  auto report = (*imp)->Commit();
  EXPECT_TRUE(report.ok()) << report.status().ToString();
  return db;
}

TEST(VacancyTagsTest, AVacancyPostedThisWeekIsNewFromTheFeedToTheScreen) {
  testing::TempDir dir;
  const std::string db = CatalogueFromVacancyFeed(dir);
  AtEverySize(db, [](Kiosk& kiosk) {
    Kiosk* k = &kiosk;
    k->GoToScreen(Screen::kSearch);
    k->app().session().search.text = "vehicle";
    k->app().session().search.routes = 1u << static_cast<int>(cat::Route::kApprenticeship);
    k->Settle();
    std::string error;
    EXPECT_TRUE(RunWords(*k,
                         "expect-text Apprentice Vehicle Technician\n"
                         "expect-no-text Closing soon\n",
                         &error))
        << error;
    EXPECT_TRUE(TagShown("New")) << "no New tag on the row";
    // A vacancy at two workplaces is a row near each: every one is new.
    std::vector<ImVec2> rows;
    for (const auto& t : ui::LastFrame().tappables()) {
      if (!t.Visible() || !t.label.starts_with("Apprentice Vehicle Technician")) continue;
      EXPECT_TRUE(t.label.starts_with("Apprentice Vehicle Technician \xC2\xB7 New")) << t.label;
      rows.push_back(t.TapPoint());
    }
    ASSERT_FALSE(rows.empty());
    k->Tap(rows[0].x, rows[0].y);
    EXPECT_TRUE(RunWords(*k, "expect-screen detail\n", &error)) << error;
    EXPECT_TRUE(TagShown("New")) << "no New tag on the vacancy's page";
    // Posted 9 days ago: not new.
    k->GoToScreen(Screen::kSearch);
    k->app().session().search.text = "business administration";
    k->app().session().search.routes = 1u << static_cast<int>(cat::Route::kApprenticeship);
    k->Settle();
    EXPECT_TRUE(RunWords(*k, "expect-text Business Administration Apprentice\n", &error)) << error;
    EXPECT_FALSE(TagShown("New"));
    EXPECT_TRUE(RunWords(*k, "tap-label Business Administration Apprentice\nexpect-screen detail\n",
                         &error))
        << error;
    EXPECT_FALSE(TagShown("New"));
  });
  auto k = WelshKiosk(db);
  ASSERT_TRUE(k);
  k->GoToScreen(Screen::kSearch);
  k->app().session().search.text = "vehicle";
  k->Settle();
  EXPECT_TRUE(TagShown("Newydd"));
  EXPECT_FALSE(TagShown("New"));
  ASSERT_TRUE(SetLanguage("en"));
}

}  // namespace
}  // namespace signpost::kiosk
