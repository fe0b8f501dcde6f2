// Notifier: systemd's sd_notify protocol for `content-sync run` under a
// Type=notify unit (READY=1, STATUS=..., WATCHDOG=1, STOPPING=1). Does
// nothing when NOTIFY_SOCKET is not set, so the daemon also runs by hand.
// Thread safety: sd_notify is thread-safe; so is this wrapper.
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace signpost::sync {

class Notifier {
 public:
  Notifier();
  bool active() const { return active_; }  // NOTIFY_SOCKET was set
  void Ready(const std::string& status);
  void Status(const std::string& status);
  void Watchdog();
  void Stopping();
  // How often to ping: half of WatchdogSec, or nullopt when no watchdog.
  std::optional<std::chrono::milliseconds> WatchdogInterval() const { return watchdog_; }

 private:
  bool active_ = false;
  std::optional<std::chrono::milliseconds> watchdog_;
};

}  // namespace signpost::sync
