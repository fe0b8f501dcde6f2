#include "kiosk/i18n.h"

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string_view>
#include <unordered_map>

namespace signpost::kiosk {
namespace {

struct State {
  std::string code = "en";
  std::vector<std::pair<std::string, std::string>> entries;  // owns the text
  std::unordered_map<std::string_view, const char*> table;   // views into entries
};

State& GetState() {
  static State state;
  return state;
}

std::uint32_t ReadU32(const std::string& b, std::size_t at, bool swap) {
  if (at + 4 > b.size()) return 0;
  auto u = [&](std::size_t i) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(b[i]));
  };
  if (!swap) return u(at) | u(at + 1) << 8 | u(at + 2) << 16 | u(at + 3) << 24;
  return u(at + 3) | u(at + 2) << 8 | u(at + 1) << 16 | u(at) << 24;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

const std::vector<Language>& AvailableLanguages() {
  static const std::vector<Language> languages = {
      {"en", "English", "en-gb"},
      {"cy", "Cymraeg", "cy"},
  };
  return languages;
}

bool ParseMo(const std::string& b, std::vector<std::pair<std::string, std::string>>* out) {
  if (b.size() < 28) return false;
  bool swap;
  if (ReadU32(b, 0, false) == 0x950412deu) {
    swap = false;
  } else if (ReadU32(b, 0, true) == 0x950412deu) {
    swap = true;
  } else {
    return false;
  }
  std::uint32_t n = ReadU32(b, 8, swap);
  std::uint32_t orig = ReadU32(b, 12, swap);
  std::uint32_t trans = ReadU32(b, 16, swap);
  if (n > b.size() / 16) return false;
  for (std::uint32_t i = 0; i < n; ++i) {
    std::uint32_t olen = ReadU32(b, orig + 8 * i, swap), ooff = ReadU32(b, orig + 8 * i + 4, swap);
    std::uint32_t tlen = ReadU32(b, trans + 8 * i, swap),
                  toff = ReadU32(b, trans + 8 * i + 4, swap);
    if (std::size_t(ooff) + olen > b.size() || std::size_t(toff) + tlen > b.size()) return false;
    std::string key = b.substr(ooff, olen);
    std::string value = b.substr(toff, tlen);
    // Plural forms hold "singular\0plural"; keep the first form.
    if (auto z = key.find('\0'); z != std::string::npos) key.resize(z);
    if (auto z = value.find('\0'); z != std::string::npos) value.resize(z);
    if (!key.empty() && !value.empty()) out->emplace_back(std::move(key), std::move(value));
  }
  return true;
}

bool SetLanguage(const std::string& code) {
  State& s = GetState();
  if (code == s.code) return true;
  if (code == "en" || code.empty()) {
    s.code = "en";
    s.table.clear();
    s.entries.clear();
    return true;
  }
  std::vector<std::string> dirs;
  if (const char* env = std::getenv("SIGNPOST_LOCALE_DIR")) dirs.emplace_back(env);
  dirs.emplace_back(SIGNPOST_BUILD_LOCALE_DIR);
  dirs.emplace_back(SIGNPOST_INSTALL_LOCALE_DIR);
  for (const auto& dir : dirs) {
    std::string bytes = ReadFile(dir + "/" + code + "/LC_MESSAGES/signpost-kiosk.mo");
    std::vector<std::pair<std::string, std::string>> entries;
    if (bytes.empty() || !ParseMo(bytes, &entries)) continue;
    s.table.clear();
    s.entries = std::move(entries);
    for (const auto& [k, v] : s.entries) s.table.emplace(k, v.c_str());
    s.code = code;
    return true;
  }
  return false;
}

const std::string& CurrentLanguage() { return GetState().code; }

const Language& CurrentLanguageInfo() {
  for (const auto& l : AvailableLanguages())
    if (GetState().code == l.code) return l;
  return AvailableLanguages().front();
}

const char* tr(const char* english) {
  State& s = GetState();
  if (s.table.empty()) return english;
  auto it = s.table.find(std::string_view(english));
  return it == s.table.end() ? english : it->second;
}

}  // namespace signpost::kiosk
