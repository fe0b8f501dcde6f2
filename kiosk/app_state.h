// UI state of the kiosk as small value structs (in the manner of Tracy's
// ViewData): which screen is showing, the student's search and filters, the
// shortlist and the accessibility settings. Content never lives here: it stays
// in the catalogue and is fetched through DataService.
//
// A Session holds what a student chose that more than one screen uses (the
// back stack, the search, the shortlist, settings); each screen's own state
// lives in its View (view.h). Ending the session (idle timeout) replaces the
// Session and every View, so nothing they did survives. KioskConfig
// is the technician's configuration and is never wiped.
// Thread safety: plain values, owned by the UI thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/screens/registry.h"
#include "signpost/model.h"

namespace signpost::kiosk {

// One value per screen, from the screen list (kiosk/screens/registry.h).
enum class Screen : std::uint8_t {
#define SIGNPOST_SCREEN_ENUM(id, name, cls) id,
  SIGNPOST_KIOSK_SCREENS(SIGNPOST_SCREEN_ENUM)
#undef SIGNPOST_SCREEN_ENUM
};
inline constexpr int kScreenCount = 0
#define SIGNPOST_SCREEN_COUNT(id, name, cls) +1
    SIGNPOST_KIOSK_SCREENS(SIGNPOST_SCREEN_COUNT)
#undef SIGNPOST_SCREEN_COUNT
    ;
std::string_view ScreenName(Screen s);                     // "home", "search", ...
std::optional<Screen> ParseScreen(std::string_view name);  // inverse of ScreenName

struct NavEntry {
  Screen screen = Screen::kHome;
  std::int64_t id = 0;  // rowid of the opportunity/career/event shown, 0 = none
  float scroll = 0;     // scroll position to restore when coming back
  std::string key;      // a text id (a provider's), "" = none
};

// Accessibility and language: changed from the accessibility bar.
struct Settings {
  int text_size = 0;           // 0 normal, 1 large, 2 largest
  bool high_contrast = false;  // black/white/yellow theme
  bool dyslexia_font = false;  // OpenDyslexic instead of DejaVu Sans
  bool read_aloud = false;     // speak items when they open (espeak-ng)
  std::string language = "en";
  bool operator==(const Settings&) const = default;
};

struct SearchState {
  std::string text;                        // what the student typed
  std::uint8_t routes = 0;                 // 1 << Route bitmask, 0 = all
  std::uint16_t levels = 0;                // 1 << level bitmask, 0 = all
  std::uint8_t modes = 0;                  // 1 << StudyMode bitmask, 0 = all
  std::vector<std::string> subject_areas;  // empty = all
  int within_miles = 0;                    // 0 = any distance; else one of kDistanceBandsMiles
  bool starting_soon = false;              // starts within the next 6 months
  bool by_closing = false;                 // apprenticeships only: closing soonest first
  bool keyboard_open = false;              // on-screen keyboard showing
  bool filters_open = false;               // the "more filters" panel showing
  bool operator==(const SearchState&) const = default;
};

// The distance filter's bands, in round miles (a mile is 1.609344 km).
inline constexpr int kDistanceBandsMiles[] = {5, 10, 25, 50};
inline constexpr double kKmPerMile = 1.609344;

// One shortlisted opportunity or event, copied at the moment it was added so
// the take-away QR code works even if the catalogue refreshes.
struct ShortlistItem {
  enum class Kind : std::uint8_t { kOpportunity, kEvent };
  std::int64_t rowid = 0;  // of the opportunity or the event
  catalogue::Route route = catalogue::Route::kFurtherEducation;
  std::string title;
  std::string provider;
  std::string contact;  // phone or email; an event: when and where
  std::string url;      // an event: where to book
  Kind kind = Kind::kOpportunity;
};

// "Near me": a postcode a visitor gave, used for every distance until the
// session ends (the kiosk's own place otherwise).
struct NearMe {
  std::string postcode;                      // as normalised ("LS6 3QT"); "" = the kiosk's place
  std::optional<catalogue::GeoPoint> point;  // where it is (offline postcode table)
  bool looking_up = false;                   // the lookup is on its way
  std::string not_found;                     // a postcode the table does not know
};

struct Session {
  std::vector<NavEntry> nav = {NavEntry{Screen::kAttract}};  // back stack, top = current
  SearchState search;  // what Search shows (other screens open it with a query)
  std::vector<ShortlistItem> shortlist;
  NearMe near;             // distances from a visitor's postcode
  Settings settings;       // starts as KioskConfig::defaults
  std::uint64_t seed = 0;  // fair-shuffle seed for this session

  Screen screen() const { return nav.back().screen; }
  bool Shortlisted(std::int64_t rowid,
                   ShortlistItem::Kind kind = ShortlistItem::Kind::kOpportunity) const {
    for (const auto& s : shortlist)
      if (s.rowid == rowid && s.kind == kind) return true;
    return false;
  }
};

// [kiosk.printer]: a USB thermal receipt printer (ESC/POS) for take-away slips.
struct PrinterConfig {
  bool enabled = false;                 // offer "Print a slip" on the shortlist
  std::string device = "/dev/usb/lp0";  // the printer's device file (usblp)
  int paper_width_mm = 80;              // 58 (32 columns) or 80 (48 columns)
  bool ascii_only = false;              // charset "ascii": no PC858, plain ASCII only
};

// [kiosk.branding]: an open-day host's name, logo and header colour. Never
// changes what is listed or in which order (impartiality).
struct BrandingConfig {
  std::string host_name;         // "Hosted by <name>"; "" = no branding
  std::string logo_path;         // a PNG at most 400x120, checked; "" = none
  std::uint32_t accent_rgb = 0;  // header colour 0xRRGGBB, when has_accent
  bool has_accent = false;       // accent_colour given and readable (contrast checked)
  bool any() const { return !host_name.empty() || !logo_path.empty() || has_accent; }
};

// The technician's configuration (command line / config file). Never wiped.
struct KioskConfig {
  std::string catalogue_path;  // SQLite catalogue to read
  std::string postcode;        // where the kiosk stands, for distances
  double idle_timeout_s = 90;  // session ends after this long untouched
  double still_there_s = 15;   // "still there?" countdown before the end
  double attract_slide_s = 8;  // attract loop: seconds per highlight
  double refresh_poll_s = 2;   // how often to check for new data
  std::string pin_hash_path;   // file with the technician PIN hash (when pin_hash is unset)
  // [kiosk] technician_pin_hash: the hash itself; "" = no technician screen
  // (empty or invalid in the file); nullopt = key absent, read pin_hash_path.
  std::optional<std::string> pin_hash;
  std::string pin_lockout_path;  // PIN back-off state (survives restarts); "" = in memory only
  Settings defaults;             // settings each session starts with
  std::string site_name;         // the school/venue (slip header, technician)
  std::vector<std::string> languages;  // language button, in order; empty = every translation
  std::string sync_request_file = "/var/lib/signpost/sync-now";  // "Sync now" creates this
  PrinterConfig printer;
  BrandingConfig branding;
  std::string usage_path;  // anonymous usage counters (usage.db); "" = not counted
};

}  // namespace signpost::kiosk
