// EventWaiter: lets the UI thread sleep until something happens on SDL video
// drivers whose SDL_WaitEventTimeout polls every millisecond (KMSDRM, which
// a Raspberry Pi kiosk runs on, and the headless `offscreen` driver).
//
// It blocks in poll(2) on an eventfd that every wake-up writes (data answers,
// decoded pictures: the same callers that SDL_PushEvent) and, for KMSDRM,
// on the evdev devices SDL itself reads (/dev/input/event*: touch panel,
// keyboard, mouse; each open file gets its own copy of the events, so
// reading ours does not take them from SDL), plus an inotify watch on
// /dev/input for devices plugged in later. When input arrives the platform
// layer calls SDL_PumpEvents() and SDL reads its own copy.
//
// When the devices cannot be opened (no permission: the kiosk user must be
// in group `input`, as KMSDRM needs anyway) CanBlock() is false and the
// caller polls instead, as before.
// Thread safety: Wake() from any thread; everything else on the UI thread.
#pragma once

#include <string>
#include <vector>

namespace signpost::kiosk {

class EventWaiter {
 public:
  static constexpr int kMaxDevices = 64;  // bound on the evdev files held open

  // watch_input: also wait for evdev input (KMSDRM); false for drivers with
  // no devices of their own (offscreen), where only Wake() ends a wait.
  explicit EventWaiter(bool watch_input, std::string input_dir = "/dev/input");
  ~EventWaiter();
  EventWaiter(const EventWaiter&) = delete;
  EventWaiter& operator=(const EventWaiter&) = delete;

  bool CanBlock() const;  // false: fall back to polling
  void Wake();            // any thread: ends the current or next Wait()
  // Sleeps up to timeout_ms, until input is readable or Wake() was called;
  // drains what woke it. True when woken (not by the timeout).
  bool Wait(int timeout_ms);
  int devices() const { return static_cast<int>(inputs_.size()); }

 private:
  void Rescan();  // (re)opens every input event device
  bool watch_input_;
  std::string input_dir_;
  int wake_fd_ = -1;    // eventfd
  int notify_fd_ = -1;  // inotify on input_dir_
  std::vector<int> inputs_;
};

}  // namespace signpost::kiosk
