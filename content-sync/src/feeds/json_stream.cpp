// JSON reading with limits (json_stream.h). Index:
//   [SECTION] The byte stream (UTF-8 repair, positions, a hard stop)
//   [SECTION] The SAX handler (records one at a time, depth, sizes)
//   [SECTION] Entry points
#include "feeds/json_stream.h"

#include <algorithm>
#include <cctype>
#include <istream>
#include <streambuf>

#include "feeds/feed_util.h"

namespace signpost::sync::feeds {

using nlohmann::json;

namespace {

// [SECTION] The byte stream ---------------------------------------------------------

// Reads the body through Payload::Stream() a chunk at a time, replaces
// ill-formed UTF-8 bytes with U+FDD0 (a sequence split across two chunks is
// carried over whole), counts the bytes handed out, and ends the stream at
// a movable stop offset (limit_hit() then says why the parser saw an end).
class BoundedUtf8Buf final : public std::streambuf {
 public:
  explicit BoundedUtf8Buf(std::istream& in) : in_(in), raw_(64 * 1024) {}

  // Bytes handed to the reader so far.
  std::int64_t position() const { return delivered_ + (gptr() - eback()); }
  // The stream ends (for the reader) at this offset; may be moved either way.
  void set_stop(std::int64_t at) { stop_ = at; }
  bool limit_hit() const { return limit_hit_; }
  // True once the whole body has been handed out (the reader saw its end).
  bool at_end() const { return done_ && pending_ >= out_.size(); }

 protected:
  int_type underflow() override {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    // What the reader consumed of the area it had.
    const std::ptrdiff_t used = egptr() - eback();
    delivered_ += used;
    pending_ += static_cast<std::size_t>(used);
    setg(nullptr, nullptr, nullptr);
    if (pending_ >= out_.size()) {
      out_.clear();
      pending_ = 0;
      Fill();
      if (out_.empty()) return traits_type::eof();
    }
    const std::int64_t allowed = stop_ - delivered_;
    if (allowed <= 0) {
      limit_hit_ = true;
      return traits_type::eof();
    }
    const std::size_t n = static_cast<std::size_t>(
        std::min<std::int64_t>(allowed, static_cast<std::int64_t>(out_.size() - pending_)));
    char* base = out_.data() + pending_;
    setg(base, base, base + n);
    return traits_type::to_int_type(*gptr());
  }

 private:
  // Appends the next chunk of the body (after repair) to out_.
  void Fill() {
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
  void Repair(std::string_view s, bool at_end) {
    const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    for (std::size_t i = 0; i < s.size();) {
      const unsigned char c = b(i);
      if (c < 0x80) {
        out_.push_back(static_cast<char>(c));
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

  std::istream& in_;
  std::vector<char> raw_;
  std::string carry_;        // an incomplete sequence from the previous chunk
  std::string out_;          // repaired bytes not yet handed out
  std::size_t pending_ = 0;  // out_[pending_..] has not been handed out
  std::int64_t delivered_ = 0;
  std::int64_t stop_ = INT64_MAX;
  bool done_ = false;
  bool limit_hit_ = false;
};

// [SECTION] The SAX handler --------------------------------------------------------

// Builds one record at a time. Depth 0 is outside everything; the records
// array (or, for a document, the top-level value) sits at records_depth_.
class RecordSax {
 public:
  using OnRecord = std::function<void(std::int64_t, const json&)>;

  RecordSax(BoundedUtf8Buf& buf, const JsonLimits& limits, const JsonRecordsSpec* spec,
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

  const std::string& error() const { return error_; }

  // --- nlohmann SAX interface ---
  bool null() { return Scalar(json(nullptr)); }
  bool boolean(bool v) { return Scalar(json(v)); }
  bool number_integer(json::number_integer_t v) { return Scalar(json(v)); }
  bool number_unsigned(json::number_unsigned_t v) { return Scalar(json(v)); }
  bool number_float(json::number_float_t v, const std::string&) { return Scalar(json(v)); }
  bool string(json::string_t& v) { return Scalar(json(std::move(v))); }
  bool binary(json::binary_t&) { return Fail("binary values are not JSON"); }

  bool start_object(std::size_t) { return Open(json::value_t::object); }
  bool start_array(std::size_t) { return Open(json::value_t::array); }
  bool end_object() { return Close(); }
  bool end_array() { return Close(); }

  bool key(json::string_t& k) {
    if (building()) {
      key_ = std::move(k);
    } else if (depth_ == 1) {
      top_key_ = std::move(k);
    }
    Rearm();
    return true;
  }

  bool parse_error(std::size_t position, const std::string& /*last_token*/,
                   const json::exception& ex) {
    if (!error_.empty()) return false;
    if (buf_.limit_hit()) {
      error_ = building() ? "record " + WithCommas(records_ + 1) + " is larger than " +
                                WithCommas(limits_.max_record_bytes) + " bytes"
                          : "a value outside the records is larger than " +
                                WithCommas(limits_.max_envelope_token) + " bytes";
    } else if (buf_.at_end() || std::string_view(ex.what()).find("unexpected end of input") !=
                                    std::string_view::npos) {
      error_ = "the JSON ends early at byte " + WithCommas(static_cast<std::int64_t>(position)) +
               ": a truncated download?";
    } else {
      error_ = "not valid JSON at byte " + WithCommas(static_cast<std::int64_t>(position));
    }
    return false;
  }

  std::int64_t records() const { return records_; }
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

  BoundedUtf8Buf& buf_;
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
  BoundedUtf8Buf buf(*in);
  std::istream stream(&buf);
  RecordSax sax(buf, limits, nullptr, nullptr, nullptr);
  const bool ok = json::sax_parse(stream, &sax);
  std::optional<json> doc = sax.TakeDocument();
  if (!ok || !doc) {
    *error = sax.error().empty() ? "the response was not valid JSON" : sax.error();
    return std::nullopt;
  }
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
  BoundedUtf8Buf buf(*in);
  std::istream stream(&buf);
  RecordSax sax(buf, limits, &spec, on_record, envelope);
  if (!json::sax_parse(stream, &sax)) {
    return Status::InvalidArgument(sax.error().empty() ? "the response was not valid JSON"
                                                       : sax.error());
  }
  return Status::Ok();
}

}  // namespace signpost::sync::feeds
