// CsvReader: RFC 4180 records read one at a time from a stream (a payload,
// or a ZIP member being inflated), with bounded memory.
//
// Quoted fields, doubled quotes, CRLF or LF line ends, newlines inside
// quotes, a UTF-8 byte order mark. One record may be at most
// CsvLimits::max_record_bytes and max_fields fields; beyond that, or when
// the data ends inside a quoted field (a cut download), reading stops and
// error() says why. Whether the final record was followed by a line end is
// kept, so a caller can tell a last row cut short from a file that simply
// has no final newline (compare its field count with the header's).
//
// Owned by the feed adapters. Thread safety: one reader per thread.
#pragma once

#include <cstdint>
#include <istream>
#include <memory>
#include <streambuf>
#include <string>
#include <string_view>
#include <vector>

namespace signpost::sync::feeds {

struct CsvLimits {
  std::size_t max_record_bytes = 1 << 20;  // one record, all its fields together
  std::size_t max_fields = 4000;           // fields in one record
};

class CsvReader {
 public:
  // Reads `in` (which must outlive the reader).
  explicit CsvReader(std::istream& in, CsvLimits limits = {});
  // Reads `data` (which must outlive the reader).
  explicit CsvReader(std::string_view data, CsvLimits limits = {});
  // A temporary string would be gone before the first Next(): refused at
  // compile time rather than read as freed memory.
  CsvReader(std::string&& data, CsvLimits limits = {}) = delete;
  explicit CsvReader(const char* data, CsvLimits limits = {})
      : CsvReader(std::string_view(data), limits) {}
  ~CsvReader();
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  // Reads the next record into `fields`; false at the end of the data or
  // when reading stopped on a problem (see error()). Blank lines between
  // records are skipped.
  bool Next(std::vector<std::string>& fields);
  // 1-based line number where the last record started.
  std::int64_t line() const { return record_line_; }
  // "" or why reading stopped early.
  const std::string& error() const { return error_; }
  // True when the last record returned ended at the end of the data with
  // no line end after it.
  bool last_record_unterminated() const { return unterminated_; }

 private:
  int Peek();
  int Get();

  std::unique_ptr<std::streambuf> owned_;  // for the string_view constructor
  std::streambuf* in_;
  CsvLimits limits_;
  std::int64_t line_ = 1;
  std::int64_t record_line_ = 0;
  bool started_ = false;
  bool unterminated_ = false;
  std::string error_;
};

}  // namespace signpost::sync::feeds
