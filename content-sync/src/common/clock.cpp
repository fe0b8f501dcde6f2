#include "common/clock.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>
#include <mutex>

namespace signpost::sync {
namespace {

std::atomic<bool> g_stop{false};
int g_pipe[2] = {-1, -1};
std::once_flag g_pipe_once;

void MakePipe() {
  if (pipe2(g_pipe, O_CLOEXEC | O_NONBLOCK) != 0) {
    g_pipe[0] = g_pipe[1] = -1;
  }
}

extern "C" void OnStopSignal(int) {
  const int saved = errno;
  g_stop.store(true);
  if (g_pipe[1] >= 0) {
    const char byte = 1;
    [[maybe_unused]] ssize_t n = write(g_pipe[1], &byte, 1);
  }
  errno = saved;
}

}  // namespace

UnixTime RealClock::Now() { return static_cast<UnixTime>(std::time(nullptr)); }

bool RealClock::StopRequested() const { return g_stop.load(); }

void RealClock::RequestStop() {
  std::call_once(g_pipe_once, MakePipe);
  OnStopSignal(0);
}

void RealClock::InstallStopSignals() {
  std::call_once(g_pipe_once, MakePipe);
  struct sigaction sa {};
  sa.sa_handler = &OnStopSignal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
}

bool RealClock::SleepFor(std::chrono::milliseconds d) {
  std::call_once(g_pipe_once, MakePipe);
  using Steady = std::chrono::steady_clock;
  const auto until = Steady::now() + d;
  while (!g_stop.load()) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(until - Steady::now()).count();
    if (left <= 0) return true;
    pollfd pfd{g_pipe[0], POLLIN, 0};
    const int timeout = static_cast<int>(std::min<long long>(left, 60'000));
    const int rc = g_pipe[0] >= 0 ? poll(&pfd, 1, timeout) : poll(nullptr, 0, timeout);
    if (rc < 0 && errno != EINTR) return !g_stop.load();
  }
  return false;
}

}  // namespace signpost::sync
