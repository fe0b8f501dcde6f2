// Platform: SDL2 window/renderer setup, the event-driven frame loop, input
// translation, headless rendering and the synthetic input used by scripts
// and tests. Built from Dear ImGui's example_sdl_sdlrenderer/main.cpp.
//
// Windowed: a frame is drawn only when something visible changed: input
// (and a few frames after it to settle), a data answer that changes a view,
// a picture decoded, or a timed change (attract slide and its fade steps,
// the "still there?" countdown). Everything else happens without drawing:
// the loop blocks in SDL_WaitEventTimeout until the next event or deadline,
// checks the catalogue for changes on the worker every refresh_poll_s, and
// pings the systemd watchdog, so an untouched kiosk draws nothing and uses
// ~0% CPU. Headless: SDL's `offscreen` video driver with
// SDL_CreateSoftwareRenderer on an SDL_Surface, a virtual clock, and PNG
// screenshots via stb_image_write. The same loop can run on the virtual
// clock (RunFor(s, true)): it jumps to each deadline instead of sleeping, so
// tests count the frames of a minute untouched in milliseconds.
//
// Input: Dear ImGui 1.86's SDL backend reads the *global* mouse state
// (SDL_GetMouseState), which synthetic events do not update, and a press and
// release in the same frame would be lost. So the kiosk feeds ImGui's mouse
// itself from SDL mouse/finger events, applying at most one button change per
// frame (a one-frame tap is seen as down on one frame, up on the next).
// Thread safety: one Kiosk per process, UI thread only.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "kiosk/app.h"
#include "kiosk/pictures.h"

struct SDL_Window;
struct SDL_Renderer;
struct SDL_Surface;
struct SDL_Texture;
union SDL_Event;

namespace signpost::kiosk {

class EventWaiter;

struct RunOptions {
  KioskConfig config;
  bool headless = false;                // offscreen driver + software renderer
  bool allow_headless_fallback = true;  // no display: fall back to headless
  int width = 800;                      // window/surface size
  int height = 480;
  bool fullscreen = false;   // windowed: take the whole display
  bool hide_cursor = false;  // touch panels: no pointer
  int rotation = 0;          // 0/90/180/270: UI turned clockwise on the panel
  bool speech = true;        // false: never spawn espeak-ng (tests)
};

class Kiosk {
 public:
  // Creates SDL, ImGui and the App. On failure returns null and sets *error.
  static std::unique_ptr<Kiosk> Create(const RunOptions& options, std::string* error);
  ~Kiosk();
  Kiosk(const Kiosk&) = delete;
  Kiosk& operator=(const Kiosk&) = delete;

  // The event-driven loop; returns kExitTechnician when technician mode exits
  // the app. Under systemd it sends READY=1 after the first frame and
  // WATCHDOG=1 at half of WatchdogSec (sd_notify protocol, no libsystemd).
  int RunInteractive();

  // [SECTION] Driving (scripts, tests, --screenshot) ----------------------------
  // Polls events, builds one frame and renders it (when `render` and this is
  // one of every render_every() frames; the UI logic runs on every frame).
  void Frame(double dt = 1.0 / 60, bool render = true);
  // Tests that only care about behaviour render 1 frame in n (default 1).
  void set_render_every(int n) { render_every_ = n < 1 ? 1 : n; }
  // Builds frames until data requests are answered, pictures decoded and
  // animations stopped (at most max_frames), then renders the last one.
  void Settle(int max_frames = 600);
  void Tap(float x, float y);
  // A finger moved from (x0,y0) to (x1,y1) over `ms` of the virtual clock (a
  // frame per 1/60 s, built but not rendered: a drag needs no real time),
  // then released; any glide is settled the same way.
  void Drag(float x0, float y0, float x1, float y1, double ms);
  void Type(const std::string& text);
  void Key(int sdl_keycode);
  void Wait(double ms);                      // advances the clock, drawing frames as time passes
  bool Screenshot(const std::string& path);  // PNG of the last frame
  void GoToScreen(Screen s);                 // test hook: open a screen with data

  App& app() { return *app_; }
  bool headless() const { return headless_; }
  int width() const { return width_; }  // the UI's size (rotated)
  int height() const { return height_; }
  int panel_width() const { return phys_w_; }  // the panel's size
  int panel_height() const { return phys_h_; }
  double clock() const { return clock_; }
  // UI-thread CPU time of the last frame: building it (events, App::Frame,
  // ImGui::Render) and drawing it (SDL renderer), in milliseconds.
  double last_build_cpu_ms() const { return build_cpu_ms_; }
  double last_render_cpu_ms() const { return render_cpu_ms_; }
  // Runs the event-driven loop for `seconds`: of real time (measurements),
  // or with virtual_time, of the virtual clock (tests): when nothing is
  // pending and the data worker has answered, the clock jumps to the next
  // deadline instead of sleeping.
  void RunFor(double seconds, bool virtual_time = false);
  std::uint64_t frames() const { return frames_; }  // frames built (UI logic ran)
  // Frames drawn onto the panel (rendered and presented). A built frame whose
  // draw data equals the last drawn one is not drawn again (frames_skipped),
  // unless the window system asked for the picture (exposed, resized).
  std::uint64_t frames_drawn() const { return frames_drawn_; }
  std::uint64_t frames_skipped() const { return frames_skipped_; }
  // Which events woke the loop and what they caused (for --run-for reports).
  struct LoopStats {
    std::uint64_t wakeups = 0;         // times the loop went to sleep and woke
    std::uint64_t sleeps = 0;          // times the thread slept (a polling driver: every 10 ms)
    std::uint64_t refresh_checks = 0;  // catalogue checks (no frame unless new data)
  };
  const LoopStats& loop_stats() const { return loop_stats_; }

 private:
  Kiosk() = default;
  // Returns true when the event changes what is shown (input, a window
  // exposed or resized, a picture ready); data wake-ups run their callbacks
  // and count when one of them was visible.
  bool HandleEvent(const SDL_Event& e);
  bool PollEvents();                  // HandleEvent() for every queued event; any visible
  void BuildFrame(bool render);       // one frame at clock_ (no clock change)
  void MaybeRefresh();                // the catalogue check when it is due (no frame)
  bool CheckRefresh();                // as MaybeRefresh(); true when a frame is due for it
  int Loop(double until);             // the event-driven loop, until `until` (< 0: for ever)
  void Sleep(double deadline);        // until an event or the deadline (real or virtual)
  void WaitForEvent(int timeout_ms);  // blocks until an event or the timeout
  void Draw();                        // the last built frame onto the panel
  void ToUi(float px, float py, float* x, float* y) const;  // panel -> UI coordinates
  void PushMouse(int type, float x, float y);
  void LoadLogo(const std::string& path);  // [kiosk.branding] logo -> texture for the App
  struct PendingMouse {
    int kind;  // 0 move, 1 down, 2 up
    float x, y;
  };
  std::vector<PendingMouse> mouse_queue_;
  float mouse_x_ = -1e6f, mouse_y_ = -1e6f;
  bool mouse_down_ = false;
  bool had_input_ = false;
  bool headless_ = false;
  bool virtual_clock_ = false;
  int width_ = 0, height_ = 0;   // UI (logical) size
  int phys_w_ = 0, phys_h_ = 0;  // panel size
  int rotation_ = 0;
  SDL_Texture* target_ = nullptr;  // UI drawn here, then turned onto the panel
  SDL_Texture* logo_ = nullptr;    // open-day host's logo, when configured
  double clock_ = 0;
  double next_refresh_ = 0;  // when the catalogue is next checked for changes
  double refresh_interval_ = 2;
  std::uint64_t frames_ = 0;
  std::uint64_t frames_drawn_ = 0;
  std::uint64_t frames_skipped_ = 0;
  std::uint64_t last_frame_hash_ = 0;  // of the last frame drawn
  bool force_draw_ = false;            // draw the next frame even if unchanged
  LoopStats loop_stats_;
  int render_every_ = 1;
  double build_cpu_ms_ = 0;
  double render_cpu_ms_ = 0;
  double real_offset_ = 0;        // real clock = steady seconds + offset
  double last_frame_clock_ = 0;   // for io.DeltaTime in the event-driven loop
  std::uint32_t user_event_ = 0;  // [0] data wake-up, [1] redraw (a picture is ready)
  SDL_Window* window_ = nullptr;
  SDL_Renderer* renderer_ = nullptr;
  SDL_Surface* surface_ = nullptr;       // headless target
  std::shared_ptr<EventWaiter> waiter_;  // KMSDRM/offscreen: sleeps in poll(2); else null
  std::unique_ptr<App> app_;
  std::unique_ptr<PictureCache> pictures_;  // local content photos (textures)
};

// RunInteractive()'s exit status when a technician chose "Exit kiosk": a unit
// with Restart=always can list it in RestartPreventExitStatus=.
inline constexpr int kExitTechnician = 10;

// Where a headless run without --screenshot saves its picture.
std::string DefaultScreenshotPath(const std::string& screen);

}  // namespace signpost::kiosk
