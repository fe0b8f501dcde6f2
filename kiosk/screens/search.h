// The search screen's view and what it shows (search.cpp): the results of
// the session's SearchState, fetched page by page through the data service.
// Declared here for tests and for screens that open a result.
// Thread safety: UI thread only.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <iterator>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "kiosk/screens/screens.h"
#include "kiosk/screens/search_groups.h"
#include "kiosk/view.h"
#include "signpost/search.h"

namespace signpost::kiosk {

// The results of one search, kept page by page (rows come on demand).
struct SearchView {
  static constexpr int kPageRows = 40;
  std::uint64_t generation = 0;  // of the request these results answer
  bool loading = false;          // a newer request is on its way
  bool has_results = false;
  SearchState for_state;  // the state the results answer
  std::int64_t total = 0;
  catalogue::Facets facets;
  std::string did_you_mean;
  bool corrected = false;
  std::string error;  // calm message when the catalogue failed
  std::unordered_map<std::int64_t, std::vector<catalogue::OpportunitySummary>> pages;
  std::unordered_set<std::int64_t> pending_pages;
  // A typed search's first screen, group by group (search_groups.cpp); the
  // opportunities on it are rows [0, grouped_rows) of the list.
  std::vector<ResultGroup> groups;
  std::int64_t grouped_rows = 0;
  // Closing soonest first (SortsByClosing): every row of the results in that
  // order; null = the engine's order.
  std::shared_ptr<const std::vector<std::int64_t>> order;
  const catalogue::OpportunitySummary* Row(std::int64_t i) const;
};

// The filters a student can set, each named and removable on its own.
enum class SearchFilter : std::uint8_t {
  kText,
  kRoutes,
  kLevels,
  kModes,
  kSubjects,
  kDistance,
  kStartingSoon
};
inline constexpr SearchFilter kAllSearchFilters[] = {
    SearchFilter::kText,        SearchFilter::kRoutes,   SearchFilter::kLevels,
    SearchFilter::kModes,       SearchFilter::kSubjects, SearchFilter::kDistance,
    SearchFilter::kStartingSoon};
bool FilterActive(const SearchState& s, SearchFilter f);
// The list is in closing-date order: asked for, and only apprenticeships
// shown (the vacancies with a closing date).
bool SortsByClosing(const SearchState& s);
// What a search's results depend on: the state without what is open on
// screen (the keyboard, the filters panel).
SearchState Key(const SearchState& s);
void RemoveFilter(SearchState* s, SearchFilter f);

// Counts the results list cannot give: how many each distance band would
// find (the filters panel), and how many dropping each filter in force would
// find (the empty state names the filter that emptied the list).
struct SearchExtras {
  SearchState for_state;
  std::uint64_t version = 0;  // data version they were counted for
  bool loading = false;
  bool loaded = false;
  std::array<std::int64_t, std::size(kDistanceBandsMiles)> within{};  // per band
  std::vector<std::pair<SearchFilter, std::int64_t>> without;         // filter in force, count
};

class SearchScreen : public View {
 public:
  void Draw(App& app) override;
  const char* Title() const override;
  void OnLeave(App& app) override;
  std::string* TypingTarget(App& app) override;
  void OnReturn(App& app) override;
  bool KeyboardShowing(const App& app) const override;
  bool BeforeFrame(App& app) override;
  void OpenFirst(App& app) override;
  void OnEnter(App& app, std::int64_t id) override;
  double NextDeadline(double now) const override;  // the read-aloud pause's end

  // Read aloud waits this long after the last change before it says the results.
  static constexpr double kAnnouncePauseS = 1.0;

  // The results for the session's search (a new request when it changed).
  SearchView& results(App& app);
  // Fetches the pages holding rows [first, first + count) (as the list
  // does while it scrolls).
  void RequestRows(App& app, std::int64_t first, std::int64_t count);
  // The extra counts for the session's search (fetched when asked for).
  const SearchExtras& extras(App& app);

 private:
  bool SearchIfChanged(App& app);  // true when a request was posted
  // The grouped first screen (search_groups.cpp).
  bool ShowsGroups() const;  // typed text, no route chosen
  void DrawGroups(App& app, float height);
  void DrawGroup(App& app, const ResultGroup& g, float width);
  void DrawAllOfKind(App& app, float height);
  void OpenAllOfKind(App& app, catalogue::ResultKind kind);
  // An answer with nothing in it while the student is mid-word keeps the
  // previous results on screen (true: held; search_groups.cpp).
  bool HoldWhileTyping(App& app, bool empty, const std::string& did_you_mean);
  void ReleaseHeld(App& app);
  // "Show every route" above a list the student narrowed to one route.
  void DrawBackToGroups(App& app);
  // `with_routes`: the route chips, when their row above the results gave way.
  void FiltersPanel(App& app, float height, bool with_routes);
  void ActiveFilters(App& app, float width);
  void EmptyState(App& app, float height);
  // Read aloud: the results once the search has stopped changing (`status`:
  // the count line as shown, said when there is no typed text to name).
  void AnnounceResults(App& app, std::int64_t total, const char* status);
  SearchState changed_state_;      // the search as last seen changing ...
  double changed_at_ = 0;          // ... and when (app.now())
  SearchState announced_;          // the search whose results were last said
  bool announce_pending_ = false;  // read aloud is on and they are not said yet
  SearchExtras extras_;
  screens::PostcodeEntry postcode_;  // "near me" postcode being typed
  bool scroll_top_ = false;          // the list starts again at the top (a filter changed)
  SearchState shown_state_;          // what the list showed last frame

  GroupsState groups_;
  SearchView view_;
  bool chips_row_ = true;  // the route chips show above the results (else in Filters)
  std::uint64_t generation_ = 0;
  std::uint64_t searched_version_ = 0;  // data version of the last request
  bool open_first_ = false;             // test hook: open row 0 when it arrives
  // The latest request, read by worker jobs so stale ones skip their work.
  std::shared_ptr<std::atomic<std::uint64_t>> latest_ =
      std::make_shared<std::atomic<std::uint64_t>>(0);
};

}  // namespace signpost::kiosk
