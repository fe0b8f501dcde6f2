// Platform: SDL2 window/renderer setup, the event-driven frame loop, input
// translation, headless rendering and the synthetic input used by scripts
// and tests. Built from Dear ImGui's example_sdl_sdlrenderer/main.cpp.
//
// Windowed: draws a few frames after input or data changes, then blocks in
// SDL_WaitEventTimeout until the next event or timed change (idle timeout,
// attract slide), so an untouched kiosk uses ~0% CPU. Headless: SDL's
// `offscreen` video driver with SDL_CreateSoftwareRenderer on an SDL_Surface,
// a virtual clock, and PNG screenshots via stb_image_write.
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
  // Renders frames until data requests are answered and animations stopped
  // (at most max_frames).
  void Settle(int max_frames = 600);
  void Tap(float x, float y);
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
  // Runs the interactive loop for `seconds` of real time (measurements).
  void RunFor(double seconds);
  std::uint64_t frames() const { return frames_; }

 private:
  Kiosk() = default;
  void HandleEvent(const SDL_Event& e);
  void WaitForEvent(int timeout_ms);                        // blocks until an event or the timeout
  void Draw();                                              // the last built frame onto the panel
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
  double last_refresh_ = 0;
  double refresh_interval_ = 2;
  std::uint64_t frames_ = 0;
  int render_every_ = 1;
  double build_cpu_ms_ = 0;
  double render_cpu_ms_ = 0;
  double run_until_ = -1;
  double real_offset_ = 0;  // real clock = steady seconds + offset
  double last_frame_clock_ =
      0;  // for io.DeltaTime  // RunFor(): stop the interactive loop at this clock
  std::uint32_t user_event_ = 0;  // [0] wake, [1] refresh tick
  int timer_ = 0;
  SDL_Window* window_ = nullptr;
  SDL_Renderer* renderer_ = nullptr;
  SDL_Surface* surface_ = nullptr;  // headless target
  std::unique_ptr<App> app_;
  std::unique_ptr<PictureCache> pictures_;  // local content photos (textures)
};

// RunInteractive()'s exit status when a technician chose "Exit kiosk": a unit
// with Restart=always can list it in RestartPreventExitStatus=.
inline constexpr int kExitTechnician = 10;

// Where a headless run without --screenshot saves its picture.
std::string DefaultScreenshotPath(const std::string& screen);

}  // namespace signpost::kiosk
