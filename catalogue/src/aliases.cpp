// Search aliases: parsing the list and finding keys in a query. See aliases.h.
#include "aliases.h"

#include <algorithm>

#include "signpost/model.h"

namespace signpost::catalogue::internal {

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> SplitOn(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t end = s.find(sep, start);
    if (end == std::string_view::npos) end = s.size();
    std::string_view part = Trim(s.substr(start, end - start));
    if (!part.empty()) out.push_back(part);
    start = end + 1;
  }
  return out;
}

std::string_view Unquote(std::string_view s) {
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') return Trim(s.substr(1, s.size() - 2));
  return s;
}

constexpr size_t kMaxKeyWords = 5;

}  // namespace

std::vector<std::string> SplitWords(std::string_view text, const WordSplitter& splitter,
                                    size_t max) {
  std::vector<std::string> out;
  const std::string folded = FoldForSearch(text);
  // As a query reads it: "ks5" is "ks 5", "i.t." is "it".
  SplitAsTyped(splitter, folded, 48, [&](std::string_view w, int, int) {
    out.emplace_back(w);
    return out.size() < max;
  });
  return out;
}

bool AliasTable::AddLine(std::string_view words, std::string_view means,
                         const WordSplitter& splitter, Stemmer& stemmer, std::string* problem) {
  auto fail = [&](const std::string& why) {
    if (problem) *problem = why;
    return false;
  };
  Alias alias;
  for (std::string_view raw : SplitOn(means, ',')) {
    AliasTarget t;
    raw = Unquote(raw);
    if (!raw.empty() && raw.front() == '~') {
      t.weak = true;
      raw = Trim(raw.substr(1));
    }
    if (raw.rfind("route:", 0) == 0) {
      auto route = ParseRoute(Trim(raw.substr(6)));
      if (!route) return fail("unknown route \"" + std::string(raw) + "\"");
      t.kind = AliasTarget::Kind::kRoute;
      t.value = static_cast<int>(*route);
      alias.route_word = true;
    } else if (raw.rfind("mode:", 0) == 0) {
      auto mode = ParseStudyMode(Trim(raw.substr(5)));
      if (!mode) return fail("unknown study mode \"" + std::string(raw) + "\"");
      t.kind = AliasTarget::Kind::kMode;
      t.value = static_cast<int>(*mode);
    } else {
      t.words = SplitWords(raw, splitter, kMaxKeyWords);
      if (t.words.empty()) continue;
    }
    alias.targets.push_back(std::move(t));
  }
  std::vector<std::pair<std::vector<std::string>, std::vector<std::string>>> keys;
  for (std::string_view key : SplitOn(words, ',')) {
    std::vector<std::string> stems;
    const std::vector<std::string> raw = SplitWords(Unquote(key), splitter, kMaxKeyWords + 1);
    for (const std::string& w : raw) stems.push_back(stemmer.Stem(w));
    if (stems.empty()) continue;
    if (stems.size() > kMaxKeyWords) return fail("a key has more than 5 words");
    if (raw.size() == 1) key_words_.push_back(raw[0]);
    keys.emplace_back(std::move(stems), raw);
  }
  if (keys.empty()) return fail("nothing before \"=\"");
  if (alias.targets.empty()) return fail("nothing after \"=\"");
  const size_t index = aliases_.size();
  aliases_.push_back(std::move(alias));
  for (auto& [stems, raw] : keys) {
    auto& list = by_first_stem_[stems[0]];
    list.push_back(Key{std::move(stems), std::move(raw), index});
    // Longest keys first, so the first full match is the longest.
    std::stable_sort(list.begin(), list.end(),
                     [](const Key& a, const Key& b) { return a.stems.size() > b.stems.size(); });
  }
  return true;
}

void AliasTable::AddText(std::string_view text, const WordSplitter& splitter, Stemmer& stemmer,
                         std::vector<std::string>* problems) {
  int line_no = 0;
  for (size_t start = 0; start < text.size();) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = Trim(text.substr(start, end - start));
    start = end + 1;
    ++line_no;
    if (line.empty() || line.front() == '#') continue;
    const size_t eq = line.find('=');
    std::string problem;
    if (eq == std::string_view::npos) {
      problem = "no \"=\" between what students type and what it means";
    } else if (AddLine(line.substr(0, eq), line.substr(eq + 1), splitter, stemmer, &problem)) {
      continue;
    }
    if (problems) problems->push_back("line " + std::to_string(line_no) + ": " + problem);
  }
  SortKeyWords();
}

void AliasTable::SortKeyWords() {
  std::sort(key_words_.begin(), key_words_.end());
  key_words_.erase(std::unique(key_words_.begin(), key_words_.end()), key_words_.end());
}

AliasTable::Match AliasTable::LongestAt(const std::vector<std::string>& stems,
                                        const std::vector<std::string>& words, size_t i) const {
  if (i >= stems.size() || stems.size() != words.size()) return {};
  auto it = by_first_stem_.find(stems[i]);
  if (it == by_first_stem_.end()) return {};
  for (const Key& k : it->second) {
    if (i + k.stems.size() > stems.size()) continue;
    bool same = true;
    for (size_t j = 0; same && j < k.stems.size(); ++j) {
      same = k.stems[j] == stems[i + j] && SameWordInflected(k.words[j], words[i + j]);
    }
    if (same) {
      return {&aliases_[k.alias], k.stems.size()};
    }
  }
  return {};
}

}  // namespace signpost::catalogue::internal
