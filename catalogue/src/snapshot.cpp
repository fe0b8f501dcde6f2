// The search snapshot: loading (map the copy, or read the blob), validation
// and publishing the copy. Building is in snapshot_build.cpp. See snapshot.h.
#include "snapshot.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "signpost/model.h"
#include "snapshot_format.h"
#include "sqlite_util.h"

namespace signpost::catalogue::internal {

namespace {

[[noreturn]] void Damaged(const char* what) {
  throw SqliteError(SQLITE_CORRUPT, std::string("the search snapshot is damaged (") + what +
                                        "); run content-sync again");
}

}  // namespace

// [SECTION] String tables -------------------------------------------------------------

std::uint32_t StringTable::LowerBound(std::string_view s) const {
  std::uint32_t lo = 0, hi = count;
  while (lo < hi) {
    const std::uint32_t mid = lo + (hi - lo) / 2;
    if (at(mid) < s) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

std::uint32_t StringTable::Find(std::string_view s) const {
  const std::uint32_t i = LowerBound(s);
  return i < count && at(i) == s ? i : count;
}

// [SECTION] Lookups ---------------------------------------------------------------------

SnapshotView::SnapshotView() = default;
SnapshotView::~SnapshotView() { Release(); }

const std::uint64_t* SnapshotView::PrefixBits(int tier, std::string_view prefix) const {
  if (tier < 0 || tier > 1 || !bitsets_) return nullptr;
  const std::uint32_t i = prefixes[tier].Find(prefix);
  if (i == prefixes[tier].count) return nullptr;
  return bitsets_ + static_cast<size_t>(prefix_set[tier][i]) * words();
}

const std::uint64_t* SnapshotView::WordBits(int tier, std::string_view word) const {
  if (tier < 0 || tier > 1 || !bitsets_) return nullptr;
  const std::uint32_t i = common_words[tier].Find(word);
  if (i == common_words[tier].count) return nullptr;
  return bitsets_ + static_cast<size_t>(word_set[tier][i]) * words();
}

std::pair<const std::uint32_t*, const std::uint32_t*> SnapshotView::StemGroup(
    std::string_view stem) const {
  const std::uint32_t i = stems.Find(stem);
  if (i == stems.count) return {nullptr, nullptr};
  return {stem_terms.data + stem_start[i], stem_terms.data + stem_start[i + 1]};
}

std::uint32_t SnapshotItems::Find(std::int64_t id) const {
  const std::int64_t* end = rowid.data + rowid.size;
  const std::int64_t* it = std::lower_bound(rowid.data, end, id);
  return it != end && *it == id ? static_cast<std::uint32_t>(it - rowid.data) : rowid.size;
}

bool SnapshotView::CommonInText(std::string_view prefix) const {
  return common_in_text.Find(prefix) != common_in_text.count;
}

namespace {
// The lexicon's bit for the words of tier 0 or 1.
std::uint8_t TierBit(int tier) { return tier == 0 ? kInTitle : kInTier1; }
}  // namespace

bool SnapshotView::AbsentFromTier(int tier, std::string_view word) const {
  if (tier < 0 || tier > 1 || word.empty() || word.size() > kMaxTermBytes || terms.count == 0) {
    return false;
  }
  const std::uint32_t t = terms.Find(word);
  if (t == terms.count) return true;
  return !(term_where[t] & TierBit(tier));
}

bool SnapshotView::OrTierDocs(int tier, std::string_view word, std::uint64_t* into) const {
  if (tier < 0 || tier > 1 || word.empty() || word.size() > kMaxTermBytes || terms.count == 0) {
    return false;
  }
  const std::uint32_t t = terms.Find(word);
  if (t == terms.count) return false;
  const auto* p = reinterpret_cast<const unsigned char*>(postings.data()) + post_start[t];
  const auto* end = reinterpret_cast<const unsigned char*>(postings.data()) + post_start[t + 1];
  const bool title_only = tier == 0;
  std::uint64_t doc = 0;
  for (bool first = true; p < end; first = false) {
    std::uint64_t v = 0;
    for (int shift = 0;; shift += 7) {
      if (p == end || shift > 28) return false;  // damaged: ask the index
      const unsigned char b = *p++;
      v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) break;
    }
    doc = first ? v >> 1 : doc + (v >> 1);
    if (doc >= n_ || (!first && v >> 1 == 0)) return false;
    if (title_only && !(v & 1)) continue;
    into[doc / 64] |= std::uint64_t{1} << (doc % 64);
  }
  return true;
}

bool SnapshotView::TierWordsBeginning(int tier, std::string_view prefix, size_t max_words,
                                      std::uint32_t max_scan,
                                      std::vector<std::string_view>* out) const {
  if (tier < 0 || tier > 1 || terms.count == 0) return false;
  // The lexicon also holds careers' and sampled descriptions' words: a prefix
  // that begins thousands of those is left to the caller.
  const std::uint32_t first = terms.LowerBound(prefix);
  for (std::uint32_t t = first; t < terms.count; ++t) {
    const std::string_view term = terms.at(t);
    if (term.substr(0, prefix.size()) != prefix) return true;
    if (t - first >= max_scan) return false;
    if (!(term_where[t] & TierBit(tier))) continue;
    if (out->size() >= max_words) return false;
    out->push_back(term);
  }
  return true;
}

// [SECTION] Attaching and validating ------------------------------------------------------

namespace {

struct Parser {
  const char* base;
  size_t size;
  const SnapshotHeader* h;

  std::pair<const char*, size_t> Raw(Section s) const {
    const SnapshotSection& sec = h->sections[s];
    if (sec.offset % 8 != 0 || sec.offset > size || sec.bytes > size - sec.offset) {
      Damaged("a section is out of bounds");
    }
    return {base + sec.offset, static_cast<size_t>(sec.bytes)};
  }

  template <typename T>
  Array<T> Get(Section s, size_t expect) const {
    auto [p, n] = Raw(s);
    if (n != expect * sizeof(T)) Damaged("a section has the wrong size");
    return Array<T>{reinterpret_cast<const T*>(p), static_cast<std::uint32_t>(expect)};
  }

  StringTable Strings(Section s, bool sorted) const {
    auto [p, n] = Raw(s);
    if (n < 8) Damaged("a string table is too short");
    StringTable t;
    std::memcpy(&t.count, p, 4);
    const size_t header = 4 + (static_cast<size_t>(t.count) + 1) * 4;
    if (t.count > n / 4 || header > n) Damaged("a string table is too long");
    t.offsets = reinterpret_cast<const std::uint32_t*>(p + 4);
    t.bytes = p + header;
    const size_t bytes = n - header;
    if (t.offsets[0] != 0) Damaged("a string table starts badly");
    for (std::uint32_t i = 0; i < t.count; ++i) {
      if (t.offsets[i + 1] < t.offsets[i] || t.offsets[i + 1] > bytes) {
        Damaged("a string table has a bad offset");
      }
      if (sorted && i > 0 && !(t.at(i - 1) < t.at(i))) Damaged("a table is out of order");
    }
    return t;
  }
};

}  // namespace

void SnapshotView::Attach(const char* data, size_t size) {
  if (size < sizeof(SnapshotHeader)) Damaged("too short");
  if (reinterpret_cast<std::uintptr_t>(data) % 8 != 0) Damaged("misaligned");
  const auto* h = reinterpret_cast<const SnapshotHeader*>(data);
  if (std::memcmp(h->magic, kSnapshotMagic, sizeof kSnapshotMagic) != 0) Damaged("not a snapshot");
  if (h->version != kSnapshotVersion) Damaged("unknown version");
  if (h->total_bytes != size || size < sizeof(SnapshotHeader) + 8) Damaged("truncated");
  if (std::memcmp(data + size - 8, &h->token, 8) != 0) Damaged("its end was not written");
  if (h->n_docs > 50'000'000) Damaged("too many documents");
  Parser p{data, size, h};
  const size_t n = h->n_docs;
  n_ = h->n_docs;
  rowid = p.Get<std::int64_t>(kSecRowid, n);
  route = p.Get<std::uint8_t>(kSecRoute, n);
  level = p.Get<std::int8_t>(kSecLevel, n);
  mode = p.Get<std::uint8_t>(kSecMode, n);
  flexible = p.Get<std::uint8_t>(kSecFlexible, n);
  subject = p.Get<std::uint16_t>(kSecSubject, n);
  start = p.Get<std::int32_t>(kSecStart, n);
  lat = p.Get<float>(kSecLat, n);
  lon = p.Get<float>(kSecLon, n);
  // Not walked here (a new process would pay for every doc): search checks
  // a doc's route and mode where it uses them as an index, and rows out of
  // order could only make a binary search miss.
  subjects = p.Strings(kSecSubjects, false);
  terms = p.Strings(kSecTerms, true);
  const size_t t = terms.count;
  term_where = p.Get<std::uint8_t>(kSecTermWhere, t);
  term_docs = p.Get<std::uint32_t>(kSecTermDocs, t);
  term_stem = p.Get<std::uint32_t>(kSecTermStem, t);
  stems = p.Strings(kSecStems, true);
  stem_start = p.Get<std::uint32_t>(kSecStemStart, static_cast<size_t>(stems.count) + 1);
  stem_terms = p.Get<std::uint32_t>(kSecStemTerms, t);
  term_keys = p.Strings(kSecTermKeys, false);
  terms_by_key = p.Get<std::uint32_t>(kSecTermsByKey, t);
  if (term_keys.count != t) Damaged("keys do not match terms");
  {
    const auto [bytes, count] = p.Raw(kSecPostings);
    if (count > UINT32_MAX) Damaged("the lists of documents are too long");
    postings = std::string_view(bytes, count);
  }
  post_start = p.Get<std::uint32_t>(kSecPostStart, t + 1);
  if (post_start[0] != 0 || post_start[t] != postings.size()) Damaged("bad lists of documents");
  for (size_t i = 0; i < t; ++i) {
    if (term_stem[i] >= stems.count || stem_terms[i] >= t || terms_by_key[i] >= t) {
      Damaged("a bad term index");
    }
    if (post_start[i + 1] < post_start[i]) Damaged("bad lists of documents");
  }
  if (stem_start[0] != 0 || stem_start[stems.count] != t) Damaged("bad stem groups");
  for (size_t i = 0; i < stems.count; ++i) {
    if (stem_start[i + 1] < stem_start[i]) Damaged("bad stem groups");
  }
  bitset_count_ = h->bitset_count;
  const size_t w = words();
  if (bitset_count_ > 0 && w > 0 && bitset_count_ > (size / 8) / w) Damaged("too many bitsets");
  bitsets_ = p.Get<std::uint64_t>(kSecBitsets, static_cast<size_t>(bitset_count_) * w).data;
  const Section cache_sections[2][4] = {{kSecPrefixes0, kSecPrefixSet0, kSecWords0, kSecWordSet0},
                                        {kSecPrefixes1, kSecPrefixSet1, kSecWords1, kSecWordSet1}};
  for (int tier = 0; tier < 2; ++tier) {
    prefixes[tier] = p.Strings(cache_sections[tier][0], true);
    prefix_set[tier] = p.Get<std::uint32_t>(cache_sections[tier][1], prefixes[tier].count);
    common_words[tier] = p.Strings(cache_sections[tier][2], true);
    word_set[tier] = p.Get<std::uint32_t>(cache_sections[tier][3], common_words[tier].count);
    for (size_t i = 0; i < prefixes[tier].count; ++i) {
      if (prefix_set[tier][i] >= bitset_count_) Damaged("a bad bitset index");
    }
    for (size_t i = 0; i < common_words[tier].count; ++i) {
      if (word_set[tier][i] >= bitset_count_) Damaged("a bad bitset index");
    }
  }
  common_in_text = p.Strings(kSecCommonInText, true);
  {
    const auto [bytes, count] = p.Raw(kSecAliases);
    aliases = std::string_view(bytes, count);
  }
  for (std::uint32_t k = 0; k < 3; ++k) {
    SnapshotItems& it = items[k];
    auto col = [&](ItemColumn c) { return static_cast<Section>(kSecItems + k * kItemColumns + c); };
    const size_t m = p.Raw(col(kItemRowid)).second / 8;
    it.rowid = p.Get<std::int64_t>(col(kItemRowid), m);
    it.rank = p.Get<std::uint32_t>(col(kItemRank), m);
    it.routes = p.Get<std::uint8_t>(col(kItemRoutes), m);
    it.flags = p.Get<std::uint8_t>(col(kItemFlags), m);
    it.end_at = p.Get<std::int64_t>(col(kItemEndAt), m);
    it.starts = p.Strings(col(kItemStarts), false);
    it.ends = p.Strings(col(kItemEnds), false);
    if (it.starts.count != m || it.ends.count != m) Damaged("item columns do not match");
  }
}

void SnapshotView::Release() {
  if (map_) munmap(map_, map_size_);
  map_ = nullptr;
  map_size_ = 0;
  owned_.clear();
  owned_.shrink_to_fit();
  n_ = 0;
  bitsets_ = nullptr;
  bitset_count_ = 0;
  rowid = {};
  route = {};
  level = {};
  mode = {};
  flexible = {};
  subject = {};
  start = {};
  lat = {};
  lon = {};
  subjects = {};
  terms = {};
  term_where = {};
  term_docs = {};
  term_stem = {};
  stems = {};
  stem_start = {};
  stem_terms = {};
  term_keys = {};
  terms_by_key = {};
  prefixes[0] = prefixes[1] = {};
  prefix_set[0] = prefix_set[1] = {};
  common_words[0] = common_words[1] = {};
  word_set[0] = word_set[1] = {};
  common_in_text = {};
  post_start = {};
  postings = {};
  for (SnapshotItems& it : items) it = {};
  aliases = {};
}

// [SECTION] Loading -------------------------------------------------------------------------

namespace {

struct BlobHandle {
  sqlite3_blob* blob = nullptr;
  ~BlobHandle() {
    if (blob) sqlite3_blob_close(blob);
  }
};

// Maps `path` read-only when its header equals `header`; null otherwise.
void* MapCopy(const std::string& path, const SnapshotHeader& header, size_t* size) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return nullptr;
  struct stat st {};
  void* map = nullptr;
  if (::fstat(fd, &st) == 0 && static_cast<std::uint64_t>(st.st_size) == header.total_bytes &&
      S_ISREG(st.st_mode)) {
    // Not MAP_POPULATE: a query touches a part of the snapshot, and mapping
    // all of it up front (then unmapping it at exit) cost a fresh process
    // about 1.4 ms of a 25 ms search at 250k; a page is mapped on first touch.
    map = ::mmap(nullptr, static_cast<size_t>(st.st_size), PROT_READ, MAP_SHARED, fd, 0);
    if (map == MAP_FAILED) map = nullptr;
  }
  ::close(fd);
  if (!map) return nullptr;
  if (std::memcmp(map, &header, sizeof header) != 0) {
    ::munmap(map, static_cast<size_t>(st.st_size));
    return nullptr;
  }
  *size = static_cast<size_t>(st.st_size);
  return map;
}

}  // namespace

void SnapshotView::Load(sqlite3* db, const std::string& db_path) {
  Release();
  // Read the header only; the blob stays in the catalogue unless needed.
  ReadTransaction read(db);
  BlobHandle b;
  const int rc = sqlite3_blob_open(db, "main", "search_snapshot", "docs", 1, 0, &b.blob);
  if (rc != SQLITE_OK) {
    // No row yet (an empty catalogue) is an empty snapshot; anything else is real.
    Stmt q(db, "SELECT count(*) FROM search_snapshot");
    if (q.Step() && q.Int(0) == 0) return;
    throw SqliteError(rc, "cannot read the search snapshot");
  }
  const int bytes = sqlite3_blob_bytes(b.blob);
  SnapshotHeader header{};
  if (bytes < static_cast<int>(sizeof header) ||
      sqlite3_blob_read(b.blob, &header, sizeof header, 0) != SQLITE_OK) {
    Damaged("too short");
  }
  if (header.total_bytes != static_cast<std::uint64_t>(bytes)) Damaged("truncated");
  if (!db_path.empty()) {
    size_t size = 0;
    if (void* map = MapCopy(SnapshotCopyPath(db_path, header.token), header, &size)) {
      map_ = map;
      map_size_ = size;
      try {
        Attach(static_cast<const char*>(map), size);
        return;
      } catch (const SqliteError&) {
        // A damaged copy: fall back to the catalogue's own blob.
        ::munmap(map_, map_size_);
        map_ = nullptr;
        map_size_ = 0;
      }
    }
  }
  // std::string storage is 16-byte aligned from the allocator for sizes this large.
  owned_.resize(static_cast<size_t>(bytes));
  if (sqlite3_blob_read(b.blob, owned_.data(), bytes, 0) != SQLITE_OK) {
    throw SqliteError(sqlite3_extended_errcode(db), "cannot read the search snapshot");
  }
  Attach(owned_.data(), owned_.size());
}

// [SECTION] The copy beside the catalogue -------------------------------------------------

std::string SnapshotCopyPath(const std::string& db_path, std::uint64_t token) {
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016" PRIx64, token);
  return db_path + ".search-" + hex;
}

void PublishSnapshotCopy(const std::string& db_path, const std::string& bytes) {
  if (db_path.empty() || bytes.size() < sizeof(SnapshotHeader)) return;
  SnapshotHeader h;
  std::memcpy(&h, bytes.data(), sizeof h);
  const std::string path = SnapshotCopyPath(db_path, h.token);
  const std::string tmp = path + ".tmp";
  namespace fs = std::filesystem;
  std::error_code ec;
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return;
  size_t done = 0;
  bool ok = true;
  while (done < bytes.size()) {
    const ssize_t w = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) {
      ok = false;
      break;
    }
    done += static_cast<size_t>(w);
  }
  ok = ok && ::fsync(fd) == 0;
  ok = ::close(fd) == 0 && ok;
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    fs::remove(tmp, ec);
    return;
  }
  // Older copies (other tokens) are no longer wanted; a reader that mapped one
  // keeps its mapping until it reloads.
  const fs::path p(db_path);
  const std::string prefix = p.filename().string() + ".search-";
  const std::string keep = fs::path(path).filename().string();
  for (const auto& entry :
       fs::directory_iterator(p.parent_path().empty() ? "." : p.parent_path(), ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(prefix, 0) == 0 && name != keep) fs::remove(entry.path(), ec);
  }
}

bool SnapshotOutdated(sqlite3* db) {
  sqlite3_blob* blob = nullptr;
  if (sqlite3_blob_open(db, "main", "search_snapshot", "docs", 1, 0, &blob) != SQLITE_OK) {
    if (blob) sqlite3_blob_close(blob);
    return false;  // none yet: an empty catalogue, or the first import makes it
  }
  BlobHandle b{blob};
  const int bytes = sqlite3_blob_bytes(blob);
  SnapshotHeader h{};
  if (bytes < static_cast<int>(sizeof h) + 8 ||
      sqlite3_blob_read(blob, &h, sizeof h, 0) != SQLITE_OK) {
    return true;
  }
  std::uint64_t trailer = 0;
  if (sqlite3_blob_read(blob, &trailer, 8, bytes - 8) != SQLITE_OK) return true;
  return std::memcmp(h.magic, kSnapshotMagic, sizeof kSnapshotMagic) != 0 ||
         h.version != kSnapshotVersion || h.total_bytes != static_cast<std::uint64_t>(bytes) ||
         trailer != h.token;
}

void EnsureSnapshotCopy(sqlite3* db, const std::string& db_path) {
  if (db_path.empty()) return;
  sqlite3_blob* blob = nullptr;
  if (sqlite3_blob_open(db, "main", "search_snapshot", "docs", 1, 0, &blob) != SQLITE_OK) {
    if (blob) sqlite3_blob_close(blob);
    return;
  }
  BlobHandle b{blob};
  const int bytes = sqlite3_blob_bytes(blob);
  SnapshotHeader h{};
  if (bytes < static_cast<int>(sizeof h) || sqlite3_blob_read(blob, &h, sizeof h, 0) != SQLITE_OK) {
    return;
  }
  struct stat st {};
  if (::stat(SnapshotCopyPath(db_path, h.token).c_str(), &st) == 0 &&
      static_cast<std::uint64_t>(st.st_size) == h.total_bytes) {
    return;
  }
  std::string all(static_cast<size_t>(bytes), '\0');
  if (sqlite3_blob_read(blob, all.data(), bytes, 0) != SQLITE_OK) return;
  PublishSnapshotCopy(db_path, all);
}

}  // namespace signpost::catalogue::internal
