// App: the kiosk's UI model and frame builder. Owns the session state (value
// structs from app_state.h), the theme, the DataService that talks to the
// catalogue on a worker thread, and small views of the data the screens
// show. Frame() builds one Dear ImGui frame: chrome (top bar, accessibility
// bar, "still there?" countdown) around the current screen's draw function
// (kiosk/screens/, one file each).
//
// The App knows nothing of SDL windows or renderers (see platform.h): it
// receives input as text/keys/activity and a clock, so tests can drive it
// with a virtual clock.
// Thread safety: UI thread only (DataService answers arrive as UI callbacks).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "kiosk/app_state.h"
#include "kiosk/data_service.h"
#include "kiosk/i18n.h"
#include "kiosk/speech.h"
#include "kiosk/theme.h"
#include "kiosk/usage_tracker.h"
#include "kiosk/usb_update.h"
#include "signpost/catalogue.h"
#include "signpost/search.h"

namespace signpost::kiosk {

// [SECTION] Views: what the screens show, fetched through DataService -------

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
};

struct SearchView {
  static constexpr int kPageRows = 40;
  std::uint64_t generation = 0;  // of the request these results answer
  bool loading = false;          // a newer request is on its way
  bool has_results = false;
  SearchState for_state;  // the state the results answer
  std::int64_t total = 0;
  catalogue::Facets facets;
  std::string did_you_mean;
  bool corrected = false;
  std::string error;  // calm message when the catalogue failed
  std::unordered_map<std::int64_t, std::vector<catalogue::OpportunitySummary>> pages;
  std::unordered_set<std::int64_t> pending_pages;
  const catalogue::OpportunitySummary* Row(std::int64_t i) const;
};

struct DetailView {
  std::int64_t rowid = 0;
  std::uint64_t version = 0;
  bool loading = false;
  bool missing = false;  // removed by a refresh, or not found
  catalogue::OpportunityRecord record;
  std::vector<catalogue::CareerRecord> careers;
};

struct CareersView {
  std::string text;  // what the list answers
  std::uint64_t version = 0;
  bool loading = false;
  bool loaded = false;
  std::vector<catalogue::CareerRecord> list;
};

struct CareerView {
  std::int64_t rowid = 0;
  std::uint64_t version = 0;
  bool loading = false;
  bool missing = false;
  catalogue::CareerRecord record;
};

struct EventsView {
  std::uint8_t routes = 0;
  std::uint64_t version = 0;
  bool loading = false;
  bool loaded = false;
  std::vector<catalogue::EventRecord> list;
};

struct SubjectsView {
  std::uint64_t version = 0;
  bool loading = false;
  bool loaded = false;
  std::vector<std::string> subjects;
  std::string subject;  // what `links` answer
  bool links_loading = false;
  std::vector<std::string> areas;                             // subject areas
  std::vector<std::pair<std::int64_t, std::string>> careers;  // rowid, title
};

struct LocalView {
  std::uint64_t version = 0;
  bool loading = false;
  bool loaded = false;
  std::vector<catalogue::LocalItem> adviser;  // adviser drop-ins / booking
  std::vector<catalogue::LocalItem> stories;  // alumni stories (attract loop)
  std::vector<catalogue::LocalItem> school;   // notices, school events, links (help screen)
};

// One highlight of the attract loop. The wording around it ("Coming up",
// "Local jobs") is added by the UI in the current language.
struct Slide {
  enum Kind { kWelcome, kEvent, kApprenticeship, kJobs, kStory, kAdviser };
  Kind kind = kWelcome;
  ImU32 accent = 0;
  std::string title;        // as published
  std::string body;         // as published
  std::int64_t number = 0;  // kJobs: vacancies
  std::string area;         // kJobs: where
  Day day = 0;              // kEvent: the day it happens
  std::string image;        // kStory: the former student's photo ("" = none)
};

struct AttractView {
  std::uint64_t version = 0;
  bool loading = false;
  bool loaded = false;
  std::vector<Slide> slides;
};

// [SECTION] App ---------------------------------------------------------------

class App {
 public:
  App(KioskConfig config, std::function<void()> wake);
  ~App();

  // Input (from the platform layer). `now` is the app clock in seconds.
  void OnActivity(double now);    // any touch/key: resets the idle timer
  void OnText(const char* utf8);  // physical keyboard text
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

  // Before building a frame: starts the search for text typed since the last
  // frame and waits (a few ms at most) so its results make this very frame.
  void BeforeFrame();
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
  bool Idle() const;                         // no data request in flight
  bool quit_requested() const { return quit_requested_; }
  Screen screen() const { return session_.screen(); }

  // [SECTION] Used by screens --------------------------------------------------
  const KioskConfig& config() const { return config_; }
  // Technician settings for this run (the config file is the lasting place).
  KioskConfig& mutable_config() { return config_; }
  Session& session() { return session_; }
  Theme& theme() { return theme_; }
  const MetaView& meta() const { return meta_; }
  double now() const { return now_; }

  void Go(Screen s, std::int64_t id = 0);  // push a screen
  void Back();
  void Home();          // clears the stack to Home
  void EndSession();    // wipes everything, back to the attract loop
  void StartSession();  // attract -> home
  void OpenSearch(std::uint8_t routes, const std::string& text = {},
                  const std::string& subject_area = {});
  void ToggleShortlist(const catalogue::OpportunitySummary& s);
  void ToggleShortlist(const catalogue::OpportunityRecord& r);
  void Quit() { quit_requested_ = true; }
  double session_started() const { return session_started_; }
  UsageTracker& usage() { return usage_; }  // anonymous counters (usage_tracker.h)
  // Photos from the school's local content (the platform layer decodes and
  // uploads them; pictures.h). nullptr while loading or when there is none.
  using PictureSource = std::function<ImTextureID(const std::string& path, ImVec2* size)>;
  void set_picture_source(PictureSource source) { picture_source_ = std::move(source); }
  ImTextureID Picture(const std::string& path, ImVec2* size) {
    return picture_source_ ? picture_source_(path, size) : nullptr;
  }

  // Data (each Ensure* posts a job when the view is stale; cheap to call per frame).
  SearchView& search_view();  // follows session().search
  DetailView& detail_view(std::int64_t rowid);
  CareersView& careers_view(const std::string& text);
  CareerView& career_view(std::int64_t rowid);
  EventsView& events_view(std::uint8_t routes);
  SubjectsView& subjects_view(const std::string& subject);
  LocalView& local_view();
  AttractView& attract_view();
  void RequestRows(std::int64_t first, std::int64_t count);  // search rows for the list
  void RequestMeta(bool full = false);                       // full: with Stats() (technician)
  void OpenFirstSearchResult();  // tests/--screen detail: open row 0 when ready
  void OpenFirstCareer();        // tests/--screen career

  // Read aloud: screens call Say() with their main text; it is only kept on
  // frames where speech is being collected.
  void Say(const std::string& text);
  void Say(const char* text);
  bool speaking() const;
  void set_speech_enabled(bool on) { speaker_.set_enabled(on); }  // false: never spawn
  const std::string& last_spoken() const { return speaker_.last_text(); }

  // Printed slip ([kiosk.printer]): PrintSlip() encodes the shortlist and
  // writes it on a thread of its own; the answer comes back as a UI callback.
  enum class PrintState { kIdle, kPrinting, kPrinted, kFailed };
  void PrintSlip();
  PrintState print_state();  // back to kIdle once the shortlist differs from the printed one
  const std::string& last_print_error() const { return last_print_error_; }  // technician

  // "Sync now" (technician): creates config.sync_request_file for content-sync,
  // then waits until the file is gone or the feeds' sync state changes
  // (checked on the refresh tick), and shows the new sync results.
  enum class SyncRequestState { kNone, kWaiting, kDone, kFailed };
  void RequestSync();
  SyncRequestState sync_request_state() const { return sync_request_; }
  // "Update from USB" (technician): the newest bundle on a stick (rescanned
  // on the refresh tick while the technician screen shows), the request to
  // content-sync and its answer (usb_update.h).
  const std::optional<UsbBundle>& usb_bundle() const { return usb_bundle_; }
  std::vector<std::string> usb_roots = DefaultUsbRoots();
  void RequestUsbImport();
  bool usb_import_waiting() const { return usb_waiting_; }
  const std::string& usb_import_error() const { return usb_error_; }
  const std::optional<UsbImportResult>& usb_import_result() const { return usb_result_; }
  void PollUsb();  // called on the refresh tick; public for tests
  const std::string& sync_request_error() const { return sync_request_error_; }
  double sync_requested_at() const { return sync_requested_at_; }  // app clock

  // Technician
  void VerifyPin(const std::string& pin);       // async; moves to kTechnician on success
  int pin_state() const { return pin_state_; }  // 0 idle, 1 checking, 2 wrong
  void SecretTap();  // the hidden gesture: 7 taps on the top-bar title within 4 s

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
  void DrawTopBar(float height);
  void DrawAccessibilityBar(float height);
  bool AccessibilityBarFits(float width) const;
  void DrawStillThere();
  void DrawScreen();
  void ApplySettings();
  void SearchIfChanged();
  void AfterNavigate();
  void CollectPinCheck();

  KioskConfig config_;
  Session session_;
  Theme theme_;
  Speaker speaker_;
  MetaView meta_;
  SearchView search_;
  DetailView detail_;
  CareersView careers_;
  CareerView career_;
  EventsView events_;
  SubjectsView subjects_;
  LocalView local_;
  AttractView attract_;
  std::uint64_t data_version_ = 1;  // bumped when the catalogue changes
  std::uint64_t search_generation_ = 0;
  std::uint64_t searched_version_ = 0;  // data_version_ of the last search request
  std::shared_ptr<std::atomic<std::uint64_t>> latest_search_;  // read by worker jobs
  double now_ = 0;
  double last_activity_ = 0;
  double session_started_ = 0;
  bool quit_requested_ = false;
  bool refresh_pending_ = false;
  bool open_first_result_ = false;
  bool open_first_career_ = false;
  Settings applied_settings_;
  bool settings_applied_ = false;
  int pin_state_ = 0;
  std::vector<double> secret_taps_;
  std::future<bool> pin_check_;                             // technician PIN being verified
  mutable std::vector<const Language*> offered_languages_;  // OfferedLanguages(), built once
  ImTextureID logo_ = nullptr;                              // owned by the platform layer
  int logo_w_ = 0, logo_h_ = 0;
  std::string hosted_by_;  // "Hosted by <name>" in the current language
  std::optional<UsbBundle> usb_bundle_;
  bool usb_waiting_ = false;
  std::string usb_error_;
  std::optional<UsbImportResult> usb_result_;
  // "Sync now"
  void CheckSyncRequest();
  void SyncRequestDone();
  SyncRequestState sync_request_ = SyncRequestState::kNone;
  std::string sync_request_error_;
  double sync_requested_at_ = 0;
  std::string sync_fingerprint_;  // the feeds' sync state when the request was made
  bool sync_check_pending_ = false;
  // Printing: the thread owns its copy of the slip's bytes and wipes it.
  PrintState print_state_ = PrintState::kIdle;
  std::uint64_t ShortlistFingerprint() const;
  std::uint64_t printed_list_ = 0;  // ShortlistFingerprint() of the last slip
  std::uint64_t print_job_ = 0;     // bumped per print and per session: stale answers are dropped
  std::string last_print_error_;
  std::thread print_thread_;
  std::atomic<bool> print_running_{false};
  std::atomic<bool> print_cancel_{false};  // set when the App goes away
  // Read aloud bookkeeping.
  bool collecting_speech_ = false;
  std::string speech_text_;
  std::string last_spoken_key_;
  std::string speech_key_;
  UsageTracker usage_;  // its writer thread finishes the last session before it stops
  PictureSource picture_source_;
  // Declared last: destroyed first, so worker callbacks never outlive the views.
  std::unique_ptr<DataService> data_;
};

std::string FormatCount(std::int64_t n);  // 12345 -> "12,345"
// "Mon 7 Sep 2026" / "7 Sep" in the current UI language (UI thread only).
std::string HumanDate(Day d, bool with_year = true);
std::string FormatPounds(double gbp);  // 15000 -> "£15,000"

}  // namespace signpost::kiosk
