#include "kiosk/takeaway.h"

#include <algorithm>
#include <cmath>

#include "kiosk/qr.h"
#include "signpost/links.h"

namespace signpost::kiosk {

namespace {

constexpr const char* kFooter = "National Careers Service: 0800 100 900";

// Cuts UTF-8 text to at most `bytes`, at a character boundary, with "...".
std::string Cut(const std::string& s, std::size_t bytes) {
  if (s.size() <= bytes) return s;
  std::size_t n = bytes > 3 ? bytes - 3 : 0;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n) + "...";
}

// One item's lines. Level 0: everything; 1: no link; 2: shortened words;
// 3: the title and who, short.
constexpr int kLevels = 4;
std::string ItemText(std::size_t number, const ShortlistItem& s, int level) {
  const std::size_t words = level >= 2 ? 40 : 200;
  std::string item = std::to_string(number) + ". " + Cut(s.title, words);
  if (!s.provider.empty()) item += " - " + Cut(s.provider, level >= 3 ? 30 : words);
  if (!s.contact.empty() && level < 3) item += " - " + Cut(s.contact, level >= 2 ? 40 : 120);
  // A link only when it is a plain web address a phone may open (links.h).
  if (level == 0 && !s.url.empty() && s.url.size() <= 300 &&
      catalogue::WebLinkProblem(s.url).empty())
    item += "\n" + s.url;
  return item + "\n";
}

std::string Heading(std::size_t index, std::size_t count) {
  if (count <= 1) return "Signpost shortlist\n";
  return "Signpost " + std::to_string(index) + " of " + std::to_string(count) + "\n";
}

bool Fits(const std::string& text, int max_modules) {
  const QrCode qr = MakeQr(text);
  return qr.width > 0 && qr.width <= max_modules;
}

}  // namespace

int MaxModulesFor(float side_px) {
  const int modules = static_cast<int>(std::floor(side_px / kMinModulePx)) - 2 * kQuietZoneModules;
  return std::max(kMinCodeModules, modules);
}

std::vector<std::string> TakeAwayCodes(const std::vector<ShortlistItem>& list, int max_modules) {
  std::vector<std::string> out;
  if (list.empty()) return out;
  max_modules = std::max(max_modules, kMinCodeModules);
  // Greedy: as many whole items per code as fit. The heading is measured at
  // its longest ("99 of 99"), so numbering the codes afterwards never makes
  // one too big.
  const std::string widest = "Signpost 99 of 99\n";
  std::vector<std::string> bodies;
  std::string body;
  for (std::size_t i = 0; i < list.size(); ++i) {
    std::string item;
    bool fits = false;
    for (int level = 0; level < kLevels && !fits; ++level) {
      item = ItemText(i + 1, list[i], level);
      fits = Fits(widest + item, max_modules);
    }
    // Still too big for the smallest code: the number and as much of the
    // title as fits (it still leaves, and the slip has it whole).
    for (std::size_t words = 30; !fits && words >= 6; words -= 6) {
      item = std::to_string(i + 1) + ". " + Cut(list[i].title, words) + "\n";
      fits = Fits(widest + item, max_modules);
    }
    if (!body.empty() && !Fits(widest + body + item, max_modules)) {
      bodies.push_back(std::move(body));
      body.clear();
    }
    body += item;
  }
  bodies.push_back(std::move(body));
  for (std::size_t i = 0; i < bodies.size(); ++i) {
    std::string code = Heading(i + 1, bodies.size()) + bodies[i];
    // The helpline on the last code, when there is room for it.
    if (i + 1 == bodies.size() && Fits(code + kFooter, max_modules)) code += kFooter;
    out.push_back(std::move(code));
  }
  return out;
}

}  // namespace signpost::kiosk
