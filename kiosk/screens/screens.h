// Pieces shared by screens (kiosk/screens/<name>.cpp; each screen is a View,
// see view.h and registry.h): the results row, plain words for routes, levels,
// study modes and dates, and the school's own content.
// Thread safety: UI thread only, inside App::Frame().
#pragma once

#include "kiosk/app.h"

namespace signpost::kiosk::screens {

// A results row for an opportunity (used by search and shortlist screens).
// Returns true when the row body was tapped; the star toggles the shortlist.
// A result row: the title, then its distance and start date (never cut),
// then route, level, provider and place. A height under the normal one
// (OpportunityRowHeight(t, true)) draws the compact row for short screens.
bool OpportunityRow(App& app, const catalogue::OpportunitySummary& s, float width, float height);
float OpportunityRowHeight(const Theme& t, bool compact = false);
// "5 miles away · Apply by 7 Sep · Starts 14 Sep": distance and dates.
std::string RowFacts(App& app, const catalogue::OpportunitySummary& s);
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
// "Apply by 30 Nov" / "Closed" / "".
std::string ClosingText(const std::optional<Day>& closing);

// The school's own content (local_content.cpp).
std::string LocalHelpLine(App& app);           // the adviser drop-in's title, "" = none
void DrawSchoolPanel(App& app, float width);   // notices, school events, links
void DrawSchoolEvents(App& app, float width);  // the school's own events (events screen)
// A former student's story matching the subject area (else the route); false = none.
bool DrawAlumniBeside(App& app, const std::string& subject_area, catalogue::Route route,
                      float width);

}  // namespace signpost::kiosk::screens
