// Clock: the time seam for content-sync (LevelDB's Env style).
//
// The fetcher's retry backoff, the daemon's schedule and the status output
// read time and sleep only through a Clock, so tests run with a FakeClock
// that advances instantly. RealClock sleeps in poll() on a self-pipe that the
// SIGTERM/SIGINT handler writes to, so a sleeping daemon wakes at once on
// shutdown without a busy loop.
//
// Thread safety: RealClock may be shared between threads; InstallStopSignals
// is called once from main before threads start. FakeClock is for one thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <vector>

#include "signpost/dates.h"

namespace signpost::sync {

class Clock {
 public:
  virtual ~Clock() = default;
  // Wall-clock time, Unix seconds.
  virtual UnixTime Now() = 0;
  // Sleeps for `d` or until a stop is requested; false when stopped.
  virtual bool SleepFor(std::chrono::milliseconds d) = 0;
  // True once SIGTERM/SIGINT arrived (RealClock) or RequestStop was called.
  virtual bool StopRequested() const = 0;
};

class RealClock final : public Clock {
 public:
  UnixTime Now() override;
  bool SleepFor(std::chrono::milliseconds d) override;
  bool StopRequested() const override;
  // Installs SIGTERM/SIGINT handlers that request a stop (async-signal-safe:
  // sets a flag and writes a byte to a pipe). Idempotent.
  static void InstallStopSignals();
  // Requests a stop as the signal handler would (for tests and main).
  static void RequestStop();
};

// A clock for tests: SleepFor advances time instantly and records the sleeps.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(UnixTime start = 1'790'000'000) : now_ms_(start * 1000) {}
  UnixTime Now() override { return now_ms_ / 1000; }
  bool SleepFor(std::chrono::milliseconds d) override {
    sleeps.push_back(d);
    now_ms_ += d.count();
    return !stop;
  }
  bool StopRequested() const override { return stop; }
  void Advance(std::chrono::seconds s) { now_ms_ += s.count() * 1000; }

  std::vector<std::chrono::milliseconds> sleeps;  // every SleepFor, in order
  bool stop = false;                              // make StopRequested() true

 private:
  std::int64_t now_ms_;
};

}  // namespace signpost::sync
