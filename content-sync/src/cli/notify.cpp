#include "cli/notify.h"

#include <systemd/sd-daemon.h>

#include <cstdlib>

namespace signpost::sync {

Notifier::Notifier() {
  active_ = std::getenv("NOTIFY_SOCKET") != nullptr;
  uint64_t usec = 0;
  if (active_ && sd_watchdog_enabled(0, &usec) > 0 && usec > 0) {
    watchdog_ = std::chrono::milliseconds(static_cast<long long>(usec / 2000));
  }
}

void Notifier::Ready(const std::string& status) {
  if (active_) sd_notifyf(0, "READY=1\nSTATUS=%s", status.c_str());
}

void Notifier::Status(const std::string& status) {
  if (active_) sd_notifyf(0, "STATUS=%s", status.c_str());
}

void Notifier::Watchdog() {
  if (active_ && watchdog_) sd_notify(0, "WATCHDOG=1");
}

void Notifier::Stopping() {
  if (active_) sd_notify(0, "STOPPING=1\nSTATUS=Stopping");
}

}  // namespace signpost::sync
