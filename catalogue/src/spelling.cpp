// Spelling help. See spelling.h.
#include "spelling.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <sstream>

#include "text.h"

namespace signpost::catalogue::internal {

namespace {

constexpr size_t kCacheLimit = 256;

bool Plain(std::string_view w) {
  return w.size() >= 3 && std::all_of(w.begin(), w.end(), [](char c) {
           return std::isalpha(static_cast<unsigned char>(c)) || (c & 0x80);
         });
}

// How far a word of this length may be from what was meant.
int Cap(size_t len) { return len <= 4 ? 1 : len <= 7 ? 2 : 3; }

const std::vector<std::string>& EnglishWords() {
  static std::once_flag once;
  static std::vector<std::string> words;
  std::call_once(once, [] {
    const char* env = std::getenv("SIGNPOST_WORDLIST");
    std::ifstream in(env && *env ? env : "/usr/share/dict/british-english");
    std::string line;
    int read = 0;
    while (std::getline(in, line) && ++read < 500000) {
      if (line.empty() || line.size() > 40 || line.find('\'') != std::string::npos) continue;
      for (char& c : line) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      words.push_back(line);
    }
    std::sort(words.begin(), words.end());
    words.erase(std::unique(words.begin(), words.end()), words.end());
  });
  return words;
}

}  // namespace

bool Speller::IsEnglishWord(std::string_view word) {
  const auto& words = EnglishWords();
  return std::binary_search(words.begin(), words.end(), word,
                            [](std::string_view a, std::string_view b) { return a < b; });
}

// Calls fn(candidate) for the words worth comparing with `word`: lexicon
// words starting with the same letter or whose key starts with the same
// sound, and every alias key.
template <typename Fn>
void Speller::ForCandidates(std::string_view word, std::string_view key, Fn&& fn) {
  const SnapshotView& lx = lexicon_;
  constexpr std::uint8_t kSearchable = kInTier1 | kInCareer | kInEvent | kInLocal;
  auto visit = [&](std::uint32_t t) {
    if (!(lx.term_where[t] & kSearchable)) return;
    std::string_view w = lx.terms.at(t);
    if (!Plain(w)) return;
    fn(Candidate{w, lx.term_keys.at(t), lx.term_docs[t]});
  };
  // Same first letter: a contiguous range of the sorted terms.
  const std::string first(word.substr(0, 1));
  std::string next = first;
  next.back() = static_cast<char>(next.back() + 1);
  for (std::uint32_t t = lx.terms.LowerBound(first), end = lx.terms.LowerBound(next); t < end;
       ++t) {
    visit(t);
  }
  // Same first sound ("fysics" / "physics"), other first letters.
  if (!key.empty()) {
    const char k0 = key[0];
    std::uint32_t lo = 0, hi = lx.terms_by_key.size;
    while (lo < hi) {  // first term whose key starts >= k0
      const std::uint32_t mid = lo + (hi - lo) / 2;
      std::string_view mk = lx.term_keys.at(lx.terms_by_key[mid]);
      if (!mk.empty() && mk[0] < k0) {
        lo = mid + 1;
      } else if (mk.empty()) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    for (std::uint32_t i = lo; i < lx.terms_by_key.size; ++i) {
      const std::uint32_t t = lx.terms_by_key[i];
      std::string_view mk = lx.term_keys.at(t);
      if (mk.empty() || mk[0] != k0) break;
      if (lx.terms.at(t).substr(0, 1) == first) continue;  // seen above
      visit(t);
    }
  }
  const auto& keys = aliases_.KeyWords();
  if (alias_keys_.size() != keys.size()) {
    alias_keys_.clear();
    for (const std::string& k : keys) alias_keys_.push_back(PhoneticKey(k));
  }
  for (size_t i = 0; i < keys.size(); ++i) {
    if (Plain(keys[i])) fn(Candidate{keys[i], alias_keys_[i], 1000});
  }
}

Speller::Correction Speller::CorrectWord(std::string_view word) {
  if (!Plain(word) || word.size() > 40) return {};
  const std::string cache_key = "w:" + std::string(word);
  if (auto it = cache_.find(cache_key); it != cache_.end()) return it->second;
  const std::string key = PhoneticKey(word);
  const int cap = Cap(word.size());
  Correction best;
  int best_score = 1 << 20;
  std::uint32_t best_docs = 0;
  ForCandidates(word, key, [&](const Candidate& c) {
    if (c.word == word) {
      best_score = -1;  // spelled right after all
      best = {};
      return;
    }
    if (best_score < 0) return;
    const int d = EditDistance(word, c.word, cap + 1);
    const bool same_sound = key.size() >= 2 && c.key == key;
    const int kd = same_sound ? 0 : EditDistance(key, c.key, 1);
    // Close in letters, or the same sound and not much further ("fysics").
    const bool ok = d <= cap || (same_sound && d <= cap + 1) ||
                    (kd <= 1 && key.size() >= 4 && d <= cap + 1 && word.size() >= 8);
    if (!ok) return;
    const int score = d * 4 + kd * 2 - (same_sound ? 2 : 0);
    if (score < best_score || (score == best_score && c.docs > best_docs) ||
        (score == best_score && c.docs == best_docs && c.word < best.word)) {
      best_score = score;
      best_docs = c.docs;
      best = {std::string(c.word), same_sound, d};
    }
  });
  if (cache_.size() > kCacheLimit) cache_.clear();
  cache_[cache_key] = best;
  return best;
}

Speller::Correction Speller::CorrectPrefix(std::string_view prefix) {
  if (!Plain(prefix) || prefix.size() < 4 || prefix.size() > 40) return {};
  const std::string cache_key = "p:" + std::string(prefix);
  if (auto it = cache_.find(cache_key); it != cache_.end()) return it->second;
  const std::string key = PhoneticKey(prefix);
  const int cap = prefix.size() >= 7 ? 2 : 1;
  Correction best;
  int best_score = 1 << 20;
  std::uint32_t best_docs = 0;
  ForCandidates(prefix, key, [&](const Candidate& c) {
    if (c.word.size() + 1 < prefix.size()) return;
    int d = cap + 1;
    for (size_t len = prefix.size() - 1; len <= prefix.size() + 1 && len <= c.word.size(); ++len) {
      d = std::min(d, EditDistance(prefix, c.word.substr(0, len), cap));
    }
    const bool same_sound = key.size() >= 3 && c.key.substr(0, key.size()) == key;
    if (d > cap && !(same_sound && d <= cap + 1)) return;
    const int score = d * 4 - (same_sound ? 2 : 0);
    if (score < best_score || (score == best_score && c.docs > best_docs)) {
      best_score = score;
      best_docs = c.docs;
      best = {std::string(c.word), same_sound, d};
    }
  });
  if (cache_.size() > kCacheLimit) cache_.clear();
  cache_[cache_key] = best;
  return best;
}

}  // namespace signpost::catalogue::internal
