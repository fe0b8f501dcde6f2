// "Start from what you enjoy" (kiosk/screens/interests.*): a visitor with no
// word in mind taps two things they enjoy and sees careers and every route
// that fits, fairly ordered, then opens one. Also the interests table itself:
// each interest finds something on the sample, and every subject area a
// student could want is reachable from some interest.
#include <algorithm>
#include <set>
#include <string>

#include "kiosk/data_service.h"
#include "kiosk/i18n.h"
#include "kiosk/screens/interests.h"
#include "kiosk/script.h"
#include "kiosk/ui.h"
#include "kiosk_test_util.h"

namespace signpost::kiosk {
namespace {

namespace cat = signpost::catalogue;

using testing::RunWords;

// The result rows drawn on the last frame (cards whose text names a route),
// in order: their labels, "title · facts · route · level · provider".
std::vector<std::string> RowLabels() {
  std::vector<std::string> rows;
  for (const ui::Tappable& t : ui::LastFrame().tappables()) {
    if (!t.from_texts) continue;
    for (const char* route :
         {"Further education", "T Levels", "Higher education", "Apprenticeships"})
      if (ui::NormaliseText(t.label).find(std::string("\xC2\xB7 ") + route + " \xC2\xB7") !=
          std::string::npos) {
        rows.push_back(ui::NormaliseText(t.label));
        break;
      }
  }
  return rows;
}

std::string TitleOf(const std::string& label) {
  std::string title = label.substr(0, label.find(" \xC2\xB7 "));
  const std::string ellipsis = "\xE2\x80\xA6";
  if (title.size() > ellipsis.size() &&
      title.compare(title.size() - ellipsis.size(), ellipsis.size(), ellipsis) == 0)
    title.resize(title.size() - ellipsis.size());
  return title;
}

// The result rows from the top of the list down, dragging it up until at
// least `n` have been drawn (or the list ends).
std::vector<std::string> CollectRows(Kiosk& k, std::size_t n) {
  std::vector<std::string> rows;
  for (int drags = 0; drags < 20 && rows.size() < n; ++drags) {
    const std::size_t before = rows.size();
    for (const std::string& r : RowLabels())
      if (std::find(rows.begin(), rows.end(), r) == rows.end()) rows.push_back(r);
    if (drags > 3 && rows.size() == before) break;
    const float w = static_cast<float>(k.width()), h = static_cast<float>(k.height());
    k.Drag(w * 0.5f, h * 0.78f, w * 0.5f, h * 0.5f, 400);
    k.Settle();
  }
  return rows;
}

bool HasRoute(const std::string& label, const char* route) {
  return label.find(std::string("\xC2\xB7 ") + route + " \xC2\xB7") != std::string::npos;
}

TEST(InterestsJourneyTest, TwoTapsShowCareersAndEveryRouteThenOpenAnApprenticeship) {
  testing::TempDir shots;
  for (auto [w, h] : {std::pair{800, 480}, std::pair{1080, 1920}}) {
    SCOPED_TRACE(std::to_string(w) + "x" + std::to_string(h));
    auto k = testing::MakeKiosk(testing::HeadlessOptions(w, h));
    ASSERT_TRUE(k);
    k->GoToScreen(Screen::kSubjects);
    std::string error;
    const std::string shot = shots.File("interests-" + std::to_string(w) + ".png");
    ASSERT_TRUE(RunWords(*k,
                         "tap-label Not sure? Start from what you enjoy\n"
                         "expect-screen interests\n"
                         "expect-no-text Show what fits\n"
                         "tap-label Caring for people\n"
                         "tap-label Science and labs\n"
                         "tap-label Show what fits\n"
                         "expect-screen interests\n"
                         "expect-text Careers that fit\n"
                         "expect-text Higher education\n"
                         "screenshot " +
                             shot + "\n",
                         &error))
        << error;
    // Careers first: a nurse and a scientist both fit caring + science.
    const auto& texts = ui::LastFrame().texts();
    auto drawn = [&](const std::string& s) {
      return std::any_of(texts.begin(), texts.end(),
                         [&](const ui::DrawnText& d) { return d.full == s; });
    };
    int careers = 0;
    for (const char* c : {"Adult nurse", "Midwife", "Healthcare assistant", "Care worker",
                          "Biomedical scientist", "Laboratory technician", "Pharmacist",
                          "Physiotherapist", "Paramedic", "Social worker", "Nursery worker"})
      careers += drawn(c);
    EXPECT_GE(careers, 4) << "careers that fit are shown";
    EXPECT_FALSE(drawn("Chef")) << "a career from no chosen family";
    // Every route, interleaved: college, apprenticeship and university rows
    // all among the first eight, not one route's block before another's.
    const std::vector<std::string> rows = CollectRows(*k, 12);
    ASSERT_GE(rows.size(), 8u);
    for (const char* route : {"Further education", "Higher education", "Apprenticeships"})
      EXPECT_TRUE(std::any_of(rows.begin(), rows.begin() + 8,
                              [&](const std::string& r) { return HasRoute(r, route); }))
          << route << " is not among the first rows";
    // Open an apprenticeship with a title no other row shares.
    std::string title;
    for (const std::string& r : rows) {
      if (!HasRoute(r, "Apprenticeships")) continue;
      const std::string t = TitleOf(r);
      if (std::count_if(rows.begin(), rows.end(),
                        [&](const std::string& o) { return TitleOf(o) == t; }) == 1) {
        title = t;
        break;
      }
    }
    ASSERT_FALSE(title.empty());
    EXPECT_TRUE(RunWords(*k,
                         "scroll-to " + title + "\ntap-label " + title +
                             "\nexpect-screen detail\nexpect-text Apprenticeship\n",
                         &error))
        << error;
    // Back keeps the results; Change goes back to the choices, still chosen.
    EXPECT_TRUE(RunWords(*k,
                         "tap-label Back\nexpect-screen interests\nexpect-text Careers that fit\n"
                         "tap-label Change\nexpect-text Show what fits\n",
                         &error))
        << error;
  }
}

TEST(InterestsJourneyTest, AFourthInterestWaitsUntilOneIsTakenOff) {
  auto k = testing::MakeKiosk(testing::HeadlessOptions(1280, 800));
  ASSERT_TRUE(k);
  k->GoToScreen(Screen::kInterests);
  std::string error;
  ASSERT_TRUE(RunWords(*k,
                       "tap-label Being outdoors\ntap-label Animals and nature\n"
                       "scroll-to Vehicles and driving\ntap-label Vehicles and driving\n"
                       "scroll-to Food and cooking\n",
                       &error))
      << error;
  auto enabled = [&](const std::string& label) {
    for (const ui::Tappable& t : ui::LastFrame().tappables())
      if (t.label == label) return t.enabled;
    ADD_FAILURE() << "no chip " << label;
    return false;
  };
  EXPECT_FALSE(enabled("Food and cooking"));
  EXPECT_TRUE(enabled("Being outdoors"));
  ASSERT_TRUE(RunWords(*k, "scroll-to Being outdoors\ntap-label Being outdoors\n", &error))
      << error;
  EXPECT_TRUE(enabled("Food and cooking"));
}

TEST(InterestsJourneyTest, WorksInWelsh) {
  auto k = testing::MakeKiosk(testing::HeadlessOptions());
  ASSERT_TRUE(k);
  k->GoToScreen(Screen::kInterests);
  k->app().session().settings.language = "cy";
  k->Settle();
  ASSERT_STRNE(tr("Working with people"), "Working with people") << "no Welsh catalogue built";
  std::string error;
  EXPECT_TRUE(RunWords(*k,
                       "tap-label Working with people\ntap-label Show what fits\n"
                       "expect-text Careers that fit\n",
                       &error))
      << error;
}

TEST(SubjectsJourneyTest, BiologyOffersItsOwnSubjectAreasNotThoseOfEveryCareerUsingIt) {
  // Biology -> psychologist and -> secondary teacher are careers worth
  // showing; "Humanities" and "Childcare and education" are not subject areas
  // a Biology student is pointed to.
  auto k = testing::MakeKiosk(testing::HeadlessOptions(1080, 1920));
  ASSERT_TRUE(k);
  k->GoToScreen(Screen::kSubjects);
  std::string error;
  EXPECT_TRUE(RunWords(*k,
                       "scroll-to Biology\ntap-label Biology\n"
                       "expect-text Health and social care\nexpect-text Sport and public services\n"
                       "expect-text Psychologist\n"
                       "expect-no-text Humanities and social sciences\n"
                       "expect-no-text Childcare and education\n"
                       "expect-no-text Hair, beauty and wellbeing\n",
                       &error))
      << error;
}

// [SECTION] The interests table on the sample catalogue ---------------------------------

class InterestsTableTest : public ::testing::Test {
 protected:
  void SetUp() override {
    backend_.path = testing::SampleCatalogue();
    ASSERT_TRUE(backend_.EnsureOpen()) << backend_.status.ToString();
  }
  Backend backend_;
};

TEST_F(InterestsTableTest, EveryInterestFindsCareersAndCoursesOnMoreThanOneRoute) {
  std::set<std::string> keys;
  for (const Interest& in : Interests()) {
    SCOPED_TRACE(in.key);
    EXPECT_TRUE(keys.insert(in.key).second) << "two interests share a key";
    EXPECT_FALSE(in.areas.empty());
    EXPECT_FALSE(in.soc.empty());
    for (const char* soc : in.soc) {
      const std::string s(soc);
      EXPECT_TRUE(!s.empty() && s.size() <= 4 &&
                  std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
          << "not a SOC 2020 prefix: " << s;
    }
    const InterestMatches m = FindForInterests(backend_, {in.key}, 0, 10, 7, std::nullopt);
    EXPECT_FALSE(m.failed);
    EXPECT_GE(m.careers.size(), 2u) << "careers";
    int routes = 0;
    for (std::int64_t n : m.route_counts) routes += n > 0;
    EXPECT_GE(routes, 2) << "routes with courses";
    EXPECT_EQ(m.rows.size(), std::min<std::size_t>(10, static_cast<std::size_t>(m.total)));
  }
}

TEST_F(InterestsTableTest, EverySubjectAreaWithCoursesIsReachedFromSomeInterest) {
  // A student who starts from what they enjoy can reach every kind of course
  // in the catalogue, except basic skills and Access courses, which are not
  // something anyone "enjoys" into (an adviser offers them).
  const std::set<std::string> not_an_interest = {"English, maths and ESOL",
                                                 "Access to higher education"};
  std::set<std::string> reached;
  for (const Interest& in : Interests()) reached.insert(in.areas.begin(), in.areas.end());
  cat::SearchRequest all;
  auto r = backend_.engine->Search(all);
  ASSERT_TRUE(r.ok());
  ASSERT_GT(r->facets().subject_area.size(), 15u);
  for (const auto& [area, count] : r->facets().subject_area) {
    if (!not_an_interest.count(area)) {
      EXPECT_TRUE(reached.count(area)) << area << " (" << count << " courses) has no interest";
    }
  }
}

TEST_F(InterestsTableTest, CombiningInterestsJoinsThemAndTheyTakeTurnsInTheCareers) {
  const InterestMatches animals = FindForInterests(backend_, {"animals"}, 0, 0, 1, std::nullopt);
  const InterestMatches tech = FindForInterests(backend_, {"tech"}, 0, 0, 1, std::nullopt);
  const InterestMatches both =
      FindForInterests(backend_, {"animals", "tech"}, 0, 0, 1, std::nullopt);
  EXPECT_EQ(both.total, animals.total + tech.total) << "no area in common, so the sum";
  EXPECT_EQ(both.careers.size(), animals.careers.size() + tech.careers.size());
  ASSERT_GE(both.careers.size(), 4u);
  // Turns: the first career is an animal one, the second a tech one.
  auto in = [](const InterestMatches& m, std::int64_t rowid) {
    return std::any_of(m.careers.begin(), m.careers.end(),
                       [&](const auto& c) { return c.first == rowid; });
  };
  EXPECT_TRUE(in(animals, both.careers[0].first));
  EXPECT_TRUE(in(tech, both.careers[1].first));
  // A route filter narrows the list to that route and keeps the counts of all.
  const std::uint8_t app = 1u << static_cast<int>(cat::Route::kApprenticeship);
  const InterestMatches only = FindForInterests(backend_, {"tech"}, app, 50, 1, std::nullopt);
  EXPECT_EQ(only.total, tech.route_counts[static_cast<int>(cat::Route::kApprenticeship)]);
  for (const auto& row : only.rows) EXPECT_EQ(row.route, cat::Route::kApprenticeship);
  EXPECT_TRUE(
      FindForInterests(backend_, {"no-such-interest"}, 0, 10, 1, std::nullopt).careers.empty());
}

}  // namespace
}  // namespace signpost::kiosk
