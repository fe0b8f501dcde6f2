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
//   technician_pin_hash = ""    an $argon2id$ hash; "" = no technician screen;
//                               absent = read --pin-hash-file (the old place)
//   site_name = ""              the slip's header, the technician screen
//   sync_request_file = "/var/lib/signpost/sync-now"  "Sync now" creates it
//   [kiosk.display] width, height (0 = native; both or neither), rotation
//   [kiosk.printer] enabled, device, paper_width_mm (58/80), charset (pc858/ascii)
//   [kiosk.branding] host_name, logo (PNG <= 400x120), accent_colour (#RRGGBB,
//                    white text on it must reach 4.5:1)
//   [kiosk.touch] matrix: accepted (provision.sh applies it)
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

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/platform.h"
#include "signpost/status.h"

namespace signpost::kiosk {

inline constexpr const char* kDefaultConfigPath = "/etc/signpost/kiosk.toml";
inline constexpr const char* kDefaultCataloguePath = "/var/lib/signpost/catalogue.db";
inline constexpr const char* kDefaultSyncRequestFile = "/var/lib/signpost/sync-now";
inline constexpr int kMaxLogoWidth = 400;  // [kiosk.branding] logo, pixels
inline constexpr int kMaxLogoHeight = 120;
inline constexpr std::uint32_t kHeaderTextRgb = 0xFFFFFF;  // text on the top bar (Palette::on_bar)

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
  // nullopt = key absent (the kiosk reads --pin-hash-file instead); "" = no
  // technician screen (given empty, or not a valid Argon2id hash).
  std::optional<std::string> technician_pin_hash;
  std::string sync_request_file = kDefaultSyncRequestFile;  // "" = no "Sync now"
  // [kiosk.display]
  int width = 0;  // 0 = the display's own mode (width and height together)
  int height = 0;
  int rotation = 0;         // 0, 90, 180 or 270
  PrinterConfig printer;    // [kiosk.printer]
  BrandingConfig branding;  // [kiosk.branding] (logo and colour already checked)
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

// "#RRGGBB" -> 0xRRGGBB; false when it is not that form.
bool ParseHexColour(std::string_view text, std::uint32_t* rgb);
// WCAG 2 contrast ratio of two sRGB colours (1..21).
double ContrastRatio(std::uint32_t rgb_a, std::uint32_t rgb_b);

// Applies the file's values over `options` (which holds the built-in
// defaults). Fields left at "keep" (catalogue "", width/height 0) leave
// `options` alone. technician_pin_hash goes to config.pin_hash (unset when
// the key is absent: the kiosk then reads config.pin_hash_path).
void ApplyKioskConfig(const KioskFileConfig& file, RunOptions* options);

}  // namespace signpost::kiosk
