// Search text: how what a student types (and what the catalogue holds)
// becomes words to look up. Private to catalogue/.
//
// - FoldForSearch: Unicode NFKC case folding with ICU (ligatures such as
//   "ﬁ", full-width letters, compatibility forms, case), then the
//   punctuation rules students mean: a possessive "'s" is dropped
//   ("plumber's" -> "plumber"); other apostrophes, hyphens and slashes are
//   kept for the query parser to read as word joins (see query.h).
// - Stemmer: Snowball English (Debian's libstemmer), so "levels" and
//   "level", "nursing" and "nurse" share a stem.
// - PhoneticKey: a sound-alike key for English spellings ("fysics" and
//   "physics", "nurce" and "nurse" get the same key), for spelling help.
// - EditDistance: optimal string alignment distance with an early exit.
//
// Thread safety: the free functions are thread-safe; a Stemmer is not (one
// per SearchEngine / import).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

struct sb_stemmer;
struct sqlite3;
struct Fts5Tokenizer;
struct fts5_tokenizer;

namespace signpost::catalogue::internal {

// At most this many bytes of a query are read; longer input is cut at a
// character boundary.
inline constexpr size_t kMaxQueryBytes = 512;

// NFKC_Casefold of `text` (invalid UTF-8 becomes U+FFFD), with possessive
// apostrophes removed and every apostrophe-like character (’ ‘ ʼ ＇ `)
// turned into "'". Bounded: reads at most kMaxQueryBytes.
// ASCII text (most of what is typed, all of aliases.txt) is folded without
// ICU, by the same rules; FoldForSearchWithIcu always uses ICU (for the test
// that the two agree).
std::string FoldForSearch(std::string_view text);
std::string FoldForSearchWithIcu(std::string_view text);

// Cuts `s` to at most `max` bytes without splitting a UTF-8 sequence.
std::string_view CutUtf8(std::string_view s, size_t max);

// The catalogue's own word splitter: FTS5's unicode61 tokenizer with
// remove_diacritics 2, exactly as the full-text indexes split text, so a
// word found here is a word the index holds.
class WordSplitter {
 public:
  // Throws SqliteError when the SQLite build has no FTS5.
  explicit WordSplitter(sqlite3* db);
  ~WordSplitter();
  WordSplitter(const WordSplitter&) = delete;
  WordSplitter& operator=(const WordSplitter&) = delete;
  // Calls fn(word, start, end) for each word (byte offsets into text);
  // fn returns false to stop.
  void Split(std::string_view text,
             const std::function<bool(std::string_view, int, int)>& fn) const;

 private:
  Fts5Tokenizer* tokenizer_ = nullptr;
  fts5_tokenizer* api_ = nullptr;
};

// Calls fn(word, start, end) for each word of `text` as a student means it,
// each cut to `max_bytes`. Students' search text and the alias list are both
// read this way:
//  - letters with dots between them are one word: "i.t." is "it", "p.e." is "pe";
//  - a word and a number written together ("level3", "year12", "ks5": two or
//    more letters a-z, then one to three digits) are two words that touch
//    (the second starts where the first ends). "a2", "3d", "covid2019" stay whole.
// fn returns false to stop.
void SplitAsTyped(const WordSplitter& splitter, std::string_view text, size_t max_bytes,
                  const std::function<bool(std::string_view, int, int)>& fn);

class Stemmer {
 public:
  Stemmer();
  ~Stemmer();
  Stemmer(const Stemmer&) = delete;
  Stemmer& operator=(const Stemmer&) = delete;
  // The Snowball English stem of a lower-case word ("levels" -> "level").
  // Words of 3 bytes or fewer, and words with digits, are their own stem.
  std::string Stem(std::string_view word);

 private:
  sb_stemmer* stemmer_ = nullptr;
};

// Whether two lower-case words with the same stem are forms of one word
// ("level"/"levels", "nurse"/"nursing", "plan"/"planning", "study"/"studies",
// "engineer"/"engineering", "biology"/"biological") rather than a stem's
// accident ("animals"/"animation", "physics"/"physical", "engine"/
// "engineering", "business"/"busy"): what follows their common start must be
// an inflection or an agent ending on both sides (a doubled last letter
// allowed, as in "planning").
bool SameWordInflected(std::string_view a, std::string_view b);

// A sound-alike key for a lower-case word: "physics", "fysics" -> "fsks";
// "nurse", "nurce" -> "nrs"; "plumber", "plumer" -> "plmr". Letters outside
// a-z are kept as they are. Empty for an empty word.
std::string PhoneticKey(std::string_view word);

// Optimal string alignment distance between byte strings (a transposition
// counts 1); returns cap + 1 as soon as the distance must exceed `cap`.
int EditDistance(std::string_view a, std::string_view b, int cap);

}  // namespace signpost::catalogue::internal
