#include <gtest/gtest.h>

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
  EXPECT_TRUE(p->out.SkippedFor("malformed DTSTART '2026-10-01'"));
  EXPECT_TRUE(p->out.SkippedFor("missing SUMMARY"));
  EXPECT_TRUE(p->out.SkippedFor("invalid UTF-8"));
  EXPECT_EQ(p->out.Event("last-year@kirkhaven-college.example"), nullptr);
  EXPECT_EQ(p->out.Event("cancelled@kirkhaven-college.example"), nullptr);
  EXPECT_EQ(p->out.events.size(), 75u);
}

TEST(IcalendarTest, OtherTimeZonesAreReadAsUtcAndNoted) {
  auto p = ParseIcs(ReadFixture("icalendar/events.ics"));
  const auto* e = p->out.Event("new-york@kirkhaven-college.example");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->start, At("2026-11-20T15:00:00Z"));
  ASSERT_EQ(p->notes.size(), 1u);
  EXPECT_NE(p->notes[0].find("America/New_York"), std::string::npos);
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

}  // namespace
}  // namespace signpost::sync
