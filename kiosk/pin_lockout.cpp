#include "kiosk/pin_lockout.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>

namespace signpost::kiosk {

PinLockout::PinLockout(std::string state_path) : path_(std::move(state_path)) {
  if (path_.empty()) return;
  std::ifstream in(path_);
  long long failures = 0, until = 0;
  if (in >> failures >> until) {
    failures_ = static_cast<int>(std::clamp<long long>(failures, 0, 1000000));
    locked_until_ = std::max<long long>(until, 0);
  }
}

std::int64_t PinLockout::LockedFor(UnixTime now) const {
  return locked_until_ > now ? locked_until_ - now : 0;
}

std::int64_t PinLockout::Failed(UnixTime now) {
  ++failures_;
  std::int64_t lock = 0;
  if (failures_ > kFreeTries) {
    const int doublings = std::min(failures_ - kFreeTries - 1, 20);
    lock = std::min<std::int64_t>(kFirstLockSeconds << doublings, kMaxLockSeconds);
    locked_until_ = now + lock;
  }
  Save();
  return lock;
}

void PinLockout::Succeeded() {
  failures_ = 0;
  locked_until_ = 0;
  Save();
}

void PinLockout::Save() const {
  if (path_.empty()) return;
  const std::string tmp = path_ + ".tmp";
  const int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) return;
  char buf[64];
  const int n =
      std::snprintf(buf, sizeof buf, "%d %lld\n", failures_, static_cast<long long>(locked_until_));
  const bool ok = n > 0 && write(fd, buf, static_cast<std::size_t>(n)) == n && fsync(fd) == 0;
  close(fd);
  if (ok) rename(tmp.c_str(), path_.c_str());
}

std::string PinProblem(const std::string& pin) {
  if (pin.size() < 6 || pin.size() > 12)
    return "a technician PIN has 6 to 12 digits (a 4-digit PIN can be guessed)";
  if (pin.find_first_not_of("0123456789") != std::string::npos)
    return "a technician PIN is digits only (the pad has no letters)";
  return "";
}

}  // namespace signpost::kiosk
