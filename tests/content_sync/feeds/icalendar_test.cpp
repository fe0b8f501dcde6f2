#include <gtest/gtest.h>

#include <chrono>

#include "feeds/adapters.h"
#include "recording_import.h"

namespace signpost::sync {
namespace {

using catalogue::EventKind;
using testing::ReadFixture;
using testing::RecordingImport;

UnixTime At(const char* iso) { return *ParseIsoTimestamp(iso); }

struct Parsed {
  RecordingImport out;
  std::vector<std::string> notes;
  Status status;
};

std::unique_ptr<Parsed> ParseIcs(const std::string& ics, int max_occurrences = 500) {
  auto p = std::make_unique<Parsed>();
  IcalendarOptions options;
  options.now = At("2026-09-01T00:00:00Z");
  options.max_occurrences = max_occurrences;
  options.notes = &p->notes;
  p->status = MakeIcalendarAdapter(options)->Parse(ics, 0, p->out);
  return p;
}

std::string Calendar(const std::string& events) {
  return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n" + events + "END:VCALENDAR\r\n";
}

int CountWithPrefix(const RecordingImport& out, const std::string& prefix) {
  int n = 0;
  for (const auto& e : out.events) n += e.source_id.rfind(prefix, 0) == 0 ? 1 : 0;
  return n;
}

TEST(IcalendarTest, SingleEventWithLondonTimeFoldingAndEscapes) {
  auto p = ParseIcs(ReadFixture("icalendar/events.ics"));
  ASSERT_TRUE(p->status.ok()) << p->status.ToString();
  const auto* e = p->out.Event("open-evening-2026@kirkhaven-college.example");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->title, "Open Evening: courses, T Levels and apprenticeships");
  EXPECT_EQ(e->start, At("2026-10-15T17:00:00Z"));  // 18:00 BST
  EXPECT_EQ(e->end, At("2026-10-15T19:00:00Z"));
  EXPECT_FALSE(e->all_day);
  EXPECT_EQ(e->kind, EventKind::kOpenDay);
  EXPECT_EQ(e->location_name, "Kirkhaven College, Moor Lane, Kirkhaven, KH1 4QT");
  EXPECT_EQ(e->postcode, "KH1 4QT");
  ASSERT_TRUE(e->location.has_value());
  EXPECT_DOUBLE_EQ(e->location->lat, 53.7965);
  EXPECT_EQ(e->url, "https://www.kirkhaven-college.example/open-evening");
  EXPECT_EQ(e->description,
            "Meet our tutors and see the workshops.\nFree parking; no need to book.");
  const auto bit = [](catalogue::Route r) { return 1u << static_cast<unsigned>(r); };
  EXPECT_EQ(e->routes, bit(catalogue::Route::kTLevel) | bit(catalogue::Route::kApprenticeship));
}

TEST(IcalendarTest, AllDayEventUsesTheDateAndExclusiveEnd) {
  auto p = ParseIcs(ReadFixture("icalendar/events.ics"));
  const auto* e = p->out.Event("taster-day-2026@kirkhaven-college.example");
  ASSERT_NE(e, nullptr);
  EXPECT_TRUE(e->all_day);
  EXPECT_EQ(e->start, At("2026-11-04T00:00:00Z"));
  EXPECT_EQ(e->end, At("2026-11-05T00:00:00Z"));
  EXPECT_EQ(e->kind, EventKind::kTasterDay);
}

TEST(IcalendarTest, WeeklyRruleExpandsWithExdateOverrideAndClockChange) {
  auto p = ParseIcs(ReadFixture("icalendar/events.ics"));
  const std::string uid = "adviser-dropin@kirkhaven-college.example/";
  // Tue/Thu 1 Sep - 29 Oct = 18, minus EXDATE 8 Sep, 10 Sep replaced by its override.
  EXPECT_EQ(CountWithPrefix(p->out, uid), 17);
  const auto* first = p->out.Event(uid + "20260901T150000Z");
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->end - first->start, 3600);
  EXPECT_EQ(p->out.Event(uid + "20260908T150000Z"), nullptr);  // EXDATE
  const auto* moved = p->out.Event(uid + "20260910T150000Z");
  ASSERT_NE(moved, nullptr);
  EXPECT_EQ(moved->title, "Careers adviser drop-in (moved to 5pm)");
  EXPECT_EQ(moved->start, At("2026-09-10T16:00:00Z"));
  // After the clocks go back on 25 Oct, 16:00 local is 16:00 UTC.
  EXPECT_NE(p->out.Event(uid + "20261022T150000Z"), nullptr);
  EXPECT_NE(p->out.Event(uid + "20261027T160000Z"), nullptr);
  EXPECT_NE(p->out.Event(uid + "20261029T160000Z"), nullptr);
  EXPECT_EQ(p->out.Event(uid + "20261103T160000Z"), nullptr);  // after UNTIL
}

TEST(IcalendarTest, MonthlyByDayWithCountAndDuration) {
  auto p = ParseIcs(ReadFixture("icalendar/events.ics"));
  const std::string uid = "uni-talk@kirkhaven-college.example/";
  EXPECT_EQ(CountWithPrefix(p->out, uid), 3);
  for (const char* when : {"20260902T183000Z", "20261007T183000Z", "20261104T183000Z"}) {
    const auto* e = p->out.Event(uid + when);
    ASSERT_NE(e, nullptr) << when;
    EXPECT_EQ(e->end - e->start, 5400);
    EXPECT_EQ(e->kind, EventKind::kTalk);
    EXPECT_EQ(e->routes, 1u << static_cast<unsigned>(catalogue::Route::kHigherEducation));
  }
}

TEST(IcalendarTest, OpenEndedRruleStopsAtTheHorizon) {
  auto p = ParseIcs(ReadFixture("icalendar/events.ics"));
  const std::string uid = "weekly-forever@kirkhaven-college.example/";
  EXPECT_EQ(CountWithPrefix(p->out, uid), 52);  // Wednesdays 2 Sep 2026 .. 25 Aug 2027
  EXPECT_NE(p->out.Event(uid + "20260902T100000Z"), nullptr);
  EXPECT_NE(p->out.Event(uid + "20270825T100000Z"), nullptr);
  for (const auto& e : p->out.events) EXPECT_LT(e.start, At("2027-09-01T00:00:00Z")) << e.source_id;
}

TEST(IcalendarTest, BadEventsAreSkippedAndCountedAndPastOnesLeftOut) {
  auto p = ParseIcs(ReadFixture("icalendar/events.ics"));
  EXPECT_EQ(p->out.skipped(), 4) << ::testing::PrintToString(p->out.skips);
  EXPECT_TRUE(p->out.SkippedFor("missing UID"));
  EXPECT_TRUE(p->out.SkippedFor("malformed DTSTART"));
  EXPECT_TRUE(p->out.SkippedFor("missing SUMMARY"));
  EXPECT_TRUE(p->out.SkippedFor("invalid UTF-8"));
  EXPECT_EQ(p->out.Event("last-year@kirkhaven-college.example"), nullptr);
  EXPECT_EQ(p->out.Event("cancelled@kirkhaven-college.example"), nullptr);
  EXPECT_EQ(p->out.events.size(), 75u);
}

TEST(IcalendarTest, OtherIanaTimeZonesAreConvertedProperly) {
  auto p = ParseIcs(ReadFixture("icalendar/events.ics"));
  const auto* e = p->out.Event("new-york@kirkhaven-college.example");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->start, At("2026-11-20T20:00:00Z"));  // 15:00 in New York (EST)
  EXPECT_EQ(e->end, At("2026-11-20T21:00:00Z"));
  EXPECT_TRUE(p->notes.empty()) << ::testing::PrintToString(p->notes);
}

TEST(IcalendarTest, LondonTimeSwitchesOnTheLastSundayOfMarch) {
  auto p = ParseIcs(Calendar(
      "BEGIN:VEVENT\r\nUID:a\r\nSUMMARY:Before\r\nDTSTART;TZID=Europe/"
      "London:20270327T120000\r\nEND:VEVENT\r\n"
      "BEGIN:VEVENT\r\nUID:b\r\nSUMMARY:After\r\nDTSTART;TZID=Europe/"
      "London:20270328T120000\r\nEND:VEVENT\r\n"
      "BEGIN:VEVENT\r\nUID:c\r\nSUMMARY:Floating\r\nDTSTART:20270701T090000\r\nEND:VEVENT\r\n"));
  ASSERT_TRUE(p->status.ok());
  EXPECT_EQ(p->out.Event("a")->start, At("2027-03-27T12:00:00Z"));
  EXPECT_EQ(p->out.Event("b")->start, At("2027-03-28T11:00:00Z"));
  EXPECT_EQ(p->out.Event("c")->start, At("2027-07-01T08:00:00Z"));  // floating = UK time
}

TEST(IcalendarTest, ByteOrderMarkAndBareLineFeedsAreAccepted) {
  auto p = ParseIcs(
      "\xEF\xBB\xBF"
      "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:h\nSUMMARY:Fair\n"
      "DTSTART:20261005T090000Z\nEND:VEVENT\nEND:VCALENDAR\n");
  ASSERT_TRUE(p->status.ok());
  ASSERT_NE(p->out.Event("h"), nullptr);
  EXPECT_EQ(p->out.Event("h")->kind, EventKind::kCareersFair);
}

TEST(IcalendarTest, CountIncludesOccurrencesBeforeNow) {
  auto p = ParseIcs(
      Calendar("BEGIN:VEVENT\r\nUID:d\r\nSUMMARY:Summer school\r\nDTSTART:20260801T090000Z\r\n"
               "DTEND:20260801T100000Z\r\nRRULE:FREQ=DAILY;COUNT=40\r\nEND:VEVENT\r\n"));
  EXPECT_EQ(p->out.events.size(), 9u);  // 1-9 Sep of 1 Aug + 40 days
}

TEST(IcalendarTest, OccurrenceCapIsHard) {
  auto p =
      ParseIcs(Calendar("BEGIN:VEVENT\r\nUID:e\r\nSUMMARY:Daily\r\nDTSTART:20260801T090000Z\r\n"
                        "RRULE:FREQ=DAILY\r\nEND:VEVENT\r\n"),
               10);
  EXPECT_EQ(p->out.events.size(), 10u);
}

TEST(IcalendarTest, MonthlyByMonthDayAndLastWeekday) {
  auto p = ParseIcs(
      Calendar("BEGIN:VEVENT\r\nUID:f\r\nSUMMARY:Last Friday\r\nDTSTART:20260925T120000Z\r\n"
               "RRULE:FREQ=MONTHLY;BYDAY=-1FR;COUNT=3\r\nEND:VEVENT\r\n"
               "BEGIN:VEVENT\r\nUID:g\r\nSUMMARY:The 31st\r\nDTSTART:20261031T120000Z\r\n"
               "RRULE:FREQ=MONTHLY;BYMONTHDAY=31;COUNT=2\r\nEND:VEVENT\r\n"));
  EXPECT_NE(p->out.Event("f/20260925T120000Z"), nullptr);
  EXPECT_NE(p->out.Event("f/20261030T120000Z"), nullptr);
  EXPECT_NE(p->out.Event("f/20261127T120000Z"), nullptr);
  EXPECT_NE(p->out.Event("g/20261031T120000Z"), nullptr);
  EXPECT_NE(p->out.Event("g/20261231T120000Z"), nullptr);  // November has no 31st
}

TEST(IcalendarTest, HtmlAndNonCalendarPayloadsAreRefused) {
  auto p = ParseIcs(ReadFixture("common/login_page.html"));
  ASSERT_FALSE(p->status.ok());
  EXPECT_NE(p->status.message().find("HTML page"), std::string::npos);
  EXPECT_FALSE(ParseIcs("hello")->status.ok());
  EXPECT_FALSE(ParseIcs("")->status.ok());
}

// Outlook's way of writing a date and a rule (FORMATS.md section 8): a
// Windows zone name with its VTIMEZONE, and "first Tuesday" as BYSETPOS.
constexpr const char* kOutlookZone =
    "BEGIN:VTIMEZONE\r\nTZID:GMT Standard Time\r\nBEGIN:STANDARD\r\nDTSTART:16010101T020000\r\n"
    "TZOFFSETFROM:+0100\r\nTZOFFSETTO:+0000\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r\n"
    "END:STANDARD\r\nBEGIN:DAYLIGHT\r\nDTSTART:16010101T010000\r\nTZOFFSETFROM:+0000\r\n"
    "TZOFFSETTO:+0100\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\r\nEND:DAYLIGHT\r\n"
    "END:VTIMEZONE\r\n";

TEST(IcalendarTest, OutlooksFirstTuesdayOfTheMonthIsTwelveEventsAYearNotFiftyTwo) {
  auto p = ParseIcs(std::string("BEGIN:VCALENDAR\r\nPRODID:-//Microsoft Corporation//Outlook "
                                "16.0 MIMEDIR//EN\r\nVERSION:2.0\r\n") +
                    kOutlookZone +
                    "BEGIN:VEVENT\r\nUID:advice@college\r\nSUMMARY:Careers drop-in\r\n"
                    "DTSTART;TZID=\"GMT Standard Time\":20260901T160000\r\n"
                    "DTEND;TZID=\"GMT Standard Time\":20260901T170000\r\n"
                    "RRULE:FREQ=MONTHLY;BYDAY=TU;BYSETPOS=1\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");
  ASSERT_TRUE(p->status.ok()) << p->status.ToString();
  EXPECT_EQ(p->out.events.size(), 12u);
  const auto* september = p->out.Event("advice@college/20260901T150000Z");  // BST
  ASSERT_NE(september, nullptr);
  EXPECT_EQ(september->end - september->start, 3600);
  EXPECT_NE(p->out.Event("advice@college/20261201T160000Z"), nullptr);  // GMT in winter
  EXPECT_NE(p->out.Event("advice@college/20270706T150000Z"), nullptr);  // 6 July: 1st Tuesday
  EXPECT_EQ(p->out.Event("advice@college/20260908T150000Z"), nullptr);  // not every Tuesday
  EXPECT_TRUE(p->notes.empty()) << ::testing::PrintToString(p->notes);
}

TEST(IcalendarTest, OutlookDisplayNameTzidsAreUkTimeSoSummerEventsAreNotAnHourLate) {
  auto p = ParseIcs(
      Calendar("BEGIN:VEVENT\r\nUID:open@college\r\nSUMMARY:Summer open evening\r\n"
               "DTSTART;TZID=\"(UTC+00:00) Dublin, Edinburgh, Lisbon, London\":20270624T180000\r\n"
               "END:VEVENT\r\n"
               "BEGIN:VEVENT\r\nUID:winter@college\r\nSUMMARY:Winter open evening\r\n"
               "DTSTART;TZID=\"(UTC+00:00) Dublin, Edinburgh, Lisbon, London\":20261126T180000\r\n"
               "END:VEVENT\r\n"));
  ASSERT_TRUE(p->status.ok());
  ASSERT_NE(p->out.Event("open@college"), nullptr);
  EXPECT_EQ(p->out.Event("open@college")->start, At("2027-06-24T17:00:00Z"));
  EXPECT_EQ(p->out.Event("winter@college")->start, At("2026-11-26T18:00:00Z"));
  EXPECT_TRUE(p->notes.empty()) << ::testing::PrintToString(p->notes);
}

TEST(IcalendarTest, OtherWindowsZonesAndVendorPrefixesAreMappedToo) {
  auto p = ParseIcs(Calendar(
      "BEGIN:VEVENT\r\nUID:berlin\r\nSUMMARY:Exchange fair\r\n"
      "DTSTART;TZID=W. Europe Standard Time:20270115T100000\r\nEND:VEVENT\r\n"
      "BEGIN:VEVENT\r\nUID:paris\r\nSUMMARY:Webinar\r\n"
      "DTSTART;TZID=\"(UTC+01:00) Brussels, Copenhagen, Madrid, Paris\":20270715T100000\r\n"
      "END:VEVENT\r\n"
      "BEGIN:VEVENT\r\nUID:mozilla\r\nSUMMARY:Talk\r\n"
      "DTSTART;TZID=/mozilla.org/20050126_1/Europe/London:20270715T100000\r\nEND:VEVENT\r\n"));
  ASSERT_TRUE(p->status.ok());
  EXPECT_EQ(p->out.Event("berlin")->start, At("2027-01-15T09:00:00Z"));
  EXPECT_EQ(p->out.Event("paris")->start, At("2027-07-15T08:00:00Z"));
  EXPECT_EQ(p->out.Event("mozilla")->start, At("2027-07-15T09:00:00Z"));
  EXPECT_TRUE(p->notes.empty()) << ::testing::PrintToString(p->notes);
}

TEST(IcalendarTest, AnUnknownTzidFallsBackToItsVtimezoneThenUtcAndSaysSo) {
  auto p = ParseIcs(
      "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VTIMEZONE\r\nTZID:Kirkhaven Local\r\n"
      "BEGIN:STANDARD\r\nDTSTART:19700101T000000\r\nTZOFFSETTO:+0200\r\nTZOFFSETFROM:+0200\r\n"
      "END:STANDARD\r\nEND:VTIMEZONE\r\n"
      "BEGIN:VEVENT\r\nUID:local\r\nSUMMARY:Fair\r\nDTSTART;TZID=Kirkhaven "
      "Local:20270115T100000\r\n"
      "END:VEVENT\r\n"
      "BEGIN:VEVENT\r\nUID:nowhere\r\nSUMMARY:Fair\r\nDTSTART;TZID=Nowhere Time:20270115T100000\r\n"
      "END:VEVENT\r\nEND:VCALENDAR\r\n");
  ASSERT_TRUE(p->status.ok());
  EXPECT_EQ(p->out.Event("local")->start, At("2027-01-15T08:00:00Z"));
  EXPECT_EQ(p->out.Event("nowhere")->start, At("2027-01-15T10:00:00Z"));
  ASSERT_EQ(p->notes.size(), 2u) << ::testing::PrintToString(p->notes);
  EXPECT_NE(p->notes[0].find("Kirkhaven Local"), std::string::npos);
  EXPECT_NE(p->notes[1].find("'Nowhere Time' is not a known zone: times read as UTC"),
            std::string::npos);
}

TEST(IcalendarTest, FloatingTimesUseTheCalendarsOwnZone) {
  auto p = ParseIcs(
      "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nX-WR-TIMEZONE:America/New_York\r\n"
      "BEGIN:VEVENT\r\nUID:f\r\nSUMMARY:Talk\r\nDTSTART:20270115T100000\r\nEND:VEVENT\r\n"
      "END:VCALENDAR\r\n");
  ASSERT_TRUE(p->status.ok());
  EXPECT_EQ(p->out.Event("f")->start, At("2027-01-15T15:00:00Z"));
}

TEST(IcalendarTest, YearlyRulesWithByMonthAndExtraDatesExpand) {
  auto p = ParseIcs(Calendar(
      "BEGIN:VEVENT\r\nUID:y\r\nSUMMARY:Open day\r\nDTSTART;TZID=Europe/London:20261107T100000\r\n"
      "RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SA\r\n"
      "RDATE;TZID=Europe/London:20270320T100000\r\nEND:VEVENT\r\n"));
  ASSERT_TRUE(p->status.ok());
  ASSERT_EQ(p->out.events.size(), 2u) << ::testing::PrintToString(p->notes);
  EXPECT_NE(p->out.Event("y/20261107T100000Z"), nullptr);  // 1st Saturday of November
  EXPECT_NE(p->out.Event("y/20270320T100000Z"), nullptr);  // the extra date
}

TEST(IcalendarTest, ACalendarCutShortIsAFailedDownloadNotFewerEvents) {
  const std::string whole = ReadFixture("icalendar/events.ics");
  for (std::size_t keep : {whole.size() - 15, whole.size() / 2, std::size_t{200}}) {
    auto p = ParseIcs(whole.substr(0, keep));
    ASSERT_FALSE(p->status.ok()) << keep;
    EXPECT_NE(p->status.message().find("truncated download"), std::string::npos)
        << p->status.message();
  }
  auto closed_badly = ParseIcs(Calendar("BEGIN:VEVENT\r\nUID:x\r\nSUMMARY:y\r\nEND:VALARM\r\n"));
  EXPECT_FALSE(closed_badly->status.ok());
}

TEST(IcalendarTest, NestingAHundredThousandDeepIsRefusedWithoutACrash) {
  std::string ics = "BEGIN:VCALENDAR\r\n";
  for (int i = 0; i < 100000; ++i) ics += "BEGIN:VEVENT\r\n";
  for (int i = 0; i < 100000; ++i) ics += "END:VEVENT\r\n";
  ics += "END:VCALENDAR\r\n";
  auto p = ParseIcs(ics);
  ASSERT_FALSE(p->status.ok());
  EXPECT_NE(p->status.message().find("nested deeper than 8"), std::string::npos)
      << p->status.message();
}

// 5,000 daily events without COUNT would be 1.8 million occurrences a year:
// over the feed's cap, the feed fails (and keeps its old data).
TEST(IcalendarTest, FiveThousandEndlessDailyEventsFailTheFeedInsteadOfFlooding) {
  std::string events;
  for (int i = 0; i < 5000; ++i) {
    events += "BEGIN:VEVENT\r\nUID:d" + std::to_string(i) +
              "\r\nSUMMARY:Daily\r\nDTSTART:20260901T090000Z\r\nRRULE:FREQ=DAILY\r\nEND:VEVENT\r\n";
  }
  const auto started = std::chrono::steady_clock::now();
  auto p = ParseIcs(Calendar(events));
  ASSERT_FALSE(p->status.ok());
  EXPECT_NE(p->status.message().find("more than 20,000 events"), std::string::npos)
      << p->status.message();
  EXPECT_LE(p->out.events.size(), 20000u);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(30));
}

TEST(IcalendarTest, RulesThatNeedTooManyStepsFailTheFeed) {
  IcalendarOptions options;
  options.now = At("2026-09-01T00:00:00Z");
  options.max_feed_steps = 100;
  RecordingImport out;
  const std::string ics = Calendar(
      "BEGIN:VEVENT\r\nUID:w\r\nSUMMARY:Weekly\r\nDTSTART:20260901T090000Z\r\n"
      "RRULE:FREQ=DAILY;COUNT=5000\r\nEND:VEVENT\r\n");
  Status s = MakeIcalendarAdapter(options)->Parse(ics, 0, out);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("more than 100 steps"), std::string::npos) << s.message();
}

TEST(IcalendarTest, HourlyRulesGiveTheFirstOccurrenceAndANote) {
  auto p =
      ParseIcs(Calendar("BEGIN:VEVENT\r\nUID:h\r\nSUMMARY:Slots\r\nDTSTART:20261001T090000Z\r\n"
                        "RRULE:FREQ=SECONDLY\r\nEND:VEVENT\r\n"));
  ASSERT_TRUE(p->status.ok());
  EXPECT_EQ(p->out.events.size(), 1u);
  ASSERT_EQ(p->notes.size(), 1u);
  EXPECT_NE(p->notes[0].find("FREQ=SECONDLY not supported"), std::string::npos);
}

}  // namespace
}  // namespace signpost::sync
