// Search: the one search path that the kiosk, the CLI and the benchmarks use.
//
// A SearchEngine reads a Catalogue (usually read-only) and answers
// search-as-you-type queries with filters and facet counts. Whatever a person
// types (quotes, *, -, AND, NEAR(, emoji, 10,000 characters) is treated as
// words to find, never as query syntax: it returns results or none, never an
// error. Matching is by word prefix, case- and accent-insensitive; when
// nothing matches, a close spelling from the catalogue's own words is tried
// and reported as `did_you_mean`.
//
// Ordering is impartial by construction: relevance tier (words found in the
// title/subject/provider before words found only in the description), then
// distance from the kiosk (whole kilometres), then a fair shuffle seeded per
// session, so tied providers take turns at the top. With no search text the
// routes are interleaved (FE, apprenticeship, HE, T Level in a per-session
// order) so no route is buried.
//
// Thread safety: one SearchEngine per thread, like its Catalogue. Results are
// plain values and may be handed to another thread.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "signpost/catalogue.h"

namespace signpost::catalogue {

// Distance bands offered as a filter, in km (a facet counts each band).
inline constexpr std::array<int, 5> kDistanceBandsKm = {5, 10, 25, 50, 100};

struct SearchRequest {
  std::string text;                        // anything a person typed
  std::uint8_t routes = 0;                 // bitmask of 1 << Route; 0 = all routes
  std::uint16_t levels = 0;                // bitmask of 1 << level (0..8); 0 = all
  std::vector<std::string> subject_areas;  // empty = all
  std::uint8_t modes = 0;                  // bitmask of 1 << StudyMode; 0 = all
  std::optional<GeoPoint> origin;          // the kiosk's location, for distance
  double within_km = 0;                    // 0 = any distance (needs origin)
  std::optional<Day> start_from;           // starts on/after (flexible starts always pass)
  std::optional<Day> start_to;             // starts on/before
  std::uint64_t session_seed = 0;          // fair shuffle of ties; new per session
};

struct Facets {
  // Each facet counts the results that pass every *other* filter, so a chip
  // can show how many results choosing it would give.
  std::array<std::int64_t, kRouteCount> route{};
  std::array<std::int64_t, 9> level{};  // 0..8
  std::array<std::int64_t, kStudyModeCount> mode{};
  std::vector<std::pair<std::string, std::int64_t>> subject_area;  // by count, desc
  std::array<std::int64_t, kDistanceBandsKm.size()> within_km{};   // cumulative
  std::int64_t flexible_start = 0;
};

// One line of a results list.
struct OpportunitySummary {
  std::int64_t rowid = 0;
  std::string title;
  std::string provider_name;
  std::string employer;  // vacancies: the employer
  Route route = Route::kFurtherEducation;
  OpportunityKind kind = OpportunityKind::kFeCourse;
  int level = -1;
  StudyMode mode = StudyMode::kUnknown;
  std::string subject_area;
  std::string town;  // venue or provider town
  std::optional<double> distance_km;
  std::optional<Day> start;
  bool flexible_start = false;
  std::optional<Day> closing;
  std::string wage_text;
};

class SearchResults {
 public:
  std::int64_t size() const;  // total matches after filters
  // Row id of the i-th result in order (0 <= i < size()). Sorting is lazy:
  // the first page is ready at once, later pages are sorted on first access.
  std::int64_t RowAt(std::int64_t i) const;
  std::vector<std::int64_t> Rows(std::int64_t first, std::int64_t count) const;
  const Facets& facets() const { return facets_; }
  const std::string& did_you_mean() const { return did_you_mean_; }  // "" = none
  // True when the results are for did_you_mean, because the text as typed
  // matched nothing.
  bool corrected() const { return corrected_; }

 private:
  friend class SearchEngine;
  struct Impl;
  std::shared_ptr<Impl> impl_;
  Facets facets_;
  std::string did_you_mean_;
  bool corrected_ = false;
};

class SearchEngine {
 public:
  // Loads the catalogue's search snapshot (one blob; a few ms at 250k).
  static Result<std::unique_ptr<SearchEngine>> Create(Catalogue* catalogue);
  ~SearchEngine();

  // Never fails on user text; fails only when the catalogue itself fails.
  Result<SearchResults> Search(const SearchRequest& request);
  Result<std::vector<OpportunitySummary>> Summaries(const std::vector<std::int64_t>& rowids,
                                                    std::optional<GeoPoint> origin = {});
  // Reload the snapshot when the catalogue changed (call after HasChanged()).
  Status Reload();

  // Exposed for the kiosk's "did you mean" and for tests: the catalogue's
  // closest word to `word` (edit distance <= 2), or "".
  std::string ClosestWord(const std::string& word);

 private:
  SearchEngine() = default;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Splits text into the words search matches on, exactly as the catalogue's
// full-text index does (lower case, accents removed, punctuation dropped).
std::vector<std::string> SearchTokens(Catalogue* catalogue, const std::string& text);

}  // namespace signpost::catalogue
