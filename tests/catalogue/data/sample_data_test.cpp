// Tests for the bundled sample catalogue (assets/sample) and its loader.
#include "signpost/sample_data.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "data_test_util.h"
#include "signpost/search.h"

namespace signpost {
namespace {

using catalogue::Catalogue;
using catalogue::OpportunityKind;
using catalogue::Route;
using testing::RecordingImport;
using testing::TempDir;

const std::string kSampleDir = SIGNPOST_TEST_SAMPLE_DIR;
const Day kToday = DayFromCivil(2026, 11, 25);

std::unique_ptr<Catalogue> OpenFresh(const TempDir& dir, const std::string& name = "c.db") {
  auto c = Catalogue::Open(dir.File(name));
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  return c.ok() ? std::move(c.value()) : nullptr;
}

// A catalogue with the sample loaded for `today`.
struct Loaded {
  TempDir dir;
  std::unique_ptr<Catalogue> cat;
  catalogue::ImportReport report;
  Status status;
  explicit Loaded(Day today = kToday) : cat(OpenFresh(dir)) {
    if (cat) status = LoadSampleCatalogue(cat.get(), kSampleDir, today, &report);
  }
};

RecordingImport ReadFeed(const std::string& feed, Day today = kToday,
                         const std::string& dir = kSampleDir) {
  RecordingImport r;
  Status s = ReadSampleFeed(dir, today, feed, &r);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return r;
}

// Copies the sample to a temp dir so a test can damage one file.
void CopySample(const TempDir& to) {
  for (const auto& e : std::filesystem::directory_iterator(kSampleDir)) {
    std::filesystem::copy_file(e.path(), std::filesystem::path(to.path()) / e.path().filename());
  }
}

std::string ReadText(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void WriteText(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::trunc);
  out << text;
}

int WeekdayMon0(Day d) { return ((d + 3) % 7 + 7) % 7; }

// [SECTION] Loading into a catalogue ---------------------------------------------

TEST(SampleDataTest, LoadsIntoAFreshCatalogueWithEveryRoute) {
  Loaded l;
  ASSERT_TRUE(l.status.ok()) << l.status.ToString();
  EXPECT_EQ(l.report.skipped, 0) << (l.report.problems.empty() ? "" : l.report.problems[0]);
  EXPECT_EQ(l.report.expired, 0);
  auto st = l.cat->Stats();
  ASSERT_TRUE(st.ok()) << st.status().ToString();
  EXPECT_GE(st->opportunities, 300);
  EXPECT_LE(st->opportunities, 450);
  for (Route r : catalogue::kAllRoutes) {
    EXPECT_GE(st->by_route[static_cast<int>(r)], 25) << catalogue::RouteKey(r);
  }
  EXPECT_GE(st->providers, 25);
  EXPECT_LE(st->providers, 40);
  EXPECT_GE(st->events, 35);
  EXPECT_GE(st->careers, 60);
  EXPECT_GE(st->lmi_figures, 4 * 60);
  EXPECT_GT(st->local_items, 10);
  EXPECT_GT(st->subject_links, 100);
  EXPECT_GT(st->postcodes, 1000);
  EXPECT_TRUE(st->is_sample);
  EXPECT_EQ(st->name, "Sample catalogue: West Yorkshire");
  std::set<std::string> feeds;
  for (const auto& f : st->feeds) feeds.insert(f.feed);
  for (const std::string& f : SampleFeedNames()) EXPECT_TRUE(feeds.count(f)) << f;
}

TEST(SampleDataTest, SetsSampleMetaAndAKioskPostcodeThatIsInTheTable) {
  Loaded l;
  ASSERT_TRUE(l.status.ok()) << l.status.ToString();
  EXPECT_EQ(l.cat->GetMeta("is_sample").value_or(""), "1");
  EXPECT_EQ(l.cat->GetMeta("sample_today").value_or(""), "2026-11-25");
  const std::string pc = l.cat->GetMeta("kiosk_postcode").value_or("");
  ASSERT_EQ(pc, "LS6 3QT");
  auto at = l.cat->LookupPostcode(pc);
  ASSERT_TRUE(at.has_value());
  EXPECT_NEAR(at->lat, 53.82, 0.05);
  EXPECT_NEAR(at->lon, -1.58, 0.05);
  // Any postcode in a sample district finds the district.
  auto district = l.cat->LookupPostcode("HD9 7ZZ");
  ASSERT_TRUE(district.has_value());
  EXPECT_NEAR(district->lat, 53.58, 0.02);
}

TEST(SampleDataTest, LoadingTwiceGivesTheSameCatalogue) {
  Loaded l;
  ASSERT_TRUE(l.status.ok()) << l.status.ToString();
  auto first = l.cat->Stats();
  ASSERT_TRUE(first.ok());
  catalogue::ImportReport again;
  Status s = LoadSampleCatalogue(l.cat.get(), kSampleDir, kToday, &again);
  ASSERT_TRUE(s.ok()) << s.ToString();
  auto second = l.cat->Stats();
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->opportunities, first->opportunities);
  EXPECT_EQ(second->providers, first->providers);
  EXPECT_EQ(second->careers, first->careers);
  EXPECT_EQ(second->lmi_figures, first->lmi_figures);
  EXPECT_EQ(second->events, first->events);
  EXPECT_EQ(second->local_items, first->local_items);
  EXPECT_EQ(second->subject_links, first->subject_links);
  EXPECT_EQ(second->postcodes, first->postcodes);
  for (int r = 0; r < catalogue::kRouteCount; ++r)
    EXPECT_EQ(second->by_route[r], first->by_route[r]);
  EXPECT_EQ(again.accepted, l.report.accepted);
  EXPECT_GT(again.previous, 0);  // every feed replaced its own previous set
}

TEST(SampleDataTest, RemovingTheSampleLeavesOtherFeedsAlone) {
  Loaded l;
  ASSERT_TRUE(l.status.ok()) << l.status.ToString();
  {
    auto import = l.cat->BeginImport("real-courses", {kToday});
    ASSERT_TRUE(import.ok());
    catalogue::Provider p;
    p.id = "ukprn:10000001";
    p.name = "A Real-Feed College";
    ASSERT_TRUE((*import)->AddProvider(p).ok());
    catalogue::Opportunity o;
    o.source_id = "c1";
    o.title = "Bricklaying Level 1";
    o.provider_id = p.id;
    ASSERT_TRUE((*import)->AddOpportunity(o).ok());
    ASSERT_TRUE((*import)->Commit().ok());
  }
  Status s = RemoveSampleCatalogue(l.cat.get());
  ASSERT_TRUE(s.ok()) << s.ToString();
  auto st = l.cat->Stats();
  ASSERT_TRUE(st.ok());
  EXPECT_FALSE(st->is_sample);
  EXPECT_EQ(st->name, "");
  EXPECT_EQ(st->opportunities, 1);
  EXPECT_EQ(st->providers, 1);
  EXPECT_EQ(st->careers, 0);
  EXPECT_EQ(st->events, 0);
  EXPECT_EQ(st->local_items, 0);
  EXPECT_EQ(st->subject_links, 0);
  EXPECT_EQ(st->postcodes, 0);
  EXPECT_EQ(l.cat->GetMeta("kiosk_postcode").value_or(""), "");
}

TEST(SampleDataTest, EveryEventIsInTheFutureAndNamesItsProvider) {
  Loaded l;
  ASSERT_TRUE(l.status.ok()) << l.status.ToString();
  const UnixTime start_of_today = static_cast<UnixTime>(kToday) * 86400;
  auto events = l.cat->UpcomingEvents(start_of_today);
  ASSERT_TRUE(events.ok()) << events.status().ToString();
  auto st = l.cat->Stats();
  EXPECT_EQ(static_cast<std::int64_t>(events->size()), st->events);
  std::set<catalogue::EventKind> kinds;
  for (const auto& e : *events) {
    EXPECT_GT(e.event.start, start_of_today) << e.event.title;
    EXPECT_GT(e.event.end, e.event.start) << e.event.title;
    EXPECT_FALSE(e.provider_name.empty()) << e.event.title;
    kinds.insert(e.event.kind);
  }
  EXPECT_TRUE(kinds.count(catalogue::EventKind::kOpenDay));
  EXPECT_TRUE(kinds.count(catalogue::EventKind::kTasterDay));
  EXPECT_TRUE(kinds.count(catalogue::EventKind::kCareersFair));
}

TEST(SampleDataTest, CareersHaveLabourMarketFiguresForTheArea) {
  Loaded l;
  ASSERT_TRUE(l.status.ok()) << l.status.ToString();
  auto careers = l.cat->SearchCareers("", 500);
  ASSERT_TRUE(careers.ok()) << careers.status().ToString();
  ASSERT_GE(careers->size(), 60u);
  for (const auto& c : *careers) {
    EXPECT_FALSE(c.career.soc_code.empty()) << c.career.title;
    EXPECT_GT(c.career.salary_starter, 0) << c.career.title;
    EXPECT_GE(c.career.salary_experienced, c.career.salary_starter) << c.career.title;
    EXPECT_FALSE(c.career.overview.empty()) << c.career.title;
    EXPECT_FALSE(c.career.entry_college.empty()) << c.career.title;
    std::set<catalogue::LmiMetric> metrics;
    for (const auto& f : c.lmi) {
      if (f.area == "West Yorkshire") metrics.insert(f.metric);
    }
    EXPECT_EQ(metrics.size(), 4u) << c.career.title << " lacks local labour-market figures";
  }
}

TEST(SampleDataTest, LocalContentHasDropInsAndAlumniStoriesForEveryRoute) {
  Loaded l;
  ASSERT_TRUE(l.status.ok()) << l.status.ToString();
  auto dropins = l.cat->LocalItems(catalogue::LocalKind::kAdviserDropIn, kToday);
  ASSERT_TRUE(dropins.ok());
  EXPECT_GE(dropins->size(), 2u);
  bool how_to_book = false;
  for (const auto& d : *dropins) how_to_book |= d.body.find("book") != std::string::npos;
  EXPECT_TRUE(how_to_book);
  auto stories = l.cat->LocalItems(catalogue::LocalKind::kAlumniStory, kToday);
  ASSERT_TRUE(stories.ok());
  EXPECT_GE(stories->size(), 4u);
  EXPECT_LE(stories->size(), 6u);
  std::set<Route> routes;
  for (const auto& s : *stories) {
    ASSERT_TRUE(s.route.has_value()) << s.title;
    routes.insert(*s.route);
    EXPECT_FALSE(s.leads_to.empty()) << s.title;
  }
  EXPECT_GE(routes.size(), 4u);
  auto notices = l.cat->LocalItems(catalogue::LocalKind::kNotice, kToday);
  ASSERT_TRUE(notices.ok());
  EXPECT_GE(notices->size(), 2u);
}

TEST(SampleDataTest, SchoolSubjectsLeadToSubjectAreasAndCareers) {
  Loaded l;
  ASSERT_TRUE(l.status.ok()) << l.status.ToString();
  auto subjects = l.cat->SchoolSubjects();
  ASSERT_TRUE(subjects.ok());
  for (const char* s :
       {"Art",       "Biology", "Business", "Chemistry", "Computing", "Design and Technology",
        "Drama",     "English", "Food",     "Geography", "History",   "Languages",
        "Maths",     "Media",   "Music",    "PE",        "Physics",   "Psychology",
        "Sociology", "French",  "Spanish",  "Statistics"}) {
    EXPECT_NE(std::find(subjects->begin(), subjects->end(), s), subjects->end()) << s;
  }
  auto bio = l.cat->SubjectLinks("biology");
  ASSERT_TRUE(bio.ok());
  bool area = false, career = false;
  for (const auto& link : *bio) {
    area |= link.subject_area == "Science and maths";
    career |= link.career_source_id == "adult-nurse";
  }
  EXPECT_TRUE(area);
  EXPECT_TRUE(career);
}

// The subject links' review: subject_links_test.cpp.

TEST(SampleDataTest, EverySubjectLinkLeadsToCoursesThatExist) {
  // A link to a subject area with no courses would be a dead end for a student.
  Loaded l;
  ASSERT_TRUE(l.status.ok()) << l.status.ToString();
  auto engine = catalogue::SearchEngine::Create(l.cat.get());
  ASSERT_TRUE(engine.ok()) << engine.status().ToString();
  auto subjects = l.cat->SchoolSubjects();
  ASSERT_TRUE(subjects.ok());
  for (const std::string& subject : *subjects) {
    auto links = l.cat->SubjectLinks(subject);
    ASSERT_TRUE(links.ok());
    EXPECT_FALSE(links->empty()) << subject;
    for (const auto& link : *links) {
      catalogue::SearchRequest req;
      req.subject_areas = {link.subject_area};
      auto res = (*engine)->Search(req);
      ASSERT_TRUE(res.ok());
      EXPECT_GT(res->size(), 0) << subject << " -> " << link.subject_area;
    }
  }
}

TEST(SampleDataTest, SearchFindsSampleCoursesAcrossRoutes) {
  Loaded l;
  ASSERT_TRUE(l.status.ok()) << l.status.ToString();
  auto engine = catalogue::SearchEngine::Create(l.cat.get());
  ASSERT_TRUE(engine.ok()) << engine.status().ToString();
  catalogue::SearchRequest req;
  req.text = "nursing";
  auto res = (*engine)->Search(req);
  ASSERT_TRUE(res.ok()) << res.status().ToString();
  EXPECT_GT(res->size(), 3);
  EXPECT_GT(res->facets().route[static_cast<int>(Route::kHigherEducation)], 0);
  EXPECT_GT(res->facets().route[static_cast<int>(Route::kApprenticeship)], 0);
}

TEST(SampleDataTest, AVacancyShowsItsEmployerTrainingProviderAndWorkplace) {
  Loaded l;
  ASSERT_TRUE(l.status.ok()) << l.status.ToString();
  auto engine = catalogue::SearchEngine::Create(l.cat.get());
  ASSERT_TRUE(engine.ok()) << engine.status().ToString();
  catalogue::SearchRequest req;
  req.text = "apprentice bricklayer";
  req.routes = 1 << static_cast<int>(Route::kApprenticeship);
  auto res = (*engine)->Search(req);
  ASSERT_TRUE(res.ok());
  bool found = false;
  for (std::int64_t row : res->Rows(0, res->size())) {
    auto rec = l.cat->GetOpportunity(row);
    ASSERT_TRUE(rec.ok()) << rec.status().ToString();
    if (rec->opportunity.title != "Apprentice Bricklayer") continue;
    found = true;
    EXPECT_EQ(rec->opportunity.employer, "Tarnfield Construction");
    EXPECT_EQ(rec->provider.name, "Brackenridge College");
    EXPECT_EQ(rec->opportunity.location_name, "Leeds");
    EXPECT_EQ(rec->opportunity.wage_text,
              "\xC2\xA3"
              "7.55 an hour");
  }
  EXPECT_TRUE(found);
}

// [SECTION] Records and dates ------------------------------------------------------

TEST(SampleDataTest, CoursesReadAsRealDataWithEntryRequirementsAndStarts) {
  RecordingImport r = ReadFeed("sample-courses");
  ASSERT_GT(r.opportunities, 250);
  std::set<std::string> ids;
  bool gcse_resit = false, esol = false, access = false, entry_level = false;
  for (const auto& o : r.opportunity_list) {
    EXPECT_TRUE(ids.insert(o.source_id).second) << o.source_id;
    EXPECT_FALSE(o.title.empty());
    EXPECT_GE(o.description.size(), 60u) << o.source_id;
    EXPECT_FALSE(o.entry_requirements.empty()) << o.source_id;
    EXPECT_FALSE(o.entry_requirements.starts_with("@")) << o.source_id;
    EXPECT_FALSE(o.cost_text.starts_with("@")) << o.source_id;
    EXPECT_TRUE(o.location.has_value()) << o.source_id;
    EXPECT_TRUE(o.start.has_value() || o.flexible_start) << o.source_id;
    if (o.start) {
      EXPECT_GE(*o.start, kToday) << o.source_id;
    }
    gcse_resit |= o.title.find("GCSE") != std::string::npos;
    esol |= o.title.find("ESOL") != std::string::npos;
    access |= o.title.find("Access to Higher Education") != std::string::npos;
    entry_level |= o.level == 0;
  }
  EXPECT_TRUE(gcse_resit);
  EXPECT_TRUE(esol);
  EXPECT_TRUE(access);
  EXPECT_TRUE(entry_level);
}

TEST(SampleDataTest, SeptemberStartsAreTheNextSeptemberOnAMonday) {
  RecordingImport r = ReadFeed("sample-courses");
  int septembers = 0;
  for (const auto& o : r.opportunity_list) {
    if (!o.start) continue;
    int y;
    unsigned m, d;
    CivilFromDay(*o.start, &y, &m, &d);
    if (m != 9) continue;
    ++septembers;
    EXPECT_EQ(y, 2027) << o.source_id;
    EXPECT_EQ(WeekdayMon0(*o.start), 0) << o.source_id << " starts on " << FormatIsoDate(*o.start);
  }
  EXPECT_GT(septembers, 200);
  // Before September the next term is this year's.
  RecordingImport summer = ReadFeed("sample-courses", DayFromCivil(2027, 7, 1));
  for (const auto& o : summer.opportunity_list) {
    if (!o.start) continue;
    int y;
    unsigned m, d;
    CivilFromDay(*o.start, &y, &m, &d);
    if (m == 9) {
      EXPECT_EQ(y, 2027) << o.source_id;
    }
  }
}

TEST(SampleDataTest, VacanciesHaveWagesAndClosingDatesThatMoveWithToday) {
  RecordingImport now = ReadFeed("sample-vacancies");
  RecordingImport later = ReadFeed("sample-vacancies", kToday + 100);
  ASSERT_EQ(now.opportunities, later.opportunities);
  int vacancies = 0, degree = 0, hourly = 0;
  std::set<int> levels;
  for (std::size_t i = 0; i < now.opportunity_list.size(); ++i) {
    const auto& a = now.opportunity_list[i];
    const auto& b = later.opportunity_list[i];
    ASSERT_EQ(a.source_id, b.source_id);
    if (a.kind != OpportunityKind::kApprenticeshipVacancy) {
      EXPECT_TRUE(a.flexible_start) << a.source_id;
      continue;
    }
    ++vacancies;
    levels.insert(a.level);
    degree += a.level >= 6;
    hourly += a.wage_text.find("an hour") != std::string::npos;
    EXPECT_FALSE(a.wage_text.empty()) << a.source_id;
    EXPECT_FALSE(a.employer.empty()) << a.source_id;
    EXPECT_EQ(a.expires, a.closing) << a.source_id;
    EXPECT_GT(a.wage_annual, 10000) << a.source_id;
    ASSERT_TRUE(a.closing && b.closing && a.start && b.start) << a.source_id;
    EXPECT_GT(*a.closing, kToday) << a.source_id;
    EXPECT_GE(*a.start, *a.closing) << a.source_id;
    EXPECT_EQ(*b.closing - *a.closing, 100) << a.source_id;
    EXPECT_NEAR(*b.start - *a.start, 100, 14) << a.source_id;  // starts are Mondays
    EXPECT_EQ(WeekdayMon0(*a.start), 0) << a.source_id;
  }
  EXPECT_GE(vacancies, 30);
  EXPECT_GE(degree, 3);
  EXPECT_GE(hourly, 3);
  EXPECT_TRUE(levels.count(2) && levels.count(3) && levels.count(6) && levels.count(7));
}

TEST(SampleDataTest, EventTimesAreUkLocalTimeInWinterAndSummer) {
  // 25 Nov is GMT: a 10:00 start is 10:00 UTC. 1 June is BST: 10:00 is 09:00 UTC.
  for (Day today : {kToday, DayFromCivil(2027, 6, 1)}) {
    RecordingImport r = ReadFeed("sample-events", today);
    ASSERT_GE(r.events, 35);
    for (const auto& e : r.event_list) {
      if (e.source_id.rfind("ev-brackenridge-open/", 0) != 0) continue;
      const Day day = DayOf(e.start);
      int y;
      unsigned m, d;
      CivilFromDay(day, &y, &m, &d);
      if (m == 3 || m == 10) continue;  // changeover months: not needed here
      const bool bst = m >= 4 && m <= 9;
      EXPECT_EQ(e.start, static_cast<UnixTime>(day) * 86400 + (bst ? 9 : 10) * 3600) << e.source_id;
    }
  }
}

bool InChristmasBreak(Day d) {
  int y;
  unsigned m, dd;
  CivilFromDay(d, &y, &m, &dd);
  return (m == 12 && dd >= 22) || (m == 1 && dd <= 2);
}

TEST(SampleDataTest, WhateverTheDateEventsAndStartsFallOnSensibleDays) {
  // Every 19th day over a year: no Sunday events, evening events Monday to
  // Thursday, vacancies start on a Monday, nothing in the Christmas break,
  // and no two events of a series land on the same day.
  for (Day today = kToday; today < kToday + 366; today += 19) {
    RecordingImport events = ReadFeed("sample-events", today);
    std::set<std::string> ids;
    for (const auto& e : events.event_list) {
      EXPECT_TRUE(ids.insert(e.source_id).second) << e.source_id;
      const Day day = DayOf(e.start);
      EXPECT_GT(day, today) << e.source_id;
      EXPECT_NE(WeekdayMon0(day), 6) << e.source_id << " on a Sunday";
      EXPECT_FALSE(InChristmasBreak(day)) << e.source_id;
      const UnixTime local_hour = (e.start % 86400) / 3600;  // UTC; local is +0 or +1
      if (local_hour >= 15) {
        EXPECT_LE(WeekdayMon0(day), 3) << e.source_id << " is an evening event at a weekend";
      }
    }
    RecordingImport vacancies = ReadFeed("sample-vacancies", today);
    for (const auto& o : vacancies.opportunity_list) {
      if (!o.start) continue;
      EXPECT_EQ(WeekdayMon0(*o.start), 0) << o.source_id;
      EXPECT_FALSE(InChristmasBreak(*o.start)) << o.source_id;
      EXPECT_GE(*o.start, *o.closing) << o.source_id;
    }
  }
}

TEST(SampleDataTest, EventsMoveByWholeWeeksAndNoDayIsCrowded) {
  // Every third day over two years: each event series keeps its weekday (a
  // "Saturday taster" is on a Saturday whatever today is), and no day has
  // more than four events (a calendar with ten on one day looks fake), even
  // when the Christmas break moves events out of it.
  std::map<std::string, int> weekday_of;  // event id -> weekday, from the first load
  for (Day today = kToday; today < kToday + 730; today += 3) {
    RecordingImport events = ReadFeed("sample-events", today);
    ASSERT_GT(events.event_list.size(), 20u);
    std::map<Day, int> per_day;
    for (const auto& e : events.event_list) {
      const std::string id = e.source_id.substr(0, e.source_id.find('/'));
      const Day day = DayOf(e.start);
      auto [it, first] = weekday_of.emplace(id, WeekdayMon0(day));
      EXPECT_EQ(WeekdayMon0(day), it->second)
          << e.source_id << " moved to another weekday (today " << FormatIsoDate(today) << ")";
      ++per_day[day];
    }
    for (const auto& [day, n] : per_day)
      EXPECT_LE(n, 4) << FormatIsoDate(day) << " has " << n << " events (today "
                      << FormatIsoDate(today) << ")";
  }
  ASSERT_TRUE(weekday_of.count("ev-brightwell-codeclub"));
  EXPECT_EQ(weekday_of["ev-brightwell-codeclub"], 5) << "the Saturday taster is not on a Saturday";
}

TEST(SampleDataTest, AnEventOnASundayOrAnEveningAtTheWeekendIsRefused) {
  TempDir dir;
  CopySample(dir);
  const std::string path = dir.File("events.json");
  std::string text = ReadText(path);
  const std::string saturday = "\"weekday\": \"sat\"";
  ASSERT_NE(text.find(saturday), std::string::npos);
  std::string sunday = text;
  sunday.replace(sunday.find(saturday), saturday.size(), "\"weekday\": \"sun\"");
  WriteText(path, sunday);
  RecordingImport r;
  Status s = ReadSampleFeed(dir.path(), kToday, "sample-events", &r);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("\"weekday\" \"sun\""), std::string::npos) << s.ToString();

  // The Riverbank open evening (16:30) on a Friday.
  std::string friday = text;
  const std::string evening = "\"in_days\": [9, 72, 135], \"weekday\": \"thu\"";
  ASSERT_NE(friday.find(evening), std::string::npos);
  friday.replace(friday.find(evening), evening.size(),
                 "\"in_days\": [9, 72, 135], \"weekday\": \"fri\"");
  WriteText(path, friday);
  s = ReadSampleFeed(dir.path(), kToday, "sample-events", &r);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("ev-riverbank-open"), std::string::npos) << s.ToString();
  EXPECT_NE(s.message().find("evening event on a fri"), std::string::npos) << s.ToString();
}

TEST(SampleDataTest, LocalItemsShowAndExpireRelativeToToday) {
  RecordingImport r = ReadFeed("sample-local");
  bool windowed = false;
  for (const auto& item : r.local_list) {
    if (!item.ends) continue;
    windowed = true;
    EXPECT_GT(*item.ends, kToday) << item.source_id;
    if (item.starts) {
      EXPECT_LE(*item.starts, *item.ends) << item.source_id;
    }
  }
  EXPECT_TRUE(windowed);
}

TEST(SampleDataTest, ReadingAFeedTwiceGivesIdenticalRecords) {
  for (const std::string& feed : SampleFeedNames()) {
    EXPECT_EQ(ReadFeed(feed).hash, ReadFeed(feed).hash) << feed;
  }
  EXPECT_NE(ReadFeed("sample-vacancies").hash, ReadFeed("sample-vacancies", kToday + 1).hash);
}

// [SECTION] Failures -------------------------------------------------------------------

TEST(SampleDataTest, MalformedJsonGivesAStatusNamingTheFileAndPosition) {
  TempDir dir;
  CopySample(dir);
  const std::string path = dir.File("courses.json");
  std::string text = ReadText(path);
  text.insert(text.find("\"courses\""), "}}");
  WriteText(path, text);
  TempDir db;
  auto cat = OpenFresh(db);
  ASSERT_TRUE(cat);
  Status s = LoadSampleCatalogue(cat.get(), dir.path(), kToday);
  EXPECT_EQ(s.code(), Status::Code::kCorrupt) << s.ToString();
  EXPECT_NE(s.message().find("courses.json"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("byte"), std::string::npos) << s.message();
  // Nothing was imported: the catalogue is left as it was.
  auto st = cat->Stats();
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->opportunities, 0);
  EXPECT_FALSE(st->is_sample);
}

TEST(SampleDataTest, AFieldOfTheWrongTypeNamesTheFileAndTheRecord) {
  TempDir dir;
  CopySample(dir);
  const std::string path = dir.File("careers.json");
  std::string text = ReadText(path);
  const std::string from = "\"id\": \"midwife\", \"title\": \"Midwife\"";
  ASSERT_NE(text.find(from), std::string::npos);
  text.replace(text.find(from), from.size(), "\"id\": \"midwife\", \"title\": 7");
  WriteText(path, text);
  RecordingImport r;
  Status s = ReadSampleFeed(dir.path(), kToday, "sample-careers", &r);
  EXPECT_EQ(s.code(), Status::Code::kCorrupt);
  EXPECT_NE(s.message().find("careers.json"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("midwife"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("title"), std::string::npos) << s.message();
}

TEST(SampleDataTest, AnOfferOfAnUnknownCourseIsReported) {
  TempDir dir;
  CopySample(dir);
  const std::string path = dir.File("courses.json");
  std::string text = ReadText(path);
  const std::string from = "\"fe-esol-16-18\", \"fe-access-science\"";
  ASSERT_NE(text.find(from), std::string::npos);
  text.replace(text.find(from), from.size(), "\"fe-esol-16-18\", \"fe-basket-weaving\"");
  WriteText(path, text);
  RecordingImport r;
  Status s = ReadSampleFeed(dir.path(), kToday, "sample-courses", &r);
  EXPECT_EQ(s.code(), Status::Code::kCorrupt);
  EXPECT_NE(s.message().find("fe-basket-weaving"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("courses.json"), std::string::npos) << s.message();
}

TEST(SampleDataTest, AMissingFileIsNotFoundAndNamed) {
  TempDir dir;
  CopySample(dir);
  std::filesystem::remove(dir.File("events.json"));
  TempDir db;
  auto cat = OpenFresh(db);
  ASSERT_TRUE(cat);
  Status s = LoadSampleCatalogue(cat.get(), dir.path(), kToday);
  EXPECT_EQ(s.code(), Status::Code::kNotFound) << s.ToString();
  EXPECT_NE(s.message().find("events.json"), std::string::npos) << s.message();
  EXPECT_EQ(ReadSampleInfo(dir.path() + "/nowhere").status().code(), Status::Code::kNotFound);
}

TEST(SampleDataTest, AnUnknownFeedNameIsRefused) {
  RecordingImport r;
  EXPECT_EQ(ReadSampleFeed(kSampleDir, kToday, "sample-nope", &r).code(),
            Status::Code::kInvalidArgument);
}

TEST(SampleDataTest, DefaultSampleDirPrefersTheEnvironmentThenTheSourceTree) {
  ::setenv("SIGNPOST_SAMPLE_DIR", "/somewhere/else", 1);
  EXPECT_EQ(DefaultSampleDir(), "/somewhere/else");
  ::unsetenv("SIGNPOST_SAMPLE_DIR");
  const std::string dir = DefaultSampleDir();
  EXPECT_TRUE(std::filesystem::exists(std::filesystem::path(dir) / "manifest.json")) << dir;
  auto info = ReadSampleInfo(dir);
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_EQ(info->area, "West Yorkshire");
}

}  // namespace
}  // namespace signpost
