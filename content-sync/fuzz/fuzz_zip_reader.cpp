// libFuzzer target: the ZIP reader (feeds/zip_reader.h) on any archive:
// never crashes, never inflates past its limits, and a member it calls
// whole has its declared size.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "feeds/zip_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace signpost::sync;
  feeds::ZipLimits limits;
  limits.max_member_bytes = 4 << 20;
  limits.max_total_bytes = 8 << 20;
  limits.ratio_slack = 64 * 1024;
  std::string error;
  const Payload body = Payload::Borrow(std::string_view(reinterpret_cast<const char*>(data), size));
  auto zip = feeds::ZipArchive::Open(body, &error, limits);
  if (!zip) return 0;
  char buf[16384];
  for (const auto& entry : zip->entries()) {
    auto in = zip->Read(entry);
    std::uint64_t got = 0;
    while (in->read(buf, sizeof buf) || in->gcount() > 0)
      got += static_cast<std::uint64_t>(in->gcount());
    const bool whole = in->Finish().ok();
    if (whole && got != entry.uncompressed_size) std::abort();
    if (zip->total_read() > limits.max_total_bytes + sizeof buf + (64 << 10)) std::abort();
  }
  return 0;
}
