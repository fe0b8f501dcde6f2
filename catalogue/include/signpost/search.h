// Search: the one search path that the kiosk, the CLI and the benchmarks use.
//
// A SearchEngine reads a Catalogue (usually read-only) and answers
// search-as-you-type queries with filters and facet counts, across
// everything the catalogue holds: opportunities (courses, T Levels, degrees,
// apprenticeships), careers (job profiles), events and the school's local
// content. Whatever a person types (quotes, *, -, AND, NEAR(, emoji, 10,000
// characters) is treated as words to find, never as query syntax: it returns
// results or none, never an error.
//
// How students type is understood (see catalogue/src/query.h): Unicode
// forms are folded (ligatures, full-width letters, case, accents); plurals
// and word forms match by Snowball stem ("levels", "nursing"); a word being
// typed matches every word it begins, so a prefix that will match never
// shows "no results"; hyphens, slashes and apostrophes are read as students
// mean them ("e-commerce", "hair/beauty", "plumber's"); the words students
// use for routes and jobs ("uni", "a levels", "sparky", "youtuber") match
// what the catalogue calls them (assets/search/aliases.txt); and when
// nothing matches, misspellings are corrected by letters and by sound
// ("fysics", "aprentiship") and the results of the best correction are
// shown, reported as `did_you_mean` with corrected() true.
//
// Ordering is impartial by construction. Opportunities: relevance tier
// (words in the title, then in subject/provider/qualification, then only
// in the description), then distance from the kiosk (whole kilometres),
// then a fair shuffle seeded per session. The first screen shows every
// route that matches: the best 2-3 of each (first_screen()), the routes in
// order of their best tier with ties in a per-session fair order, so routes
// that tie take turns at the top; the rest of the list then takes routes in
// turn, best tier first. With no search text the routes are interleaved
// (FE, apprenticeship, HE, T Level in a per-session order) so no route is
// buried.
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
  std::optional<Day> posted;  // vacancies: the day it was advertised
  std::string wage_text;
};

// What a result is. Opportunities carry their own kind (OpportunityKind).
enum class ResultKind : std::uint8_t {
  kOpportunity = 0,
  kCareer = 1,  // a job profile
  kEvent = 2,   // an open day, taster day, fair or talk
  kLocal = 3,   // the school's own content (adviser drop-ins, alumni stories, notices)
};
std::string_view ResultKindKey(ResultKind k);    // "opportunity", "career", "event", "local"
std::string_view ResultKindLabel(ResultKind k);  // "Courses", "Careers", "Events", "From school"

// One group of the first screen, in the order it is shown.
struct ResultBlock {
  ResultKind kind = ResultKind::kOpportunity;
  Route route = Route::kFurtherEducation;  // opportunities: the route of this group
  std::int64_t total = 0;                  // all results of the group ("All 24 apprenticeships")
  std::vector<std::int64_t> rowids;        // the ones on the first screen, best first
  // How closely its best result matched: 0 in a title, 1 in a subject,
  // provider or qualification (or through a looser alias), 2 in a
  // description only. Groups that tie take turns at the top.
  int tier = 0;
};

// A career, event or local item, as a line of results.
struct ItemSummary {
  ResultKind kind = ResultKind::kCareer;
  std::int64_t rowid = 0;
  std::string title;
  std::string detail;             // careers: pay; events: when and where; local: what kind
  std::string subkind;            // events: EventKindKey; local: LocalKindKey; careers: ""
  std::optional<UnixTime> start;  // events
  std::uint8_t routes = 0;        // events and local items: the routes they are about
};

class SearchResults {
 public:
  std::int64_t size() const;  // total matching opportunities after filters
  // Row id of the i-th result in order (0 <= i < size()). Sorting is lazy:
  // the first page is ready at once, later pages are sorted on first access.
  std::int64_t RowAt(std::int64_t i) const;
  std::vector<std::int64_t> Rows(std::int64_t first, std::int64_t count) const;
  const Facets& facets() const { return facets_; }
  const std::string& did_you_mean() const { return did_you_mean_; }  // "" = none
  // True when the results are for did_you_mean, because the text as typed
  // matched nothing ("Showing results for ...").
  bool corrected() const { return corrected_; }

  // The first screen of a typed search, group by group in the order shown:
  // careers, each matching route, events, local content (see the header
  // comment for the order). Empty when browsing with no text. Its
  // opportunities are also the first rows of RowAt().
  const std::vector<ResultBlock>& first_screen() const { return first_screen_; }
  // Everything else that matched, best first (row ids of career, event,
  // local_item). Empty with no text, and when filters only opportunities
  // have (level, subject, mode, distance, start) are set.
  const std::vector<std::int64_t>& careers() const { return careers_; }
  const std::vector<std::int64_t>& events() const { return events_; }
  const std::vector<std::int64_t>& local_items() const { return local_; }

 private:
  friend class SearchEngine;
  struct Impl;
  std::shared_ptr<Impl> impl_;
  Facets facets_;
  std::string did_you_mean_;
  bool corrected_ = false;
  std::vector<ResultBlock> first_screen_;
  std::vector<std::int64_t> careers_, events_, local_;
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
  // Lines for careers, events or local items (row ids from SearchResults).
  Result<std::vector<ItemSummary>> ItemSummaries(ResultKind kind,
                                                 const std::vector<std::int64_t>& rowids);
  // Reload the snapshot when the catalogue changed (call after HasChanged()).
  Status Reload();

  // Exposed for tests: the catalogue's (or the alias list's) closest word
  // to `word`, by letters and by sound, or "".
  std::string ClosestWord(const std::string& word);

  // Problems reading the search words (the shipped list and local packs'),
  // for `signpost-catalogue check` and tests; empty when all were read.
  std::vector<std::string> AliasProblems();

 private:
  SearchEngine() = default;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Splits text into the words search matches on, exactly as the catalogue's
// full-text index does (Unicode folded, lower case, accents removed,
// punctuation dropped).
std::vector<std::string> SearchTokens(Catalogue* catalogue, const std::string& text);

}  // namespace signpost::catalogue
