// Signed local content packs. A pack read from a USB stick is content from
// whoever plugged the stick in (links a child will follow, photos), so a
// pack on removable media (or on any other filesystem than the catalogue's)
// loads only when the careers leader's hub signed it, with the same keys
// that sign content bundles ([bundles] trusted_keys):
//
//   content-sync --config hub.toml hub sign-pack /media/usb/local-content
//
// writes two hidden files into the pack: `.signpost-pack` (a manifest: the
// SHA-256 of every item file and picture, one "hash  path" line each) and
// `.signpost-pack.minisig` (a minisign signature of the manifest). The
// kiosk checks the signature, then that every file it reads is in the
// manifest with the same hash (read once, O_NOFOLLOW: the bytes checked are
// the bytes imported). A file added or changed after signing is rejected.
//
// Owner: security (issue 16). Thread safety: plain functions.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "bundle/minisign.h"
#include "signpost/status.h"

namespace signpost::sync {

inline constexpr const char* kPackManifestFile = ".signpost-pack";
inline constexpr const char* kPackSignatureFile = ".signpost-pack.minisig";

struct PackSignature {
  std::string key_id;                        // the key that signed it (hex)
  std::map<std::string, std::string> files;  // path inside the pack -> SHA-256 hex
};

// The manifest text for the pack at `dir`: every plain file of it that the
// loader reads (item files and pictures, not hidden ones), sorted. Links and
// special files are refused (kInvalidArgument naming them).
Result<std::string> BuildPackManifest(const std::string& dir);

// Writes the manifest and its signature into `dir`. Returns the number of
// files signed.
Result<int> SignPack(const std::string& dir, const bundle::SecretKey& key);

// Reads and verifies the pack's signature with `trusted` (kNotFound: not
// signed; kInvalidArgument: a bad signature, an untrusted key, a damaged
// manifest; each message says what to do).
Result<PackSignature> VerifyPackSignature(const std::string& dir,
                                          const std::vector<bundle::PublicKey>& trusted);

// True when the pack at `pack_dir` must be signed: it is under /media,
// /run/media or /mnt, or on another filesystem than `catalogue_path`'s
// folder (a stick, a network share).
bool PackNeedsSignature(const std::string& pack_dir, const std::string& catalogue_path);

}  // namespace signpost::sync
