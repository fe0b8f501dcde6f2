// Spelling help for real students: the closest word the catalogue (or the
// alias list) knows, by edit distance and by sound ("fysics" -> "physics",
// "nurce" -> "nurse", "aprentiship" -> "apprenticeship", "plumer" ->
// "plumber"). Private to catalogue/.
//
// Candidates are the words of titles, subjects, providers, qualifications,
// careers, events and local content (the snapshot's lexicon) and the alias
// keys ("docter" -> "doctor", which aliases.txt maps to medicine). A word
// that is real English (Debian's wbritish list, /usr/share/dict/british-english,
// when installed) is not "corrected" into a different word unless they sound
// the same; search drops it instead ("plumber's mate" -> "plumber").
//
// Thread safety: a Speller belongs to one SearchEngine (one thread);
// IsEnglishWord is thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "aliases.h"
#include "snapshot.h"

namespace signpost::catalogue::internal {

class Speller {
 public:
  Speller(const SnapshotView& lexicon, const AliasTable& aliases)
      : lexicon_(lexicon), aliases_(aliases) {}

  struct Correction {
    std::string word;           // "" = none
    bool sounds_alike = false;  // the same sound-alike key
    int distance = 0;           // edit distance
  };
  // The best correction of a whole word (3+ letters).
  Correction CorrectWord(std::string_view word);
  // For the word being typed: the word whose beginning is closest to it.
  Correction CorrectPrefix(std::string_view prefix);

  // Debian's British English word list; false when the list is not installed.
  static bool IsEnglishWord(std::string_view word);

 private:
  struct Candidate {
    std::string_view word;
    std::string_view key;
    std::uint32_t docs;
  };
  template <typename Fn>
  void ForCandidates(std::string_view word, std::string_view key, Fn&& fn);
  const SnapshotView& lexicon_;
  const AliasTable& aliases_;
  std::vector<std::string> alias_keys_;  // sound-alike keys of aliases_.KeyWords()
  std::unordered_map<std::string, Correction> cache_;
};

}  // namespace signpost::catalogue::internal
