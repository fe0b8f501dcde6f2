// CsvReader (csv_reader.h).
#include "feeds/csv_reader.h"

namespace signpost::sync::feeds {

namespace {

// A read-only streambuf over memory (no copy).
class ViewBuf final : public std::streambuf {
 public:
  explicit ViewBuf(std::string_view s) {
    char* p = const_cast<char*>(s.data());
    setg(p, p, p + s.size());
  }
};

constexpr int kEof = std::char_traits<char>::eof();

}  // namespace

CsvReader::CsvReader(std::istream& in, CsvLimits limits) : in_(in.rdbuf()), limits_(limits) {}

CsvReader::CsvReader(std::string_view data, CsvLimits limits)
    : owned_(std::make_unique<ViewBuf>(data)), in_(owned_.get()), limits_(limits) {}

CsvReader::~CsvReader() = default;

int CsvReader::Peek() { return in_ ? in_->sgetc() : kEof; }
int CsvReader::Get() { return in_ ? in_->sbumpc() : kEof; }

bool CsvReader::Next(std::vector<std::string>& fields) {
  fields.clear();
  if (!error_.empty()) return false;
  if (!started_) {
    started_ = true;
    // A byte order mark.
    static constexpr int kBom[] = {0xEF, 0xBB, 0xBF};
    for (int i = 0; i < 3 && Peek() == kBom[i]; ++i) Get();
  }
  // Blank lines between records.
  for (int c = Peek(); c == '\n' || c == '\r'; c = Peek()) {
    if (Get() == '\n') ++line_;
  }
  if (Peek() == kEof) return false;
  record_line_ = line_;
  std::size_t bytes = 0;
  std::string field;
  bool in_quotes = false, was_quoted = false, at_field_start = true;
  for (;;) {
    const int c = Get();
    if (c == kEof) {
      if (in_quotes) {
        error_ = "the data ends inside a quoted field at line " + std::to_string(record_line_) +
                 " (a truncated download?)";
        fields.clear();
        return false;
      }
      unterminated_ = true;
      break;
    }
    if (++bytes > limits_.max_record_bytes) {
      error_ = "the record at line " + std::to_string(record_line_) + " is longer than " +
               std::to_string(limits_.max_record_bytes) + " bytes";
      fields.clear();
      return false;
    }
    const char ch = static_cast<char>(c);
    if (in_quotes) {
      if (ch == '"') {
        if (Peek() == '"') {
          Get();
          field.push_back('"');
        } else {
          in_quotes = false;
        }
        continue;
      }
      if (ch == '\n') ++line_;
      field.push_back(ch);
      continue;
    }
    if (ch == '"' && !was_quoted && at_field_start) {
      field.clear();
      in_quotes = true;
      was_quoted = true;
      continue;
    }
    if (ch == ',') {
      if (fields.size() + 1 >= limits_.max_fields) {
        error_ = "the record at line " + std::to_string(record_line_) + " has more than " +
                 std::to_string(limits_.max_fields) + " fields";
        fields.clear();
        return false;
      }
      fields.push_back(std::move(field));
      field.clear();
      was_quoted = false;
      at_field_start = true;
      continue;
    }
    if (ch == '\r' || ch == '\n') {
      if (ch == '\r' && Peek() == '\n') Get();
      ++line_;
      unterminated_ = false;
      break;
    }
    if (ch != ' ' && ch != '\t') at_field_start = false;
    field.push_back(ch);
  }
  fields.push_back(std::move(field));
  return true;
}

}  // namespace signpost::sync::feeds
