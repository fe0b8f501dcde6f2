// The search snapshot: per-opportunity facet columns and the match sets of
// very common word prefixes, rebuilt by the writer inside each import's
// transaction and loaded by readers as a few blobs. Private to catalogue/.
// Not thread-safe; Snapshot values are immutable once loaded.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace signpost::catalogue::internal {

inline constexpr std::uint16_t kNoSubject = 0xffff;

// Relevance tiers and the full-text table that answers each.
inline constexpr int kTiers = 3;
inline constexpr const char* kTierTables[kTiers] = {
    "opportunity_name_fts",   // 0: the title
    "opportunity_title_fts",  // 1: title, subject area, provider name
    "opportunity_fts",        // 2: all of that and the description
};
inline constexpr std::int32_t kNoStart = INT32_MIN;

struct Snapshot {
  std::vector<std::int64_t> rowid;     // ascending; index = "doc"
  std::vector<std::uint8_t> route;     // Route
  std::vector<std::int8_t> level;      // -1..8
  std::vector<std::uint8_t> mode;      // StudyMode
  std::vector<std::uint8_t> flexible;  // flexible start
  std::vector<std::uint16_t> subject;  // index into subjects, or kNoSubject
  std::vector<std::int32_t> start;     // Day, or kNoStart
  std::vector<float> lat, lon;         // NaN when unknown
  std::vector<std::string> subjects;   // distinct subject areas
  // Common prefixes. Tiers 0 and 1: prefix -> the prefix whose cached bitset
  // holds its matches (itself, or a longer prefix matching the same words).
  std::unordered_map<std::string, std::string> cached[2];
  // Tier 2: prefixes too common in descriptions to tell documents apart
  // (like "course", "learn"): for these, only titles/subjects/providers count.
  std::unordered_set<std::string> common_in_text;
  size_t size() const { return rowid.size(); }
};

// Writer: rebuilds search_snapshot and search_prefix. Throws SqliteError.
void RebuildSearchSnapshot(sqlite3* db);
// Reader: loads the snapshot (not the prefix bitsets). Throws SqliteError.
Snapshot LoadSearchSnapshot(sqlite3* db);

}  // namespace signpost::catalogue::internal
