// The search snapshot's byte layout, shared by the writer (snapshot_build.cpp)
// and the reader (snapshot.cpp). Private to catalogue/.
//
// Little-endian (every Signpost target is: amd64, arm64). A fixed header,
// then sections, each starting on an 8-byte boundary:
//
//   Header { magic "SPSNAP03", u32 version, u32 n_docs, u64 token,
//            u64 total_bytes, u32 bitset_count, u32 reserved,
//            Section sections[kSectionCount] {u64 offset, u64 bytes} }
//   ... sections ...
//   u64 token again: the last 8 bytes, so a file whose end was never
//   written (a card pulled mid-write) is told from a whole one.
//
// Arrays are plain; a string table is u32 count, u32 offsets[count + 1]
// (relative to the bytes that follow), then the bytes.
//
// Version 3 added the careers', events' and local items' order and filter
// columns (kSecItems), so a new process orders them without reading rows.
// Version 4 added the search words table as the writer built it
// (kSecAliases), so a new process does not parse the alias list.
// Version 5 added each term's documents in tiers 0 and 1 (kSecPostStart,
// kSecPostings), so a new process finds a word that is not common enough
// for a cached bitset without reading the full-text index.
#pragma once

#include <cstdint>

namespace signpost::catalogue::internal {

inline constexpr char kSnapshotMagic[8] = {'S', 'P', 'S', 'N', 'A', 'P', '0', '5'};
inline constexpr std::uint32_t kSnapshotVersion = 5;

enum Section : std::uint32_t {
  kSecRowid,         // i64[n]
  kSecRoute,         // u8[n]
  kSecLevel,         // i8[n]
  kSecMode,          // u8[n]
  kSecFlexible,      // u8[n]
  kSecSubject,       // u16[n]
  kSecStart,         // i32[n]
  kSecLat,           // f32[n]
  kSecLon,           // f32[n]
  kSecSubjects,      // string table
  kSecTerms,         // string table, sorted
  kSecTermWhere,     // u8[terms]
  kSecTermDocs,      // u32[terms]
  kSecTermStem,      // u32[terms]
  kSecStems,         // string table, sorted
  kSecStemStart,     // u32[stems + 1]
  kSecStemTerms,     // u32[terms]
  kSecTermKeys,      // string table, by term
  kSecTermsByKey,    // u32[terms]
  kSecPrefixes0,     // string table, sorted
  kSecPrefixSet0,    // u32[prefixes0]
  kSecPrefixes1,     // string table, sorted
  kSecPrefixSet1,    // u32[prefixes1]
  kSecWords0,        // string table, sorted: common whole words, title tier
  kSecWordSet0,      // u32[words0]
  kSecWords1,        // string table, sorted: common whole words, tier 1
  kSecWordSet1,      // u32[words1]
  kSecCommonInText,  // string table, sorted
  kSecBitsets,       // u64[bitset_count * ceil(n / 64)]
  kSecAliases,       // bytes: AliasTable::Serialize (aliases.h)
  // Per term, the documents whose tier 1 text (title, subject, provider,
  // qualification, employer) holds it as a whole word, ascending: bytes
  // post_start[t] to post_start[t + 1] of kSecPostings, each document one
  // unsigned LEB128 varint of (gap << 1 | in its title), where gap is the
  // document's index minus the last one's (the first: its index).
  kSecPostStart,  // u32[terms + 1]
  kSecPostings,   // bytes
  // Careers, events and local items (kind k = 0, 1, 2), each kind's
  // columns at kSecItems + k * kItemColumns + column, rows by rowid.
  kSecItems,
  kSectionCount = kSecItems + 3 * 7,
};

// The columns of one kind of item.
enum ItemColumn : std::uint32_t {
  kItemRowid,   // i64[m], ascending
  kItemRank,    // u32[m]: position in the kind's own order (key bytes, then rowid)
  kItemRoutes,  // u8[m]: route bits (events, local items)
  kItemFlags,   // u8[m]: ItemFlag
  kItemEndAt,   // i64[m]: events' end_at (INT64_MIN when NULL)
  kItemStarts,  // string table [m]: local items' starts ("" when NULL)
  kItemEnds,    // string table [m]: local items' ends ("" when NULL)
  kItemColumns,
};
static_assert(kSectionCount == kSecItems + 3 * kItemColumns);

struct SnapshotSection {
  std::uint64_t offset;
  std::uint64_t bytes;
};

struct SnapshotHeader {
  char magic[8];
  std::uint32_t version;
  std::uint32_t n_docs;
  std::uint64_t token;
  std::uint64_t total_bytes;
  std::uint32_t bitset_count;
  std::uint32_t reserved;
  SnapshotSection sections[kSectionCount];
};

}  // namespace signpost::catalogue::internal
