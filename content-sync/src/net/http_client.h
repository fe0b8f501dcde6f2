// HTTP for content-sync: one request at a time over libcurl, done the way
// school networks need it.
//
// HttpTransport is the seam (LevelDB's Env style): the sync engine talks to
// it, CurlTransport is the real one, tests may substitute their own. A
// transport performs exactly one request (redirects followed, no retries;
// see fetcher.h for retries and captive-portal detection). TLS verification
// is always on; an extra CA file/dir can be added for school web filters
// that inspect HTTPS. Proxies come from the environment (http_proxy,
// https_proxy, no_proxy, as curl reads them) unless the config names one.
// Request headers (API keys) are never logged or put into error messages.
//
// Thread safety: a CurlTransport owns one curl easy handle and is used by one
// thread at a time; separate transports may run on separate threads.
// CurlGlobalInit() must run once before threads start (main does it).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "feeds/payload.h"
#include "signpost/status.h"

namespace signpost::sync {

// How the transport behaves; filled from the [sync] table of the config.
struct HttpOptions {
  std::string user_agent_extra;  // appended to "Signpost-content-sync/<v> (+kiosk)"; "" = none
  std::string proxy;             // "" = from environment; "none" = never use a proxy
  std::string ca_file;           // extra CA bundle (PEM) for HTTPS-inspecting filters; ""
  std::string ca_path;           // extra CA directory (c_rehash'd); ""
  std::int64_t max_body_bytes = 64LL << 20;  // abort a body bigger than this (decoded)
  long connect_timeout_ms = 15000;           // TCP + TLS handshake
  long low_speed_limit = 100;                // bytes/s below which a transfer is "stalled"...
  long low_speed_time_s = 30;                // ...for this many seconds -> timeout
  long total_timeout_s = 900;                // whole request, 0 = none
  long max_redirects = 5;                    // more is an error ("redirect loop")
  // A body bigger than spool_above_bytes is moved, as it arrives, from memory
  // to an unlinked temporary file in spool_dir ("" = the system temp
  // folder), so a large body never sits in the heap (feeds/payload.h).
  std::string spool_dir;
  std::int64_t spool_above_bytes = 4LL << 20;
  // Polled during a transfer (about once a second when idle); true aborts
  // it (SIGTERM during a long download). Empty = never abort.
  std::function<bool()> abort_check;
};

struct HttpRequest {
  std::string method = "GET";                                // "GET" or "POST"
  std::string url;                                           // http://, https:// or file://
  std::string body;                                          // POST body
  std::string content_type;                                  // POST body type
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers; may hold secrets
  std::string if_none_match;                                 // ETag from the last import; "" = none
  std::string if_modified_since;    // Last-Modified from the last import; "" = none
  std::int64_t max_body_bytes = 0;  // this request's body cap; 0 = HttpOptions::max_body_bytes
};

struct HttpResponse {
  long status = 0;            // HTTP status; 200 for a file:// read
  Payload body;               // decoded (gzip/deflate/br removed); large ones spooled to a file
  std::string content_type;   // as sent, e.g. "application/json; charset=utf-8"
  std::string etag;           // response ETag, "" = none
  std::string last_modified;  // response Last-Modified, "" = none
  std::string retry_after;    // response Retry-After (seconds or HTTP-date), "" = none
  std::string effective_url;  // after redirects
  long redirects = 0;         // how many redirects were followed
};

// Why no complete response arrived. Names a class of failure the fetcher
// can act on (retry or not, "offline" or "failed").
enum class HttpFailure {
  kNone = 0,
  kTimeout,       // connect timeout, stalled body (low-speed limit) or total timeout
  kConnect,       // connection refused/reset, no route
  kResolve,       // DNS failed (typically: not online)
  kTls,           // certificate verification or handshake failed
  kTooLarge,      // body exceeded max_body_bytes
  kRedirectLoop,  // more than max_redirects
  kBadUrl,        // malformed or unsupported URL
  kAborted,       // abort_check said stop
  kOther,         // anything else curl reports
};

struct HttpResult {
  Status status;  // ok when a complete HTTP response arrived (any code)
  HttpFailure failure = HttpFailure::kNone;
  HttpResponse response;  // valid when status.ok()
};

class HttpTransport {
 public:
  virtual ~HttpTransport() = default;
  // Performs one request. Never throws.
  virtual HttpResult Perform(const HttpRequest& request) = 0;
};

// "Signpost-content-sync/0.1.0 (+kiosk)" plus " <extra>" when given.
std::string UserAgent(const std::string& extra);

// curl_global_init; call once at start-up before any thread uses curl.
Status CurlGlobalInit();

// The libcurl transport. Construct with MakeCurlTransport (fails only when
// curl cannot allocate a handle).
Result<std::unique_ptr<HttpTransport>> MakeCurlTransport(const HttpOptions& options);

// Whether curl was built with HTTP/2 (then it is offered over TLS via ALPN).
bool CurlHasHttp2();

}  // namespace signpost::sync
