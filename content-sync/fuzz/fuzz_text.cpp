// libFuzzer target: HTML text and character references (feed_util.h) and
// time-zone names (timezones.h), the two text parsers every adapter leans
// on. Valid UTF-8 in is valid UTF-8 out, with no NUL; any TZID resolves.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "feeds/feed_util.h"
#include "feeds/timezones.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace signpost::sync::feeds;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::string decoded = DecodeHtmlEntities(text);
  const std::string plain = HtmlToText(text);
  if (IsValidUtf8(text)) {
    if (!IsValidUtf8(decoded) || !IsValidUtf8(plain)) std::abort();
    if (text.find('\0') == std::string_view::npos &&
        (decoded.find('\0') != std::string::npos || plain.find('\0') != std::string::npos)) {
      std::abort();
    }
  }
  if (size < 256) {
    TimeZones zones;
    std::string how;
    const std::string zone = zones.Resolve(std::string(text), &how);
    if (zone.empty()) std::abort();
    (void)zones.ToUtc(zone, {2027, 3, 28, 1, 30, 0});
    (void)zones.FromUtc(zone, 1800000000);
  }
  return 0;
}
