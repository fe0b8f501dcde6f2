#include "common/untrusted_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace signpost::sync {
namespace {

std::string Mib(std::int64_t n) { return std::to_string((n + (1 << 20) - 1) >> 20) + " MiB"; }

// Opens `path` without following a final symbolic link and checks what it
// is. On success returns the fd (caller closes) and its size.
Result<int> OpenChecked(const std::string& path, std::int64_t max_bytes, std::int64_t* size) {
  const int fd = open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    const int e = errno;
    if (e == ENOENT || e == ENOTDIR) return Status::NotFound("no file at " + path);
    if (e == ELOOP) {
      return Status::InvalidArgument(path +
                                     " is a symbolic link; links are not followed "
                                     "(copy the file itself)");
    }
    return Status::IoError("cannot read " + path + ": " + std::strerror(e));
  }
  struct stat st {};
  if (fstat(fd, &st) != 0) {
    const int e = errno;
    close(fd);
    return Status::IoError("cannot read " + path + ": " + std::strerror(e));
  }
  if (!S_ISREG(st.st_mode)) {
    close(fd);
    return Status::InvalidArgument(path + (S_ISDIR(st.st_mode) ? " is a folder" : "") +
                                   (S_ISDIR(st.st_mode) ? "" : " is not a regular file") +
                                   "; only plain files are read");
  }
  if (st.st_size > max_bytes) {
    close(fd);
    return Status::InvalidArgument(path + " is too big (" + Mib(st.st_size) + "; at most " +
                                   Mib(max_bytes) + ")");
  }
  // Back to blocking reads: a regular file never blocks for long, and
  // O_NONBLOCK was only there so that opening a FIFO could not hang.
  const int flags = fcntl(fd, F_GETFL);
  if (flags >= 0) fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
  *size = static_cast<std::int64_t>(st.st_size);
  return fd;
}

Result<std::string> ReadUpTo(const std::string& path, int fd, std::int64_t want) {
  std::string out(static_cast<std::size_t>(want), '\0');
  std::size_t got = 0;
  while (got < out.size()) {
    const ssize_t n = read(fd, out.data() + got, out.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int e = errno;
      close(fd);
      return Status::IoError("cannot read " + path + ": " + std::strerror(e));
    }
    if (n == 0) break;  // shorter than fstat said (shrunk while we read): what we read
    got += static_cast<std::size_t>(n);
  }
  close(fd);
  out.resize(got);
  return out;
}

}  // namespace

Result<std::string> ReadUntrustedFile(const std::string& path, std::int64_t max_bytes) {
  std::int64_t size = 0;
  auto fd = OpenChecked(path, max_bytes, &size);
  if (!fd.ok()) return fd.status();
  // Up to the size fstat gave: a file that grows while we read cannot
  // push past the cap.
  return ReadUpTo(path, fd.value(), size);
}

Result<std::string> ReadUntrustedPrefix(const std::string& path, std::int64_t prefix_bytes,
                                        std::int64_t max_bytes, std::int64_t* file_size) {
  std::int64_t size = 0;
  auto fd = OpenChecked(path, max_bytes, &size);
  if (!fd.ok()) return fd.status();
  *file_size = size;
  return ReadUpTo(path, fd.value(), std::min(size, prefix_bytes));
}

}  // namespace signpost::sync
