// WriteScope and ImportBatch: where the catalogue's writes commit (see
// write_scope.h and Catalogue::BeginBatch).
#include "write_scope.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <string>

#include "signpost/catalogue.h"
#include "snapshot.h"
#include "sqlite_util.h"

namespace signpost::catalogue {

namespace internal {

namespace {

constexpr const char* kSavepoint = "SAVEPOINT signpost_write";

// The catalogue's file path for the snapshot copy ("" for a temporary one).
std::string DbPath(sqlite3* db) {
  const char* f = sqlite3_db_filename(db, "main");
  return f ? f : "";
}

// Rebuilds the snapshot inside the open transaction, commits, then publishes
// the mapped copy.
void CommitWithSnapshot(sqlite3* db, bool search_changed, bool docs_changed) {
  std::shared_ptr<const std::string> snapshot;
  if (search_changed) snapshot = RebuildSearchSnapshot(db, docs_changed);
  TraceImport("snapshot");
  Exec(db, "COMMIT");
  TraceImport("commit");
  if (snapshot) PublishSnapshotCopy(DbPath(db), *snapshot);
  TraceImport("snapshot copy");
}

}  // namespace

WriteScope::WriteScope(sqlite3* db, BatchState* batch)
    : db_(db), batch_(batch), in_batch_(batch != nullptr && batch->open) {
  if (in_batch_ && sqlite3_get_autocommit(db_)) {
    // SQLite rolled the batch's transaction back after an error: a savepoint
    // now would be a transaction of its own, committed without the batch.
    throw SqliteError(SQLITE_ABORT, "the import batch was rolled back after an earlier error");
  }
  Exec(db_, in_batch_ ? kSavepoint : "BEGIN IMMEDIATE");
}

WriteScope::~WriteScope() {
  if (done_) return;
  if (in_batch_) {
    sqlite3_exec(db_, "ROLLBACK TO signpost_write; RELEASE signpost_write", nullptr, nullptr,
                 nullptr);
  } else {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }
}

void WriteScope::SearchChanged(bool docs) {
  search_changed_ = true;
  docs_changed_ = docs_changed_ || docs;
}

void WriteScope::Commit() {
  if (in_batch_) {
    Exec(db_, "RELEASE signpost_write");
    batch_->search_changed = batch_->search_changed || search_changed_;
    batch_->docs_changed = batch_->docs_changed || docs_changed_;
    TraceImport("savepoint released");
  } else {
    CommitWithSnapshot(db_, search_changed_, docs_changed_);
  }
  done_ = true;
}

// Wall time and the calling thread's CPU time (user + sys) since the last
// trace: on a shared machine the wall time is mostly waiting for a core.
void TraceImport(const char* what) {
  static const bool on = std::getenv("SIGNPOST_TRACE_IMPORT") != nullptr;
  static auto last = std::chrono::steady_clock::now();
  auto thread_cpu_ms = [] {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
  };
  static double last_cpu = thread_cpu_ms();
  if (!on) return;
  auto now = std::chrono::steady_clock::now();
  const double cpu = thread_cpu_ms();
  std::fprintf(stderr, "  [import] %-20s %8.1f ms, CPU %8.1f ms\n", what,
               std::chrono::duration<double, std::milli>(now - last).count(), cpu - last_cpu);
  last = now;
  last_cpu = cpu;
}

}  // namespace internal

namespace {

class ImportBatchImpl final : public ImportBatch {
 public:
  ImportBatchImpl(sqlite3* db, std::shared_ptr<internal::BatchState> state)
      : db_(db), state_(std::move(state)) {}
  ~ImportBatchImpl() override {
    if (!state_->open) return;
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    End();
  }

  Status Commit() override {
    if (!state_->open) return Status::InvalidArgument("this batch has already ended");
    Status s = internal::Guard("committing the import batch", [&] {
      internal::CommitWithSnapshot(db_, state_->search_changed, state_->docs_changed);
    });
    // Still in a transaction after a failure: the destructor rolls it back.
    if (sqlite3_get_autocommit(db_)) End();
    return s;
  }

 private:
  void End() {
    state_->open = false;
    state_->search_changed = state_->docs_changed = false;
    // Back to no journal for the import stage (see BeginBatch).
    sqlite3_exec(db_, "PRAGMA temp.journal_mode=OFF", nullptr, nullptr, nullptr);
  }

  sqlite3* db_;
  std::shared_ptr<internal::BatchState> state_;
};

}  // namespace

Result<std::unique_ptr<ImportBatch>> Catalogue::BeginBatch() {
  if (read_only_) return Status::InvalidArgument("the catalogue was opened read-only");
  if (batch_->open) return Status::InvalidArgument("an import batch is already open");
  if (!sqlite3_get_autocommit(db_)) {
    // e.g. an import begun before the batch is still staging records
    return Status::InvalidArgument(
        "a transaction is open on this catalogue: commit the imports begun before the batch "
        "first");
  }
  Status s = internal::Guard("beginning an import batch", [&] {
    // The import stage (TEMP tables) has no journal outside a batch: nothing
    // there ever needs rolling back. Inside one it is written within the
    // batch's transaction, which may roll back, so it needs one; in memory,
    // it holds only the stage's pages from before the batch.
    internal::Exec(db_, "PRAGMA temp.journal_mode=MEMORY");
    internal::Exec(db_, "BEGIN IMMEDIATE");
  });
  if (!s.ok()) {
    sqlite3_exec(db_, "PRAGMA temp.journal_mode=OFF", nullptr, nullptr, nullptr);
    return s;
  }
  batch_->open = true;
  ++batch_->generation;
  batch_->search_changed = batch_->docs_changed = false;
  return std::unique_ptr<ImportBatch>(new ImportBatchImpl(db_, batch_));
}

}  // namespace signpost::catalogue
