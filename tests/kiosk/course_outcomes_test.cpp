// Issues 11 and 15: the Discover Uni figures content-sync imports show on the
// kiosk's HE detail screen in plain sentences with their caveats, a figure
// the data set withholds says "not published" instead of a number, and a
// feed content-sync marked degraded shows its sentence on the technician
// screen. The catalogue is the sample, copied and edited with SQLite as an
// import (or a sync) would leave it.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdlib>

#include "kiosk/i18n.h"
#include "kiosk/screens/course_outcomes.h"
#include "kiosk/script.h"
#include "kiosk/ui.h"
#include "kiosk_test_util.h"

namespace signpost::kiosk {
namespace {

namespace cat = catalogue;

using testing::RunWords;

// Whether the last frame laid out this text anywhere, scrolled into view or
// not (expect-no-text only looks at what is in view).
bool LaidOut(const std::string& words) {
  for (const auto& t : ui::LastFrame().texts())
    if (t.full.find(words) != std::string::npos) return true;
  return false;
}

// The figures a real Discover Uni course carries (discover_uni_outcomes.cpp):
// two survey themes sharing a caveat, continuation, and a withheld salary.
std::vector<cat::CourseOutcome> Figures() {
  std::vector<cat::CourseOutcome> v(4);
  v[0].metric = cat::OutcomeMetric::kSatisfaction;
  v[0].label = "Teaching on my course";
  v[0].value = 86;
  v[0].population = 120;
  v[0].caveat = "Based on 120 students on this course over the two most recent years.";
  v[1] = v[0];
  v[1].label = "Overall satisfied with the course";
  v[1].value = 79.6;
  v[2].metric = cat::OutcomeMetric::kContinuation;
  v[2].label = "Still studying or finished a year after starting";
  v[2].value = 94;
  v[2].population = 140;
  v[2].caveat = "Based on 140 students on this course.";
  v[3].metric = cat::OutcomeMetric::kSalary;
  v[3].label = "Typical salary 15 months after the course";
  v[3].caveat =
      "Not published: there is not enough data for this course (it is small, or too few "
      "students answered). This does not reflect on the quality of the course.";
  return v;
}

// A copy of the sample catalogue where the first HE course carries
// `outcomes`; returns its row id and (in *plain) another HE course's.
std::int64_t CatalogueWithOutcomes(const std::string& db, const std::string& outcomes,
                                   std::int64_t* plain) {
  sqlite3* h = nullptr;
  if (sqlite3_open(testing::SampleCatalogue().c_str(), &h) != SQLITE_OK) return 0;
  const std::string vacuum = "VACUUM INTO '" + db + "'";
  const bool copied = sqlite3_exec(h, vacuum.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK;
  sqlite3_close(h);
  if (!copied || sqlite3_open(db.c_str(), &h) != SQLITE_OK) return 0;
  std::int64_t first = 0;
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(h,
                     "SELECT min(id), max(id) FROM opportunity WHERE kind = 'he_course' AND "
                     "outcomes IS NULL",
                     -1, &st, nullptr);
  if (sqlite3_step(st) == SQLITE_ROW) {
    first = sqlite3_column_int64(st, 0);
    *plain = sqlite3_column_int64(st, 1);
  }
  sqlite3_finalize(st);
  sqlite3_prepare_v2(h, "UPDATE opportunity SET outcomes = ? WHERE id = ?", -1, &st, nullptr);
  sqlite3_bind_text(st, 1, outcomes.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, 2, first);
  const bool ok = sqlite3_step(st) == SQLITE_DONE;
  sqlite3_finalize(st);
  sqlite3_close(h);
  return ok ? first : 0;
}

TEST(CourseOutcomesTest, EachFigureReadsAsASentenceAndAWithheldOneSaysNotPublished) {
  const auto v = Figures();
  EXPECT_EQ(screens::OutcomeSentence(v[0]), "86% of students were positive about the teaching");
  EXPECT_EQ(screens::OutcomeSentence(v[1]), "80% of students were happy with the course overall");
  EXPECT_EQ(screens::OutcomeSentence(v[2]), "94% carried on after the first year");
  EXPECT_EQ(screens::OutcomeSentence(v[3]), "Typical salary after the course: not published");
  cat::CourseOutcome salary = v[3];
  salary.value = 24000;
  salary.low = 21000;
  salary.high = 28000.4;
  EXPECT_EQ(screens::OutcomeSentence(salary),
            "Typical salary 15 months after the course: \xC2\xA3"
            "24,000 (most between \xC2\xA3"
            "21,000 and \xC2\xA3"
            "28,000)");
  salary.high.reset();  // half a range is no range
  EXPECT_EQ(screens::OutcomeSentence(salary),
            "Typical salary 15 months after the course: \xC2\xA3"
            "24,000");
  cat::CourseOutcome theme = v[0];
  theme.label = "Placements and work experience";  // a theme the kiosk has no words for
  EXPECT_EQ(screens::OutcomeSentence(theme),
            "86% of students were positive about placements and work experience");
}

TEST(CourseOutcomesTest, AnHeCourseShowsWhatStudentsSaidAndDidWithCaveatsAtBothSizes) {
  testing::TempDir dir;
  const std::string db = dir.File("outcomes.db");
  std::int64_t plain = 0;
  const std::int64_t course =
      CatalogueWithOutcomes(db, cat::EncodeCourseOutcomes(Figures()), &plain);
  ASSERT_GT(course, 0);
  ASSERT_GT(plain, 0);
  ASSERT_NE(course, plain) << "the sample needs two HE courses";
  const char* keep = std::getenv("SIGNPOST_KEEP_SCREENSHOTS");  // a folder to look at them in
  for (auto [w, ht] : {std::pair{800, 480}, std::pair{1080, 1920}}) {
    RunOptions o = testing::HeadlessOptions(w, ht);
    o.config.catalogue_path = db;
    auto k = testing::MakeKiosk(o);
    ASSERT_TRUE(k);
    k->GoToScreen(Screen::kHome);
    k->app().Go(Screen::kDetail, course);
    k->Settle();
    const std::string size = std::to_string(w) + "x" + std::to_string(ht);
    std::string error;
    // Each line scrolled into view (800x480 shows a few at a time), then read.
    std::string script;
    for (const char* line :
         {"What students said and did", "Official figures from Discover Uni",
          "86% of students were positive about the teaching",
          "80% of students were happy with the course overall",
          "Based on 120 students on this course over the two most recent years.",
          "94% carried on after the first year", "Based on 140 students on this course.",
          "Typical salary after the course: not published",
          "Not published: there is not enough data for this course"})
      script += std::string("scroll-to ") + line + "\nexpect-text " + line + "\n";
    EXPECT_TRUE(RunWords(*k, script, &error)) << size << ": " << error;
    if (keep) {
      EXPECT_TRUE(k->Screenshot(std::string(keep) + "/he-outcomes-" + size + ".png"));
    }
    // No made-up number stands in for the withheld salary.
    EXPECT_FALSE(LaidOut("Typical salary 15 months after")) << size;
    EXPECT_TRUE(RunWords(*k, "scroll-to How to apply or find out more\n", &error)) << error;
    EXPECT_TRUE(LaidOut("What students said and did")) << size << ": laid out when out of view";

    k->app().Go(Screen::kDetail, plain);
    k->Settle();
    ASSERT_EQ(k->app().screen(), Screen::kDetail);
    ASSERT_EQ(k->app().session().nav.back().id, plain);
    EXPECT_TRUE(RunWords(*k,
                         "expect-no-text Loading\nscroll-to How to apply or find out more\n"
                         "expect-no-text What students said and did\n",
                         &error))
        << size << ": " << error;
    EXPECT_FALSE(LaidOut("What students said and did")) << size;
    EXPECT_FALSE(LaidOut("not published")) << size;
  }
}

TEST(CourseOutcomesTest, TheFiguresReadInWelshWhenWelshIsChosen) {
  ASSERT_TRUE(SetLanguage("cy"));
  const auto v = Figures();
  const std::string s = screens::OutcomeSentence(v[2]);
  SetLanguage("en");
  EXPECT_NE(s, "94% carried on after the first year");
  EXPECT_NE(s.find("94%"), std::string::npos) << s;
}

TEST(CourseOutcomesTest, ADegradedFeedShowsItsSentenceOnTheTechnicianScreen) {
  testing::TempDir dir;
  const std::string db = dir.File("degraded.db");
  std::int64_t plain = 0;
  ASSERT_GT(CatalogueWithOutcomes(db, "", &plain), 0);
  const std::string sentence =
      "vacancies: 2,310 imported, none has a location: has the API version changed?";
  {
    auto writer = cat::Catalogue::Open(db);
    ASSERT_TRUE(writer.ok()) << writer.status().ToString();
    auto stats = (*writer)->Stats();
    ASSERT_TRUE(stats.ok());
    ASSERT_FALSE(stats->feeds.empty());
    ASSERT_TRUE((*writer)->SetMeta(cat::FeedDegradedMetaKey(stats->feeds[0].feed), sentence).ok());
  }
  RunOptions o = testing::HeadlessOptions();
  o.config.catalogue_path = db;
  auto k = testing::MakeKiosk(o);
  ASSERT_TRUE(k);
  k->GoToScreen(Screen::kTechnician);
  k->Settle();
  std::string error;
  EXPECT_TRUE(RunWords(
      *k, "scroll-to degraded: vacancies\nexpect-text degraded: " + sentence + "\n", &error))
      << error;
  if (const char* keep = std::getenv("SIGNPOST_KEEP_SCREENSHOTS")) {
    EXPECT_TRUE(k->Screenshot(std::string(keep) + "/technician-degraded.png"));
  }
  // The sentence goes when content-sync clears it (the feed is fine again).
  {
    auto writer = cat::Catalogue::Open(db);
    ASSERT_TRUE(writer.ok());
    auto stats = (*writer)->Stats();
    ASSERT_TRUE(stats.ok());
    ASSERT_TRUE((*writer)->SetMeta(cat::FeedDegradedMetaKey(stats->feeds[0].feed), "").ok());
  }
  k->GoToScreen(Screen::kHome);
  k->app().RequestMeta(true);
  k->GoToScreen(Screen::kTechnician);
  k->Settle();
  EXPECT_TRUE(RunWords(*k, "scroll-to Feeds\nexpect-no-text degraded:\n", &error)) << error;
}

}  // namespace
}  // namespace signpost::kiosk
