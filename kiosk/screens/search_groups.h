// The first screen of a typed search, grouped as the search engine orders it
// (issue 14: "one box, everything" and "every route on the first screen"):
// a line of group counts, then each group (careers, each matching route,
// open days and events, the school's own content) under a heading with its
// count, its best rows, and "All 17 apprenticeships" when it holds more.
// Drawn by SearchScreen (search_groups.cpp); the data comes with each search
// answer, fetched on the data service's worker by FetchGroups().
// Thread safety: FetchGroups() on the data worker (inside a Fetch job);
// everything else on the UI thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "signpost/search.h"

namespace signpost::kiosk {

struct Backend;

// One block of the first screen with what its rows show.
struct ResultGroup {
  catalogue::ResultBlock block;
  std::vector<catalogue::OpportunitySummary> rows;  // opportunities
  std::vector<catalogue::ItemSummary> items;        // careers, events, local content
};

// Worker side: the summaries of `results.first_screen()`, in its order, and
// how many opportunity rows they show (the rest of the list starts there).
std::vector<ResultGroup> FetchGroups(Backend& b, const catalogue::SearchResults& results,
                                     std::int64_t* grouped_rows);

// The search screen's own state for the grouped view.
struct GroupsState {
  // "All 13 careers" (or events, or school content) was tapped: the whole
  // list of that kind for the search it answers.
  std::optional<catalogue::ResultKind> all_of_kind;
  std::uint64_t all_generation = 0;  // the search it lists
  bool all_loading = false;
  ResultGroup all;  // its items (at most a few hundred)
  // A former student's story opened in place (its title).
  std::string open_story;
  // An empty answer held back while typing (see HoldWhileTyping).
  bool held = false;
  std::string held_did_you_mean;
};

// Plain words for groups (translated).
const char* GroupLabel(const catalogue::ResultBlock& b);  // "Careers", "Apprenticeships", ...
// "All 17 apprenticeships", "All 13 careers", ... (count formatted).
std::string AllOfGroupLabel(const catalogue::ResultBlock& b);
// "Careers 9 · Higher education 15 · Apprenticeships 17 ..."
std::string GroupSummary(const std::vector<ResultGroup>& groups);

}  // namespace signpost::kiosk
