// Reading what a student typed: text -> units to match. Private to catalogue/.
//
// A query is a list of units that must all match (AND). A unit is one idea
// the student typed: a word ("plumbing"), a compound ("e-commerce": the
// words together, or "ecommerce"), a choice ("hair/beauty": either), or an
// alias ("a levels", "uni": the words themselves or what they mean, from
// aliases.txt). Each unit has alternatives, any of which matches.
//
// How a word matches (a WordForm): every word of the index with the same
// Snowball stem ("levels" finds "level"), and every word it begins (so a
// word half-typed always finds what it will become); when the word is a
// whole word of the catalogue, the words it only begins rank one tier lower
// ("care" puts "care worker" before "careers"). Stop words ("and", "the")
// are dropped once complete; the word being typed is kept.
//
// Thread safety: plain functions over the snapshot and alias table (read-only).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "aliases.h"
#include "snapshot.h"
#include "text.h"

namespace signpost::catalogue::internal {

inline constexpr size_t kMaxUnits = 8;
inline constexpr size_t kMaxWordBytes = 48;

struct WordForm {
  std::string word;                // as typed (folded)
  std::vector<std::string> exact;  // whole words with the same stem (includes `word` itself)
  bool prefix = true;          // also every word it begins (false: alias targets, "a" in "a level")
  bool demote_prefix = false;  // words it only begins rank one tier lower
};

struct Alternative {
  enum class Kind : std::uint8_t { kWords, kRoute, kMode };
  Kind kind = Kind::kWords;
  std::vector<WordForm> words;  // kWords: all must match (a phrase when more than one)
  int value = 0;                // kRoute: Route; kMode: StudyMode
  int tier_shift = 0;           // 1 for a looser link ("~" in aliases.txt)
  bool own = true;              // the words typed (false: what an alias says they mean)
};

struct Unit {
  std::string text;               // what the student typed for it (folded)
  std::vector<Alternative> alts;  // any one matches
  bool typing = false;            // the last word, no space after it yet
  bool alias = false;             // an alias key matched
  bool route_word = false;        // the alias names a route ("uni", "apprenticeships")
  bool no_description = false;    // descriptions do not count (route words: every
                                  // description mentions routes)
  // A key for caching this unit's matches (same key, same matches).
  std::string CacheKey() const;
};

struct ParsedQuery {
  std::vector<Unit> units;
  bool ends_with_space = false;
};

// Reads `text`. `lexicon` gives stem groups and whole-word checks; `aliases`
// the alias keys. Never fails; an empty result means "browse everything".
ParsedQuery ParseQuery(const std::string& text, const WordSplitter& splitter, Stemmer& stemmer,
                       const SnapshotView& lexicon, const AliasTable& aliases);

// A unit for one plain word (a spelling correction, or a word on its own).
Unit WordUnit(const std::string& word, bool typing, Stemmer& stemmer, const SnapshotView& lexicon);

// The text of the units, for "Showing results for ...".
std::string UnitsText(const std::vector<Unit>& units);

}  // namespace signpost::catalogue::internal
