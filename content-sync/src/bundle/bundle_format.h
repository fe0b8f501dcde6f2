// The content bundle file format: one file holding a manifest and one
// compressed segment per feed. Written by the hub (hub.h), read by kiosks
// (client.h) and by `content-sync import`.
//
// File layout (format 1):
//   "SIGNPOST-BUNDLE 1\n"
//   <manifest length in bytes, decimal>"\n"
//   <manifest JSON>"\n"
//   <segments: zstd frames, at the offsets the manifest lists, from here>
// A segment is a feed's records (catalogue/export.h) as canonical JSON
// lines ({"t":"opportunity",...} with sorted keys, defaults omitted),
// zstd-compressed. Its content_sha256 is over the uncompressed lines, so
// the same content has the same hash whatever the compressor does; its
// sha256 is over the compressed bytes in the file. A delta bundle carries
// the manifest of the whole new catalogue but only the segments that
// changed since base_serial (entries with included = false are not in it).
// The whole file is signed by a detached minisign signature (FILE.minisig),
// so nothing inside needs its own signature.
//
// Thread safety: plain functions and values.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "signpost/catalogue.h"
#include "signpost/dates.h"
#include "signpost/export.h"
#include "signpost/status.h"

namespace signpost::sync::bundle {

inline constexpr int kBundleFormat = 1;
inline constexpr std::int64_t kMaxManifestBytes = 4 << 20;
// The biggest bundle file a kiosk reads (it is read into memory once, then
// checked and imported from those bytes). National size is about 17 MB.
inline constexpr std::int64_t kMaxBundleBytes = std::int64_t{256} << 20;
// The biggest .minisig file read (a real one is about 300 bytes).
inline constexpr std::int64_t kMaxSignatureBytes = 64 << 10;

struct FeedEntry {
  std::string name;            // the feed's name in the catalogue
  std::int64_t records = 0;    // records in the segment (providers included)
  std::string content_sha256;  // hex, of the uncompressed canonical lines
  std::int64_t raw_bytes = 0;  // uncompressed size
  bool included = true;        // delta: false when this file does not carry the segment
  std::int64_t offset = 0;     // from the start of the data area
  std::int64_t size = 0;       // compressed bytes
  std::string sha256;          // hex, of the compressed bytes
};

struct Manifest {
  int format = kBundleFormat;
  std::string kind = "full";     // "full" or "delta"
  std::int64_t serial = 0;       // monotonic; a kiosk never goes back
  std::int64_t base_serial = 0;  // delta: the serial it applies on top of
  UnixTime created_at = 0;
  UnixTime valid_until = 0;      // a kiosk refuses the bundle after this
  std::string hub;               // the hub's name, for people
  std::string key_id;            // the signing key, as minisign prints it
  bool sample = false;           // the hub published the bundled sample catalogue (demo only)
  std::string sample_name;       // its name ("Sample: ..."), when sample
  std::vector<FeedEntry> feeds;  // sorted by name

  std::int64_t TotalRecords() const;
  const FeedEntry* Find(const std::string& feed) const;
};

std::string ManifestToJson(const Manifest& m);
Result<Manifest> ParseManifest(std::string_view json);

// [SECTION] Segments ---------------------------------------------------------------

struct EncodedSegment {
  std::string path;  // the compressed segment file
  FeedEntry entry;   // name, records, content hash, sizes, sha256 (offset unset)
};

// Exports `feed` from the catalogue into a zstd-compressed segment file at
// `path` (written in place; callers use a work directory).
Result<EncodedSegment> EncodeFeed(catalogue::Catalogue& cat, const std::string& feed,
                                  const std::string& path, int zstd_level);

// The canonical content hash of a feed as the catalogue holds it now (the
// same bytes EncodeFeed hashes), without compressing. For checks.
Result<std::string> FeedContentHash(catalogue::Catalogue& cat, const std::string& feed);

// [SECTION] Bundle files -----------------------------------------------------------

// Writes header, manifest and the segment files listed (in manifest order,
// offsets filled in) to `path`. Segments whose entry is not included are
// listed but not written.
Status WriteBundle(const std::string& path, Manifest manifest,
                   const std::vector<EncodedSegment>& segments);

struct BundleFile {
  std::string path;
  Manifest manifest;
  std::int64_t data_start = 0;  // file offset of the data area
  std::int64_t file_size = 0;
  // The whole file as read once (OpenBundle, ParseBundle); empty for a
  // header-only read (ReadBundleHeader). Segments are decoded from these
  // bytes, never from the path again.
  std::shared_ptr<const std::string> bytes;
};

// Reads the file once (O_NOFOLLOW, a regular file of at most
// kMaxBundleBytes), then ParseBundle. Does not check the signature: see
// client.h, which verifies the same bytes it then parses.
Result<BundleFile> OpenBundle(const std::string& path);

// Checks the header and manifest in `bytes` (the file at `path`), and that
// they are exactly long enough for every included segment (kCorrupt
// "truncated" otherwise).
Result<BundleFile> ParseBundle(const std::string& path, std::shared_ptr<const std::string> bytes);

// Header and manifest only (for listing a USB stick): the same checks as
// OpenBundle, reading at most the header; `bytes` stays empty, so segments
// cannot be decoded from the result.
Result<BundleFile> ReadBundleHeader(const std::string& path);

// Streams one included segment into `sink`: checks the compressed bytes'
// sha256 first, then decodes, then checks the record count and content
// hash. Does not Commit. kCorrupt on any mismatch.
// Checks every included segment's compressed bytes against its sha256
// (kCorrupt naming the feed). A kiosk runs it before importing anything.
Status CheckSegmentHashes(const BundleFile& bundle);

// `existing` (the catalogue being imported into) decides whether a
// provider another feed owns needs staging; nullptr stages every provider.
Status DecodeSegment(const BundleFile& bundle, const FeedEntry& entry, catalogue::FeedImport& sink,
                     catalogue::Catalogue* existing = nullptr);

// The catalogue's content as a reader sees it, as one SHA-256 (hex): every
// feed's records plus every provider once, whichever feed owns it. Two
// catalogues with the same digest show the same things. For checks (tests,
// the load bench).
Result<std::string> CatalogueDigest(catalogue::Catalogue& cat);

std::string Sha256Hex(std::string_view data);

}  // namespace signpost::sync::bundle
