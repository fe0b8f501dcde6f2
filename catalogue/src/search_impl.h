// The SearchEngine's state and its matching step, shared by search.cpp
// (queries, ordering, the first screen) and search_match.cpp (units ->
// match sets). Private to catalogue/. One per SearchEngine: not thread-safe.
#pragma once

#include <sqlite3.h>

#include <array>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "aliases.h"
#include "query.h"
#include "signpost/catalogue.h"
#include "signpost/search.h"
#include "snapshot.h"
#include "spelling.h"
#include "sqlite_util.h"
#include "text.h"

namespace signpost::catalogue {

using Bits = std::vector<std::uint64_t>;  // one bit per snapshot doc

// A career, event or local item matched, and how well (relevance tier).
struct ItemHit {
  std::int64_t rowid = 0;
  std::uint8_t tier = 0;
  bool direct = false;  // matched by the words typed, not only by what an alias says they mean
};

// What one unit matches: opportunities per tier (cumulative: tiers[t] holds
// the docs whose best tier is <= t) and the small kinds, sorted by rowid.
struct UnitMatch {
  Bits tiers[internal::kTiers];
  Bits direct;            // docs matched by the words typed themselves (any tier)
  std::int64_t docs = 0;  // in tiers[2]
  std::vector<ItemHit> careers, events, local;
  bool Any() const { return docs > 0 || !careers.empty() || !events.empty() || !local.empty(); }
};

// What ordering and filtering careers, events and local content needs, per
// row, read when a search first meets the row and kept (search_items.cpp),
// instead of one SQL query with an id list per keystroke. Keys are made by
// SQLite itself, so the order is the one that query gave.
struct ItemRow {
  std::string key;                          // the kind's own order (see search_items.cpp)
  std::int64_t end_at = 0;                  // events
  bool end_at_text = false;                 // events: end_at stored as text (sorts after numbers)
  std::int64_t routes = 0;                  // events: route bits
  std::optional<std::string> starts, ends;  // local items: ISO dates
};
struct ItemKind {
  std::unordered_map<std::int64_t, std::optional<ItemRow>> rows;  // nullopt: no such row
  std::unique_ptr<internal::Stmt> by_id;
  // Every row on each route (events: route bits; local items: one route), made on first need.
  bool routes_loaded = false;
  std::vector<std::pair<std::int64_t, std::uint8_t>> route_bits;
};

// A statement prepared when first used: a new process's first query needs
// only some of them, and preparing one on a full-text table reads its setup.
struct LazyStmt {
  std::string sql;
  std::unique_ptr<internal::Stmt> stmt;
  void Set(std::string text) {
    sql = std::move(text);
    stmt.reset();
  }
  internal::Stmt& Get(sqlite3* db) {
    if (!stmt) stmt = std::make_unique<internal::Stmt>(db, sql);
    return *stmt;
  }
};

struct SearchEngine::Impl {
  Catalogue* catalogue = nullptr;
  // Shared with the results made from it: a result list completes its order
  // from the snapshot when scrolled, even after the engine reloads.
  std::shared_ptr<const internal::SnapshotView> snapshot =
      std::make_shared<internal::SnapshotView>();
  const internal::SnapshotView& snap() const { return *snapshot; }
  std::unique_ptr<internal::WordSplitter> splitter;
  internal::Stemmer stemmer;
  internal::AliasTable aliases;
  std::vector<std::string> alias_problems;
  std::unique_ptr<internal::Speller> speller;
  LazyStmt summary;
  LazyStmt fts[internal::kTiers];
  LazyStmt career_fts, event_fts, local_fts;
  // Docs on each route / in each study mode, made on first need.
  std::array<Bits, kRouteCount> route_bits;
  std::array<Bits, kStudyModeCount> mode_bits;
  // Each doc's distance from the last origin searched from (0.1 km), worked
  // out when a search first meets the doc (distance_known): a kiosk searches
  // from one place keystroke after keystroke. Not zeroed: only known ones are read.
  // Kept from the second search from an origin on: the first works each
  // distance out and keeps none, so a fresh process's first answer does not
  // pay for touching half a megabyte it may never read again.
  std::unique_ptr<std::uint16_t[]> distance;
  Bits distance_known;
  double distance_lat = 0, distance_lon = 0;
  bool searched_from = false;  // the last search had an origin: searched_lat, searched_lon
  double searched_lat = 0, searched_lon = 0;
  // Recently matched units (a student typing "nursing apprenticeship"
  // re-matches "nursing" at every keystroke of the second word).
  std::list<std::pair<std::string, std::shared_ptr<const UnitMatch>>> unit_cache;
  static constexpr size_t kUnitCacheSize = 24;
  // Recently looked-up stem groups per tier: "engin", "engine", "enginee"
  // ... all share the stem group of "engineering", looked up once.
  std::list<std::pair<std::string, Bits>> group_cache;
  static constexpr size_t kGroupCacheSize = 48;
  // A prefix of tier 0 or 1 that begins at most this many words is looked up as those words.
  static constexpr size_t kPrefixAsWords = 16;
  static constexpr std::uint32_t kPrefixScan = 2048;  // lexicon words read to find them, at most

  ItemKind items[3];  // careers, events, local items (search_items.cpp)

  sqlite3* db() { return catalogue->handle(); }
  void Load();
  const ItemRow* Item(int kind, std::int64_t rowid);
  // The hits of one kind (careers, events, local) that pass its filters, in
  // the order the first screen shows them, appended to `out`; returns the
  // best tier among them (3: none). `routes` and `now`/`today` filter events
  // and local content.
  std::uint64_t OrderItems(ResultKind kind, const std::vector<ItemHit>& hits, std::uint8_t routes,
                           UnixTime now, const std::string& today, std::vector<std::int64_t>* out);
  // Calls fn(rowid) for each event / local item on one of `routes` (bits).
  void AddRouteItems(ResultKind kind, std::uint8_t routes,
                     const std::function<void(std::int64_t)>& fn);

  // [SECTION] Matching (search_match.cpp)
  std::shared_ptr<const UnitMatch> MatchUnit(const internal::Unit& unit);
  const Bits& RouteBits(int route);
  const Bits& ModeBits(int mode);

  // [SECTION] When nothing matched (search.cpp)
  bool Correct(std::vector<internal::Unit>* units,
               std::vector<std::shared_ptr<const UnitMatch>>* matches, std::string* suggestion);
  bool Relax(std::vector<internal::Unit>* units,
             std::vector<std::shared_ptr<const UnitMatch>>* matches);

 private:
  void MatchOpportunities(const internal::Unit& unit, UnitMatch* m);
  void MatchItems(const internal::Unit& unit, UnitMatch* m);
  void OrFts(int tier, const std::string& match, Bits* into);
  void OrWord(int tier, const internal::WordForm& w, bool prefix_part, Bits* into,
              bool prefix_same_set = false);
  void OrWords(int tier, std::vector<std::string_view>* words, Bits* into);
  bool DescriptionCounts(const std::string& word) const;
};

}  // namespace signpost::catalogue
