// Browse and search: a search box fed by the on-screen keyboard (or a real
// one), route chips with counts, a "more filters" panel (level, study mode,
// distance, start date, subject area) and the results list, which is clipped
// (ImGuiListClipper) and fetched page by page so it stays smooth at 250k rows.
// The shared result row and plain-words helpers are in search_rows.cpp, the
// filters panel, the chips in force and the empty state in search_filters.cpp,
// the grouped first screen of a typed search in search_groups.cpp.
//
// Index:
//   [SECTION] Data: the search and its pages
//   [SECTION] Screen
#include "kiosk/screens/search.h"

#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>
#include <optional>
#include <unordered_map>

#include "kiosk/i18n.h"
#include "kiosk/screens/screens.h"
#include "kiosk/ui.h"

namespace signpost::kiosk {

namespace cat = signpost::catalogue;

using namespace screens;

// [SECTION] Data: the search and its pages -----------------------------------------

const cat::OpportunitySummary* SearchView::Row(std::int64_t i) const {
  auto it = pages.find(i / kPageRows);
  if (it == pages.end()) return nullptr;
  std::size_t k = static_cast<std::size_t>(i % kPageRows);
  return k < it->second.size() ? &it->second[k] : nullptr;
}

namespace {

// Closing soonest first: the engine's rows (its fair order kept among equal
// dates), those with no closing date last. The dates come from one pass over
// the apprenticeship rows that have one (the list can be every vacancy).
std::shared_ptr<const std::vector<std::int64_t>> ByClosingDate(Backend& backend,
                                                               const cat::SearchResults& r) {
  std::unordered_map<std::int64_t, Day> closing;
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(backend.catalogue->handle(),
                         "SELECT id, closing_date FROM opportunity WHERE route = 'apprenticeship' "
                         "AND closing_date IS NOT NULL",
                         -1, &st, nullptr) == SQLITE_OK) {
    while (sqlite3_step(st) == SQLITE_ROW) {
      const unsigned char* text = sqlite3_column_text(st, 1);
      if (!text) continue;
      if (auto d = ParseIsoDate(reinterpret_cast<const char*>(text)))
        closing.emplace(sqlite3_column_int64(st, 0), *d);
    }
  }
  sqlite3_finalize(st);
  std::vector<std::int64_t> rows = r.Rows(0, r.size());
  auto day = [&closing](std::int64_t id) {
    auto it = closing.find(id);
    return it == closing.end() ? std::numeric_limits<Day>::max() : it->second;
  };
  std::stable_sort(rows.begin(), rows.end(),
                   [&day](std::int64_t a, std::int64_t b) { return day(a) < day(b); });
  return std::make_shared<const std::vector<std::int64_t>>(std::move(rows));
}

cat::SearchRequest RequestFor(const SearchState& key, std::uint64_t seed) {
  cat::SearchRequest req;
  req.text = key.text;
  req.routes = key.routes;
  req.levels = key.levels;
  req.modes = key.modes;
  req.subject_areas = key.subject_areas;
  req.within_km = key.within_miles * kKmPerMile;
  if (key.starting_soon) {
    req.start_from = TodayUtc();
    req.start_to = TodayUtc() + 183;
  }
  req.session_seed = seed;
  return req;
}

}  // namespace

bool SortsByClosing(const SearchState& s) {
  return s.by_closing && s.routes == (1u << static_cast<int>(cat::Route::kApprenticeship));
}

SearchState Key(const SearchState& s) {
  SearchState key = s;  // what the results depend on (not what is open)
  key.keyboard_open = false;
  key.filters_open = false;
  return key;
}

bool FilterActive(const SearchState& s, SearchFilter f) {
  switch (f) {
    case SearchFilter::kText:
      return !s.text.empty();
    case SearchFilter::kRoutes:
      return s.routes != 0;
    case SearchFilter::kLevels:
      return s.levels != 0;
    case SearchFilter::kModes:
      return s.modes != 0;
    case SearchFilter::kSubjects:
      return !s.subject_areas.empty();
    case SearchFilter::kDistance:
      return s.within_miles != 0;
    case SearchFilter::kStartingSoon:
      return s.starting_soon;
  }
  return false;
}

void RemoveFilter(SearchState* s, SearchFilter f) {
  switch (f) {
    case SearchFilter::kText:
      s->text.clear();
      break;
    case SearchFilter::kRoutes:
      s->routes = 0;
      break;
    case SearchFilter::kLevels:
      s->levels = 0;
      break;
    case SearchFilter::kModes:
      s->modes = 0;
      break;
    case SearchFilter::kSubjects:
      s->subject_areas.clear();
      break;
    case SearchFilter::kDistance:
      s->within_miles = 0;
      break;
    case SearchFilter::kStartingSoon:
      s->starting_soon = false;
      break;
  }
}

const SearchExtras& SearchScreen::extras(App& app) {
  const SearchState key = Key(app.session().search);
  if (extras_.loading ||
      (extras_.loaded && extras_.for_state == key && extras_.version == app.data_version()))
    return extras_;
  extras_.loading = true;
  extras_.for_state = key;
  extras_.version = app.data_version();
  const cat::SearchRequest base = RequestFor(key, app.session().seed);
  Fetch<SearchExtras>(
      app.data(),
      [key, base, near = app.NearPoint()](Backend& b) {
        SearchExtras x;
        x.for_state = key;
        if (!b.EnsureOpen()) return x;
        auto count = [&](cat::SearchRequest req) -> std::int64_t {
          req.origin = b.OriginFor(near);
          if (req.within_km > 0 && !req.origin) return 0;
          auto r = b.engine->Search(req);
          return r.ok() ? r->size() : 0;
        };
        for (std::size_t i = 0; i < x.within.size(); ++i) {
          cat::SearchRequest req = base;
          req.within_km = kDistanceBandsMiles[i] * kKmPerMile;
          x.within[i] = count(req);
        }
        for (SearchFilter f : kAllSearchFilters) {
          if (!FilterActive(key, f)) continue;
          SearchState without = key;
          RemoveFilter(&without, f);
          x.without.emplace_back(f, count(RequestFor(without, base.session_seed)));
        }
        return x;
      },
      [this](SearchExtras&& x) {
        const std::uint64_t version = extras_.version;
        extras_ = std::move(x);
        extras_.version = version;
        extras_.loaded = true;
        extras_.loading = false;
      });
  return extras_;
}

SearchView& SearchScreen::results(App& app) {
  SearchIfChanged(app);
  return view_;
}

bool SearchScreen::SearchIfChanged(App& app) {
  const SearchState key = Key(app.session().search);
  if ((view_.has_results || view_.loading) && key == view_.for_state &&
      searched_version_ == app.data_version())
    return false;
  searched_version_ = app.data_version();
  const std::uint64_t gen = ++generation_;
  latest_->store(gen);
  view_.loading = true;
  if (!(key == view_.for_state)) groups_.all_of_kind.reset();  // a new search: all of it
  view_.for_state = key;
  cat::SearchRequest req = RequestFor(key, app.session().seed);
  app.usage().OnSearch(key);
  // The answer: an error, or the count, facets and first page.
  struct Answer {
    std::string error;
    std::int64_t total = 0;
    cat::Facets facets;
    std::string did_you_mean;
    bool corrected = false;
    std::vector<cat::OpportunitySummary> page;
    std::vector<ResultGroup> groups;  // the first screen of a typed search
    std::int64_t grouped_rows = 0;
    std::shared_ptr<const std::vector<std::int64_t>> order;  // closing soonest first
    bool stale = false;  // the student typed more before this ran
  };
  const bool by_closing = SortsByClosing(key);
  auto latest = latest_;
  Fetch<Answer>(
      app.data(),
      [gen, req, latest, by_closing, near = app.NearPoint()](Backend& b) mutable {
        Answer a;
        if (latest->load() != gen) {
          a.stale = true;
          return a;
        }
        if (!b.EnsureOpen()) {
          a.error = b.status.ToString();
          return a;
        }
        req.origin = b.OriginFor(near);
        if (req.within_km > 0 && !req.origin) req.within_km = 0;
        auto r = b.engine->Search(req);
        if (!r.ok()) {
          a.error = r.status().ToString();
          return a;
        }
        b.results = std::move(r.value());
        b.results_generation = gen;
        a.total = b.results->size();
        const std::int64_t first = std::min<std::int64_t>(SearchView::kPageRows, a.total);
        if (by_closing) a.order = ByClosingDate(b, *b.results);
        auto rows = a.order ? std::vector<std::int64_t>(a.order->begin(), a.order->begin() + first)
                            : b.results->Rows(0, first);
        if (auto s = b.engine->Summaries(rows, req.origin); s.ok()) a.page = std::move(s.value());
        a.facets = b.results->facets();
        a.did_you_mean = b.results->did_you_mean();
        a.corrected = b.results->corrected();
        a.groups = FetchGroups(b, *b.results, &a.grouped_rows);
        return a;
      },
      [this, &app, gen](Answer&& a) {
        if (a.stale || gen != generation_) return;
        if (HoldWhileTyping(app, a.error.empty() && a.total == 0 && a.groups.empty(),
                            a.did_you_mean))
          return;
        view_.loading = false;
        view_.has_results = true;
        view_.pages.clear();
        view_.pending_pages.clear();
        view_.groups = std::move(a.groups);
        view_.grouped_rows = a.grouped_rows;
        view_.order = std::move(a.order);
        if (!a.error.empty()) {
          view_.total = 0;
          view_.error = std::move(a.error);
          return;
        }
        view_.generation = gen;
        view_.error.clear();
        view_.total = a.total;
        view_.facets = std::move(a.facets);
        view_.did_you_mean = std::move(a.did_you_mean);
        view_.corrected = a.corrected;
        view_.pages[0] = std::move(a.page);
        app.usage().OnSearchResult(view_.for_state.text, a.total);
        if (open_first_ && a.total > 0 && !view_.pages[0].empty()) {
          open_first_ = false;
          app.Go(Screen::kDetail, view_.pages[0][0].rowid);
        }
      });
  return true;
}

void SearchScreen::RequestRows(App& app, std::int64_t first, std::int64_t count) {
  if (!view_.has_results || view_.loading || count <= 0) return;
  std::int64_t last = std::min(first + count, view_.total) - 1;
  for (std::int64_t p = std::max<std::int64_t>(0, first / SearchView::kPageRows);
       p <= last / SearchView::kPageRows; ++p) {
    if (view_.pages.count(p) || view_.pending_pages.count(p)) continue;
    view_.pending_pages.insert(p);
    // Keep memory bounded on a 250k list: drop pages far from the view.
    if (view_.pages.size() > 16) {
      for (auto it = view_.pages.begin(); it != view_.pages.end();) {
        if (std::llabs(it->first - p) > 6)
          it = view_.pages.erase(it);
        else
          ++it;
      }
    }
    const std::uint64_t gen = view_.generation;
    Fetch<std::vector<cat::OpportunitySummary>>(
        app.data(),
        [gen, p, order = view_.order, near = app.NearPoint()](Backend& b) {
          std::vector<cat::OpportunitySummary> page;
          if (!b.results || b.results_generation != gen || !b.engine) return page;
          std::int64_t from = p * SearchView::kPageRows;
          std::int64_t n = std::min<std::int64_t>(SearchView::kPageRows, b.results->size() - from);
          if (order) n = std::min<std::int64_t>(n, std::ssize(*order) - from);
          if (n <= 0) return page;
          auto rows =
              order ? std::vector<std::int64_t>(order->begin() + from, order->begin() + from + n)
                    : b.results->Rows(from, n);
          if (auto s = b.engine->Summaries(rows, b.OriginFor(near)); s.ok())
            page = std::move(s.value());
          return page;
        },
        [this, gen, p](std::vector<cat::OpportunitySummary>&& page) {
          // An empty answer (a newer search, a failure) stays pending: not asked again.
          if (gen != view_.generation || page.empty()) return;
          view_.pending_pages.erase(p);
          view_.pages[p] = std::move(page);
        });
  }
}

void SearchScreen::OpenFirst(App& app) {
  if (view_.has_results && !view_.loading && !view_.pages[0].empty()) {
    app.Go(Screen::kDetail, view_.pages[0][0].rowid);
    return;
  }
  open_first_ = true;
  SearchIfChanged(app);
}

const char* SearchScreen::Title() const { return tr("Explore"); }

void SearchScreen::OnLeave(App& app) {
  announce_pending_ = false;
  app.session().search.keyboard_open = false;
  app.session().search.filters_open = false;
  postcode_.open = false;
}

void SearchScreen::OnEnter(App& app, std::int64_t) {
  // Opened with a new query (a tile, a subject): its list starts at the top.
  if (Key(app.session().search) != shown_state_) scroll_top_ = true;
  // The screen is read whole as it opens: only later changes are announced.
  announced_ = changed_state_ = Key(app.session().search);
  changed_at_ = app.now();
}

double SearchScreen::NextDeadline(double now) const {
  return announce_pending_ && changed_at_ + kAnnouncePauseS > now ? changed_at_ + kAnnouncePauseS
                                                                  : now + 3600;
}

void SearchScreen::AnnounceResults(App& app, std::int64_t total, const char* status) {
  // Read aloud: once the search stops changing for a moment (typing paused,
  // a filter chosen), say what the list now holds, not the whole screen.
  const SearchState key = Key(app.session().search);
  if (key != changed_state_) {
    changed_state_ = key;
    changed_at_ = app.now();
  }
  // The loop wakes when the pause is over (NextDeadline()); an answer still
  // on its way then wakes it by itself.
  announce_pending_ = app.session().settings.read_aloud && key != announced_;
  if (!announce_pending_) return;
  const SearchView& v = view_;
  if (!v.has_results || v.loading || v.for_state != key || groups_.held) return;
  if (app.now() - changed_at_ < kAnnouncePauseS) return;
  announced_ = key;
  announce_pending_ = false;
  if (!v.error.empty()) return;
  char line[320];
  if (!key.text.empty() && !v.corrected)
    std::snprintf(line, sizeof line,
                  trn("%s result for \xE2\x80\x9C%s\xE2\x80\x9D",
                      "%s results for \xE2\x80\x9C%s\xE2\x80\x9D", total),
                  FormatCount(total).c_str(), key.text.c_str());
  else
    std::snprintf(line, sizeof line, "%s", status);
  app.Announce(line);
}

std::string* SearchScreen::TypingTarget(App& app) {
  return postcode_.open ? &postcode_.text : &app.session().search.text;
}

void SearchScreen::OnReturn(App& app) {
  if (postcode_.open) {
    postcode_.open = false;
    app.SetNearPostcode(postcode_.text);
    return;
  }
  app.session().search.keyboard_open = false;
}

bool SearchScreen::KeyboardShowing(const App& app) const {
  return app.session().search.keyboard_open || postcode_.open;
}

bool SearchScreen::BeforeFrame(App& app) { return SearchIfChanged(app); }

// [SECTION] Screen ------------------------------------------------------------------

void SearchScreen::Draw(App& app) {
  const Theme& t = app.theme();
  const Palette& p = t.p();
  SearchState& s = app.session().search;
  SearchView& v = results(app);
  float width = ImGui::GetContentRegionAvail().x;
  float gap = t.px(8);

  if (postcode_.open) {  // "near me": the postcode box and keyboard take the screen
    DrawPostcodeKeyboard(app, &postcode_);
    return;
  }

  // Row 1: search box, then filters.
  int active_filters = (s.levels ? 1 : 0) + (s.modes ? 1 : 0) + (s.within_miles ? 1 : 0) +
                       (s.starting_soon ? 1 : 0) + static_cast<int>(s.subject_areas.size());
  char filters_label[64];
  if (s.filters_open)
    std::snprintf(filters_label, sizeof filters_label, "%s###filters", tr("Show results"));
  else if (active_filters)
    std::snprintf(filters_label, sizeof filters_label, "%s (%d)###filters", tr("Filters"),
                  active_filters);
  else
    std::snprintf(filters_label, sizeof filters_label, "%s###filters", tr("Filters"));
  ImFont* ff = t.control_bold();  // "Filters" grows with the text size
  float fw = ff->CalcTextSizeA(ff->FontSize, FLT_MAX, 0, filters_label,
                               ImGui::FindRenderedTextEnd(filters_label))
                 .x +
             t.px(36);
  const float box_h = std::max(t.touch() + t.px(4), t.ControlHeight(ff));
  SearchBox(app, &s.text, &s.keyboard_open, width - fw - gap,
            tr("Tap here to type, e.g. engineering"), box_h);
  ImGui::SameLine(0, gap);
  if (ui::Button(
          t, filters_label, ImVec2(fw, box_h),
          s.filters_open || active_filters ? ui::ButtonKind::kPrimary : ui::ButtonKind::kSecondary,
          ff)) {
    s.filters_open = !s.filters_open;
    s.keyboard_open = false;
  }

  // Row 2: route chips with counts (each counts results with the other
  // filters). Impartial by construction: every route's chip is on screen,
  // never scrolled out of sight. When the row is too narrow for the natural
  // chips, the four routes share it equally (no route looks smaller) and "all
  // routes" is simply none chosen. When even that would cut their names, or
  // with the largest text the screen is too short to show three results
  // under them (800x480), the row gives way to the results and the routes
  // move into Filters, still all four together. The same at any text size
  // once text is typed and no route is chosen, when three results would not
  // fit under the chips: the first screen then opens with every route and
  // its count in one tappable line (search_groups.cpp), so the chips would
  // only push the results below the fold (one result showed at 800x480).
  float kb_h = s.keyboard_open ? ui::KeyboardHeight(t) : 0;
  constexpr cat::Route kRoutes[] = {cat::Route::kFurtherEducation, cat::Route::kTLevel,
                                    cat::Route::kHigherEducation, cat::Route::kApprenticeship};
  auto count_of = [&](cat::Route r) -> long long {
    return v.has_results && v.error.empty() ? v.facets.route[static_cast<std::size_t>(r)] : -1;
  };
  float natural = ui::ChipWidth(t, tr("All routes"));
  for (cat::Route r : kRoutes)
    natural += gap + ui::ChipWidth(t, RouteName(r), count_of(r), t.RouteColour(r));
  const float share = (width - gap * 3) / 4;
  bool names_fit = true;  // each route's name whole in a quarter of the row
  for (cat::Route r : kRoutes)
    names_fit =
        names_fit &&
        t.control()->CalcTextSizeA(t.control()->FontSize, FLT_MAX, 0, RouteName(r)).x + t.px(14) <=
            share;
  const float chips_h = natural <= width
                            ? t.ControlHeight(t.control())
                            : std::max(t.touch() + t.px(8), 2 * t.control()->FontSize + t.px(16));
  const float status_h = t.control_bold()->FontSize + t.px(2) + ImGui::GetStyle().ItemSpacing.y;
  const float rows_h = 3 * (OpportunityRowHeight(t, true) + t.px(8));
  const float room = ImGui::GetContentRegionAvail().y - kb_h - status_h;
  chips_row_ = (natural <= width || names_fit) &&
               ((t.text_size() < 2 && (s.text.empty() || s.routes != 0)) ||
                room - chips_h - gap >= rows_h) &&
               (!s.keyboard_open || room - chips_h > t.px(260));
  if (chips_row_)
    DrawRouteChips(app, &s.routes, v.has_results && v.error.empty() ? &v.facets.route : nullptr);

  // Row 3: the filters in force, each removable.
  if (!s.filters_open && (!s.keyboard_open || chips_row_)) ActiveFilters(app, width);

  // Row 4: count / did you mean, and where distances are from.
  if (groups_.held && !s.keyboard_open) ReleaseHeld(app);  // done typing: say so
  const bool grouped = ShowsGroups();
  std::int64_t all_total = v.total;  // with careers, events and the school's content
  if (grouped)
    for (const ResultGroup& g : v.groups)
      if (g.block.kind != cat::ResultKind::kOpportunity) all_total += g.block.total;
  char status[320];
  if (!v.has_results)
    std::snprintf(status, sizeof status, "%s", tr("Searching\xE2\x80\xA6"));
  else if (!v.error.empty())
    std::snprintf(status, sizeof status, "%s",
                  tr("Sorry, the course list is not available right now. Please ask a member "
                     "of staff."));
  else if (groups_.held)
    std::snprintf(status, sizeof status,
                  tr("Nothing yet for \xE2\x80\x9C%s\xE2\x80\x9D: keep typing, or tap Done"),
                  v.for_state.text.c_str());
  else if (v.corrected && !v.did_you_mean.empty())
    std::snprintf(status, sizeof status,
                  tr("Showing results for \xE2\x80\x9C%s\xE2\x80\x9D (nothing matched "
                     "\xE2\x80\x9C%s\xE2\x80\x9D)"),
                  v.did_you_mean.c_str(), v.for_state.text.c_str());
  else
    std::snprintf(status, sizeof status, trn("%s result", "%s results", all_total),
                  FormatCount(all_total).c_str());
  std::string line = status;
  if (v.has_results && v.error.empty() && app.session().near.point)
    line += "  \xC2\xB7  " + std::string(tr("distances")) + " " + DistancesFrom(app);
  // The count grows with the text size; a long line (a correction, where
  // distances are from) wraps.
  ImFont* cf = t.control_bold();
  const ImVec2 status_at = ImGui::GetCursorScreenPos();
  auto lines_of = [&](const std::string& text) {
    return std::round(cf->CalcTextSizeA(cf->FontSize, FLT_MAX, width, text.c_str()).y /
                      cf->FontSize);
  };
  if (lines_of(line) > 2 && v.corrected && !v.did_you_mean.empty()) {
    // A long correction (a long word, a long translation): what is shown
    // is the point; what matched nothing is in the search box above.
    std::snprintf(status, sizeof status, tr("Showing results for \xE2\x80\x9C%s\xE2\x80\x9D"),
                  v.did_you_mean.c_str());
    line = status;
  }
  const float status_lines = std::max(lines_of(line), 1.0f);
  if (status_lines > 1)
    ui::DrawText(ImGui::GetWindowDrawList(), cf, status_at, p.text, line, width);
  else
    ui::DrawEllipsis(ImGui::GetWindowDrawList(), cf, status_at, width, p.text, line.c_str());
  app.Say(status);
  AnnounceResults(app, all_total, status);
  ImGui::Dummy(ImVec2(width, cf->FontSize * status_lines + t.px(2)));

  float list_h = std::max(t.px(10), ImGui::GetContentRegionAvail().y - kb_h);

  if (s.filters_open) {
    FiltersPanel(app, list_h, !chips_row_);
  } else if (groups_.all_of_kind) {
    DrawAllOfKind(app, list_h);
  } else if (grouped) {
    DrawGroups(app, list_h);
  } else if (v.has_results && v.total == 0 && v.error.empty()) {
    EmptyState(app, list_h);
  } else {
    float spacing = t.px(8);
    // Compact rows when fewer than three normal ones would show.
    const bool compact = list_h < 3 * (OpportunityRowHeight(t) + spacing);
    float row_h = OpportunityRowHeight(t, compact);
    ui::BeginScroll("##results", ImVec2(0, list_h));
    DrawBackToGroups(app);
    // A new question starts at the top of its answer (a filter changed, a
    // new search came in from another screen); typing keeps the place.
    if (scroll_top_ || (Key(s) != shown_state_ && Key(s).text == shown_state_.text)) {
      ImGui::SetScrollY(0);
      scroll_top_ = false;
    }
    shown_state_ = Key(s);
    ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(spacing, spacing));
    float w = ImGui::GetContentRegionAvail().x;
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(std::min<std::int64_t>(v.total, 1 << 30)), row_h + spacing);
    while (clipper.Step()) {
      RequestRows(app, clipper.DisplayStart, clipper.DisplayEnd - clipper.DisplayStart + 20);
      for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
        const cat::OpportunitySummary* row = v.Row(i);
        if (!row) {
          // Not fetched yet: a quiet placeholder the same size as a row.
          ImVec2 a = ImGui::GetCursorScreenPos();
          ImGui::GetWindowDrawList()->AddRectFilled(a, a + ImVec2(w, row_h),
                                                    WithAlpha(p.surface, 0.6f), t.radius());
          ImGui::Dummy(ImVec2(w, row_h));
          continue;
        }
        if (i < 3) app.Say(row->title + ", " + row->provider_name);
        if (OpportunityRow(app, *row, w, row_h)) app.Go(Screen::kDetail, row->rowid);
      }
    }
    ImGui::PopStyleVar();
    ui::EndScroll();
  }

  if (s.keyboard_open) {
    bool done = false;
    ui::Keyboard(t, &s.text, &done);
    if (done) s.keyboard_open = false;
  }
}

std::unique_ptr<View> MakeSearchScreen() { return std::make_unique<SearchScreen>(); }

}  // namespace signpost::kiosk
