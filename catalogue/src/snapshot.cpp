// Search snapshot build (writer) and load (reader). See snapshot.h.
//
// Blob layout (little-endian, as on every target: amd64, arm64):
//   "SPS1" u32 n u32 n_subjects {u16 len, bytes}*n_subjects
//   i64 rowid[n] u8 route[n] i8 level[n] u8 mode[n] u8 flexible[n]
//   u16 subject[n] i32 start[n] f32 lat[n] f32 lon[n]
// search_prefix rows hold a bitset of ceil(n/64) u64 words per cached prefix.
#include "snapshot.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <map>
#include <unordered_map>

#include "signpost/dates.h"
#include "signpost/model.h"
#include "sqlite_util.h"

namespace signpost::catalogue::internal {

namespace {

constexpr char kMagic[4] = {'S', 'P', 'S', '1'};
constexpr size_t kMaxPrefixBytes = 12;

template <typename T>
void Put(std::string* out, const T& v) {
  out->append(reinterpret_cast<const char*>(&v), sizeof v);
}
template <typename T>
void PutArray(std::string* out, const std::vector<T>& v) {
  if (!v.empty()) out->append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
}

struct Reader {
  std::string_view in;
  size_t pos = 0;
  template <typename T>
  T Get() {
    if (pos + sizeof(T) > in.size()) Fail();
    T v;
    std::memcpy(&v, in.data() + pos, sizeof v);
    pos += sizeof v;
    return v;
  }
  template <typename T>
  void GetArray(std::vector<T>* v, size_t n) {
    if (pos + n * sizeof(T) > in.size()) Fail();
    v->resize(n);
    if (n) std::memcpy(v->data(), in.data() + pos, n * sizeof(T));
    pos += n * sizeof(T);
  }
  std::string GetString(size_t n) {
    if (pos + n > in.size()) Fail();
    std::string s(in.substr(pos, n));
    pos += n;
    return s;
  }
  [[noreturn]] static void Fail() {
    throw SqliteError(SQLITE_CORRUPT, "the search snapshot is damaged; run content-sync again");
  }
};

// A prefix is "common" when the words starting with it occur in at least
// this many documents (summed over words, so an over-estimate).
std::int64_t CommonThreshold(size_t docs) {
  return std::max<std::int64_t>(4096, static_cast<std::int64_t>(docs) / 40);
}

// Caches the match sets of common prefixes (tiers 0 and 1) and lists the
// prefixes too common in descriptions (tier 2). Prefixes that cover exactly
// the same words (e.g. "apprenti" and "apprentic") share one bitset.
void BuildPrefixCache(sqlite3* db, const Snapshot& snap) {
  const size_t n = snap.size();
  const std::int64_t threshold = CommonThreshold(n);
  if (static_cast<std::int64_t>(n) < threshold) return;
  Stmt insert(db, "INSERT INTO search_prefix(tier, prefix, docs, alias) VALUES(?,?,?,?)");
  std::vector<std::uint64_t> bits((n + 63) / 64);
  for (int tier = 0; tier < kTiers; ++tier) {
    const std::string vocab = std::string("temp.sp_vocab_") + kTierTables[tier];
    const std::string fts = kTierTables[tier];
    Exec(db, ("CREATE VIRTUAL TABLE IF NOT EXISTS " + vocab + " USING fts5vocab(main, '" + fts +
              "', 'row')")
                 .c_str());
    struct Range {
      std::int64_t docs = 0;   // summed over words
      std::int64_t first = 0;  // index of the first and last word with this prefix
      std::int64_t last = 0;
    };
    std::unordered_map<std::string, Range> prefixes;
    {
      Stmt v(db, "SELECT term, doc FROM " + vocab);  // in term order
      for (std::int64_t word = 0; v.Step(); ++word) {
        const std::string_view term = v.TextView(0);
        const std::int64_t docs = v.Int(1);
        for (size_t len = 1; len <= std::min(term.size(), kMaxPrefixBytes); ++len) {
          if (len < term.size() && (static_cast<unsigned char>(term[len]) & 0xc0) == 0x80) continue;
          auto [it, fresh] = prefixes.try_emplace(std::string(term.substr(0, len)));
          if (fresh) it->second.first = word;
          it->second.docs += docs;
          it->second.last = word;
        }
      }
    }
    if (tier == 2) {
      for (const auto& [prefix, range] : prefixes) {
        if (range.docs < threshold) continue;
        insert.Reset();
        insert.Bind(1, tier).Bind(2, prefix).BindNull(3).BindNull(4);
        insert.Run();
      }
      continue;
    }
    // One bitset per distinct word range, stored under its longest prefix.
    std::map<std::pair<std::int64_t, std::int64_t>, std::string> canonical;
    for (const auto& [prefix, range] : prefixes) {
      if (range.docs < threshold) continue;
      std::string& c = canonical[{range.first, range.last}];
      if (prefix.size() > c.size()) c = prefix;
    }
    Stmt match(db, "SELECT rowid FROM " + fts + " WHERE " + fts + " MATCH ?");
    for (const auto& [range, prefix] : canonical) {
      std::fill(bits.begin(), bits.end(), 0);
      match.Reset();
      match.Bind(1, "\"" + prefix + "\"*");
      auto it = snap.rowid.begin();
      while (match.Step()) {
        const std::int64_t r = match.Int(0);
        it = std::lower_bound(it, snap.rowid.end(), r);
        if (it == snap.rowid.end()) break;
        if (*it != r) continue;
        const size_t doc = static_cast<size_t>(it - snap.rowid.begin());
        bits[doc / 64] |= std::uint64_t{1} << (doc % 64);
      }
      insert.Reset();
      insert.Bind(1, tier).Bind(2, prefix);
      insert.BindBlob(3, bits.data(), static_cast<int>(bits.size() * sizeof(std::uint64_t)));
      insert.BindNull(4).Run();
    }
    for (const auto& [prefix, range] : prefixes) {
      if (range.docs < threshold) continue;
      const std::string& c = canonical[{range.first, range.last}];
      if (c == prefix) continue;
      insert.Reset();
      insert.Bind(1, tier).Bind(2, prefix).BindNull(3).Bind(4, c).Run();
    }
  }
}

}  // namespace

void RebuildSearchSnapshot(sqlite3* db) {
  Snapshot s;
  std::unordered_map<std::string, std::uint16_t> subject_ids;
  {
    Stmt q(db,
           "SELECT o.id, o.route, o.level, o.mode, o.flexible_start, o.subject_area, "
           "o.start_date, COALESCE(o.lat, p.lat), COALESCE(o.lon, p.lon) FROM opportunity o "
           "JOIN provider p ON p.id = o.provider_id ORDER BY o.id");
    const float nan = std::numeric_limits<float>::quiet_NaN();
    while (q.Step()) {
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
  }
  std::string blob(kMagic, 4);
  Put(&blob, static_cast<std::uint32_t>(s.size()));
  Put(&blob, static_cast<std::uint32_t>(s.subjects.size()));
  for (const std::string& sub : s.subjects) {
    const auto len = static_cast<std::uint16_t>(std::min<size_t>(sub.size(), 65535));
    Put(&blob, len);
    blob.append(sub.data(), len);
  }
  PutArray(&blob, s.rowid);
  PutArray(&blob, s.route);
  PutArray(&blob, s.level);
  PutArray(&blob, s.mode);
  PutArray(&blob, s.flexible);
  PutArray(&blob, s.subject);
  PutArray(&blob, s.start);
  PutArray(&blob, s.lat);
  PutArray(&blob, s.lon);
  Exec(db, "DELETE FROM search_snapshot; DELETE FROM search_prefix;");
  Stmt ins(db, "INSERT INTO search_snapshot(id, docs) VALUES(1, ?)");
  ins.BindBlob(1, blob.data(), static_cast<int>(blob.size())).Run();
  const auto t1 = std::chrono::steady_clock::now();
  BuildPrefixCache(db, s);
  if (std::getenv("SIGNPOST_TRACE_IMPORT")) {
    std::fprintf(
        stderr, "  [import] snapshot docs %zu, prefix cache %.1f ms\n", s.size(),
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t1).count());
  }
}

Snapshot LoadSearchSnapshot(sqlite3* db) {
  Snapshot s;
  Stmt q(db, "SELECT docs FROM search_snapshot WHERE id = 1");
  if (!q.Step()) return s;
  Reader r{q.BlobView(0)};
  if (r.in.size() < 12 || std::memcmp(r.in.data(), kMagic, 4) != 0) Reader::Fail();
  r.pos = 4;
  const auto n = r.Get<std::uint32_t>();
  const auto n_subjects = r.Get<std::uint32_t>();
  if (n > 50'000'000 || n_subjects > kNoSubject) Reader::Fail();
  for (std::uint32_t i = 0; i < n_subjects; ++i) {
    const auto len = r.Get<std::uint16_t>();
    s.subjects.push_back(r.GetString(len));
  }
  r.GetArray(&s.rowid, n);
  r.GetArray(&s.route, n);
  r.GetArray(&s.level, n);
  r.GetArray(&s.mode, n);
  r.GetArray(&s.flexible, n);
  r.GetArray(&s.subject, n);
  r.GetArray(&s.start, n);
  r.GetArray(&s.lat, n);
  r.GetArray(&s.lon, n);
  for (size_t i = 0; i < n; ++i) {
    if (s.route[i] >= kRouteCount || s.mode[i] >= kStudyModeCount ||
        (s.subject[i] != kNoSubject && s.subject[i] >= n_subjects)) {
      Reader::Fail();
    }
  }
  Stmt p(db, "SELECT tier, prefix, alias FROM search_prefix");
  while (p.Step()) {
    const auto tier = p.Int(0);
    if (tier == 0 || tier == 1) {
      s.cached[tier].emplace(p.Text(1), p.IsNull(2) ? p.Text(1) : p.Text(2));
    } else if (tier == 2) {
      s.common_in_text.insert(p.Text(1));
    }
  }
  return s;
}

}  // namespace signpost::catalogue::internal
