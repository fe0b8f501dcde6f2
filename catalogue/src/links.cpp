#include "signpost/links.h"

#include <cctype>

namespace signpost::catalogue {
namespace {

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  }
  return true;
}

struct Parsed {
  std::string problem;
  std::string host;
};

Parsed Parse(std::string_view url) {
  Parsed p;
  if (url.size() > kMaxLinkBytes) {
    p.problem = "the link is too long";
    return p;
  }
  for (char c : url) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f) {
      p.problem = "the link has spaces or control characters in it";
      return p;
    }
    if (c == '\\') {
      p.problem = "the link has a backslash in it";
      return p;
    }
  }
  std::size_t rest = 0;
  if (StartsWithNoCase(url, "https://")) {
    rest = 8;
  } else if (StartsWithNoCase(url, "http://")) {
    rest = 7;
  } else {
    const std::size_t colon = url.find(':');
    p.problem =
        colon != std::string_view::npos && colon < 20
            ? std::string(url.substr(0, colon + 1)) + " is not a web link (only https: and http:)"
            : "the link does not start with https:// or http://";
    return p;
  }
  const std::string_view after = url.substr(rest);
  const std::string_view authority = after.substr(0, after.find_first_of("/?#"));
  if (authority.find('@') != std::string_view::npos) {
    p.problem = "the link hides where it goes behind a user name (@)";
    return p;
  }
  std::string_view host = authority;
  if (const std::size_t colon = host.rfind(':'); colon != std::string_view::npos) {
    const std::string_view port = host.substr(colon + 1);
    if (port.empty() || port.size() > 5 ||
        port.find_first_not_of("0123456789") != std::string_view::npos) {
      p.problem = "the link's port is not a number";
      return p;
    }
    host = host.substr(0, colon);
  }
  if (host.empty() || host.size() > 253 || host.front() == '.' || host.front() == '-' ||
      host.find("..") != std::string_view::npos) {
    p.problem = "the link has no proper host name";
    return p;
  }
  for (char c : host) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-') {
      p.problem = "the link's host name has characters a host name cannot have";
      return p;
    }
  }
  p.host.reserve(host.size());
  for (char c : host)
    p.host.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  if (p.host.back() == '.') p.host.pop_back();
  return p;
}

}  // namespace

std::string WebLinkProblem(std::string_view url) {
  if (url.empty()) return "";
  return Parse(url).problem;
}

std::string LinkHost(std::string_view url) {
  if (url.empty()) return "";
  Parsed p = Parse(url);
  return p.problem.empty() ? p.host : "";
}

std::string PhoneLinkProblem(std::string_view phone) {
  if (phone.empty()) return "";
  if (phone.size() > 40) return "the phone number is too long";
  int digits = 0;
  for (std::size_t i = 0; i < phone.size(); ++i) {
    const char c = phone[i];
    if (c >= '0' && c <= '9') {
      ++digits;
    } else if (c == '+' && digits == 0) {
    } else if (c != ' ' && c != '(' && c != ')' && c != '-' && c != '.') {
      return "the phone number has characters a phone number cannot have";
    }
  }
  if (digits < 3 || digits > 15) return "the phone number has too few or too many digits";
  return "";
}

std::string TelLink(std::string_view phone) {
  if (phone.empty() || !PhoneLinkProblem(phone).empty()) return "";
  std::string out = "tel:";
  for (char c : phone) {
    if ((c >= '0' && c <= '9') || c == '+') out.push_back(c);
  }
  return out;
}

}  // namespace signpost::catalogue
