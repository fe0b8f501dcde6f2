// ZipArchive (zip_reader.h). Index:
//   [SECTION] Central directory
//   [SECTION] Member streams (inflate, limits, CRC-32)
#include "feeds/zip_reader.h"

#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <streambuf>

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
constexpr std::size_t kChunk = 64 * 1024;

std::string ReadBytes(const Payload& p, std::uint64_t offset, std::size_t n) {
  std::string out(n, '\0');
  out.resize(p.ReadAt(static_cast<std::int64_t>(offset), out.data(), n));
  return out;
}

}  // namespace

// [SECTION] Central directory --------------------------------------------------------

bool ZipArchive::LooksLikeZip(const Payload& data) {
  const std::string head = ReadBytes(data, 0, 4);
  return head.size() == 4 && U32(head, 0) == kLocalSig;
}

std::optional<ZipArchive> ZipArchive::Open(const Payload& data, std::string* error,
                                           const ZipLimits& limits) {
  const std::uint64_t size = static_cast<std::uint64_t>(data.size());
  if (size < 22) {
    *error = "ZIP archive too short";
    return std::nullopt;
  }
  // The end-of-central-directory record is in the last 22 + 65535 bytes.
  const std::uint64_t tail_start = size > 22 + 65535 ? size - 22 - 65535 : 0;
  const std::string tail = ReadBytes(data, tail_start, static_cast<std::size_t>(size - tail_start));
  std::size_t end = std::string::npos;
  for (std::size_t i = tail.size() - 22 + 1; i-- > 0;) {
    if (U32(tail, i) == kEndSig) {
      end = i;
      break;
    }
  }
  if (end == std::string::npos) {
    *error = "ZIP archive has no central directory (truncated download?)";
    return std::nullopt;
  }
  const std::uint32_t count = U16(tail, end + 10);
  const std::uint64_t cd_size = U32(tail, end + 12);
  const std::uint64_t cd_offset = U32(tail, end + 16);
  const std::uint64_t end_offset = tail_start + end;
  if (cd_offset == 0xFFFFFFFFu || count == 0xFFFFu) {
    *error = "ZIP64 archives are not supported";
    return std::nullopt;
  }
  if (count > limits.max_members) {
    *error = "ZIP archive lists " + std::to_string(count) + " members (at most " +
             std::to_string(limits.max_members) + ")";
    return std::nullopt;
  }
  if (cd_offset + cd_size > end_offset) {
    *error = "ZIP central directory is out of range";
    return std::nullopt;
  }
  const std::string cd = ReadBytes(data, cd_offset, static_cast<std::size_t>(cd_size));
  if (cd.size() != cd_size) {
    *error = "ZIP central directory could not be read";
    return std::nullopt;
  }
  ZipArchive zip;
  zip.data_ = data;
  zip.limits_ = limits;
  std::size_t p = 0;
  for (std::uint32_t i = 0; i < count; ++i) {
    if (p + 46 > cd.size() || U32(cd, p) != kCentralSig) {
      *error = "ZIP central directory entry " + std::to_string(i) + " is damaged";
      return std::nullopt;
    }
    ZipEntry e;
    e.method = static_cast<std::uint16_t>(U16(cd, p + 10));
    e.crc32 = U32(cd, p + 16);
    e.compressed_size = U32(cd, p + 20);
    e.uncompressed_size = U32(cd, p + 24);
    const std::size_t name_len = U16(cd, p + 28);
    const std::size_t extra_len = U16(cd, p + 30);
    const std::size_t comment_len = U16(cd, p + 32);
    e.local_header_offset = U32(cd, p + 42);
    if (p + 46 + name_len + extra_len + comment_len > cd.size()) {
      *error = "ZIP central directory entry " + std::to_string(i) + " is out of range";
      return std::nullopt;
    }
    e.name = cd.substr(p + 46, name_len);
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

// [SECTION] Member streams -----------------------------------------------------------

struct ZipMemberStream::Impl final : public std::streambuf {
  Payload data;
  ZipEntry entry;
  ZipLimits limits;
  std::shared_ptr<std::uint64_t> total;  // the archive's running total
  std::string what;                      // "ZIP member NAME: "
  std::uint64_t next_in = 0;             // archive offset of the next compressed byte
  std::uint64_t in_left = 0;             // compressed bytes not yet read
  std::uint64_t produced = 0;            // bytes inflated so far
  std::uint32_t crc = 0;
  bool inflating = false;
  bool ended = false;  // the member's data is over (complete or not)
  bool complete = false;
  std::string error;
  z_stream zs{};
  std::vector<char> in_buf, out_buf;

  Impl() : in_buf(kChunk), out_buf(kChunk) {}
  ~Impl() override {
    if (inflating) inflateEnd(&zs);
  }

  void Start() {
    what = "ZIP member " + entry.name + ": ";
    const std::string local = ReadBytes(data, entry.local_header_offset, 30);
    if (local.size() < 30 || U32(local, 0) != kLocalSig) return Stop("local header is damaged");
    next_in = entry.local_header_offset + 30 + U16(local, 26) + U16(local, 28);
    in_left = entry.compressed_size;
    if (next_in + in_left > static_cast<std::uint64_t>(data.size())) {
      return Stop("data is out of range (truncated download?)");
    }
    if (entry.uncompressed_size > limits.max_member_bytes) {
      return Stop("larger than the " + std::to_string(limits.max_member_bytes >> 20) +
                  " MB limit for one member");
    }
    if (entry.method == 8) {
      if (inflateInit2(&zs, -MAX_WBITS) != Z_OK) return Stop("inflate could not start");
      inflating = true;
    } else if (entry.method == 0) {
      if (entry.compressed_size != entry.uncompressed_size) {
        return Stop("stored member sizes disagree");
      }
    } else {
      return Stop("compression method " + std::to_string(entry.method) + " is not supported");
    }
  }

  void Stop(std::string why) {
    if (error.empty() && !why.empty()) error = what + why;
    ended = true;
  }

  // Produces the next chunk into out_buf; the number of bytes (0 at the end).
  std::size_t Produce() {
    if (ended) return 0;
    std::size_t n = 0;
    if (entry.method == 0) {
      const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(in_left, kChunk));
      n = data.ReadAt(static_cast<std::int64_t>(next_in), out_buf.data(), want);
      if (n < want) {
        Stop("data is cut short (truncated download?)");
        return 0;
      }
      next_in += n;
      in_left -= n;
    } else {
      zs.next_out = reinterpret_cast<Bytef*>(out_buf.data());
      zs.avail_out = static_cast<uInt>(out_buf.size());
      while (zs.avail_out > 0) {
        if (zs.avail_in == 0 && in_left > 0) {
          const std::size_t want =
              static_cast<std::size_t>(std::min<std::uint64_t>(in_left, in_buf.size()));
          const std::size_t got =
              data.ReadAt(static_cast<std::int64_t>(next_in), in_buf.data(), want);
          if (got < want) {
            Stop("data is cut short (truncated download?)");
            return 0;
          }
          next_in += got;
          in_left -= got;
          zs.next_in = reinterpret_cast<Bytef*>(in_buf.data());
          zs.avail_in = static_cast<uInt>(got);
        }
        const uInt before_in = zs.avail_in, before_out = zs.avail_out;
        const int rc = inflate(&zs, Z_NO_FLUSH);
        if (rc == Z_STREAM_END) {
          ended = true;
          break;
        }
        if (rc != Z_OK && rc != Z_BUF_ERROR) {
          Stop("deflate data is damaged");
          return 0;
        }
        if (zs.avail_in == before_in && zs.avail_out == before_out) {  // no progress
          Stop(in_left == 0 ? "deflate data ends early (truncated download?)"
                            : "deflate data is damaged");
          return 0;
        }
      }
      n = out_buf.size() - zs.avail_out;
    }
    produced += n;
    *total += n;
    if (produced > entry.uncompressed_size) {
      Stop("inflates to more than the " + std::to_string(entry.uncompressed_size) +
           " bytes its directory entry says");
      return 0;
    }
    if (produced > entry.compressed_size * limits.max_ratio + limits.ratio_slack) {
      Stop("expands more than " + std::to_string(limits.max_ratio) + " times (a zip bomb?)");
      return 0;
    }
    if (*total > limits.max_total_bytes) {
      Stop("the archive inflates to more than " + std::to_string(limits.max_total_bytes >> 20) +
           " MB in all");
      return 0;
    }
    crc =
        static_cast<std::uint32_t>(crc32_z(crc, reinterpret_cast<const Bytef*>(out_buf.data()), n));
    if (entry.method == 0 && in_left == 0) ended = true;
    if (ended && error.empty()) Check();
    return n;
  }

  void Check() {
    if (produced != entry.uncompressed_size) {
      Stop("inflated to " + std::to_string(produced) + " bytes where " +
           std::to_string(entry.uncompressed_size) + " were expected");
    } else if (crc != entry.crc32) {
      Stop("CRC-32 mismatch (damaged download?)");
    } else {
      complete = true;
    }
  }

 protected:
  int_type underflow() override {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    std::size_t n = 0;
    while (n == 0 && !ended) n = Produce();
    if (n == 0) {
      if (ended && error.empty() && !complete) Check();  // an empty member
      return traits_type::eof();
    }
    setg(out_buf.data(), out_buf.data(), out_buf.data() + n);
    return traits_type::to_int_type(*gptr());
  }
};

ZipMemberStream::ZipMemberStream(std::unique_ptr<Impl> impl)
    : std::istream(impl.get()), impl_(std::move(impl)) {}

ZipMemberStream::~ZipMemberStream() = default;

Status ZipMemberStream::Finish() {
  char sink[4096];
  while (read(sink, sizeof sink) || gcount() > 0) {
  }
  if (!impl_->error.empty()) return Status::InvalidArgument(impl_->error);
  if (!impl_->complete) {
    return Status::InvalidArgument(impl_->what + "could not be read to its end");
  }
  return Status::Ok();
}

std::unique_ptr<ZipMemberStream> ZipArchive::Read(const ZipEntry& entry) const {
  auto impl = std::make_unique<ZipMemberStream::Impl>();
  impl->data = data_;
  impl->entry = entry;
  impl->limits = limits_;
  impl->total = total_;
  impl->Start();
  return std::unique_ptr<ZipMemberStream>(new ZipMemberStream(std::move(impl)));
}

std::optional<std::string> ZipArchive::Extract(const ZipEntry& entry, std::string* error) const {
  std::unique_ptr<ZipMemberStream> in = Read(entry);
  std::string out;
  char buf[kChunk];
  while (in->read(buf, sizeof buf) || in->gcount() > 0) {
    out.append(buf, static_cast<std::size_t>(in->gcount()));
  }
  if (Status s = in->Finish(); !s.ok()) {
    *error = s.message();
    return std::nullopt;
  }
  return out;
}

}  // namespace signpost::sync::feeds
