// App: the kiosk's navigation, session, chrome and services. Screens are
// Views (view.h), one file each under kiosk/screens/, each owning its own
// view state and data requests; the App keeps only what more than one
// screen shares:
//   - navigation (the back stack) and the session (search, shortlist,
//     settings, the "near me" postcode), wiped with every View when the
//     session ends;
//   - the chrome around screens: top bar, accessibility bar, "still there?";
//   - services: the DataService that talks to the catalogue on a worker
//     thread, the catalogue's metadata (freshness, the kiosk's location),
//     the school's local content, read aloud, the slip printer, usage counts.
// Frame() builds one Dear ImGui frame: the chrome around the current View.
//
// The App knows nothing of SDL windows or renderers (see platform.h): it
// receives input as text/keys/activity and a clock, so tests can drive it
// with a virtual clock.
// Thread safety: UI thread only (DataService answers arrive as UI callbacks).
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kiosk/app_state.h"
#include "kiosk/data_service.h"
#include "kiosk/i18n.h"
#include "kiosk/pin_lockout.h"
#include "kiosk/slip_printer.h"
#include "kiosk/speech.h"
#include "kiosk/theme.h"
#include "kiosk/usage_tracker.h"
#include "kiosk/view.h"
#include "signpost/catalogue.h"
#include "signpost/search.h"

namespace signpost::kiosk {

// [SECTION] Shared data ---------------------------------------------------------

// The catalogue's metadata: whether it opened, freshness, the kiosk's place.
struct MetaView {
  bool loaded = false;
  bool available = false;  // catalogue opened
  std::string problem;     // why not, for the technician
  bool is_sample = false;
  catalogue::CatalogueStats stats;
  std::vector<catalogue::SyncState> sync;
  bool has_origin = false;                    // distances can be shown
  std::optional<catalogue::GeoPoint> origin;  // where the kiosk stands
  std::string sample_day;  // meta sample_today: the day the sample was loaded for
  bool full = false;       // stats were counted (technician view)
  // Feeds content-sync marked degraded, with its sentence (full only).
  std::vector<std::pair<std::string, std::string>> degraded;
};

// The school's local content pack, used by several screens.
struct LocalView {
  std::uint64_t version = 0;
  bool loading = false;
  bool loaded = false;
  std::vector<catalogue::LocalItem> adviser;  // adviser drop-ins / booking
  std::vector<catalogue::LocalItem> stories;  // alumni stories
  std::vector<catalogue::LocalItem> school;   // notices, school events, links (help screen)
};

// [SECTION] App ---------------------------------------------------------------

class App {
 public:
  App(KioskConfig config, std::function<void()> wake);
  ~App();

  // Input (from the platform layer). `now` is the app clock in seconds.
  void OnActivity(double now);    // any touch/key: resets the idle timer
  void OnText(const char* utf8);  // physical keyboard text, to the screen's typing target
  void OnKey(int sdl_keycode);    // backspace, return; Escape does nothing
  // Timer: check the catalogue for new data (on the worker; an unchanged
  // catalogue draws nothing). True when this screen shows what the tick may
  // have changed (technician: sync state, USB sticks), so a frame is due.
  bool OnRefreshTick();
  // Runs the data service's answers (outside a frame too, so the event loop
  // can tell whether anything visible arrived); returns how many change what
  // is shown.
  int RunDataCallbacks();
  bool HasDataCallbacks() const;  // answers are waiting (quiet ones do not wake the loop)

  // Before building a frame (and before PrepareFrame applies the settings):
  // the idle timeout's session wipe, so the attract loop is never drawn in
  // the last student's look; then lets the screen start work whose answer
  // should make this very frame (search as you type), waiting a few ms.
  void BeforeFrame(double now);
  // Builds one frame between ImGui::NewFrame() and ImGui::Render().
  void Frame(double now, int width, int height);
  // Applies theme changes that need a new font atlas; true when the platform
  // must recreate the font texture. Call before ImGui::NewFrame().
  bool PrepareFrame(int width, int height);

  // Something moves that is drawn at the display's rate (keep drawing).
  bool AnimationsRunning() const;
  // Something moves at its own, slower rate (the attract loop's fade):
  // NextDeadline() gives each step; nothing is drawn in between.
  bool PacedAnimationRunning() const;
  // When the next timed visible change is due (seconds, app clock): the next
  // attract slide or fade step, the "still there?" countdown.
  double NextDeadline(double now) const;
  static constexpr double kAttractFadeS = 0.4;     // a slide fades in over this long
  static constexpr double kAttractFadeFps = 12.5;  // drawn at this rate while it fades (5 steps)
  static constexpr double kAttractFadeEpsilon = 1e-4;
  double AttractSlideAge(double now) const;  // seconds since the current slide appeared
  bool Idle() const;                         // no data request or other work in flight
  bool quit_requested() const { return quit_requested_; }
  Screen screen() const { return session_.screen(); }

  // [SECTION] Navigation and session ------------------------------------------
  void Go(Screen s, std::int64_t id = 0, std::string key = {});  // push a screen
  void Back();
  void Home();          // clears the stack to Home
  void EndSession();    // wipes everything, back to the attract loop
  void StartSession();  // attract -> home
  void OpenSearch(std::uint8_t routes, const std::string& text = {},
                  const std::string& subject_area = {});
  void ToggleShortlist(const catalogue::OpportunitySummary& s);
  void ToggleShortlist(const catalogue::OpportunityRecord& r);
  void Quit() { quit_requested_ = true; }
  Session& session() { return session_; }
  const Session& session() const { return session_; }
  double session_started() const { return session_started_; }
  void SecretTap();  // the hidden gesture: 7 taps on the top-bar title within 4 s

  // The view of a screen (made on first use; every view is new each session).
  View& view(Screen s);
  template <class T>
  T& view_as(Screen s) {
    return static_cast<T&>(view(s));
  }

  // Test hooks (tests, --screen): open the first search result / career
  // once the list has loaded.
  void OpenFirstSearchResult();
  void OpenFirstCareer();

  // [SECTION] Services used by screens ------------------------------------------
  const KioskConfig& config() const { return config_; }
  // Wrong technician PINs in a row and the pad's lock; kept across sessions
  // (and restarts: config.pin_lockout_path).
  PinLockout& pin_lockout() { return pin_lockout_; }
  // Technician settings for this run (the config file is the lasting place).
  KioskConfig& mutable_config() { return config_; }
  Theme& theme() { return theme_; }
  const Theme& theme() const { return theme_; }
  double now() const { return now_; }
  DataService& data() { return *data_; }
  // Bumped whenever what views show may have changed (the catalogue, or
  // where distances are measured from): views refetch.
  std::uint64_t data_version() const { return data_version_; }
  const MetaView& meta() const { return meta_; }
  void RequestMeta(bool full = false);      // full: with Stats() (technician)
  LocalView& local_view();                  // the school's local content
  UsageTracker& usage() { return usage_; }  // anonymous counters (usage_tracker.h)
  SlipPrinter& printer() { return *printer_; }
  // Where distances are measured from: the session's "near me" postcode
  // when one was given, else the kiosk's own place (meta().origin). Worker
  // jobs take NearPoint() and ask Backend::OriginFor() (the kiosk's place
  // may not have reached the UI yet).
  std::optional<catalogue::GeoPoint> Origin() const;
  const std::optional<catalogue::GeoPoint>& NearPoint() const { return session_.near.point; }
  // "Near me": looks the postcode up in the offline table and, when found,
  // measures every distance from it until the session ends ("" = from the
  // kiosk again). Views refetch (data_version() changes).
  void SetNearPostcode(const std::string& typed);

  // Photos from the school's local content (the platform layer decodes and
  // uploads them; pictures.h). nullptr while loading or when there is none.
  using PictureSource = std::function<ImTextureID(const std::string& path, ImVec2* size)>;
  void set_picture_source(PictureSource source) { picture_source_ = std::move(source); }
  ImTextureID Picture(const std::string& path, ImVec2* size) {
    return picture_source_ ? picture_source_(path, size) : nullptr;
  }

  // Read aloud: screens call Say() with their main text; it is only kept on
  // frames where speech is being collected.
  void Say(const std::string& text);
  void Say(const char* text);
  // What changed on a screen already read (read_aloud.cpp): "12 results
  // for nursing" once typing pauses, a subject's answer. Spoken at once
  // (ending what was being said) while read aloud is on; nothing on a frame
  // that reads the whole screen, which says it anyway.
  void Announce(const std::string& text);
  bool speaking() const;
  void set_speech_enabled(bool on) { speaker_.set_enabled(on); }  // false: never spawn
  const std::string& last_spoken() const { return speaker_.last_text(); }

  // Open-day branding ([kiosk.branding]): the host's logo, uploaded by the
  // platform layer (an SDL texture), and "Hosted by <name>".
  void set_logo(ImTextureID texture, int width, int height);
  bool branded() const { return logo_ != nullptr || !config_.branding.host_name.empty(); }
  float LogoWidth(float height) const;  // at this height; 0 = no logo
  // Draws the logo `height` tall (at most max_width wide) at pos; returns its width.
  float DrawLogo(ImDrawList* dl, ImVec2 pos, float height, float max_width);
  // "Hosted by <name>" (translated), cut to max_width with "…"; "" = none.
  const std::string& HostedBy();

  // Languages on the language button, in order: [kiosk] languages (known
  // ones), or every translation when the config names none. One = no button.
  const std::vector<const Language*>& OfferedLanguages() const;

  // Formatting helpers shared by screens.
  std::string Freshness() const;  // "Updated 2 hours ago", "Offline since 3 Nov"
  std::string DistanceText(const std::optional<double>& km) const;

 private:
  // Chrome (chrome.cpp).
  void DrawTopBar(float height);
  void DrawAccessibilityBar(float height);
  bool AccessibilityBarFits(float width) const;
  void DrawStillThere();

  void ApplySettings();
  void AfterNavigate(Screen from);
  View& current_view() { return view(session_.screen()); }

  KioskConfig config_;
  Session session_;
  Theme theme_;
  Speaker speaker_;
  MetaView meta_;
  LocalView local_;
  std::array<std::unique_ptr<View>, kScreenCount> views_;  // this session's, made on first use
  std::uint64_t data_version_ = 1;                         // bumped when the catalogue changes
  double now_ = 0;
  double last_activity_ = 0;
  double session_started_ = 0;
  bool quit_requested_ = false;
  bool refresh_pending_ = false;
  bool in_frame_ = false;                 // views are drawing
  bool end_session_after_frame_ = false;  // EndSession() asked for while drawing
  Settings applied_settings_;
  bool settings_applied_ = false;
  int applied_width_ = 0, applied_height_ = 0;
  PinLockout pin_lockout_{""};  // wrong-PIN back-off across sessions (pin_lockout.h)
  std::vector<double> secret_taps_;
  mutable std::vector<const Language*> offered_languages_;  // OfferedLanguages(), built once
  ImTextureID logo_ = nullptr;                              // owned by the platform layer
  int logo_w_ = 0, logo_h_ = 0;
  std::string hosted_by_;  // "Hosted by <name>" in the current language
  // Read aloud bookkeeping.
  bool collecting_speech_ = false;
  std::string speech_text_;
  std::string last_spoken_key_;
  std::string speech_key_;
  UsageTracker usage_;  // its writer thread finishes the last session before it stops
  PictureSource picture_source_;
  // Declared after the views: destroyed before them, so worker callbacks
  // never outlive what they answer.
  std::unique_ptr<DataService> data_;
  std::unique_ptr<SlipPrinter> printer_;  // after data_: its thread answers through it
};

std::string FormatCount(std::int64_t n);  // 12345 -> "12,345"
// "Mon 7 Sep 2026" / "7 Sep" in the current UI language (UI thread only).
std::string HumanDate(Day d, bool with_year = true);
std::string FormatPounds(double gbp);  // 15000 -> "£15,000"

}  // namespace signpost::kiosk
