// One draw function per screen (kiosk/screens/<name>.cpp), in the manner of
// ImHex's view_*.cpp drawContent(). Each draws into the current ImGui window's
// content region, reads UI state from app.session() and data from the App's
// views, and changes screens only through App navigation calls.
// Thread safety: UI thread only, inside App::Frame().
#pragma once

#include "kiosk/app.h"

namespace signpost::kiosk::screens {

void DrawAttract(App& app);
void DrawHome(App& app);
void DrawSearch(App& app);
void DrawDetail(App& app);
void DrawCareers(App& app);
void DrawCareer(App& app);
void DrawEvents(App& app);
void DrawSubjects(App& app);
void DrawShortlist(App& app);
void DrawHelp(App& app);
void DrawPin(App& app);
void DrawTechnician(App& app);

// Shared pieces.
// A results row for an opportunity (used by search and shortlist screens).
// Returns true when the row body was tapped; the star toggles the shortlist.
bool OpportunityRow(App& app, const catalogue::OpportunitySummary& s, float width, float height);
float OpportunityRowHeight(const Theme& t);
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
// Technician: "Export usage report to USB" (usage_export.cpp).
void DrawUsageExport(App& app);

}  // namespace signpost::kiosk::screens
