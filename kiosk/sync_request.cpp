#include "kiosk/sync_request.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>

namespace signpost::kiosk {

Status CreateSyncRequest(const std::string& path, UnixTime now) {
  if (path.empty()) return Status::InvalidArgument("no sync_request_file is configured");
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0660);
  if (fd < 0) {
    if (errno == EEXIST) return Status::Ok();  // already asked; content-sync has not taken it yet
    const int e = errno;
    std::string why = std::strerror(e);
    if (e == EACCES || e == EROFS)
      why += " (the kiosk user must be able to write to its folder; see sync_request_file)";
    return Status::IoError("cannot create " + path + ": " + why);
  }
  const std::string note =
      "sync requested by signpost-kiosk (technician) at " + FormatIsoTimestamp(now) + "\n";
  Status s = Status::Ok();
  if (::write(fd, note.data(), note.size()) != static_cast<ssize_t>(note.size()))
    s = Status::IoError("cannot write " + path + ": " + std::strerror(errno));
  ::close(fd);
  if (!s.ok()) ::unlink(path.c_str());  // half a request is no request
  return s;
}

bool SyncRequestPending(const std::string& path) {
  struct stat st {};
  return !path.empty() && ::lstat(path.c_str(), &st) == 0;
}

}  // namespace signpost::kiosk
