#include "kiosk/i18n.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <sstream>
#include <string_view>
#include <unordered_map>

namespace signpost::kiosk {
namespace {

struct State {
  std::string code = "en";
  std::vector<MoEntry> entries;                                // owns the text
  std::unordered_map<std::string_view, const MoEntry*> table;  // views into entries
  PluralRule plural;                                           // the catalogue's Plural-Forms
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

bool ParseMo(const std::string& b, std::vector<MoEntry>* out) {
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
    MoEntry e;
    e.id = b.substr(ooff, olen);
    // Plural messages hold "singular\0plural" and "form0\0form1\0...".
    if (auto z = e.id.find('\0'); z != std::string::npos) e.id.resize(z);
    const std::string value = b.substr(toff, tlen);
    for (std::size_t at = 0; at <= value.size();) {
      std::size_t z = value.find('\0', at);
      if (z == std::string::npos) z = value.size();
      e.forms.push_back(value.substr(at, z - at));
      at = z + 1;
    }
    // An empty translation means "not translated": English shows instead.
    bool any = false;
    for (const auto& f : e.forms) any = any || !f.empty();
    if (any) out->push_back(std::move(e));
  }
  return true;
}

// [SECTION] Plural-Forms ------------------------------------------------------------

namespace {

// Tokens of a Plural-Forms expression: numbers, n, operators, parentheses.
struct PluralParser {
  std::string_view text;
  std::size_t at = 0;
  int tokens = 0;
  bool failed = false;

  static constexpr int kMaxTokens = 256;
  static constexpr int kMaxDepth = 32;

  void Skip() {
    while (at < text.size() && (text[at] == ' ' || text[at] == '\t' || text[at] == '\n')) ++at;
  }
  bool Accept(std::string_view op) {
    Skip();
    if (text.substr(at, op.size()) != op) return false;
    // "<" must not swallow "<=", "=" is never alone, "!" not "!=".
    if ((op == "<" || op == ">" || op == "!") && at + 1 < text.size() && text[at + 1] == '=')
      return false;
    if ((op == "|" || op == "&") && at + 1 < text.size() && text[at + 1] == op[0]) return false;
    at += op.size();
    if (++tokens > kMaxTokens) failed = true;
    return true;
  }
};

}  // namespace

bool PluralRule::Parse(const std::string& header) {
  nodes_.clear();
  root_ = -1;
  nplurals_ = 2;
  const std::size_t line = header.find("Plural-Forms:");
  if (line == std::string::npos) return false;
  const std::size_t end = header.find('\n', line);
  const std::string rule = header.substr(line, end == std::string::npos ? end : end - line);
  const std::size_t np = rule.find("nplurals=");
  const std::size_t pl = rule.find("plural=");
  if (np == std::string::npos || pl == std::string::npos) return false;
  const int count = std::atoi(rule.c_str() + np + 9);
  if (count < 1 || count > 6) return false;
  std::string_view expr(rule);
  expr.remove_prefix(pl + 7);
  if (auto semi = expr.find(';'); semi != std::string_view::npos) expr = expr.substr(0, semi);

  PluralParser p{expr};
  std::vector<Node> nodes;
  auto add = [&](Node n) {
    nodes.push_back(n);
    return static_cast<int>(nodes.size()) - 1;
  };
  // Precedence climbing: ternary < || < && < == != < relational < + - < * / % < unary.
  std::function<int(int)> ternary, unary;
  std::function<int(int, int)> binary;  // (precedence level, depth)
  static const std::vector<std::vector<std::pair<std::string_view, char>>> kLevels = {
      {{"||", '|'}},
      {{"&&", '&'}},
      {{"==", '='}, {"!=", '!'}},
      {{"<=", 'l'}, {">=", 'g'}, {"<", '<'}, {">", '>'}},
      {{"+", '+'}, {"-", '-'}},
      {{"*", '*'}, {"/", '/'}, {"%", '%'}},
  };
  unary = [&](int depth) -> int {
    if (depth > PluralParser::kMaxDepth || p.failed) {
      p.failed = true;
      return -1;
    }
    if (p.Accept("!")) return add({'~', 0, unary(depth + 1)});  // operand in `a`
    if (p.Accept("(")) {
      int inner = ternary(depth + 1);
      if (!p.Accept(")")) p.failed = true;
      return inner;
    }
    p.Skip();
    if (p.at < p.text.size() && p.text[p.at] == 'n') {
      ++p.at;
      return add({'n'});
    }
    if (p.at < p.text.size() && p.text[p.at] >= '0' && p.text[p.at] <= '9') {
      long long v = 0;
      while (p.at < p.text.size() && p.text[p.at] >= '0' && p.text[p.at] <= '9' && v < 1000000)
        v = v * 10 + (p.text[p.at++] - '0');
      return add({'c', v});
    }
    p.failed = true;
    return -1;
  };
  binary = [&](int level, int depth) -> int {
    if (level >= static_cast<int>(kLevels.size())) return unary(depth);
    int left = binary(level + 1, depth);
    for (bool more = true; more && !p.failed;) {
      more = false;
      for (const auto& [text, op] : kLevels[static_cast<std::size_t>(level)]) {
        if (!p.Accept(text)) continue;
        left = add({op, 0, left, binary(level + 1, depth)});
        more = true;
        break;
      }
    }
    return left;
  };
  ternary = [&](int depth) -> int {
    if (depth > PluralParser::kMaxDepth) {
      p.failed = true;
      return -1;
    }
    int cond = binary(0, depth);
    if (!p.Accept("?")) return cond;
    int yes = ternary(depth + 1);
    if (!p.Accept(":")) p.failed = true;
    int no = ternary(depth + 1);
    return add({'?', 0, cond, yes, no});
  };
  int root = ternary(0);
  p.Skip();
  if (p.failed || root < 0 || p.at != p.text.size()) return false;
  nodes_ = std::move(nodes);
  root_ = root;
  nplurals_ = count;
  return true;
}

long long PluralRule::Eval(int i, long long n, int depth) const {
  if (i < 0 || depth > 2 * PluralParser::kMaxTokens) return 0;  // deeper than any parsed rule
  const Node& x = nodes_[static_cast<std::size_t>(i)];
  auto a = [&] { return Eval(x.a, n, depth + 1); };
  auto b = [&] { return Eval(x.b, n, depth + 1); };
  switch (x.op) {
    case 'n':
      return n;
    case 'c':
      return x.value;
    case '~':
      return !a();
    case '?':
      return a() ? b() : Eval(x.c, n, depth + 1);
    case '|':
      return a() || b();
    case '&':
      return a() && b();
    case '=':
      return a() == b();
    case '!':
      return a() != b();
    case '<':
      return a() < b();
    case '>':
      return a() > b();
    case 'l':
      return a() <= b();
    case 'g':
      return a() >= b();
    case '+':
      return a() + b();
    case '-':
      return a() - b();
    case '*':
      return a() * b();
    case '/': {
      long long d = b();
      return d == 0 ? 0 : a() / d;
    }
    case '%': {
      long long d = b();
      return d == 0 ? 0 : a() % d;
    }
  }
  return 0;
}

int PluralRule::Index(long long n) const {
  if (n < 0) n = -n;
  long long i = root_ < 0 ? (n != 1) : Eval(root_, n, 0);
  return static_cast<int>(std::clamp<long long>(i, 0, nplurals_ - 1));
}

bool SetLanguage(const std::string& code) {
  State& s = GetState();
  if (code == s.code) return true;
  if (code == "en" || code.empty()) {
    s.code = "en";
    s.table.clear();
    s.entries.clear();
    s.plural = PluralRule{};
    return true;
  }
  std::vector<std::string> dirs;
  if (const char* env = std::getenv("SIGNPOST_LOCALE_DIR")) dirs.emplace_back(env);
  dirs.emplace_back(SIGNPOST_BUILD_LOCALE_DIR);
  dirs.emplace_back(SIGNPOST_INSTALL_LOCALE_DIR);
  for (const auto& dir : dirs) {
    std::string bytes = ReadFile(dir + "/" + code + "/LC_MESSAGES/signpost-kiosk.mo");
    std::vector<MoEntry> entries;
    if (bytes.empty() || !ParseMo(bytes, &entries)) continue;
    s.table.clear();
    s.entries = std::move(entries);
    s.plural = PluralRule{};
    for (const auto& e : s.entries) {
      if (e.id.empty()) {
        s.plural.Parse(e.forms.front());  // the header: Plural-Forms
        continue;
      }
      s.table.emplace(e.id, &e);
    }
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
  if (it == s.table.end() || it->second->forms.front().empty()) return english;
  return it->second->forms.front().c_str();
}

const char* trn(const char* singular, const char* plural, long long n) {
  State& s = GetState();
  const char* english = (n == 1 || n == -1) ? singular : plural;
  if (s.table.empty()) return english;
  auto it = s.table.find(std::string_view(singular));
  if (it == s.table.end()) return english;
  const auto& forms = it->second->forms;
  const std::size_t i = static_cast<std::size_t>(s.plural.Index(n));
  if (i >= forms.size() || forms[i].empty()) return english;
  return forms[i].c_str();
}

}  // namespace signpost::kiosk
