// Platform: SDL setup, the frame loop and synthetic input.
//
// Index:
//   [SECTION] Setup and teardown
//   [SECTION] Events and input
//   [SECTION] Frames and the event-driven loop
//   [SECTION] Synthetic input and screenshots
#include "kiosk/platform.h"

#include <SDL.h>
#include <imgui.h>
#include <imgui_impl_sdl.h>
#include <imgui_impl_sdlrenderer.h>
#include <stb_image.h>
#include <stb_image_write.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string_view>
#include <vector>

#include "kiosk/config.h"  // kMaxLogoWidth/Height
#include "kiosk/event_wait.h"
#include "kiosk/renderer_probe.h"
#include "kiosk/ui.h"

namespace signpost::kiosk {

// [SECTION] Setup and teardown ------------------------------------------------------

namespace {
// Kiosks alive in this process: ImGui's context and SDL backends are
// process-wide, so a second one would take over (and, at shutdown, destroy)
// the first one's. Create refuses it instead.
std::atomic<int> g_live_kiosks{0};

double SteadySeconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// sd_notify(3) without libsystemd: one datagram to $NOTIFY_SOCKET. A no-op
// when not started by systemd with Type=notify.
void SdNotify(const char* state) {
  const char* path = std::getenv("NOTIFY_SOCKET");
  if (!path || (path[0] != '/' && path[0] != '@')) return;
  int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return;
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::size_t len = std::min(std::strlen(path), sizeof(addr.sun_path) - 1);
  std::memcpy(addr.sun_path, path, len);
  if (addr.sun_path[0] == '@') addr.sun_path[0] = '\0';  // abstract socket
  socklen_t alen = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + len);
  (void)sendto(fd, state, std::strlen(state), MSG_NOSIGNAL, reinterpret_cast<sockaddr*>(&addr),
               alen);
  close(fd);
}

// A fast 64-bit hash of everything the last built frame would put on the
// panel (vertices, indices, clip rectangles, textures) and the clear colour.
// For telling "same picture" from "changed", not for adversarial input.
std::uint64_t DrawDataHash(ImU32 clear_colour) {
  std::uint64_t h = 0x243F6A8885A308D3ull ^ clear_colour;
  auto mix = [&h](const void* data, std::size_t n) {
    const auto* b = static_cast<const unsigned char*>(data);
    for (; n >= 8; n -= 8, b += 8) {
      std::uint64_t w;
      std::memcpy(&w, b, 8);
      h = (h ^ w) * 0x9E3779B97F4A7C15ull;
      h ^= h >> 29;
    }
    for (; n > 0; --n, ++b) h = (h ^ *b) * 0x100000001B3ull;
  };
  const ImDrawData* dd = ImGui::GetDrawData();
  if (!dd) return h;
  mix(&dd->DisplaySize, sizeof dd->DisplaySize);
  for (int i = 0; i < dd->CmdListsCount; ++i) {
    const ImDrawList* l = dd->CmdLists[i];
    mix(l->VtxBuffer.Data, static_cast<std::size_t>(l->VtxBuffer.Size) * sizeof(ImDrawVert));
    mix(l->IdxBuffer.Data, static_cast<std::size_t>(l->IdxBuffer.Size) * sizeof(ImDrawIdx));
    for (const ImDrawCmd& c : l->CmdBuffer) {
      mix(&c.ClipRect, sizeof c.ClipRect);
      mix(&c.TextureId, sizeof c.TextureId);
      mix(&c.ElemCount, sizeof c.ElemCount);
      mix(&c.IdxOffset, sizeof c.IdxOffset);
      mix(&c.VtxOffset, sizeof c.VtxOffset);
    }
  }
  return h;
}

double ThreadCpuMs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}
}  // namespace

std::string DefaultScreenshotPath(const std::string& screen) {
  std::string name = "signpost-kiosk-" + screen + ".png";
  if (access(".", W_OK) == 0) return name;
  const char* tmp = std::getenv("TMPDIR");
  return std::string(tmp && *tmp ? tmp : "/tmp") + "/" + name;
}

std::unique_ptr<Kiosk> Kiosk::Create(const RunOptions& options, std::string* error) {
  if (g_live_kiosks.load() > 0) {
    *error = "a kiosk is already running in this process (ImGui and SDL are process-wide)";
    return nullptr;
  }
  std::unique_ptr<Kiosk> k(new Kiosk());
  ++g_live_kiosks;
  // SIGINT/SIGTERM keep their default meaning (systemd stops us); SDL_QUIT
  // then only comes from the window system (Alt+F4, close), which we ignore.
  SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
  SDL_SetHint(SDL_HINT_VIDEO_X11_NET_WM_BYPASS_COMPOSITOR, "0");
  bool headless = options.headless;
  if (!headless) {
    const char* drv = nullptr;
    bool ok = SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER) == 0;
    if (ok) drv = SDL_GetCurrentVideoDriver();
    if (ok && drv && (std::string_view(drv) == "offscreen" || std::string_view(drv) == "dummy")) {
      // SDL fell back to a driver with no screen: that is "no display" too.
      if (!options.allow_headless_fallback) {
        *error = "no display (SDL chose the offscreen driver)";
        return nullptr;
      }
      std::fprintf(stderr, "signpost-kiosk: no display found; rendering headless instead\n");
      headless = true;
    } else if (!ok) {
      if (!options.allow_headless_fallback) {
        *error = std::string("cannot start SDL video: ") + SDL_GetError();
        return nullptr;
      }
      std::fprintf(stderr, "signpost-kiosk: no display (%s); rendering headless instead\n",
                   SDL_GetError());
      headless = true;
    }
  }
  if (headless && !SDL_WasInit(SDL_INIT_VIDEO)) {
    SDL_SetHint(SDL_HINT_VIDEODRIVER, "offscreen");
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER) != 0) {
      *error = std::string("cannot start SDL's offscreen video driver: ") + SDL_GetError();
      return nullptr;
    }
  }
  k->headless_ = headless;
  k->virtual_clock_ = headless;
  k->phys_w_ = options.width;
  k->phys_h_ = options.height;
  k->rotation_ = ((options.rotation % 360) + 360) % 360 / 90 * 90;

  Uint32 flags = SDL_WINDOW_ALLOW_HIGHDPI;
  if (!headless && options.fullscreen) flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
  k->window_ = SDL_CreateWindow("Signpost", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED,
                                options.width, options.height, flags);
  if (!k->window_) {
    *error = std::string("cannot create a window: ") + SDL_GetError();
    return nullptr;
  }
  if (headless) {
    k->surface_ = SDL_CreateRGBSurfaceWithFormat(0, options.width, options.height, 32,
                                                 SDL_PIXELFORMAT_ABGR8888);  // RGBA bytes
    if (k->surface_) k->renderer_ = SDL_CreateSoftwareRenderer(k->surface_);
  } else {
    k->renderer_ = CreateDrawingRenderer(k->window_);
  }
  if (!k->renderer_) {
    *error = std::string("cannot create a renderer: ") + SDL_GetError();
    return nullptr;
  }
  if (!headless) {
    SDL_GetRendererOutputSize(k->renderer_, &k->phys_w_, &k->phys_h_);
    if (options.hide_cursor) SDL_ShowCursor(SDL_DISABLE);
  }
  bool turned = k->rotation_ == 90 || k->rotation_ == 270;
  k->width_ = turned ? k->phys_h_ : k->phys_w_;
  k->height_ = turned ? k->phys_w_ : k->phys_h_;
  if (k->rotation_ != 0) {
    // Panels mounted sideways (rotation from config): draw the UI upright into
    // a texture and turn it onto the panel; touches are turned back (ToUi).
    k->target_ = SDL_CreateTexture(k->renderer_, SDL_PIXELFORMAT_ABGR8888, SDL_TEXTUREACCESS_TARGET,
                                   k->width_, k->height_);
    if (!k->target_) {
      *error = std::string("cannot rotate the display: ") + SDL_GetError();
      return nullptr;
    }
  }
  k->user_event_ = SDL_RegisterEvents(2);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // nothing is written to disk
  io.LogFilename = nullptr;
  io.ConfigFlags |= ImGuiConfigFlags_NoMouseCursorChange;
  ImGui_ImplSDL2_InitForSDLRenderer(k->window_);
  ImGui_ImplSDLRenderer_Init(k->renderer_);

  // Drivers whose SDL_WaitEventTimeout would poll every millisecond sleep in
  // an EventWaiter instead (KMSDRM: evdev input and wake-ups; offscreen:
  // wake-ups only, its input is synthetic). X11/Wayland block natively.
  const std::string_view driver = SDL_GetCurrentVideoDriver() ? SDL_GetCurrentVideoDriver() : "";
  if (IsKmsDrm(driver)) {
    k->waiter_ = std::make_shared<EventWaiter>(true);
    if (!k->waiter_->CanBlock())
      std::fprintf(stderr,
                   "signpost-kiosk: cannot read /dev/input (is the kiosk user in group input?); "
                   "waiting for touches by polling every 10 ms\n");
  } else if (driver == "offscreen" || driver == "dummy") {
    k->waiter_ = std::make_shared<EventWaiter>(false);
  }
  Uint32 wake_type = k->user_event_;
  auto wake = [wake_type, waiter = k->waiter_] {
    SDL_Event e{};
    e.type = wake_type;
    SDL_PushEvent(&e);  // thread-safe
    if (waiter) waiter->Wake();
  };
  k->app_ = std::make_unique<App>(options.config, wake);
  k->app_->set_speech_enabled(options.speech && !headless);
  k->LoadLogo(options.config.branding.logo_path);
  Uint32 redraw_type = k->user_event_ + 1;
  k->pictures_ = std::make_unique<PictureCache>(k->renderer_, [redraw_type, waiter = k->waiter_] {
    SDL_Event e{};
    e.type = redraw_type;
    SDL_PushEvent(&e);  // thread-safe
    if (waiter) waiter->Wake();
  });
  k->app_->set_picture_source([p = k->pictures_.get()](const std::string& path, ImVec2* size) {
    return p->Get(path, size);
  });
  // Live refresh: a cheap "has the catalogue changed?" check every few
  // seconds, run by the frame loop as one of its deadlines (no timer thread,
  // and no frame unless the data changed).
  k->refresh_interval_ = std::max(0.5, options.config.refresh_poll_s);
  k->next_refresh_ = k->refresh_interval_;
  return k;
}

void Kiosk::LoadLogo(const std::string& path) {
  if (path.empty()) return;
  // The config reader has checked it is a PNG of at most 400x120; it may have
  // changed since, so failures here are warnings and the kiosk has no logo.
  int w = 0, h = 0, n = 0;
  unsigned char* px = stbi_load(path.c_str(), &w, &h, &n, 4);
  if (px == nullptr || w > kMaxLogoWidth || h > kMaxLogoHeight) {
    std::fprintf(stderr, "signpost-kiosk: warning: logo %s not shown (%s)\n", path.c_str(),
                 px ? "bigger than 400 x 120" : stbi_failure_reason());
    if (px) stbi_image_free(px);
    return;
  }
  logo_ = SDL_CreateTexture(renderer_, SDL_PIXELFORMAT_ABGR8888, SDL_TEXTUREACCESS_STATIC, w, h);
  if (logo_) {
    SDL_UpdateTexture(logo_, nullptr, px, w * 4);
    SDL_SetTextureBlendMode(logo_, SDL_BLENDMODE_BLEND);
    app_->set_logo(reinterpret_cast<ImTextureID>(logo_), w, h);
  }
  stbi_image_free(px);
}

Kiosk::~Kiosk() {
  --g_live_kiosks;
  app_.reset();       // joins the data worker first
  pictures_.reset();  // its textures go before the renderer
  if (ImGui::GetCurrentContext()) {
    ImGui_ImplSDLRenderer_Shutdown();
    ImGui_ImplSDL2_Shutdown();
    ImGui::DestroyContext();
  }
  if (logo_) SDL_DestroyTexture(logo_);
  if (target_) SDL_DestroyTexture(target_);
  if (renderer_) SDL_DestroyRenderer(renderer_);
  if (surface_) SDL_FreeSurface(surface_);
  if (window_) SDL_DestroyWindow(window_);
  SDL_Quit();
}

// [SECTION] Events and input ----------------------------------------------------------

void Kiosk::ToUi(float px, float py, float* x, float* y) const {
  switch (rotation_) {
    case 90:  // UI turned clockwise: its left edge is along the panel's top
      *x = py;
      *y = static_cast<float>(phys_w_) - px;
      break;
    case 180:
      *x = static_cast<float>(phys_w_) - px;
      *y = static_cast<float>(phys_h_) - py;
      break;
    case 270:
      *x = static_cast<float>(phys_h_) - py;
      *y = px;
      break;
    default:
      *x = px;
      *y = py;
  }
}

bool Kiosk::HandleEvent(const SDL_Event& e) {
  float x = 0, y = 0;
  switch (e.type) {
    case SDL_MOUSEMOTION:
      if (e.motion.which == SDL_TOUCH_MOUSEID) return false;  // handled as a finger
      ToUi(static_cast<float>(e.motion.x), static_cast<float>(e.motion.y), &x, &y);
      mouse_queue_.push_back({0, x, y});
      break;
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP:
      if (e.button.which == SDL_TOUCH_MOUSEID || e.button.button != SDL_BUTTON_LEFT) return false;
      ToUi(static_cast<float>(e.button.x), static_cast<float>(e.button.y), &x, &y);
      mouse_queue_.push_back({e.type == SDL_MOUSEBUTTONDOWN ? 1 : 2, x, y});
      break;
    case SDL_FINGERDOWN:
    case SDL_FINGERMOTION:
    case SDL_FINGERUP: {
      if (e.tfinger.fingerId != 0 && mouse_down_ && e.type == SDL_FINGERDOWN)
        return false;  // 2nd finger
      ToUi(e.tfinger.x * static_cast<float>(phys_w_), e.tfinger.y * static_cast<float>(phys_h_), &x,
           &y);
      int kind = e.type == SDL_FINGERDOWN ? 1 : e.type == SDL_FINGERUP ? 2 : 0;
      mouse_queue_.push_back({kind, x, y});
      break;
    }
    case SDL_TEXTINPUT:
      app_->OnText(e.text.text);
      break;
    case SDL_KEYDOWN:
      app_->OnKey(e.key.keysym.sym);
      break;
    case SDL_MOUSEWHEEL:
      ImGui::GetIO().MouseWheel += static_cast<float>(e.wheel.y);
      break;
    case SDL_QUIT:
      // Ignored on purpose: no keyboard shortcut or window close ends the kiosk.
      return false;
    case SDL_WINDOWEVENT:
      switch (e.window.event) {
        case SDL_WINDOWEVENT_SIZE_CHANGED:
          if (!headless_ && !target_) {
            SDL_GetRendererOutputSize(renderer_, &phys_w_, &phys_h_);
            width_ = phys_w_;
            height_ = phys_h_;
          }
          force_draw_ = true;
          return true;
        case SDL_WINDOWEVENT_SHOWN:
        case SDL_WINDOWEVENT_EXPOSED:
        case SDL_WINDOWEVENT_RESTORED:
        case SDL_WINDOWEVENT_MAXIMIZED:
          force_draw_ = true;  // the window system wants the picture again
          return true;
        default:
          return false;  // focus, enter/leave, moved: nothing to draw
      }
    default:
      // Wake-ups are not user activity: a data answer draws a frame only
      // when it changes a view; a decoded picture always does.
      if (user_event_ && e.type == user_event_) return app_->RunDataCallbacks() > 0;
      if (user_event_ && e.type == user_event_ + 1) return true;
      return false;
  }
  had_input_ = true;
  app_->OnActivity(clock_);
  return true;
}

bool Kiosk::PollEvents() {
  bool visible = false;
  SDL_Event e;
  while (SDL_PollEvent(&e))
    if (HandleEvent(e)) visible = true;
  return visible;
}

// [SECTION] Frames and the event-driven loop --------------------------------------------

void Kiosk::MaybeRefresh() { (void)CheckRefresh(); }

bool Kiosk::CheckRefresh() {
  if (clock_ < next_refresh_) return false;
  next_refresh_ = clock_ + refresh_interval_;
  ++loop_stats_.refresh_checks;
  return app_->OnRefreshTick();
}

void Kiosk::Frame(double dt, bool render) {
  // Scripts and tests: time passes by dt on the virtual clock (or to now on
  // the real one), events are taken, and one frame is built.
  if (virtual_clock_) {
    clock_ += dt;
    last_frame_clock_ = clock_ - dt;
  } else {
    clock_ = SteadySeconds() + real_offset_;
  }
  had_input_ = false;
  PollEvents();
  MaybeRefresh();
  BuildFrame(render);
}

void Kiosk::BuildFrame(bool render) {
  double cpu0 = ThreadCpuMs();
  // Apply queued pointer input, at most one button change per frame.
  std::size_t used = 0;
  for (; used < mouse_queue_.size(); ++used) {
    const PendingMouse& m = mouse_queue_[used];
    if (m.kind != 0 && (m.kind == 1) == mouse_down_) continue;  // no change
    mouse_x_ = m.x;
    mouse_y_ = m.y;
    if (m.kind == 1) mouse_down_ = true;
    if (m.kind == 2) mouse_down_ = false;
    if (m.kind != 0) {
      ++used;
      break;
    }
  }
  mouse_queue_.erase(mouse_queue_.begin(), mouse_queue_.begin() + static_cast<long>(used));

  app_->BeforeFrame(clock_);
  if (app_->PrepareFrame(width_, height_)) {
    ImGui_ImplSDLRenderer_DestroyFontsTexture();
    ImGui_ImplSDLRenderer_CreateFontsTexture();
    force_draw_ = true;  // same draw data can mean new glyphs
  }
  ImGui_ImplSDLRenderer_NewFrame();
  ImGui_ImplSDL2_NewFrame();
  ImGuiIO& io = ImGui::GetIO();
  io.DisplaySize = ImVec2(static_cast<float>(width_), static_cast<float>(height_));
  io.DisplayFramebufferScale = ImVec2(1, 1);
  // Time since the last frame: animations (momentum) advance by it. Capped so
  // a frame after a long sleep does not jump.
  io.DeltaTime = static_cast<float>(std::clamp(clock_ - last_frame_clock_, 1e-4, 0.1));
  last_frame_clock_ = clock_;
  io.MousePos = ImVec2(mouse_x_, mouse_y_);
  for (bool& b : io.MouseDown) b = false;
  io.MouseDown[0] = mouse_down_;

  ImGui::NewFrame();
  app_->Frame(clock_, width_, height_);
  ImGui::Render();
  ++frames_;
  double cpu1 = ThreadCpuMs();
  build_cpu_ms_ = cpu1 - cpu0;
  render_cpu_ms_ = 0;
  if (!render || frames_ % static_cast<std::uint64_t>(render_every_) != 0) return;
  // A frame whose draw data equals the last one drawn is not drawn again
  // (the panel still shows it): building a frame costs a fraction of a
  // millisecond, drawing it a few ms of GPU or software rasteriser.
  const std::uint64_t h = DrawDataHash(app_->theme().p().bg);
  if (frames_drawn_ > 0 && !force_draw_ && h == last_frame_hash_) {
    ++frames_skipped_;
    return;
  }
  force_draw_ = false;
  last_frame_hash_ = h;
  Draw();
  SDL_RenderPresent(renderer_);
  ++frames_drawn_;
  render_cpu_ms_ = ThreadCpuMs() - cpu1;
}

void Kiosk::Draw() {
  const ImVec4 bg = ToVec4(app_->theme().p().bg);
  if (target_) SDL_SetRenderTarget(renderer_, target_);
  SDL_SetRenderDrawColor(renderer_, static_cast<Uint8>(bg.x * 255), static_cast<Uint8>(bg.y * 255),
                         static_cast<Uint8>(bg.z * 255), 255);
  SDL_RenderClear(renderer_);
  ImGui_ImplSDLRenderer_RenderDrawData(ImGui::GetDrawData());
  if (target_) {
    SDL_SetRenderTarget(renderer_, nullptr);
    SDL_SetRenderDrawColor(renderer_, 0, 0, 0, 255);
    SDL_RenderClear(renderer_);
    // Centre the UI-sized texture on the panel and turn it about its centre.
    SDL_Rect dst{(phys_w_ - width_) / 2, (phys_h_ - height_) / 2, width_, height_};
    SDL_RenderCopyEx(renderer_, target_, nullptr, &dst, rotation_, nullptr, SDL_FLIP_NONE);
  }
}

void Kiosk::WaitForEvent(int timeout_ms) {
  // X11, Wayland (and Windows/macOS) block natively in SDL_WaitEventTimeout.
  const char* driver = SDL_GetCurrentVideoDriver();
  std::string_view d = driver ? driver : "";
  if (d == "x11" || d == "wayland" || d == "windows" || d == "cocoa") {
    ++loop_stats_.sleeps;
    SDL_WaitEventTimeout(nullptr, timeout_ms);
    return;
  }
  // KMSDRM (a Pi) and offscreen: SDL would poll every 1 ms. Sleep in poll(2)
  // on the input devices and the wake-up eventfd instead (event_wait.h).
  SDL_PumpEvents();
  if (SDL_PeepEvents(nullptr, 0, SDL_PEEKEVENT, SDL_FIRSTEVENT, SDL_LASTEVENT) > 0) return;
  if (waiter_ && waiter_->CanBlock()) {
    ++loop_stats_.sleeps;
    waiter_->Wait(timeout_ms);
    return;  // the loop pumps SDL's events (it reads its own copy of the input)
  }
  // Without access to the input devices: poll every 10 ms (touch latency
  // +10 ms at worst, ~0.5% CPU).
  Uint32 start = SDL_GetTicks();
  for (;;) {
    ++loop_stats_.sleeps;
    Uint32 waited = SDL_GetTicks() - start;
    if (waited >= static_cast<Uint32>(timeout_ms)) return;
    SDL_Delay(std::min<Uint32>(10, static_cast<Uint32>(timeout_ms) - waited));
    SDL_PumpEvents();
    if (SDL_PeepEvents(nullptr, 0, SDL_PEEKEVENT, SDL_FIRSTEVENT, SDL_LASTEVENT) > 0) return;
  }
}

void Kiosk::Sleep(double deadline) {
  ++loop_stats_.wakeups;
  if (!virtual_clock_) {
    // Whole milliseconds, rounded up: waking a little late costs nothing,
    // waking early would draw the old picture once more.
    double wait_s = std::clamp(deadline - clock_, 0.0, 60.0);
    WaitForEvent(static_cast<int>(std::ceil(wait_s * 1000)) + 1);
    clock_ = SteadySeconds() + real_offset_;
    return;
  }
  // Virtual clock: events already queued happen now; otherwise wait (in real
  // time) for the data worker and picture decoders to answer, then jump.
  for (;;) {
    SDL_PumpEvents();
    if (SDL_PeepEvents(nullptr, 0, SDL_PEEKEVENT, SDL_FIRSTEVENT, SDL_LASTEVENT) > 0) return;
    if (app_->Idle() && !pictures_->Loading()) break;
    if (app_->HasDataCallbacks()) return;  // quiet answers: the loop runs them now
    SDL_WaitEventTimeout(nullptr, 20);
  }
  clock_ = std::max(clock_, deadline);
}

int Kiosk::Loop(double until) {
  // systemd: READY=1 after the first frame, then WATCHDOG=1 from the loop at
  // half the unit's WatchdogSec, so a hung UI thread gets the kiosk restarted.
  // Pinging draws nothing.
  double watchdog_s = 0;
  if (const char* usec = std::getenv("WATCHDOG_USEC")) watchdog_s = std::atof(usec) / 2e6;
  double last_ping = -1e9;
  // The first screen, and a couple of frames for ImGui to lay it out; a loop
  // entered after frames were drawn (scripts, RunFor again) starts idle.
  int frames_left = frames_drawn_ == 0 ? 3 : 0;
  bool ready_sent = false;
  if (!virtual_clock_) clock_ = SteadySeconds() + real_offset_;
  last_frame_clock_ = clock_;
  if (frames_left == 0) {  // the first screen is already up
    SdNotify("READY=1");
    ready_sent = true;
    last_ping = clock_;
  }
  while (!app_->quit_requested() && (until < 0 || clock_ < until)) {
    bool visible = frames_left > 0;
    if (frames_left <= 0) {
      // Nothing moving: sleep until an event or the next timed change.
      double due = app_->NextDeadline(clock_);
      double deadline = std::min(due, next_refresh_);
      if (until >= 0) deadline = std::min(deadline, until);
      if (ready_sent && watchdog_s > 0) deadline = std::min(deadline, last_ping + watchdog_s);
      Sleep(deadline);
      if (clock_ >= due) visible = true;  // a slide, a fade step, the countdown
    } else if (virtual_clock_) {
      clock_ += 1.0 / 60;  // the display's next refresh
    } else {
      clock_ = SteadySeconds() + real_offset_;
    }
    if (ready_sent && watchdog_s > 0 && clock_ - last_ping >= watchdog_s * 0.5) {
      SdNotify("WATCHDOG=1");
      last_ping = clock_;
    }
    had_input_ = false;
    if (app_->RunDataCallbacks() > 0) visible = true;  // quiet ones do not wake us
    if (PollEvents()) visible = true;
    if (CheckRefresh()) visible = true;
    if (ui::TakeRequestedFrames() > 0) visible = true;  // asked for outside a frame
    if (!visible) continue;  // woken for nothing that shows: draw nothing
    BuildFrame(true);
    --frames_left;
    if (!ready_sent) {
      SdNotify("READY=1");
      ready_sent = true;
      last_ping = clock_;
    }
    // Input needs a few frames to settle (hover/active state, layout).
    if (had_input_) frames_left = std::max(frames_left, 3);
    if (!mouse_queue_.empty()) frames_left = std::max(frames_left, 1);
    frames_left = std::max(frames_left, ui::TakeRequestedFrames());
    if (app_->AnimationsRunning()) frames_left = std::max(frames_left, 1);
  }
  return app_->quit_requested() ? kExitTechnician : 0;
}

void Kiosk::RunFor(double seconds, bool virtual_time) {
  if (!virtual_time && virtual_clock_) {
    virtual_clock_ = false;
    real_offset_ = clock_ - SteadySeconds();
  }
  if (virtual_time && !virtual_clock_) virtual_clock_ = true;  // the clock stops being real
  Loop(clock_ + seconds);
}

int Kiosk::RunInteractive() {
  if (virtual_clock_) {  // real time from here on, even when headless
    virtual_clock_ = false;
    real_offset_ = clock_ - SteadySeconds();
  }
  int status = Loop(-1);
  SdNotify("STOPPING=1");
  return status;
}

void Kiosk::Settle(int max_frames) {
  // Logic frames (no rendering) until nothing is pending, then one drawn
  // frame: settling needs no pixels until the end.
  int quiet = 0;
  for (int i = 0; i < max_frames && quiet < 3; ++i) {
    Frame(1.0 / 60, /*render=*/false);
    bool busy = !app_->Idle() || !mouse_queue_.empty() || ui::TakeRequestedFrames() > 0 ||
                app_->AnimationsRunning() || app_->PacedAnimationRunning() || pictures_->Loading();
    if (busy) {
      quiet = 0;
      if (!app_->Idle() || pictures_->Loading()) SDL_Delay(1);  // let the worker answer
    } else {
      ++quiet;
    }
  }
  Frame(1.0 / 60, /*render=*/true);
}

// [SECTION] Synthetic input and screenshots ------------------------------------------------

void Kiosk::PushMouse(int type, float x, float y) {
  SDL_Event e{};
  e.type = static_cast<Uint32>(type);
  if (type == SDL_MOUSEMOTION) {
    e.motion.x = static_cast<Sint32>(std::lround(x));
    e.motion.y = static_cast<Sint32>(std::lround(y));
    e.motion.state = mouse_down_ ? SDL_BUTTON_LMASK : 0;
  } else {
    e.button.button = SDL_BUTTON_LEFT;
    e.button.state = type == SDL_MOUSEBUTTONDOWN ? SDL_PRESSED : SDL_RELEASED;
    e.button.clicks = 1;
    e.button.x = static_cast<Sint32>(std::lround(x));
    e.button.y = static_cast<Sint32>(std::lround(y));
  }
  SDL_PushEvent(&e);
}

void Kiosk::Tap(float x, float y) {
  PushMouse(SDL_MOUSEMOTION, x, y);
  PushMouse(SDL_MOUSEBUTTONDOWN, x, y);
  PushMouse(SDL_MOUSEBUTTONUP, x, y);  // same frame: the queue splits it over two frames
  Settle();
}

void Kiosk::Drag(float x0, float y0, float x1, float y1, double ms) {
  // The finger's path, one point per 1/60 s of the virtual clock; frames are
  // built (scrolling and momentum run on them) but not rendered, so a drag
  // takes no real time. On a real clock the frames are drawn as they happen.
  const bool draw = !virtual_clock_;
  PushMouse(SDL_MOUSEMOTION, x0, y0);
  PushMouse(SDL_MOUSEBUTTONDOWN, x0, y0);
  Frame(1.0 / 60, draw);
  int steps = std::max(2, static_cast<int>(ms / (1000.0 / 60)));
  for (int i = 1; i <= steps; ++i) {
    float t = static_cast<float>(i) / static_cast<float>(steps);
    PushMouse(SDL_MOUSEMOTION, x0 + (x1 - x0) * t, y0 + (y1 - y0) * t);
    Frame(1.0 / 60, draw);
  }
  PushMouse(SDL_MOUSEBUTTONUP, x1, y1);
  Settle();
}

void Kiosk::Type(const std::string& text) {
  for (std::size_t i = 0; i < text.size();) {
    // One UTF-8 character per event and frame, like a person typing.
    std::size_t n = 1;
    auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0xF0)
      n = 4;
    else if (c >= 0xE0)
      n = 3;
    else if (c >= 0xC0)
      n = 2;
    SDL_Event e{};
    e.type = SDL_TEXTINPUT;
    std::snprintf(e.text.text, sizeof e.text.text, "%s", text.substr(i, n).c_str());
    SDL_PushEvent(&e);
    Frame();
    i += n;
  }
  Settle();
}

void Kiosk::Key(int keycode) {
  SDL_Event e{};
  e.type = SDL_KEYDOWN;
  e.key.state = SDL_PRESSED;
  e.key.keysym.sym = keycode;
  e.key.keysym.scancode = SDL_GetScancodeFromKey(keycode);
  SDL_PushEvent(&e);
  e.type = SDL_KEYUP;
  e.key.state = SDL_RELEASED;
  SDL_PushEvent(&e);
  Settle();
}

void Kiosk::Wait(double ms) {
  if (!virtual_clock_) {
    Uint32 end = SDL_GetTicks() + static_cast<Uint32>(ms);
    while (SDL_GetTicks() < end) {
      Frame();
      SDL_Delay(10);
    }
    return;
  }
  double left = ms / 1000.0;
  while (left > 1e-9) {
    double step = std::min(left, 0.1);
    Frame(step, /*render=*/false);  // time passing needs logic, not pixels
    left -= step;
  }
  Settle();
}

bool Kiosk::Screenshot(const std::string& path) {
  // What the panel shows (rotated when the panel is mounted sideways).
  int w = phys_w_, h = phys_h_;
  std::vector<unsigned char> rgba(static_cast<std::size_t>(w) * static_cast<std::size_t>(h) * 4);
  Draw();  // the last frame may have skipped rendering
  if (surface_) {
    SDL_RenderFlush(renderer_);
    SDL_LockSurface(surface_);
    for (int y = 0; y < h; ++y)
      std::copy_n(static_cast<unsigned char*>(surface_->pixels) + y * surface_->pitch, w * 4,
                  rgba.data() + static_cast<std::size_t>(y) * static_cast<std::size_t>(w) * 4);
    SDL_UnlockSurface(surface_);
  } else if (SDL_RenderReadPixels(renderer_, nullptr, SDL_PIXELFORMAT_ABGR8888, rgba.data(),
                                  w * 4) != 0) {
    return false;
  }
  for (std::size_t i = 3; i < rgba.size(); i += 4) rgba[i] = 255;  // opaque
  return stbi_write_png(path.c_str(), w, h, 4, rgba.data(), w * 4) != 0;
}

void Kiosk::GoToScreen(Screen s) {
  App& a = *app_;
  if (s == Screen::kAttract) {
    a.EndSession();
    Settle();
    return;
  }
  a.StartSession();
  switch (s) {
    case Screen::kHome:
      break;
    case Screen::kSearch:
      a.OpenSearch(0);
      break;
    case Screen::kDetail:
      a.OpenSearch(0);
      Settle();
      a.OpenFirstSearchResult();
      break;
    case Screen::kCareer:
      a.Go(Screen::kCareers);
      a.OpenFirstCareer();
      break;
    default:
      a.Go(s);
      break;
  }
  Settle();
}

}  // namespace signpost::kiosk
