// Local content pack: the careers leader's own content for the kiosk, as a
// folder a teacher edits with any text editor (or on a USB stick): one TOML
// file per item, images beside them. Kinds and their fields are documented
// in board-config/local-content-example/README.md (one example of each).
//
//   kind = "adviser" | "event" | "alumni" | "notice" | "link" | "search"
//
// A "search" item is not a card: it adds the school's own words to search
// ("words" students type = "means", in the format of assets/search/aliases.txt).
//
// LoadLocalPack reads and checks every item file on its own: a file with a
// missing field, an unknown key, broken UTF-8, a bad date or a photo that is
// too big (or not a PNG/JPEG) is rejected with messages naming the file, the
// line and the field; the other items still load. Files and folders whose
// names start with '.' or '_' are ignored (drafts, templates). Symbolic
// links, FIFOs and other special files are never followed or read (each
// file is opened once, O_NOFOLLOW, and fstat()ed first). Nothing is
// written: content-sync imports the result (local_pack_sync.h) and
// `content-sync validate-pack DIR` prints the messages.
//
// Thread safety: plain functions and values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "signpost/model.h"
#include "signpost/status.h"

namespace signpost::sync {

struct PackSignature;  // pack_signature.h

struct PackLimits {
  std::uintmax_t max_item_bytes = 64 * 1024;         // one .toml file
  std::uintmax_t max_image_bytes = 2 * 1024 * 1024;  // one photo (a phone photo: resize it)
  int max_image_side = 4096;                         // pixels, width or height
  int max_items = 500;                               // item files in one pack
  std::uintmax_t max_total_image_bytes = 64 << 20;  // all accepted photos together (held in memory)
  Day today = 0;                                    // 0 = TodayUtc(); for "already over" notes
  // Set (pack_signature.h): the pack was signed, and every file read must be
  // in this manifest with the same SHA-256; anything else is rejected.
  const PackSignature* signature = nullptr;
};

struct PackMessage {
  std::string file;      // path inside the pack, e.g. "alumni/sam.toml"
  int line = 0;          // 1-based; 0 = the whole file
  std::string field;     // e.g. "photo"; "" = the whole file
  std::string what;      // plain English, says what to do
  bool rejected = true;  // false: a note, the item still loads
  // "alumni/sam.toml:4: photo: is 6.1 MB; the most is 2 MB (...)"
  std::string ToString() const;
};

struct PackItem {
  catalogue::LocalItem item;  // image_path is the image's path inside the pack ("" = none)
  // kind = "search": words for search, imported as such (item is not a card then).
  std::optional<catalogue::SearchAlias> search_words;
  std::string file;          // path inside the pack
  std::string image_source;  // absolute path of the checked image file ("" = none)
  std::string image_bytes;   // its bytes as read (once) and checked; copies are made from these
};

struct LocalPack {
  std::string dir;
  std::vector<PackItem> items;        // accepted, in file-name order
  std::vector<PackMessage> messages;  // every problem and note, in file-name order
  int files = 0;                      // item files found
  int rejected = 0;                   // item files rejected
  std::string fingerprint;            // changes when any item file or accepted image changes
};

// The kinds a teacher writes, and the catalogue kind each becomes.
std::vector<std::string>
LocalPackKinds();  // "adviser", "event", "alumni", "notice", "link", "search"

// Reads the pack folder. Fails (kNotFound / kInvalidArgument) only when `dir`
// is missing or not a folder; problems with items are messages.
Result<LocalPack> LoadLocalPack(const std::string& dir, const PackLimits& limits = {});

}  // namespace signpost::sync
