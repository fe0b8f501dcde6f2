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

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "feeds/field_coverage.h"
#include "feeds/payload.h"
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
  int max_pages = 500;              // paging cap
  std::int64_t max_body_bytes = 0;  // body cap per response; 0 = the adapter's, else [sync]'s
  bool enabled = true;
  // A feed that may really become empty (e.g. events at the end of term):
  // an empty set then replaces the old one instead of being held back.
  bool allow_empty = false;
};

struct FeedRequest {
  std::string method = "GET";  // "GET" or "POST"
  std::string url;
  std::string body;          // POST body
  std::string content_type;  // POST content type
  // Headers the API itself requires (e.g. {"X-Version","2"}), sent after the
  // key and before the feed's configured extra headers.
  std::vector<std::pair<std::string, std::string>> headers;
  // A detail request for one record (a job profile, an Open Referral
  // service): when the upstream says it does not exist (204, 404, 410) the
  // adapter is handed an empty payload and skips that record, instead of
  // the whole sync failing. Paging requests leave this false. Detail
  // requests do not count against FeedSettings::max_pages (that caps list
  // pages); they are bounded by the records the list pages named, which the
  // per-feed record cap bounds (field_coverage.h).
  bool may_be_missing = false;
};

// The most detail requests (FeedRequest::may_be_missing) one sync of a feed
// may make: about 25 times the ~800 job profiles, or a county's Open
// Referral directory. More fails the sync (the old data stays).
inline constexpr int kMaxDetailRequests = 20000;

class FeedAdapter {
 public:
  virtual ~FeedAdapter() = default;
  virtual std::string_view kind() const = 0;
  // The first request for a sync of this feed.
  virtual FeedRequest FirstRequest(const FeedSettings& feed) const = 0;
  // Parses one response body. `page` is 0 for the first response.
  virtual Status Parse(std::string_view payload, int page, catalogue::FeedImport& out) = 0;
  // What the sync engine calls: the body in memory or spooled to a file
  // (payload.h). Adapters that can read a body in one pass override this
  // and read payload.Stream(), so memory is bounded by one record, not the
  // body; the default maps the body and calls Parse.
  virtual Status ParsePayload(const Payload& payload, int page, catalogue::FeedImport& out) {
    return Parse(payload.view(), page, out);
  }
  // The largest body this kind of feed may send, when the [sync] default
  // (max_body_mb) would not fit the real feed; 0 = the default.
  virtual std::int64_t MaxBodyBytes() const { return 0; }
  // The least time between two requests to this upstream (a published rate
  // limit, e.g. 150 a minute); 0 = none.
  virtual int MinRequestIntervalMs() const { return 0; }
  // What a usable record of this feed needs (field_coverage.h): the sync
  // counts how many records arrive without each, and calls the feed
  // "degraded" when most do.
  virtual std::vector<KeyField> KeyFields() const { return {}; }
  // The request for the page after `page`, or nullopt when the last parsed
  // payload was the last page. Called after Parse of that payload.
  virtual std::optional<FeedRequest> NextRequest(const FeedSettings& feed, int page) const = 0;
};

// nullptr for an unknown kind.
std::unique_ptr<FeedAdapter> MakeFeedAdapter(std::string_view kind);
// All known kinds, for help text and validation of config.
std::vector<std::string> FeedAdapterKinds();

}  // namespace signpost::sync
