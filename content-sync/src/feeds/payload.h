// Payload: one response body as an adapter reads it, held in memory or
// spooled to a file.
//
// The HTTP layer keeps a small body in memory and moves a large one to an
// unlinked temporary file as it arrives (net/http_client.h, spool_dir), so a
// 78 MB standards array or a hostile 60 MB body never sits in the heap, let
// alone twice while a std::string grows. Adapters that read a body in one
// pass (a JSON array of records, CSV rows) use Stream(): memory is bounded by
// the stream's buffer, not the body. Adapters that need random access use
// view(), which maps a spooled file read-only (its pages are the page
// cache's, reclaimable, not the heap's).
//
// A Payload is a cheap handle: copies share the same bytes, which never
// change once made. Thread safety: const methods may be called from any
// thread; view() maps lazily under a once-flag.
#pragma once

#include <cstdint>
#include <istream>
#include <memory>
#include <string>
#include <string_view>

#include "signpost/status.h"

namespace signpost::sync {

class Payload {
 public:
  Payload();                            // empty body
  explicit Payload(std::string bytes);  // in memory, owned
  // Not owned: `bytes` must outlive every copy (tests, `validate`).
  static Payload Borrow(std::string_view bytes);
  static Payload Borrow(std::string&& bytes) = delete;  // would dangle
  static Payload Borrow(const char* bytes) { return Borrow(std::string_view(bytes)); }
  // Takes ownership of `fd`, an open file (usually unlinked) holding the
  // body from offset 0 to `size`; closed when the last copy goes.
  static Payload AdoptFile(int fd, std::int64_t size);
  // Reads a file the way the sync would see it: small files into memory,
  // large ones mapped (validate, tests).
  static Result<Payload> FromFile(const std::string& path);

  std::int64_t size() const;
  bool empty() const { return size() == 0; }
  bool spooled() const;  // true when the bytes live in a file, not the heap

  // The whole body. Maps a spooled file on first use; an empty view when
  // mapping fails (the stream still works).
  std::string_view view() const;

  // The body from the start, read in order a buffer at a time (64 KB for a
  // file, no copy for memory). Each call returns an independent stream.
  std::unique_ptr<std::istream> Stream() const;

  // Reads up to `n` bytes at `offset` into `out`; returns how many (0 at the
  // end). For hashing and copying without a mapping.
  std::size_t ReadAt(std::int64_t offset, char* out, std::size_t n) const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

// For tests: compare a body with expected text.
inline bool operator==(const Payload& p, std::string_view s) { return p.view() == s; }

}  // namespace signpost::sync
