// Fetcher. Index:
//   [SECTION] Helpers (Retry-After, HTML sniffing, hosts, redaction)
//   [SECTION] Fetcher::Fetch
#include "net/fetcher.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>

namespace signpost::sync {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// "application/json; charset=utf-8" -> "application/json"
std::string MediaType(std::string_view content_type) {
  std::string t = Lower(content_type.substr(0, content_type.find(';')));
  while (!t.empty() && std::isspace(static_cast<unsigned char>(t.back()))) t.pop_back();
  while (!t.empty() && std::isspace(static_cast<unsigned char>(t.front()))) t.erase(0, 1);
  return t;
}

bool TypeFits(const std::string& media, PayloadType expected) {
  // Servers often label feeds generically; the parser decides then.
  if (media.empty() || media == "application/octet-stream" || media == "binary/octet-stream" ||
      media == "text/plain") {
    return true;
  }
  switch (expected) {
    case PayloadType::kJson:
      return media == "application/json" || media == "text/json" ||
             media == "application/x-ndjson" || media == "application/javascript" ||
             (media.starts_with("application/") && media.ends_with("+json"));
    case PayloadType::kCalendar:
      return media == "text/calendar" || media == "application/ics" ||
             media == "text/x-vcalendar" || media == "application/calendar";
    case PayloadType::kCsvOrZip:
      return media == "text/csv" || media == "application/csv" ||
             media == "text/comma-separated-values" || media == "application/vnd.ms-excel" ||
             media == "application/zip" || media == "application/x-zip-compressed" ||
             media == "application/x-zip";
  }
  return false;
}

bool Transient(long status) {
  return status == 408 || status == 429 ||
         (status >= 500 && status <= 599 && status != 501 && status != 505 && status != 511);
}

}  // namespace

// [SECTION] Helpers ------------------------------------------------------------------

PayloadType PayloadTypeForKind(std::string_view kind) {
  if (kind == "icalendar") return PayloadType::kCalendar;
  if (kind == "discover-uni" || kind == "postcodes") return PayloadType::kCsvOrZip;
  return PayloadType::kJson;
}

const char* PayloadTypeName(PayloadType t) {
  switch (t) {
    case PayloadType::kJson:
      return "JSON";
    case PayloadType::kCalendar:
      return "iCalendar";
    case PayloadType::kCsvOrZip:
      return "CSV/ZIP";
  }
  return "?";
}

std::optional<std::chrono::seconds> ParseRetryAfter(std::string_view value, UnixTime now) {
  while (!value.empty() && std::isspace(static_cast<unsigned char>(value.front()))) {
    value.remove_prefix(1);
  }
  while (!value.empty() && std::isspace(static_cast<unsigned char>(value.back()))) {
    value.remove_suffix(1);
  }
  if (value.empty()) return std::nullopt;
  if (std::all_of(value.begin(), value.end(),
                  [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
    if (value.size() > 9) return std::chrono::seconds(999'999'999);
    return std::chrono::seconds(std::stoll(std::string(value)));
  }
  const std::string copy(value);
  const time_t when = curl_getdate(copy.c_str(), nullptr);
  if (when == -1) return std::nullopt;
  return std::chrono::seconds(std::max<std::int64_t>(0, static_cast<std::int64_t>(when) - now));
}

// The first bytes of a body, enough to tell an HTML page, without mapping it.
std::string BodyHead(const Payload& body) {
  std::string head(1024, '\0');
  head.resize(body.ReadAt(0, head.data(), head.size()));
  return head;
}

bool LooksLikeHtml(std::string_view content_type, std::string_view body) {
  const std::string media = MediaType(content_type);
  if (media == "text/html" || media == "application/xhtml+xml") return true;
  if (body.starts_with("\xEF\xBB\xBF")) body.remove_prefix(3);
  std::size_t i = 0;
  while (i < body.size() && std::isspace(static_cast<unsigned char>(body[i]))) ++i;
  const std::string head = Lower(body.substr(i, 512));
  if (head.starts_with("<!doctype html") || head.starts_with("<html") ||
      head.starts_with("<head") || head.starts_with("<body")) {
    return true;
  }
  // <?xml ...?> followed by an XHTML root.
  return head.starts_with("<?xml") && head.find("<html") != std::string::npos;
}

std::string HostOf(std::string_view url) {
  const auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return "";
  std::string_view rest = url.substr(scheme + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (const auto at = rest.rfind('@'); at != std::string_view::npos) rest = rest.substr(at + 1);
  if (!rest.starts_with("[")) rest = rest.substr(0, rest.find(':'));
  return Lower(rest);
}

std::string RedactUrl(std::string_view url) {
  const auto q = url.find('?');
  if (q == std::string_view::npos) return std::string(url);
  std::string out(url.substr(0, q + 1));
  std::string_view query = url.substr(q + 1);
  bool first = true;
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    const auto eq = pair.find('=');
    const std::string name = Lower(pair.substr(0, eq));
    const bool secret =
        name.find("key") != std::string::npos || name.find("token") != std::string::npos ||
        name.find("secret") != std::string::npos || name.find("sig") != std::string::npos ||
        name.find("pass") != std::string::npos || name.find("auth") != std::string::npos;
    if (!first) out += '&';
    first = false;
    if (secret && eq != std::string_view::npos) {
      out += std::string(pair.substr(0, eq)) + "=REDACTED";
    } else {
      out += pair;
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return out;
}

// [SECTION] Fetcher ---------------------------------------------------------------------

Fetcher::Fetcher(HttpTransport* transport, Clock* clock, RetryPolicy policy, std::uint64_t seed)
    : transport_(transport), clock_(clock), policy_(policy), rng_(seed) {
  policy_.max_attempts = std::max(1, policy_.max_attempts);
}

std::chrono::milliseconds Fetcher::Backoff(int attempt) {
  // Full jitter (AWS architecture blog): uniform in [0, min(cap, base * 2^(n-1))].
  const int shift = std::min(attempt - 1, 20);
  const std::int64_t ceiling =
      std::min<std::int64_t>(policy_.max_delay.count(), policy_.base_delay.count() << shift);
  std::uniform_int_distribution<std::int64_t> pick(0, std::max<std::int64_t>(0, ceiling));
  return std::chrono::milliseconds(pick(rng_));
}

FetchResult Fetcher::Fetch(const HttpRequest& request, PayloadType expected) {
  FetchResult out;
  const std::string where = RedactUrl(request.url.substr(0, request.url.find('#')));
  for (int attempt = 1;; ++attempt) {
    if (clock_->StopRequested()) {
      out.status = Status::Unavailable("stopped before fetching " + where);
      return out;
    }
    out.attempts = attempt;
    HttpResult r = transport_->Perform(request);
    std::optional<std::chrono::milliseconds> wait;  // set when worth retrying
    if (!r.status.ok()) {
      const bool transient = r.failure == HttpFailure::kTimeout ||
                             r.failure == HttpFailure::kConnect ||
                             r.failure == HttpFailure::kResolve;
      out.status = r.status;
      // A TLS failure needs a technician (ca_file): "failed", not "offline".
      out.offline = transient || r.failure == HttpFailure::kRedirectLoop;
      if (!transient) return out;
      wait = Backoff(attempt);
    } else {
      HttpResponse& resp = r.response;
      const long code = resp.status;
      out.http_status = code;
      if (code == 304) {
        out.status = Status::Ok();
        out.not_modified = true;
        out.response = std::move(resp);
        return out;
      }
      const bool cross_host =
          resp.redirects > 0 && HostOf(resp.effective_url) != HostOf(request.url);
      if (code == 511 || (code < 400 && LooksLikeHtml(resp.content_type, BodyHead(resp.body)))) {
        std::string why = code == 511 ? "HTTP 511 Network Authentication Required"
                                      : std::string("an HTML page where ") +
                                            PayloadTypeName(expected) + " was expected";
        if (cross_host) why += ", after a redirect to " + HostOf(resp.effective_url);
        out.status =
            Status::Unavailable("looks like a captive portal or web-filter login page (" + why +
                                " from " + where + "); not online, nothing imported");
        out.offline = true;
        return out;
      }
      if (code >= 200 && code < 300) {
        const std::string media = MediaType(resp.content_type);
        if (!TypeFits(media, expected)) {
          out.status =
              Status::InvalidArgument("unexpected content type \"" + media + "\" from " + where +
                                      " (expected " + PayloadTypeName(expected) + ")");
          return out;
        }
        out.status = Status::Ok();
        out.response = std::move(resp);
        return out;
      }
      const std::string http = "HTTP " + std::to_string(code) + " from " + where;
      if (code == 401 || code == 403) {
        out.status = Status::InvalidArgument(http +
                                             ": upstream refused the request; check the "
                                             "feed's api_key and url");
        return out;
      }
      if (code == 407) {
        out.status = Status::Unavailable(http +
                                         ": the proxy wants authentication; check [sync] "
                                         "proxy");
        out.offline = true;
        return out;
      }
      if (!Transient(code)) {
        out.status = Status::InvalidArgument(http);
        return out;
      }
      out.status = Status::Unavailable(http + (code == 429 ? " (rate limited)" : ""));
      wait = Backoff(attempt);
      if (auto ra = ParseRetryAfter(resp.retry_after, clock_->Now())) {
        const auto asked = std::chrono::duration_cast<std::chrono::milliseconds>(*ra);
        if (asked > policy_.max_retry_after) {
          out.status = Status::Unavailable(http + ": upstream asked us to wait " +
                                           std::to_string(ra->count()) +
                                           " s; trying again at the next scheduled sync");
          return out;
        }
        wait = std::max(asked, *wait);
      }
    }
    if (attempt >= policy_.max_attempts) {
      out.status = Status(out.status.code() == Status::Code::kUnavailable
                              ? Status::Unavailable(out.status.message() + " (after " +
                                                    std::to_string(attempt) + " attempts)")
                              : out.status);
      return out;
    }
    if (!clock_->SleepFor(*wait)) {
      out.status = Status::Unavailable("stopped while waiting to retry " + where);
      return out;
    }
  }
}

}  // namespace signpost::sync
