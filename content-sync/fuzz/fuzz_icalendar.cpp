// libFuzzer target: the icalendar adapter's Parse must never crash, hang or
// throw on any payload; it either returns a Status or counts records.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "feeds/adapters.h"
#include "feeds/counting_import.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace signpost::sync;
  IcalendarOptions opts;
  opts.now = 1788220800;  // 2026-09-01T00:00:00Z: fixed, so runs are reproducible
  auto adapter = MakeIcalendarAdapter(opts);
  CountingImport out;
  const std::string_view payload(reinterpret_cast<const char*>(data), size);
  (void)adapter->Parse(payload, 0, out);
  FeedSettings feed;
  feed.url = "https://example.invalid/feed";
  feed.query = "soc=5231";
  (void)adapter->NextRequest(feed, 0);
  return 0;
}
