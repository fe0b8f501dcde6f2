// Payload (payload.h).
#include "feeds/payload.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <streambuf>
#include <vector>

namespace signpost::sync {

struct Payload::Impl {
  std::string owned;           // in memory (owned)
  std::string_view bytes;      // in memory (owned or borrowed)
  int fd = -1;                 // spooled
  std::int64_t file_size = 0;  // spooled
  mutable std::once_flag mapped_once;
  mutable void* map = nullptr;  // spooled, mapped by view()

  ~Impl() {
    if (map != nullptr) munmap(map, static_cast<std::size_t>(file_size));
    if (fd >= 0) close(fd);
  }
};

namespace {

// A read-only streambuf over memory: no copy.
class MemoryBuf final : public std::streambuf {
 public:
  MemoryBuf(std::shared_ptr<const void> keep, std::string_view bytes) : keep_(std::move(keep)) {
    char* p = const_cast<char*>(bytes.data());
    setg(p, p, p + bytes.size());
  }

 private:
  std::shared_ptr<const void> keep_;  // the Payload's bytes stay alive
};

// A read-only streambuf over a file with pread: each stream has its own
// offset and a 64 KB buffer, so many readers can share one fd.
class FileBuf final : public std::streambuf {
 public:
  FileBuf(std::shared_ptr<const void> keep, int fd, std::int64_t size)
      : keep_(std::move(keep)), fd_(fd), size_(size), buffer_(64 * 1024) {
    setg(buffer_.data(), buffer_.data(), buffer_.data());
  }

 protected:
  int_type underflow() override {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    if (offset_ >= size_) return traits_type::eof();
    const std::size_t want =
        static_cast<std::size_t>(std::min<std::int64_t>(buffer_.size(), size_ - offset_));
    ssize_t got;
    do {
      got = pread(fd_, buffer_.data(), want, offset_);
    } while (got < 0 && errno == EINTR);
    if (got <= 0) return traits_type::eof();
    offset_ += got;
    setg(buffer_.data(), buffer_.data(), buffer_.data() + got);
    return traits_type::to_int_type(*gptr());
  }

 private:
  std::shared_ptr<const void> keep_;
  int fd_;
  std::int64_t size_;
  std::int64_t offset_ = 0;
  std::vector<char> buffer_;
};

// An istream that owns its streambuf.
template <class Buf>
class OwningStream final : public std::istream {
 public:
  template <class... A>
  explicit OwningStream(A&&... a) : std::istream(nullptr), buf_(std::forward<A>(a)...) {
    rdbuf(&buf_);
  }

 private:
  Buf buf_;
};

constexpr std::int64_t kReadIntoMemoryBelow = 4 << 20;

}  // namespace

Payload::Payload() : impl_(std::make_shared<Impl>()) {}

Payload::Payload(std::string bytes) : impl_(std::make_shared<Impl>()) {
  impl_->owned = std::move(bytes);
  impl_->bytes = impl_->owned;
}

Payload Payload::Borrow(std::string_view bytes) {
  Payload p;
  p.impl_->bytes = bytes;
  return p;
}

Payload Payload::AdoptFile(int fd, std::int64_t size) {
  Payload p;
  p.impl_->fd = fd;
  p.impl_->file_size = size;
  return p;
}

Result<Payload> Payload::FromFile(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::IoError("cannot read " + path + ": " + std::strerror(errno));
  struct stat st {};
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    return Status::IoError(path + " is not a regular file");
  }
  if (st.st_size >= kReadIntoMemoryBelow) return AdoptFile(fd, st.st_size);
  std::string bytes(static_cast<std::size_t>(st.st_size), '\0');
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t got =
        pread(fd, bytes.data() + done, bytes.size() - done, static_cast<off_t>(done));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    done += static_cast<std::size_t>(got);
  }
  close(fd);
  bytes.resize(done);
  return Payload(std::move(bytes));
}

std::int64_t Payload::size() const {
  return impl_->fd >= 0 ? impl_->file_size : static_cast<std::int64_t>(impl_->bytes.size());
}

bool Payload::spooled() const { return impl_->fd >= 0; }

std::string_view Payload::view() const {
  if (impl_->fd < 0) return impl_->bytes;
  if (impl_->file_size == 0) return {};
  std::call_once(impl_->mapped_once, [this] {
    void* m = mmap(nullptr, static_cast<std::size_t>(impl_->file_size), PROT_READ, MAP_PRIVATE,
                   impl_->fd, 0);
    if (m != MAP_FAILED) {
      madvise(m, static_cast<std::size_t>(impl_->file_size), MADV_SEQUENTIAL);
      impl_->map = m;
    }
  });
  if (impl_->map == nullptr) return {};
  return {static_cast<const char*>(impl_->map), static_cast<std::size_t>(impl_->file_size)};
}

std::unique_ptr<std::istream> Payload::Stream() const {
  if (impl_->fd >= 0) {
    return std::make_unique<OwningStream<FileBuf>>(impl_, impl_->fd, impl_->file_size);
  }
  return std::make_unique<OwningStream<MemoryBuf>>(impl_, impl_->bytes);
}

std::size_t Payload::ReadAt(std::int64_t offset, char* out, std::size_t n) const {
  if (offset < 0 || offset >= size()) return 0;
  n = static_cast<std::size_t>(
      std::min<std::int64_t>(static_cast<std::int64_t>(n), size() - offset));
  if (impl_->fd < 0) {
    std::memcpy(out, impl_->bytes.data() + offset, n);
    return n;
  }
  std::size_t done = 0;
  while (done < n) {
    const ssize_t got = pread(impl_->fd, out + done, n - done, offset + static_cast<off_t>(done));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    done += static_cast<std::size_t>(got);
  }
  return done;
}

}  // namespace signpost::sync
