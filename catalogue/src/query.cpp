// Reading what a student typed. See query.h.
#include "query.h"

#include <algorithm>
#include <unordered_set>

namespace signpost::catalogue::internal {

namespace {

const std::unordered_set<std::string>& StopWords() {
  static const std::unordered_set<std::string> kWords = {
      "a",   "an",     "and",  "the",   "of",   "in",      "for",   "to",   "with",
      "on",  "at",     "or",   "by",    "from", "as",      "is",    "be",   "my",
      "i",   "it",     "do",   "what",  "can",  "into",    "me",    "want", "be",
      "how", "become", "like", "about", "jobs", "courses", "course"};
  return kWords;
}

struct Token {
  std::string word;
  int start = 0, end = 0;
  enum Join : std::uint8_t { kSpace, kHyphen, kSlash } join = kSpace;  // to the previous token
};

// A word as the index may hold it: its stem group, and itself as a prefix.
WordForm MakeForm(const std::string& word, Stemmer& stemmer, const SnapshotView& lexicon,
                  bool prefix, bool demote_prefix) {
  WordForm f;
  f.word = word;
  f.prefix = prefix;
  f.exact.push_back(word);
  auto [begin, end] = lexicon.StemGroup(stemmer.Stem(word));
  for (const std::uint32_t* t = begin; t != end; ++t) {
    std::string_view w = lexicon.terms.at(*t);
    if (w != word && SameWordInflected(word, w)) f.exact.emplace_back(w);
  }
  const bool whole_word = lexicon.terms.Find(word) != lexicon.terms.count;
  f.demote_prefix = demote_prefix || whole_word;
  return f;
}

// Prefix matching: none, only the last word (what may still be typed), or every word.
enum class Prefix { kNone, kLast, kAll };

Alternative WordsAlt(const std::vector<std::string>& words, Stemmer& stemmer,
                     const SnapshotView& lexicon, Prefix prefix, bool demote_prefix) {
  Alternative a;
  for (size_t i = 0; i < words.size(); ++i) {
    const bool p = prefix == Prefix::kAll || (prefix == Prefix::kLast && i + 1 == words.size());
    // A one-letter word is a whole word in a phrase ("a level", "t level").
    a.words.push_back(MakeForm(words[i], stemmer, lexicon,
                               p && !(words.size() > 1 && words[i].size() == 1), demote_prefix));
  }
  return a;
}

}  // namespace

std::string Unit::CacheKey() const {
  std::string k = no_description ? "n" : "d";
  for (const Alternative& a : alts) {
    k += static_cast<char>('0' + static_cast<int>(a.kind));
    k += a.own ? 'o' : 'x';
    k += static_cast<char>('0' + a.tier_shift);
    k += std::to_string(a.value);
    for (const WordForm& w : a.words) {
      k += w.prefix ? (w.demote_prefix ? '<' : '(') : '[';
      k += w.word;
      for (const std::string& e : w.exact) {
        k += '|';
        k += e;
      }
      k += ')';
    }
    k += ';';
  }
  return k;
}

Unit WordUnit(const std::string& word, bool typing, Stemmer& stemmer, const SnapshotView& lexicon) {
  Unit u;
  u.text = word;
  u.typing = typing;
  u.alts.push_back(WordsAlt({word}, stemmer, lexicon, Prefix::kAll, false));
  return u;
}

std::string UnitsText(const std::vector<Unit>& units) {
  std::string out;
  for (const Unit& u : units) {
    if (!out.empty()) out += ' ';
    out += u.text;
  }
  return out;
}

ParsedQuery ParseQuery(const std::string& text, const WordSplitter& splitter, Stemmer& stemmer,
                       const SnapshotView& lexicon, const AliasTable& aliases) {
  ParsedQuery q;
  const std::string folded = FoldForSearch(text);
  q.ends_with_space =
      !folded.empty() && (folded.back() == ' ' || folded.back() == '\t' || folded.back() == '\n');
  // Words, and how each joins the one before: "e-commerce", "o'neill" (a
  // compound) or "hair/beauty" (a choice).
  std::vector<Token> tokens;
  SplitAsTyped(splitter, folded, kMaxWordBytes, [&](std::string_view w, int start, int end) {
    Token t;
    t.word = std::string(w);
    t.start = start;
    t.end = end;
    if (!tokens.empty()) {
      const std::string_view gap(folded.data() + tokens.back().end,
                                 static_cast<size_t>(start - tokens.back().end));
      // No gap: a word and a number written together ("level3" reads as "level-3").
      if (gap.empty() || gap == "-" || gap == "'" || gap == "\u2010" || gap == "\u2011" ||
          gap == "\u2013") {
        t.join = Token::kHyphen;
      } else if (gap == "/" || gap == "\\") {
        t.join = Token::kSlash;
      }
    }
    tokens.push_back(std::move(t));
    return tokens.size() < 2 * kMaxUnits;
  });
  if (tokens.empty()) return q;
  std::vector<std::string> stems, words;
  for (const Token& t : tokens) {
    stems.push_back(stemmer.Stem(t.word));
    words.push_back(t.word);
  }
  const size_t n = tokens.size();
  auto is_typing = [&](size_t last) { return last + 1 == n && !q.ends_with_space; };

  for (size_t i = 0; i < n && q.units.size() < kMaxUnits;) {
    // An alias key: "a levels", "sixth form", "uni".
    if (AliasTable::Match m = aliases.LongestAt(stems, words, i); m.alias) {
      Unit u;
      u.alias = true;
      u.route_word = m.alias->route_word;
      u.no_description = m.alias->route_word;
      u.typing = is_typing(i + m.length - 1);
      std::vector<std::string> own;
      for (size_t k = i; k < i + m.length; ++k) {
        own.push_back(tokens[k].word);
        u.text += (u.text.empty() ? "" : " ") + tokens[k].word;
      }
      // The words themselves (what they begin ranks lower: "uni" is not "uniform").
      u.alts.push_back(WordsAlt(own, stemmer, lexicon, Prefix::kLast, /*demote_prefix=*/true));
      for (const AliasTarget& t : m.alias->targets) {
        Alternative a;
        a.own = false;
        a.tier_shift = t.weak ? 1 : 0;
        if (t.kind == AliasTarget::Kind::kRoute) {
          a.kind = Alternative::Kind::kRoute;
          a.value = t.value;
        } else if (t.kind == AliasTarget::Kind::kMode) {
          a.kind = Alternative::Kind::kMode;
          a.value = t.value;
        } else {
          a.words = WordsAlt(t.words, stemmer, lexicon, Prefix::kNone, false).words;
        }
        u.alts.push_back(std::move(a));
      }
      q.units.push_back(std::move(u));
      i += m.length;
      continue;
    }
    // A compound or a choice: tokens joined by hyphens / slashes.
    size_t j = i + 1;
    while (j < n && tokens[j].join != Token::kSpace) ++j;
    Unit u;
    u.typing = is_typing(j - 1);
    if (j - i > 1) {
      const bool choice = std::any_of(tokens.begin() + static_cast<std::ptrdiff_t>(i) + 1,
                                      tokens.begin() + static_cast<std::ptrdiff_t>(j),
                                      [](const Token& t) { return t.join == Token::kSlash; });
      std::vector<std::string> parts;
      std::string joined;
      for (size_t k = i; k < j; ++k) {
        parts.push_back(tokens[k].word);
        joined += tokens[k].word;
        u.text += (k == i ? "" : (tokens[k].join == Token::kSlash ? "/" : "-")) + tokens[k].word;
      }
      if (choice) {
        // "hair/beauty": either word (a repeated one counts once: "50/50").
        std::sort(parts.begin(), parts.end());
        parts.erase(std::unique(parts.begin(), parts.end()), parts.end());
        for (const std::string& p : parts) {
          if (StopWords().count(p) && parts.size() > 1) continue;
          u.alts.push_back(WordsAlt({p}, stemmer, lexicon, Prefix::kAll, false));
        }
      } else {
        // "e-commerce": all the parts in one title, or the parts written together.
        u.alts.push_back(WordsAlt(parts, stemmer, lexicon, Prefix::kLast, false));
        if (joined.size() <= kMaxWordBytes) {
          u.alts.push_back(WordsAlt({joined}, stemmer, lexicon, Prefix::kAll, false));
        }
      }
      q.units.push_back(std::move(u));
      i = j;
      continue;
    }
    // A plain word; stop words say nothing. One still being typed is kept
    // when it is all there is ("the" may become "theatre"), not after other
    // words: "plumbing course" is plumbing, not plumbing pages that say "course".
    const std::string& w = tokens[i].word;
    if ((!u.typing || !q.units.empty()) && StopWords().count(w)) {
      ++i;
      continue;
    }
    // "work with animals", "working in care": the work is what is asked for
    // in every result; the words after it say which.
    if ((w == "work" || w == "working") && i + 1 < n &&
        (tokens[i + 1].word == "with" || tokens[i + 1].word == "in" ||
         tokens[i + 1].word == "outdoors" || tokens[i + 1].word == "outside")) {
      ++i;
      continue;
    }
    q.units.push_back(WordUnit(w, u.typing, stemmer, lexicon));
    ++i;
  }
  // Only stop words ("the", "what can i do"): search them rather than nothing.
  if (q.units.empty()) {
    for (size_t i = 0; i < n && q.units.size() < kMaxUnits; ++i) {
      q.units.push_back(WordUnit(tokens[i].word, is_typing(i), stemmer, lexicon));
    }
  }
  // The same unit twice ("nurse nurse") is one.
  std::vector<Unit> unique;
  std::unordered_set<std::string> seen;
  for (Unit& u : q.units) {
    if (seen.insert(u.CacheKey()).second) unique.push_back(std::move(u));
  }
  q.units = std::move(unique);
  return q;
}

}  // namespace signpost::catalogue::internal
