#include "local_pack/pack_times.h"

#include <cctype>
#include <cstdio>
#include <string>

namespace signpost::sync {

namespace {

std::string Lower(std::string_view s) {
  std::string out;
  for (char ch : s) out += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// One clock reading. `half`: 0 none, 1 am, 2 pm; `hour`/`minute` as
// written (checked by the caller once am/pm is known).
struct Clock {
  int hour = 0;
  int minute = 0;
  int half = 0;
  bool has_minutes = false;
};

std::optional<Clock> ReadClock(std::string_view s) {
  s = Trim(s);
  if (s == "noon" || s == "midday") return Clock{12, 0, 0, true};
  Clock c;
  if (s.ends_with("am") || s.ends_with("a.m.") || s.ends_with("pm") || s.ends_with("p.m.")) {
    c.half = s.find('p') != std::string_view::npos ? 2 : 1;
    s = Trim(s.substr(0, s.find_first_of("ap")));
  }
  std::size_t i = 0;
  auto digits = [&s, &i](int max_len, int* out) {
    int n = 0, v = 0;
    while (i < s.size() && n < max_len && std::isdigit(static_cast<unsigned char>(s[i]))) {
      v = v * 10 + (s[i] - '0');
      ++i;
      ++n;
    }
    *out = v;
    return n;
  };
  if (digits(2, &c.hour) == 0) return std::nullopt;
  if (i < s.size() && (s[i] == ':' || s[i] == '.')) {
    ++i;
    if (digits(2, &c.minute) != 2 || c.minute > 59) return std::nullopt;
    c.has_minutes = true;
  }
  if (i != s.size()) return std::nullopt;
  return c;
}

// Minutes after midnight, or nullopt when the reading is not a time.
std::optional<int> Minutes(Clock c) {
  if (c.half != 0) {
    if (c.hour < 1 || c.hour > 12) return std::nullopt;
    c.hour %= 12;
    if (c.half == 2) c.hour += 12;
  } else if (!c.has_minutes || c.hour > 23) {
    return std::nullopt;  // "6": morning or evening?
  }
  return c.hour * 60 + c.minute;
}

}  // namespace

std::optional<PackTimes> ParsePackTimes(std::string_view text) {
  const std::string s = Lower(Trim(text));
  if (s.empty() || s.size() > 60) return std::nullopt;
  std::string_view from = s, to;
  for (std::string_view sep :
       {std::string_view(" to "), std::string_view("\xE2\x80\x93"), std::string_view("-")}) {
    if (const std::size_t at = s.find(sep); at != std::string::npos) {
      from = std::string_view(s).substr(0, at);
      to = std::string_view(s).substr(at + sep.size());
      break;
    }
  }
  auto a = ReadClock(from);
  if (!a) return std::nullopt;
  PackTimes out;
  if (to.empty() && from.size() == s.size()) {
    auto m = Minutes(*a);
    if (!m) return std::nullopt;
    out.start = *m;
    return out;
  }
  auto b = ReadClock(to);
  if (!b) return std::nullopt;
  // "6 to 8pm": the bare start takes the end's half of the day.
  if (a->half == 0 && !a->has_minutes && b->half != 0) a->half = b->half;
  if (b->half == 0 && !b->has_minutes && a->half != 0) b->half = a->half;
  auto start = Minutes(*a), end = Minutes(*b);
  if (!start || !end || *end <= *start) return std::nullopt;
  out.start = *start;
  out.end = *end;
  return out;
}

std::string FormatPackTime(int minutes) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d:%02d", minutes / 60, minutes % 60);
  return buf;
}

}  // namespace signpost::sync
