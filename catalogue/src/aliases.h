// Search aliases: the words students use for routes and jobs ("uni",
// "a levels", "sparky", "youtuber") and what the catalogue calls them.
// Private to catalogue/.
//
// The shipped list is data a careers adviser can read and correct,
// assets/search/aliases.txt (compiled into the library, so every program
// searches alike); a school's local content pack can add lines of its own
// (stored in the catalogue's search_alias table). The format is described at
// the top of aliases.txt.
//
// Keys match on Snowball stems, so "a levels", "a level" and "A-Level" are
// one key. Thread safety: built once, then read-only.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "text.h"

namespace signpost::catalogue::internal {

struct AliasTarget {
  enum class Kind : std::uint8_t { kWords, kRoute, kMode };
  Kind kind = Kind::kWords;
  std::vector<std::string> words;  // kWords: one word, or a phrase (all in the same title)
  int value = 0;                   // kRoute: Route; kMode: StudyMode
  bool weak = false;               // "~": one relevance tier lower
  friend bool operator==(const AliasTarget&, const AliasTarget&) = default;
};

struct Alias {
  std::vector<AliasTarget> targets;
  bool route_word = false;  // has a route target: "uni", "apprenticeships"
  friend bool operator==(const Alias&, const Alias&) = default;
};

// What the table is made from: the shipped list, a school's own lines (the
// catalogue's search_alias table), and a hash of both. The writer keeps the
// table it built in the search snapshot; a reader uses that only while the
// hash is the same, so a program with a newer list, or lines changed since,
// parses afresh.
struct AliasSource {
  struct Line {
    std::string feed, words, means;
  };
  std::vector<Line> local;
  std::uint64_t hash = 0;
};
// Reads the local lines (in id order) and hashes them with the shipped list.
// Throws SqliteError.
AliasSource ReadAliasSource(sqlite3* db);

class AliasTable {
 public:
  // The table made from `source`: the shipped list, then the local lines.
  // A line that cannot be read is skipped and described in `problems`
  // ("line N: ..." for the shipped list, "feed F: ..." for a local one).
  void Build(const AliasSource& source, const WordSplitter& splitter, Stemmer& stemmer,
             std::vector<std::string>* problems);
  // The table and the problems met making it, as bytes (for the snapshot),
  // and back: Restore is false (and the table empty) when `bytes` were not
  // made from a source of this hash, or are damaged.
  std::string Serialize(std::uint64_t hash, const std::vector<std::string>& problems) const;
  bool Restore(std::string_view bytes, std::uint64_t hash, std::vector<std::string>* problems);
  friend bool operator==(const AliasTable& a, const AliasTable& b);

  // Reads lines "words = means" (comments and blank lines ignored). A line
  // that cannot be read is skipped and described in `problems` (may be null).
  void AddText(std::string_view text, const WordSplitter& splitter, Stemmer& stemmer,
               std::vector<std::string>* problems);
  // One line's two sides (a local pack's search words).
  bool AddLine(std::string_view words, std::string_view means, const WordSplitter& splitter,
               Stemmer& stemmer, std::string* problem);

  struct Match {
    const Alias* alias = nullptr;
    size_t length = 0;  // query words covered
  };
  // The longest key that the query's words from position i on start with:
  // the same stems, each word a form of the key's word (SameWordInflected,
  // so "animation" is not taken for the key "animals").
  Match LongestAt(const std::vector<std::string>& stems, const std::vector<std::string>& words,
                  size_t i) const;

  // Call after AddLine calls (AddText does it itself).
  void SortKeyWords();
  // Every single-word key, for spelling suggestions ("docter" -> "doctor"); sorted.
  const std::vector<std::string>& KeyWords() const { return key_words_; }
  size_t size() const { return aliases_.size(); }

 private:
  struct Key {
    std::vector<std::string> stems;
    std::vector<std::string> words;  // as written in the list
    size_t alias;
    friend bool operator==(const Key&, const Key&) = default;
  };
  std::vector<Alias> aliases_;
  std::unordered_map<std::string, std::vector<Key>> by_first_stem_;
  std::vector<std::string> key_words_;
};

// The shipped list (assets/search/aliases.txt).
std::string_view ShippedAliasText();

// Splits folded text into words as the index does (lower case, accents
// removed), at most `max` words.
std::vector<std::string> SplitWords(std::string_view text, const WordSplitter& splitter,
                                    size_t max = 8);

}  // namespace signpost::catalogue::internal
