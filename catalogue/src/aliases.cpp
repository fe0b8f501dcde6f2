// Search aliases: parsing the list and finding keys in a query. See aliases.h.
#include "aliases.h"

#include <algorithm>
#include <cstring>

#include "signpost/model.h"
#include "sqlite_util.h"

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

// Part of the source's hash: a change to how a table is kept changes it.
constexpr std::string_view kKeptFormat = "signpost-aliases-1";

// FNV-1a, 64-bit: the same bytes give the same hash on every build.
struct Fnv {
  std::uint64_t h = 14695981039346656037ull;
  void Add(std::string_view s) {
    for (unsigned char c : s) {
      h ^= c;
      h *= 1099511628211ull;
    }
  }
  void Field(std::string_view s) {  // length first, so fields cannot run together
    Add(std::to_string(s.size()));
    Add(":");
    Add(s);
  }
};

class Out {
 public:
  void U8(std::uint8_t v) { s_.push_back(static_cast<char>(v)); }
  template <typename T>
  void Fixed(T v) {
    s_.append(reinterpret_cast<const char*>(&v), sizeof v);
  }
  void U32(size_t v) { Fixed(static_cast<std::uint32_t>(v)); }
  void Str(std::string_view v) {
    U32(v.size());
    s_.append(v);
  }
  void Strs(const std::vector<std::string>& v) {
    U32(v.size());
    for (const std::string& x : v) Str(x);
  }
  std::string Take() { return std::move(s_); }

 private:
  std::string s_;
};

// Reads what Out wrote; every read is bounded by the bytes left, so damaged
// bytes fail (ok() false) instead of reading past the end or reserving much.
class In {
 public:
  explicit In(std::string_view s) : rest_(s) {}
  bool ok() const { return ok_; }
  bool done() const { return ok_ && rest_.empty(); }
  template <typename T>
  T Fixed() {
    T v{};
    if (!Need(sizeof v)) return v;
    std::memcpy(&v, rest_.data(), sizeof v);
    rest_.remove_prefix(sizeof v);
    return v;
  }
  std::uint8_t U8() { return Fixed<std::uint8_t>(); }
  // A count of things each at least `min_bytes` long.
  std::uint32_t Count(size_t min_bytes) {
    const auto n = Fixed<std::uint32_t>();
    if (n > rest_.size() / min_bytes) ok_ = false;
    return ok_ ? n : 0;
  }
  std::string Str() {
    const std::uint32_t n = Count(1);
    if (!Need(n)) return {};
    std::string v(rest_.substr(0, n));
    rest_.remove_prefix(n);
    return v;
  }
  std::vector<std::string> Strs() {
    std::vector<std::string> v(Count(4));
    for (std::string& x : v) x = Str();
    return v;
  }

 private:
  bool Need(size_t n) {
    if (n > rest_.size()) ok_ = false;
    return ok_;
  }
  std::string_view rest_;
  bool ok_ = true;
};

}  // namespace

AliasSource ReadAliasSource(sqlite3* db) {
  AliasSource src;
  Fnv h;
  h.Field(kKeptFormat);
  h.Field(ShippedAliasText());
  Stmt q(db, "SELECT feed, words, means FROM search_alias ORDER BY id");
  while (q.Step()) {
    src.local.push_back({q.Text(0), q.Text(1), q.Text(2)});
    h.Field(src.local.back().feed);
    h.Field(src.local.back().words);
    h.Field(src.local.back().means);
  }
  src.hash = h.h;
  return src;
}

void AliasTable::Build(const AliasSource& source, const WordSplitter& splitter, Stemmer& stemmer,
                       std::vector<std::string>* problems) {
  *this = AliasTable();
  AddText(ShippedAliasText(), splitter, stemmer, problems);
  for (const AliasSource::Line& line : source.local) {
    std::string problem;
    if (!AddLine(line.words, line.means, splitter, stemmer, &problem) && problems) {
      problems->push_back("feed " + line.feed + ": " + problem);
    }
  }
  SortKeyWords();
}

std::string AliasTable::Serialize(std::uint64_t hash,
                                  const std::vector<std::string>& problems) const {
  Out o;
  o.Fixed(hash);
  o.U32(aliases_.size());
  for (const Alias& a : aliases_) {
    o.U8(a.route_word);
    o.U32(a.targets.size());
    for (const AliasTarget& t : a.targets) {
      o.U8(static_cast<std::uint8_t>(t.kind));
      o.U8(t.weak);
      o.Fixed(static_cast<std::int32_t>(t.value));
      o.Strs(t.words);
    }
  }
  o.U32(by_first_stem_.size());
  for (const auto& [stem, keys] : by_first_stem_) {
    o.Str(stem);
    o.U32(keys.size());
    for (const Key& k : keys) {
      o.U32(k.alias);
      o.Strs(k.stems);
      o.Strs(k.words);
    }
  }
  o.Strs(key_words_);
  o.Strs(problems);
  return o.Take();
}

bool AliasTable::Restore(std::string_view bytes, std::uint64_t hash,
                         std::vector<std::string>* problems) {
  *this = AliasTable();
  auto refuse = [this] {
    *this = AliasTable();
    return false;
  };
  In in(bytes);
  if (in.Fixed<std::uint64_t>() != hash || !in.ok()) return false;
  aliases_.resize(in.Count(5));
  for (Alias& a : aliases_) {
    a.route_word = in.U8() != 0;
    a.targets.resize(in.Count(10));
    for (AliasTarget& t : a.targets) {
      const std::uint8_t kind = in.U8();
      t.weak = in.U8() != 0;
      t.value = in.Fixed<std::int32_t>();
      t.words = in.Strs();
      t.kind = static_cast<AliasTarget::Kind>(kind);
      const bool valid =
          (t.kind == AliasTarget::Kind::kWords && !t.words.empty()) ||
          (t.kind == AliasTarget::Kind::kRoute && t.value >= 0 && t.value < kRouteCount) ||
          (t.kind == AliasTarget::Kind::kMode && t.value >= 0 && t.value < kStudyModeCount);
      if (!valid || !in.ok()) return refuse();
    }
  }
  const std::uint32_t groups = in.Count(8);
  for (std::uint32_t g = 0; g < groups && in.ok(); ++g) {
    std::vector<Key>& keys = by_first_stem_[in.Str()];
    keys.resize(in.Count(12));
    for (Key& k : keys) {
      k.alias = in.Fixed<std::uint32_t>();
      k.stems = in.Strs();
      k.words = in.Strs();
      if (k.alias >= aliases_.size() || k.stems.empty() || k.stems.size() != k.words.size()) {
        return refuse();
      }
    }
  }
  key_words_ = in.Strs();
  std::vector<std::string> kept_problems = in.Strs();
  if (!in.done()) return refuse();
  if (problems) *problems = std::move(kept_problems);
  return true;
}

bool operator==(const AliasTable& a, const AliasTable& b) {
  return a.aliases_ == b.aliases_ && a.by_first_stem_ == b.by_first_stem_ &&
         a.key_words_ == b.key_words_;
}

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
