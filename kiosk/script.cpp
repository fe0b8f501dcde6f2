#include "kiosk/script.h"

#include <SDL.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace signpost::kiosk {
namespace {

bool ParseCoord(const std::string& s, int extent, float* out) {
  if (s.empty()) return false;
  char* end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  if (end == s.c_str()) return false;
  if (*end == '%') {
    v = v / 100.0 * extent;
    ++end;
  }
  if (*end) return false;
  *out = static_cast<float>(v);
  return true;
}

bool ParseMs(const std::string& s, double* ms) {
  char* end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  if (end == s.c_str()) return false;
  std::string unit(end);
  if (unit == "ms" || unit.empty())
    *ms = v;
  else if (unit == "s")
    *ms = v * 1000;
  else
    return false;
  return true;
}

int KeyFromName(const std::string& n) {
  if (n == "backspace") return SDLK_BACKSPACE;
  if (n == "return" || n == "enter") return SDLK_RETURN;
  if (n == "escape" || n == "esc") return SDLK_ESCAPE;
  if (n == "tab") return SDLK_TAB;
  if (n == "space") return SDLK_SPACE;
  if (n == "f4") return SDLK_F4;
  if (n.size() == 1) return static_cast<unsigned char>(n[0]);
  return 0;
}

}  // namespace

bool ParseScript(const std::string& text, std::vector<ScriptLine>* out, std::string* error) {
  std::istringstream in(text);
  std::string raw;
  int number = 0;
  static const struct {
    const char* verb;
    int min_args, max_args;
  } kVerbs[] = {{"screen", 1, 1},
                {"tap", 2, 2},
                {"drag", 4, 5},
                {"type", 1, 1},
                {"key", 1, 1},
                {"wait", 1, 1},
                {"screenshot", 1, 1},
                {"expect-screen", 1, 1},
                {"expect-search-text", 0, 1},
                {"expect-shortlist", 1, 1}};
  while (std::getline(in, raw)) {
    ++number;
    while (!raw.empty() && (raw.back() == '\r' || raw.back() == ' ' || raw.back() == '\t'))
      raw.pop_back();
    std::size_t start = raw.find_first_not_of(" \t");
    if (start == std::string::npos || raw[start] == '#') continue;
    raw = raw.substr(start);
    ScriptLine line;
    line.number = number;
    std::size_t sp = raw.find(' ');
    line.verb = raw.substr(0, sp);
    std::string rest = sp == std::string::npos ? "" : raw.substr(sp + 1);
    if (line.verb == "type" || line.verb == "expect-search-text" || line.verb == "screenshot") {
      if (!rest.empty()) line.args.push_back(rest);
    } else {
      std::istringstream words(rest);
      std::string w;
      while (words >> w) line.args.push_back(w);
    }
    bool known = false;
    for (const auto& v : kVerbs) {
      if (line.verb != v.verb) continue;
      known = true;
      int n = static_cast<int>(line.args.size());
      if (n < v.min_args || n > v.max_args) {
        *error = "line " + std::to_string(number) + ": wrong number of arguments for '" +
                 line.verb + "'";
        return false;
      }
    }
    if (!known) {
      *error = "line " + std::to_string(number) + ": unknown command '" + line.verb + "'";
      return false;
    }
    out->push_back(std::move(line));
  }
  return true;
}

bool RunScript(Kiosk& k, const std::vector<ScriptLine>& lines, std::string* error) {
  k.Settle();
  for (const auto& l : lines) {
    auto fail = [&](const std::string& why) {
      *error = "line " + std::to_string(l.number) + " (" + l.verb + "): " + why;
      return false;
    };
    const auto& a = l.args;
    if (l.verb == "screen") {
      auto s = ParseScreen(a[0]);
      if (!s) return fail("unknown screen '" + a[0] + "'");
      k.GoToScreen(*s);
    } else if (l.verb == "tap") {
      float x, y;
      if (!ParseCoord(a[0], k.width(), &x) || !ParseCoord(a[1], k.height(), &y))
        return fail("bad coordinates");
      k.Tap(x, y);
    } else if (l.verb == "drag") {
      float x0, y0, x1, y1;
      double ms = 300;
      if (!ParseCoord(a[0], k.width(), &x0) || !ParseCoord(a[1], k.height(), &y0) ||
          !ParseCoord(a[2], k.width(), &x1) || !ParseCoord(a[3], k.height(), &y1))
        return fail("bad coordinates");
      if (a.size() == 5 && !ParseMs(a[4], &ms)) return fail("bad duration '" + a[4] + "'");
      k.Drag(x0, y0, x1, y1, ms);
    } else if (l.verb == "type") {
      k.Type(a[0]);
    } else if (l.verb == "key") {
      int key = KeyFromName(a[0]);
      if (!key) return fail("unknown key '" + a[0] + "'");
      k.Key(key);
    } else if (l.verb == "wait") {
      double ms;
      if (!ParseMs(a[0], &ms)) return fail("bad duration '" + a[0] + "'");
      k.Wait(ms);
    } else if (l.verb == "screenshot") {
      if (!k.Screenshot(a[0])) return fail("could not write " + a[0]);
      std::printf("screenshot: %s\n", a[0].c_str());
    } else if (l.verb == "expect-screen") {
      std::string now(ScreenName(k.app().screen()));
      if (now != a[0]) return fail("expected screen '" + a[0] + "', showing '" + now + "'");
    } else if (l.verb == "expect-search-text") {
      std::string want = a.empty() ? "" : a[0];
      const std::string& have = k.app().session().search.text;
      if (have != want) return fail("expected search text '" + want + "', have '" + have + "'");
    } else if (l.verb == "expect-shortlist") {
      std::size_t want = static_cast<std::size_t>(std::atoi(a[0].c_str()));
      std::size_t have = k.app().session().shortlist.size();
      if (have != want)
        return fail("expected " + a[0] + " shortlisted, have " + std::to_string(have));
    }
  }
  return true;
}

bool RunScriptFile(Kiosk& k, const std::string& path, std::string* error) {
  std::ifstream in(path);
  if (!in) {
    *error = "cannot read " + path;
    return false;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  std::vector<ScriptLine> lines;
  if (!ParseScript(ss.str(), &lines, error)) {
    *error = path + ": " + *error;
    return false;
  }
  if (!RunScript(k, lines, error)) {
    *error = path + ": " + *error;
    return false;
  }
  return true;
}

}  // namespace signpost::kiosk
