// ZipArchive: reads entries out of a ZIP archive held in memory (the
// Discover Uni dataset is published as one ZIP of CSV tables).
//
// Supports what that archive uses: stored (0) and deflate (8) entries found
// through the central directory; no ZIP64, no encryption, no multi-disk.
// Extraction is bounded (a size cap guards against zip bombs) and checks the
// CRC-32. Format: PKWARE APPNOTE.TXT sections 4.3.7 (local file header),
// 4.3.12 (central directory header), 4.3.16 (end of central directory).
// Never throws. Thread safety: const methods may be called concurrently.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace signpost::sync::feeds {

struct ZipEntry {
  std::string name;          // path inside the archive, as stored
  std::uint16_t method = 0;  // 0 stored, 8 deflate
  std::uint32_t crc32 = 0;
  std::uint64_t compressed_size = 0;
  std::uint64_t uncompressed_size = 0;
  std::uint64_t local_header_offset = 0;
};

class ZipArchive {
 public:
  // True when `data` starts like a ZIP archive ("PK\3\4").
  static bool LooksLikeZip(std::string_view data);
  // Reads the central directory; nullopt (and *error) when it is not a
  // readable ZIP. `data` must outlive the archive.
  static std::optional<ZipArchive> Open(std::string_view data, std::string* error);

  const std::vector<ZipEntry>& entries() const { return entries_; }
  // The entry whose file name (after the last '/') equals `base_name`,
  // ignoring case; nullptr when there is none.
  const ZipEntry* FindByBaseName(std::string_view base_name) const;
  // The entry's bytes, or nullopt (and *error) when it is damaged, uses an
  // unsupported method, or would be larger than `max_size`.
  std::optional<std::string> Extract(const ZipEntry& entry, std::uint64_t max_size,
                                     std::string* error) const;

 private:
  std::string_view data_;
  std::vector<ZipEntry> entries_;
};

}  // namespace signpost::sync::feeds
