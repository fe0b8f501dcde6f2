// Careers, events and local content in a search: their order and filters.
//
// What each row needs (its place in its kind's order, an event's end and
// routes, a local item's dates) is in the search snapshot (snapshot.h), so
// a new process reads no rows to order them (at 250k a fresh kiosk's first
// "engineering" read ~280 career and event rows for it). A row added since
// the snapshot was made is read from the catalogue the first time a search
// meets it and kept until the next Load(); the engine's owner reloads after
// the catalogue changes (search.h).
#include <algorithm>

#include "search_impl.h"

namespace signpost::catalogue {

using internal::Stmt;

namespace {

constexpr int kCareers = 0, kEvents = 1, kLocal = 2;

int KindIndex(ResultKind kind) {
  return kind == ResultKind::kCareer ? kCareers : kind == ResultKind::kEvent ? kEvents : kLocal;
}

// The kinds' own orders: careers by the closest titles (shorter titles hold
// the words more closely), events soonest first, local content by title.
constexpr const char* kById[3] = {
    "SELECT printf('%04d', length(title)) || title FROM career WHERE id = ?",
    "SELECT printf('%012d', start_at), end_at, typeof(end_at) IN ('text', 'blob'), routes FROM "
    "event WHERE id = ?",
    "SELECT title, starts, ends FROM local_item WHERE id = ?"};

}  // namespace

const ItemRow* SearchEngine::Impl::Item(int kind, std::int64_t rowid) {
  ItemKind& k = items[kind];
  auto [it, fresh] = k.rows.try_emplace(rowid);
  if (!fresh) return it->second ? &*it->second : nullptr;
  if (!k.by_id) k.by_id = std::make_unique<Stmt>(db(), kById[kind]);
  Stmt& q = *k.by_id;
  q.Reset();
  internal::ResetOnExit done(q);
  q.Bind(1, rowid);
  if (!q.Step()) return nullptr;  // gone: remembered as absent
  ItemRow r;
  r.key = q.Text(0);
  if (kind == kEvents) {
    r.end_at = q.IsNull(1) ? INT64_MIN : q.Int(1);
    r.end_at_text = q.Int(2) != 0;
    r.routes = q.Int(3);
  } else if (kind == kLocal) {
    if (!q.IsNull(1)) r.starts = q.Text(1);
    if (!q.IsNull(2)) r.ends = q.Text(2);
  }
  it->second = std::move(r);
  return &*it->second;
}

namespace {

// Ranks `hits` by their rows in the snapshot; false when one is not there
// (added since the snapshot was made: read from the catalogue instead).
template <typename Keep>
bool OrderFromSnapshot(const internal::SnapshotItems& items, const std::vector<ItemHit>& hits,
                       const Keep& keep, std::vector<std::int64_t>* out, std::uint64_t* best) {
  struct Row {
    std::uint64_t key;  // tier, indirect, rank
    std::int64_t rowid;
  };
  std::vector<Row> sorted;
  sorted.reserve(hits.size());
  for (const ItemHit& h : hits) {
    const std::uint32_t i = items.Find(h.rowid);
    if (i == items.rowid.size) return false;
    if (!keep(items, i)) continue;
    sorted.push_back(
        {std::uint64_t{h.tier} << 40 | std::uint64_t{!h.direct} << 32 | items.rank[i], h.rowid});
  }
  std::sort(sorted.begin(), sorted.end(), [](const Row& a, const Row& b) { return a.key < b.key; });
  out->reserve(out->size() + sorted.size());
  for (const Row& r : sorted) out->push_back(r.rowid);
  *best = sorted.empty() ? 3 : sorted.front().key >> 40;
  return true;
}

}  // namespace

std::uint64_t SearchEngine::Impl::OrderItems(ResultKind kind, const std::vector<ItemHit>& hits,
                                             std::uint8_t routes, UnixTime now,
                                             const std::string& today,
                                             std::vector<std::int64_t>* out) {
  if (hits.empty()) return 3;
  const int k = KindIndex(kind);
  // Events are over once ended and shown on the routes asked for; local
  // items while they run.
  auto keep_event = [&](bool end_text, std::int64_t end_at, bool has_routes, std::int64_t bits) {
    return (end_text || end_at >= now) && (routes == 0 || !has_routes || (bits & routes) != 0);
  };
  auto keep_local = [&](const std::string_view* starts, const std::string_view* ends) {
    return (!starts || *starts <= today) && (!ends || *ends >= today);
  };
  std::uint64_t best = 3;
  const auto keep_mapped = [&](const internal::SnapshotItems& it, std::uint32_t i) {
    const std::uint8_t f = it.flags[i];
    switch (k) {
      case kEvents:
        return keep_event(f & internal::kEndAtText, it.end_at[i], f & internal::kHasRoutes,
                          it.routes[i]);
      case kLocal: {
        const std::string_view s = it.starts.at(i), e = it.ends.at(i);
        return keep_local(f & internal::kHasStarts ? &s : nullptr,
                          f & internal::kHasEnds ? &e : nullptr);
      }
      default:
        return true;
    }
  };
  const size_t before = out->size();
  if (OrderFromSnapshot(snap().items[k], hits, keep_mapped, out, &best)) return best;
  out->resize(before);

  auto keep = [&](const ItemRow& r) {
    switch (k) {
      case kEvents:
        return keep_event(r.end_at_text, r.end_at, r.routes != 0, r.routes);
      case kLocal: {
        const std::string_view s = r.starts.value_or(""), e = r.ends.value_or("");
        return keep_local(r.starts ? &s : nullptr, r.ends ? &e : nullptr);
      }
      default:
        return true;
    }
  };
  struct Row {
    std::uint8_t tier;
    bool indirect;  // only an alias's meaning matched
    const std::string* key;
    std::int64_t rowid;
    bool operator<(const Row& o) const {
      if (tier != o.tier) return tier < o.tier;
      if (indirect != o.indirect) return indirect < o.indirect;
      if (const int c = key->compare(*o.key); c != 0) return c < 0;
      return rowid < o.rowid;
    }
  };
  std::vector<Row> sorted;
  sorted.reserve(hits.size());
  for (const ItemHit& h : hits) {
    const ItemRow* r = Item(k, h.rowid);
    if (r && keep(*r)) sorted.push_back({h.tier, !h.direct, &r->key, h.rowid});
  }
  std::sort(sorted.begin(), sorted.end());
  out->reserve(out->size() + sorted.size());
  for (const Row& r : sorted) out->push_back(r.rowid);
  return sorted.empty() ? 3 : sorted.front().tier;
}

void SearchEngine::Impl::AddRouteItems(ResultKind kind, std::uint8_t routes,
                                       const std::function<void(std::int64_t)>& fn) {
  const int k = KindIndex(kind);
  if (k == kCareers) return;
  ItemKind& items_of = items[k];
  const internal::SnapshotItems& mapped = snap().items[k];
  if (!items_of.routes_loaded && mapped.rowid.size > 0) {
    for (std::uint32_t i = 0; i < mapped.rowid.size; ++i) {
      items_of.route_bits.emplace_back(mapped.rowid[i], mapped.routes[i]);
    }
    items_of.routes_loaded = true;
  }
  if (!items_of.routes_loaded) {
    Stmt q(db(), k == kEvents ? "SELECT id, routes FROM event"
                              : "SELECT id, CASE route WHEN 'fe' THEN 1 WHEN 'tlevel' THEN 2 "
                                "WHEN 'he' THEN 4 WHEN 'apprenticeship' THEN 8 ELSE 0 END "
                                "FROM local_item");
    while (q.Step()) {
      items_of.route_bits.emplace_back(q.Int(0), static_cast<std::uint8_t>(q.Int(1) & 0xff));
    }
    items_of.routes_loaded = true;
  }
  for (const auto& [id, bits] : items_of.route_bits) {
    if ((bits & routes) != 0) fn(id);
  }
}

}  // namespace signpost::catalogue
