// StateFile: content-sync's attempt bookkeeping, kept OUT of the catalogue.
//
// Every sync attempt updates a small JSON file (default: sync-state.json
// beside the catalogue) with last_attempt, result, last_error, records and
// skipped per feed, so `content-sync status` can say what happened even when
// nothing was imported. The catalogue's own SyncState row is written only
// after a real import (with the ETag/Last-Modified of the data it holds), so
// an unchanged feed costs zero catalogue writes and a replaced or restored
// catalogue never gets a stale ETag. The file is written atomically (temp
// file, fsync, rename, fsync of the directory); a missing or damaged file
// reads as empty (it is only bookkeeping).
//
// Thread safety: plain functions. Writers are serialised by the process
// lock held around a sync (see sync_engine.h).
#pragma once

#include <map>
#include <string>

#include "signpost/catalogue.h"
#include "signpost/status.h"

namespace signpost::sync {

using StateMap = std::map<std::string, catalogue::SyncState>;  // by feed name

// Reads the file; an absent file is an empty map. A damaged file is an
// empty map plus a non-ok status the caller may log.
StateMap LoadStateFile(const std::string& path, Status* problem = nullptr);

// Atomically replaces the file.
Status SaveStateFile(const std::string& path, const StateMap& states);

}  // namespace signpost::sync
