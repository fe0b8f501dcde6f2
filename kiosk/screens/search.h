// The search screen's view and what it shows (search.cpp): the results of
// the session's SearchState, fetched page by page through the data service.
// Declared here for tests and for screens that open a result.
// Thread safety: UI thread only.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

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
  const catalogue::OpportunitySummary* Row(std::int64_t i) const;
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

  // The results for the session's search (a new request when it changed).
  SearchView& results(App& app);
  // Fetches the pages holding rows [first, first + count) (as the list
  // does while it scrolls).
  void RequestRows(App& app, std::int64_t first, std::int64_t count);

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

  GroupsState groups_;
  SearchView view_;
  std::uint64_t generation_ = 0;
  std::uint64_t searched_version_ = 0;  // data version of the last request
  bool open_first_ = false;             // test hook: open row 0 when it arrives
  // The latest request, read by worker jobs so stale ones skip their work.
  std::shared_ptr<std::atomic<std::uint64_t>> latest_ =
      std::make_shared<std::atomic<std::uint64_t>>(0);
};

}  // namespace signpost::kiosk
