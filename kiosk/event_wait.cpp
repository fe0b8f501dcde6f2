#include "kiosk/event_wait.h"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>

namespace signpost::kiosk {

EventWaiter::EventWaiter(bool watch_input, std::string input_dir)
    : watch_input_(watch_input), input_dir_(std::move(input_dir)) {
  wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (!watch_input_) return;
  notify_fd_ = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (notify_fd_ >= 0 &&
      inotify_add_watch(notify_fd_, input_dir_.c_str(), IN_CREATE | IN_DELETE | IN_ATTRIB) < 0) {
    close(notify_fd_);
    notify_fd_ = -1;
  }
  Rescan();
}

EventWaiter::~EventWaiter() {
  for (int fd : inputs_) close(fd);
  if (notify_fd_ >= 0) close(notify_fd_);
  if (wake_fd_ >= 0) close(wake_fd_);
}

bool EventWaiter::CanBlock() const {
  return wake_fd_ >= 0 && (!watch_input_ || (!inputs_.empty() && notify_fd_ >= 0));
}

void EventWaiter::Wake() {
  if (wake_fd_ < 0) return;
  std::uint64_t one = 1;
  (void)!write(wake_fd_, &one, sizeof one);  // EAGAIN (counter full) still wakes
}

void EventWaiter::Rescan() {
  for (int fd : inputs_) close(fd);
  inputs_.clear();
  DIR* dir = opendir(input_dir_.c_str());
  if (!dir) return;
  while (dirent* e = readdir(dir)) {
    if (std::strncmp(e->d_name, "event", 5) != 0) continue;
    if (static_cast<int>(inputs_.size()) >= kMaxDevices) break;
    const std::string path = input_dir_ + "/" + e->d_name;
    int fd = open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd >= 0) inputs_.push_back(fd);
  }
  closedir(dir);
}

bool EventWaiter::Wait(int timeout_ms) {
  std::vector<pollfd> fds;
  fds.reserve(inputs_.size() + 2);
  fds.push_back({wake_fd_, POLLIN, 0});
  if (notify_fd_ >= 0) fds.push_back({notify_fd_, POLLIN, 0});
  for (int fd : inputs_) fds.push_back({fd, POLLIN, 0});
  int n = poll(fds.data(), fds.size(), std::max(0, timeout_ms));
  if (n <= 0) return false;  // timeout (or EINTR: the caller's loop checks its clock)
  char buf[4096];
  bool rescan = false;
  for (const pollfd& p : fds) {
    if (p.revents == 0) continue;
    if (p.fd == notify_fd_) {
      while (read(p.fd, buf, sizeof buf) > 0) {
      }
      rescan = true;
      continue;
    }
    // Drain our copy (SDL reads its own); a device that went away is dropped.
    ssize_t r;
    while ((r = read(p.fd, buf, sizeof buf)) > 0) {
    }
    if (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK && p.fd != wake_fd_) rescan = true;
    if (p.revents & (POLLERR | POLLHUP | POLLNVAL)) rescan = true;
  }
  if (rescan && watch_input_) Rescan();
  return true;
}

}  // namespace signpost::kiosk
