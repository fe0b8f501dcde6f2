// Link rules: which web addresses and phone numbers from feeds and packs
// may become a link or a QR code on the kiosk, where a child will follow
// them on their own phone.
//
// A web link must be http: or https:, name a plain host (letters, digits,
// dots and hyphens, an optional port) and carry no user-info
// ("https://www.gov.uk@evil.example/" names evil.example, not gov.uk), no
// spaces, control characters or backslashes. Anything else (javascript:,
// data:, file:, intent:, sms:, a bare "www.x") is refused. A phone number
// is digits, spaces and + ( ) - . only; the kiosk turns it into tel:.
//
// Applied in one place at import (catalogue/src/import.cpp: a refused link
// is dropped, the record kept, and the import report says so), and again by
// the kiosk before it draws a QR code, with LinkHost shown under it.
// Owner: security (issue 16). Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>

namespace signpost::catalogue {

inline constexpr std::size_t kMaxLinkBytes = 2048;

// "" when `url` is a web link the kiosk may show (an empty url is fine:
// there is none); otherwise why not, for people ("javascript: is not a web
// link").
std::string WebLinkProblem(std::string_view url);

// The host a web link leads to, lower case ("www.gov.uk"); "" when
// WebLinkProblem(url) is not "" or url is empty.
std::string LinkHost(std::string_view url);

// "" when `phone` may be offered as a tel: link (or is empty).
std::string PhoneLinkProblem(std::string_view phone);

// "tel:" followed by the phone number's + and digits ("tel:+441132345678"),
// or "" when PhoneLinkProblem(phone) is not "".
std::string TelLink(std::string_view phone);

}  // namespace signpost::catalogue
