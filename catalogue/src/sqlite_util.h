// Thin RAII helpers over the SQLite C API, private to catalogue/.
//
// These throw SqliteError internally; every public Catalogue/SearchEngine
// entry point catches it and turns it into a signpost::Status, so no
// exception leaves the library. Not thread-safe (one connection per thread).
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "signpost/status.h"

namespace signpost::catalogue::internal {

class SqliteError : public std::runtime_error {
 public:
  SqliteError(int code, const std::string& what) : std::runtime_error(what), code_(code) {}
  int code() const { return code_; }

 private:
  int code_;
};

// Maps an SQLite result code to a Status a technician can act on.
Status StatusFromSqlite(int code, const std::string& what);
// Catches SqliteError / std::exception from `fn` and returns a Status.
template <typename Fn>
Status Guard(const std::string& what, Fn&& fn) {
  try {
    fn();
    return Status::Ok();
  } catch (const SqliteError& e) {
    return StatusFromSqlite(e.code(), what + ": " + e.what());
  } catch (const std::bad_alloc&) {
    return Status::Internal(what + ": out of memory");
  } catch (const std::exception& e) {
    return Status::Internal(what + ": " + e.what());
  }
}

void Exec(sqlite3* db, const char* sql);

class Stmt {
 public:
  Stmt(sqlite3* db, std::string_view sql);
  ~Stmt();
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  Stmt& Bind(int i, std::int64_t v);
  Stmt& Bind(int i, int v) { return Bind(i, static_cast<std::int64_t>(v)); }
  Stmt& Bind(int i, double v);
  Stmt& Bind(int i, std::string_view v);  // copies (SQLITE_TRANSIENT)
  Stmt& Bind(int i, const std::string& v) { return Bind(i, std::string_view(v)); }
  Stmt& Bind(int i, const char* v) { return Bind(i, std::string_view(v)); }
  Stmt& BindBlob(int i, const void* data, int n);
  Stmt& BindNull(int i);
  // Binds the text, or NULL when empty.
  Stmt& BindTextOrNull(int i, std::string_view v);
  // From now on every text this statement binds goes through
  // StripControlCharacters (model.h): imports set it on their staging
  // statements, so every text field of every feed is cleaned in one place.
  Stmt& StripControlsFromText() {
    strip_controls_ = true;
    return *this;
  }

  bool Step();  // true: a row is ready; false: done
  void Run() {  // step to completion, for statements with no rows
    while (Step()) {
    }
  }
  void Reset();  // reset and clear bindings

  bool IsNull(int col) const;
  std::int64_t Int(int col) const;
  double Double(int col) const;
  std::string Text(int col) const;
  std::string_view TextView(int col) const;  // valid until the next Step/Reset
  std::string_view BlobView(int col) const;
  std::optional<double> OptDouble(int col) const;

  sqlite3_stmt* get() { return stmt_; }

 private:
  bool strip_controls_ = false;
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

// Resets a long-lived prepared statement when leaving a scope. A statement
// left mid-way (a row read, or a loop broken early) keeps its read
// transaction open, pinning the connection to an old snapshot.
class ResetOnExit {
 public:
  explicit ResetOnExit(Stmt& s) : s_(s) {}
  ~ResetOnExit() { sqlite3_reset(s_.get()); }
  ResetOnExit(const ResetOnExit&) = delete;
  ResetOnExit& operator=(const ResetOnExit&) = delete;

 private:
  Stmt& s_;
};

// One read transaction over a scope, when the connection holds none: every
// statement inside reads the same version of the catalogue, and a search's
// dozen statements take the WAL read lock once instead of each in turn.
class ReadTransaction {
 public:
  // Never throws: if BEGIN fails, each statement reads on its own as usual.
  explicit ReadTransaction(sqlite3* db)
      : db_(db),
        own_(sqlite3_get_autocommit(db) != 0 &&
             sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr) == SQLITE_OK) {}
  ~ReadTransaction() {
    if (own_) sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr);
  }
  ReadTransaction(const ReadTransaction&) = delete;
  ReadTransaction& operator=(const ReadTransaction&) = delete;

 private:
  sqlite3* db_;
  bool own_;
};

// BEGIN IMMEDIATE ... COMMIT, rolled back if not committed.
class Transaction {
 public:
  explicit Transaction(sqlite3* db, bool immediate = true);
  ~Transaction();
  void Commit();

 private:
  sqlite3* db_;
  bool done_ = false;
};

}  // namespace signpost::catalogue::internal
