// The catalogue's schema and its forward migrations. Private to catalogue/.
//
// The schema version is SQLite's `PRAGMA user_version`; `PRAGMA
// application_id` marks the file as a Signpost catalogue. Migrations run in
// one transaction on a writer's open; a file with a newer version is refused
// (Status::TooNew) before anything is written.
#pragma once

#include <sqlite3.h>

#include "signpost/model.h"
#include "signpost/status.h"

namespace signpost::catalogue::internal {

inline constexpr int kApplicationId = 0x5347504e;  // "SGPN"

// Checks the file's identity and version; for a writer, creates or migrates.
Status PrepareSchema(sqlite3* db, bool read_only, const std::string& path);

// Upserts a feed's sync_state row (throws SqliteError; callers Guard it).
void WriteSyncState(sqlite3* db, const SyncState& st);

}  // namespace signpost::catalogue::internal
