// XvfbDisplay: a private X server (Debian's `xvfb`) for tests that need a
// real display rather than SDL's offscreen driver: the kiosk's windowed
// event loop behaves differently there (X11 events, SDL_WaitEventTimeout
// blocking natively, a real renderer).
//
// Start() launches `Xvfb -displayfd` (the server picks a free display number
// itself, so parallel tests never collide), waits at most 10 s for it and
// points $DISPLAY at it; the destructor stops it (SIGTERM, then SIGKILL).
// Thread safety: one per test process, from the test's thread.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>

extern char** environ;

namespace signpost::kiosk::testing {

class XvfbDisplay {
 public:
  XvfbDisplay() = default;
  XvfbDisplay(const XvfbDisplay&) = delete;
  XvfbDisplay& operator=(const XvfbDisplay&) = delete;
  ~XvfbDisplay() { Stop(); }

  // False (with *error) when Xvfb is missing or does not come up in time.
  bool Start(const std::string& screen_geometry, std::string* error) {
    int fds[2];
    if (pipe(fds) != 0) {
      *error = "pipe failed";
      return false;
    }
    const std::string fd_arg = std::to_string(fds[1]);
    const std::string geometry = screen_geometry + "x24";
    const char* argv[] = {"Xvfb",           "-displayfd", fd_arg.c_str(), "-screen",  "0",
                          geometry.c_str(), "-nolisten",  "tcp",          "-noreset", nullptr};
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addclose(&actions, fds[0]);
    // Quiet: Xvfb's start-up chatter (missing xkb rules, fonts) is not ours.
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    int rc = posix_spawnp(&pid_, "Xvfb", &actions, nullptr, const_cast<char**>(argv), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(fds[1]);
    if (rc != 0) {
      close(fds[0]);
      pid_ = -1;
      *error = "cannot start Xvfb (install it: deploy/install-deps.sh, package xvfb)";
      return false;
    }
    // Xvfb writes the display number and a newline once it accepts clients.
    std::string number;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (number.find('\n') == std::string::npos) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                      deadline - std::chrono::steady_clock::now())
                      .count();
      pollfd p{fds[0], POLLIN, 0};
      if (left <= 0 || poll(&p, 1, static_cast<int>(left)) <= 0) break;
      char buf[16];
      ssize_t n = read(fds[0], buf, sizeof buf);
      if (n <= 0) break;
      number.append(buf, static_cast<std::size_t>(n));
    }
    close(fds[0]);
    if (number.find('\n') == std::string::npos) {
      *error = "Xvfb did not report a display within 10 s";
      Stop();
      return false;
    }
    number.erase(number.find('\n'));
    display_ = ":" + number;
    setenv("DISPLAY", display_.c_str(), 1);
    unsetenv("SDL_VIDEODRIVER");
    unsetenv("WAYLAND_DISPLAY");
    return true;
  }

  const std::string& display() const { return display_; }

  void Stop() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    for (int i = 0; i < 100; ++i) {  // up to 5 s
      if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
        pid_ = -1;
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }

 private:
  pid_t pid_ = -1;
  std::string display_;
};

}  // namespace signpost::kiosk::testing
