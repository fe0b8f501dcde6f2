// The search snapshot's byte layout, shared by the writer (snapshot_build.cpp)
// and the reader (snapshot.cpp). Private to catalogue/.
//
// Little-endian (every Signpost target is: amd64, arm64). A fixed header,
// then sections, each starting on an 8-byte boundary:
//
//   Header { magic "SPSNAP02", u32 version, u32 n_docs, u64 token,
//            u64 total_bytes, u32 bitset_count, u32 reserved,
//            Section sections[kSectionCount] {u64 offset, u64 bytes} }
//
// Arrays are plain; a string table is u32 count, u32 offsets[count + 1]
// (relative to the bytes that follow), then the bytes.
#pragma once

#include <cstdint>

namespace signpost::catalogue::internal {

inline constexpr char kSnapshotMagic[8] = {'S', 'P', 'S', 'N', 'A', 'P', '0', '2'};
inline constexpr std::uint32_t kSnapshotVersion = 2;

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
  kSectionCount,
};

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
