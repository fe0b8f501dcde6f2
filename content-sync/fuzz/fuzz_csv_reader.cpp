// libFuzzer target: the streaming CSV reader (feeds/csv_reader.h) never
// crashes and never hands out a record over its limits.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "feeds/csv_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace signpost::sync::feeds;
  CsvLimits limits;
  limits.max_record_bytes = 4096;
  limits.max_fields = 64;
  CsvReader csv(std::string_view(reinterpret_cast<const char*>(data), size), limits);
  std::vector<std::string> row;
  while (csv.Next(row)) {
    std::size_t bytes = 0;
    for (const auto& f : row) bytes += f.size();
    if (row.size() > limits.max_fields || bytes > limits.max_record_bytes) std::abort();
  }
  return 0;
}
