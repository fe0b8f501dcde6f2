// Reading JSON from a feed with bounded memory: a whole small document as a
// DOM, or a large response one record at a time.
//
// Every JSON body an adapter reads goes through here, so the limits hold for
// all of them in one place: nesting deeper than JsonLimits::max_depth refuses
// the payload (no code ever recurses on the depth of feed data: the parser,
// rapidjson's, runs iteratively and the DOMs built here are at most that deep); one
// record (or a whole document) may be at most max_record_bytes; a response
// may hold at most max_records records. A body that ends early (a cut
// connection) is an error, never a shorter list. Ill-formed UTF-8 is
// replaced by U+FDD0 as it is read (feed_util.h's policy: the record that
// holds it is then skipped, not the feed).
//
// Streaming uses rapidjson's SAX reader over Payload::Stream() (nlohmann's
// lexer, before it, was a tenth of a national sync's CPU; this is 2%);
// only the current record is ever a DOM (an nlohmann::json, as the adapters
// read it), so a 78 MB standards array or 60 MB of "{}" costs one record's
// memory, not a DOM many times the body.
//
// Owned by the feed adapters (content-sync/src/feeds). Pure functions;
// thread-safe (each call uses its own stream).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "feeds/payload.h"
#include "signpost/status.h"

namespace signpost::sync::feeds {

struct JsonLimits {
  int max_depth = 64;                         // deeper nesting refuses the payload
  std::int64_t max_record_bytes = 4 << 20;    // one record, or a whole document
  std::int64_t max_records = 1'000'000;       // records in one response
  std::int64_t max_envelope_token = 1 << 20;  // one string/number outside the records
};

// A whole JSON document (a job profile, an Open Referral service, an LMI
// answer) as a DOM, within `limits` (the document counts as one record). On
// failure returns nullopt and sets *error to a sentence that says what the
// body looked like ("the response was empty", "an HTML page", "the JSON ends
// early at byte 812: a truncated download?", "nested deeper than 64 levels").
std::optional<nlohmann::json> ParseJsonDocument(const Payload& body, std::string* error,
                                                const JsonLimits& limits = {});
inline std::optional<nlohmann::json> ParseJsonDocument(std::string_view body, std::string* error,
                                                       const JsonLimits& limits = {}) {
  return ParseJsonDocument(Payload::Borrow(body), error, limits);
}

// Where a streamed response keeps its records.
struct JsonRecordsSpec {
  bool bare_array = false;        // the top-level value is the array of records
  std::vector<std::string> keys;  // else: the first of these top-level members
                                  // holding an array is the records array
};

// What a streamed response held besides its records.
struct JsonEnvelope {
  char top = 0;                                       // '{' or '[': the top-level value's kind
  nlohmann::json scalars = nlohmann::json::object();  // top-level scalar members (paging)
  bool found_records = false;                         // a records array was found
  std::string records_key;                            // its member name ("" for a bare array)
  std::int64_t records = 0;                           // records handed to on_record
};

// Streams `body`: each element of the records array (see `spec`) is parsed
// on its own, handed to `on_record` (its 0-based index, the record), and
// freed before the next. The envelope's scalar members are kept in
// `envelope`; other members (facets...) are skipped without being built.
// Returns non-ok when the body is not JSON, ends early, or breaks a limit;
// records already handed over must then be discarded by the caller (the
// sync engine abandons the import).
Status StreamJsonRecords(const Payload& body, const JsonRecordsSpec& spec,
                         const std::function<void(std::int64_t, const nlohmann::json&)>& on_record,
                         JsonEnvelope* envelope, const JsonLimits& limits = {});

// The first byte of the body that is not white space or a byte order mark
// ('{', '[', '<', ...), or 0 for an empty body; reads at most 4 KB.
char FirstJsonByte(const Payload& body);

}  // namespace signpost::sync::feeds
