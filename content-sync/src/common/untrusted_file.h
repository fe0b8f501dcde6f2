// Reading files that someone else may control (a USB stick, a download
// folder, a careers leader's pack folder) without being stalled, tricked
// into following a link, or made to read an unbounded amount.
//
// Every read opens the path once with O_NOFOLLOW|O_NONBLOCK|O_CLOEXEC, then
// fstat()s the open file: only a regular file no bigger than the caller's
// cap is read (a FIFO, device, socket or symbolic link is refused before a
// byte is read, and a huge sparse file by its size). The bytes returned are
// the bytes of that one open: a file renamed or rewritten afterwards cannot
// change what the caller checks and then uses.
//
// Owner: security (issue 16). Thread safety: plain functions.
#pragma once

#include <cstdint>
#include <string>

#include "signpost/status.h"

namespace signpost::sync {

// The whole file, when it is a regular file of at most `max_bytes`.
// kNotFound (missing), kInvalidArgument (a link, FIFO, device, folder, or
// too big: the message says which), kIoError (unreadable).
Result<std::string> ReadUntrustedFile(const std::string& path, std::int64_t max_bytes);

// Like ReadUntrustedFile, but returns at most the first `prefix_bytes`
// bytes of a file of any size up to `max_bytes` (for headers), and the
// size of that same open file in *file_size.
Result<std::string> ReadUntrustedPrefix(const std::string& path, std::int64_t prefix_bytes,
                                        std::int64_t max_bytes, std::int64_t* file_size);

}  // namespace signpost::sync
