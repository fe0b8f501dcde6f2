// "Update from USB" in technician mode, for sites with no network: a USB
// stick holding a signed content bundle (from a hub: `content-sync hub
// build`, docs/hub.md). The kiosk only reads the catalogue, so it asks
// content-sync to import the bundle through a request file beside the "sync
// now" one (import-now, holding the bundle's path); `content-sync run`
// verifies the signature, imports, writes import-result.json and removes the
// request. Nothing here trusts the stick: content-sync checks everything.
// Thread safety: plain functions over the filesystem.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "signpost/status.h"

namespace signpost::kiosk {

struct UsbBundle {
  std::string path;  // the .bundle file (its .minisig is beside it)
  std::string name;  // file name, for the screen
  std::uintmax_t bytes = 0;
};

// Where removable media appear on Debian / Raspberry Pi OS.
const std::vector<std::string>& DefaultUsbRoots();

// The bundle with the highest file name (hub bundles are named by serial)
// among *.bundle files that have a .minisig beside them, at most four folders
// deep under `roots`; nullopt when there is none. Bounded: stops after 5,000
// entries, skips what it cannot read.
std::optional<UsbBundle> FindUsbBundle(const std::vector<std::string>& roots);

// The request and result files, beside the "sync now" request file.
std::string UsbImportRequestPath(const std::string& sync_request_file);
std::string UsbImportResultPath(const std::string& sync_request_file);

// Writes the request (the bundle's path) atomically: a temporary file, then
// rename. Errors name the path and the reason.
Status RequestUsbImport(const std::string& request_file, const std::string& bundle_path);

struct UsbImportResult {
  std::string result;   // "ok", "unchanged", "refused", "failed"
  std::string reason;   // e.g. "bad_signature", "rollback", "expired"
  std::string message;  // for people
  std::int64_t serial = 0;
  std::int64_t at = 0;  // unix time content-sync wrote it
};
// content-sync's last answer; nullopt when there is none or it is unreadable.
std::optional<UsbImportResult> ReadUsbImportResult(const std::string& result_file);

}  // namespace signpost::kiosk
