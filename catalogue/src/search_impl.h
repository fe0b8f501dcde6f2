// The SearchEngine's state and its matching step, shared by search.cpp
// (queries, ordering, the first screen) and search_match.cpp (units ->
// match sets). Private to catalogue/. One per SearchEngine: not thread-safe.
#pragma once

#include <sqlite3.h>

#include <array>
#include <cstdint>
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

struct SearchEngine::Impl {
  Catalogue* catalogue = nullptr;
  internal::SnapshotView snap;
  std::unique_ptr<internal::WordSplitter> splitter;
  internal::Stemmer stemmer;
  internal::AliasTable aliases;
  std::vector<std::string> alias_problems;
  std::unique_ptr<internal::Speller> speller;
  std::unique_ptr<internal::Stmt> summary;
  std::unique_ptr<internal::Stmt> fts[internal::kTiers];
  std::unique_ptr<internal::Stmt> career_fts, event_fts, local_fts;
  // Docs on each route / in each study mode, made on first need.
  std::array<Bits, kRouteCount> route_bits;
  std::array<Bits, kStudyModeCount> mode_bits;
  // Recently matched units (a student typing "nursing apprenticeship"
  // re-matches "nursing" at every keystroke of the second word).
  std::list<std::pair<std::string, std::shared_ptr<const UnitMatch>>> unit_cache;
  static constexpr size_t kUnitCacheSize = 24;
  // Recently looked-up stem groups per tier: "engin", "engine", "enginee"
  // ... all share the stem group of "engineering", looked up once.
  std::list<std::pair<std::string, Bits>> group_cache;
  static constexpr size_t kGroupCacheSize = 48;

  sqlite3* db() { return catalogue->handle(); }
  void Load();

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
  void OrWord(int tier, const internal::WordForm& w, bool prefix_part, Bits* into);
  bool DescriptionCounts(const std::string& word) const;
};

}  // namespace signpost::catalogue
