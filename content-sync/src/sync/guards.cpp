// Guards (guards.h).
#include "sync/guards.h"

#include <curl/curl.h>

#include <filesystem>

#include "net/http_client.h"

namespace signpost::sync {
namespace {

bool IsHttp(std::string_view url) {
  return url.starts_with("http://") || url.starts_with("https://");
}

// The file path of a file:// URL, normalised ("" when not one).
std::filesystem::path FilePath(std::string_view url) {
  if (!url.starts_with("file://")) return {};
  std::string_view rest = url.substr(7);
  if (!rest.starts_with("/")) {  // file://localhost/path
    const auto slash = rest.find('/');
    if (slash == std::string_view::npos || rest.substr(0, slash) != "localhost") return {};
    rest = rest.substr(slash);
  }
  rest = rest.substr(0, rest.find_first_of("?#"));
  return std::filesystem::path(std::string(rest)).lexically_normal();
}

}  // namespace

Status RequestAllowed(const FeedSettings& feed, std::string_view url) {
  const std::string shown(url.substr(0, url.find_first_of("?#")).substr(0, 200));
  if (url == feed.url) return Status::Ok();
  if (feed.url.starts_with("file://")) {
    const std::filesystem::path base = FilePath(feed.url).parent_path();
    const std::filesystem::path want = FilePath(url);
    if (!want.empty() && !base.empty()) {
      const auto rel = want.lexically_relative(base);
      if (!rel.empty() && *rel.begin() != "..") return Status::Ok();
    }
    return Status::InvalidArgument("refused to fetch " + shown +
                                   ": a local feed may only read files in its own folder");
  }
  if (!IsHttp(url)) {
    return Status::InvalidArgument("refused to fetch " + shown +
                                   ": only http(s) links from feed data are followed");
  }
  if (OriginOf(url) != OriginOf(feed.url)) {
    return Status::InvalidArgument("refused to fetch " + shown +
                                   ": not on the feed's own server (" + OriginOf(feed.url) + ")");
  }
  return Status::Ok();
}

bool KeyMayGoTo(const FeedSettings& feed, std::string_view url) {
  return !OriginOf(url).empty() && OriginOf(url) == OriginOf(feed.url);
}

std::string UsableLastModified(std::string_view last_modified, UnixTime now) {
  if (last_modified.empty()) return "";
  const std::string copy(last_modified);
  const time_t when = curl_getdate(copy.c_str(), nullptr);
  if (when == -1) return "";
  if (static_cast<UnixTime>(when) > now + 86400) return "";
  return copy;
}

}  // namespace signpost::sync
