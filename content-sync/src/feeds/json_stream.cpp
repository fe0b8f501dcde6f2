// JSON reading with limits (json_stream.h). Index:
//   [SECTION] The byte stream (UTF-8 repair, positions, a hard stop)
//   [SECTION] The SAX handler (records one at a time, depth, sizes)
//   [SECTION] Entry points
#include "feeds/json_stream.h"

#include <algorithm>
#include <cctype>
#include <istream>

#include <rapidjson/reader.h>

#include "feeds/feed_util.h"

namespace signpost::sync::feeds {

using nlohmann::json;

namespace {

// [SECTION] The byte stream ---------------------------------------------------------

// Reads the body through Payload::Stream() a chunk at a time, replaces
// ill-formed UTF-8 bytes with U+FDD0 (a sequence split across two chunks is
// carried over whole) and NUL bytes with U+0001 (so a NUL is bad JSON, never
// an early end), counts the bytes handed out, and ends the stream at a
// movable stop offset (limit_hit() then says why the parser saw an end).
// It is a rapidjson input stream: Peek() and Take() are a pointer compare
// in the common case; '\0' means "no more".
class BoundedUtf8Stream {
 public:
  using Ch = char;

  explicit BoundedUtf8Stream(std::istream& in) : in_(in), raw_(64 * 1024) {
    Fill();
    cur_ = out_.data();
    if (out_.compare(0, 3, "\xEF\xBB\xBF") == 0) cur_ += 3;  // a byte order mark
    Clamp();
  }

  // --- rapidjson's stream concept (read only: never parsed in place) ---
  Ch Peek() const { return cur_ < end_ ? *cur_ : Underflow(); }
  Ch Take() {
    const Ch c = Peek();
    if (cur_ < end_) ++cur_;
    return c;
  }
  std::size_t Tell() const { return static_cast<std::size_t>(position()); }
  Ch* PutBegin() { return nullptr; }
  void Put(Ch) {}
  void Flush() {}
  std::size_t PutEnd(Ch*) { return 0; }

  // Bytes handed to the reader so far.
  std::int64_t position() const { return base_ + (cur_ - out_.data()); }
  // The stream ends (for the reader) at this offset; may be moved either way.
  void set_stop(std::int64_t at) {
    stop_ = at;
    if (at > position()) limit_hit_ = false;
    Clamp();
  }
  bool limit_hit() const { return limit_hit_; }
  // True once the reader asked for a byte past the end of the body.
  bool at_end() const { return eof_; }

 private:
  // cur_ == end_: the end of this chunk, or the stop.
  Ch Underflow() const {
    if (cur_ == out_.data() + out_.size()) {  // the chunk has been read: the next
      base_ += static_cast<std::int64_t>(out_.size());
      out_.clear();
      Fill();
      cur_ = out_.data();
      Clamp();
      if (out_.empty()) {
        eof_ = true;
        return 0;
      }
    }
    if (cur_ < end_) return *cur_;
    limit_hit_ = true;
    return 0;
  }

  void Clamp() const {
    const std::int64_t at = cur_ - out_.data();
    const std::int64_t allowed = std::max<std::int64_t>(at, stop_ - base_);
    end_ = out_.data() + std::min<std::int64_t>(allowed, static_cast<std::int64_t>(out_.size()));
  }

  // Puts the next chunk of the body (after repair) in out_.
  void Fill() const {
    while (out_.empty() && !done_) {
      const std::size_t keep = carry_.size();
      std::copy(carry_.begin(), carry_.end(), raw_.begin());
      carry_.clear();
      in_.read(raw_.data() + keep, static_cast<std::streamsize>(raw_.size() - keep));
      const std::size_t got = keep + static_cast<std::size_t>(in_.gcount());
      done_ = in_.gcount() == 0;
      Repair(std::string_view(raw_.data(), got), done_);
    }
  }

  // Copies `s` to out_ with each ill-formed byte replaced; an incomplete
  // sequence at the end of a chunk (not the last) is kept for the next.
  void Repair(std::string_view s, bool at_end) const {
    const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    out_.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
      std::size_t run = i;  // plain ASCII goes over in one copy
      while (run < s.size() && b(run) < 0x80 && b(run) != 0) ++run;
      if (run > i) {
        out_.append(s.data() + i, run - i);
        i = run;
        continue;
      }
      const unsigned char c = b(i);
      if (c == 0) {
        out_.push_back('\x01');
        ++i;
        continue;
      }
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
      }
      bool ok = n > 0;
      std::size_t k = 1;
      for (; ok && k < n && i + k < s.size(); ++k) {
        const unsigned char t = b(i + k);
        ok = k == 1 ? (t >= lo && t <= hi) : (t >= 0x80 && t <= 0xBF);
      }
      if (ok && i + n > s.size()) {
        if (!at_end) {  // valid so far, cut by the chunk: finish it next time
          carry_.assign(s.substr(i));
          return;
        }
        ok = false;
      }
      if (ok) {
        out_.append(s.substr(i, n));
        i += n;
      } else {
        out_.append(kBadUtf8Marker);
        ++i;
      }
    }
  }

  // (mutable: rapidjson's Peek() is const, and refilling is how it peeks)
  std::istream& in_;
  mutable std::vector<char> raw_;
  mutable std::string carry_;  // an incomplete sequence from the previous chunk
  mutable std::string out_;    // the repaired chunk being read
  mutable const char* cur_ = nullptr;
  mutable const char* end_ = nullptr;  // the chunk's end, or the stop within it
  mutable std::int64_t base_ = 0;      // the offset of out_[0] in the body
  std::int64_t stop_ = INT64_MAX;
  mutable bool done_ = false;  // the body has been read to its end
  mutable bool eof_ = false;   // ... and the reader asked for more
  mutable bool limit_hit_ = false;
};

// [SECTION] The SAX handler --------------------------------------------------------

// A decoded string as UTF-8. The body was repaired before parsing, so only
// an escape can make it ill-formed: a low surrogate (DC00-DFFF) with no high
// one before it, which rapidjson writes as three bytes ED B0..BF xx. Each
// becomes U+FDD0, as an ill-formed byte would (the record is then skipped,
// not the feed).
std::string CheckedString(const char* p, std::size_t n) {
  std::string s(p, n);
  for (std::size_t i = s.find('\xED'); i != std::string::npos; i = s.find('\xED', i + 1)) {
    if (i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0xA0) {
      s.replace(i, 3, kBadUtf8Marker);
    }
  }
  return s;
}

// Builds one record at a time. Depth 0 is outside everything; the records
// array (or, for a document, the top-level value) sits at records_depth_.
class RecordSax {
 public:
  using OnRecord = std::function<void(std::int64_t, const json&)>;

  RecordSax(BoundedUtf8Stream& buf, const JsonLimits& limits, const JsonRecordsSpec* spec,
            OnRecord on_record, JsonEnvelope* envelope)
      : buf_(buf),
        limits_(limits),
        spec_(spec),
        on_record_(std::move(on_record)),
        envelope_(envelope) {
    if (spec_ == nullptr) {  // a document: the top-level value is the one record
      records_depth_ = 0;
      in_records_ = true;
    }
    Rearm();
  }

  // --- rapidjson's handler interface (numbers as nlohmann's parser types
  // them: non-negative integers unsigned, negative ones signed) ---
  bool Null() { return Scalar(json(nullptr)); }
  bool Bool(bool v) { return Scalar(json(v)); }
  bool Int(int v) { return Scalar(json(static_cast<json::number_integer_t>(v))); }
  bool Uint(unsigned v) { return Scalar(json(static_cast<json::number_unsigned_t>(v))); }
  bool Int64(std::int64_t v) { return Scalar(json(static_cast<json::number_integer_t>(v))); }
  bool Uint64(std::uint64_t v) { return Scalar(json(static_cast<json::number_unsigned_t>(v))); }
  bool Double(double v) { return Scalar(json(v)); }
  bool RawNumber(const char*, rapidjson::SizeType, bool) { return Fail("unexpected raw number"); }
  bool String(const char* v, rapidjson::SizeType n, bool) {
    return Scalar(json(CheckedString(v, n)));
  }

  bool StartObject() { return Open(json::value_t::object); }
  bool StartArray() { return Open(json::value_t::array); }
  bool EndObject(rapidjson::SizeType) { return Close(); }
  bool EndArray(rapidjson::SizeType) { return Close(); }

  bool Key(const char* k, rapidjson::SizeType n, bool) {
    if (building()) {
      key_ = CheckedString(k, n);
    } else if (depth_ == 1) {
      top_key_ = CheckedString(k, n);
    }
    Rearm();
    return true;
  }

  // The sentence for a parse that stopped at byte `position`.
  std::string Describe(std::size_t position) const {
    if (!error_.empty()) return error_;  // the handler stopped it
    if (buf_.limit_hit()) {
      return building() ? "record " + WithCommas(records_ + 1) + " is larger than " +
                              WithCommas(limits_.max_record_bytes) + " bytes"
                        : "a value outside the records is larger than " +
                              WithCommas(limits_.max_envelope_token) + " bytes";
    }
    if (buf_.at_end()) {
      return "the JSON ends early at byte " + WithCommas(static_cast<std::int64_t>(position)) +
             ": a truncated download?";
    }
    return "not valid JSON at byte " + WithCommas(static_cast<std::int64_t>(position));
  }

  std::optional<json> TakeDocument() { return std::move(document_); }

 private:
  bool building() const { return !stack_.empty(); }

  bool Fail(std::string why) {
    if (error_.empty()) error_ = std::move(why);
    return false;
  }

  // Where the stream may go before the next event: a record may grow to
  // max_record_bytes; anything else is one token at a time.
  void Rearm() {
    buf_.set_stop(building() ? record_start_ + limits_.max_record_bytes
                             : buf_.position() + limits_.max_envelope_token);
  }

  bool Open(json::value_t type) {
    if (++depth_ > limits_.max_depth) {
      return Fail("nested deeper than " + std::to_string(limits_.max_depth) + " levels");
    }
    if (building()) {
      stack_.push_back(Insert(json(type)));
    } else if (depth_ == records_depth_ + 1 && in_records_) {
      record_start_ = buf_.position() - 1;
      record_ = json(type);
      stack_.push_back(&record_);
    } else if (depth_ == 1) {
      const char top = type == json::value_t::array ? '[' : '{';
      if (envelope_) envelope_->top = top;
      if (top == '[' && spec_->bare_array) {
        StartRecords(1, "");
      }
    } else if (depth_ == 2 && type == json::value_t::array && !found_records_ &&
               envelope_ != nullptr && envelope_->top == '{' &&
               std::find(spec_->keys.begin(), spec_->keys.end(), top_key_) != spec_->keys.end()) {
      StartRecords(2, top_key_);
    }
    Rearm();
    return true;
  }

  void StartRecords(int depth, const std::string& key) {
    records_depth_ = depth;
    in_records_ = true;
    found_records_ = true;
    if (envelope_) {
      envelope_->found_records = true;
      envelope_->records_key = key;
    }
  }

  bool Close() {
    if (building()) {
      stack_.pop_back();
      if (stack_.empty() && !Emit()) return false;
    } else if (in_records_ && depth_ == records_depth_) {
      in_records_ = false;  // the records array is over
    }
    --depth_;
    Rearm();
    return true;
  }

  bool Scalar(json v) {
    if (building()) {
      Insert(std::move(v));
    } else if (in_records_ && depth_ == records_depth_) {  // [1, "x"] or a scalar document
      record_ = std::move(v);
      if (!Emit()) return false;
    } else if (depth_ == 1 && envelope_ != nullptr && envelope_->top == '{') {
      envelope_->scalars[top_key_] = std::move(v);
    }
    Rearm();
    return true;
  }

  json* Insert(json v) {
    json& parent = *stack_.back();
    if (parent.is_array()) {
      parent.push_back(std::move(v));
      return &parent.back();
    }
    json& slot = parent[key_];
    slot = std::move(v);
    return &slot;
  }

  bool Emit() {
    if (records_depth_ == 0) {
      document_ = std::move(record_);
      record_ = json();
      in_records_ = false;
      return true;
    }
    if (records_ >= limits_.max_records) {
      return Fail("more than " + WithCommas(limits_.max_records) + " records in one response");
    }
    on_record_(records_, record_);
    ++records_;
    if (envelope_) envelope_->records = records_;
    record_ = json();
    return true;
  }

  BoundedUtf8Stream& buf_;
  const JsonLimits& limits_;
  const JsonRecordsSpec* spec_;  // nullptr: a whole document
  OnRecord on_record_;
  JsonEnvelope* envelope_;

  int depth_ = 0;
  int records_depth_ = -1;  // depth of the records array; 0 for a document
  bool in_records_ = false;
  bool found_records_ = false;
  std::string top_key_;            // the last key of the top-level object
  std::string key_;                // the last key inside the record
  std::vector<json*> stack_;       // open containers of the record being built
  json record_;                    // the record being built
  std::int64_t record_start_ = 0;  // its first byte
  std::int64_t records_ = 0;       // records emitted
  std::optional<json> document_;   // ParseJsonDocument's result
  std::string error_;
};

// Parses the whole stream into `sax`; "" or why not. Iterative: rapidjson's
// own stack, not the call stack, holds the nesting (RecordSax stops it at
// max_depth). Full precision: numbers read as strtod reads them.
std::string Parse(BoundedUtf8Stream& stream, RecordSax& sax) {
  rapidjson::Reader reader;
  const rapidjson::ParseResult r =
      reader.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseFullPrecisionFlag>(stream,
                                                                                        sax);
  return r.IsError() ? sax.Describe(r.Offset()) : std::string();
}

// Why a body cannot be JSON at all, judged from its first bytes; "" when it may be.
std::string NotJsonReason(const Payload& body) {
  const char first = FirstJsonByte(body);
  if (first == 0) return "the response was empty";
  if (first == '<') {
    std::string head(512, '\0');
    head.resize(body.ReadAt(0, head.data(), head.size()));
    return ContainsNoCase(head, "<html") || ContainsNoCase(head, "<!doctype")
               ? "the response was an HTML page, not JSON (a login or error page?)"
               : "the response was XML/HTML, not JSON";
  }
  return "";
}

}  // namespace

// [SECTION] Entry points ------------------------------------------------------------

char FirstJsonByte(const Payload& body) {
  char head[4096];
  const std::size_t n = body.ReadAt(0, head, sizeof head);
  std::string_view h(head, n);
  if (h.substr(0, 3) == "\xEF\xBB\xBF") h.remove_prefix(3);
  for (char c : h) {
    if (!std::isspace(static_cast<unsigned char>(c))) return c;
  }
  return 0;
}

std::optional<json> ParseJsonDocument(const Payload& body, std::string* error,
                                      const JsonLimits& limits) {
  if (std::string why = NotJsonReason(body); !why.empty()) {
    *error = why;
    return std::nullopt;
  }
  std::unique_ptr<std::istream> in = body.Stream();
  BoundedUtf8Stream stream(*in);
  RecordSax sax(stream, limits, nullptr, nullptr, nullptr);
  if (std::string why = Parse(stream, sax); !why.empty()) {
    *error = std::move(why);
    return std::nullopt;
  }
  std::optional<json> doc = sax.TakeDocument();
  if (!doc) *error = "the response was not valid JSON";
  return doc;
}

Status StreamJsonRecords(const Payload& body, const JsonRecordsSpec& spec,
                         const std::function<void(std::int64_t, const json&)>& on_record,
                         JsonEnvelope* envelope, const JsonLimits& limits) {
  if (std::string why = NotJsonReason(body); !why.empty()) return Status::InvalidArgument(why);
  JsonEnvelope local;
  if (envelope == nullptr) envelope = &local;
  *envelope = JsonEnvelope{};
  std::unique_ptr<std::istream> in = body.Stream();
  BoundedUtf8Stream stream(*in);
  RecordSax sax(stream, limits, &spec, on_record, envelope);
  if (std::string why = Parse(stream, sax); !why.empty()) return Status::InvalidArgument(why);
  return Status::Ok();
}

}  // namespace signpost::sync::feeds
