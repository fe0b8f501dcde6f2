// The search snapshot: everything search needs besides the full-text
// indexes, in one flat little-endian blob laid out to be mapped, not parsed.
// Private to catalogue/.
//
// What it holds: per opportunity ("doc", in rowid order) the facet columns
// (route, level, mode, flexible start, subject, start date, location); the
// lexicon (every word of titles, subjects, providers, qualifications,
// employers, careers, events and local content, plus words common in
// descriptions, each with its Snowball stem and sound-alike key); the
// match sets (bitsets over docs) of very common word prefixes for the title
// tier and the title/subject/provider tier, so "e" costs a pointer, not a
// 200k-row scan; per word of those two tiers, the docs that hold it (varints),
// so a rarer word costs no full-text lookup either; and per career, event
// and local item its place in its kind's order and what filtering it needs,
// so no row is read to order them.
//
// Loading checks what could make a read go out of bounds (the header, the
// section table, string tables, term and bitset indices, where each word's
// list of docs starts: O(lexicon)) but not each doc or list entry; search
// checks a doc's route and mode where it indexes by them, and each list
// entry as it reads it. A copy must match the catalogue's header and end
// with its token.
//
// Where it lives: the writer rebuilds it inside each import's transaction
// and stores it in the catalogue (table search_snapshot), so it always
// describes exactly the committed rows. After the commit the writer also
// writes a copy beside the catalogue, "<catalogue>.search-<token>"; readers
// mmap that copy (a new process pays no copying or parsing: open + first
// query stays a few ms at 250k) and fall back to reading the blob from the
// catalogue when the copy is missing, stale or damaged. The copy is only a
// cache: deleting it is always safe.
//
// Thread safety: a SnapshotView is immutable once loaded and may be read from
// any thread; building is the writer's (one connection, one thread).
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace signpost::catalogue::internal {

inline constexpr std::uint16_t kNoSubject = 0xffff;
inline constexpr std::int32_t kNoStart = INT32_MIN;

// Relevance tiers and the full-text table that answers each.
inline constexpr int kTiers = 3;
inline constexpr const char* kTierTables[kTiers] = {
    "opportunity_name_fts",   // 0: the title
    "opportunity_title_fts",  // 1: title, subject, provider, qualification, employer
    "opportunity_fts",        // 2: all of that and the description
};

// Where a lexicon word occurs (bits of TermWhere).
enum TermWhere : std::uint8_t {
  kInTitle = 1,        // an opportunity title
  kInTier1 = 2,        // title, subject, provider, qualification or employer
  kInDescription = 4,  // common in descriptions (sampled)
  kInCareer = 8,       // a job profile's title, other titles or overview
  kInEvent = 16,       // an event
  kInLocal = 32,       // the school's local content
};

// The longest word the lexicon holds; longer ones are left out of it.
inline constexpr size_t kMaxTermBytes = 40;

// Bits of an item's flags.
enum ItemFlag : std::uint8_t {
  kEndAtText = 1,  // events: end_at is stored as text (sorts after every number)
  kHasStarts = 2,  // local items
  kHasEnds = 4,    // local items
  kHasRoutes = 8,  // events: routes is not 0 (bits beyond the four routes count too)
};

// A sorted or unsorted table of strings inside the snapshot.
struct StringTable {
  const std::uint32_t* offsets = nullptr;  // count + 1 offsets into bytes
  const char* bytes = nullptr;
  std::uint32_t count = 0;
  std::string_view at(std::uint32_t i) const {
    return {bytes + offsets[i], offsets[i + 1] - offsets[i]};
  }
  // For sorted tables: index of the first string >= s.
  std::uint32_t LowerBound(std::string_view s) const;
  // For sorted tables: the index of s, or count when absent.
  std::uint32_t Find(std::string_view s) const;
};

template <typename T>
struct Array {
  const T* data = nullptr;
  std::uint32_t size = 0;
  const T& operator[](size_t i) const { return data[i]; }
};

// One kind of item (careers, events, local items): what ordering and
// filtering them needs, so a search reads no rows for it.
struct SnapshotItems {
  Array<std::int64_t> rowid;  // ascending
  Array<std::uint32_t> rank;
  Array<std::uint8_t> routes;
  Array<std::uint8_t> flags;
  Array<std::int64_t> end_at;
  StringTable starts, ends;
  // Index of `id`, or rowid.size when absent.
  std::uint32_t Find(std::int64_t id) const;
};

class SnapshotView {
 public:
  SnapshotView();
  ~SnapshotView();
  SnapshotView(const SnapshotView&) = delete;
  SnapshotView& operator=(const SnapshotView&) = delete;

  std::uint32_t size() const { return n_; }  // docs
  size_t words() const { return (n_ + 63) / 64; }
  bool mapped() const { return map_ != nullptr; }  // false: read from the catalogue

  // Docs, in rowid order.
  Array<std::int64_t> rowid;
  Array<std::uint8_t> route;     // Route, validated < kRouteCount
  Array<std::int8_t> level;      // -1..8
  Array<std::uint8_t> mode;      // StudyMode, validated
  Array<std::uint8_t> flexible;  // flexible start
  Array<std::uint16_t> subject;  // index into subjects, or kNoSubject (check < subjects.count)
  Array<std::int32_t> start;     // Day, or kNoStart
  Array<float> lat, lon;         // NaN when unknown
  StringTable subjects;          // distinct subject areas

  // Lexicon: terms sorted; per term where it occurs, how many docs/records
  // hold it, its stem (index into stems) and its sound-alike key.
  StringTable terms;
  Array<std::uint8_t> term_where;
  Array<std::uint32_t> term_docs;
  Array<std::uint32_t> term_stem;
  StringTable stems;                  // sorted
  Array<std::uint32_t> stem_start;    // stems.count + 1 offsets into stem_terms
  Array<std::uint32_t> stem_terms;    // term indices, grouped by stem
  StringTable term_keys;              // by term index
  Array<std::uint32_t> terms_by_key;  // term indices sorted by key

  // Cached prefixes (tiers 0 and 1): sorted prefixes and the bitset each
  // uses; and the same for very common whole words ("level", "and").
  StringTable prefixes[2];
  Array<std::uint32_t> prefix_set[2];
  StringTable common_words[2];
  Array<std::uint32_t> word_set[2];
  // Prefixes too common in descriptions to tell documents apart (tier 2).
  StringTable common_in_text;
  // Per term, its documents in tiers 0 and 1 (see kSecPostings).
  Array<std::uint32_t> post_start;  // terms.count + 1 offsets into postings
  std::string_view postings;
  // Careers, events, local items.
  SnapshotItems items[3];
  // The search words table the writer built (AliasTable::Serialize); check
  // it with AliasTable::Restore, which also validates it.
  std::string_view aliases;

  // The cached bitset of `prefix` in `tier` (0 or 1), or null.
  const std::uint64_t* PrefixBits(int tier, std::string_view prefix) const;
  // The cached bitset of the whole word `word` in `tier` (0 or 1), or null.
  const std::uint64_t* WordBits(int tier, std::string_view word) const;
  // The term indices sharing `stem`, as [begin, end).
  std::pair<const std::uint32_t*, const std::uint32_t*> StemGroup(std::string_view stem) const;
  bool CommonInText(std::string_view prefix) const;
  // True when the lexicon shows that no doc's `tier` (0 or 1) text holds the
  // whole word: it lists every word of those tiers, so a full-text lookup of
  // the word can be skipped. Always false for tier 2 (descriptions are sampled).
  bool AbsentFromTier(int tier, std::string_view word) const;
  // ORs into `into` (words() words) the docs whose `tier` (0 or 1) text
  // holds the whole word; false when the lexicon does not list the word (one
  // over kMaxTermBytes) or its list is damaged (not checked at load, which
  // would cost a new process every list): then ask the full-text index.
  bool OrTierDocs(int tier, std::string_view word, std::uint64_t* into) const;
  // The lexicon's words of tier 0 or 1 that begin with `prefix`, into `out`,
  // when there are at most `max_words` among its first `max_scan` words
  // beginning so; false (and `out` unspecified) when there may be more. Words
  // over kMaxTermBytes are not in the lexicon.
  bool TierWordsBeginning(int tier, std::string_view prefix, size_t max_words,
                          std::uint32_t max_scan, std::vector<std::string_view>* out) const;

  std::uint32_t bitset_count() const { return bitset_count_; }
  const std::uint64_t* bitsets() const { return bitsets_; }

  // Loads the snapshot for the catalogue `db` (path `db_path`): maps the
  // copy beside the catalogue when it matches, else reads the blob. An
  // empty catalogue gives an empty view. Throws SqliteError (SQLITE_CORRUPT
  // when the snapshot is damaged).
  void Load(sqlite3* db, const std::string& db_path);

 private:
  void Attach(const char* data, size_t size);  // parses and validates; throws
  void Release();
  std::uint32_t n_ = 0;
  const std::uint64_t* bitsets_ = nullptr;
  std::uint32_t bitset_count_ = 0;
  void* map_ = nullptr;
  size_t map_size_ = 0;
  std::string owned_;  // the blob read from the catalogue when not mapped
};

// Writer, on open: true when the catalogue holds a snapshot this program
// cannot read (another format version, cut short), which it then rebuilds.
bool SnapshotOutdated(sqlite3* db);

// Writer: rebuilds the snapshot blob inside the current transaction and
// returns its bytes, for PublishSnapshotCopy once the transaction commits.
// With docs_changed false (only careers, events, local content or search
// words changed) the docs and prefix cache are taken from the snapshot held
// and only the lexicon is rebuilt. Throws SqliteError.
std::shared_ptr<const std::string> RebuildSearchSnapshot(sqlite3* db, bool docs_changed = true);

// Writer, after the commit: writes the mapped copy beside the catalogue
// (temp file, fsync, rename) and removes older copies. Best effort: a
// failure (disk full, read-only folder) only means readers use the blob.
void PublishSnapshotCopy(const std::string& db_path, const std::string& bytes);

// Writer, on open: writes the copy if the catalogue's blob has none (e.g.
// after a restore from backup). Best effort, cheap when it exists.
void EnsureSnapshotCopy(sqlite3* db, const std::string& db_path);

// The copy's file name for a snapshot token.
std::string SnapshotCopyPath(const std::string& db_path, std::uint64_t token);

}  // namespace signpost::catalogue::internal
