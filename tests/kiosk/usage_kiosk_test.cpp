// The kiosk's usage counting and local content, headless: a scripted session
// is written (anonymously, once) when the idle timeout ends it; a
// technician's visit is not a session; the school's content reaches the Help
// screen, the home screen's Help tile and the detail screen.
#include <gtest/gtest.h>
#include <stb_image_write.h>

#include <sqlite3.h>

#include <cctype>
#include <chrono>
#include <fstream>
#include <set>
#include <thread>

#include "kiosk/screens/screens.h"
#include "kiosk/script.h"
#include "kiosk_test_util.h"
#include "signpost/usage.h"

namespace signpost::kiosk {
namespace {

std::map<std::string, std::int64_t> Totals(const std::string& path) {
  std::map<std::string, std::int64_t> out;
  auto store = usage::UsageStore::Open(path, /*read_only=*/true);
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  if (!store.ok()) return out;
  auto rows = (*store)->Counters(TodayUtc() - 1, TodayUtc() + 1);
  EXPECT_TRUE(rows.ok());
  for (const auto& r : rows.value()) out[r.name] += r.value;
  return out;
}

void RunLines(Kiosk& k, const std::string& script) {
  std::vector<ScriptLine> lines;
  std::string error;
  ASSERT_TRUE(ParseScript(script, &lines, &error)) << error;
  ASSERT_TRUE(RunScript(k, lines, &error)) << error;
}

TEST(KioskUsageTest, ASessionIsCountedOnceWhenTheIdleTimeoutEndsIt) {
  testing::TempDir dir;
  RunOptions o = testing::HeadlessOptions();
  o.config.usage_path = dir.File("usage.db");
  auto k = testing::MakeKiosk(o);
  ASSERT_TRUE(k);
  RunLines(*k,
           "tap 50% 50%\n"  // the attract loop: touch to start
           "screen search\n"
           "type zzqqxxv\n"
           "wait 2s\n"
           "screen detail\n"
           "wait 2s\n"
           "screen help\n"
           "wait 200s\n"  // walks away: the idle timeout wipes the session
           "expect-screen attract\n");
  k->app().usage().recorder()->Flush();
  auto t = Totals(dir.File("usage.db"));
  EXPECT_EQ(t["sessions"], 1);
  EXPECT_EQ(t["filter.text"], 1);
  EXPECT_EQ(t["search.none_found"], 1);  // the prefixes typed on the way count once
  EXPECT_EQ(t["screen.help"], 1);
  std::int64_t views = 0;
  for (const char* r : {"view.fe", "view.tlevel", "view.he", "view.apprenticeship"}) views += t[r];
  EXPECT_EQ(views, 1);
  // Until the last touch, not until the timeout wiped it.
  EXPECT_EQ(t["session_length.under_1m"], 1);
  auto store = usage::UsageStore::Open(dir.File("usage.db"), true);
  ASSERT_TRUE(store.ok());
  auto missed = (*store)->MissedSearches(TodayUtc() - 1, TodayUtc() + 1);
  ASSERT_TRUE(missed.ok());
  ASSERT_EQ(missed->size(), 1u);
  EXPECT_EQ(missed->front().text, "");  // one session is not enough to keep the words
  // Nothing more is written while the kiosk sits on the attract loop.
  RunLines(*k, "wait 300s\n");
  k->app().usage().recorder()->Flush();
  EXPECT_EQ(Totals(dir.File("usage.db"))["sessions"], 1);
}

TEST(KioskUsageTest, ATechniciansVisitIsNotASession) {
  testing::TempDir dir;
  RunOptions o = testing::HeadlessOptions();
  o.config.usage_path = dir.File("usage.db");
  auto k = testing::MakeKiosk(o);
  ASSERT_TRUE(k);
  RunLines(*k, "screen home\nscreen pin\nwait 400s\nexpect-screen attract\n");
  k->app().usage().recorder()->Flush();
  EXPECT_EQ(k->app().usage().recorder()->written(), 0);
}

TEST(KioskUsageTest, HeadlessRunsCountNothingUnlessAsked) {
  auto k = testing::MakeKiosk(testing::HeadlessOptions());
  ASSERT_TRUE(k);
  EXPECT_FALSE(k->app().usage().enabled());
}

TEST(KioskLocalContentTest, TheSchoolsContentIsOnHelpHomeAndBesideCourses) {
  auto k = testing::MakeKiosk(testing::HeadlessOptions(720, 1280));
  ASSERT_TRUE(k);
  k->GoToScreen(Screen::kHome);
  k->app().session().settings.read_aloud = true;
  k->GoToScreen(Screen::kHelp);
  k->Settle();
  const LocalView& local = k->app().local_view();
  ASSERT_FALSE(local.school.empty());
  ASSERT_FALSE(local.stories.empty());
  ASSERT_FALSE(local.adviser.empty());
  std::string said = k->app().last_spoken();
  EXPECT_NE(said.find("From your school"), std::string::npos) << said;
  EXPECT_NE(said.find(local.school.front().title), std::string::npos) << said;
  EXPECT_EQ(screens::LocalHelpLine(k->app()), local.adviser.front().title);

  // A story is shown beside a course in its own subject area, and only
  // there (an engineering apprentice's story helps nobody on a nursery course).
  const catalogue::LocalItem& story = local.stories.front();
  ASSERT_FALSE(story.subject_area.empty());
  auto lower = [](std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  };
  std::set<std::string> story_areas;
  for (const auto& s : local.stories) story_areas.insert(lower(s.subject_area));
  std::int64_t same = 0, other = 0;  // a course in the story's area; one in no story's area
  {
    sqlite3* h = nullptr;
    ASSERT_EQ(
        sqlite3_open_v2(testing::SampleCatalogue().c_str(), &h, SQLITE_OPEN_READONLY, nullptr),
        SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(h, "SELECT id, subject_area FROM opportunity ORDER BY id", -1, &st, nullptr);
    while (sqlite3_step(st) == SQLITE_ROW) {
      const auto* text = sqlite3_column_text(st, 1);
      const std::string area = lower(text ? reinterpret_cast<const char*>(text) : "");
      if (area.empty()) continue;
      if (!same && area == lower(story.subject_area)) same = sqlite3_column_int64(st, 0);
      if (!other && !story_areas.count(area)) other = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    sqlite3_close(h);
  }
  ASSERT_GT(same, 0) << "no sample course in " << story.subject_area;
  ASSERT_GT(other, 0);
  k->app().Go(Screen::kDetail, same);
  k->Settle();
  said = k->app().last_spoken();
  EXPECT_NE(said.find(story.title), std::string::npos)
      << "no former student's story beside a " << story.subject_area << " course: " << said;
  k->app().Go(Screen::kDetail, other);
  k->Settle();
  said = k->app().last_spoken();
  for (const auto& s : local.stories)
    EXPECT_EQ(said.find(s.title), std::string::npos) << "a story out of context: " << said;
}

}  // namespace
}  // namespace signpost::kiosk

namespace signpost::kiosk {
namespace {

// A picture is decoded off the UI thread, scaled to at most 512 px, and made
// a texture; a damaged file never becomes one (and never stops the UI).
TEST(KioskPictureTest, PhotosAreScaledDownAndDamagedOnesAreSkipped) {
  testing::TempDir dir;
  std::vector<unsigned char> px(1024 * 512 * 3, 200);
  ASSERT_TRUE(stbi_write_png(dir.File("big.png").c_str(), 1024, 512, 3, px.data(), 1024 * 3));
  { std::ofstream(dir.File("bad.png")) << "\x89PNG but not really"; }
  auto k = testing::MakeKiosk(testing::HeadlessOptions());
  ASSERT_TRUE(k);
  ImVec2 size;
  ImTextureID good = nullptr, bad = nullptr;
  for (int i = 0; i < 200 && !good; ++i) {
    good = k->app().Picture(dir.File("big.png"), &size);
    bad = k->app().Picture(dir.File("bad.png"), nullptr);
    k->Frame();
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_NE(good, nullptr);
  EXPECT_EQ(size.x, 512);
  EXPECT_EQ(size.y, 256);
  for (int i = 0; i < 20; ++i) bad = k->app().Picture(dir.File("bad.png"), nullptr);
  EXPECT_EQ(bad, nullptr);
  EXPECT_EQ(k->app().Picture("", nullptr), nullptr);
}

}  // namespace
}  // namespace signpost::kiosk
