// Status and Result<T>: how catalogue/ and content-sync/ report failure.
//
// Library code returns a Status (or a Result<T> holding a value or a Status)
// instead of throwing across module boundaries, in the manner of LevelDB's
// leveldb::Status. A Status carries a code a caller can branch on and a
// message written for the person who will read it (a technician or a log).
// Thread safety: plain values; safe to copy between threads.
#pragma once

#include <optional>
#include <string>
#include <utility>

namespace signpost {

class Status {
 public:
  enum class Code {
    kOk = 0,
    kNotFound,         // the thing asked for does not exist
    kInvalidArgument,  // bad input from a caller or a user (a flag, a record)
    kCorrupt,          // a file is damaged (not a database, fails integrity check)
    kIoError,          // the OS said no: permissions, read-only dir, disk full
    kTooNew,           // written by a newer Signpost: refused, left untouched
    kBusy,             // another process holds the lock longer than the timeout
    kHeldBack,         // a feed import was refused by a safety rule (e.g. 90% fewer records)
    kUnavailable,      // the network or an upstream is not reachable right now
    kInternal,         // a bug: should never happen
  };

  Status() = default;
  static Status Ok() { return Status(); }
  static Status NotFound(std::string m) { return Status(Code::kNotFound, std::move(m)); }
  static Status InvalidArgument(std::string m) {
    return Status(Code::kInvalidArgument, std::move(m));
  }
  static Status Corrupt(std::string m) { return Status(Code::kCorrupt, std::move(m)); }
  static Status IoError(std::string m) { return Status(Code::kIoError, std::move(m)); }
  static Status TooNew(std::string m) { return Status(Code::kTooNew, std::move(m)); }
  static Status Busy(std::string m) { return Status(Code::kBusy, std::move(m)); }
  static Status HeldBack(std::string m) { return Status(Code::kHeldBack, std::move(m)); }
  static Status Unavailable(std::string m) { return Status(Code::kUnavailable, std::move(m)); }
  static Status Internal(std::string m) { return Status(Code::kInternal, std::move(m)); }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  // "ok", or "<code name>: <message>".
  std::string ToString() const;
  static const char* CodeName(Code c);

 private:
  Status(Code c, std::string m) : code_(c), message_(std::move(m)) {}
  Code code_ = Code::kOk;
  std::string message_;
};

// A value or the Status that explains why there is none.
template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {}  // NOLINT: must not be ok()
  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() { return *value_; }
  const T& operator*() const { return *value_; }

 private:
  std::optional<T> value_;
  Status status_ = Status::Internal("empty Result");
};

}  // namespace signpost
