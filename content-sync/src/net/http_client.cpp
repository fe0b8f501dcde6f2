// libcurl transport. Index:
//   [SECTION] RAII wrappers (CurlEasy, CurlSlist; throw internally only)
//   [SECTION] Callbacks (body with size cap, headers)
//   [SECTION] CurlTransport::Perform
#include "net/http_client.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>

#include <curl/curl.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string_view>

#ifndef SIGNPOST_VERSION
#define SIGNPOST_VERSION "0.0.0"
#endif

namespace signpost::sync {
namespace {

// [SECTION] RAII wrappers ------------------------------------------------------

struct CurlError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class CurlSlist {
 public:
  CurlSlist() = default;
  ~CurlSlist() { curl_slist_free_all(list_); }
  CurlSlist(const CurlSlist&) = delete;
  CurlSlist& operator=(const CurlSlist&) = delete;
  void Append(const std::string& line) {
    curl_slist* next = curl_slist_append(list_, line.c_str());
    if (next == nullptr) throw CurlError("out of memory building headers");
    list_ = next;
  }
  curl_slist* get() const { return list_; }

 private:
  curl_slist* list_ = nullptr;
};

class CurlEasy {
 public:
  CurlEasy() : handle_(curl_easy_init()) {
    if (handle_ == nullptr) throw CurlError("curl_easy_init failed");
  }
  ~CurlEasy() { curl_easy_cleanup(handle_); }
  CurlEasy(const CurlEasy&) = delete;
  CurlEasy& operator=(const CurlEasy&) = delete;

  template <typename T>
  void Set(CURLoption option, T value) {
    CURLcode rc = curl_easy_setopt(handle_, option, value);
    if (rc != CURLE_OK) throw CurlError(curl_easy_strerror(rc));
  }
  // For options that an older/differently-built libcurl may not know
  // (HTTP/2): ignore failure.
  template <typename T>
  void TrySet(CURLoption option, T value) {
    (void)curl_easy_setopt(handle_, option, value);
  }
  void Reset() { curl_easy_reset(handle_); }
  CURL* get() const { return handle_; }

 private:
  CURL* handle_;
};

// [SECTION] Callbacks ------------------------------------------------------------

// Where a body goes as it arrives: memory first, then (past the spool
// threshold) an unlinked temporary file, so its bytes never sit in the heap.
class BodySink {
 public:
  BodySink(std::string dir, std::int64_t spool_above)
      : dir_(std::move(dir)), spool_above_(spool_above) {}
  BodySink(const BodySink&) = delete;
  BodySink& operator=(const BodySink&) = delete;
  ~BodySink() {
    if (fd_ >= 0) close(fd_);
  }
  std::int64_t size() const { return size_; }
  bool failed() const { return failed_; }
  bool Append(const char* data, std::size_t n) {
    if (fd_ < 0 && static_cast<std::int64_t>(memory_.size() + n) > spool_above_) {
      if (!Spool()) return false;
    }
    if (fd_ >= 0) {
      if (!WriteAll(data, n)) return false;
    } else {
      memory_.append(data, n);
    }
    size_ += static_cast<std::int64_t>(n);
    return true;
  }
  // The body, handed over (the sink is empty afterwards).
  Payload Take() {
    if (fd_ < 0) return Payload(std::move(memory_));
    Payload p = Payload::AdoptFile(fd_, size_);
    fd_ = -1;
    return p;
  }

 private:
  bool Spool() {
    std::string dir = dir_.empty() ? std::filesystem::temp_directory_path().string() : dir_;
#ifdef O_TMPFILE
    fd_ = open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
#endif
    if (fd_ < 0) {  // no O_TMPFILE on this file system: a named file, unlinked at once
      std::string name = dir + "/content-sync-body.XXXXXX";
      fd_ = mkostemp(name.data(), O_CLOEXEC);
      if (fd_ >= 0) unlink(name.c_str());
    }
    if (fd_ < 0) {
      failed_ = true;
      return false;
    }
    const std::string held = std::move(memory_);
    memory_.clear();
    memory_.shrink_to_fit();
    return WriteAll(held.data(), held.size());
  }
  bool WriteAll(const char* data, std::size_t n) {
    while (n > 0) {
      const ssize_t w = write(fd_, data, n);
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) {
        failed_ = true;
        return false;
      }
      data += w;
      n -= static_cast<std::size_t>(w);
    }
    return true;
  }
  std::string dir_;
  std::int64_t spool_above_;
  std::string memory_;
  int fd_ = -1;
  std::int64_t size_ = 0;
  bool failed_ = false;
};

struct Transfer {
  HttpResponse* response = nullptr;
  BodySink* body = nullptr;
  std::int64_t max_body = 0;
  bool too_large = false;
  const std::function<bool()>* abort_check = nullptr;
  bool aborted = false;
};

int OnProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* t = static_cast<Transfer*>(user);
  if (t->abort_check != nullptr && *t->abort_check && (*t->abort_check)()) {
    t->aborted = true;
    return 1;  // CURLE_ABORTED_BY_CALLBACK
  }
  return 0;
}

std::size_t WriteBody(char* data, std::size_t size, std::size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::size_t n = size * count;
  if (t->body->size() + static_cast<std::int64_t>(n) > t->max_body) {
    t->too_large = true;
    return 0;  // makes curl abort with CURLE_WRITE_ERROR
  }
  if (!t->body->Append(data, n)) return 0;  // no room to spool: CURLE_WRITE_ERROR
  return n;
}

std::string Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

bool HeaderIs(std::string_view name, std::string_view want) {
  return name.size() == want.size() &&
         std::equal(name.begin(), name.end(), want.begin(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) ==
                  std::tolower(static_cast<unsigned char>(b));
         });
}

std::size_t ReadHeader(char* data, std::size_t size, std::size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::size_t n = size * count;
  std::string_view line(data, n);
  if (line.starts_with("HTTP/")) {
    // A new response (after a redirect or a 100 Continue): forget the
    // previous response's headers.
    t->response->etag.clear();
    t->response->last_modified.clear();
    t->response->retry_after.clear();
    return n;
  }
  const auto colon = line.find(':');
  if (colon == std::string_view::npos) return n;
  const std::string_view name = line.substr(0, colon);
  const std::string value = Trim(line.substr(colon + 1));
  if (HeaderIs(name, "etag")) {
    t->response->etag = value;
  } else if (HeaderIs(name, "last-modified")) {
    t->response->last_modified = value;
  } else if (HeaderIs(name, "retry-after")) {
    t->response->retry_after = value;
  }
  return n;
}

HttpFailure Classify(CURLcode rc) {
  switch (rc) {
    case CURLE_OPERATION_TIMEDOUT:
      return HttpFailure::kTimeout;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      return HttpFailure::kResolve;
    case CURLE_COULDNT_CONNECT:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return HttpFailure::kConnect;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
      return HttpFailure::kTls;
    case CURLE_FILESIZE_EXCEEDED:
      return HttpFailure::kTooLarge;
    case CURLE_TOO_MANY_REDIRECTS:
      return HttpFailure::kRedirectLoop;
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
      return HttpFailure::kBadUrl;
    default:
      return HttpFailure::kOther;
  }
}

// Strips the query and fragment: URLs in messages must not carry keys.
std::string UrlForMessage(const std::string& url) { return url.substr(0, url.find_first_of("?#")); }

// [SECTION] CurlTransport ----------------------------------------------------------

bool ReadFile(const std::string& path, std::string* out) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return false;
  char buf[16384];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out->append(buf, n);
  const bool ok = std::ferror(f) == 0;
  std::fclose(f);
  return ok;
}

// "\"file-<mtime ns>-<size>\"" for a readable file:// URL, else "".
std::string FileEtag(const std::string& url) {
  if (!url.starts_with("file:")) return "";
  CURLU* u = curl_url();
  if (u == nullptr) return "";
  std::string etag;
  char* path = nullptr;
  if (curl_url_set(u, CURLUPART_URL, url.c_str(), 0) == CURLUE_OK &&
      curl_url_get(u, CURLUPART_PATH, &path, CURLU_URLDECODE) == CURLUE_OK) {
    struct stat st {};
    if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
      const long long ns =
          static_cast<long long>(st.st_mtim.tv_sec) * 1'000'000'000LL + st.st_mtim.tv_nsec;
      etag = "\"file-" + std::to_string(ns) + "-" + std::to_string(st.st_size) + "\"";
    }
  }
  curl_free(path);
  curl_url_cleanup(u);
  return etag;
}

class CurlTransport final : public HttpTransport {
 public:
  explicit CurlTransport(const HttpOptions& options) : options_(options) {
    if (!options_.ca_file.empty()) {
      // The extra CA is added to the system bundle, not put in its place:
      // sites the filter does not inspect must still verify.
      char* system_bundle = nullptr;
      curl_easy_getinfo(easy_.get(), CURLINFO_CAINFO, &system_bundle);
      if (system_bundle != nullptr) {
        (void)ReadFile(system_bundle, &ca_bundle_);
        ca_bundle_ += "\n";
      }
      ca_ok_ = ReadFile(options_.ca_file, &ca_bundle_);
    }
  }

  HttpResult Perform(const HttpRequest& request) override {
    try {
      return PerformOrThrow(request);
    } catch (const CurlError& e) {
      HttpResult r;
      r.status = Status::Internal(std::string("curl: ") + e.what());
      r.failure = HttpFailure::kOther;
      return r;
    } catch (const std::bad_alloc&) {
      HttpResult r;
      r.status = Status::Internal("out of memory during HTTP request");
      r.failure = HttpFailure::kOther;
      return r;
    }
  }

 private:
  // The proxy a request to `url` goes through ("" = none), as libcurl picks
  // it: [sync] proxy, else the scheme's *_proxy variable, else all_proxy.
  // Credentials in it are not returned.
  std::string ProxyInUse(const std::string& url) const {
    std::string proxy;
    if (options_.proxy == "none") return "";
    if (!options_.proxy.empty()) {
      proxy = options_.proxy;
    } else {
      const bool https = url.rfind("https://", 0) == 0;
      for (const char* name : {https ? "https_proxy" : "http_proxy", https ? "HTTPS_PROXY" : "",
                               "all_proxy", "ALL_PROXY"}) {
        const char* v = *name ? std::getenv(name) : nullptr;
        if (v != nullptr && *v != '\0') {
          proxy = v;
          break;
        }
      }
    }
    const auto scheme = proxy.find("://");
    const auto at = proxy.find('@', scheme == std::string::npos ? 0 : scheme + 3);
    if (at != std::string::npos) {
      proxy =
          (scheme == std::string::npos ? "" : proxy.substr(0, scheme + 3)) + proxy.substr(at + 1);
    }
    return proxy;
  }

  HttpResult PerformOrThrow(const HttpRequest& request) {
    HttpResult result;
    HttpResponse& response = result.response;
    const std::int64_t max_body =
        request.max_body_bytes > 0 ? request.max_body_bytes : options_.max_body_bytes;
    BodySink body(options_.spool_dir, options_.spool_above_bytes);
    Transfer transfer{&response, &body, max_body, false, &options_.abort_check, false};
    char error_buffer[CURL_ERROR_SIZE] = {0};

    easy_.Reset();  // keeps the connection cache, clears options
    easy_.Set(CURLOPT_URL, request.url.c_str());
    easy_.Set(CURLOPT_ERRORBUFFER, error_buffer);
    easy_.Set(CURLOPT_NOSIGNAL, 1L);
    easy_.Set(CURLOPT_PROTOCOLS_STR, "http,https,file");
    easy_.Set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    easy_.Set(CURLOPT_FOLLOWLOCATION, 1L);
    easy_.Set(CURLOPT_MAXREDIRS, options_.max_redirects);
    easy_.Set(CURLOPT_CONNECTTIMEOUT_MS, options_.connect_timeout_ms);
    easy_.Set(CURLOPT_LOW_SPEED_LIMIT, options_.low_speed_limit);
    easy_.Set(CURLOPT_LOW_SPEED_TIME, options_.low_speed_time_s);
    easy_.Set(CURLOPT_TIMEOUT, options_.total_timeout_s);
    easy_.Set(CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(max_body));
    easy_.Set(CURLOPT_ACCEPT_ENCODING, "");  // every encoding curl was built with
    easy_.TrySet(CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS));
    easy_.Set(CURLOPT_SSL_VERIFYPEER, 1L);
    easy_.Set(CURLOPT_SSL_VERIFYHOST, 2L);
    curl_blob ca_blob{ca_bundle_.data(), ca_bundle_.size(), CURL_BLOB_NOCOPY};
    if (!options_.ca_file.empty()) {
      if (!ca_ok_) {
        result.status = Status::InvalidArgument("cannot read [sync] ca_file " + options_.ca_file);
        result.failure = HttpFailure::kTls;
        return result;
      }
      easy_.Set(CURLOPT_CAINFO_BLOB, &ca_blob);
    }
    if (!options_.ca_path.empty()) easy_.Set(CURLOPT_CAPATH, options_.ca_path.c_str());
    if (options_.proxy == "none") {
      easy_.Set(CURLOPT_PROXY, "");  // "" disables proxies, even from the environment
    } else if (!options_.proxy.empty()) {
      easy_.Set(CURLOPT_PROXY, options_.proxy.c_str());
    }
    user_agent_ = UserAgent(options_.user_agent_extra);
    easy_.Set(CURLOPT_USERAGENT, user_agent_.c_str());
    easy_.Set(CURLOPT_WRITEFUNCTION, &WriteBody);
    easy_.Set(CURLOPT_WRITEDATA, &transfer);
    easy_.Set(CURLOPT_HEADERFUNCTION, &ReadHeader);
    easy_.Set(CURLOPT_HEADERDATA, &transfer);
    if (options_.abort_check) {
      easy_.Set(CURLOPT_XFERINFOFUNCTION, &OnProgress);
      easy_.Set(CURLOPT_XFERINFODATA, &transfer);
      easy_.Set(CURLOPT_NOPROGRESS, 0L);
    }

    CurlSlist headers;
    for (const auto& [name, value] : request.headers) headers.Append(name + ": " + value);
    if (!request.if_none_match.empty()) headers.Append("If-None-Match: " + request.if_none_match);
    if (!request.if_modified_since.empty()) {
      headers.Append("If-Modified-Since: " + request.if_modified_since);
    }
    if (request.method == "POST") {
      easy_.Set(CURLOPT_POST, 1L);
      easy_.Set(CURLOPT_POSTFIELDS, request.body.c_str());
      easy_.Set(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
      if (!request.content_type.empty()) headers.Append("Content-Type: " + request.content_type);
    } else if (request.method != "GET") {
      result.status = Status::InvalidArgument("unsupported HTTP method " + request.method);
      result.failure = HttpFailure::kBadUrl;
      return result;
    }
    if (headers.get() != nullptr) easy_.Set(CURLOPT_HTTPHEADER, headers.get());

    // file:// has no validators: make an ETag from the file's mtime and size,
    // so an unchanged local file (a USB bundle, a mirror) costs no import.
    const std::string file_etag = FileEtag(request.url);
    if (!file_etag.empty() && request.if_none_match == file_etag) {
      response.status = 304;
      response.etag = file_etag;
      response.effective_url = request.url;
      result.status = Status::Ok();
      return result;
    }

    const CURLcode rc = curl_easy_perform(easy_.get());
    const std::string where = UrlForMessage(request.url);
    if (rc != CURLE_OK) {
      result.failure = transfer.too_large ? HttpFailure::kTooLarge
                       : transfer.aborted ? HttpFailure::kAborted
                       : body.failed()    ? HttpFailure::kOther
                                          : Classify(rc);
      std::string detail = error_buffer[0] != 0 ? error_buffer : curl_easy_strerror(rc);
      switch (result.failure) {
        case HttpFailure::kTooLarge:
          result.status =
              Status::InvalidArgument("response from " + where + " is larger than max_body_mb (" +
                                      std::to_string(max_body >> 20) + " MB); download abandoned");
          break;
        case HttpFailure::kRedirectLoop:
          result.status = Status::Unavailable("too many redirects (more than " +
                                              std::to_string(options_.max_redirects) + ") from " +
                                              where + ": a redirect loop");
          break;
        case HttpFailure::kTimeout:
          result.status = Status::Unavailable("timed out fetching " + where + " (" + detail + ")");
          break;
        case HttpFailure::kTls:
          result.status = Status::Unavailable(
              "TLS problem with " + where + " (" + detail +
              "); if the school's web filter inspects HTTPS, set [sync] ca_file to its "
              "certificate");
          break;
        case HttpFailure::kAborted:
          result.status = Status::Unavailable("stopped while fetching " + where);
          break;
        case HttpFailure::kBadUrl:
          result.status = Status::InvalidArgument("bad URL " + where + " (" + detail + ")");
          break;
        case HttpFailure::kOther:
          if (body.failed()) {
            result.status = Status::IoError(
                "no room to hold the response from " + where + " in " +
                (options_.spool_dir.empty() ? std::string("the temp folder") : options_.spool_dir) +
                " (disk full?); download abandoned");
            break;
          }
          [[fallthrough]];
        default: {
          std::string via;
          if (result.failure == HttpFailure::kConnect || result.failure == HttpFailure::kResolve) {
            const std::string proxy = ProxyInUse(request.url);
            if (!proxy.empty()) {
              via = " through the proxy " + UrlForMessage(proxy) +
                    " (check [sync] proxy or the http_proxy/https_proxy environment)";
            }
          }
          result.status =
              Status::Unavailable("could not fetch " + where + via + " (" + detail + ")");
          break;
        }
      }
      return result;
    }

    long code = 0;
    curl_easy_getinfo(easy_.get(), CURLINFO_RESPONSE_CODE, &code);
    char* content_type = nullptr;
    curl_easy_getinfo(easy_.get(), CURLINFO_CONTENT_TYPE, &content_type);
    if (content_type != nullptr) response.content_type = content_type;
    char* effective = nullptr;
    curl_easy_getinfo(easy_.get(), CURLINFO_EFFECTIVE_URL, &effective);
    response.effective_url = effective != nullptr ? effective : request.url;
    curl_easy_getinfo(easy_.get(), CURLINFO_REDIRECT_COUNT, &response.redirects);
    // file:// has no status line: a successful read is a 200.
    response.status = (code == 0 && request.url.starts_with("file:")) ? 200 : code;
    if (!file_etag.empty()) response.etag = file_etag;
    response.body = body.Take();
    result.status = Status::Ok();
    return result;
  }

  HttpOptions options_;
  CurlEasy easy_;
  std::string user_agent_;
  std::string ca_bundle_;  // system bundle + ca_file, when ca_file is set
  bool ca_ok_ = true;      // ca_file could be read
};

}  // namespace

std::string UserAgent(const std::string& extra) {
  std::string ua = "Signpost-content-sync/" SIGNPOST_VERSION " (+kiosk)";
  if (!extra.empty()) ua += " " + extra;
  return ua;
}

Status CurlGlobalInit() {
  const CURLcode rc = curl_global_init(CURL_GLOBAL_DEFAULT);
  if (rc != CURLE_OK) return Status::Internal(std::string("curl: ") + curl_easy_strerror(rc));
  return Status::Ok();
}

bool CurlHasHttp2() {
  const curl_version_info_data* info = curl_version_info(CURLVERSION_NOW);
  return info != nullptr && (info->features & CURL_VERSION_HTTP2) != 0;
}

Result<std::unique_ptr<HttpTransport>> MakeCurlTransport(const HttpOptions& options) {
  try {
    return std::unique_ptr<HttpTransport>(std::make_unique<CurlTransport>(options));
  } catch (const std::exception& e) {
    return Status::Internal(std::string("cannot start libcurl: ") + e.what());
  }
}

}  // namespace signpost::sync
