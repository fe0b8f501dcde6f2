#include "feeds/zip_reader.h"

#include <zlib.h>

#include <algorithm>
#include <cctype>

namespace signpost::sync::feeds {

namespace {

std::uint32_t U16(std::string_view d, std::size_t at) {
  return static_cast<std::uint32_t>(static_cast<unsigned char>(d[at])) |
         static_cast<std::uint32_t>(static_cast<unsigned char>(d[at + 1])) << 8;
}
std::uint32_t U32(std::string_view d, std::size_t at) { return U16(d, at) | U16(d, at + 2) << 16; }

bool EqualsNoCaseAscii(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

constexpr std::uint32_t kLocalSig = 0x04034b50;
constexpr std::uint32_t kCentralSig = 0x02014b50;
constexpr std::uint32_t kEndSig = 0x06054b50;

}  // namespace

bool ZipArchive::LooksLikeZip(std::string_view data) {
  return data.size() >= 4 && U32(data, 0) == kLocalSig;
}

std::optional<ZipArchive> ZipArchive::Open(std::string_view data, std::string* error) {
  // The end-of-central-directory record is in the last 22 + 65535 bytes.
  if (data.size() < 22) {
    *error = "ZIP archive too short";
    return std::nullopt;
  }
  std::size_t end = std::string_view::npos;
  const std::size_t lowest = data.size() > 22 + 65535 ? data.size() - 22 - 65535 : 0;
  for (std::size_t i = data.size() - 22 + 1; i-- > lowest;) {
    if (U32(data, i) == kEndSig) {
      end = i;
      break;
    }
  }
  if (end == std::string_view::npos) {
    *error = "ZIP archive has no central directory (truncated download?)";
    return std::nullopt;
  }
  const std::uint32_t count = U16(data, end + 10);
  const std::uint64_t cd_size = U32(data, end + 12);
  const std::uint64_t cd_offset = U32(data, end + 16);
  if (cd_offset == 0xFFFFFFFFu || count == 0xFFFFu) {
    *error = "ZIP64 archives are not supported";
    return std::nullopt;
  }
  if (cd_offset + cd_size > end) {
    *error = "ZIP central directory is out of range";
    return std::nullopt;
  }
  ZipArchive zip;
  zip.data_ = data;
  std::size_t p = static_cast<std::size_t>(cd_offset);
  for (std::uint32_t i = 0; i < count; ++i) {
    if (p + 46 > end || U32(data, p) != kCentralSig) {
      *error = "ZIP central directory entry " + std::to_string(i) + " is damaged";
      return std::nullopt;
    }
    ZipEntry e;
    e.method = static_cast<std::uint16_t>(U16(data, p + 10));
    e.crc32 = U32(data, p + 16);
    e.compressed_size = U32(data, p + 20);
    e.uncompressed_size = U32(data, p + 24);
    const std::size_t name_len = U16(data, p + 28);
    const std::size_t extra_len = U16(data, p + 30);
    const std::size_t comment_len = U16(data, p + 32);
    e.local_header_offset = U32(data, p + 42);
    if (p + 46 + name_len + extra_len + comment_len > end) {
      *error = "ZIP central directory entry " + std::to_string(i) + " is out of range";
      return std::nullopt;
    }
    e.name = std::string(data.substr(p + 46, name_len));
    zip.entries_.push_back(std::move(e));
    p += 46 + name_len + extra_len + comment_len;
  }
  return zip;
}

const ZipEntry* ZipArchive::FindByBaseName(std::string_view base_name) const {
  for (const ZipEntry& e : entries_) {
    std::string_view name = e.name;
    std::size_t slash = name.find_last_of("/\\");
    if (slash != std::string_view::npos) name = name.substr(slash + 1);
    if (EqualsNoCaseAscii(name, base_name)) return &e;
  }
  return nullptr;
}

std::optional<std::string> ZipArchive::Extract(const ZipEntry& e, std::uint64_t max_size,
                                               std::string* error) const {
  const std::string what = "ZIP entry " + e.name + ": ";
  if (e.uncompressed_size > max_size) {
    *error = what + "larger than the " + std::to_string(max_size) + "-byte limit";
    return std::nullopt;
  }
  // Deflate cannot expand more than about 1032:1: refuse claims beyond that
  // before allocating anything (a few bytes must not reserve a gigabyte).
  if (e.uncompressed_size > e.compressed_size * 1032 + 1024) {
    *error = what + "claims an impossible compression ratio";
    return std::nullopt;
  }
  const std::uint64_t h = e.local_header_offset;
  if (h + 30 > data_.size() || U32(data_, static_cast<std::size_t>(h)) != kLocalSig) {
    *error = what + "local header is damaged";
    return std::nullopt;
  }
  const std::uint64_t start = h + 30 + U16(data_, static_cast<std::size_t>(h + 26)) +
                              U16(data_, static_cast<std::size_t>(h + 28));
  if (start + e.compressed_size > data_.size()) {
    *error = what + "data is out of range (truncated download?)";
    return std::nullopt;
  }
  const std::string_view packed =
      data_.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(e.compressed_size));
  std::string out;
  if (e.method == 0) {
    if (e.compressed_size != e.uncompressed_size) {
      *error = what + "stored entry sizes disagree";
      return std::nullopt;
    }
    out.assign(packed);
  } else if (e.method == 8) {
    out.resize(static_cast<std::size_t>(e.uncompressed_size));
    z_stream zs{};
    if (inflateInit2(&zs, -MAX_WBITS) != Z_OK) {
      *error = what + "inflate could not start";
      return std::nullopt;
    }
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(packed.data()));
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    std::uint64_t in_left = packed.size(), out_left = out.size();
    int rc = Z_OK;
    while (rc == Z_OK) {  // zlib counts in uInt: feed at most 1 GiB per call
      const uInt in_chunk = static_cast<uInt>(std::min<std::uint64_t>(in_left, 1u << 30));
      const uInt out_chunk = static_cast<uInt>(std::min<std::uint64_t>(out_left, 1u << 30));
      zs.avail_in = in_chunk;
      zs.avail_out = out_chunk;
      rc = inflate(&zs, Z_NO_FLUSH);
      in_left -= in_chunk - zs.avail_in;
      out_left -= out_chunk - zs.avail_out;
      if (rc == Z_OK && in_chunk == zs.avail_in && out_chunk == zs.avail_out) rc = Z_BUF_ERROR;
    }
    inflateEnd(&zs);
    if (rc != Z_STREAM_END || out_left != 0) {
      *error = what + "deflate data is damaged or sizes disagree";
      return std::nullopt;
    }
  } else {
    *error = what + "compression method " + std::to_string(e.method) + " is not supported";
    return std::nullopt;
  }
  const uLong crc = crc32_z(0L, reinterpret_cast<const Bytef*>(out.data()), out.size());
  if (static_cast<std::uint32_t>(crc) != e.crc32) {
    *error = what + "CRC-32 mismatch (damaged download?)";
    return std::nullopt;
  }
  return out;
}

}  // namespace signpost::sync::feeds
