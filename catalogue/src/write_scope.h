// Where the catalogue's writes commit. Private to catalogue/.
//
// A write (a feed's import, a feed's removal, a prune) runs in a WriteScope:
// on its own it is one BEGIN IMMEDIATE transaction, the search snapshot is
// rebuilt inside it when the write changed what search reads, and the
// snapshot's mapped copy is published after the commit. Inside an
// ImportBatch (signpost/catalogue.h) it is a savepoint in the batch's
// transaction instead, and the batch rebuilds the snapshot once, at its own
// commit, for everything its writes changed: a 250k `generate` rebuilt it
// six times, each a pass over every opportunity and the title indexes.
#pragma once

#include <sqlite3.h>

#include <cstdint>

namespace signpost::catalogue::internal {

// The writer connection's batch (one per writer Catalogue).
struct BatchState {
  bool open = false;             // an ImportBatch's transaction is open
  std::uint64_t generation = 0;  // counts batches begun, so an import knows its own
  bool search_changed = false;   // a write in the open batch changed what search reads
  bool docs_changed = false;     // ... the opportunities or providers among them
};

class WriteScope {
 public:
  // `batch` may be null (no batch for this connection).
  WriteScope(sqlite3* db, BatchState* batch);
  ~WriteScope();  // without Commit() the write is undone (to the savepoint in a batch)
  WriteScope(const WriteScope&) = delete;
  WriteScope& operator=(const WriteScope&) = delete;

  bool in_batch() const { return in_batch_; }
  // The write changed what search reads: careers, events, local content or
  // search words; with `docs`, opportunities or providers too.
  void SearchChanged(bool docs);
  // Commits (own transaction: snapshot rebuilt first, copy published after)
  // or releases the savepoint (batch: the snapshot is left to the batch).
  // Throws SqliteError.
  void Commit();

 private:
  sqlite3* db_;
  BatchState* batch_;
  bool in_batch_ = false;
  bool done_ = false;
  bool search_changed_ = false;
  bool docs_changed_ = false;
};

// SIGNPOST_TRACE_IMPORT=1: prints `what` and the time since the last call.
void TraceImport(const char* what);

}  // namespace signpost::catalogue::internal
