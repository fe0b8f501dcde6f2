// The kiosk's side of hub mode: pull signed bundles from a hub (or its
// mirrors) over HTTP, or import one from a USB stick, verify, and apply.
//
// What a kiosk refuses, keeping its current catalogue untouched, each with
// its own reason code: a signature that does not match (tampered, damaged,
// truncated: "bad_signature"/"truncated"), a key not in its trusted list
// ("unknown_key"), a missing or damaged signature file ("no_signature"), a
// bundle older than the one it holds or ever held ("rollback", checked
// against the catalogue and against a trust file beside it), one past its
// valid_until ("expired"), a newer format than it understands ("format").
// Every check happens before the first write. Then each changed feed is
// imported through the catalogue's atomic per-feed import, feeds the hub
// no longer publishes are removed, and only then is the new serial
// recorded (catalogue meta "bundle.*"). A kiosk that stops half way keeps
// the feeds already done and finishes on its next attempt.
//
// The kiosk's technician mode uses FindBundlesIn + ImportBundleFile for
// "Update from USB"; `content-sync import` and `once`/`run` use the same.
//
// Thread safety: one call at a time per catalogue (it writes through the
// catalogue's writer connection); hold content-sync's sync lock around it
// when another content-sync may run (the CLI does).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "bundle/bundle_format.h"
#include "bundle/minisign.h"
#include "common/clock.h"
#include "net/fetcher.h"
#include "net/http_client.h"
#include "signpost/catalogue.h"

namespace signpost::sync::bundle {

struct ApplyResult {
  std::string result;  // "ok", "unchanged", "refused", "failed", "offline"
  std::string reason;  // refused: bad_signature, truncated, unknown_key, no_signature,
                       // rollback, expired, format, needs_full, damaged; else ""
  Status status;       // the message for people (ok when result is ok/unchanged)
  std::string source;  // the file or URL applied (or tried last)
  std::int64_t serial_before = 0;
  std::int64_t serial_after = 0;
  std::vector<std::string> imported;  // feeds imported
  std::vector<std::string> removed;   // feeds removed
  std::int64_t records = 0;           // records in the applied catalogue (manifest total)
  std::int64_t bytes_downloaded = 0;  // HTTP only
  int requests = 0;                   // HTTP only
  bool ok() const { return result == "ok" || result == "unchanged"; }
};

// What the catalogue says it holds from bundles ("bundle.*" meta).
struct InstalledBundle {
  std::int64_t serial = 0;  // 0 = none
  UnixTime created_at = 0;
  UnixTime valid_until = 0;
  UnixTime applied_at = 0;
  std::string hub;
  std::string key_id;
  std::string source;
  std::vector<std::pair<std::string, std::string>> feeds;  // name, content_sha256
};
InstalledBundle ReadInstalled(catalogue::Catalogue& cat);

// Trust state kept beside the catalogue, not in it ("bundle-trust.json" in
// the catalogue's folder): the highest serial ever applied and the key that
// signed it. Replacing the catalogue file (an old backup, a fresh one) does
// not reset it, so a rollback stays refused. Missing = nothing applied yet.
struct TrustState {
  std::int64_t serial = 0;
  std::string key_id;
};
std::string TrustStatePath(const std::string& catalogue_path);
TrustState ReadTrustState(const std::string& path);
Status WriteTrustState(const std::string& path, const TrustState& state);

// Verifies and applies `bundle_path` (its signature is bundle_path +
// ".minisig"). `now` is the kiosk's clock, for valid_until.
ApplyResult ImportBundleFile(catalogue::Catalogue& cat, const std::string& bundle_path,
                             const std::vector<PublicKey>& trusted, UnixTime now);

// Full bundles (with a .minisig beside them) in `dir` or its bundles/
// subfolder (a copy of a hub's output folder), newest serial first. Reads
// only headers; nothing is verified yet. For "Update from USB".
struct FoundBundle {
  std::string path;
  std::int64_t serial = 0;
  UnixTime created_at = 0;
  UnixTime valid_until = 0;
  std::int64_t records = 0;
};
std::vector<FoundBundle> FindBundlesIn(const std::string& dir);

// Verifies without importing: what ImportBundleFile would say, and the
// manifest. result "ok" means it would be applied (or "unchanged").
ApplyResult CheckBundleFile(catalogue::Catalogue* cat, const std::string& bundle_path,
                            const std::vector<PublicKey>& trusted, UnixTime now,
                            Manifest* manifest_out);

struct PullOptions {
  std::vector<std::string> hub_urls;  // tried in order; each the folder holding latest.json
  std::vector<PublicKey> trusted;
  std::string download_dir;  // where downloads are kept until applied; required
  std::string state_file;    // per-mirror ETags, last result; "" = none
  RetryPolicy retry;
  std::uint64_t seed = 0;
};

// One pull: latest.json from the first mirror that answers (conditional,
// with the ETag of the last good answer), then the delta from our serial
// if the hub published one, else the full bundle; verify and apply. A
// mirror that is offline, behind, or serves a bad bundle -> the next one.
ApplyResult PullFromHubs(catalogue::Catalogue& cat, HttpTransport* transport, Clock* clock,
                         const PullOptions& options);

// Tests only: called with the bundle's path after its signature has been
// checked and before anything is parsed or imported (a test swaps the file
// there). Empty = none. Not thread safe; set it before importing.
void SetAfterVerifyHookForTesting(std::function<void(const std::string& path)> hook);

// Exit code for content-sync: 0 ok/unchanged, 4 offline, 6 refused, 1 failed.
int ExitCodeForBundle(const ApplyResult& r);
inline constexpr int kExitBundleRefused = 6;
inline constexpr int kExitHubBuildFailed = 7;

}  // namespace signpost::sync::bundle
