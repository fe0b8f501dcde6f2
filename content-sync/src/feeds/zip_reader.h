// ZipArchive: reads members out of a ZIP archive held in a Payload (the
// Discover Uni data set is published as one ZIP of CSV tables), inflating
// each as it is read, with bounded memory.
//
// Supports what that archive uses: stored (0) and deflate (8) members found
// through the central directory; no ZIP64, no encryption, no multi-disk.
// The archive is read with Payload::ReadAt, never mapped whole; a member is
// inflated 64 KB at a time into its reader (ZipMemberStream). Limits
// (ZipLimits) bound one member's size, its expansion ratio and the total
// inflated from one archive, so a 1 MB "zip bomb" stops at the first limit,
// not at a gigabyte. A member whose size or CRC-32 does not match its
// directory entry, or whose data is cut short, is an error: a damaged
// download, never data. Format: PKWARE APPNOTE.TXT sections 4.3.7 (local
// file header), 4.3.12 (central directory header), 4.3.16 (end of central
// directory).
//
// Never throws. Thread safety: one reader per thread (a ZipArchive and its
// member streams share a running total).
#pragma once

#include <cstdint>
#include <istream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "feeds/payload.h"
#include "signpost/status.h"

namespace signpost::sync::feeds {

struct ZipLimits {
  std::uint64_t max_member_bytes = 512ull << 20;  // one member, inflated
  std::uint64_t max_total_bytes = 1ull << 30;     // all members read from one archive
  std::uint64_t max_ratio = 100;                  // inflated : compressed, per member
  std::uint64_t ratio_slack = 1 << 20;            // small members may exceed the ratio
  std::size_t max_members = 10000;                // entries in the central directory
};

struct ZipEntry {
  std::string name;          // path inside the archive, as stored
  std::uint16_t method = 0;  // 0 stored, 8 deflate
  std::uint32_t crc32 = 0;
  std::uint64_t compressed_size = 0;
  std::uint64_t uncompressed_size = 0;
  std::uint64_t local_header_offset = 0;
};

// A member's bytes, inflated as they are read. The stream simply ends at a
// problem (damaged data, a limit); Finish() then says what it was.
class ZipMemberStream : public std::istream {
 public:
  ~ZipMemberStream() override;
  // Reads whatever is left, then: ok when the member was complete and its
  // size and CRC-32 match the directory; otherwise why not.
  Status Finish();
  struct Impl;

 private:
  friend class ZipArchive;
  explicit ZipMemberStream(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

class ZipArchive {
 public:
  // True when the body starts like a ZIP archive ("PK\3\4").
  static bool LooksLikeZip(const Payload& data);
  // Reads the central directory; nullopt (and *error) when it is not a
  // readable ZIP. Copies of `data` share its bytes (cheap).
  static std::optional<ZipArchive> Open(const Payload& data, std::string* error,
                                        const ZipLimits& limits = {});

  const std::vector<ZipEntry>& entries() const { return entries_; }
  // The entry whose file name (after the last '/') equals `base_name`,
  // ignoring case; nullptr when there is none.
  const ZipEntry* FindByBaseName(std::string_view base_name) const;
  // A reader of the entry's bytes (see ZipMemberStream).
  std::unique_ptr<ZipMemberStream> Read(const ZipEntry& entry) const;
  // The whole entry in memory, or nullopt (and *error); for small members.
  std::optional<std::string> Extract(const ZipEntry& entry, std::string* error) const;
  // Bytes inflated from this archive so far, by every reader.
  std::uint64_t total_read() const { return *total_; }

 private:
  Payload data_;
  ZipLimits limits_;
  std::vector<ZipEntry> entries_;
  std::shared_ptr<std::uint64_t> total_ = std::make_shared<std::uint64_t>(0);
};

}  // namespace signpost::sync::feeds
