// SearchEngine: search-as-you-type across everything, with filters, facets,
// impartial order and a first screen that shows every matching route.
//
// Index: [SECTION] Lazy ordering  [SECTION] Engine state  [SECTION] Combining
//        units  [SECTION] Corrections  [SECTION] Search  [SECTION] First screen
//        [SECTION] Summaries
//
// How a keystroke query runs: the text is read into units (query.h); each
// unit is matched (search_match.cpp, cached across keystrokes); the units'
// match sets are ANDed per relevance tier; when nothing at all matches,
// spelling is corrected and words that match nothing are dropped; then one
// pass over the matching docs applies the filters, counts the facets and
// builds sort keys per route; only the first screen is sorted until more is
// asked for.
#include <sqlite3.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <tuple>

#include "search_impl.h"

namespace signpost::catalogue {

using internal::Guard;
using internal::Stmt;
using internal::Unit;

std::string_view ResultKindKey(ResultKind k) {
  switch (k) {
    case ResultKind::kOpportunity:
      return "opportunity";
    case ResultKind::kCareer:
      return "career";
    case ResultKind::kEvent:
      return "event";
    case ResultKind::kLocal:
      return "local";
  }
  return "opportunity";
}

std::string_view ResultKindLabel(ResultKind k) {
  switch (k) {
    case ResultKind::kOpportunity:
      return "Courses";
    case ResultKind::kCareer:
      return "Careers";
    case ResultKind::kEvent:
      return "Events";
    case ResultKind::kLocal:
      return "From your school";
  }
  return "Courses";
}

namespace {

constexpr std::uint16_t kNoDistance = 0xffff;  // in 0.1 km units
constexpr std::uint64_t kTierShift = 62;
constexpr double kRad = 3.14159265358979323846 / 180.0;

std::uint64_t Mix(std::uint64_t x) {  // splitmix64 finaliser
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// [SECTION] Lazy ordering ------------------------------------------------------------

struct Entry {
  // Relevance tier (2 bits), then 1 when only an alias's meaning matched
  // (the words typed rank first), whole km (13), the session's shuffle (48).
  std::uint64_t key;
  // The doc, not its rowid: ordering reads no rowid (docs are in rowid
  // order, so ties still break by rowid); only the rows shown look theirs up.
  std::uint32_t doc;
  bool operator<(const Entry& o) const { return key < o.key || (key == o.key && doc < o.doc); }
};
constexpr std::uint64_t kShuffleBits = 48;
constexpr Entry kNoEntry = {~std::uint64_t{0}, UINT32_MAX};

// The inputs of every doc's sort key, kept by the results so that a route's
// full order can be made when it is first scrolled past its best rows.
struct OrderKeys {
  std::shared_ptr<const internal::SnapshotView> snap;
  bool browse = true;
  Bits tier0, tier1, direct;  // the query's match sets (not browsing)
  bool have_origin = false;
  double lat = 0, lon = 0, coslat = 1;
  std::uint64_t seed = 0;

  // Equirectangular distance in 0.1 km: < 0.5% error at kiosk distances, and
  // cheap enough to work out per matching doc instead of caching every doc's.
  std::uint16_t Distance(size_t i) const {
    const internal::SnapshotView& s = *snap;
    if (!have_origin || std::isnan(s.lat[i]) || std::isnan(s.lon[i])) return kNoDistance;
    const double x = (s.lon[i] - lon) * kRad * coslat;
    const double y = (s.lat[i] - lat) * kRad;
    const double km = std::sqrt(x * x + y * y) * 6371.0088;
    return static_cast<std::uint16_t>(std::min(km * 10.0 + 0.5, 65534.0));
  }
  // The key without its shuffle: enough to tell that a doc is not among a
  // route's best.
  std::uint64_t High(size_t i, std::uint16_t d) const {
    std::uint64_t tier = 0, indirect = 0;
    if (!browse) {
      tier = (tier0[i / 64] >> (i % 64) & 1) ? 0 : (tier1[i / 64] >> (i % 64) & 1) ? 1 : 2;
      indirect = (direct[i / 64] >> (i % 64) & 1) ? 0 : 1;
    }
    const std::uint64_t km = d == kNoDistance ? 8191 : std::min<std::uint64_t>(d / 10, 8190);
    return tier << kTierShift | indirect << 61 | km << kShuffleBits;
  }
  Entry Make(size_t i, std::uint64_t high) const {
    return {high | Mix(seed ^ static_cast<std::uint64_t>(i)) >> 16, static_cast<std::uint32_t>(i)};
  }
};

// One route's results. While the query runs only its best kKeep entries are
// kept (a query matching most of the catalogue no longer makes and sorts an
// entry per doc); the rest are made from `pass` when the list is read past
// them. The prefix [0, sorted) is in final order; the rest is sorted on demand.
struct LazyList {
  static constexpr size_t kKeep = 64;
  std::vector<Entry> entries;
  size_t sorted = 0;
  std::uint64_t best_tier = 3;
  std::int64_t count = 0;  // every result of the route
  bool complete = true;    // entries holds all `count`
  Entry worst = kNoEntry;  // while collecting: entries at or after this are not kept

  // While collecting: keeps the doc when it may be among the best kKeep.
  void Offer(const OrderKeys& keys, size_t doc, std::uint64_t high) {
    ++count;
    best_tier = std::min(best_tier, high >> kTierShift);
    if (high > worst.key) {
      complete = false;
      return;
    }
    const Entry e = keys.Make(doc, high);
    if (!(e < worst)) {
      complete = false;
      return;
    }
    entries.push_back(e);
    if (entries.size() == 2 * kKeep) {
      std::nth_element(entries.begin(), entries.begin() + kKeep - 1, entries.end());
      entries.resize(kKeep);
      worst = entries[kKeep - 1];  // the greatest of the kKeep smallest
      complete = false;
    }
  }
  // Every result of the route, from the docs that passed the filters.
  void Complete(const OrderKeys& keys, const Bits& pass, int route) {
    if (complete) return;
    const internal::SnapshotView& s = *keys.snap;
    entries.clear();
    entries.reserve(static_cast<size_t>(count));
    for (size_t w = 0; w < pass.size(); ++w) {
      for (std::uint64_t word = pass[w]; word; word &= word - 1) {
        const size_t i = w * 64 + static_cast<size_t>(std::countr_zero(word));
        if (s.route[i] != route) continue;
        entries.push_back(keys.Make(i, keys.High(i, keys.Distance(i))));
      }
    }
    sorted = 0;  // the same total order: the rows already shown stay first
    complete = true;
  }
  void Ensure(size_t n, const OrderKeys& keys, const Bits& pass, int route) {
    if (n <= sorted) return;
    if (!complete && n > std::min(entries.size(), kKeep)) Complete(keys, pass, route);
    const size_t valid = complete ? entries.size() : std::min(entries.size(), kKeep);
    const size_t target = std::min(valid, std::max({n, sorted * 2, size_t{64}}));
    std::partial_sort(entries.begin() + static_cast<std::ptrdiff_t>(sorted),
                      entries.begin() + static_cast<std::ptrdiff_t>(target), entries.end());
    sorted = target;
  }
};

}  // namespace

struct SearchResults::Impl {
  std::array<LazyList, kRouteCount> lists;  // by Route
  OrderKeys keys;
  Bits pass;                         // docs that passed every filter
  std::vector<int> order;            // routes, in the order they take turns
  std::vector<std::int64_t> merged;  // the order so far (the first screen first)
  std::array<size_t, kRouteCount> cursor{};
  size_t turn = 0;  // position in `order` of the next route to take a turn
  std::int64_t total = 0;

  LazyList& Ensure(size_t route, size_t n) {
    lists[route].Ensure(n, keys, pass, static_cast<int>(route));
    return lists[route];
  }

  // Next: the best tier among the routes' next rows; among equals, the next
  // route in turn.
  std::int64_t At(std::int64_t i) {
    while (static_cast<std::int64_t>(merged.size()) <= i && !order.empty()) {
      int pick = -1;
      std::uint64_t best = 4;
      for (size_t k = 0; k < order.size(); ++k) {
        const size_t pos = (turn + k) % order.size();
        const auto route = static_cast<size_t>(order[pos]);
        const size_t c = cursor[route];
        if (c >= static_cast<size_t>(lists[route].count)) continue;
        const std::uint64_t tier = Ensure(route, c + 1).entries[c].key >> kTierShift;
        if (tier < best) {
          best = tier;
          pick = static_cast<int>(pos);
        }
      }
      if (pick < 0) break;
      const auto r = static_cast<size_t>(order[static_cast<size_t>(pick)]);
      merged.push_back(keys.snap->rowid[lists[r].entries[cursor[r]++].doc]);
      turn = (static_cast<size_t>(pick) + 1) % order.size();
    }
    return i < static_cast<std::int64_t>(merged.size()) ? merged[static_cast<size_t>(i)] : 0;
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

void SearchEngine::Impl::Load() {
  const char* file = sqlite3_db_filename(db(), "main");
  auto fresh = std::make_shared<internal::SnapshotView>();
  fresh->Load(db(), file ? file : "");
  snapshot = std::move(fresh);  // results made from the old one keep it
  const internal::SnapshotView& snap = *snapshot;
  if (!splitter) splitter = std::make_unique<internal::WordSplitter>(db());
  // The search words: the shipped list and a school's own (local packs), as
  // the writer built them into the snapshot while they are unchanged, else
  // parsed here (a program with a newer list, an older snapshot).
  const internal::AliasSource alias_source = internal::ReadAliasSource(db());
  alias_problems.clear();
  if (!aliases.Restore(snap.aliases, alias_source.hash, &alias_problems)) {
    alias_problems.clear();
    aliases.Build(alias_source, *splitter, stemmer, &alias_problems);
  }
  speller = std::make_unique<internal::Speller>(snap, aliases);
  summary.Set(
      "SELECT o.id, o.title, o.provider_name, o.route, o.kind, o.level, o.mode, "
      "o.subject_area, COALESCE(NULLIF(o.location_name, ''), p.town, ''), "
      "COALESCE(o.lat, p.lat), COALESCE(o.lon, p.lon), o.start_date, o.flexible_start, "
      "o.closing_date, o.wage_text, o.employer, o.posted_date FROM opportunity o JOIN provider p "
      "ON p.id = "
      "o.provider_id WHERE o.id = ?");
  for (int tier = 0; tier < internal::kTiers; ++tier) {
    const std::string table = internal::kTierTables[tier];
    fts[tier].Set("SELECT rowid FROM " + table + " WHERE " + table + " MATCH ?");
  }
  career_fts.Set("SELECT rowid FROM career_fts WHERE career_fts MATCH ?");
  event_fts.Set("SELECT rowid FROM event_fts WHERE event_fts MATCH ?");
  local_fts.Set("SELECT rowid FROM local_fts WHERE local_fts MATCH ?");
  for (Bits& b : route_bits) b.clear();
  for (Bits& b : mode_bits) b.clear();
  distance.reset();
  distance_known.clear();
  unit_cache.clear();
  group_cache.clear();
  for (ItemKind& k : items) k = ItemKind{};  // read again on first need
}

namespace {

// [SECTION] Combining units ------------------------------------------------------------

struct Combined {
  Bits tiers[internal::kTiers];
  Bits direct;  // every unit matched by the words typed
  std::int64_t docs = 0;
  std::vector<ItemHit> careers, events, local;
  bool Any() const { return docs > 0 || !careers.empty() || !events.empty() || !local.empty(); }
};

// Rows in both lists (sorted by rowid); a row's tier is its worst.
std::vector<ItemHit> Intersect(const std::vector<ItemHit>& a, const std::vector<ItemHit>& b) {
  std::vector<ItemHit> out;
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i].rowid < b[j].rowid) {
      ++i;
    } else if (b[j].rowid < a[i].rowid) {
      ++j;
    } else {
      out.push_back({a[i].rowid, std::max(a[i].tier, b[j].tier), a[i].direct && b[j].direct});
      ++i;
      ++j;
    }
  }
  return out;
}

Combined Combine(const std::vector<Unit>& units,
                 const std::vector<std::shared_ptr<const UnitMatch>>& matches, size_t words) {
  Combined c;
  for (Bits& t : c.tiers) t.assign(words, ~std::uint64_t{0});
  c.direct.assign(words, ~std::uint64_t{0});
  if (units.empty()) {
    for (Bits& t : c.tiers) t.assign(words, 0);
    c.direct.assign(words, 0);
    return c;
  }
  for (const auto& m : matches) {
    for (int t = 0; t < internal::kTiers; ++t) {
      for (size_t w = 0; w < words; ++w) c.tiers[t][w] &= m->tiers[t][w];
    }
    for (size_t w = 0; w < words; ++w) c.direct[w] &= m->direct[w];
  }
  for (size_t w = 0; w < words; ++w) c.docs += std::popcount(c.tiers[2][w]);
  // Careers have no route: "nursing apprenticeship" shows the nursing careers.
  const bool only_route_words =
      std::all_of(units.begin(), units.end(), [](const Unit& u) { return u.route_word; });
  bool first_career = true, first = true;
  for (size_t i = 0; i < units.size(); ++i) {
    const UnitMatch& m = *matches[i];
    if (!units[i].route_word && !only_route_words) {
      c.careers = first_career ? m.careers : Intersect(c.careers, m.careers);
      first_career = false;
    }
    c.events = first ? m.events : Intersect(c.events, m.events);
    c.local = first ? m.local : Intersect(c.local, m.local);
    first = false;
  }
  return c;
}

}  // namespace

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
  Guard("finding a close word", [&] {
    const std::vector<std::string> words = internal::SplitWords(word, *impl_->splitter, 1);
    if (!words.empty()) out = impl_->speller->CorrectWord(words[0]).word;
  });
  return out;
}

std::vector<std::string> SearchEngine::AliasProblems() { return impl_->alias_problems; }

std::vector<std::string> SearchTokens(Catalogue* catalogue, const std::string& text) {
  std::vector<std::string> out;
  Guard("splitting words", [&] {
    internal::WordSplitter splitter(catalogue->handle());
    out = internal::SplitWords(text, splitter, 8);
  });
  return out;
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

std::string Pounds(std::int64_t v) {  // 29970 -> "£29,970"
  std::string digits = std::to_string(v), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return "£" + out;
}

}  // namespace

// [SECTION] Corrections ---------------------------------------------------------------

// Nothing matched: correct the spelling of words that match nothing (or drop
// them when they are real English the catalogue does not use: "plumber's
// mate"), then, if still nothing, drop words one at a time (route words
// first: "plumbing degree" shows plumbing). Returns true when the units changed.
bool SearchEngine::Impl::Correct(std::vector<Unit>* units,
                                 std::vector<std::shared_ptr<const UnitMatch>>* matches,
                                 std::string* suggestion) {
  Impl& im = *this;
  bool changed = false;
  std::vector<Unit> kept;
  std::vector<std::shared_ptr<const UnitMatch>> kept_matches;
  for (size_t i = 0; i < units->size(); ++i) {
    Unit& u = (*units)[i];
    if ((*matches)[i]->Any()) {
      kept.push_back(std::move(u));
      kept_matches.push_back((*matches)[i]);
      continue;
    }
    changed = true;
    const bool one_word = u.text.find_first_of(" -/") == std::string::npos;
    internal::Speller::Correction fix;
    if (one_word) {
      // A word being typed may be finished ("vetinary"): a whole-word
      // correction first, then the word it seems to be becoming.
      // A whole English word is not on its way to another word.
      const bool english = internal::Speller::IsEnglishWord(u.text);
      fix = im.speller->CorrectWord(u.text);
      if (fix.word.empty() && u.typing && !english) fix = im.speller->CorrectPrefix(u.text);
      if (!fix.word.empty() && !fix.sounds_alike && english) {
        // A real word the catalogue does not use ("mate", "alpha"): dropped
        // beside other words; on its own, only suggested ("did you mean").
        if (units->size() == 1) *suggestion = fix.word;
        fix = {};
      }
    }
    if (!fix.word.empty()) {
      // Read the correction as if typed: "docter" -> "doctor" is an alias.
      internal::ParsedQuery again =
          internal::ParseQuery(fix.word + " ", *im.splitter, im.stemmer, im.snap(), im.aliases);
      if (!again.units.empty()) {
        auto m = im.MatchUnit(again.units[0]);
        if (m->Any()) {
          kept.push_back(std::move(again.units[0]));
          kept_matches.push_back(std::move(m));
          continue;
        }
      }
    }
    // Dropped (it matches nothing and nothing close does).
  }
  if (kept.empty()) return false;  // nothing to show for any word: leave it as typed
  *units = std::move(kept);
  *matches = std::move(kept_matches);
  return changed;
}

bool SearchEngine::Impl::Relax(std::vector<Unit>* units,
                               std::vector<std::shared_ptr<const UnitMatch>>* matches) {
  const Impl& im = *this;
  if (units->size() < 2) return false;
  // Try without each unit in turn: route words first, then the others from
  // the last typed.
  std::vector<size_t> drop_order;
  for (size_t i = 0; i < units->size(); ++i) {
    if ((*units)[i].route_word) drop_order.push_back(i);
  }
  for (size_t i = units->size(); i-- > 0;) {
    if (!(*units)[i].route_word) drop_order.push_back(i);
  }
  for (size_t drop : drop_order) {
    std::vector<Unit> u;
    std::vector<std::shared_ptr<const UnitMatch>> m;
    for (size_t i = 0; i < units->size(); ++i) {
      if (i == drop) continue;
      u.push_back((*units)[i]);
      m.push_back((*matches)[i]);
    }
    if (Combine(u, m, im.snap().words()).Any()) {
      *units = std::move(u);
      *matches = std::move(m);
      return true;
    }
  }
  return false;
}

// [SECTION] Search ----------------------------------------------------------------------

Result<SearchResults> SearchEngine::Search(const SearchRequest& req) {
  Impl& im = *impl_;
  internal::ReadTransaction read(im.db());
  const internal::SnapshotView& snap = im.snap();
  SearchResults results;
  auto impl = std::make_shared<SearchResults::Impl>();

  std::vector<Unit> units, typed;
  std::vector<std::shared_ptr<const UnitMatch>> matches;
  Combined found;
  bool changed = false;
  std::string suggestion;  // offered, not used
  Status st = Guard("searching", [&] {
    internal::ParsedQuery parsed =
        internal::ParseQuery(req.text, *im.splitter, im.stemmer, snap, im.aliases);
    units = std::move(parsed.units);
    typed = units;
    for (const Unit& u : units) matches.push_back(im.MatchUnit(u));
    found = Combine(units, matches, snap.words());
    if (!units.empty() && !found.Any()) {
      changed = im.Correct(&units, &matches, &suggestion);
      found = Combine(units, matches, snap.words());
      if (!found.Any() && im.Relax(&units, &matches)) {
        changed = true;
        found = Combine(units, matches, snap.words());
      }
    }
  });
  if (!st.ok()) {
    // A catalogue failure (I/O, corruption) is a real error; user text never is.
    if (st.code() != Status::Code::kInternal) return st;
    units.clear();
    found = Combined{};
    for (Bits& t : found.tiers) t.assign(snap.words(), 0);
    typed.push_back(Unit{});  // not a browse: show nothing
  }
  const bool browse = typed.empty();
  if (changed) {
    results.did_you_mean_ = internal::UnitsText(units);
    results.corrected_ = found.Any();
  } else if (!suggestion.empty()) {
    results.did_you_mean_ = suggestion;
  }

  // Filter set-up.
  std::vector<std::uint8_t> subject_ok;
  if (!req.subject_areas.empty()) {
    subject_ok.assign(snap.subjects.count + 1, 0);
    for (std::uint32_t i = 0; i < snap.subjects.count; ++i) {
      for (const std::string& want : req.subject_areas) {
        if (snap.subjects.at(i) == want) subject_ok[i] = 1;
      }
    }
  }
  const bool filter_start = req.start_from || req.start_to;
  const std::int32_t from = req.start_from.value_or(INT32_MIN + 1);
  const std::int32_t to = req.start_to.value_or(INT32_MAX);
  OrderKeys& keys = impl->keys;
  keys.snap = im.snapshot;
  keys.browse = browse;
  keys.have_origin = req.origin.has_value();
  if (keys.have_origin) {
    keys.lat = req.origin->lat;
    keys.lon = req.origin->lon;
    keys.coslat = std::cos(req.origin->lat * kRad);
  }
  keys.seed = Mix(req.session_seed);
  const std::uint32_t within = req.within_km > 0 && keys.have_origin
                                   ? static_cast<std::uint32_t>(req.within_km * 10.0 + 0.5)
                                   : 0;

  Facets f;
  std::vector<std::int64_t> subject_counts(snap.subjects.count, 0);
  const std::uint64_t seed = keys.seed;
  impl->pass.assign(snap.words(), 0);
  const bool keep_distance = keys.have_origin && im.searched_from && im.searched_lat == keys.lat &&
                             im.searched_lon == keys.lon;
  im.searched_from = keys.have_origin;
  im.searched_lat = keys.lat;
  im.searched_lon = keys.lon;
  if (keep_distance && (!im.distance || im.distance_known.size() != snap.words() ||
                        im.distance_lat != keys.lat || im.distance_lon != keys.lon)) {
    if (!im.distance || im.distance_known.size() != snap.words()) {
      im.distance.reset(new std::uint16_t[snap.size() + 1]);
    }
    im.distance_known.assign(snap.words(), 0);
    im.distance_lat = keys.lat;
    im.distance_lon = keys.lon;
  }

  auto visit = [&](std::uint32_t i) {
    unsigned mask = 0;
    const unsigned route = snap.route[i];
    if (route >= kRouteCount) return;  // a damaged snapshot: never an index out of bounds
    if (req.routes && !(req.routes >> route & 1)) mask |= kFRoute;
    const int level = snap.level[i];
    if (req.levels && (level < 0 || level > 8 || !(req.levels >> level & 1))) mask |= kFLevel;
    std::uint16_t subject = snap.subject[i];
    if (subject >= snap.subjects.count) subject = internal::kNoSubject;
    if (!subject_ok.empty() && (subject == internal::kNoSubject || !subject_ok[subject])) {
      mask |= kFSubject;
    }
    const unsigned mode = snap.mode[i];
    if (mode >= kStudyModeCount) return;
    if (req.modes && !(req.modes >> mode & 1)) mask |= kFMode;
    std::uint16_t d = kNoDistance;
    if (!keep_distance) {
      if (keys.have_origin) d = keys.Distance(i);
    } else {
      std::uint64_t& known = im.distance_known[i / 64];
      const std::uint64_t bit = std::uint64_t{1} << (i % 64);
      if (!(known & bit)) {
        im.distance[i] = keys.Distance(i);
        known |= bit;
      }
      d = im.distance[i];
    }
    if (within && (d == kNoDistance || d > within)) mask |= kFDistance;
    if (filter_start && !snap.flexible[i]) {
      const std::int32_t s = snap.start[i];
      if (s == internal::kNoStart || s < from || s > to) mask |= kFStart;
    }
    if (mask == 0 || mask == kFRoute) f.route[route]++;
    if ((mask == 0 || mask == kFLevel) && level >= 0 && level <= 8) {
      f.level[static_cast<size_t>(level)]++;
    }
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
    impl->pass[i / 64] |= std::uint64_t{1} << (i % 64);
    impl->lists[route].Offer(keys, i, keys.High(i, d));
  };
  if (!browse) {  // kept by the results; only tiers[2] is read below
    keys.tier0 = std::move(found.tiers[0]);
    keys.tier1 = std::move(found.tiers[1]);
    keys.direct = std::move(found.direct);
  }
  if (browse) {
    for (std::uint32_t i = 0; i < snap.size(); ++i) visit(i);
  } else {
    for (size_t w = 0; w < found.tiers[2].size(); ++w) {
      for (std::uint64_t word = found.tiers[2][w]; word; word &= word - 1) {
        visit(static_cast<std::uint32_t>(w * 64 + static_cast<size_t>(std::countr_zero(word))));
      }
    }
  }
  for (size_t i = 0; i < subject_counts.size(); ++i) {
    if (subject_counts[i] > 0) {
      f.subject_area.emplace_back(std::string(snap.subjects.at(static_cast<std::uint32_t>(i))),
                                  subject_counts[i]);
    }
  }
  std::sort(f.subject_area.begin(), f.subject_area.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  for (const LazyList& l : impl->lists) impl->total += l.count;
  results.facets_ = std::move(f);

  if (browse) {
    // Interleave the routes, starting from a route chosen by the session.
    for (int k = 0; k < kRouteCount; ++k) {
      impl->order.push_back(static_cast<int>((seed % 4 + static_cast<std::uint64_t>(k)) % 4));
    }
    results.impl_ = impl;
    return results;
  }

  // [SECTION] First screen ------------------------------------------------------------
  // Routes that matched, best tier first; routes that tie take turns by session.
  for (int r = 0; r < kRouteCount; ++r) {
    if (impl->lists[static_cast<size_t>(r)].count > 0) impl->order.push_back(r);
  }
  std::sort(impl->order.begin(), impl->order.end(), [&](int a, int b) {
    const auto ta = impl->lists[static_cast<size_t>(a)].best_tier;
    const auto tb = impl->lists[static_cast<size_t>(b)].best_tier;
    if (ta != tb) return ta < tb;
    return Mix(seed ^ (0x51ed2701u * static_cast<std::uint64_t>(a + 1))) <
           Mix(seed ^ (0x51ed2701u * static_cast<std::uint64_t>(b + 1)));
  });
  const size_t per_route = impl->order.size() <= 1 ? 6 : impl->order.size() == 2 ? 3 : 2;
  struct Block {
    ResultBlock block;
    std::uint64_t tier;
    int priority;  // careers, then routes, then events, then local content
    size_t position;
  };
  std::vector<Block> blocks;
  for (size_t pos = 0; pos < impl->order.size(); ++pos) {
    const auto r = static_cast<size_t>(impl->order[pos]);
    // The best of the route: its best tier only (one row at least), so a
    // route that matches closely is not padded with loose matches.
    size_t take = std::min(per_route, static_cast<size_t>(impl->lists[r].count));
    const LazyList& l = impl->Ensure(r, take);
    while (take > 1 && (l.entries[take - 1].key >> kTierShift) > l.best_tier) --take;
    Block b{{ResultKind::kOpportunity, static_cast<Route>(r), l.count, {}}, l.best_tier, 1, pos};
    for (size_t k = 0; k < take; ++k) {
      const std::int64_t rowid = snap.rowid[l.entries[k].doc];
      b.block.rowids.push_back(rowid);
      impl->merged.push_back(rowid);
    }
    impl->cursor[r] = take;
    blocks.push_back(std::move(b));
  }

  // Careers, events and local content: not when a filter only opportunities
  // have is on (a level, a subject, a distance ...).
  const bool other_kinds =
      !(req.levels || !req.subject_areas.empty() || req.modes || within > 0 || filter_start);
  if (other_kinds && (!found.careers.empty() || !found.events.empty() || !found.local.empty())) {
    Status items = Guard("searching careers and events", [&] {
      const UnixTime now = NowUnix();
      const std::string today = FormatIsoDate(TodayUtc());
      const auto routes = static_cast<std::uint8_t>(req.routes);
      std::uint64_t best[3] = {
          im.OrderItems(ResultKind::kCareer, found.careers, routes, now, today, &results.careers_),
          im.OrderItems(ResultKind::kEvent, found.events, routes, now, today, &results.events_),
          im.OrderItems(ResultKind::kLocal, found.local, routes, now, today, &results.local_)};
      const std::vector<std::int64_t>* lists[3] = {&results.careers_, &results.events_,
                                                   &results.local_};
      const ResultKind kinds[3] = {ResultKind::kCareer, ResultKind::kEvent, ResultKind::kLocal};
      const int priority[3] = {0, 2, 3};
      for (int k = 0; k < 3; ++k) {
        if (lists[k]->empty()) continue;
        const size_t take = std::min(lists[k]->size(), impl->order.empty() ? size_t{4} : 2);
        Block b{{kinds[k], Route::kFurtherEducation, static_cast<std::int64_t>(lists[k]->size()),
                 std::vector<std::int64_t>(lists[k]->begin(),
                                           lists[k]->begin() + static_cast<std::ptrdiff_t>(take))},
                best[k],
                priority[k],
                0};
        blocks.push_back(std::move(b));
      }
    });
    if (!items.ok() && items.code() != Status::Code::kInternal) return items;
  }
  // Every matching route comes before events and local content unless those
  // match strictly better (an "open day" search); careers come first when
  // they match as well as the best route (a job profile shows every route in).
  std::uint64_t best_route_tier = 3;
  for (const Block& b : blocks) {
    if (b.block.kind == ResultKind::kOpportunity)
      best_route_tier = std::min(best_route_tier, b.tier);
  }
  auto rank = [&](const Block& b) -> std::pair<int, std::uint64_t> {
    switch (b.block.kind) {
      case ResultKind::kOpportunity:
        return {1, b.tier};
      case ResultKind::kCareer:
        return {b.tier <= best_route_tier ? 0 : 2, b.tier};
      default:
        return {b.tier < best_route_tier ? 0 : 2, b.tier};
    }
  };
  std::stable_sort(blocks.begin(), blocks.end(), [&](const Block& a, const Block& b) {
    const auto ra = rank(a), rb = rank(b);
    if (ra != rb) return ra < rb;
    if (a.priority != b.priority) return a.priority < b.priority;
    return a.position < b.position;
  });
  for (Block& b : blocks) {
    b.block.tier = static_cast<int>(b.tier);
    results.first_screen_.push_back(std::move(b.block));
  }
  results.impl_ = impl;
  return results;
}

// [SECTION] Summaries ------------------------------------------------------------------

Result<std::vector<OpportunitySummary>> SearchEngine::Summaries(
    const std::vector<std::int64_t>& rowids, std::optional<GeoPoint> origin) {
  std::vector<OpportunitySummary> out;
  out.reserve(rowids.size());
  internal::ReadTransaction read(impl_->db());
  Status s = Guard("reading results", [&] {
    Stmt& q = impl_->summary.Get(impl_->db());
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
      if (!q.IsNull(16)) r.posted = ParseIsoDate(q.TextView(16));
      out.push_back(std::move(r));
    }
  });
  if (!s.ok()) return s;
  return out;
}

Result<std::vector<ItemSummary>> SearchEngine::ItemSummaries(
    ResultKind kind, const std::vector<std::int64_t>& rowids) {
  std::vector<ItemSummary> out;
  internal::ReadTransaction read(impl_->db());
  Status s = Guard("reading results", [&] {
    const char* sql = nullptr;
    switch (kind) {
      case ResultKind::kCareer:
        sql = "SELECT id, title, salary_starter, salary_experienced FROM career WHERE id = ?";
        break;
      case ResultKind::kEvent:
        sql =
            "SELECT e.id, e.title, e.kind, e.start_at, e.routes, COALESCE(p.name, "
            "e.location_name, '') FROM event e LEFT JOIN provider p ON p.id = e.provider_id "
            "WHERE e.id = ?";
        break;
      case ResultKind::kLocal:
        sql = "SELECT id, title, kind, route FROM local_item WHERE id = ?";
        break;
      case ResultKind::kOpportunity:
        return;
    }
    Stmt q(impl_->db(), sql);
    for (std::int64_t id : rowids) {
      q.Reset();
      q.Bind(1, id);
      if (!q.Step()) continue;
      ItemSummary r;
      r.kind = kind;
      r.rowid = q.Int(0);
      r.title = q.Text(1);
      if (kind == ResultKind::kCareer) {
        if (q.Int(2) > 0 && q.Int(3) > 0) {
          r.detail = Pounds(q.Int(2)) + " to " + Pounds(q.Int(3)) + " a year";
        }
      } else if (kind == ResultKind::kEvent) {
        r.subkind = q.Text(2);
        r.start = q.Int(3);
        r.routes = static_cast<std::uint8_t>(q.Int(4));
        r.detail =
            std::string(EventKindLabel(ParseEventKind(r.subkind).value_or(EventKind::kOther))) +
            ", " + FormatHumanDate(DayOf(*r.start)) +
            (q.TextView(5).empty() ? "" : ", " + q.Text(5));
      } else {
        r.subkind = q.Text(2);
        if (auto route = ParseRoute(q.TextView(3))) {
          r.routes = static_cast<std::uint8_t>(1u << static_cast<int>(*route));
        }
      }
      out.push_back(std::move(r));
    }
  });
  if (!s.ok()) return s;
  return out;
}

}  // namespace signpost::catalogue
