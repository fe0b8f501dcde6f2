// FeedAdapter: turns one upstream payload into catalogue records.
//
// One adapter per published format (Find a course, Find an apprenticeship
// v2, standards, job profiles, LMI for All, Discover Uni CSV, Open Referral
// UK, iCalendar). Adapters do no I/O: the HTTP layer (fetcher) asks an
// adapter for the first request, hands it each response body, and asks for
// the next request while paging. Records go straight into a
// catalogue::FeedImport (a real staged import, or a counting one for
// `content-sync validate`). A record with a missing or malformed field is
// skipped and counted (FeedImport::Skip), never the whole feed; Parse
// returns non-ok only when the payload as a whole is unusable (not the
// expected format at all), and then the caller abandons the import.
// Thread safety: an adapter object is used by one thread at a time.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "signpost/catalogue.h"
#include "signpost/status.h"

namespace signpost::sync {

// What the configuration says about one feed (see config.h).
struct FeedSettings {
  std::string name;            // e.g. "courses", unique per config; the catalogue feed name
  std::string kind;            // adapter kind: "find-a-course", "fat-vacancies", "standards",
                               // "job-profiles", "lmi-for-all", "discover-uni", "open-referral",
                               // "icalendar"
  std::string url;             // base URL (or file:// path for a local file)
  std::string api_key;         // sent as api_key_header; never logged
  std::string api_key_header;  // e.g. "Ocp-Apim-Subscription-Key"
  std::vector<std::pair<std::string, std::string>> extra_headers;  // e.g. {"X-Version","2"}
  std::string query;  // adapter-specific search scope (postcode, keyword, area)
  int page_size = 100;
  int max_pages = 500;  // paging cap
  bool enabled = true;
};

struct FeedRequest {
  std::string method = "GET";  // "GET" or "POST"
  std::string url;
  std::string body;          // POST body
  std::string content_type;  // POST content type
};

class FeedAdapter {
 public:
  virtual ~FeedAdapter() = default;
  virtual std::string_view kind() const = 0;
  // The first request for a sync of this feed.
  virtual FeedRequest FirstRequest(const FeedSettings& feed) const = 0;
  // Parses one response body. `page` is 0 for the first response.
  virtual Status Parse(std::string_view payload, int page, catalogue::FeedImport& out) = 0;
  // The request for the page after `page`, or nullopt when the last parsed
  // payload was the last page. Called after Parse of that payload.
  virtual std::optional<FeedRequest> NextRequest(const FeedSettings& feed, int page) const = 0;
};

// nullptr for an unknown kind.
std::unique_ptr<FeedAdapter> MakeFeedAdapter(std::string_view kind);
// All known kinds, for help text and validation of config.
std::vector<std::string> FeedAdapterKinds();

}  // namespace signpost::sync
