#include "kiosk/script.h"

#include <SDL.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "kiosk/i18n.h"
#include "kiosk/ui.h"

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

// [SECTION] Matching words against the frame record -------------------------------------

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// What the script's words may look like on screen: as written, and their
// translation in the current language (when they are a UI string).
std::vector<std::string> Wanted(const std::string& words) {
  std::vector<std::string> out = {Lower(ui::LabelWords(ui::NormaliseText(words)))};
  const char* translated = tr(words.c_str());
  if (translated != words.c_str() && words != translated)
    out.push_back(Lower(ui::LabelWords(ui::NormaliseText(translated))));
  return out;
}

bool LabelStartsWith(const std::string& label, const std::vector<std::string>& wanted) {
  const std::string have = Lower(ui::LabelWords(ui::NormaliseText(label)));
  for (const auto& w : wanted)
    if (!w.empty() && have.compare(0, w.size(), w) == 0) return true;
  return false;
}

bool TextContains(const std::string& text, const std::vector<std::string>& wanted) {
  const std::string have = Lower(ui::NormaliseText(text));
  for (const auto& w : wanted)
    if (!w.empty() && have.find(w) != std::string::npos) return true;
  return false;
}

std::string Quoted(const std::vector<std::string>& labels, std::size_t max) {
  std::string out;
  for (std::size_t i = 0; i < labels.size() && i < max; ++i)
    out += (i ? ", '" : "'") + labels[i] + "'";
  if (labels.size() > max) out += ", ...";
  return out.empty() ? "none" : out;
}

// The visible tappables whose label starts with the words (and how many
// more are out of view).
std::vector<const ui::Tappable*> FindTappables(const std::string& words, int* hidden) {
  const auto wanted = Wanted(words);
  std::vector<const ui::Tappable*> out;
  *hidden = 0;
  for (const auto& t : ui::LastFrame().tappables()) {
    if (!LabelStartsWith(t.label, wanted)) continue;
    if (t.Visible())
      out.push_back(&t);
    else
      ++*hidden;
  }
  return out;
}

bool TapLabel(Kiosk& k, const std::string& words, std::string* why) {
  int hidden = 0;
  auto found = FindTappables(words, &hidden);
  if (found.size() == 1) {
    const ImVec2 at = found.front()->TapPoint();
    k.Tap(at.x, at.y);
    return true;
  }
  std::vector<std::string> labels;
  if (found.empty()) {
    for (const auto& t : ui::LastFrame().tappables())
      if (t.Visible() && !t.label.empty()) labels.push_back(t.label);
    *why = "no visible widget labelled '" + words + "'" +
           (hidden ? " (" + std::to_string(hidden) + " out of view: scroll-to it first)" : "") +
           "; visible: " + Quoted(labels, 16);
  } else {
    for (const auto* t : found) labels.push_back(t->label);
    *why = std::to_string(found.size()) + " visible widgets are labelled '" + words +
           "': " + Quoted(labels, 8) + "; use more of the label";
  }
  return false;
}

bool TextShown(const std::string& words) {
  const auto wanted = Wanted(words);
  for (const auto& t : ui::LastFrame().texts())
    if (t.Visible() && TextContains(t.text, wanted)) return true;
  return false;
}

// Drags the scroll area holding the widget (or text) until it is in view.
bool ScrollTo(Kiosk& k, const std::string& words, std::string* why) {
  const auto wanted = Wanted(words);
  // Scrolling needs logic on every frame, not pixels: draw 1 frame in 8.
  k.set_render_every(8);
  struct Restore {
    Kiosk& k;
    ~Restore() { k.set_render_every(1); }
  } restore{k};
  for (int attempt = 0; attempt < 40; ++attempt) {
    std::vector<std::pair<ImRect, ImRect>> found;  // rect, clip
    for (const auto& t : ui::LastFrame().tappables())
      if (LabelStartsWith(t.label, wanted)) found.emplace_back(t.rect, t.clip);
    if (found.empty())
      for (const auto& t : ui::LastFrame().texts())
        if (TextContains(t.text, wanted)) found.emplace_back(t.rect, t.clip);
    if (found.empty()) {
      *why = "nothing labelled '" + words + "' on this screen";
      return false;
    }
    if (found.size() > 1) {
      *why = std::to_string(found.size()) + " things are labelled '" + words + "'";
      return false;
    }
    const ImRect r = found.front().first, c = found.front().second;
    const float margin = 8;
    auto need = [&](float lo, float hi, float clo, float chi) -> float {
      if (hi - lo > chi - clo) return clo - lo;  // taller than the area: its top
      if (lo < clo) return clo - lo + margin;
      if (hi > chi) return chi - hi - margin;
      return 0;
    };
    float dy = need(r.Min.y, r.Max.y, c.Min.y, c.Max.y);
    float dx = need(r.Min.x, r.Max.x, c.Min.x, c.Max.x);
    if (std::fabs(dy) < 1 && std::fabs(dx) < 1) return true;
    // Far away: quick flings (they glide on); close: a slow drag (little
    // momentum) of just what is needed. Never more than most of the area.
    const bool far = std::fabs(dy) > c.GetHeight() * 1.5f || std::fabs(dx) > c.GetWidth() * 1.5f;
    dy = std::clamp(dy, -c.GetHeight() * 0.8f, c.GetHeight() * 0.8f);
    dx = std::clamp(dx, -c.GetWidth() * 0.8f, c.GetWidth() * 0.8f);
    // A list only moves once a touch has gone past the drag threshold: a
    // short drag is that much longer, or a few pixels short never close.
    if (!far) {
      const float slop = ui::DragThreshold() + 1;
      if (std::fabs(dy) >= 1) dy += std::copysign(slop, dy);
      if (std::fabs(dx) >= 1) dx += std::copysign(slop, dx);
    }
    const ImVec2 mid = c.GetCenter();
    k.Drag(mid.x - dx * 0.5f, mid.y - dy * 0.5f, mid.x + dx * 0.5f, mid.y + dy * 0.5f,
           far ? 250 : 1000);
  }
  *why = "'" + words + "' did not come into view";
  return false;
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
                {"expect-shortlist", 1, 1},
                {"tap-label", 1, 1},
                {"scroll-to", 1, 1},
                {"expect-text", 1, 1},
                {"expect-no-text", 1, 1}};
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
    // Verbs whose argument is the rest of the line, spaces and all.
    static constexpr std::string_view kWhole[] = {
        "type",      "expect-search-text", "screenshot",    "tap-label",
        "scroll-to", "expect-text",        "expect-no-text"};
    if (std::find(std::begin(kWhole), std::end(kWhole), line.verb) != std::end(kWhole)) {
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
    } else if (l.verb == "tap-label") {
      std::string why;
      if (!TapLabel(k, a[0], &why)) return fail(why);
    } else if (l.verb == "scroll-to") {
      std::string why;
      if (!ScrollTo(k, a[0], &why)) return fail(why);
    } else if (l.verb == "expect-text") {
      if (!TextShown(a[0])) return fail("'" + a[0] + "' is not on the screen");
    } else if (l.verb == "expect-no-text") {
      if (TextShown(a[0])) return fail("'" + a[0] + "' is on the screen");
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
