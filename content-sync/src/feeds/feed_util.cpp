#include "feeds/feed_util.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iterator>

namespace signpost::sync::feeds {

using nlohmann::json;

// [SECTION] UTF-8 -------------------------------------------------------------

namespace {

// Length of the well-formed UTF-8 sequence at s[i], or 0 when ill-formed.
std::size_t Utf8SeqLen(std::string_view s, std::size_t i) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  if (c < 0x80) return 1;
  std::size_t n = 0;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  if (b(i + 1) < lo || b(i + 1) > hi) return 0;
  for (std::size_t k = 2; k < n; ++k) {
    if (b(i + k) < 0x80 || b(i + k) > 0xBF) return 0;
  }
  return n;
}

}  // namespace

bool IsValidUtf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = Utf8SeqLen(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

std::optional<std::string> MarkInvalidUtf8(std::string_view s) {
  if (IsValidUtf8(s)) return std::nullopt;
  std::string out;
  out.reserve(s.size() + 16);
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = Utf8SeqLen(s, i);
    if (n == 0) {
      out.append(kBadUtf8Marker);
      ++i;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  return out;
}

// [SECTION] JSON records ------------------------------------------------------

namespace {
const json* Find(const json& obj, std::string_view key) {
  if (!obj.is_object()) return nullptr;
  auto it = obj.find(std::string(key));
  if (it == obj.end() || it->is_null()) return nullptr;
  return &*it;
}

std::string NumberText(const json& v) {
  if (v.is_number_integer()) return std::to_string(v.get<long long>());
  if (v.is_number_unsigned()) return std::to_string(v.get<unsigned long long>());
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.10g", v.get<double>());
  return buf;
}
}  // namespace

std::string JsonReader::Str(const json& obj, std::string_view key) {
  const json* v = Find(obj, key);
  if (!v) return {};
  if (v->is_string()) {
    std::string s = v->get<std::string>();
    Check(key, s);
    return s;
  }
  if (v->is_number()) return NumberText(*v);
  if (v->is_boolean()) return v->get<bool>() ? "true" : "false";
  return {};
}

std::optional<double> JsonReader::Num(const json& obj, std::string_view key) {
  const json* v = Find(obj, key);
  if (!v) return std::nullopt;
  if (v->is_number()) {
    double d = v->get<double>();
    if (!std::isfinite(d)) return std::nullopt;
    return d;
  }
  if (v->is_string()) {
    std::string s;
    for (char c : v->get_ref<const std::string&>()) {
      if (c != ',' && c != '\xC2' && c != '\xA3') s.push_back(c);  // "£13,500"
    }
    return ToDouble(s);
  }
  return std::nullopt;
}

std::optional<bool> JsonReader::Bool(const json& obj, std::string_view key) {
  const json* v = Find(obj, key);
  if (!v) return std::nullopt;
  if (v->is_boolean()) return v->get<bool>();
  if (v->is_string()) {
    const std::string& s = v->get_ref<const std::string&>();
    if (EqualsNoCase(s, "true")) return true;
    if (EqualsNoCase(s, "false")) return false;
  }
  if (v->is_number_integer()) return v->get<long long>() != 0;
  return std::nullopt;
}

const json* JsonReader::Child(const json& obj, std::string_view key) {
  const json* v = Find(obj, key);
  if (!v || !(v->is_object() || v->is_array())) return nullptr;
  return v;
}

std::vector<std::string> JsonReader::StrList(const json& obj, std::string_view key,
                                             std::string_view object_key) {
  std::vector<std::string> out;
  const json* v = Find(obj, key);
  if (!v) return out;
  if (v->is_string()) {
    std::string s = v->get<std::string>();
    Check(key, s);
    if (!s.empty()) out.push_back(std::move(s));
    return out;
  }
  if (!v->is_array()) return out;
  for (const json& item : *v) {
    std::string s;
    if (item.is_string()) {
      s = item.get<std::string>();
    } else if (item.is_object() && !object_key.empty()) {
      s = Str(item, object_key);
    }
    Check(key, s);
    if (!s.empty()) out.push_back(std::move(s));
  }
  return out;
}

void JsonReader::Check(std::string_view field, std::string_view value) {
  if (value.find(kBadUtf8Marker) != std::string_view::npos || !IsValidUtf8(value)) {
    if (!bad_utf8) bad_field = std::string(field);
    bad_utf8 = true;
  }
}

// [SECTION] Text --------------------------------------------------------------

std::string_view Trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool ContainsNoCase(std::string_view haystack, std::string_view needle) {
  return ToLower(haystack).find(ToLower(needle)) != std::string::npos;
}

bool EqualsNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}

std::string JoinNonEmpty(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (const std::string& p : parts) {
    std::string_view t = Trim(p);
    if (t.empty()) continue;
    if (!out.empty()) out.append(sep);
    out.append(t);
  }
  return out;
}

namespace {

struct NamedEntity {
  std::string_view name;  // without '&' and ';'
  std::string_view text;  // UTF-8
};
constexpr NamedEntity kNamedEntities[] = {
#include "feeds/html_entities.inc"
};

void AppendUtf8(std::string& out, std::uint32_t cp) {
  if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// The reference starting at text[i] == '&': appends its text and returns how
// many bytes it used, or 0 when it is not a character reference.
std::size_t DecodeReference(std::string_view text, std::size_t i, std::string& out) {
  // Looks no further than a reference can reach: "&&&..." without a ';'
  // must not cost a scan to the end of the text per '&'.
  const std::size_t semi = text.substr(0, i + 41).find(';', i + 1);
  if (semi == std::string_view::npos) return 0;  // longest name is 32
  const std::string_view body = text.substr(i + 1, semi - i - 1);
  if (body.empty()) return 0;
  if (body.front() == '#') {
    const bool hex = body.size() > 1 && (body[1] == 'x' || body[1] == 'X');
    const std::string_view digits = body.substr(hex ? 2 : 1);
    if (digits.empty() || digits.size() > 8) return 0;
    std::uint32_t cp = 0;
    for (char c : digits) {
      int d;
      if (c >= '0' && c <= '9') {
        d = c - '0';
      } else if (hex && c >= 'a' && c <= 'f') {
        d = c - 'a' + 10;
      } else if (hex && c >= 'A' && c <= 'F') {
        d = c - 'A' + 10;
      } else {
        return 0;
      }
      cp = cp * (hex ? 16u : 10u) + static_cast<std::uint32_t>(d);
      if (cp > 0x10FFFF) cp = 0x110000;  // stays out of range, never overflows
    }
    AppendUtf8(out, cp);
    return semi - i + 1;
  }
  const auto* end = std::end(kNamedEntities);
  const auto* it =
      std::lower_bound(std::begin(kNamedEntities), end, body,
                       [](const NamedEntity& e, std::string_view name) { return e.name < name; });
  if (it == end || it->name != body) return 0;
  out.append(it->text);
  return semi - i + 1;
}

bool OpensTag(std::string_view html, std::size_t i) {
  if (i + 1 >= html.size()) return false;
  const auto c = static_cast<unsigned char>(html[i + 1]);
  return std::isalpha(c) || c == '/' || c == '!' || c == '?';
}

}  // namespace

std::string DecodeHtmlEntities(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t amp = std::min(text.find('&', i), text.size());
    out.append(text.data() + i, amp - i);  // the plain run, copied at once
    i = amp;
    if (i == text.size()) break;
    const std::size_t used = DecodeReference(text, i, out);
    if (used > 0) {
      i += used;
    } else {
      out.push_back('&');
      ++i;
    }
  }
  // Line ends and no-break spaces, whether written literally or as references.
  if (out.find_first_of("\r\xC2") == std::string::npos) return out;
  std::string clean;
  clean.reserve(out.size());
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (out[i] == '\r') {
      clean.push_back('\n');
      if (i + 1 < out.size() && out[i + 1] == '\n') ++i;
    } else if (out[i] == '\xC2' && i + 1 < out.size() && out[i + 1] == '\xA0') {
      clean.push_back(' ');
      ++i;
    } else {
      clean.push_back(out[i]);
    }
  }
  return clean;
}

std::string HtmlToText(std::string_view html) {
  std::string out;
  out.reserve(html.size());
  for (std::size_t i = 0; i < html.size();) {
    const std::size_t lt = std::min(html.find('<', i), html.size());
    out.append(html.data() + i, lt - i);  // the plain run, copied at once
    i = lt;
    if (i == html.size()) break;
    if (OpensTag(html, i)) {
      const std::size_t close = html.find('>', i);
      if (close == std::string_view::npos) break;  // a cut-off tag ends the text
      std::string tag = ToLower(html.substr(i + 1, std::min<std::size_t>(close - i - 1, 8)));
      while (!tag.empty() &&
             (tag.back() == '/' || std::isspace(static_cast<unsigned char>(tag.back()))))
        tag.pop_back();
      const std::string name = tag.substr(0, tag.find_first_of(" \t\r\n"));
      if (name == "/p" || name == "br" || name == "/li" || name == "/h1" || name == "/h2" ||
          name == "/h3" || name == "/h4" || name == "/div" || name == "/ul" || name == "/ol" ||
          name == "/tr") {
        if (!out.empty() && out.back() != '\n') out.push_back('\n');
      }
      i = close + 1;
    } else {
      out.push_back('<');
      ++i;
    }
  }
  return std::string(Trim(DecodeHtmlEntities(out)));
}

std::string UrlEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

std::string AppendQuery(const std::string& url, const std::string& query) {
  if (query.empty()) return url;
  char sep = url.find('?') == std::string::npos ? '?' : '&';
  if (!url.empty() && (url.back() == '?' || url.back() == '&')) return url + query;
  return url + sep + query;
}

std::vector<std::pair<std::string, std::string>> ParseQueryPairs(std::string_view q) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!q.empty()) {
    std::size_t amp = q.find('&');
    std::string_view part = q.substr(0, amp);
    q = amp == std::string_view::npos ? std::string_view() : q.substr(amp + 1);
    part = Trim(part);
    if (part.empty()) continue;
    std::size_t eq = part.find('=');
    if (eq == std::string_view::npos) {
      out.emplace_back(std::string(part), std::string());
    } else {
      out.emplace_back(std::string(Trim(part.substr(0, eq))),
                       std::string(Trim(part.substr(eq + 1))));
    }
  }
  return out;
}

std::optional<long long> ToInt(std::string_view s) {
  s = Trim(s);
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  long long v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

std::optional<double> ToDouble(std::string_view s) {
  s = Trim(s);
  if (s.empty() || s.size() > 64) return std::nullopt;
  std::string tmp(s);
  char* end = nullptr;
  double v = std::strtod(tmp.c_str(), &end);
  if (end != tmp.c_str() + tmp.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

int ClampInt(double v, int lo, int hi) {
  if (std::isnan(v)) return lo;
  if (v <= static_cast<double>(lo)) return lo;
  if (v >= static_cast<double>(hi)) return hi;
  return static_cast<int>(v);
}

int ClampInt(long long v, int lo, int hi) {
  if (v <= lo) return lo;
  if (v >= hi) return hi;
  return static_cast<int>(v);
}

std::string WithCommas(std::int64_t n) {
  const bool negative = n < 0;
  std::string digits = std::to_string(n), out;
  if (negative) digits.erase(0, 1);
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return negative ? "-" + out : out;
}

std::string FormatPounds(double amount) {
  if (!std::isfinite(amount) || amount < 0 || amount > 1e12) return {};
  long long whole = std::llround(amount);
  std::string digits = std::to_string(whole);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return "\xC2\xA3" + out;
}

int DurationMonthsFromText(std::string_view s) {
  std::string t = ToLower(s);
  double months = 0;
  bool any = false;
  std::size_t i = 0;
  while (i < t.size()) {
    if (!std::isdigit(static_cast<unsigned char>(t[i]))) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < t.size() && (std::isdigit(static_cast<unsigned char>(t[j])) || t[j] == '.')) ++j;
    std::optional<double> n = ToDouble(std::string_view(t).substr(i, j - i));
    while (j < t.size() && t[j] == ' ') ++j;
    std::string_view unit = std::string_view(t).substr(j);
    if (n) {
      if (unit.rfind("year", 0) == 0) {
        months += *n * 12, any = true;
      } else if (unit.rfind("month", 0) == 0) {
        months += *n, any = true;
      } else if (unit.rfind("week", 0) == 0) {
        months += *n * 12.0 / 52.0, any = true;
      } else if (unit.rfind("day", 0) == 0) {
        months += *n / 30.0, any = true;
      }
    }
    i = j;
  }
  if (!any || months <= 0 || months > 1200) return 0;
  int m = static_cast<int>(std::lround(months));
  return m < 1 ? 1 : m;
}

std::string PostcodeFromAddress(std::string_view address) {
  std::size_t comma = address.rfind(',');
  std::string_view last =
      Trim(comma == std::string_view::npos ? address : address.substr(comma + 1));
  if (last.size() < 5 || last.size() > 9) return {};
  if (catalogue::NormalisePostcode(last).empty()) return {};
  return std::string(last);
}

std::string ProviderIdForUkprn(std::string_view ukprn) {
  ukprn = Trim(ukprn);
  if (ukprn.empty() || ukprn == "0") return {};
  return "ukprn:" + std::string(ukprn);
}

}  // namespace signpost::sync::feeds
