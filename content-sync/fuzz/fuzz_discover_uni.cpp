// libFuzzer target: the discover-uni adapter's Parse must never crash, hang or
// throw on any payload; it either returns a Status or counts records.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "feeds/adapters.h"
#include "feeds/counting_import.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace signpost::sync;
  auto adapter = MakeDiscoverUniAdapter();
  CountingImport out;
  const std::string_view payload(reinterpret_cast<const char*>(data), size);
  (void)adapter->Parse(payload, 0, out);
  // Later tables depend on earlier ones: also feed the input as every page
  // of one sync, so the KISCOURSE join code runs with tables in memory.
  for (int page = 1; page < 8; ++page) (void)adapter->Parse(payload, page, out);
  FeedSettings feed;
  feed.url = "https://example.invalid/feed";
  feed.query = "soc=5231";
  (void)adapter->NextRequest(feed, 0);
  return 0;
}
