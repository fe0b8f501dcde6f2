// Fetcher: one logical download with retries, on top of an HttpTransport.
//
// Retries transient failures (timeouts, connection errors, DNS, HTTP 408,
// 429 and 5xx except 501/505) with exponential backoff and full jitter,
// bounded by RetryPolicy::max_attempts; a 429/503 Retry-After (seconds or an
// HTTP-date) is honoured up to max_retry_after, beyond which the fetch gives
// up until the next scheduled sync. Decides what a response *means* before
// any parser sees it: 304 is "not modified"; an HTML page (or HTTP 511)
// where a feed was expected is a captive portal or web-filter login page,
// i.e. "not online", never data; a content type that cannot be the feed's
// format is an error.
//
// Thread safety: one Fetcher per thread (it uses its transport and RNG).
#pragma once

#include <chrono>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "net/http_client.h"
#include "signpost/status.h"

namespace signpost::sync {

struct RetryPolicy {
  int max_attempts = 4;                               // total tries per request, >= 1
  std::chrono::milliseconds base_delay{2000};         // first backoff ceiling
  std::chrono::milliseconds max_delay{60000};         // backoff ceiling cap
  std::chrono::milliseconds max_retry_after{300000};  // longest Retry-After we wait for
};

// What a feed's payload should look like, from its adapter kind.
enum class PayloadType { kJson, kCalendar, kCsvOrZip };
PayloadType PayloadTypeForKind(std::string_view kind);
const char* PayloadTypeName(PayloadType t);  // "JSON", "iCalendar", "CSV/ZIP"

struct FetchResult {
  Status status;              // ok: `response` is a usable 2xx, or a 304
  bool not_modified = false;  // 304: the feed has not changed since etag/last_modified
  bool offline = false;       // not ok because we are not online (network, captive portal)
  HttpResponse response;
  long http_status = 0;  // the last HTTP status seen (also when not ok), 0 = none
  int attempts = 0;      // requests made, including retries
};

class Fetcher {
 public:
  Fetcher(HttpTransport* transport, Clock* clock, RetryPolicy policy = {},
          std::uint64_t seed = std::random_device{}());
  FetchResult Fetch(const HttpRequest& request, PayloadType expected);

 private:
  std::chrono::milliseconds Backoff(int attempt);  // full jitter, attempt >= 1
  HttpTransport* transport_;
  Clock* clock_;
  RetryPolicy policy_;
  std::mt19937_64 rng_;
};

// Retry-After as a delay from `now`: "120" or "Wed, 21 Oct 2026 07:28:00 GMT".
// nullopt when absent or unparseable; a date in the past is 0.
std::optional<std::chrono::seconds> ParseRetryAfter(std::string_view value, UnixTime now);

// True when `body` (or `content_type`) is an HTML page.
bool LooksLikeHtml(std::string_view content_type, std::string_view body);
// The first kilobyte of a body (what LooksLikeHtml needs), read without mapping it.
std::string BodyHead(const Payload& body);

// "https://api.example.org/x?key=1" -> "api.example.org"; "" for file:// URLs.
std::string HostOf(std::string_view url);

// The URL with the query string's values blanked where the name looks like
// a secret (key, token, signature, password...), for logs.
std::string RedactUrl(std::string_view url);

}  // namespace signpost::sync
