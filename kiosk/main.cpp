// signpost-kiosk: the touch kiosk. See `signpost-kiosk --help`.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "kiosk/platform.h"
#include "kiosk/script.h"
#include "kiosk/technician_pin.h"

namespace {

constexpr const char* kUsage = R"(Usage: signpost-kiosk [options]

  --catalogue PATH     catalogue to read (default: $SIGNPOST_CATALOGUE or
                       /var/lib/signpost/catalogue.sqlite)
  --postcode PC        where the kiosk stands, for distances
  --idle-timeout SECS  end a session after this long untouched (default 90)
  --pin-hash-file PATH technician PIN hash (default /etc/signpost/technician-pin)
  --hash-pin PIN       print the hash for PIN (to put in the PIN hash file) and exit
  --fullscreen         take the whole display (kiosk use)
  --hide-cursor        no mouse pointer (touch panels)
  --size WxH           window or headless size (default 800x480)
  --language CODE      start in this language (en, cy)
  --text-size N        start at text size 0, 1 or 2
  --high-contrast      start in the high-contrast theme
  --dyslexia-font      start with the OpenDyslexic font

Testing and screenshots (no display needed):
  --headless           render with SDL's offscreen driver and a software renderer
  --screen NAME        open a screen: attract home search detail careers career
                       events subjects shortlist help pin technician
  --screenshot PATH    save the screen as PNG and exit
  --script FILE        run a script of taps, drags, typing and checks, then exit
  --frames N           frames to render before the screenshot (default: until settled)
  --startup-time       print the time from start to the first full frame

With no display and no --headless, the kiosk renders headless and tells you
where the screenshot went.
)";

bool ParseSize(const char* s, int* w, int* h) {
  return std::sscanf(s, "%dx%d", w, h) == 2 && *w >= 200 && *h >= 200 && *w <= 8192 && *h <= 8192;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace signpost::kiosk;
  auto t0 = std::chrono::steady_clock::now();
  RunOptions opt;
  const char* env_cat = std::getenv("SIGNPOST_CATALOGUE");
  opt.config.catalogue_path = env_cat && *env_cat ? env_cat : "/var/lib/signpost/catalogue.sqlite";
  opt.config.pin_hash_path = "/etc/signpost/technician-pin";
  std::string screen_name, screenshot, script;
  int frames = 0;
  bool startup_time = false;
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
    } else if (a == "--catalogue") {
      opt.config.catalogue_path = next();
    } else if (a == "--postcode") {
      opt.config.postcode = next();
    } else if (a == "--idle-timeout") {
      opt.config.idle_timeout_s = std::max(20.0, std::atof(next()));
      opt.config.still_there_s = std::min(15.0, opt.config.idle_timeout_s / 3);
    } else if (a == "--pin-hash-file") {
      opt.config.pin_hash_path = next();
    } else if (a == "--hash-pin") {
      std::string h = HashPin(next());
      if (h.empty()) return 1;
      std::printf("%s\n", h.c_str());
      return 0;
    } else if (a == "--fullscreen") {
      opt.fullscreen = true;
    } else if (a == "--hide-cursor") {
      opt.hide_cursor = true;
    } else if (a == "--size") {
      if (!ParseSize(next(), &opt.width, &opt.height)) {
        std::fprintf(stderr, "signpost-kiosk: --size wants WIDTHxHEIGHT, e.g. 800x480\n");
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
    } else {
      std::fprintf(stderr, "signpost-kiosk: unknown option %s (see --help)\n", a.c_str());
      return 2;
    }
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

  std::string error;
  auto kiosk = Kiosk::Create(opt, &error);
  if (!kiosk) {
    std::fprintf(stderr, "signpost-kiosk: %s\n", error.c_str());
    return 1;
  }
  if (kiosk->headless()) kiosk->app().set_speech_enabled(false);
  if (kiosk->headless() && !start_screen && script.empty()) {
    // No display (or --headless alone): show the home screen, not the idle loop.
    start_screen = Screen::kHome;
    screen_name = "home";
  }
  if (start_screen) kiosk->GoToScreen(*start_screen);
  if (startup_time) {
    kiosk->Settle();
    double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    std::printf("start to first full frame: %.1f ms\n", ms);
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
                kiosk->headless() ? "headless " : "", kiosk->width(), kiosk->height(),
                screenshot.c_str());
    return 0;
  }
  return kiosk->RunInteractive();
}
