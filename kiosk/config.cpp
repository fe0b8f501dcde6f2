// Kiosk config parsing with toml++. Index:
//   [SECTION] Field readers (typed, range-checked, warn and keep the default)
//   [SECTION] [kiosk] and [kiosk.*]
//   [SECTION] Parsing, loading, applying
#include "kiosk/config.h"

#include <toml++/toml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <sstream>

#include <stb_image.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "kiosk/i18n.h"
#include "kiosk/technician_pin.h"

namespace signpost::kiosk {
namespace {

// [SECTION] Field readers ---------------------------------------------------------

const char* TypeName(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "a whole number";
    case toml::node_type::floating_point:
      return "a decimal number";
    case toml::node_type::boolean:
      return "true/false";
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "a list";
    default:
      return "a date/time";
  }
}

std::string Quoted(const std::string& s) { return "\"" + s + "\""; }

// Each reader returns nullopt (after a warning) when the value is unusable;
// the caller then leaves the field at its default.
class Reader {
 public:
  explicit Reader(std::string source) : source_(std::move(source)) {}

  // The warnings in file order (toml++ tables iterate in key order).
  std::vector<std::string> TakeWarnings() {
    std::stable_sort(warnings_.begin(), warnings_.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<std::string> out;
    for (auto& w : warnings_) out.push_back(std::move(w.second));
    warnings_.clear();
    return out;
  }

  std::string Where(const toml::node& n) const {
    const auto& begin = n.source().begin;
    if (begin.line == 0) return source_;
    return source_ + ":" + std::to_string(begin.line);
  }
  void Warn(const toml::node& n, const std::string& what) {
    warnings_.emplace_back(n.source().begin.line, Where(n) + ": " + what);
  }
  // "file:line: field: what; using the default (shown)"
  void Bad(const toml::node& n, const std::string& field, const std::string& what,
           const std::string& default_shown) {
    Warn(n, field + ": " + what + "; using the default (" + default_shown + ")");
  }

  std::optional<std::string> String(const toml::node& n, const std::string& field,
                                    const std::string& def) {
    if (!n.is_string()) {
      Bad(n, field, std::string("must be a string in \"quotes\", not ") + TypeName(n), Quoted(def));
      return std::nullopt;
    }
    return std::string(n.as_string()->get());
  }
  std::optional<bool> Bool(const toml::node& n, const std::string& field, bool def) {
    if (!n.is_boolean()) {
      Bad(n, field, std::string("must be true or false, not ") + TypeName(n),
          def ? "true" : "false");
      return std::nullopt;
    }
    return n.as_boolean()->get();
  }
  std::optional<int> Int(const toml::node& n, const std::string& field, std::int64_t lo,
                         std::int64_t hi, int def) {
    if (!n.is_integer()) {
      Bad(n, field, std::string("must be a whole number, not ") + TypeName(n), std::to_string(def));
      return std::nullopt;
    }
    const std::int64_t v = n.as_integer()->get();
    if (v < lo || v > hi) {
      Bad(n, field,
          std::to_string(v) + " is out of range (" + std::to_string(lo) + ".." +
              std::to_string(hi) + ")",
          std::to_string(def));
      return std::nullopt;
    }
    return static_cast<int>(v);
  }

 private:
  std::string source_;
  std::vector<std::pair<toml::source_index, std::string>> warnings_;  // (line, text)
};

using Handlers = std::map<std::string, std::function<void(const toml::node&)>>;

// Runs the handler for each key; unknown keys (not in `handlers`, not in
// `later`) are warned about. `later`: documented keys accepted for later.
void Dispatch(Reader& r, const toml::table& table, const std::string& prefix,
              const Handlers& handlers, const std::vector<std::string>& later) {
  for (auto&& [key, node] : table) {
    const std::string name(key.str());
    if (auto it = handlers.find(name); it != handlers.end()) {
      it->second(node);
    } else if (std::find(later.begin(), later.end(), name) == later.end()) {
      r.Warn(node, "unknown key " + prefix + name + " (ignored)");
    }
  }
}

// Why `path` cannot be the logo ("" when it can): a readable PNG of at most
// kMaxLogoWidth x kMaxLogoHeight pixels.
std::string CheckLogo(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return "cannot open " + path + " (" + std::strerror(errno) + ")";
  unsigned char magic[8] = {};
  const bool png =
      std::fread(magic, 1, 8, f) == 8 && std::memcmp(magic, "\x89PNG\r\n\x1a\n", 8) == 0;
  int w = 0, h = 0, comp = 0;
  const bool info =
      png && (std::fseek(f, 0, SEEK_SET) == 0) && stbi_info_from_file(f, &w, &h, &comp);
  std::fclose(f);
  if (!png) return path + " is not a PNG image";
  if (!info) return path + " is not a readable PNG (" + stbi_failure_reason() + ")";
  if (w > kMaxLogoWidth || h > kMaxLogoHeight)
    return path + " is " + std::to_string(w) + " x " + std::to_string(h) + " pixels, bigger than " +
           std::to_string(kMaxLogoWidth) + " x " + std::to_string(kMaxLogoHeight);
  return {};
}

// [SECTION] [kiosk] and [kiosk.*] ---------------------------------------------------

bool KnownLanguage(const std::string& code) {
  const auto& langs = AvailableLanguages();
  return std::any_of(langs.begin(), langs.end(), [&](const Language& l) { return code == l.code; });
}

std::string KnownLanguageList() {
  std::string list;
  for (const auto& l : AvailableLanguages())
    list += (list.empty() ? "\"" : ", \"") + std::string(l.code) + "\"";
  return list;
}

void ReadLanguages(Reader& r, const toml::node& n, KioskFileConfig& c) {
  const std::string field = "kiosk.languages";
  const std::string def = "[\"en\"]";
  const toml::array* arr = n.as_array();
  if (arr == nullptr) {
    r.Bad(n, field, std::string("must be a list such as [\"en\", \"cy\"], not ") + TypeName(n),
          def);
    return;
  }
  if (arr->empty()) {
    r.Bad(n, field, "must name at least one language", def);
    return;
  }
  std::vector<std::string> codes;
  for (const toml::node& item : *arr) {
    if (!item.is_string()) {
      r.Bad(item, field, std::string("each language must be a string, not ") + TypeName(item), def);
      return;
    }
    std::string code(item.as_string()->get());
    if (!KnownLanguage(code)) {
      r.Bad(item, field,
            "unknown language " + Quoted(code) + " (known: " + KnownLanguageList() + ")", def);
      return;
    }
    if (std::find(codes.begin(), codes.end(), code) == codes.end()) codes.push_back(code);
  }
  c.languages = std::move(codes);
}

void ReadDisplay(Reader& r, const toml::table& t, KioskFileConfig& c) {
  const toml::node* width_node = nullptr;
  const toml::node* height_node = nullptr;
  auto size = [&](const toml::node& n, const std::string& field) -> int {
    auto v = r.Int(n, field, 0, 8192, 0);
    if (v && *v != 0 && *v < 200) {
      r.Bad(n, field, std::to_string(*v) + " is too small (0 = native, or 200..8192)", "0");
      return 0;
    }
    return v.value_or(0);
  };
  const Handlers h = {
      {"width",
       [&](const toml::node& n) {
         width_node = &n;
         c.width = size(n, "kiosk.display.width");
       }},
      {"height",
       [&](const toml::node& n) {
         height_node = &n;
         c.height = size(n, "kiosk.display.height");
       }},
      {"rotation",
       [&](const toml::node& n) {
         auto v = r.Int(n, "kiosk.display.rotation", 0, 270, 0);
         if (v && *v % 90 != 0) {
           r.Bad(n, "kiosk.display.rotation", std::to_string(*v) + " is not 0, 90, 180 or 270",
                 "0");
           v.reset();
         }
         c.rotation = v.value_or(0);
       }},
  };
  Dispatch(r, t, "kiosk.display.", h, {});
  if ((c.width == 0) != (c.height == 0)) {
    const toml::node& at = c.width != 0 ? *width_node : *height_node;
    r.Bad(at, "kiosk.display",
          "give both width and height, or neither (width " + std::to_string(c.width) + ", height " +
              std::to_string(c.height) + ")",
          "0 and 0, the display's own mode");
    c.width = c.height = 0;
  }
}

void ReadPrinter(Reader& r, const toml::table& t, KioskFileConfig& c) {
  PrinterConfig& p = c.printer;
  const Handlers h = {
      {"enabled",
       [&](const toml::node& n) {
         if (auto v = r.Bool(n, "kiosk.printer.enabled", false)) p.enabled = *v;
       }},
      {"device",
       [&](const toml::node& n) {
         auto v = r.String(n, "kiosk.printer.device", "/dev/usb/lp0");
         if (v && !v->starts_with("/")) {
           r.Bad(n, "kiosk.printer.device", Quoted(*v) + " is not an absolute path",
                 "\"/dev/usb/lp0\"");
           v.reset();
         }
         if (v) p.device = *v;
       }},
      {"paper_width_mm",
       [&](const toml::node& n) {
         auto v = r.Int(n, "kiosk.printer.paper_width_mm", 58, 80, 80);
         if (v && *v != 58 && *v != 80) {
           r.Bad(n, "kiosk.printer.paper_width_mm", std::to_string(*v) + " is not 58 or 80", "80");
           v.reset();
         }
         if (v) p.paper_width_mm = *v;
       }},
      {"charset",
       [&](const toml::node& n) {
         auto v = r.String(n, "kiosk.printer.charset", "pc858");
         if (v && *v != "pc858" && *v != "ascii") {
           r.Bad(n, "kiosk.printer.charset", Quoted(*v) + " is not \"pc858\" or \"ascii\"",
                 "\"pc858\"");
           v.reset();
         }
         if (v) p.ascii_only = *v == "ascii";
       }},
  };
  Dispatch(r, t, "kiosk.printer.", h, {});
}

void ReadBranding(Reader& r, const toml::table& t, KioskFileConfig& c) {
  BrandingConfig& b = c.branding;
  const Handlers h = {
      {"host_name",
       [&](const toml::node& n) {
         if (auto v = r.String(n, "kiosk.branding.host_name", "")) b.host_name = *v;
       }},
      {"logo",
       [&](const toml::node& n) {
         auto v = r.String(n, "kiosk.branding.logo", "");
         if (!v || v->empty()) return;
         std::string why = CheckLogo(*v);
         if (!why.empty()) {
           r.Warn(n, "kiosk.branding.logo: " + why + "; showing no logo");
           return;
         }
         b.logo_path = *v;
       }},
      {"accent_colour",
       [&](const toml::node& n) {
         auto v = r.String(n, "kiosk.branding.accent_colour", "");
         if (!v || v->empty()) return;
         std::uint32_t rgb = 0;
         if (!ParseHexColour(*v, &rgb)) {
           r.Warn(n, "kiosk.branding.accent_colour: " + Quoted(*v) +
                         " is not a colour like \"#1D70B8\"; using the standard colour");
           return;
         }
         const double ratio = ContrastRatio(rgb, kHeaderTextRgb);
         if (ratio < 4.5) {
           char buf[256];
           std::snprintf(buf, sizeof buf,
                         "kiosk.branding.accent_colour: white header text on %s has a contrast "
                         "of %.1f:1, below the 4.5:1 that WCAG AA needs for text; using the "
                         "standard colour (choose a darker colour)",
                         v->c_str(), std::floor(ratio * 10) / 10);
           r.Warn(n, buf);
           return;
         }
         b.accent_rgb = rgb;
         b.has_accent = true;
       }},
  };
  Dispatch(r, t, "kiosk.branding.", h, {});
}

void ReadKiosk(Reader& r, const toml::table& t, KioskFileConfig& c) {
  const toml::node* still_there_node = nullptr;
  int still_there = 0;
  auto str = [&](std::string& out, const char* field) {
    return [&r, &out, field](const toml::node& n) {
      if (auto v = r.String(n, field, "")) out = *v;
    };
  };
  auto flag = [&](bool& out, const char* field) {
    return [&r, &out, field](const toml::node& n) {
      if (auto v = r.Bool(n, field, false)) out = *v;
    };
  };
  auto sub = [&](const char* name, std::function<void(const toml::table&)> read) {
    return [&r, name, read](const toml::node& n) {
      const toml::table* st = n.as_table();
      if (st == nullptr) {
        r.Warn(n, std::string("kiosk.") + name + ": must be a table ([kiosk." + name + "]), not " +
                      TypeName(n) + "; ignored");
        return;
      }
      read(*st);
    };
  };
  auto later = [&](const char* name, std::vector<std::string> keys) {
    return sub(name, [&r, name, keys](const toml::table& st) {
      Dispatch(r, st, std::string("kiosk.") + name + ".", {}, keys);
    });
  };
  const Handlers h = {
      {"site_name", str(c.site_name, "kiosk.site_name")},
      {"postcode", str(c.postcode, "kiosk.postcode")},
      {"idle_timeout_s",
       [&](const toml::node& n) {
         if (auto v = r.Int(n, "kiosk.idle_timeout_s", 20, 86400, 90)) c.idle_timeout_s = *v;
       }},
      {"still_there_s",
       [&](const toml::node& n) {
         still_there_node = &n;
         // Range against idle_timeout_s is checked once the whole table is read.
         if (auto v = r.Int(n, "kiosk.still_there_s", 1, 86400, 15)) still_there = *v;
       }},
      {"languages", [&](const toml::node& n) { ReadLanguages(r, n, c); }},
      {"text_size",
       [&](const toml::node& n) {
         if (auto v = r.Int(n, "kiosk.text_size", 0, 2, 0)) c.text_size = *v;
       }},
      {"high_contrast", flag(c.high_contrast, "kiosk.high_contrast")},
      {"dyslexia_font", flag(c.dyslexia_font, "kiosk.dyslexia_font")},
      {"read_aloud", flag(c.read_aloud, "kiosk.read_aloud")},
      {"catalogue", str(c.catalogue, "kiosk.catalogue")},
      {"technician_pin_hash",
       [&](const toml::node& n) {
         // Present means "this is the PIN": a bad value is never replaced by
         // the old hash file, it leaves the technician screen unreachable.
         auto v = r.String(n, "kiosk.technician_pin_hash", "");
         if (v && !v->empty() && !IsPinHash(*v)) {
           r.Warn(n,
                  "kiosk.technician_pin_hash: not an Argon2id PIN hash (make one with "
                  "signpost-kiosk --hash-pin PIN and paste the whole line, which starts with "
                  "$argon2id$); the technician screen cannot be opened until it is fixed");
           v = std::string();
         }
         c.technician_pin_hash = v.value_or("");
       }},
      {"sync_request_file",
       [&](const toml::node& n) {
         auto v = r.String(n, "kiosk.sync_request_file", kDefaultSyncRequestFile);
         if (v && !v->empty() && !v->starts_with("/")) {
           r.Bad(n, "kiosk.sync_request_file", Quoted(*v) + " is not an absolute path",
                 Quoted(kDefaultSyncRequestFile));
           v.reset();
         }
         if (v) c.sync_request_file = *v;
       }},
      {"display", sub("display", [&](const toml::table& st) { ReadDisplay(r, st, c); })},
      {"branding", sub("branding", [&](const toml::table& st) { ReadBranding(r, st, c); })},
      {"printer", sub("printer", [&](const toml::table& st) { ReadPrinter(r, st, c); })},
      {"touch", later("touch", {"matrix"})},
  };
  Dispatch(r, t, "kiosk.", h, {});
  const int max_still = c.idle_timeout_s / 3;
  if (still_there_node != nullptr && still_there > max_still) {
    r.Bad(*still_there_node, "kiosk.still_there_s",
          std::to_string(still_there) + " is more than a third of idle_timeout_s (at most " +
              std::to_string(max_still) + ")",
          std::to_string(std::min(15, max_still)));
    still_there = 0;
  }
  c.still_there_s = still_there;
}

}  // namespace

// [SECTION] Colours --------------------------------------------------------------------

bool ParseHexColour(std::string_view text, std::uint32_t* rgb) {
  if (text.size() != 7 || text[0] != '#') return false;
  std::uint32_t v = 0;
  for (char ch : text.substr(1)) {
    int d = ch >= '0' && ch <= '9'   ? ch - '0'
            : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
            : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10
                                     : -1;
    if (d < 0) return false;
    v = v << 4 | static_cast<std::uint32_t>(d);
  }
  *rgb = v;
  return true;
}

double ContrastRatio(std::uint32_t rgb_a, std::uint32_t rgb_b) {
  // WCAG 2 relative luminance of sRGB colours.
  auto lum = [](std::uint32_t rgb) {
    auto ch = [](std::uint32_t c8) {
      const double c = c8 / 255.0;
      return c <= 0.03928 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * ch(rgb >> 16 & 0xFF) + 0.7152 * ch(rgb >> 8 & 0xFF) + 0.0722 * ch(rgb & 0xFF);
  };
  double a = lum(rgb_a), b = lum(rgb_b);
  if (a < b) std::swap(a, b);
  return (a + 0.05) / (b + 0.05);
}

// [SECTION] Parsing, loading, applying ------------------------------------------------

Result<KioskFileConfig> ParseKioskConfig(std::string_view toml_text, const std::string& source) {
  KioskFileConfig config;
  config.source = source;
  toml::table root;
  try {
    root = toml::parse(toml_text, source);
  } catch (const toml::parse_error& e) {
    const auto& where = e.source().begin;
    return Status::InvalidArgument(source + ":" + std::to_string(where.line) + ":" +
                                   std::to_string(where.column) + ": " +
                                   std::string(e.description()));
  }
  Reader r(source);
  if (const toml::node* kiosk = root.get("kiosk")) {
    if (const toml::table* t = kiosk->as_table()) {
      ReadKiosk(r, *t, config);
    } else {
      r.Warn(*kiosk, std::string("kiosk: must be a table ([kiosk]), not ") + TypeName(*kiosk) +
                         "; using the defaults");
    }
  }
  // [sync] belongs to content-sync: only its catalogue matters here, and a bad
  // one is content-sync's to report (the kiosk then keeps its default).
  if (const toml::node* sync = root.get("sync"); sync && sync->is_table()) {
    if (const toml::node* cat = sync->as_table()->get("catalogue"); cat && cat->is_string())
      config.sync_catalogue = std::string(cat->as_string()->get());
  }
  config.warnings = r.TakeWarnings();
  return config;
}

Result<KioskFileConfig> LoadKioskConfig(const std::string& path, bool path_was_given) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    // The units name the standard file: a kiosk whose config went missing
    // still starts, on the built-in defaults, and says so (signpost-doctor
    // shows it). Any other missing file is a typo worth stopping for.
    if (path_was_given && path != kDefaultConfigPath) {
      return Status::NotFound("config file not found: " + path);
    }
    KioskFileConfig config;
    if (path_was_given) {
      config.warnings.push_back("no config file at " + path + "; using the built-in defaults");
    }
    return config;
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  if (in) ss << in.rdbuf();
  if (!in || std::filesystem::is_directory(path, ec)) {
    if (path_was_given) return Status::IoError("cannot read config file " + path);
    KioskFileConfig config;
    config.warnings.push_back("cannot read " + path + "; using the built-in defaults");
    return config;
  }
  auto parsed = ParseKioskConfig(ss.str(), path);
  if (parsed.ok()) return parsed;
  KioskFileConfig config;
  config.source = path;
  config.warnings.push_back(parsed.status().message() +
                            " (not valid TOML; using the built-in defaults for every setting)");
  return config;
}

void ApplyKioskConfig(const KioskFileConfig& file, RunOptions* options) {
  KioskConfig& k = options->config;
  k.postcode = file.postcode;
  k.idle_timeout_s = file.idle_timeout_s;
  k.still_there_s =
      file.still_there_s > 0 ? file.still_there_s : std::min(15.0, k.idle_timeout_s / 3);
  if (!file.CataloguePath().empty()) k.catalogue_path = file.CataloguePath();
  k.defaults.language = file.languages.empty() ? "en" : file.languages.front();
  k.defaults.text_size = file.text_size;
  k.defaults.high_contrast = file.high_contrast;
  k.defaults.dyslexia_font = file.dyslexia_font;
  k.defaults.read_aloud = file.read_aloud;
  if (file.width > 0 && file.height > 0) {
    options->width = file.width;
    options->height = file.height;
  }
  options->rotation = file.rotation;
  k.site_name = file.site_name;
  k.languages = file.languages;
  k.pin_hash = file.technician_pin_hash;
  k.sync_request_file = file.sync_request_file;
  k.printer = file.printer;
  k.branding = file.branding;
}

}  // namespace signpost::kiosk
