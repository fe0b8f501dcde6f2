// Test support for the content-sync HTTP suites: a real HTTP server
// (cpp-httplib) on 127.0.0.1, an ephemeral port, inside the test process;
// and a small paged-JSON FeedAdapter of our own ("test-json"), so these
// tests exercise the fetcher and sync engine without depending on the real
// feed formats. Thread safety: the server runs handlers on its own threads;
// handlers must only touch atomics or state guarded by the test.
#pragma once

#include <httplib.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <thread>

#include "feeds/feed_adapter.h"
#include "signpost/catalogue.h"

namespace signpost::sync::testing {

// Starts listening in the constructor (bind + listen happen before the
// accept loop runs, so requests queue until it does); stops in the destructor.
class TestServer {
 public:
  TestServer() {
    server.set_keep_alive_max_count(2);
    server.set_read_timeout(2, 0);
    server.set_write_timeout(2, 0);
    // cpp-httplib answers "Accept-Encoding: br" with Brotli at its slowest
    // quality: seconds for a few hundred KB under qemu or a sanitizer, which
    // the client's stall limit then counts as a dead server. The tests' server
    // offers gzip only (what the client sent is otherwise kept). The Request
    // is cpp-httplib's own non-const object, handed over as const.
    server.set_pre_routing_handler([](const httplib::Request& req, httplib::Response&) {
      auto& headers = const_cast<httplib::Request&>(req).headers;
      const auto [first, last] = headers.equal_range("Accept-Encoding");
      for (auto it = first; it != last; ++it) {
        std::string kept;
        std::stringstream offered(it->second);
        for (std::string one; std::getline(offered, one, ',');) {
          const auto start = one.find_first_not_of(' ');
          if (start == std::string::npos || one.compare(start, 2, "br") == 0) continue;
          kept += (kept.empty() ? "" : ", ") + one.substr(start);
        }
        it->second = kept;
      }
      return httplib::Server::HandlerResponse::Unhandled;
    });
  }
  ~TestServer() { Stop(); }
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  // Call after registering handlers.
  void Start() {
    port_ = server.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server.listen_after_bind(); });
    // stop() before the accept loop runs would be lost: wait (bounded) for it.
    for (int i = 0; i < 400 && !server.is_running(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  void Stop() {
    if (thread_.joinable()) {
      server.stop();
      thread_.join();
    }
  }
  int port() const { return port_; }
  std::string Url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  // Same server, different host name: for cross-host redirects.
  std::string OtherHostUrl(const std::string& path) const {
    return "http://localhost:" + std::to_string(port_) + path;
  }

  httplib::Server server;

 private:
  int port_ = 0;
  std::thread thread_;
};

// {"items":[{"id":"a1","title":"..."}...],"next":"http://.../page2"|null}
inline std::string ItemsJson(int count, const std::string& prefix = "item",
                             const std::string& next = "") {
  nlohmann::json items = nlohmann::json::array();
  for (int i = 0; i < count; ++i) {
    items.push_back({{"id", prefix + std::to_string(i)},
                     {"title", "Course " + prefix + " " + std::to_string(i)}});
  }
  nlohmann::json doc = {{"items", items}};
  doc["next"] = next.empty() ? nlohmann::json(nullptr) : nlohmann::json(next);
  return doc.dump();
}

// A tiny adapter for the format above. Provider "prov" is staged on page 0.
class PagedJsonAdapter final : public FeedAdapter {
 public:
  std::string_view kind() const override { return "test-json"; }
  FeedRequest FirstRequest(const FeedSettings& feed) const override {
    FeedRequest r;
    r.url = feed.url;
    return r;
  }
  Status Parse(std::string_view payload, int page, catalogue::FeedImport& out) override {
    next_.clear();
    nlohmann::json doc = nlohmann::json::parse(payload, nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded() || !doc.is_object() || !doc.contains("items") ||
        !doc["items"].is_array()) {
      return Status::InvalidArgument("not a test-json document");
    }
    if (page == 0) {
      catalogue::Provider p;
      p.id = "prov";
      p.name = "Test College";
      p.kind = catalogue::ProviderKind::kFeCollege;
      (void)out.AddProvider(p);
    }
    for (const auto& item : doc["items"]) {
      if (!item.is_object() || !item.contains("id") || !item["id"].is_string() ||
          !item.contains("title") || !item["title"].is_string()) {
        out.Skip("item without id/title");
        continue;
      }
      catalogue::Opportunity o;
      o.source_id = item["id"].get<std::string>();
      o.title = item["title"].get<std::string>();
      o.provider_id = "prov";
      o.kind = catalogue::OpportunityKind::kFeCourse;
      o.route = catalogue::Route::kFurtherEducation;
      (void)out.AddOpportunity(o);
    }
    if (doc.contains("next") && doc["next"].is_string()) next_ = doc["next"].get<std::string>();
    return Status::Ok();
  }
  std::optional<FeedRequest> NextRequest(const FeedSettings&, int) const override {
    if (next_.empty()) return std::nullopt;
    FeedRequest r;
    r.url = next_;
    return r;
  }

 private:
  std::string next_;
};

inline std::unique_ptr<FeedAdapter> TestAdapters(std::string_view kind) {
  if (kind == "test-json") return std::make_unique<PagedJsonAdapter>();
  return nullptr;
}

inline std::vector<std::string> TestKinds() { return {"test-json"}; }

// A fresh temporary directory, removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() /
            ("signpost-sync-test-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace signpost::sync::testing
