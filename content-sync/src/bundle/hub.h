// Hub mode: publishes the catalogue as signed content bundles in a folder
// that any static web server, object store or CDN can serve (apt-mirror
// style). `content-sync hub build` syncs the hub's feeds and then calls
// BuildHub; `content-sync hub keygen` calls WriteKeyPair.
//
// The output folder:
//   latest.json                                  the pointer kiosks poll (replaced last)
//   bundles/signpost-<serial>.bundle(.minisig)   full bundle, every feed
//   bundles/signpost-<serial>-from-<base>.bundle(.minisig)
//                                                delta: only the feeds changed since <base>
// Every file is written to a temporary name, fsynced and renamed into
// place, and latest.json is renamed last, so a web server never serves a
// half-written file and never points at a file that is not there yet. The
// last `retention` full bundles (and their deltas) are kept, so a kiosk
// that read the previous latest.json can still finish its download.
//
// Thread safety: one build at a time per output folder (the CLI holds the
// sync lock around it).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bundle/bundle_format.h"
#include "bundle/minisign.h"
#include "signpost/catalogue.h"
#include "signpost/status.h"

namespace signpost::sync::bundle {

struct HubOptions {
  std::string output_dir;           // the folder the web server serves; required
  std::string work_dir;             // compressed-segment cache; "" = <output_dir>/../<name>.work
  std::string secret_key_file;      // minisign secret key (unencrypted); required
  std::string name = "signpost";    // shown in manifests and to technicians
  int valid_days = 14;              // a bundle's valid_until = created_at + valid_days
  int retention = 5;                // full bundles kept (>= 2)
  int zstd_level = 12;              // 1..19
  double delta_max_fraction = 0.5;  // publish a delta only when smaller than this * full
  bool force = false;               // publish a new serial even when nothing changed
};

struct DeltaInfo {
  std::int64_t from = 0;
  std::string file;  // relative to the output folder
  std::int64_t bytes = 0;
};

struct HubBuildReport {
  bool published = false;   // false: content unchanged and still fresh; nothing written
  std::string reason;       // why (not) published, for the log
  std::int64_t serial = 0;  // the latest serial after the build
  std::string full_file;    // relative to the output folder
  std::int64_t full_bytes = 0;
  std::int64_t records = 0;
  std::vector<std::string> changed_feeds;  // since the previous serial
  std::vector<DeltaInfo> deltas;
  std::vector<std::string> skipped_deltas;  // "from 40: 80% of the full bundle"
  std::vector<std::string> pruned;          // files removed
  UnixTime valid_until = 0;
};

Result<HubBuildReport> BuildHub(catalogue::Catalogue& cat, const HubOptions& options, UnixTime now);

// Writes a new key pair: `secret_path` (0600) and `public_path`. Refuses to
// overwrite an existing secret key. Returns the public key.
Result<PublicKey> WriteKeyPair(const std::string& secret_path, const std::string& public_path,
                               const std::string& comment);

// The pointer file's name inside the output folder.
inline constexpr const char* kLatestFile = "latest.json";

// Writes `data` to `path` atomically (temp file in the same folder, fsync,
// rename, fsync of the folder). `mode` is the new file's permissions.
Status WriteFileAtomic(const std::string& path, std::string_view data, int mode = 0644);

}  // namespace signpost::sync::bundle
