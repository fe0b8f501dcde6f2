// The local content pack as a content-sync feed, and the careers leader's
// commands (`validate-pack`, `report`).
//
//   [[feed]]
//   name = "school"
//   kind = "local-pack"
//   url = "file:///var/lib/signpost/local-content"    (or a USB stick's mount point)
//
// SyncLocalPack loads the folder (local_pack.h) and imports the accepted
// items as this feed through the catalogue's atomic staged import: readers
// see the old pack or the new one, never a mix. Rejected items are logged
// with file:line: field; the rest load. A pack where nothing is usable
// (missing folder, no item files, every item rejected) changes nothing: the
// last good pack stays. An unchanged pack (same fingerprint) is not
// re-imported. Accepted images are copied into
// <catalogue folder>/local-content/<feed>/<fingerprint>/ before the import
// commits (so the kiosk can show them after the stick is removed); older
// copies are deleted only after the commit.
//
// Thread safety: as the sync engine (one feed at a time, one thread).
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "local_pack/local_pack.h"
#include "sync/sync_engine.h"

namespace signpost::sync {

inline constexpr std::string_view kLocalPackKind = "local-pack";

// The folder a local-pack feed names ("file:///x" or a plain path).
std::string LocalPackDir(const FeedSettings& feed);

// Where accepted images are copied for a feed, beside the catalogue.
std::string LocalPackImageRoot(const std::string& catalogue_path, const std::string& feed);

// Syncs one local-pack feed (see above) and records the attempt like any feed.
FeedOutcome SyncLocalPack(const FeedSettings& feed, SyncEnv& env, const PackLimits& limits = {});

// `content-sync validate-pack DIR` and `content-sync report ...`: returns the
// exit code when argv names one of these commands, nullopt otherwise (the
// caller goes on with its own commands).
std::optional<int> RunLocalPackCommand(const std::vector<std::string>& argv, std::ostream& out,
                                       std::ostream& err);

// Help lines for those commands (appended to `content-sync --help`).
std::string LocalPackHelpText();

}  // namespace signpost::sync
