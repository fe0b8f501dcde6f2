// Guards: the rules that keep a hostile or broken upstream from reaching
// past its feed, each in one place for every adapter.
//
// - Which URLs a sync may fetch (RequestAllowed): the feed's configured URL,
//   and URLs an adapter takes from feed data (next pages, detail records)
//   only on the same origin (scheme, host, port), only http(s); for a
//   file:// feed, only files in the configured file's own folder. Never
//   file://, ftp:// or anything else from an http(s) feed's data.
// - Where the feed's key goes (KeyMayGoTo): only to the configured origin.
//   Redirects that leave it drop the key (net/http_client.cpp).
// - Which validators are echoed (UsableLastModified): a Last-Modified in the
//   future would make a server answer 304 for ever; it is not kept.
// The guard on what replaces good data (distinct valid records, shrink,
// empty, repeats) is catalogue::HoldBackReason, used by every import.
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "feeds/feed_adapter.h"
#include "signpost/dates.h"
#include "signpost/status.h"

namespace signpost::sync {

// Ok when `url` may be fetched for `feed` (see above); otherwise why not.
Status RequestAllowed(const FeedSettings& feed, std::string_view url);

// True when the feed's API key may be sent with a request to `url`.
bool KeyMayGoTo(const FeedSettings& feed, std::string_view url);

// `last_modified` when it is a date no later than a day after `now` (clock
// skew), else "" (absent, unparseable or in the future).
std::string UsableLastModified(std::string_view last_modified, UnixTime now);

}  // namespace signpost::sync
