// SyncPlan: how the catalogue recognises an unchanged feed, page by page.
//
// A feed of many pages has no single validator: page 1's ETag says nothing
// about page 70. So after every committed import the engine records, for
// each page, the request that fetched it, the validators it came with
// (ETag / Last-Modified) and a BLAKE2b-256 hash of its body. The plan is
// written in the catalogue's meta table in the same transaction as the
// records (CommitExtras), so it always describes the data held.
//
// Next sync, the engine replays the plan: each page is asked for
// conditionally; a 304, or a 200 whose body hashes the same, means "this
// page has not changed". Every page unchanged = the feed is unchanged: no
// parsing, no staging, zero catalogue writes. An upstream with validators
// costs one small 304 per page; one without costs the download, but not the
// import. The first page that differs ends the replay and the feed is
// imported normally (from that body when it is page 1).
//
// Secrets: API keys travel in headers, which are never stored. A URL that
// looks like it carries a secret in its query string (key=, token=, ...)
// gets no plan at all.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "feeds/feed_adapter.h"
#include "feeds/payload.h"
#include "signpost/catalogue.h"

namespace signpost::sync {

struct PlannedPage {
  FeedRequest request;
  std::string etag;
  std::string last_modified;
  std::string hash;  // hex BLAKE2b-256 of the decoded body
};

struct SyncPlan {
  std::vector<PlannedPage> pages;
};

// The catalogue meta key holding a feed's plan (the catalogue deletes it
// whenever the feed's data is replaced or removed without a new plan).
inline std::string SyncPlanKey(const std::string& feed) { return catalogue::FeedPlanMetaKey(feed); }
std::string EncodeSyncPlan(const SyncPlan& plan);
// nullopt when `json` is not a plan this version wrote.
std::optional<SyncPlan> DecodeSyncPlan(std::string_view json);
// Hex BLAKE2b-256 of `body`.
std::string HashBody(const Payload& body);
inline std::string HashBody(std::string_view body) { return HashBody(Payload::Borrow(body)); }
// True when a URL's query string looks like it holds a secret.
bool UrlMayHoldSecret(std::string_view url);
bool SameRequest(const FeedRequest& a, const FeedRequest& b);

}  // namespace signpost::sync
