// Pieces shared by screens (kiosk/screens/<name>.cpp; each screen is a View,
// see view.h and registry.h): the results row, plain words for routes, levels,
// study modes and dates, and the school's own content.
// Thread safety: UI thread only, inside App::Frame().
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "kiosk/app.h"

namespace signpost::kiosk::screens {

// A results row for an opportunity (used by search and shortlist screens).
// Returns true when the row body was tapped; the star toggles the shortlist.
// A result row: the title, then its distance and start date (never cut),
// then route, level, provider and place. A height under the normal one
// (OpportunityRowHeight(t, true)) draws the compact row for short screens.
bool OpportunityRow(App& app, const catalogue::OpportunitySummary& s, float width, float height);
float OpportunityRowHeight(const Theme& t, bool compact = false);
// "5 miles away · Closes in 3 days · Starts 14 Sep": distance and dates
// (`with_closing` false: without when it closes).
std::string RowFacts(App& app, const catalogue::OpportunitySummary& s, Day today = TodayUtc(),
                     bool with_closing = true);
// The route chips, shared equally (Search, open days): "All routes" and the
// four routes with their counts (null: no counts) when they fit on one line,
// else the four routes in equal shares (none chosen is all routes). Impartial
// by construction: every route's chip is on screen at the same size.
void DrawRouteChips(App& app, std::uint8_t* routes,
                    const std::array<std::int64_t, catalogue::kRouteCount>* counts);
// A tappable box showing `text` (or the placeholder) and, while the keyboard
// is open, a caret; tapping it opens the on-screen keyboard.
void SearchBox(App& app, std::string* text, bool* keyboard_open, float width,
               const char* placeholder, float height = 0);
const char* RouteName(catalogue::Route r);     // translated "Apprenticeships", ...
const char* RouteGlyph(catalogue::Route r);    // a letter for the route disc
std::string LevelText(int level);              // translated plain words
const char* ModeText(catalogue::StudyMode m);  // translated "Full time", ...
// "Starts 7 Sep 2026", "Start any time", "" when unknown.
std::string StartText(const std::optional<Day>& start, bool flexible);
// "Apply by Mon 30 Nov 2026" / "Closed" / "", and when that is within a month
// "Apply by Mon 30 Nov 2026  ·  Closes in 9 days" (`today`: the clock; tests
// pass a fixed day).
std::string ClosingText(const std::optional<Day>& closing, Day today = TodayUtc());
// Vacancies (and anything else with a closing date): "Closes today",
// "Closes tomorrow", "Closes in 9 days" up to a month ahead, then "Apply by
// 30 Nov"; "Closed" once past.
std::string ClosesInText(Day closing, Day today);
// Applications close within a week: the "Closing soon" tag on rows and the
// detail screen.
inline constexpr int kClosingSoonDays = 7;
bool ClosingSoon(const std::optional<Day>& closing, Day today);
// Posted today or in the 6 days before (by the kiosk's clock, whole days as
// for the closing date; a date up to a day ahead, a feed's clock running
// early, counts as today): the "New" tag.
inline constexpr int kNewDays = 7;
bool PostedRecently(const std::optional<Day>& posted, Day today);
// The tags on a vacancy's row and detail screen: small pills outlined in a
// text colour on the card's own surface (readable in both palettes).
enum class RowTag { kNew, kClosingSoon };
const char* RowTagText(RowTag tag);  // translated "New", "Closing soon"
float RowTagWidth(const Theme& t, RowTag tag);
void DrawRowTag(App& app, ImDrawList* dl, ImVec2 at, RowTag tag);
// The tags a vacancy has today, "New" first.
std::vector<RowTag> RowTags(const std::optional<Day>& posted, const std::optional<Day>& closing,
                            Day today);
// Their width side by side, with `gap` between them.
float RowTagsWidth(const Theme& t, const std::vector<RowTag>& tags, float gap);

// Events (events.cpp): their kind, day and time in the kiosk's time zone.
const char* EventKindText(catalogue::EventKind k);        // translated "Open day", ...
const char* EventLabel(const catalogue::EventRecord& e);  // as EventKindText; "School event"
Day EventDay(const catalogue::Event& e);                  // the local day it starts
std::string EventWhen(const catalogue::Event& e, bool with_year);  // "Sat 19 Dec, 10:00 – 13:00"
std::string EventShortDate(const catalogue::Event& e);             // "Sat 19 Dec"
// Adds an event to the shortlist (when, where and the booking link go with
// it), or takes it off.
void ToggleShortlist(App& app, const catalogue::EventRecord& e);

// "Near me" (near_me.cpp): where distances are measured from, and the
// postcode a visitor can give instead of the kiosk's place (kept until the
// session ends).
struct PostcodeEntry {
  std::string text;   // the postcode being typed
  bool open = false;  // the postcode box and keyboard are showing
};
// "Distances from this kiosk" or "from LS6 3QT", "Use a postcode" / "Change
// postcode" and, while a postcode is in use, "Use this kiosk".
void DrawNearMe(App& app, PostcodeEntry* entry, float width);
// The postcode box and keyboard in the space left; Done looks the postcode
// up in the catalogue's offline table and says when it is not known.
void DrawPostcodeKeyboard(App& app, PostcodeEntry* entry);
// "from LS6 3QT" or "from here" (translated).
std::string DistancesFrom(App& app);

// The school's own content (local_content.cpp).
std::string LocalHelpLine(App& app);          // the adviser drop-in's title, "" = none
void DrawSchoolPanel(App& app, float width);  // notices, school events, links
// The school's own events (local pack) as events, so the open days list
// groups them by day and the event screen opens them: the row id is minus
// the local item's (IsSchoolEvent). SchoolEvents: the current ones, soonest first.
catalogue::EventRecord SchoolEventRecord(const catalogue::LocalItem& item);
std::vector<catalogue::EventRecord> SchoolEvents(App& app);
inline bool IsSchoolEvent(const catalogue::EventRecord& e) { return e.rowid < 0; }
// A former student's story, only in context: one whose subject area is
// `subject_area`, or whose story leads to `career` (a job title; "" = any
// career does not count). Never a story from another area as filler. False
// when none matches.
bool DrawAlumniStory(App& app, const std::string& subject_area, const std::string& career,
                     float width);

}  // namespace signpost::kiosk::screens
