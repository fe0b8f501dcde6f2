// libFuzzer target, built once per adapter kind (SIGNPOST_FUZZ_KIND, e.g.
// "fat-vacancies"): the adapter's Parse must never crash, hang or throw on
// any payload; it either returns a Status or counts records. iCalendar and
// Discover Uni have their own targets (a fixed clock; multi-table pages).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "feeds/counting_import.h"
#include "feeds/feed_adapter.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace signpost::sync;
  auto adapter = MakeFeedAdapter(SIGNPOST_FUZZ_KIND);
  if (!adapter) std::abort();  // a kind the build names but the code does not know
  CountingImport out;
  const std::string_view payload(reinterpret_cast<const char*>(data), size);
  (void)adapter->Parse(payload, 0, out);
  // The same bytes as the next page too: a detail (a job profile, an Open
  // Referral service) or the next list page.
  (void)adapter->Parse(payload, 1, out);
  FeedSettings feed;
  feed.url = "https://example.invalid/feed";
  feed.query = "soc=5231";
  (void)adapter->NextRequest(feed, 0);
  return 0;
}
