// Kiosk config file: signpost-kiosk's part of /etc/signpost/kiosk.toml (the
// same file content-sync reads; board-config/kiosk.toml documents every key),
// parsed with toml++. Unlike content-sync, a bad value never stops the kiosk:
// it is reported (file, line, field) and that field keeps its default, so a
// typo leaves a working kiosk on safe defaults (issue 5).
//
//   [kiosk]                     every key optional
//   postcode = ""               where the kiosk stands, for distances
//   idle_timeout_s = 90         20..86400
//   still_there_s = 15          1..idle_timeout_s/3 ("still there?" countdown)
//   languages = ["en"]          known codes; the first is where sessions start
//   text_size = 0               0..2
//   high_contrast = false
//   dyslexia_font = false
//   read_aloud = false
//   catalogue = ""              "" = [sync] catalogue, else the built-in default
//   technician_pin_hash = ""    checked, not yet used (see ApplyKioskConfig)
//   site_name = ""              accepted, not shown yet
//   [kiosk.display] width, height (0 = native; both or neither), rotation
//   [kiosk.touch], [kiosk.printer], [kiosk.branding]: documented keys are
//   accepted for later
//   [sync] catalogue            read only as the fallback for kiosk.catalogue
//
// Unknown keys in [kiosk] and [kiosk.*] give a warning; other top-level
// tables belong to other programs and are ignored.
//
// Precedence: built-in defaults < $SIGNPOST_CATALOGUE (catalogue only) <
// config file < command-line flags. main() applies the file with
// ApplyKioskConfig() and then parses the flags over it.
//
// Thread safety: plain functions and values.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "kiosk/platform.h"
#include "signpost/status.h"

namespace signpost::kiosk {

inline constexpr const char* kDefaultConfigPath = "/etc/signpost/kiosk.toml";
inline constexpr const char* kDefaultCataloguePath = "/var/lib/signpost/catalogue.db";

// What the file said, with each field at its default when the file left it
// out or gave a bad value.
struct KioskFileConfig {
  std::string source;  // the file read; "" = none (all defaults)
  // [kiosk]
  std::string site_name;
  std::string postcode;
  int idle_timeout_s = 90;
  int still_there_s = 0;  // 0 = not set: min(15, idle_timeout_s / 3)
  std::vector<std::string> languages = {"en"};
  int text_size = 0;
  bool high_contrast = false;
  bool dyslexia_font = false;
  bool read_aloud = false;
  std::string catalogue;  // "" = sync_catalogue
  std::string technician_pin_hash;
  // [kiosk.display]
  int width = 0;  // 0 = the display's own mode (width and height together)
  int height = 0;
  int rotation = 0;  // 0, 90, 180 or 270
  // [kiosk.branding]
  std::string host_name;
  // [sync]
  std::string sync_catalogue;  // "" = not set
  // Bad values, unknown keys, syntax errors: "file:line: field: what", for stderr.
  std::vector<std::string> warnings;

  // kiosk.catalogue, else [sync] catalogue, else "" (keep the default).
  const std::string& CataloguePath() const {
    return catalogue.empty() ? sync_catalogue : catalogue;
  }
};

// Parses TOML text; `source` names the file in messages. Fails only when the
// text is not valid TOML ("source:line:column: what"); every other problem is
// a warning and the field keeps its default.
Result<KioskFileConfig> ParseKioskConfig(std::string_view toml_text, const std::string& source);

// Reads and parses `path`. A missing file at the default path (path_was_given
// false) gives the defaults with no warning; a missing or unreadable explicit
// path is an error. Invalid TOML is a warning and gives all defaults.
Result<KioskFileConfig> LoadKioskConfig(const std::string& path, bool path_was_given);

// Applies the file's values over `options` (which holds the built-in
// defaults). Fields left at "keep" (catalogue "", width/height 0) leave
// `options` alone. technician_pin_hash is not applied: the kiosk still reads
// the hash from config.pin_hash_path (--pin-hash-file), which provision.sh
// writes from the same value.
void ApplyKioskConfig(const KioskFileConfig& file, RunOptions* options);

}  // namespace signpost::kiosk
