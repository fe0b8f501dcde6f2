// signpost-kiosk: the touch kiosk. See `signpost-kiosk --help`.
#include <SDL.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "kiosk/config.h"
#include "kiosk/layout_audit.h"
#include "kiosk/pin_lockout.h"
#include "kiosk/platform.h"
#include "kiosk/screens/search.h"
#include "kiosk/script.h"
#include "kiosk/technician_pin.h"
#include "kiosk/usage_tracker.h"

namespace {

constexpr const char* kUsage = R"(Usage: signpost-kiosk [options]

  --config PATH        the kiosk's config file, [kiosk] section (default
                       /etc/signpost/kiosk.toml; a missing default file = defaults)
  --catalogue PATH     catalogue to read (default: the config's catalogue, else
                       [sync] catalogue, else $SIGNPOST_CATALOGUE, else
                       /var/lib/signpost/catalogue.db)
  --postcode PC        where the kiosk stands, for distances
  --idle-timeout SECS  end a session after this long untouched (default 90)
  --pin-hash-file PATH read the technician PIN hash from this file instead of the
                       config's technician_pin_hash (default when that key is
                       absent: /etc/signpost/technician-pin)
  --hash-pin           read a PIN (6 to 12 digits) from standard input, print its
                       hash (for technician_pin_hash) and exit; the PIN is never
                       put on the command line, where ps and shell history see it
  --check-config       check the config file and exit: 0 when every setting is
                       usable, 1 when one would be ignored (each is printed with
                       its line and field), 2 when the file cannot be read
  --fullscreen         take the whole display (kiosk use)
  --hide-cursor        no mouse pointer (touch panels)
  --size WxH           window or headless size (default 800x480)
  --rotate DEG         panel mounted sideways: turn the UI 90, 180 or 270 degrees
                       clockwise (touches are turned to match)
  --language CODE      start in this language (en, cy)
  --text-size N        start at text size 0, 1 or 2
  --high-contrast      start in the high-contrast theme
  --dyslexia-font      start with the OpenDyslexic font
  --usage PATH         anonymous usage counters (default: usage.db beside the
                       catalogue; "none" = do not count; --headless: none)

Settings come from the built-in defaults, then the config file, then these
options (an option wins). A bad value in the config file is reported on
stderr with the file, line and field, and that setting keeps its default.

Exit status: 0, or 10 when a technician chose "Exit kiosk" (for systemd's
RestartPreventExitStatus=), 1 on errors, 2 on bad options.

Testing and screenshots (no display needed):
  --headless           render with SDL's offscreen driver and a software renderer
  --screen NAME        open a screen: attract home search detail careers career
                       events subjects interests shortlist help pin technician
  --screenshot PATH    save the screen as PNG and exit
  --script FILE        run a script of taps, drags, typing and checks, then exit
  --frames N           frames to render before the screenshot (default: until settled)
  --no-fallback        fail instead of rendering headless when there is no display
                       (implied by --fullscreen and by SDL_VIDEODRIVER being set)
  --startup-time       print the time from start to the first full frame
  (--screen pin/technician and --script skip the technician PIN, so they are
  refused with --fullscreen, the way the kiosk's systemd unit runs it)
  --measure            print performance figures (start-up, keystroke to results,
                       UI-thread CPU per frame while scrolling, memory, idle CPU)
  --layout-audit       check every screen (in its usual states) at 800x480,
                       1024x600, 1280x800 and 1080x1920 with each text size for
                       text that overflows its widget, is cut off or covered, or
                       is cut short with "..." where no tap shows the whole;
                       prints each finding, exits 1 if there are any. With
                       --screenshot DIR: a PNG of every scene with findings;
                       --scene NAME: one scene; --dyslexia-font: that font too;
                       --all-shots: a PNG of every scene
  --run-for SECS       run the real event loop (window or headless) for SECS
                       seconds after the first screen, untouched unless a person
                       touches it, then print the frames drawn, wake-ups and CPU
                       time, and exit (bench/chromium uses it under Xvfb)

With no display and no --headless, the kiosk renders headless and tells you
where the screenshot went.
)";

double ProcessCpuMs() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
         (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

long ResidentMb() {
  std::ifstream in("/proc/self/statm");
  long pages = 0, resident = 0;
  in >> pages >> resident;
  return resident * sysconf(_SC_PAGESIZE) / (1024 * 1024);
}

void PushMouse(Uint32 type, int x, int y) {
  SDL_Event e{};
  e.type = type;
  if (type == SDL_MOUSEMOTION) {
    e.motion.x = x;
    e.motion.y = y;
  } else {
    e.button.button = SDL_BUTTON_LEFT;
    e.button.x = x;
    e.button.y = y;
  }
  SDL_PushEvent(&e);
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1))];
}

// --measure: the issue's performance figures, on whatever catalogue is given.
void Measure(signpost::kiosk::Kiosk& k) {
  using namespace signpost::kiosk;
  using Clock = std::chrono::steady_clock;
  k.GoToScreen(Screen::kSearch);
  std::printf("catalogue rows: %lld\n",
              static_cast<long long>(
                  k.app().view_as<SearchScreen>(Screen::kSearch).results(k.app()).total));
  // Keystroke to updated results.
  std::string typed;
  std::vector<double> key_ms;
  std::vector<int> key_frames;
  for (char c : std::string("engineer")) {
    typed.push_back(c);
    SDL_Event e{};
    e.type = SDL_TEXTINPUT;
    e.text.text[0] = c;
    SDL_PushEvent(&e);
    auto t = Clock::now();
    int frames = 0;
    for (;;) {
      k.Frame();
      ++frames;
      const SearchView& v = k.app().view_as<SearchScreen>(Screen::kSearch).results(k.app());
      if (v.for_state.text == typed && !v.loading) break;
      if (frames > 10000) break;
      SDL_Delay(0);
    }
    key_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t).count());
    key_frames.push_back(frames);
  }
  std::printf("keystroke to updated results: median %.1f ms, worst %.1f ms (frames: worst %d)\n",
              Percentile(key_ms, 0.5), Percentile(key_ms, 1.0),
              *std::max_element(key_frames.begin(), key_frames.end()));
  // Scrolling the full list: drag up repeatedly, with flings.
  k.GoToScreen(Screen::kSearch);
  k.Settle();
  std::vector<double> build, render;
  for (int stroke = 0; stroke < 20; ++stroke) {
    PushMouse(SDL_MOUSEMOTION, 400, 400);
    PushMouse(SDL_MOUSEBUTTONDOWN, 400, 400);
    k.Frame();
    for (int i = 1; i <= 20; ++i) {
      PushMouse(SDL_MOUSEMOTION, 400, 400 - i * 12);
      k.Frame();
      build.push_back(k.last_build_cpu_ms());
      render.push_back(k.last_render_cpu_ms());
    }
    PushMouse(SDL_MOUSEBUTTONUP, 400, 160);
    for (int i = 0; i < 30; ++i) {  // momentum
      k.Frame();
      build.push_back(k.last_build_cpu_ms());
      render.push_back(k.last_render_cpu_ms());
    }
  }
  std::printf(
      "scrolling (%zu frames): UI-thread CPU to build a frame median %.2f ms, p95 %.2f ms; "
      "software rendering (headless only, a GPU does this on a Pi) median %.2f ms\n",
      build.size(), Percentile(build, 0.5), Percentile(build, 0.95), Percentile(render, 0.5));
  std::printf("resident memory: %ld MB\n", ResidentMb());
  // Idle: the real event loop, untouched, for 5 seconds (after the last
  // fling has come to rest).
  k.Settle();
  k.RunFor(1.0);
  double cpu0 = ProcessCpuMs();
  auto frames0 = k.frames_drawn();
  k.RunFor(5.0);
  std::printf("idle for 5 s: %.1f ms CPU (%.2f%%), %llu frames drawn\n", ProcessCpuMs() - cpu0,
              (ProcessCpuMs() - cpu0) / 50.0,
              static_cast<unsigned long long>(k.frames_drawn() - frames0));
}

// --run-for: the real event loop, as a person meets it, for `seconds` after
// the first screen is up; what it drew and cost.
void RunFor(signpost::kiosk::Kiosk& k, double seconds) {
  k.RunFor(0.5);  // the first screen, laid out and answered
  const auto drawn0 = k.frames_drawn();
  const auto stats0 = k.loop_stats();
  const double cpu0 = ProcessCpuMs();
  k.RunFor(seconds);
  const double cpu = ProcessCpuMs() - cpu0;
  std::printf(
      "ran %.0f s after the first screen: %llu frames drawn, %llu wake-ups (%llu sleeps), %llu "
      "catalogue checks, %.1f ms CPU (%.3f%% of a core)\n",
      seconds, static_cast<unsigned long long>(k.frames_drawn() - drawn0),
      static_cast<unsigned long long>(k.loop_stats().wakeups - stats0.wakeups),
      static_cast<unsigned long long>(k.loop_stats().sleeps - stats0.sleeps),
      static_cast<unsigned long long>(k.loop_stats().refresh_checks - stats0.refresh_checks), cpu,
      cpu / (seconds * 10.0));
  std::fflush(stdout);
}

// --layout-audit: every scene at every size and text size; 1 on findings.
int LayoutAudit(const signpost::kiosk::RunOptions& opt, const std::string& shots,
                const std::string& scene, bool all_shots) {
  using namespace signpost::kiosk;
  LayoutAuditOptions a;
  a.base = opt;
  a.screenshot_dir = shots;
  a.only_scene = scene;
  a.screenshot_all = all_shots;
  a.dyslexia_font = opt.config.defaults.dyslexia_font;
  std::string error;
  std::vector<std::string> log;
  auto found = RunLayoutAudit(a, &error, &log);
  if (!error.empty()) {
    std::fprintf(stderr, "signpost-kiosk: %s\n", error.c_str());
    return 1;
  }
  for (const auto& f : found)
    std::printf("%s: %s: \"%s\"%s at (%.0f,%.0f)-(%.0f,%.0f), box (%.0f,%.0f)-(%.0f,%.0f)\n",
                f.where.c_str(), f.what.c_str(), f.text.c_str(),
                f.full != f.text ? (" (of \"" + f.full + "\")").c_str() : "", f.rect.Min.x,
                f.rect.Min.y, f.rect.Max.x, f.rect.Max.y, f.bound.Min.x, f.bound.Min.y,
                f.bound.Max.x, f.bound.Max.y);
  std::printf("layout audit: %zu scenes, %zu findings\n", log.size(), found.size());
  return found.empty() ? 0 : 1;
}

// Options followed by a value (so the --config pre-scan skips the value).
bool TakesValue(const std::string& a) {
  for (const char* o : {"--catalogue", "--postcode", "--idle-timeout", "--pin-hash-file", "--size",
                        "--rotate", "--language", "--text-size", "--screen", "--screenshot",
                        "--script", "--frames", "--usage", "--run-for", "--scene"})
    if (a == o) return true;
  return false;
}

bool ParseSize(const char* s, int* w, int* h) {
  return std::sscanf(s, "%dx%d", w, h) == 2 && *w >= 200 && *h >= 200 && *w <= 8192 && *h <= 8192;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace signpost::kiosk;
  auto t0 = std::chrono::steady_clock::now();
  RunOptions opt;
  const char* env_cat = std::getenv("SIGNPOST_CATALOGUE");
  opt.config.catalogue_path = env_cat && *env_cat ? env_cat : kDefaultCataloguePath;
  opt.config.pin_hash_path = "/etc/signpost/technician-pin";
  // The config file first (flags below override it). Options that print and
  // exit do not read it.
  std::string config_path = kDefaultConfigPath;
  bool config_given = false, read_config = true, check_config = false;
  double still_there_s = 15;  // the file's, or the default; capped at a third of the idle time
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--help" || a == "-h" || a == "--version" || a == "--hash-pin") read_config = false;
    if (a == "--check-config") check_config = true;
    if (a == "--config") {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "signpost-kiosk: --config needs a value\n");
        return 2;
      }
      config_path = argv[++i];
      config_given = true;
    } else if (TakesValue(a)) {
      ++i;
    }
  }
  if (read_config) {
    auto file = LoadKioskConfig(config_path, config_given);
    if (!file.ok()) {
      std::fprintf(stderr, "signpost-kiosk: %s\n", file.status().message().c_str());
      return 2;
    }
    for (const auto& w : file->warnings)
      std::fprintf(stderr, "signpost-kiosk: warning: %s\n", w.c_str());
    // The image's boot-time setup checks signpost.toml with this parser
    // (deploy/image/): every setting the kiosk would ignore is a mistake
    // to show the technician.
    if (check_config) {
      if (file->warnings.empty())
        std::printf("signpost-kiosk: %s: every setting is usable\n", config_path.c_str());
      return file->warnings.empty() ? 0 : 1;
    }
    ApplyKioskConfig(*file, &opt);
    if (file->still_there_s > 0) still_there_s = file->still_there_s;
  }
  std::string screen_name, screenshot, script, usage_path;
  bool usage_given = false;
  int frames = 0;
  bool startup_time = false;
  bool measure = false;
  double run_for = 0;
  bool layout_audit = false;
  bool all_shots = false;
  std::string scene;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> const char* {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "signpost-kiosk: %s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--help" || a == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    } else if (a == "--version") {
      std::printf("signpost-kiosk %s\n", SIGNPOST_VERSION);
      return 0;
    } else if (a == "--config") {
      next();  // read above
    } else if (a == "--catalogue") {
      opt.config.catalogue_path = next();
    } else if (a == "--postcode") {
      opt.config.postcode = next();
    } else if (a == "--idle-timeout") {
      opt.config.idle_timeout_s = std::max(20.0, std::atof(next()));
      opt.config.still_there_s = std::min(still_there_s, opt.config.idle_timeout_s / 3);
    } else if (a == "--pin-hash-file") {
      opt.config.pin_hash_path = next();
      opt.config.pin_hash.reset();  // the flag wins over the file's technician_pin_hash
    } else if (a == "--hash-pin") {
      if (i + 1 < argc && argv[i + 1][0] != '-') {
        std::fprintf(stderr,
                     "signpost-kiosk: --hash-pin reads the PIN from standard input, not the "
                     "command line (where ps and shell history would keep it): run "
                     "signpost-kiosk --hash-pin and type the PIN\n");
        return 2;
      }
      if (isatty(0)) std::fprintf(stderr, "Technician PIN (6 to 12 digits): ");
      std::string pin;
      if (!std::getline(std::cin, pin)) pin.clear();
      while (!pin.empty() && (pin.back() == '\r' || pin.back() == ' ')) pin.pop_back();
      if (const std::string why = PinProblem(pin); !why.empty()) {
        std::fprintf(stderr, "signpost-kiosk: %s\n", why.c_str());
        return 2;
      }
      std::string h = HashPin(pin);
      if (h.empty()) return 1;
      std::printf("%s\n", h.c_str());
      return 0;
    } else if (a == "--check-config") {
      // handled with the config file above
    } else if (a == "--fullscreen") {
      opt.fullscreen = true;
      opt.allow_headless_fallback = false;  // a kiosk service must fail loudly
    } else if (a == "--no-fallback") {
      opt.allow_headless_fallback = false;
    } else if (a == "--hide-cursor") {
      opt.hide_cursor = true;
    } else if (a == "--size") {
      if (!ParseSize(next(), &opt.width, &opt.height)) {
        std::fprintf(stderr, "signpost-kiosk: --size wants WIDTHxHEIGHT, e.g. 800x480\n");
        return 2;
      }
    } else if (a == "--rotate") {
      opt.rotation = std::atoi(next());
      if (opt.rotation % 90 != 0) {
        std::fprintf(stderr, "signpost-kiosk: --rotate wants 0, 90, 180 or 270\n");
        return 2;
      }
    } else if (a == "--language") {
      opt.config.defaults.language = next();
    } else if (a == "--text-size") {
      opt.config.defaults.text_size = std::atoi(next());
    } else if (a == "--high-contrast") {
      opt.config.defaults.high_contrast = true;
    } else if (a == "--dyslexia-font") {
      opt.config.defaults.dyslexia_font = true;
    } else if (a == "--usage") {
      usage_path = next();
      usage_given = true;
    } else if (a == "--headless") {
      opt.headless = true;
    } else if (a == "--screen") {
      screen_name = next();
    } else if (a == "--screenshot") {
      screenshot = next();
    } else if (a == "--script") {
      script = next();
    } else if (a == "--frames") {
      frames = std::atoi(next());
    } else if (a == "--startup-time") {
      startup_time = true;
    } else if (a == "--measure") {
      measure = true;
      startup_time = true;
    } else if (a == "--layout-audit") {
      layout_audit = true;
    } else if (a == "--scene") {
      scene = next();
    } else if (a == "--all-shots") {
      all_shots = true;
    } else if (a == "--run-for") {
      run_for = std::atof(next());
      if (!(run_for > 0 && run_for <= 86400)) {
        std::fprintf(stderr, "signpost-kiosk: --run-for wants seconds (0 < SECS <= 86400)\n");
        return 2;
      }
    } else {
      std::fprintf(stderr, "signpost-kiosk: unknown option %s (see --help)\n", a.c_str());
      return 2;
    }
  }
  // Production (the systemd units run --fullscreen): nothing may open the
  // technician screen without the PIN, or drive the kiosk from a file.
  if (opt.fullscreen &&
      (!script.empty() || screen_name == "technician" || screen_name == "pin" || measure)) {
    std::fprintf(stderr,
                 "signpost-kiosk: --script, --measure and --screen pin/technician are for tests "
                 "and skip the technician PIN: they are refused with --fullscreen\n");
    return 2;
  }
  std::optional<Screen> start_screen;
  if (!screen_name.empty()) {
    start_screen = ParseScreen(screen_name);
    if (!start_screen) {
      std::fprintf(stderr, "signpost-kiosk: unknown screen '%s' (see --help)\n",
                   screen_name.c_str());
      return 2;
    }
  }
  if (opt.headless) opt.speech = false;
  // Usage counters: beside the catalogue by default; tests and screenshots
  // (--headless) count nothing unless asked.
  if (usage_given) {
    opt.config.usage_path = usage_path == "none" ? "" : usage_path;
  } else if (!opt.headless) {
    opt.config.usage_path = DefaultUsagePath(opt.config.catalogue_path);
  }
  // Wrong-PIN back-off survives a restart (beside the catalogue, in the
  // kiosk's state folder); headless runs (tests, screenshots) keep it in memory.
  if (!opt.headless) {
    opt.config.pin_lockout_path =
        (std::filesystem::path(opt.config.catalogue_path).parent_path() / "pin-lockout").string();
  }
  // An explicit driver (the systemd units set SDL_VIDEODRIVER=kmsdrm/wayland)
  // means "this display": failing to open it is an error, not a reason to
  // quietly render screenshots in a restart loop.
  if (const char* drv = std::getenv("SDL_VIDEODRIVER"); drv && *drv && !opt.headless)
    opt.allow_headless_fallback = false;

  std::string error;
  if (layout_audit) return LayoutAudit(opt, screenshot, scene, all_shots);
  auto kiosk = Kiosk::Create(opt, &error);
  if (!kiosk) {
    std::fprintf(stderr, "signpost-kiosk: %s\n", error.c_str());
    return 1;
  }
  if (kiosk->headless()) kiosk->app().set_speech_enabled(false);
  if (kiosk->headless() && !start_screen && script.empty() && !measure && run_for <= 0) {
    // No display (or --headless alone): show the home screen, not the idle loop.
    start_screen = Screen::kHome;
    screen_name = "home";
  }
  if (start_screen) kiosk->GoToScreen(*start_screen);
  if (startup_time) {
    if (!start_screen) kiosk->GoToScreen(Screen::kHome);
    kiosk->Settle();  // until the catalogue has answered and the frame is complete
    double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    std::printf("start to first full frame: %.1f ms\n", ms);
  }
  if (measure) {
    Measure(*kiosk);
    return 0;
  }

  if (run_for > 0) {
    RunFor(*kiosk, run_for);
    return 0;
  }
  if (!script.empty()) {
    if (!RunScriptFile(*kiosk, script, &error)) {
      std::fprintf(stderr, "signpost-kiosk: %s\n", error.c_str());
      return 1;
    }
    if (screenshot.empty()) return 0;
  }
  if (kiosk->headless() || !screenshot.empty()) {
    if (frames > 0) {
      for (int i = 0; i < frames; ++i) kiosk->Frame();
    } else {
      kiosk->Settle();
    }
    if (screenshot.empty())
      screenshot = DefaultScreenshotPath(screen_name.empty() ? "attract" : screen_name);
    if (!kiosk->Screenshot(screenshot)) {
      std::fprintf(stderr, "signpost-kiosk: could not write %s\n", screenshot.c_str());
      return 1;
    }
    std::printf("signpost-kiosk: %s%dx%d screenshot saved to %s\n",
                kiosk->headless() ? "headless " : "", kiosk->panel_width(), kiosk->panel_height(),
                screenshot.c_str());
    return 0;
  }
  return kiosk->RunInteractive();
}
