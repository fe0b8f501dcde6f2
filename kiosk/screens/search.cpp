// Browse and search: a search box fed by the on-screen keyboard (or a real
// one), route chips with counts, a "more filters" panel (level, study mode,
// distance, start date, subject area) and the results list, which is clipped
// (ImGuiListClipper) and fetched page by page so it stays smooth at 250k rows.
// Also the shared result row and plain-words helpers used by other screens.
//
// Index:
//   [SECTION] Shared helpers
//   [SECTION] Data: the search and its pages
//   [SECTION] Search box and filters
//   [SECTION] Screen
#include "kiosk/screens/search.h"

#include <algorithm>
#include <cstdio>

#include "kiosk/i18n.h"
#include "kiosk/screens/screens.h"
#include "kiosk/ui.h"

namespace signpost::kiosk {

namespace cat = signpost::catalogue;

namespace screens {

// [SECTION] Shared helpers ---------------------------------------------------------

const char* RouteName(cat::Route r) {
  switch (r) {
    case cat::Route::kFurtherEducation:
      return tr("Further education");
    case cat::Route::kTLevel:
      return tr("T Levels");
    case cat::Route::kHigherEducation:
      return tr("Higher education");
    case cat::Route::kApprenticeship:
      return tr("Apprenticeships");
  }
  return "";
}

const char* RouteGlyph(cat::Route r) {
  switch (r) {
    case cat::Route::kFurtherEducation:
      return "FE";
    case cat::Route::kTLevel:
      return "T";
    case cat::Route::kHigherEducation:
      return "HE";
    case cat::Route::kApprenticeship:
      return "AP";
  }
  return "";
}

// The catalogue's LevelPlainWords(), listed so that xgettext puts them in
// the translation catalogues (keep in step with catalogue/src/model.cpp).
[[maybe_unused]] constexpr const char* kLevelWords[] = {
    tr_noop("Level not stated"),
    tr_noop("Entry level: a first step, no qualifications needed"),
    tr_noop("Level 1: same level as GCSE grades 3 to 1"),
    tr_noop("Level 2: same level as GCSE grades 9 to 4"),
    tr_noop("Level 3: same level as A levels"),
    tr_noop("Level 4: same level as the first year of a degree (HNC)"),
    tr_noop("Level 5: same level as a foundation degree or HND"),
    tr_noop("Level 6: same level as a bachelor's degree"),
    tr_noop("Level 7: same level as a master's degree"),
    tr_noop("Level 8: same level as a doctorate (PhD)"),
};

std::string LevelText(int level) {
  if (level < 0 || level > 8) return {};
  // The catalogue's plain words are English; translate them when we can.
  return tr(std::string(cat::LevelPlainWords(level)).c_str());
}

const char* ModeText(cat::StudyMode m) {
  switch (m) {
    case cat::StudyMode::kUnknown:
      return "";
    case cat::StudyMode::kFullTime:
      return tr("Full time");
    case cat::StudyMode::kPartTime:
      return tr("Part time");
    case cat::StudyMode::kFlexible:
      return tr("Flexible");
    case cat::StudyMode::kDistance:
      return tr("Online or distance");
    case cat::StudyMode::kWorkBased:
      return tr("Mostly at work");
  }
  return "";
}

std::string StartText(const std::optional<Day>& start, bool flexible) {
  if (flexible) return tr("Start any time");
  if (!start) return {};
  char buf[96];
  std::snprintf(buf, sizeof buf, tr("Starts %s"), HumanDate(*start).c_str());
  return buf;
}

std::string ClosingText(const std::optional<Day>& closing) {
  if (!closing) return {};
  if (*closing < TodayUtc()) return tr("Closed");
  char buf[96];
  std::snprintf(buf, sizeof buf, tr("Apply by %s"), HumanDate(*closing, false).c_str());
  return buf;
}

float OpportunityRowHeight(const Theme& t) {
  return std::max(t.touch() + t.px(16), t.heading()->FontSize + t.small()->FontSize + t.px(26));
}

bool OpportunityRow(App& app, const cat::OpportunitySummary& s, float width, float height) {
  const Theme& t = app.theme();
  const Palette& p = t.p();
  ImGui::PushID(static_cast<int>(s.rowid ^ (s.rowid >> 32)));
  float star_w = t.touch() + t.px(8);
  ImVec2 a, b;
  bool open = ui::Card(t, "##row", ImVec2(width - star_w - t.px(8), height), t.RouteColour(s.route),
                       &a, &b);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImFont* hf = t.heading();
  ImFont* sf = t.small();
  float w = b.x - a.x;
  ui::DrawEllipsis(dl, hf, a + ImVec2(0, t.px(2)), w, p.text, s.title.c_str());
  // Second line: route · level · provider · place · distance · start/closing.
  char line[512];
  std::string lvl = s.level >= 0 ? std::string(tr("Level")) + " " + std::to_string(s.level) : "";
  std::string when = s.closing ? ClosingText(s.closing) : StartText(s.start, s.flexible_start);
  std::string dist = app.DistanceText(s.distance_km);
  std::snprintf(line, sizeof line, "%s%s%s  \xC2\xB7  %s%s%s%s%s%s%s", RouteName(s.route),
                lvl.empty() ? "" : "  \xC2\xB7  ", lvl.c_str(), s.provider_name.c_str(),
                s.town.empty() ? "" : ", ", s.town.c_str(), dist.empty() ? "" : "  \xC2\xB7  ",
                dist.c_str(), when.empty() ? "" : "  \xC2\xB7  ", when.c_str());
  ui::DrawEllipsis(dl, sf, ImVec2(a.x, b.y - sf->FontSize - t.px(2)), w, p.muted, line);
  ImGui::SameLine(0, t.px(8));
  bool listed = app.session().Shortlisted(s.rowid);
  ImVec2 sp = ImGui::GetCursorScreenPos();
  // Its name in the frame record says what a tap does, and to what.
  static std::string star_label;  // reused every row and frame
  star_label.assign(listed ? tr("Remove from shortlist") : tr("Add to shortlist"));
  star_label.append(": ").append(s.title);
  if (ui::HitArea("##star", ImVec2(star_w, height), star_label.c_str())) app.ToggleShortlist(s);
  ImFont* gf = t.title();
  const char* star = listed ? "\xE2\x98\x85" : "\xE2\x98\x86";
  ImVec2 gs = gf->CalcTextSizeA(gf->FontSize, FLT_MAX, 0, star);
  ImVec2 c = sp + ImVec2(star_w * 0.5f, height * 0.5f);
  dl->AddCircleFilled(c, star_w * 0.42f, listed ? p.primary : p.surface, 32);
  dl->AddCircle(c, star_w * 0.42f, listed ? p.primary : p.border, 32, t.px(2));
  ui::DrawText(dl, gf, c - gs * 0.5f, listed ? p.on_primary : p.text, star);
  ImGui::PopID();
  return open;
}

// A tappable box that shows the text and a caret; tapping opens the keyboard.
void SearchBox(App& app, std::string* text, bool* keyboard_open, float width,
               const char* placeholder) {
  const Theme& t = app.theme();
  const Palette& p = t.p();
  float h = t.touch() + t.px(4);
  ImVec2 pos = ImGui::GetCursorScreenPos();
  if (ui::HitArea("##searchbox", ImVec2(width, h), text->empty() ? placeholder : text->c_str()))
    *keyboard_open = true;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(pos, pos + ImVec2(width, h), p.surface, t.px(8));
  dl->AddRect(pos, pos + ImVec2(width, h), *keyboard_open ? p.primary : p.text, t.px(8), 0,
              t.px(*keyboard_open ? 3.0f : 2.0f));
  ImFont* f = t.heading();
  float ty = pos.y + (h - f->FontSize) * 0.5f;
  float x = pos.x + t.px(14);
  if (text->empty()) {
    ui::DrawEllipsis(dl, t.body(), ImVec2(x, pos.y + (h - t.body()->FontSize) * 0.5f),
                     width - t.px(28), p.muted, placeholder);
  } else {
    ui::DrawEllipsis(dl, f, ImVec2(x, ty), width - t.px(40), p.text, text->c_str());
    x += std::min(width - t.px(40), f->CalcTextSizeA(f->FontSize, FLT_MAX, 0, text->c_str()).x);
  }
  if (*keyboard_open)
    dl->AddRectFilled(ImVec2(x + t.px(2), ty), ImVec2(x + t.px(5), ty + f->FontSize), p.primary);
}

}  // namespace screens

using namespace screens;

// [SECTION] Data: the search and its pages -----------------------------------------

const cat::OpportunitySummary* SearchView::Row(std::int64_t i) const {
  auto it = pages.find(i / kPageRows);
  if (it == pages.end()) return nullptr;
  std::size_t k = static_cast<std::size_t>(i % kPageRows);
  return k < it->second.size() ? &it->second[k] : nullptr;
}

SearchView& SearchScreen::results(App& app) {
  SearchIfChanged(app);
  return view_;
}

bool SearchScreen::SearchIfChanged(App& app) {
  SearchState key = app.session().search;
  key.keyboard_open = false;
  key.filters_open = false;
  if ((view_.has_results || view_.loading) && key == view_.for_state &&
      searched_version_ == app.data_version())
    return false;
  searched_version_ = app.data_version();
  const std::uint64_t gen = ++generation_;
  latest_->store(gen);
  view_.loading = true;
  if (!(key == view_.for_state)) groups_.all_of_kind.reset();  // a new search: all of it
  view_.for_state = key;
  cat::SearchRequest req;
  req.text = key.text;
  req.routes = key.routes;
  req.levels = key.levels;
  req.modes = key.modes;
  req.subject_areas = key.subject_areas;
  req.within_km = key.within_km;
  if (key.starting_soon) {
    req.start_from = TodayUtc();
    req.start_to = TodayUtc() + 183;
  }
  req.session_seed = app.session().seed;
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
    bool stale = false;  // the student typed more before this ran
  };
  auto latest = latest_;
  Fetch<Answer>(
      app.data(),
      [gen, req, latest](Backend& b) mutable {
        Answer a;
        if (latest->load() != gen) {
          a.stale = true;
          return a;
        }
        if (!b.EnsureOpen()) {
          a.error = b.status.ToString();
          return a;
        }
        req.origin = b.origin;
        if (req.within_km > 0 && !req.origin) req.within_km = 0;
        auto r = b.engine->Search(req);
        if (!r.ok()) {
          a.error = r.status().ToString();
          return a;
        }
        b.results = std::move(r.value());
        b.results_generation = gen;
        a.total = b.results->size();
        auto rows = b.results->Rows(0, std::min<std::int64_t>(SearchView::kPageRows, a.total));
        if (auto s = b.engine->Summaries(rows, b.origin); s.ok()) a.page = std::move(s.value());
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
        [gen, p](Backend& b) {
          std::vector<cat::OpportunitySummary> page;
          if (!b.results || b.results_generation != gen || !b.engine) return page;
          std::int64_t from = p * SearchView::kPageRows;
          std::int64_t n = std::min<std::int64_t>(SearchView::kPageRows, b.results->size() - from);
          if (n <= 0) return page;
          if (auto s = b.engine->Summaries(b.results->Rows(from, n), b.origin); s.ok())
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
  app.session().search.keyboard_open = false;
  app.session().search.filters_open = false;
}

std::string* SearchScreen::TypingTarget(App& app) { return &app.session().search.text; }

void SearchScreen::OnReturn(App& app) { app.session().search.keyboard_open = false; }

bool SearchScreen::KeyboardShowing(const App& app) const {
  return app.session().search.keyboard_open;
}

bool SearchScreen::BeforeFrame(App& app) { return SearchIfChanged(app); }

// [SECTION] Search box and filters -------------------------------------------------

namespace {

constexpr std::uint8_t Bit(cat::Route r) {
  return static_cast<std::uint8_t>(1u << static_cast<int>(r));
}

void FiltersPanel(App& app, SearchView& v, float height) {
  const Theme& t = app.theme();
  const Palette& p = t.p();
  SearchState& s = app.session().search;
  ui::BeginScroll("##filters", ImVec2(0, height));
  auto section = [&](const char* title) {
    ImGui::Dummy(ImVec2(0, t.px(2)));
    ui::Text(t.heading(), p.text, title);
  };
  auto wrap_next = [&](const char* label, long long count) {
    // Flow chips onto the next line when they would not fit.
    ImGui::PushFont(t.chrome());
    char buf[160];
    std::snprintf(buf, sizeof buf, "%s  %lld", label, count);
    float w = ImGui::CalcTextSize(buf).x + t.px(40);
    ImGui::PopFont();
    float right = ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + w;
    if (right < ImGui::GetWindowPos().x + ImGui::GetContentRegionMax().x) ImGui::SameLine();
  };
  section(tr("Level"));
  bool first = true;
  for (int lvl = 0; lvl <= 8; ++lvl) {
    long long n = v.facets.level[static_cast<std::size_t>(lvl)];
    bool on = s.levels & (1u << lvl);
    if (n == 0 && !on) continue;
    char label[48];
    if (lvl == 0)
      std::snprintf(label, sizeof label, "%s", tr("Entry level"));
    else
      std::snprintf(label, sizeof label, tr("Level %d"), lvl);
    if (!first) wrap_next(label, n);
    first = false;
    if (ui::Chip(t, label, on, n)) s.levels ^= static_cast<std::uint16_t>(1u << lvl);
  }
  if (s.levels) {
    // Plain words for the chosen levels.
    for (int lvl = 0; lvl <= 8; ++lvl)
      if (s.levels & (1u << lvl)) ui::TextWrapped(t.small(), p.muted, LevelText(lvl).c_str());
  }
  section(tr("How you study"));
  first = true;
  for (int m = 1; m < cat::kStudyModeCount; ++m) {
    long long n = v.facets.mode[static_cast<std::size_t>(m)];
    bool on = s.modes & (1u << m);
    if (n == 0 && !on) continue;
    const char* label = ModeText(static_cast<cat::StudyMode>(m));
    if (!first) wrap_next(label, n);
    first = false;
    if (ui::Chip(t, label, on, n)) s.modes ^= static_cast<std::uint8_t>(1u << m);
  }
  if (app.meta().has_origin) {
    section(tr("Distance from here"));
    first = true;
    for (std::size_t i = 0; i < cat::kDistanceBandsKm.size(); ++i) {
      int km = cat::kDistanceBandsKm[i];
      char label[48];
      std::snprintf(label, sizeof label, tr("Within %d miles"),
                    static_cast<int>(km * 0.621371 + 0.5));
      long long n = v.facets.within_km[i];
      if (!first) wrap_next(label, n);
      first = false;
      if (ui::Chip(t, label, s.within_km == km, n)) s.within_km = s.within_km == km ? 0 : km;
    }
  }
  section(tr("When it starts"));
  if (ui::Chip(t, tr("Starting in the next 6 months"), s.starting_soon))
    s.starting_soon = !s.starting_soon;
  if (!v.facets.subject_area.empty() || !s.subject_areas.empty()) {
    section(tr("Subject area"));
    first = true;
    int shown = 0;
    for (const auto& [area, n] : v.facets.subject_area) {
      if (shown++ >= 16) break;
      bool on =
          std::find(s.subject_areas.begin(), s.subject_areas.end(), area) != s.subject_areas.end();
      if (!first) wrap_next(area.c_str(), n);
      first = false;
      if (ui::Chip(t, area.c_str(), on, n)) {
        if (on)
          std::erase(s.subject_areas, area);
        else
          s.subject_areas.push_back(area);
      }
    }
  }
  ImGui::Dummy(ImVec2(0, t.px(8)));
  ui::EndScroll();
}

}  // namespace

// [SECTION] Screen ------------------------------------------------------------------

void SearchScreen::Draw(App& app) {
  const Theme& t = app.theme();
  const Palette& p = t.p();
  SearchState& s = app.session().search;
  SearchView& v = results(app);
  float width = ImGui::GetContentRegionAvail().x;
  float gap = t.px(8);

  // Row 1: search box, then keyboard toggle and filters.
  int active_filters = (s.levels ? 1 : 0) + (s.modes ? 1 : 0) + (s.within_km ? 1 : 0) +
                       (s.starting_soon ? 1 : 0) + static_cast<int>(s.subject_areas.size());
  char filters_label[64];
  if (s.filters_open)
    std::snprintf(filters_label, sizeof filters_label, "%s###filters", tr("Show results"));
  else if (active_filters)
    std::snprintf(filters_label, sizeof filters_label, "%s (%d)###filters", tr("Filters"),
                  active_filters);
  else
    std::snprintf(filters_label, sizeof filters_label, "%s###filters", tr("Filters"));
  ImGui::PushFont(t.chrome_bold());
  float fw = ImGui::CalcTextSize(filters_label, nullptr, true).x + t.px(36);
  ImGui::PopFont();
  SearchBox(app, &s.text, &s.keyboard_open, width - fw - gap,
            tr("Tap here to type, e.g. engineering"));
  ImGui::SameLine(0, gap);
  if (ui::Button(t, filters_label, ImVec2(fw, t.touch() + t.px(4)),
                 s.filters_open || active_filters ? ui::ButtonKind::kPrimary
                                                  : ui::ButtonKind::kSecondary)) {
    s.filters_open = !s.filters_open;
    s.keyboard_open = false;
  }

  // Row 2: route chips with counts (each counts results with the other
  // filters). Short screens drop them while the keyboard is up.
  float kb_h = s.keyboard_open ? ui::KeyboardHeight(t) : 0;
  bool chips = !s.keyboard_open || ImGui::GetContentRegionAvail().y - kb_h > t.px(260);
  if (chips) {
    // Impartial by construction: every route's chip is on screen, never
    // scrolled out of sight. When the row is too narrow for the natural
    // chips, the four routes share it equally (no route looks smaller) and
    // "all routes" is simply none chosen.
    constexpr cat::Route kRoutes[] = {cat::Route::kFurtherEducation, cat::Route::kTLevel,
                                      cat::Route::kHigherEducation, cat::Route::kApprenticeship};
    auto count_of = [&](cat::Route r) -> long long {
      return v.has_results && v.error.empty() ? v.facets.route[static_cast<std::size_t>(r)] : -1;
    };
    float natural = ui::ChipWidth(t, tr("All routes"));
    for (cat::Route r : kRoutes) {
      natural += gap + ui::ChipWidth(t, RouteName(r), count_of(r), t.RouteColour(r));
    }
    if (natural <= width) {
      if (ui::Chip(t, tr("All routes"), s.routes == 0)) s.routes = 0;
      for (cat::Route r : kRoutes) {
        ImGui::SameLine(0, gap);
        if (ui::Chip(t, RouteName(r), s.routes & Bit(r), count_of(r), t.RouteColour(r))) {
          s.routes ^= Bit(r);
        }
      }
    } else {
      const float share = (width - gap * 3) / 4;
      for (cat::Route r : kRoutes) {
        if (r != cat::Route::kFurtherEducation) ImGui::SameLine(0, gap);
        if (ui::StackedChip(t, RouteName(r), s.routes & Bit(r), count_of(r), t.RouteColour(r),
                            share)) {
          s.routes ^= Bit(r);
        }
      }
    }
  }

  // Row 3: count / did you mean.
  if (groups_.held && !s.keyboard_open) ReleaseHeld(app);  // done typing: say so
  const bool grouped = ShowsGroups();
  std::int64_t all_total = v.total;  // with careers, events and the school's content
  if (grouped)
    for (const ResultGroup& g : v.groups)
      if (g.block.kind != cat::ResultKind::kOpportunity) all_total += g.block.total;
  char status[256];
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
  else if (all_total == 1)
    std::snprintf(status, sizeof status, "%s", tr("1 result"));
  else
    std::snprintf(status, sizeof status, tr("%s results"), FormatCount(all_total).c_str());
  ui::DrawEllipsis(ImGui::GetWindowDrawList(), t.chrome_bold(), ImGui::GetCursorScreenPos(), width,
                   p.text, status);
  app.Say(status);
  ImGui::Dummy(ImVec2(width, t.chrome_bold()->FontSize + t.px(2)));

  float list_h = std::max(t.px(10), ImGui::GetContentRegionAvail().y - kb_h);

  if (s.filters_open) {
    FiltersPanel(app, v, list_h);
  } else if (groups_.all_of_kind) {
    DrawAllOfKind(app, list_h);
  } else if (grouped) {
    DrawGroups(app, list_h);
  } else if (v.has_results && v.total == 0 && v.error.empty()) {
    // Helpful empty state.
    ImGui::BeginChild("##empty", ImVec2(0, list_h));
    ui::TextWrapped(t.heading(), p.text, tr("We couldn't find anything for that."));
    if (!v.did_you_mean.empty()) {
      char label[160];
      std::snprintf(label, sizeof label, tr("Did you mean \xE2\x80\x9C%s\xE2\x80\x9D?"),
                    v.did_you_mean.c_str());
      if (ui::Button(t, label)) s.text = v.did_you_mean;
    }
    ui::TextWrapped(t.body(), p.text,
                    tr("Try fewer letters, a broader word like \xE2\x80\x9C"
                       "care\xE2\x80\x9D or "
                       "\xE2\x80\x9C"
                       "building\xE2\x80\x9D, or remove some filters."));
    if (s.routes || active_filters) {
      if (ui::Button(t, tr("Remove all filters"), ImVec2(0, 0), ui::ButtonKind::kSecondary)) {
        std::string text = s.text;
        s = SearchState{};
        s.text = text;
      }
    }
    ImGui::EndChild();
  } else {
    float row_h = OpportunityRowHeight(t);
    float spacing = t.px(8);
    ui::BeginScroll("##results", ImVec2(0, list_h));
    DrawBackToGroups(app);
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
