// The kiosk's screens, one line each: the Screen value, the name scripts and
// --screen use, and the View class (kiosk/screens/<file>.cpp defines
// `std::unique_ptr<View> Make<Class>()`). Adding a screen is its own file and
// one line here; the Screen enum, ScreenName/ParseScreen and MakeView() are
// all built from this list.
// Thread safety: a list of names; nothing to guard.
#pragma once

// X(enum value, script name, view class)
#define SIGNPOST_KIOSK_SCREENS(X)             \
  X(kAttract, "attract", AttractScreen)       \
  X(kHome, "home", HomeScreen)                \
  X(kSearch, "search", SearchScreen)          \
  X(kDetail, "detail", DetailScreen)          \
  X(kCareers, "careers", CareersScreen)       \
  X(kCareer, "career", CareerScreen)          \
  X(kWaysIn, "ways-in", WaysInScreen)         \
  X(kEvents, "events", EventsScreen)          \
  X(kEvent, "event", EventScreen)             \
  X(kProvider, "provider", ProviderScreen)    \
  X(kSubjects, "subjects", SubjectsScreen)    \
  X(kInterests, "interests", InterestsScreen) \
  X(kShortlist, "shortlist", ShortlistScreen) \
  X(kCompare, "compare", CompareScreen)       \
  X(kHelp, "help", HelpScreen)                \
  X(kPin, "pin", PinScreen)                   \
  X(kTechnician, "technician", TechnicianScreen)
