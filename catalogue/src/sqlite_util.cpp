#include "sqlite_util.h"

#include "signpost/model.h"

namespace signpost::catalogue::internal {

Status StatusFromSqlite(int code, const std::string& what) {
  switch (code & 0xff) {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return Status::Corrupt(what + " (the catalogue file is damaged or is not a catalogue)");
    case SQLITE_FULL:
      return Status::IoError(what + " (the disk is full; the previous data is kept)");
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_AUTH:
      return Status::IoError(what);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Status::Busy(what + " (another program is writing the catalogue)");
    case SQLITE_NOMEM:
      return Status::Internal(what + " (out of memory)");
    default:
      return Status::Internal(what);
  }
}

namespace {
[[noreturn]] void Throw(sqlite3* db, int rc, std::string_view context) {
  std::string msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  if (!context.empty()) msg += " [" + std::string(context.substr(0, 80)) + "]";
  throw SqliteError(db ? sqlite3_extended_errcode(db) : rc, msg);
}
}  // namespace

void Exec(sqlite3* db, const char* sql) {
  char* err = nullptr;
  const int rc = sqlite3_exec(db, sql, nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    throw SqliteError(sqlite3_extended_errcode(db), msg);
  }
}

Stmt::Stmt(sqlite3* db, std::string_view sql) : db_(db) {
  const int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr);
  if (rc != SQLITE_OK) Throw(db, rc, sql);
}

Stmt::~Stmt() { sqlite3_finalize(stmt_); }

Stmt& Stmt::Bind(int i, std::int64_t v) {
  if (int rc = sqlite3_bind_int64(stmt_, i, v); rc != SQLITE_OK) Throw(db_, rc, "bind");
  return *this;
}
Stmt& Stmt::Bind(int i, double v) {
  if (int rc = sqlite3_bind_double(stmt_, i, v); rc != SQLITE_OK) Throw(db_, rc, "bind");
  return *this;
}
Stmt& Stmt::Bind(int i, std::string_view v) {
  if (strip_controls_ && HasControlCharacters(v)) {
    const std::string clean = StripControlCharacters(v);
    if (int rc = sqlite3_bind_text64(stmt_, i, clean.data(), clean.size(), SQLITE_TRANSIENT,
                                     SQLITE_UTF8);
        rc != SQLITE_OK) {
      Throw(db_, rc, "bind");
    }
    return *this;
  }
  if (int rc = sqlite3_bind_text64(stmt_, i, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
      rc != SQLITE_OK) {
    Throw(db_, rc, "bind");
  }
  return *this;
}
Stmt& Stmt::BindBlob(int i, const void* data, int n) {
  if (int rc = sqlite3_bind_blob(stmt_, i, data, n, SQLITE_TRANSIENT); rc != SQLITE_OK) {
    Throw(db_, rc, "bind");
  }
  return *this;
}
Stmt& Stmt::BindNull(int i) {
  if (int rc = sqlite3_bind_null(stmt_, i); rc != SQLITE_OK) Throw(db_, rc, "bind");
  return *this;
}
Stmt& Stmt::BindTextOrNull(int i, std::string_view v) {
  return (v.empty() || (strip_controls_ && IsBlankText(v) && HasControlCharacters(v))) ? BindNull(i)
                                                                                       : Bind(i, v);
}

bool Stmt::Step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  const int ext = sqlite3_extended_errcode(db_);
  std::string msg = sqlite3_errmsg(db_);
  sqlite3_reset(stmt_);
  throw SqliteError(ext ? ext : rc, msg);
}

void Stmt::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

bool Stmt::IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
std::int64_t Stmt::Int(int col) const { return sqlite3_column_int64(stmt_, col); }
double Stmt::Double(int col) const { return sqlite3_column_double(stmt_, col); }
std::string Stmt::Text(int col) const { return std::string(TextView(col)); }
std::string_view Stmt::TextView(int col) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
  if (!p) return {};
  return std::string_view(p, static_cast<size_t>(sqlite3_column_bytes(stmt_, col)));
}
std::string_view Stmt::BlobView(int col) const {
  const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, col));
  if (!p) return {};
  return std::string_view(p, static_cast<size_t>(sqlite3_column_bytes(stmt_, col)));
}
std::optional<double> Stmt::OptDouble(int col) const {
  if (IsNull(col)) return std::nullopt;
  return Double(col);
}

Transaction::Transaction(sqlite3* db, bool immediate) : db_(db) {
  Exec(db_, immediate ? "BEGIN IMMEDIATE" : "BEGIN");
}
Transaction::~Transaction() {
  if (!done_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}
void Transaction::Commit() {
  Exec(db_, "COMMIT");
  done_ = true;
}

}  // namespace signpost::catalogue::internal
