#include "sync/sync_plan.h"

#include <vector>

#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

namespace signpost::sync {

std::string EncodeSyncPlan(const SyncPlan& plan) {
  nlohmann::json pages = nlohmann::json::array();
  for (const auto& p : plan.pages) {
    nlohmann::json j = {{"method", p.request.method}, {"url", p.request.url}, {"hash", p.hash}};
    if (!p.request.body.empty()) j["body"] = p.request.body;
    if (!p.request.content_type.empty()) j["content_type"] = p.request.content_type;
    if (!p.etag.empty()) j["etag"] = p.etag;
    if (!p.last_modified.empty()) j["last_modified"] = p.last_modified;
    // Headers the API requires (X-Version, version): never the key, which
    // the engine adds from the config and is not part of a FeedRequest.
    if (!p.request.headers.empty()) j["headers"] = p.request.headers;
    if (p.request.may_be_missing) j["may_be_missing"] = true;
    pages.push_back(std::move(j));
  }
  nlohmann::json doc = {{"version", 1}, {"pages", std::move(pages)}};
  return doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::optional<SyncPlan> DecodeSyncPlan(std::string_view json) {
  const nlohmann::json doc = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object() || doc.value("version", 0) != 1) return std::nullopt;
  const auto pages = doc.find("pages");
  if (pages == doc.end() || !pages->is_array() || pages->empty()) {
    return std::nullopt;
  }
  auto text = [](const nlohmann::json& j, const char* key) -> std::optional<std::string> {
    const auto it = j.find(key);
    if (it == j.end()) return std::string();
    if (!it->is_string()) return std::nullopt;
    return it->get<std::string>();
  };
  SyncPlan plan;
  for (const auto& j : *pages) {
    if (!j.is_object()) return std::nullopt;
    PlannedPage p;
    auto method = text(j, "method"), url = text(j, "url"), body = text(j, "body"),
         type = text(j, "content_type"), etag = text(j, "etag"),
         modified = text(j, "last_modified"), hash = text(j, "hash");
    if (!method || !url || !body || !type || !etag || !modified || !hash || url->empty() ||
        hash->size() != 2 * crypto_generichash_BYTES) {
      return std::nullopt;
    }
    p.request.method = *method;
    p.request.url = *url;
    p.request.body = *body;
    p.request.content_type = *type;
    if (const auto h = j.find("headers"); h != j.end()) {
      if (!h->is_array()) return std::nullopt;
      for (const auto& pair : *h) {
        if (!pair.is_array() || pair.size() != 2 || !pair[0].is_string() || !pair[1].is_string()) {
          return std::nullopt;
        }
        p.request.headers.emplace_back(pair[0].get<std::string>(), pair[1].get<std::string>());
      }
    }
    if (const auto m = j.find("may_be_missing"); m != j.end()) {
      if (!m->is_boolean()) return std::nullopt;
      p.request.may_be_missing = m->get<bool>();
    }
    p.etag = *etag;
    p.last_modified = *modified;
    p.hash = *hash;
    if (const auto h = j.find("headers"); h != j.end()) {
      if (!h->is_array()) return std::nullopt;
      for (const auto& pair : *h) {
        if (!pair.is_array() || pair.size() != 2 || !pair[0].is_string() || !pair[1].is_string()) {
          return std::nullopt;
        }
        p.request.headers.emplace_back(pair[0].get<std::string>(), pair[1].get<std::string>());
      }
    }
    if (const auto m = j.find("may_be_missing"); m != j.end()) {
      if (!m->is_boolean()) return std::nullopt;
      p.request.may_be_missing = m->get<bool>();
    }
    plan.pages.push_back(std::move(p));
  }
  return plan;
}

std::string HashBody(const Payload& body) {
  crypto_generichash_state state;
  crypto_generichash_init(&state, nullptr, 0, crypto_generichash_BYTES);
  std::vector<char> chunk(64 * 1024);
  for (std::int64_t at = 0; at < body.size();) {
    const std::size_t n = body.ReadAt(at, chunk.data(), chunk.size());
    if (n == 0) break;
    crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(chunk.data()), n);
    at += static_cast<std::int64_t>(n);
  }
  unsigned char out[crypto_generichash_BYTES];
  crypto_generichash_final(&state, out, sizeof out);
  char hex[2 * crypto_generichash_BYTES + 1];
  sodium_bin2hex(hex, sizeof hex, out, sizeof out);
  return hex;
}

bool UrlMayHoldSecret(std::string_view url) {
  const auto q = url.find('?');
  if (q == std::string_view::npos) return false;
  std::string query(url.substr(q + 1));
  std::transform(query.begin(), query.end(), query.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const char* word : {"key", "token", "secret", "password", "passwd", "signature",
                           "sig=", "auth", "credential"}) {
    if (query.find(word) != std::string::npos) return true;
  }
  return false;
}

bool SameRequest(const FeedRequest& a, const FeedRequest& b) {
  return a.method == b.method && a.url == b.url && a.body == b.body &&
         a.content_type == b.content_type && a.headers == b.headers &&
         a.may_be_missing == b.may_be_missing;
}

}  // namespace signpost::sync
