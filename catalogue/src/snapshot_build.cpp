// Building the search snapshot (writer side). See snapshot.h for what it
// holds and snapshot_format.h for the layout.
//
// Index: [SECTION] Docs  [SECTION] Lexicon  [SECTION] Prefix cache
//        [SECTION] Writing
//
// Cost at 250k opportunities: one pass over the opportunity rows, which
// also splits their titles, subjects, providers, qualifications and
// employers into words (the words of the title and title/subject/provider
// indexes, doc by doc: the lexicon's counts and the prefix cache's bitsets),
// and a fixed sample of descriptions (their words are far too many to read
// whole on every import).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <map>
#include <optional>
#include <unordered_map>

#include "aliases.h"
#include "signpost/dates.h"
#include "signpost/model.h"
#include "snapshot.h"
#include "snapshot_format.h"
#include "sqlite_util.h"
#include "text.h"

namespace signpost::catalogue::internal {

namespace {

constexpr size_t kMaxPrefixBytes = 12;
constexpr std::uint32_t kDescriptionSample = 4000;  // descriptions read per rebuild

// A prefix is "common" when the words starting with it occur in at least
// this many documents (summed over words, so an over-estimate).
std::int64_t CommonThreshold(size_t docs) {
  return std::max<std::int64_t>(4096, static_cast<std::int64_t>(docs) / 40);
}

bool Continuation(char c) { return (static_cast<unsigned char>(c) & 0xc0) == 0x80; }

struct Docs {
  std::vector<std::int64_t> rowid;
  std::vector<std::uint8_t> route, mode, flexible;
  std::vector<std::int8_t> level;
  std::vector<std::uint16_t> subject;
  std::vector<std::int32_t> start;
  std::vector<float> lat, lon;
  std::vector<std::string> subjects;
  size_t size() const { return rowid.size(); }
  // Index of `r` in rowid at or after `from`, or size() when absent.
  size_t Find(std::int64_t r, size_t from) const {
    size_t step = 1, lo = from, hi = from;
    while (hi < rowid.size() && rowid[hi] < r) {  // gallop, then bisect
      lo = hi;
      hi += step;
      step *= 2;
    }
    hi = std::min(hi + 1, rowid.size());
    auto it = std::lower_bound(rowid.begin() + static_cast<std::ptrdiff_t>(lo),
                               rowid.begin() + static_cast<std::ptrdiff_t>(hi), r);
    const size_t i = static_cast<size_t>(it - rowid.begin());
    return i < rowid.size() && rowid[i] == r ? i : rowid.size();
  }
};

// [SECTION] Docs ---------------------------------------------------------------------------

// The words of the title tier (0) and of the title, subject, provider,
// qualification and employer tier (1), doc by doc. ReadDocs finds them by
// splitting those columns with the indexes' own tokenizer (unicode61,
// remove_diacritics 2, each column on its own, as FTS5 indexed it), so they
// are the words the two full-text indexes hold, for the same documents (an
// opportunity always has its provider: the foreign key). That costs a
// fraction of reading the indexes' postings back through fts5vocab ('row'
// for the counts, 'instance' for the documents), and shares ReadDocs' one
// pass over the rows.
struct TierWords {
  std::vector<std::string> words;      // by first sight
  std::vector<std::uint32_t> docs[2];  // per word: documents holding it, per tier
  // Per doc: its distinct title words, then its other distinct words.
  std::vector<std::uint32_t> ids, start, title_end;  // start has one entry more than docs
};

// Splits one doc's tier 0 and 1 columns into TierWords.
class TierWordReader {
 public:
  TierWordReader(sqlite3* db, TierWords* out) : splitter_(db), t_(*out) {}
  // `cols`: title, subject, provider, qualification, employer.
  void Add(Stmt& q, int first_col) {
    t_.start.push_back(static_cast<std::uint32_t>(t_.ids.size()));
    ++doc_;
    for (int col = first_col; col < first_col + 5; ++col) {
      title_ = col == first_col;
      if (!q.IsNull(col)) {
        splitter_.Split(q.TextView(col), [this](std::string_view w, int, int) {
          Word(w);
          return true;
        });
      }
      if (title_) t_.title_end.push_back(static_cast<std::uint32_t>(t_.ids.size()));
    }
  }
  void Finish() { t_.start.push_back(static_cast<std::uint32_t>(t_.ids.size())); }

 private:
  void Word(std::string_view w) {
    key_.assign(w);
    auto [it, fresh] = id_of_.try_emplace(key_, static_cast<std::uint32_t>(t_.words.size()));
    if (fresh) {
      t_.words.push_back(key_);
      for (int tier = 0; tier < 2; ++tier) {
        t_.docs[tier].push_back(0);
        seen_[tier].push_back(0);
      }
    }
    const std::uint32_t id = it->second;
    bool added = false;
    for (int tier = title_ ? 0 : 1; tier < 2; ++tier) {
      if (seen_[tier][id] == doc_) continue;  // already counted for this doc
      seen_[tier][id] = doc_;
      ++t_.docs[tier][id];
      if (!added) t_.ids.push_back(id);
      added = true;
    }
  }

  WordSplitter splitter_;
  TierWords& t_;
  std::unordered_map<std::string, std::uint32_t> id_of_;
  std::vector<std::uint32_t> seen_[2];  // per word: the last doc (1-based) that counted it
  std::string key_;
  std::uint32_t doc_ = 0;
  bool title_ = true;
};

// The docs, and (when `words` is given) the words of their tier 0 and 1
// columns.
Docs ReadDocs(sqlite3* db, TierWords* words) {
  Docs s;
  std::unordered_map<std::string, std::uint16_t> subject_ids;
  Stmt q(db,
         "SELECT o.id, o.route, o.level, o.mode, o.flexible_start, o.subject_area, "
         "o.start_date, COALESCE(o.lat, p.lat), COALESCE(o.lon, p.lon), o.title, "
         "o.subject_area, o.provider_name, o.qualification, o.employer FROM opportunity o "
         "JOIN provider p ON p.id = o.provider_id ORDER BY o.id");
  const float nan = std::numeric_limits<float>::quiet_NaN();
  std::optional<TierWordReader> reader;
  if (words) reader.emplace(db, words);
  while (q.Step()) {
    if (reader) reader->Add(q, 9);
    s.rowid.push_back(q.Int(0));
    s.route.push_back(
        static_cast<std::uint8_t>(ParseRoute(q.TextView(1)).value_or(Route::kFurtherEducation)));
    s.level.push_back(static_cast<std::int8_t>(std::clamp<std::int64_t>(q.Int(2), -1, 8)));
    s.mode.push_back(
        static_cast<std::uint8_t>(ParseStudyMode(q.TextView(3)).value_or(StudyMode::kUnknown)));
    s.flexible.push_back(q.Int(4) ? 1 : 0);
    std::uint16_t sid = kNoSubject;
    if (!q.IsNull(5) && !q.TextView(5).empty()) {
      std::string area(q.TextView(5));
      auto it = subject_ids.find(area);
      if (it != subject_ids.end()) {
        sid = it->second;
      } else if (s.subjects.size() < kNoSubject) {
        sid = static_cast<std::uint16_t>(s.subjects.size());
        subject_ids.emplace(area, sid);
        s.subjects.push_back(std::move(area));
      }
    }
    s.subject.push_back(sid);
    std::int32_t start = kNoStart;
    if (!q.IsNull(6)) {
      if (auto d = ParseIsoDate(q.TextView(6))) start = *d;
    }
    s.start.push_back(start);
    s.lat.push_back(q.IsNull(7) ? nan : static_cast<float>(q.Double(7)));
    s.lon.push_back(q.IsNull(8) ? nan : static_cast<float>(q.Double(8)));
  }
  if (reader) reader->Finish();
  return s;
}

// [SECTION] Items ------------------------------------------------------------------------

// Careers, events and local items: their order and filter columns. The keys
// are made by SQLite (as search made them when it read rows) and ranked here
// by their bytes, then rowid: the order search shows them in within a tier.
struct Items {
  std::vector<std::int64_t> rowid, end_at;
  std::vector<std::uint32_t> rank;
  std::vector<std::uint8_t> routes, flags;
  std::vector<std::string> starts, ends;
};

Items ReadItems(sqlite3* db, int kind) {
  static constexpr const char* kSql[3] = {
      "SELECT id, printf('%04d', length(title)) || title, 0, 0, NULL, NULL, NULL FROM career "
      "ORDER BY id",
      "SELECT id, printf('%012d', start_at), routes, typeof(end_at) IN ('text', 'blob'), end_at, "
      "NULL, NULL FROM event ORDER BY id",
      "SELECT id, title, CASE route WHEN 'fe' THEN 1 WHEN 'tlevel' THEN 2 WHEN 'he' THEN 4 WHEN "
      "'apprenticeship' THEN 8 ELSE 0 END, 0, NULL, starts, ends FROM local_item ORDER BY id"};
  Items it;
  std::vector<std::string> keys;
  Stmt q(db, kSql[kind]);
  while (q.Step()) {
    it.rowid.push_back(q.Int(0));
    keys.push_back(q.Text(1));
    const std::int64_t routes = q.Int(2);
    std::uint8_t flags = q.Int(3) ? kEndAtText : 0;
    if (routes != 0) flags |= kHasRoutes;
    if (!q.IsNull(5)) flags |= kHasStarts;
    if (!q.IsNull(6)) flags |= kHasEnds;
    it.routes.push_back(static_cast<std::uint8_t>(routes & 0xff));
    it.flags.push_back(flags);
    it.end_at.push_back(q.IsNull(4) ? INT64_MIN : q.Int(4));
    it.starts.push_back(q.Text(5));
    it.ends.push_back(q.Text(6));
  }
  std::vector<std::uint32_t> order(it.rowid.size());
  for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    if (const int c = keys[a].compare(keys[b]); c != 0) return c < 0;
    return it.rowid[a] < it.rowid[b];
  });
  it.rank.resize(order.size());
  for (std::uint32_t pos = 0; pos < order.size(); ++pos) it.rank[order[pos]] = pos;
  return it;
}

// [SECTION] Lexicon ---------------------------------------------------------------------

struct TermInfo {
  std::uint8_t where = 0;
  std::uint32_t docs = 0;
};

void AddVocab(sqlite3* db, const char* fts, std::uint8_t where,
              std::map<std::string, TermInfo, std::less<>>* lexicon) {
  const std::string vocab = std::string("temp.sp_row_") + fts;
  Exec(db, ("CREATE VIRTUAL TABLE IF NOT EXISTS " + vocab + " USING fts5vocab(main, '" + fts +
            "', 'row')")
               .c_str());
  Stmt v(db, "SELECT term, doc FROM " + vocab);
  while (v.Step()) {
    const std::string_view term = v.TextView(0);
    if (term.empty() || term.size() > kMaxTermBytes) continue;
    auto it = lexicon->find(term);
    if (it == lexicon->end()) it = lexicon->emplace(std::string(term), TermInfo{}).first;
    it->second.where |= where;
    if (where != kInTitle) {
      it->second.docs += static_cast<std::uint32_t>(std::min<std::int64_t>(v.Int(1), 1 << 30));
    }
  }
}

// Words of a fixed sample of descriptions, with their estimated document
// counts over all docs; the prefixes too common in descriptions to tell
// documents apart go to `common`.
void SampleDescriptions(sqlite3* db, const Docs& docs,
                        std::map<std::string, TermInfo, std::less<>>* lexicon,
                        std::vector<std::string>* common) {
  const size_t n = docs.size();
  if (n == 0) return;
  const size_t step = std::max<size_t>(1, n / kDescriptionSample);
  WordSplitter splitter(db);
  Stmt q(db, "SELECT description FROM opportunity WHERE id = ?");
  // Words are looked up by view (no copy per word), and a description's
  // words go into one buffer (the splitter's views last only for the call).
  struct ViewHash {
    using is_transparent = void;
    size_t operator()(std::string_view v) const { return std::hash<std::string_view>{}(v); }
  };
  std::unordered_map<std::string, std::uint32_t, ViewHash, std::equal_to<>> df;
  std::string words;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> spans;  // offset, size in words
  std::vector<std::string_view> seen;
  size_t sampled = 0;
  for (size_t i = 0; i < n; i += step) {
    q.Reset();
    q.Bind(1, docs.rowid[i]);
    if (!q.Step() || q.IsNull(0)) {
      ++sampled;
      continue;
    }
    ++sampled;
    words.clear();
    spans.clear();
    splitter.Split(q.TextView(0), [&](std::string_view w, int, int) {
      if (w.size() <= kMaxTermBytes) {
        spans.emplace_back(static_cast<std::uint32_t>(words.size()),
                           static_cast<std::uint32_t>(w.size()));
        words.append(w);
      }
      return spans.size() < 2000;
    });
    seen.clear();
    for (const auto& [offset, size] : spans) seen.emplace_back(words.data() + offset, size);
    std::sort(seen.begin(), seen.end());
    seen.erase(std::unique(seen.begin(), seen.end()), seen.end());
    for (std::string_view w : seen) {
      if (auto it = df.find(w); it != df.end()) {
        ++it->second;
      } else {
        df.emplace(w, 1);
      }
    }
  }
  const double scale = static_cast<double>(n) / static_cast<double>(std::max<size_t>(sampled, 1));
  const std::int64_t threshold = CommonThreshold(n);
  std::unordered_map<std::string, std::int64_t> prefix_docs;
  for (const auto& [word, count] : df) {
    const auto estimate = static_cast<std::uint32_t>(std::min(1e9, count * scale));
    auto it = lexicon->find(word);
    if (it == lexicon->end()) it = lexicon->emplace(word, TermInfo{}).first;
    it->second.where |= kInDescription;
    if (!(it->second.where & kInTier1)) it->second.docs += estimate;
    if (static_cast<std::int64_t>(n) < threshold) continue;
    for (size_t len = 1; len <= std::min(word.size(), kMaxPrefixBytes); ++len) {
      if (len < word.size() && Continuation(word[len])) continue;
      prefix_docs[word.substr(0, len)] += estimate;
    }
  }
  for (const auto& [prefix, d] : prefix_docs) {
    if (d >= threshold) common->push_back(prefix);
  }
  std::sort(common->begin(), common->end());
}

// The lexicon's entries for the words of tiers 0 and 1 (as AddVocab).
void AddTierWords(const TierWords& t, std::map<std::string, TermInfo, std::less<>>* lexicon) {
  for (size_t w = 0; w < t.words.size(); ++w) {
    const std::string& term = t.words[w];
    if (term.empty() || term.size() > kMaxTermBytes) continue;
    TermInfo& info = (*lexicon)[term];
    if (t.docs[0][w] > 0) info.where |= kInTitle;
    if (t.docs[1][w] > 0) {
      info.where |= kInTier1;
      info.docs += t.docs[1][w];
    }
  }
}

// [SECTION] Prefix cache -----------------------------------------------------------------

struct PrefixCache {
  std::vector<std::string> prefixes[2];  // sorted
  std::vector<std::uint32_t> set[2];     // bitset per prefix
  std::vector<std::string> words[2];     // sorted common whole words
  std::vector<std::uint32_t> word_set[2];
  std::vector<std::uint64_t> bits;  // count * words
  std::uint32_t count = 0;
};

// Caches the match sets of common prefixes of one tier. Prefixes that cover
// exactly the same words (e.g. "apprenti" and "apprentic") share one bitset.
// One pass over the tier's words (in byte order, as FTS5 keeps them) counts,
// one pass over the docs' words fills the bitsets.
void BuildPrefixCache(const TierWords& tw, const Docs& docs, int tier, PrefixCache* cache) {
  const size_t n = docs.size(), words = (n + 63) / 64;
  const std::int64_t threshold = CommonThreshold(n);
  if (static_cast<std::int64_t>(n) < threshold) return;
  struct Range {
    std::int64_t docs = 0;   // summed over words
    std::int64_t first = 0;  // index of the first and last word with this prefix
    std::int64_t last = 0;
  };
  std::vector<std::uint32_t> terms;  // the tier's words (ids), in byte order
  for (std::uint32_t w = 0; w < tw.words.size(); ++w) {
    if (tw.docs[tier][w] > 0) terms.push_back(w);
  }
  std::sort(terms.begin(), terms.end(),
            [&](std::uint32_t a, std::uint32_t b) { return tw.words[a] < tw.words[b]; });
  std::unordered_map<std::string, Range> prefixes;
  std::vector<std::int64_t> common_words;  // indices of words in >= threshold docs
  for (std::int64_t word = 0; word < static_cast<std::int64_t>(terms.size()); ++word) {
    const std::uint32_t id = terms[static_cast<size_t>(word)];
    const std::string_view term = tw.words[id];
    const std::int64_t d = tw.docs[tier][id];
    if (d >= threshold) common_words.push_back(word);
    for (size_t len = 1; len <= std::min(term.size(), kMaxPrefixBytes); ++len) {
      if (len < term.size() && Continuation(term[len])) continue;
      auto [it, fresh] = prefixes.try_emplace(std::string(term.substr(0, len)));
      if (fresh) it->second.first = word;
      it->second.docs += d;
      it->second.last = word;
    }
  }
  // One bitset per distinct word range.
  std::map<std::pair<std::int64_t, std::int64_t>, std::uint32_t> set_of_range;
  std::vector<std::pair<std::string, std::uint32_t>> cached;
  for (const auto& [prefix, range] : prefixes) {
    if (range.docs < threshold) continue;
    auto [it, fresh] = set_of_range.try_emplace({range.first, range.last}, cache->count);
    if (fresh) ++cache->count;
    cached.emplace_back(prefix, it->second);
  }
  for (std::int64_t w : common_words) {
    auto [it, fresh] = set_of_range.try_emplace({w, w}, cache->count);
    if (fresh) ++cache->count;
    cache->words[tier].push_back(tw.words[terms[static_cast<size_t>(w)]]);
    cache->word_set[tier].push_back(it->second);
  }
  if (set_of_range.empty()) return;
  std::sort(cached.begin(), cached.end());
  for (auto& [prefix, set] : cached) {
    cache->prefixes[tier].push_back(prefix);
    cache->set[tier].push_back(set);
  }
  cache->bits.resize(static_cast<size_t>(cache->count) * words, 0);  // earlier tiers' sets kept
  // For each word (by id), the bitsets its documents go to.
  std::vector<std::vector<std::uint32_t>> sets_of_word(tw.words.size());
  for (const auto& [range, set] : set_of_range) {
    for (std::int64_t w = range.first; w <= range.second; ++w) {
      sets_of_word[terms[static_cast<size_t>(w)]].push_back(set);
    }
  }
  for (size_t doc = 0; doc < n; ++doc) {
    const std::uint64_t bit = std::uint64_t{1} << (doc % 64);
    const std::uint32_t end = tier == 0 ? tw.title_end[doc] : tw.start[doc + 1];
    for (std::uint32_t i = tw.start[doc]; i < end; ++i) {
      for (std::uint32_t set : sets_of_word[tw.ids[i]]) {
        cache->bits[static_cast<size_t>(set) * words + doc / 64] |= bit;
      }
    }
  }
}

// [SECTION] Lists of documents --------------------------------------------------------

// Each term's documents in tiers 0 and 1, as snapshot_format.h lays them out.
struct Postings {
  std::vector<std::uint32_t> start;  // terms + 1
  std::string bytes;
};

void PutVarint(std::uint64_t v, std::string* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

// From the docs' words: one pass counts each term's documents, one fills
// them in document order, so every list comes out ascending.
Postings BuildPostings(const TierWords& tw, const std::vector<std::string_view>& terms) {
  constexpr std::uint32_t kNone = UINT32_MAX;
  std::vector<std::uint32_t> term_of(tw.words.size(), kNone);
  for (size_t w = 0; w < tw.words.size(); ++w) {
    const auto it = std::lower_bound(terms.begin(), terms.end(), std::string_view(tw.words[w]));
    if (it != terms.end() && *it == tw.words[w]) {
      term_of[w] = static_cast<std::uint32_t>(it - terms.begin());
    }
  }
  std::vector<std::uint32_t> fill(terms.size() + 1, 0);
  for (std::uint32_t id : tw.ids) {
    if (term_of[id] != kNone) ++fill[term_of[id] + 1];
  }
  for (size_t t = 0; t < terms.size(); ++t) fill[t + 1] += fill[t];
  std::vector<std::uint32_t> docs(fill.back());  // doc << 1 | in its title
  const size_t n = tw.start.empty() ? 0 : tw.start.size() - 1;
  for (size_t doc = 0; doc < n; ++doc) {
    for (std::uint32_t i = tw.start[doc]; i < tw.start[doc + 1]; ++i) {
      const std::uint32_t t = term_of[tw.ids[i]];
      if (t == kNone) continue;
      docs[fill[t]++] = static_cast<std::uint32_t>(doc << 1) | (i < tw.title_end[doc] ? 1 : 0);
    }
  }
  Postings p;
  p.start.reserve(terms.size() + 1);
  p.bytes.reserve(docs.size() * 2);
  size_t at = 0;
  for (size_t t = 0; t < terms.size(); ++t) {
    p.start.push_back(static_cast<std::uint32_t>(p.bytes.size()));
    std::uint64_t last = 0;
    for (bool first = true; at < fill[t]; ++at, first = false) {
      const std::uint64_t doc = docs[at] >> 1;
      PutVarint((first ? doc : doc - last) << 1 | (docs[at] & 1), &p.bytes);
      last = doc;
    }
  }
  p.start.push_back(static_cast<std::uint32_t>(p.bytes.size()));
  return p;
}

// The lists of the snapshot being replaced, for terms that are still there
// (the docs did not change, so neither did their words).
Postings ReusePostings(const SnapshotView& old, const std::vector<std::string_view>& terms) {
  Postings p;
  p.start.reserve(terms.size() + 1);
  for (std::string_view term : terms) {
    p.start.push_back(static_cast<std::uint32_t>(p.bytes.size()));
    const std::uint32_t t = old.terms.Find(term);
    if (t == old.terms.count) continue;
    p.bytes.append(
        old.postings.substr(old.post_start[t], old.post_start[t + 1] - old.post_start[t]));
  }
  p.start.push_back(static_cast<std::uint32_t>(p.bytes.size()));
  return p;
}

// [SECTION] Writing ---------------------------------------------------------------------

class Writer {
 public:
  Writer() { out_.resize(sizeof(SnapshotHeader), '\0'); }
  SnapshotHeader& header() { return *reinterpret_cast<SnapshotHeader*>(out_.data()); }

  template <typename T>
  void Array(Section s, const std::vector<T>& v) {
    Begin(s);
    if (!v.empty()) out_.append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
    End(s);
  }
  void Bytes(Section s, std::string_view v) {
    Begin(s);
    out_.append(v);
    End(s);
  }
  template <typename List>
  void Strings(Section s, const List& v) {
    Begin(s);
    const auto count = static_cast<std::uint32_t>(v.size());
    Put(count);
    std::uint32_t off = 0;
    Put(off);
    for (const auto& str : v) {
      off += static_cast<std::uint32_t>(std::string_view(str).size());
      Put(off);
    }
    for (const auto& str : v) out_.append(std::string_view(str));
    End(s);
  }
  std::string Finish() {
    Pad();
    Put(header().token);  // the last 8 bytes: see snapshot_format.h
    header().total_bytes = out_.size();
    return std::move(out_);
  }

 private:
  template <typename T>
  void Put(const T& v) {
    out_.append(reinterpret_cast<const char*>(&v), sizeof v);
  }
  void Pad() {
    while (out_.size() % 8) out_.push_back('\0');
  }
  void Begin(Section s) {
    Pad();
    header().sections[s].offset = out_.size();
  }
  void End(Section s) { header().sections[s].bytes = out_.size() - header().sections[s].offset; }
  std::string out_;
};

}  // namespace

// The docs and prefix cache of the snapshot the catalogue holds now, for a
// rebuild when only careers, events or local content changed. False when
// there is none to reuse.
bool ReuseDocs(sqlite3* db, SnapshotView* view, Docs* docs, PrefixCache* cache) {
  SnapshotView& old = *view;
  try {
    old.Load(db, "");
  } catch (const SqliteError&) {
    return false;  // damaged or missing: build it all
  }
  if (old.size() == 0) return false;
  auto copy = [](const auto& a, auto* v) { v->assign(a.data, a.data + a.size); };
  copy(old.rowid, &docs->rowid);
  copy(old.route, &docs->route);
  copy(old.level, &docs->level);
  copy(old.mode, &docs->mode);
  copy(old.flexible, &docs->flexible);
  copy(old.subject, &docs->subject);
  copy(old.start, &docs->start);
  copy(old.lat, &docs->lat);
  copy(old.lon, &docs->lon);
  for (std::uint32_t i = 0; i < old.subjects.count; ++i) {
    docs->subjects.emplace_back(old.subjects.at(i));
  }
  for (int tier = 0; tier < 2; ++tier) {
    for (std::uint32_t i = 0; i < old.prefixes[tier].count; ++i) {
      cache->prefixes[tier].emplace_back(old.prefixes[tier].at(i));
      cache->set[tier].push_back(old.prefix_set[tier][i]);
    }
    for (std::uint32_t i = 0; i < old.common_words[tier].count; ++i) {
      cache->words[tier].emplace_back(old.common_words[tier].at(i));
      cache->word_set[tier].push_back(old.word_set[tier][i]);
    }
  }
  cache->count = old.bitset_count();
  const std::uint64_t* bits = old.bitsets();
  cache->bits.assign(bits, bits + static_cast<size_t>(cache->count) * old.words());
  return true;
}

std::shared_ptr<const std::string> RebuildSearchSnapshot(sqlite3* db, bool docs_changed) {
  const auto t0 = std::chrono::steady_clock::now();
  Docs docs;
  PrefixCache cache;
  TierWords tier_words;
  SnapshotView old;  // the snapshot being replaced, when the docs are reused
  const bool reused = !docs_changed && ReuseDocs(db, &old, &docs, &cache);
  if (!reused) docs = ReadDocs(db, &tier_words);
  const auto t1 = std::chrono::steady_clock::now();

  std::map<std::string, TermInfo, std::less<>> lexicon;
  if (reused) {
    AddVocab(db, kTierTables[0], kInTitle, &lexicon);
    AddVocab(db, kTierTables[1], kInTier1, &lexicon);
  } else {
    AddTierWords(tier_words, &lexicon);
  }
  AddVocab(db, "career_fts", kInCareer, &lexicon);
  AddVocab(db, "event_fts", kInEvent, &lexicon);
  AddVocab(db, "local_fts", kInLocal, &lexicon);
  std::vector<std::string> common_in_text;
  SampleDescriptions(db, docs, &lexicon, &common_in_text);
  const auto t2 = std::chrono::steady_clock::now();

  // Terms in order, with stems and sound-alike keys.
  std::vector<std::string_view> terms;
  std::vector<std::uint8_t> where;
  std::vector<std::uint32_t> term_docs;
  std::vector<std::string> term_stem_text, keys;
  Stemmer stemmer;
  for (const auto& [term, info] : lexicon) {
    terms.push_back(term);
    where.push_back(info.where);
    term_docs.push_back(info.docs);
    term_stem_text.push_back(stemmer.Stem(term));
    keys.push_back(PhoneticKey(term));
  }
  const auto t_count = static_cast<std::uint32_t>(terms.size());
  std::vector<std::string_view> stems(term_stem_text.begin(), term_stem_text.end());
  std::sort(stems.begin(), stems.end());
  stems.erase(std::unique(stems.begin(), stems.end()), stems.end());
  std::vector<std::uint32_t> term_stem(t_count), stem_start(stems.size() + 1, 0),
      stem_terms(t_count), by_key(t_count);
  for (std::uint32_t i = 0; i < t_count; ++i) {
    term_stem[i] = static_cast<std::uint32_t>(
        std::lower_bound(stems.begin(), stems.end(), std::string_view(term_stem_text[i])) -
        stems.begin());
    ++stem_start[term_stem[i] + 1];
  }
  for (size_t s = 0; s < stems.size(); ++s) stem_start[s + 1] += stem_start[s];
  {
    std::vector<std::uint32_t> fill(stem_start.begin(), stem_start.end() - 1);
    for (std::uint32_t i = 0; i < t_count; ++i) stem_terms[fill[term_stem[i]]++] = i;
  }
  for (std::uint32_t i = 0; i < t_count; ++i) by_key[i] = i;
  std::sort(by_key.begin(), by_key.end(), [&](std::uint32_t a, std::uint32_t b) {
    return keys[a] != keys[b] ? keys[a] < keys[b] : a < b;
  });

  Postings postings;
  if (!reused) {
    BuildPrefixCache(tier_words, docs, 0, &cache);
    BuildPrefixCache(tier_words, docs, 1, &cache);
    postings = BuildPostings(tier_words, terms);
    tier_words = TierWords();
  } else {
    postings = ReusePostings(old, terms);
  }
  if (postings.bytes.size() > UINT32_MAX) {
    throw SqliteError(SQLITE_TOOBIG, "the search snapshot's lists of documents are too long");
  }
  const auto t3 = std::chrono::steady_clock::now();

  Writer w;
  SnapshotHeader& h = w.header();
  std::memcpy(h.magic, kSnapshotMagic, sizeof kSnapshotMagic);
  h.version = kSnapshotVersion;
  h.n_docs = static_cast<std::uint32_t>(docs.size());
  sqlite3_randomness(sizeof h.token, &h.token);
  h.bitset_count = cache.count;
  w.Array(kSecRowid, docs.rowid);
  w.Array(kSecRoute, docs.route);
  w.Array(kSecLevel, docs.level);
  w.Array(kSecMode, docs.mode);
  w.Array(kSecFlexible, docs.flexible);
  w.Array(kSecSubject, docs.subject);
  w.Array(kSecStart, docs.start);
  w.Array(kSecLat, docs.lat);
  w.Array(kSecLon, docs.lon);
  w.Strings(kSecSubjects, docs.subjects);
  w.Strings(kSecTerms, terms);
  w.Array(kSecTermWhere, where);
  w.Array(kSecTermDocs, term_docs);
  w.Array(kSecTermStem, term_stem);
  w.Strings(kSecStems, stems);
  w.Array(kSecStemStart, stem_start);
  w.Array(kSecStemTerms, stem_terms);
  w.Strings(kSecTermKeys, keys);
  w.Array(kSecTermsByKey, by_key);
  w.Strings(kSecPrefixes0, cache.prefixes[0]);
  w.Array(kSecPrefixSet0, cache.set[0]);
  w.Strings(kSecPrefixes1, cache.prefixes[1]);
  w.Array(kSecPrefixSet1, cache.set[1]);
  w.Strings(kSecWords0, cache.words[0]);
  w.Array(kSecWordSet0, cache.word_set[0]);
  w.Strings(kSecWords1, cache.words[1]);
  w.Array(kSecWordSet1, cache.word_set[1]);
  w.Strings(kSecCommonInText, common_in_text);
  w.Array(kSecBitsets, cache.bits);
  {
    // The search words, built here once, so readers need not parse them.
    const AliasSource source = ReadAliasSource(db);
    AliasTable table;
    std::vector<std::string> problems;
    table.Build(source, WordSplitter(db), stemmer, &problems);
    w.Bytes(kSecAliases, table.Serialize(source.hash, problems));
  }
  w.Array(kSecPostStart, postings.start);
  w.Bytes(kSecPostings, postings.bytes);
  for (int k = 0; k < 3; ++k) {
    const Items it = ReadItems(db, k);
    auto col = [&](ItemColumn c) {
      return static_cast<Section>(kSecItems + static_cast<std::uint32_t>(k) * kItemColumns + c);
    };
    w.Array(col(kItemRowid), it.rowid);
    w.Array(col(kItemRank), it.rank);
    w.Array(col(kItemRoutes), it.routes);
    w.Array(col(kItemFlags), it.flags);
    w.Array(col(kItemEndAt), it.end_at);
    w.Strings(col(kItemStarts), it.starts);
    w.Strings(col(kItemEnds), it.ends);
  }
  auto bytes = std::make_shared<const std::string>(w.Finish());

  Exec(db, "DELETE FROM search_snapshot");
  Stmt ins(db, "INSERT INTO search_snapshot(id, docs) VALUES(1, ?)");
  ins.BindBlob(1, bytes->data(), static_cast<int>(bytes->size())).Run();
  if (std::getenv("SIGNPOST_TRACE_IMPORT")) {
    auto ms = [](auto a, auto b) {
      return std::chrono::duration<double, std::milli>(b - a).count();
    };
    std::fprintf(stderr,
                 "  [import] snapshot: %zu docs %.1f ms%s, %u words %.1f ms, %u cached prefixes "
                 "%.1f ms, %.1f MB written %.1f ms\n",
                 docs.size(), ms(t0, t1), reused ? " (reused)" : "", t_count, ms(t1, t2),
                 cache.count, ms(t2, t3), static_cast<double>(bytes->size()) / 1e6,
                 ms(t3, std::chrono::steady_clock::now()));
  }
  return bytes;
}

}  // namespace signpost::catalogue::internal
