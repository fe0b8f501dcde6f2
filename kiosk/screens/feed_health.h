// Feed health for the technician screen: the sentence content-sync stores
// while a feed is "degraded" (most of its records lack a key field, e.g.
// "vacancies: 2,310 imported, none has a location: has the API version
// changed?"), read from the catalogue meta (catalogue::FeedDegradedMetaKey).
// DegradedFeeds runs on the data thread (App::RequestMeta); DegradedReason
// on the UI thread.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "signpost/catalogue.h"

namespace signpost::kiosk {

struct MetaView;
class Theme;

// (feed, sentence) for every feed named in `feeds` or `sync` that content-sync
// marked degraded; feeds that are fine are left out.
std::vector<std::pair<std::string, std::string>> DegradedFeeds(
    catalogue::Catalogue& cat, const std::vector<catalogue::FeedStats>& feeds,
    const std::vector<catalogue::SyncState>& sync);

// The sentence for `feed` in `meta`, or nullptr when the feed is not degraded.
const std::string* DegradedReason(const MetaView& meta, const std::string& feed);

// Under a feed's status line: "degraded: <sentence>" in the warning colour,
// indented; nothing when `why` is null.
void DrawDegraded(const Theme& t, const std::string* why);

}  // namespace signpost::kiosk
