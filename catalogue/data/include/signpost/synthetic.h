// Deterministic synthetic catalogue data at national size, for benchmarks and
// scale tests (never shown to a user).
//
// Every record is a pure function of (seed, record kind, index): the same
// SyntheticOptions give byte-identical records on every machine and standard
// library (own SplitMix64 and integer-only choices; no std::*_distribution).
// Records are streamed into a catalogue::FeedImport one at a time, so memory
// stays flat whatever the size. The mix follows the real catalogue: about 60%
// FE and adult courses, 10% T Levels, 15% HE courses, 10% apprenticeship
// vacancies and 5% apprenticeship standards, with providers spread over
// England (lat 50.0..55.8, lon -5.5..1.7), titles from a realistic vocabulary
// chosen with a Zipf-like skew, and descriptions of 300-1500 characters.
//
// Thread safety: all functions are reentrant (no shared state); a FeedImport
// or Catalogue passed in is used from the calling thread only.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "signpost/catalogue.h"
#include "signpost/dates.h"
#include "signpost/status.h"

namespace signpost {

struct SyntheticOptions {
  std::int64_t opportunities = 250000;  // all routes together (split as above)
  int providers = 5000;                 // at least 5 (one of each kind)
  int careers = 1000;                   // job profiles; LMI is made per SOC code
  int events = 3000;                    // open days, tasters, fairs, talks
  int postcodes = 20000;                // 1..390000; providers sit on these
  std::uint64_t seed = 42;              // same seed -> same data
  Day today = 0;                        // dates are relative to it; 0 = TodayUtc()
};

// How `opportunities` is split between the kinds (exact, sums to the total).
struct SyntheticSplit {
  std::int64_t fe_courses = 0;  // 60%
  std::int64_t tlevels = 0;     // 10%
  std::int64_t he_courses = 0;  // 15%
  std::int64_t vacancies = 0;   // 10%
  std::int64_t standards = 0;   // the rest (5%)
};
SyntheticSplit SyntheticSplitOf(const SyntheticOptions& options);

// Feed names, in the order GenerateSynthetic imports them:
//   synthetic-reference  postcodes and subject links
//   synthetic-courses    FE courses and T Levels (+ colleges, sixth forms, training providers)
//   synthetic-he         HE courses (+ universities, colleges)
//   synthetic-vacancies  apprenticeship vacancies: provider = the training provider,
//                        employer named, location = the workplace (+ those providers)
//   synthetic-standards  apprenticeship standards (+ training providers, colleges)
//   synthetic-careers    job profiles and labour-market figures
//   synthetic-events     events (providers already held from the feeds above)
const std::vector<std::string>& SyntheticFeedNames();

// Checks the options (sizes in range). kInvalidArgument says which is wrong.
Status ValidateSyntheticOptions(const SyntheticOptions& options);

// Streams one feed's records into `sink`, without committing. `feed` is one of
// SyntheticFeedNames(). Stops at the first error that is not a record the sink
// refused (kInvalidArgument, which the sink counts as skipped).
Status GenerateSyntheticFeed(const SyntheticOptions& options, const std::string& feed,
                             catalogue::FeedImport* sink);

// Imports every feed into `writer`, one committed import per feed, with
// ImportOptions::today = options.today. `summary` gets the totals (feed =
// "synthetic"). Sets meta is_sample=0 and name "Synthetic catalogue (seed N)".
Status GenerateSynthetic(catalogue::Catalogue* writer, const SyntheticOptions& options,
                         catalogue::ImportReport* summary = nullptr);

// Single records by index, for benchmarks that want feed-shaped data without
// a feed (e.g. an incremental update of record i). Index ranges:
// provider 0..providers-1, opportunity 0..opportunities-1 (in the order
// FE, T Level, HE, vacancy, standard), postcode 0..postcodes-1.
catalogue::Provider SyntheticProvider(const SyntheticOptions& options, int index);
catalogue::Opportunity SyntheticOpportunity(const SyntheticOptions& options, std::int64_t index);
catalogue::PostcodePoint SyntheticPostcode(const SyntheticOptions& options, int index);

}  // namespace signpost
