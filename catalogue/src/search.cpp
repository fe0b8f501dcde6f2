// SearchEngine: search-as-you-type with filters, facets and impartial order.
//
// Index: [SECTION] Tokens  [SECTION] Lazy ordering  [SECTION] Matching
//        [SECTION] Filters and facets  [SECTION] Did you mean  [SECTION] API
//
// How a keystroke query runs: the text is split into words by the same
// FTS5 tokenizer the index uses (so no user text can ever be query syntax);
// each word is a prefix. Very common prefixes ("e", "and") come from the
// snapshot's cached bitsets, the rest from one FTS5 query per tier; then one
// pass over the matches applies the filters, counts the facets and builds
// sort keys; only the first page is sorted until more is asked for.
#include "signpost/search.h"

#include <sqlite3.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <unordered_set>

#include "snapshot.h"
#include "sqlite_util.h"

namespace signpost::catalogue {

using internal::Guard;
using internal::Snapshot;
using internal::Stmt;

namespace {

constexpr size_t kMaxQueryBytes = 512;
constexpr size_t kMaxTokens = 8;
constexpr size_t kMaxTokenBytes = 48;
constexpr std::uint16_t kNoDistance = 0xffff;  // in 0.1 km units

std::uint64_t Mix(std::uint64_t x) {  // splitmix64 finaliser
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

const std::unordered_set<std::string>& StopWords() {
  static const std::unordered_set<std::string> kWords = {
      "a",  "an",   "and", "the", "of", "in", "for", "to", "with", "on",   "at",  "or",
      "by", "from", "as",  "is",  "be", "my", "i",   "it", "do",   "what", "can", "into"};
  return kWords;
}

// [SECTION] Tokens ----------------------------------------------------------------

struct TokenizeContext {
  std::vector<std::string>* out;
};

int OnToken(void* ctx, int flags, const char* token, int n, int, int) {
  auto* c = static_cast<TokenizeContext*>(ctx);
  if (flags & FTS5_TOKEN_COLOCATED) return SQLITE_OK;
  if (c->out->size() >= kMaxTokens) return SQLITE_DONE;
  std::string t(token, static_cast<size_t>(n));
  if (t.size() > kMaxTokenBytes) {
    size_t cut = kMaxTokenBytes;
    while (cut > 0 && (static_cast<unsigned char>(t[cut]) & 0xc0) == 0x80) --cut;
    t.resize(cut);
  }
  if (!t.empty()) c->out->push_back(std::move(t));
  return SQLITE_OK;
}

fts5_api* Fts5Api(sqlite3* db) {
  fts5_api* api = nullptr;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, nullptr) == SQLITE_OK) {
    sqlite3_bind_pointer(stmt, 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr);
    sqlite3_step(stmt);
  }
  sqlite3_finalize(stmt);
  return api;
}

std::vector<std::string> Tokenize(sqlite3* db, const std::string& text, bool* ends_with_space) {
  std::vector<std::string> out;
  std::string_view in(text);
  if (in.size() > kMaxQueryBytes) {
    size_t cut = kMaxQueryBytes;
    while (cut > 0 && (static_cast<unsigned char>(in[cut]) & 0xc0) == 0x80) --cut;
    in = in.substr(0, cut);
  }
  if (ends_with_space) {
    *ends_with_space = !in.empty() && (in.back() == ' ' || in.back() == '\t');
  }
  fts5_api* api = Fts5Api(db);
  if (!api) return out;
  void* user = nullptr;
  fts5_tokenizer tok{};
  if (api->xFindTokenizer(api, "unicode61", &user, &tok) != SQLITE_OK) return out;
  const char* args[] = {"remove_diacritics", "2"};
  Fts5Tokenizer* t = nullptr;
  if (tok.xCreate(user, args, 2, &t) != SQLITE_OK) return out;
  TokenizeContext ctx{&out};
  tok.xTokenize(t, &ctx, FTS5_TOKENIZE_QUERY, in.data(), static_cast<int>(in.size()), OnToken);
  tok.xDelete(t);
  return out;
}

// Complete stop words are dropped ("nursing and care" -> nursing care); the
// word being typed is kept (it may become "theatre").
std::vector<std::string> SignificantTokens(std::vector<std::string> tokens, bool ends_with_space) {
  std::vector<std::string> kept;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const bool complete = i + 1 < tokens.size() || ends_with_space;
    if (complete && StopWords().count(tokens[i])) continue;
    kept.push_back(tokens[i]);
  }
  return kept.empty() ? tokens : kept;
}

// [SECTION] Lazy ordering ------------------------------------------------------------

struct Entry {
  std::uint64_t key;
  std::int64_t rowid;
  bool operator<(const Entry& o) const { return key < o.key || (key == o.key && rowid < o.rowid); }
};

// A list whose prefix [0, sorted) is in final order; the rest is sorted on demand.
struct LazyList {
  std::vector<Entry> entries;
  size_t sorted = 0;
  void Ensure(size_t n) {
    if (n <= sorted) return;
    const size_t target = std::min(entries.size(), std::max({n, sorted * 2, size_t{64}}));
    std::partial_sort(entries.begin() + static_cast<std::ptrdiff_t>(sorted),
                      entries.begin() + static_cast<std::ptrdiff_t>(target), entries.end());
    sorted = target;
  }
};

}  // namespace

struct SearchResults::Impl {
  std::vector<LazyList> lists;       // one, or one per route (interleaved)
  std::vector<std::int64_t> merged;  // interleaved order built so far
  std::vector<size_t> cursor;        // per list, for interleaving
  size_t next_list = 0;
  std::int64_t total = 0;

  std::int64_t At(std::int64_t i) {
    if (lists.size() == 1) {
      lists[0].Ensure(static_cast<size_t>(i) + 1);
      return lists[0].entries[static_cast<size_t>(i)].rowid;
    }
    while (static_cast<std::int64_t>(merged.size()) <= i) {
      // Round-robin over the lists that still have entries.
      for (size_t tries = 0; tries < lists.size(); ++tries) {
        const size_t l = (next_list + tries) % lists.size();
        if (cursor[l] < lists[l].entries.size()) {
          lists[l].Ensure(cursor[l] + 1);
          merged.push_back(lists[l].entries[cursor[l]++].rowid);
          next_list = (l + 1) % lists.size();
          break;
        }
      }
    }
    return merged[static_cast<size_t>(i)];
  }
};

std::int64_t SearchResults::size() const { return impl_ ? impl_->total : 0; }

std::int64_t SearchResults::RowAt(std::int64_t i) const {
  if (!impl_ || i < 0 || i >= impl_->total) return 0;
  return impl_->At(i);
}

std::vector<std::int64_t> SearchResults::Rows(std::int64_t first, std::int64_t count) const {
  std::vector<std::int64_t> out;
  for (std::int64_t i = std::max<std::int64_t>(first, 0); i < first + count && i < size(); ++i) {
    out.push_back(RowAt(i));
  }
  return out;
}

// [SECTION] Engine state -----------------------------------------------------------------

struct SearchEngine::Impl {
  Catalogue* catalogue = nullptr;
  Snapshot snap;
  std::unique_ptr<Stmt> summary, prefix_bits, fts[internal::kTiers];
  // Distance from the last origin, per doc, in 0.1 km (kNoDistance = unknown).
  std::optional<GeoPoint> dist_origin;
  std::vector<std::uint16_t> dist;
  // Words for "did you mean": (word, docs), loaded on first need.
  std::vector<std::pair<std::string, std::int64_t>> vocab;
  bool vocab_loaded = false;

  sqlite3* db() { return catalogue->handle(); }

  void Load() {
    snap = internal::LoadSearchSnapshot(db());
    summary = std::make_unique<Stmt>(
        db(),
        "SELECT o.id, o.title, o.provider_name, o.route, o.kind, o.level, o.mode, "
        "o.subject_area, COALESCE(NULLIF(o.location_name, ''), p.town, ''), "
        "COALESCE(o.lat, p.lat), COALESCE(o.lon, p.lon), o.start_date, o.flexible_start, "
        "o.closing_date, o.wage_text, o.employer FROM opportunity o JOIN provider p ON p.id = "
        "o.provider_id "
        "WHERE o.id = ?");
    prefix_bits = std::make_unique<Stmt>(
        db(), "SELECT docs FROM search_prefix WHERE tier = ? AND prefix = ?");
    for (int tier = 0; tier < internal::kTiers; ++tier) {
      const std::string table = internal::kTierTables[tier];
      fts[tier] = std::make_unique<Stmt>(
          db(), "SELECT rowid FROM " + table + " WHERE " + table + " MATCH ?");
    }
    dist_origin.reset();
    dist.clear();
    vocab.clear();
    vocab_loaded = false;
  }

  void EnsureDistances(const std::optional<GeoPoint>& origin) {
    if (!origin) return;
    if (dist_origin && dist_origin->lat == origin->lat && dist_origin->lon == origin->lon &&
        dist.size() == snap.size()) {
      return;
    }
    dist.assign(snap.size(), kNoDistance);
    // Equirectangular approximation: < 0.5% error at kiosk distances, and cheap.
    constexpr double kRad = 3.14159265358979323846 / 180.0;
    const double coslat = std::cos(origin->lat * kRad);
    for (size_t i = 0; i < snap.size(); ++i) {
      if (std::isnan(snap.lat[i]) || std::isnan(snap.lon[i])) continue;
      const double x = (snap.lon[i] - origin->lon) * kRad * coslat;
      const double y = (snap.lat[i] - origin->lat) * kRad;
      const double km = std::sqrt(x * x + y * y) * 6371.0088;
      dist[i] = static_cast<std::uint16_t>(std::min(km * 10.0 + 0.5, 65534.0));
    }
    dist_origin = origin;
  }

  // [SECTION] Matching ---------------------------------------------------------------
  using Bits = std::vector<std::uint64_t>;  // one bit per snapshot doc

  // Docs whose `tier` text has a word starting with `token`: a cached bitset
  // for common prefixes, else one FTS5 query (bounded: the prefix is rare).
  Bits TokenBits(int tier, const std::string& token) {
    const size_t words = (snap.size() + 63) / 64;
    Bits bits(words, 0);
    if (tier < 2) {
      auto it = snap.cached[tier].find(token);
      if (it != snap.cached[tier].end()) {
        prefix_bits->Reset();
        internal::ResetOnExit done(*prefix_bits);
        prefix_bits->Bind(1, tier).Bind(2, it->second);
        if (prefix_bits->Step()) {
          std::string_view b = prefix_bits->BlobView(0);
          if (b.size() == words * sizeof(std::uint64_t)) {
            std::memcpy(bits.data(), b.data(), b.size());
            return bits;
          }
        }
        throw internal::SqliteError(SQLITE_CORRUPT, "a cached search prefix is missing");
      }
    }
    Stmt& q = *fts[tier];
    q.Reset();
    internal::ResetOnExit done(q);
    q.Bind(1, "\"" + token + "\"*");
    auto it = snap.rowid.begin();
    while (q.Step()) {
      const std::int64_t r = q.Int(0);
      it = std::lower_bound(it, snap.rowid.end(), r);
      if (it == snap.rowid.end()) break;
      if (*it != r) continue;
      const auto doc = static_cast<size_t>(it - snap.rowid.begin());
      bits[doc / 64] |= std::uint64_t{1} << (doc % 64);
    }
    return bits;
  }

  // Description words count only for words of 3+ characters that are not in
  // most descriptions anyway ("course", "learn"): like stop words, by count.
  bool DescriptionCounts(const std::string& token) const {
    if (token.size() < 3) return false;
    std::string key = token.substr(0, std::min<size_t>(token.size(), 12));
    while (key.size() < token.size() && !key.empty() &&
           (static_cast<unsigned char>(token[key.size()]) & 0xc0) == 0x80) {
      key.pop_back();
    }
    return !snap.common_in_text.count(key);
  }

  struct Matches {
    std::vector<std::uint32_t> docs;  // matched, ascending
    Bits tier0, tier1;                // all words in the title / title-subject-provider
  };

  Matches Match(const std::vector<std::string>& tokens) {
    const size_t n = snap.size(), words = (n + 63) / 64;
    Bits all(words, ~std::uint64_t{0});
    if (n % 64) all.back() = (std::uint64_t{1} << (n % 64)) - 1;
    Matches m{{}, all, all};
    auto and_into = [](Bits& acc, const Bits& b) {
      for (size_t w = 0; w < acc.size(); ++w) acc[w] &= b[w];
    };
    for (const std::string& t : tokens) {
      const Bits b1 = TokenBits(1, t);
      and_into(m.tier0, TokenBits(0, t));
      and_into(m.tier1, b1);
      if (DescriptionCounts(t)) {
        and_into(all, TokenBits(2, t));
      } else {
        and_into(all, b1);
      }
    }
    for (size_t w = 0; w < words; ++w) {
      for (std::uint64_t word = all[w]; word; word &= word - 1) {
        m.docs.push_back(
            static_cast<std::uint32_t>(w * 64 + static_cast<size_t>(std::countr_zero(word))));
      }
    }
    return m;
  }

  // [SECTION] Did you mean -----------------------------------------------------------
  void LoadVocab() {
    if (vocab_loaded) return;
    vocab_loaded = true;
    internal::Exec(db(),
                   "CREATE VIRTUAL TABLE IF NOT EXISTS temp.sp_reader_vocab USING "
                   "fts5vocab(main, 'opportunity_title_fts', 'row')");
    Stmt v(db(), "SELECT term, doc FROM temp.sp_reader_vocab");
    while (v.Step()) {
      if (v.TextView(0).size() >= 3) vocab.emplace_back(v.Text(0), v.Int(1));
    }
  }

  static int EditDistance(std::string_view a, std::string_view b, int cap) {
    // Optimal string alignment distance, with an early exit above `cap`.
    const size_t n = a.size(), m = b.size();
    if (static_cast<int>(n > m ? n - m : m - n) > cap) return cap + 1;
    std::vector<int> prev2(m + 1), prev(m + 1), cur(m + 1);
    for (size_t j = 0; j <= m; ++j) prev[j] = static_cast<int>(j);
    for (size_t i = 1; i <= n; ++i) {
      cur[0] = static_cast<int>(i);
      int row_min = cur[0];
      for (size_t j = 1; j <= m; ++j) {
        const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
        cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
        if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
          cur[j] = std::min(cur[j], prev2[j - 2] + 1);
        }
        row_min = std::min(row_min, cur[j]);
      }
      if (row_min > cap) return cap + 1;
      std::swap(prev2, prev);
      std::swap(prev, cur);
    }
    return prev[m];
  }

  // The catalogue word closest to `word`: as a whole word, or (prefix=true)
  // a word whose beginning is close to what has been typed so far.
  std::string Closest(const std::string& word, bool prefix) {
    if (word.size() < 4) return "";
    LoadVocab();
    const int cap = word.size() >= 7 ? 2 : 1;
    std::string best;
    int best_d = cap + 1;
    std::int64_t best_docs = -1;
    for (const auto& [term, docs] : vocab) {
      if (term == word) return "";  // spelled right
      int d;
      if (prefix && term.size() > word.size()) {
        d = cap + 1;
        for (size_t len = word.size() - 1; len <= word.size() + 1 && len <= term.size(); ++len) {
          d = std::min(d, EditDistance(word, std::string_view(term).substr(0, len), cap));
        }
        if (d == 0) return "";  // a real prefix
      } else {
        d = EditDistance(word, term, cap);
      }
      if (d < best_d || (d == best_d && docs > best_docs)) {
        best = term;
        best_d = d;
        best_docs = docs;
      }
    }
    return best_d <= cap ? best : "";
  }
};

// [SECTION] API ---------------------------------------------------------------------------

Result<std::unique_ptr<SearchEngine>> SearchEngine::Create(Catalogue* catalogue) {
  std::unique_ptr<SearchEngine> e(new SearchEngine());
  e->impl_ = std::make_unique<Impl>();
  e->impl_->catalogue = catalogue;
  Status s = Guard("loading the search index", [&] { e->impl_->Load(); });
  if (!s.ok()) return s;
  return e;
}

SearchEngine::~SearchEngine() = default;

Status SearchEngine::Reload() {
  return Guard("reloading the search index", [&] { impl_->Load(); });
}

std::string SearchEngine::ClosestWord(const std::string& word) {
  std::string out;
  Guard("finding a close word", [&] { out = impl_->Closest(word, false); });
  return out;
}

std::vector<std::string> SearchTokens(Catalogue* catalogue, const std::string& text) {
  return Tokenize(catalogue->handle(), text, nullptr);
}

namespace {

// [SECTION] Filters and facets ----------------------------------------------------
enum FilterBit : unsigned {
  kFRoute = 1,
  kFLevel = 2,
  kFSubject = 4,
  kFMode = 8,
  kFDistance = 16,
  kFStart = 32,
};

}  // namespace

Result<SearchResults> SearchEngine::Search(const SearchRequest& req) {
  Impl& im = *impl_;
  const Snapshot& snap = im.snap;
  SearchResults results;
  auto impl = std::make_shared<SearchResults::Impl>();

  bool ends_with_space = false;
  std::vector<std::string> tokens;
  Impl::Matches matches;  // docs, and which matched in the title / title-subject-provider
  Status st = Guard("searching", [&] {
    tokens = SignificantTokens(Tokenize(im.db(), req.text, &ends_with_space), ends_with_space);
    if (!tokens.empty()) matches = im.Match(tokens);
  });
  if (!st.ok()) {
    // A catalogue failure (I/O, corruption) is a real error; user text never is.
    if (st.code() != Status::Code::kInternal) return st;
    matches.docs.clear();
  }
  const bool browse = tokens.empty();
  im.EnsureDistances(req.origin);
  const bool have_dist = req.origin.has_value() && im.dist.size() == snap.size();

  // Filter set-up.
  std::vector<std::uint8_t> subject_ok;
  if (!req.subject_areas.empty()) {
    subject_ok.assign(snap.subjects.size() + 1, 0);
    for (size_t i = 0; i < snap.subjects.size(); ++i) {
      for (const std::string& want : req.subject_areas) {
        if (snap.subjects[i] == want) subject_ok[i] = 1;
      }
    }
  }
  const bool filter_start = req.start_from || req.start_to;
  const std::int32_t from = req.start_from.value_or(INT32_MIN + 1);
  const std::int32_t to = req.start_to.value_or(INT32_MAX);
  const std::uint32_t within =
      req.within_km > 0 && have_dist ? static_cast<std::uint32_t>(req.within_km * 10.0 + 0.5) : 0;

  Facets f;
  std::vector<std::int64_t> subject_counts(snap.subjects.size(), 0);
  impl->lists.resize(browse ? kRouteCount : 1);
  const std::uint64_t seed = Mix(req.session_seed);

  auto visit = [&](std::uint32_t i) {
    unsigned mask = 0;
    const unsigned route = snap.route[i];
    if (req.routes && !(req.routes >> route & 1)) mask |= kFRoute;
    const int level = snap.level[i];
    if (req.levels && (level < 0 || !(req.levels >> level & 1))) mask |= kFLevel;
    const std::uint16_t subject = snap.subject[i];
    if (!subject_ok.empty() && (subject == internal::kNoSubject || !subject_ok[subject])) {
      mask |= kFSubject;
    }
    const unsigned mode = snap.mode[i];
    if (req.modes && !(req.modes >> mode & 1)) mask |= kFMode;
    const std::uint16_t d = have_dist ? im.dist[i] : kNoDistance;
    if (within && (d == kNoDistance || d > within)) mask |= kFDistance;
    if (filter_start && !snap.flexible[i]) {
      const std::int32_t s = snap.start[i];
      if (s == internal::kNoStart || s < from || s > to) mask |= kFStart;
    }
    if (mask == 0 || mask == kFRoute) f.route[route]++;
    if ((mask == 0 || mask == kFLevel) && level >= 0) f.level[static_cast<size_t>(level)]++;
    if ((mask == 0 || mask == kFSubject) && subject != internal::kNoSubject) {
      subject_counts[subject]++;
    }
    if (mask == 0 || mask == kFMode) f.mode[mode]++;
    if ((mask == 0 || mask == kFDistance) && d != kNoDistance) {
      for (size_t b = 0; b < kDistanceBandsKm.size(); ++b) {
        if (d <= kDistanceBandsKm[b] * 10) f.within_km[b]++;
      }
    }
    if (mask != 0) return;
    if (snap.flexible[i]) f.flexible_start++;
    // Key: relevance tier (2 bits), then whole km (13), then the session's
    // fair shuffle (49).
    std::uint64_t tier = 0;
    if (!browse) {
      tier = (matches.tier0[i / 64] >> (i % 64) & 1)   ? 0
             : (matches.tier1[i / 64] >> (i % 64) & 1) ? 1
                                                       : 2;
    }
    const std::uint64_t km = d == kNoDistance ? 8191 : std::min<std::uint64_t>(d / 10, 8190);
    const std::uint64_t shuffle = Mix(seed ^ static_cast<std::uint64_t>(snap.rowid[i])) >> 15;
    const std::uint64_t key = tier << 62 | km << 49 | shuffle;
    impl->lists[browse ? route : 0].entries.push_back({key, snap.rowid[i]});
  };
  if (browse) {
    for (std::uint32_t i = 0; i < snap.size(); ++i) visit(i);
  } else {
    for (std::uint32_t i : matches.docs) visit(i);
  }

  for (size_t i = 0; i < subject_counts.size(); ++i) {
    if (subject_counts[i] > 0) f.subject_area.emplace_back(snap.subjects[i], subject_counts[i]);
  }
  std::sort(f.subject_area.begin(), f.subject_area.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  for (const LazyList& l : impl->lists) impl->total += static_cast<std::int64_t>(l.entries.size());
  if (browse) {
    // Interleave the routes, starting from a route chosen by the session.
    std::rotate(impl->lists.begin(), impl->lists.begin() + static_cast<std::ptrdiff_t>(seed % 4),
                impl->lists.end());
    impl->cursor.assign(impl->lists.size(), 0);
  }
  results.impl_ = impl;
  results.facets_ = std::move(f);

  // Nothing found: try the closest spelling of each word.
  if (impl->total == 0 && !browse) {
    std::vector<std::string> fixed = tokens;
    bool changed = false;
    Guard("did you mean", [&] {
      for (size_t t = 0; t < fixed.size(); ++t) {
        const bool typing = t + 1 == fixed.size() && !ends_with_space;
        std::string w = im.Closest(fixed[t], typing);
        if (!w.empty()) {
          fixed[t] = w;
          changed = true;
        }
      }
    });
    if (changed) {
      std::string text;
      for (const std::string& w : fixed) text += (text.empty() ? "" : " ") + w;
      SearchRequest again = req;
      again.text = text + " ";  // corrected words are whole words
      auto retry = Search(again);
      if (retry.ok() && retry->size() > 0) {
        SearchResults r = std::move(retry.value());
        r.did_you_mean_ = text;
        r.corrected_ = true;
        return r;
      }
      results.did_you_mean_ = text;
    }
  }
  return results;
}

Result<std::vector<OpportunitySummary>> SearchEngine::Summaries(
    const std::vector<std::int64_t>& rowids, std::optional<GeoPoint> origin) {
  std::vector<OpportunitySummary> out;
  out.reserve(rowids.size());
  Status s = Guard("reading results", [&] {
    Stmt& q = *impl_->summary;
    internal::ResetOnExit done(q);
    for (std::int64_t id : rowids) {
      q.Reset();
      q.Bind(1, id);
      if (!q.Step()) continue;  // gone since the search: skip
      OpportunitySummary r;
      r.rowid = q.Int(0);
      r.title = q.Text(1);
      r.provider_name = q.Text(2);
      r.kind = ParseOpportunityKind(q.TextView(4)).value_or(OpportunityKind::kFeCourse);
      r.route = ParseRoute(q.TextView(3)).value_or(RouteOfKind(r.kind));
      r.level = static_cast<int>(q.Int(5));
      r.mode = ParseStudyMode(q.TextView(6)).value_or(StudyMode::kUnknown);
      r.subject_area = q.Text(7);
      r.town = q.Text(8);
      if (origin && !q.IsNull(9) && !q.IsNull(10)) {
        r.distance_km = DistanceKm(*origin, GeoPoint{q.Double(9), q.Double(10)});
      }
      if (!q.IsNull(11)) r.start = ParseIsoDate(q.TextView(11));
      r.flexible_start = q.Int(12) != 0;
      if (!q.IsNull(13)) r.closing = ParseIsoDate(q.TextView(13));
      r.wage_text = q.Text(14);
      r.employer = q.Text(15);
      out.push_back(std::move(r));
    }
  });
  if (!s.ok()) return s;
  return out;
}

}  // namespace signpost::catalogue
