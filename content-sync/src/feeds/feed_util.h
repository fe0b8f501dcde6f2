// Helpers shared by the feed adapters: UTF-8 checks, JSON field readers that
// never throw, HTML text and entities, numbers read with saturation, small
// text utilities. Reading whole payloads lives beside this: JSON in
// json_stream.h (bounded DOM and one-record-at-a-time streaming), CSV in
// csv_reader.h.
//
// Internal to content-sync/src/feeds (not part of the FeedAdapter interface).
// Invalid UTF-8 policy (all adapters): a record with an invalid UTF-8 field
// is skipped and counted, never repaired. JSON payloads are scanned as they
// are read: each ill-formed byte is replaced by the noncharacter U+FDD0
// (which nlohmann::json accepts), and a record whose fields contain U+FDD0 is
// then skipped. Numbers from a feed are never cast without a range check
// (ClampInt). Pure functions and value types; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "feeds/feed_adapter.h"
#include "signpost/dates.h"
#include "signpost/model.h"

namespace signpost::sync::feeds {

// [SECTION] UTF-8 -------------------------------------------------------------

// UTF-8 of the marker that stands in for ill-formed bytes (U+FDD0).
inline constexpr std::string_view kBadUtf8Marker = "\xEF\xB7\x90";

bool IsValidUtf8(std::string_view s);
// A copy of `s` with every ill-formed byte replaced by kBadUtf8Marker, or
// nullopt when `s` is already valid (the common case: no copy).
std::optional<std::string> MarkInvalidUtf8(std::string_view s);

// [SECTION] JSON records ------------------------------------------------------

// Reads fields of one upstream record. Never throws: a missing or null field
// or one of another type reads as empty/nullopt. Strings containing the
// bad-UTF-8 marker set bad_utf8 (and bad_field) so the caller can skip.
class JsonReader {
 public:
  // String field; numbers are converted to their decimal text.
  std::string Str(const nlohmann::json& obj, std::string_view key);
  // Number field; numeric strings ("13500", "13,500") are accepted.
  std::optional<double> Num(const nlohmann::json& obj, std::string_view key);
  std::optional<bool> Bool(const nlohmann::json& obj, std::string_view key);
  // Child object or array, or nullptr.
  static const nlohmann::json* Child(const nlohmann::json& obj, std::string_view key);
  // Strings of an array field (objects in it contribute `object_key`).
  std::vector<std::string> StrList(const nlohmann::json& obj, std::string_view key,
                                   std::string_view object_key = {});
  // Checks a string that did not come through Str (e.g. a built one).
  void Check(std::string_view field, std::string_view value);

  bool bad_utf8 = false;
  std::string bad_field;  // first field with invalid UTF-8
};

// [SECTION] Text --------------------------------------------------------------

std::string_view Trim(std::string_view s);
std::string ToLower(std::string_view s);
bool ContainsNoCase(std::string_view haystack, std::string_view needle);
bool EqualsNoCase(std::string_view a, std::string_view b);
// Joins the non-empty parts with `sep`.
std::string JoinNonEmpty(const std::vector<std::string>& parts, std::string_view sep);
// Decodes every HTML character reference: the named ones of HTML5 ("&amp;",
// "&eacute;", "&ndash;"; with their ';'), decimal "&#233;" and hex
// "&#xD;&#x2013;". A reference to no character (0, a surrogate, beyond
// U+10FFFF) becomes U+FFFD; text that only looks like one ("AT&T", "&foo;")
// is kept as it is. CR LF and lone CR become "\n"; NBSP becomes a space.
std::string DecodeHtmlEntities(std::string_view text);
// HTML fragments (job profiles publish "<p>...</p>") to plain text: tags
// dropped, block ends become newlines, every character reference decoded
// (DecodeHtmlEntities), surrounding space trimmed. A '<' that does not open
// a tag ("age < 19") is kept.
std::string HtmlToText(std::string_view html);
// Percent-encodes a query component.
std::string UrlEncode(std::string_view s);
// Appends "k=v&..." to a URL with '?' or '&' as needed.
std::string AppendQuery(const std::string& url, const std::string& query);
// "key=value&key=value" (the FeedSettings::query convention) to pairs;
// values are taken literally (not percent-decoded).
std::vector<std::pair<std::string, std::string>> ParseQueryPairs(std::string_view q);
// Integer from text, or nullopt ("12", " 12 ").
std::optional<long long> ToInt(std::string_view s);
std::optional<double> ToDouble(std::string_view s);
// A number from a feed as an int in [lo, hi]: beyond the range it saturates
// at the nearer bound, NaN reads as `lo` (a cast of 1e10 to int is undefined
// behaviour; this never is).
int ClampInt(double v, int lo, int hi);
int ClampInt(long long v, int lo, int hi);
// 2310 -> "2,310".
std::string WithCommas(std::int64_t n);
// "£1,234.50" style money formatting: "£18,000".
std::string FormatPounds(double amount);
// "2 years", "18 months", "1 year 6 months", "36 weeks" -> months (0 if unknown).
int DurationMonthsFromText(std::string_view s);
// The last comma-separated part of an address when it is a plausible UK
// postcode (by catalogue::NormalisePostcode), else "".
std::string PostcodeFromAddress(std::string_view address);
// A catalogue provider id for a UKPRN ("ukprn:10001234"); "" when empty.
std::string ProviderIdForUkprn(std::string_view ukprn);

// Paging: adapters offer every next page the upstream has; the sync engine
// enforces FeedSettings::max_pages (going past it fails the sync and imports
// nothing, so a capped feed is never silently cut short).

}  // namespace signpost::sync::feeds
