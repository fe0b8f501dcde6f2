// Matching one unit of a query (see query.h) against the catalogue: the
// opportunities it matches per relevance tier, as bitsets over the snapshot's
// docs, and the careers, events and local items it matches.
//
// Very common prefixes and words come from the snapshot's cached bitsets,
// other whole words of titles and tier 1 from its lists of documents;
// everything else is one FTS5 query per tier, built only from words the
// tokenizer produced (quoted), so no user text is ever query syntax.
#include <algorithm>
#include <bit>
#include <map>

#include "search_impl.h"

namespace signpost::catalogue {

using internal::Alternative;
using internal::Stmt;
using internal::Unit;
using internal::WordForm;

namespace {

void OrInto(Bits* into, const std::uint64_t* b) {
  for (size_t w = 0; w < into->size(); ++w) (*into)[w] |= b[w];
}

std::string Quote(const std::string& word) { return "\"" + word + "\""; }

// An FTS5 expression for one word form: its stem group or anything it begins.
std::string FormExpr(const WordForm& w) {
  std::string e;
  if (w.prefix) e = Quote(w.word) + "*";
  for (const std::string& x : w.exact) {
    if (w.prefix && x.rfind(w.word, 0) == 0) continue;  // the prefix covers it
    e += (e.empty() ? "" : " OR ") + Quote(x);
  }
  return "(" + e + ")";
}

std::string AltExpr(const Alternative& a) {
  std::string e;
  for (const WordForm& w : a.words) e += (e.empty() ? "" : " AND ") + FormExpr(w);
  return a.words.size() > 1 ? "(" + e + ")" : e;
}

}  // namespace

const Bits& SearchEngine::Impl::RouteBits(int route) {
  Bits& b = route_bits[static_cast<size_t>(route)];
  if (b.size() != snap().words()) {
    b.assign(snap().words(), 0);
    for (size_t i = 0; i < snap().size(); ++i) {
      if (snap().route[i] == route) b[i / 64] |= std::uint64_t{1} << (i % 64);
    }
  }
  return b;
}

const Bits& SearchEngine::Impl::ModeBits(int mode) {
  Bits& b = mode_bits[static_cast<size_t>(mode)];
  if (b.size() != snap().words()) {
    b.assign(snap().words(), 0);
    for (size_t i = 0; i < snap().size(); ++i) {
      if (snap().mode[i] == mode) b[i / 64] |= std::uint64_t{1} << (i % 64);
    }
  }
  return b;
}

// Description words count only for words of 3+ characters that are not in
// most descriptions anyway ("course", "learn"): like stop words, by count.
bool SearchEngine::Impl::DescriptionCounts(const std::string& word) const {
  if (word.size() < 3) return false;
  return !snap().CommonInText(internal::CutUtf8(word, 12));
}

void SearchEngine::Impl::OrFts(int tier, const std::string& match, Bits* into) {
  Stmt& q = fts[tier].Get(db());
  q.Reset();
  internal::ResetOnExit done(q);
  q.Bind(1, match);
  const std::int64_t* rows = snap().rowid.data;
  const size_t n = snap().size();
  size_t cursor = 0;
  while (q.Step()) {
    const std::int64_t r = q.Int(0);
    // Rows come in rowid order, and docs hold distinct rowids in that order,
    // so row r is at most r - rows[cursor] docs on: where rowids are dense
    // (a catalogue imported in one go) that is exactly where it is.
    if (cursor < n && r >= rows[cursor]) {
      // In unsigned arithmetic: rowids may be negative.
      const std::uint64_t ahead =
          static_cast<std::uint64_t>(r) - static_cast<std::uint64_t>(rows[cursor]);
      if (ahead < n - cursor && rows[cursor + ahead] == r) {
        cursor += static_cast<size_t>(ahead);
        (*into)[cursor / 64] |= std::uint64_t{1} << (cursor % 64);
        continue;
      }
    }
    // Otherwise gallop forward from the last one.
    size_t step = 1, lo = cursor, hi = cursor;
    while (hi < n && rows[hi] < r) {
      lo = hi;
      hi += step;
      step *= 2;
    }
    hi = std::min(hi + 1, n);
    const size_t doc = static_cast<size_t>(std::lower_bound(rows + lo, rows + hi, r) - rows);
    if (doc >= n) break;
    cursor = doc;
    if (rows[doc] != r) continue;  // added since the snapshot: seen after a reload
    (*into)[doc / 64] |= std::uint64_t{1} << (doc % 64);
  }
}

// ORs into `into` the docs whose `tier` text holds the word form: its whole
// words (prefix_part false) or the words it begins (prefix_part true).
// prefix_same_set: the words it begins go into the same set (looked up by the
// caller), so whole words it begins need no second look.
void SearchEngine::Impl::OrWord(int tier, const WordForm& w, bool prefix_part, Bits* into,
                                bool prefix_same_set) {
  std::vector<std::string_view> look_up;
  if (prefix_part) {
    if (tier < 2) {
      if (const std::uint64_t* b = snap().PrefixBits(tier, w.word)) return OrInto(into, b);
      // The lexicon lists every word of tiers 0 and 1: a prefix that begins
      // only a few of them is those words, so "accounti", "accountin" and
      // "accounting" are one cached lookup, and a prefix that begins none
      // is no lookup at all. (A word over kMaxTermBytes, left out of the
      // lexicon, is found by a prefix in tier 2 only: ranked a tier lower.)
      if (snap().TierWordsBeginning(tier, w.word, kPrefixAsWords, kPrefixScan, &look_up)) {
        return OrWords(tier, &look_up, into);
      }
      look_up.clear();
    }
    OrFts(tier, Quote(w.word) + "*", into);
    return;
  }
  for (const std::string& e : w.exact) {
    if (w.prefix && (!w.demote_prefix || prefix_same_set) && e.rfind(w.word, 0) == 0) {
      continue;  // the prefix has it
    }
    if (tier < 2) {
      if (const std::uint64_t* b = snap().WordBits(tier, e)) {
        OrInto(into, b);
        continue;
      }
      if (snap().AbsentFromTier(tier, e)) continue;  // a stem or a word being typed ("comput")
    }
    look_up.push_back(e);
  }
  OrWords(tier, &look_up, into);
}

// ORs into `into` the docs whose `tier` text holds any of `words` (whole
// words), through the cache of recent lookups.
void SearchEngine::Impl::OrWords(int tier, std::vector<std::string_view>* words, Bits* into) {
  if (tier < 2) {
    // The snapshot lists each lexicon word's docs: the full-text index is
    // asked only for words it does not hold.
    std::erase_if(*words,
                  [&](std::string_view e) { return snap().OrTierDocs(tier, e, into->data()); });
  }
  if (words->empty()) return;
  // In byte order, so the same words looked up for another reason (an alias
  // naming the word typed, a prefix that begins only them) share one entry.
  std::sort(words->begin(), words->end());
  words->erase(std::unique(words->begin(), words->end()), words->end());
  std::string match;
  for (std::string_view e : *words) {
    if (!match.empty()) match += " OR ";
    match += '"';
    match += e;
    match += '"';
  }
  const std::string key = std::to_string(tier) + match;
  for (auto it = group_cache.begin(); it != group_cache.end(); ++it) {
    if (it->first == key) {
      group_cache.splice(group_cache.begin(), group_cache, it);
      return OrInto(into, it->second.data());
    }
  }
  Bits found(snap().words(), 0);
  OrFts(tier, match, &found);
  OrInto(into, found.data());
  group_cache.emplace_front(key, std::move(found));
  if (group_cache.size() > kGroupCacheSize) group_cache.pop_back();
}

void SearchEngine::Impl::MatchOpportunities(const Unit& unit, UnitMatch* m) {
  const size_t words = snap().words();
  for (Bits& t : m->tiers) t.assign(words, 0);
  if (words == 0) return;
  auto dest = [&](int tier) -> Bits* { return &m->tiers[std::min(tier, internal::kTiers - 1)]; };
  Bits acc, one;
  // The words typed first, then what an alias says they mean; `direct`
  // keeps what the typed words found, to rank those first within a tier.
  auto own_done = [&] {
    m->direct.assign(words, 0);
    for (const Bits& t : m->tiers) {
      for (size_t i = 0; i < words; ++i) m->direct[i] |= t[i];
    }
  };
  bool direct_taken = false;
  for (const Alternative& a : unit.alts) {
    if (!a.own && !direct_taken) {
      own_done();
      direct_taken = true;
    }
    switch (a.kind) {
      case Alternative::Kind::kRoute:
        if (a.value >= 0 && a.value < kRouteCount)
          OrInto(dest(a.tier_shift), RouteBits(a.value).data());
        break;
      case Alternative::Kind::kMode:
        if (a.value >= 0 && a.value < kStudyModeCount) {
          OrInto(dest(a.tier_shift), ModeBits(a.value).data());
        }
        break;
      case Alternative::Kind::kWords:
        if (a.words.size() == 1) {
          const WordForm& w = a.words[0];
          for (int tier = 0; tier < internal::kTiers; ++tier) {
            // Tier 1 stands in for descriptions when they do not count.
            if (tier == 2 && (unit.no_description || !DescriptionCounts(w.word))) continue;
            Bits* whole = dest(tier + a.tier_shift);
            Bits* begun = dest(tier + a.tier_shift + (w.demote_prefix ? 1 : 0));
            OrWord(tier, w, false, whole, /*prefix_same_set=*/w.prefix && whole == begun);
            if (w.prefix) OrWord(tier, w, true, begun);
          }
        } else if (!a.words.empty()) {
          // A phrase: every word in the title (tier 0) or in the title,
          // subject, provider, qualification or employer (tier 1); never
          // scattered through a description.
          for (int tier = 0; tier < 2; ++tier) {
            acc.assign(words, ~std::uint64_t{0});
            for (const WordForm& w : a.words) {
              one.assign(words, 0);
              OrWord(tier, w, false, &one, /*prefix_same_set=*/w.prefix);
              if (w.prefix) OrWord(tier, w, true, &one);
              for (size_t i = 0; i < words; ++i) acc[i] &= one[i];
            }
            OrInto(dest(tier + a.tier_shift), acc.data());
          }
        }
        break;
    }
  }
  if (!direct_taken) own_done();
  // A short or very common word found in no title, subject or provider:
  // look in the descriptions after all, so a word being typed ("or" on its
  // way to "organic") never flashes "no results" when it will match.
  bool any = false;
  for (const Bits& t : m->tiers) {
    any = any || std::any_of(t.begin(), t.end(), [](std::uint64_t w) { return w != 0; });
  }
  if (!any && !unit.no_description) {
    for (const Alternative& a : unit.alts) {
      if (a.kind != Alternative::Kind::kWords || a.words.size() != 1) continue;
      const WordForm& w = a.words[0];
      if (DescriptionCounts(w.word)) continue;  // already looked
      OrWord(2, w, false, dest(2), /*prefix_same_set=*/w.prefix);
      if (w.prefix) OrWord(2, w, true, dest(2));
      if (a.own) {
        OrWord(2, w, false, &m->direct, /*prefix_same_set=*/w.prefix);
        if (w.prefix) OrWord(2, w, true, &m->direct);
      }
    }
  }
  const size_t n = snap().size();
  if (n % 64) {
    for (Bits& t : m->tiers) t.back() &= (std::uint64_t{1} << (n % 64)) - 1;
  }
  if (n % 64) m->direct.back() &= (std::uint64_t{1} << (n % 64)) - 1;
  for (size_t i = 0; i < words; ++i) {
    m->tiers[1][i] |= m->tiers[0][i];
    m->tiers[2][i] |= m->tiers[1][i];
    m->docs += std::popcount(m->tiers[2][i]);
  }
}

// Careers, events and local items: few enough rows that a few small FTS5
// queries per unit cost well under a millisecond.
void SearchEngine::Impl::MatchItems(const Unit& unit, UnitMatch* m) {
  // Three groups of alternatives: the words typed, what an alias says they
  // mean, and its looser links (one tier lower).
  struct Group {
    std::string expr;
    std::uint8_t routes = 0;
    int shift = 0;
    bool own = false;
  };
  Group groups[3];
  groups[0].own = true;
  groups[2].shift = 1;
  for (const Alternative& a : unit.alts) {
    Group& g = a.own ? groups[0] : a.tier_shift > 0 ? groups[2] : groups[1];
    if (a.kind == Alternative::Kind::kRoute && a.value >= 0 && a.value < kRouteCount) {
      // Only a route word itself ("apprenticeships", "uni"); a looser link to
      // a route ("a levels" ~ further education) would bring in every event.
      if (a.tier_shift == 0) g.routes |= static_cast<std::uint8_t>(1u << a.value);
    } else if (a.kind == Alternative::Kind::kWords && !a.words.empty()) {
      g.expr += (g.expr.empty() ? "" : " OR ") + AltExpr(a);
    }
  }
  struct Column {
    const char* filter;  // "" = every column
    std::uint8_t tier;
  };
  using Best = std::map<std::int64_t, ItemHit>;
  auto note = [](Best* best, std::int64_t rowid, std::uint8_t tier, bool own) {
    auto [it, fresh] = best->try_emplace(rowid, ItemHit{rowid, tier, own});
    if (!fresh) {
      it->second.tier = std::min(it->second.tier, tier);
      it->second.direct = it->second.direct || own;
    }
  };
  auto run = [&](Stmt& q, const std::vector<Column>& columns) {
    Best best;
    for (const Group& g : groups) {
      if (g.expr.empty()) continue;
      // Every column first (the last, widest filter): when nothing matches
      // there, the narrower column filters cannot match either.
      for (size_t k = columns.size(); k-- > 0;) {
        const Column& c = columns[k];
        q.Reset();
        internal::ResetOnExit done(q);
        q.Bind(1, std::string(c.filter) + (*c.filter ? " : (" : "(") + g.expr + ")");
        const auto tier = static_cast<std::uint8_t>(std::min(2, c.tier + g.shift));
        bool any = false;
        while (q.Step()) {
          note(&best, q.Int(0), tier, g.own);
          any = true;
        }
        if (!any) break;
      }
    }
    return best;
  };
  auto add_routes = [&](ResultKind kind, Best* best) {
    for (const Group& g : groups) {
      if (!g.routes) continue;
      AddRouteItems(kind, g.routes, [&](std::int64_t rowid) {
        note(best, rowid, static_cast<std::uint8_t>(1 + g.shift), g.own);
      });
    }
  };
  auto store = [](const Best& best, std::vector<ItemHit>* out) {
    out->clear();
    for (const auto& [rowid, hit] : best) out->push_back(hit);
  };
  store(run(career_fts.Get(db()), {{"{title}", 0}, {"{title alternative_titles}", 1}, {"", 2}}),
        &m->careers);
  Best events = run(event_fts.Get(db()), {{"{title}", 0}, {"", 1}});
  add_routes(ResultKind::kEvent, &events);
  store(events, &m->events);
  Best local = run(local_fts.Get(db()), {{"{title}", 0}, {"", 1}});
  add_routes(ResultKind::kLocal, &local);
  store(local, &m->local);
}

std::shared_ptr<const UnitMatch> SearchEngine::Impl::MatchUnit(const Unit& unit) {
  const std::string key = unit.CacheKey();
  for (auto it = unit_cache.begin(); it != unit_cache.end(); ++it) {
    if (it->first == key) {
      unit_cache.splice(unit_cache.begin(), unit_cache, it);
      return it->second;
    }
  }
  auto m = std::make_shared<UnitMatch>();
  MatchOpportunities(unit, m.get());
  MatchItems(unit, m.get());
  unit_cache.emplace_front(key, m);
  if (unit_cache.size() > kUnitCacheSize) unit_cache.pop_back();
  return m;
}

}  // namespace signpost::catalogue
