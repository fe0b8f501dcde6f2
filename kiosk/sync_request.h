// "Sync now" from technician mode. The kiosk runs unprivileged and cannot
// start systemd units, so it asks content-sync through a request file
// ([kiosk] sync_request_file, default /var/lib/signpost/sync-now): the kiosk
// creates it, the content-sync daemon (`content-sync run`) notices it, syncs
// and deletes it. The file's content is informational only (who asked, when).
// Thread safety: plain functions over the filesystem.
#pragma once

#include <string>

#include "signpost/dates.h"
#include "signpost/status.h"

namespace signpost::kiosk {

// Creates the request file atomically (O_CREAT|O_EXCL, mode 0660). A request
// already waiting is not an error. Errors name the path and the reason.
Status CreateSyncRequest(const std::string& path, UnixTime now);

// True while the request file exists (content-sync has not taken it yet).
bool SyncRequestPending(const std::string& path);

}  // namespace signpost::kiosk
