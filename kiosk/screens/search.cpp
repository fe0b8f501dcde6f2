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
#include <functional>
#include <optional>

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

float OpportunityRowHeight(const Theme& t, bool compact) {
  // Compact (a short screen with large text): the title a size smaller.
  ImFont* title =
      compact ? t.Font(FontRole::kHeading, std::max(0, t.text_size() - 1)) : t.heading();
  return std::max(t.touch() + (compact ? 0.0f : t.px(16)),
                  title->FontSize + t.small()->FontSize + t.px(compact ? 16 : 26));
}

std::string RowFacts(App& app, const cat::OpportunitySummary& s) {
  // What a student compares first: how far, and when it starts (or when to
  // apply by, and when it starts, for a vacancy). Short dates: "7 Sep".
  std::string out = app.DistanceText(s.distance_km);
  auto add = [&out](const std::string& part) {
    if (part.empty()) return;
    if (!out.empty()) out += "  \xC2\xB7  ";
    out += part;
  };
  if (s.closing) {
    if (*s.closing < TodayUtc()) {
      add(tr("Closed"));
    } else {
      char buf[96];
      std::snprintf(buf, sizeof buf, tr("Apply by %s"), HumanDate(*s.closing, false).c_str());
      add(buf);
    }
  }
  if (s.flexible_start) {
    add(tr("Start any time"));
  } else if (s.start) {
    char buf[96];
    std::snprintf(buf, sizeof buf, tr("Starts %s"), HumanDate(*s.start, false).c_str());
    add(buf);
  }
  return out;
}

bool OpportunityRow(App& app, const cat::OpportunitySummary& s, float width, float height) {
  const Theme& t = app.theme();
  const Palette& p = t.p();
  const bool compact = height < OpportunityRowHeight(t, false) - 0.5f;
  ImGui::PushID(static_cast<int>(s.rowid ^ (s.rowid >> 32)));
  float star_w = t.touch() + t.px(8);
  ImVec2 a, b;
  bool open = ui::Card(t, "##row", ImVec2(width - star_w - t.px(8), height), t.RouteColour(s.route),
                       &a, &b);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImFont* hf = compact ? t.Font(FontRole::kHeading, std::max(0, t.text_size() - 1)) : t.heading();
  ImFont* sf = t.small();
  float w = b.x - a.x;
  ui::DrawEllipsis(dl, hf, a + ImVec2(0, compact ? 0.0f : t.px(2)), w, p.text, s.title.c_str());
  // Second line: the facts first (distance, start date: never cut), in the
  // text colour; then route · level · provider, town in the muted colour,
  // cut with "…" when the row is narrow (a tap opens the whole).
  const std::string facts = RowFacts(app, s);
  const float y = b.y - sf->FontSize - (compact ? 0.0f : t.px(2));
  float x = a.x;
  if (!facts.empty()) {
    ui::DrawText(dl, sf, ImVec2(x, y), p.text, facts);
    x += sf->CalcTextSizeA(sf->FontSize, FLT_MAX, 0, facts.c_str()).x;
  }
  std::string more = facts.empty() ? "" : "  \xC2\xB7  ";
  more += RouteName(s.route);
  if (s.level >= 0)
    more += std::string("  \xC2\xB7  ") + tr("Level") + " " + std::to_string(s.level);
  more += "  \xC2\xB7  " + s.provider_name;
  if (!s.town.empty()) more += ", " + s.town;
  // Leave the rest out rather than show a lone "…" after the facts.
  if (b.x - x > sf->FontSize * 4)
    ui::DrawEllipsis(dl, sf, ImVec2(x, y), b.x - x, p.muted, more.c_str());
  ImGui::SameLine(0, t.px(8));
  bool listed = app.session().Shortlisted(s.rowid);
  ImVec2 sp = ImGui::GetCursorScreenPos();
  // Its name in the frame record says what a tap does, and to what.
  static std::string star_label;  // reused every row and frame
  star_label.assign(listed ? tr("Remove from shortlist") : tr("Add to shortlist"));
  star_label.append(": ").append(s.title).append(", ").append(s.provider_name);
  if (ui::HitArea("##star", ImVec2(star_w, height), star_label.c_str())) app.ToggleShortlist(s);
  ImFont* gf = t.title();
  const char* star = listed ? "\xE2\x98\x85" : "\xE2\x98\x86";
  ImVec2 gs = gf->CalcTextSizeA(gf->FontSize, FLT_MAX, 0, star);
  ImVec2 c = sp + ImVec2(star_w * 0.5f, height * 0.5f);
  const float radius = std::min(star_w, height) * 0.42f;
  dl->AddCircleFilled(c, radius, listed ? p.primary : p.surface, 32);
  dl->AddCircle(c, radius, listed ? p.primary : p.border, 32, t.px(2));
  ui::DrawText(dl, gf, c - gs * 0.5f, listed ? p.on_primary : p.text, star);
  ImGui::PopID();
  return open;
}

void DrawRouteChips(App& app, std::uint8_t* routes,
                    const std::array<std::int64_t, cat::kRouteCount>* counts) {
  const Theme& t = app.theme();
  const float width = ImGui::GetContentRegionAvail().x;
  const float gap = t.px(8);
  constexpr cat::Route kRoutes[] = {cat::Route::kFurtherEducation, cat::Route::kTLevel,
                                    cat::Route::kHigherEducation, cat::Route::kApprenticeship};
  auto bit = [](cat::Route r) { return static_cast<std::uint8_t>(1u << static_cast<int>(r)); };
  auto count_of = [&](cat::Route r) -> long long {
    return counts ? (*counts)[static_cast<std::size_t>(r)] : -1;
  };
  // A route with nothing (with the other filters) cannot be chosen, unless it is.
  auto enabled = [&](cat::Route r) { return count_of(r) != 0 || (*routes & bit(r)); };
  float natural = ui::ChipWidth(t, tr("All routes"));
  for (cat::Route r : kRoutes)
    natural += gap + ui::ChipWidth(t, RouteName(r), count_of(r), t.RouteColour(r));
  if (natural <= width) {
    if (ui::Chip(t, tr("All routes"), *routes == 0)) *routes = 0;
    for (cat::Route r : kRoutes) {
      ImGui::SameLine(0, gap);
      if (ui::Chip(t, RouteName(r), *routes & bit(r), count_of(r), t.RouteColour(r), enabled(r)))
        *routes ^= bit(r);
    }
  } else {
    const float share = (width - gap * 3) / 4;
    ImFont* font = ui::StackedChipFont(t,
                                       {RouteName(kRoutes[0]), RouteName(kRoutes[1]),
                                        RouteName(kRoutes[2]), RouteName(kRoutes[3])},
                                       share);
    for (cat::Route r : kRoutes) {
      if (r != cat::Route::kFurtherEducation) ImGui::SameLine(0, gap);
      if (ui::StackedChip(t, RouteName(r), *routes & bit(r), count_of(r), t.RouteColour(r), share,
                          enabled(r), font))
        *routes ^= bit(r);
    }
  }
}

// A tappable box that shows the text and a caret; tapping opens the keyboard.
void SearchBox(App& app, std::string* text, bool* keyboard_open, float width,
               const char* placeholder, float height) {
  const Theme& t = app.theme();
  const Palette& p = t.p();
  float h = height > 0 ? height : t.touch() + t.px(4);
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

namespace {

SearchState Key(const SearchState& s) {
  SearchState key = s;  // what the results depend on (not what is open)
  key.keyboard_open = false;
  key.filters_open = false;
  return key;
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
    bool stale = false;  // the student typed more before this ran
  };
  auto latest = latest_;
  Fetch<Answer>(
      app.data(),
      [gen, req, latest, near = app.NearPoint()](Backend& b) mutable {
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
        auto rows = b.results->Rows(0, std::min<std::int64_t>(SearchView::kPageRows, a.total));
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
        [gen, p, near = app.NearPoint()](Backend& b) {
          std::vector<cat::OpportunitySummary> page;
          if (!b.results || b.results_generation != gen || !b.engine) return page;
          std::int64_t from = p * SearchView::kPageRows;
          std::int64_t n = std::min<std::int64_t>(SearchView::kPageRows, b.results->size() - from);
          if (n <= 0) return page;
          if (auto s = b.engine->Summaries(b.results->Rows(from, n), b.OriginFor(near)); s.ok())
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
  postcode_.open = false;
}

void SearchScreen::OnEnter(App& app, std::int64_t) {
  // Opened with a new query (a tile, a subject): its list starts at the top.
  if (Key(app.session().search) != shown_state_) scroll_top_ = true;
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

// [SECTION] Filters: the panel, the chips in force, the empty state ---------------------

namespace {

constexpr std::uint8_t Bit(cat::Route r) {
  return static_cast<std::uint8_t>(1u << static_cast<int>(r));
}

std::string LevelName(int lvl) {
  char label[48];
  if (lvl == 0)
    std::snprintf(label, sizeof label, "%s", tr("Entry level"));
  else
    std::snprintf(label, sizeof label, tr("Level %d"), lvl);
  return label;
}

std::string DistanceName(App& app, int miles) {
  char label[96];
  if (app.session().near.point)
    std::snprintf(label, sizeof label, tr("Within %d miles of %s"), miles,
                  app.session().near.postcode.c_str());
  else
    std::snprintf(label, sizeof label, tr("Within %d miles"), miles);
  return label;
}

// A filter in force, in the words its chips use ("Level 3", "Part time").
std::string FilterName(App& app, const SearchState& s, SearchFilter f) {
  std::string out;
  auto add = [&](const std::string& part) { out += (out.empty() ? "" : ", ") + part; };
  switch (f) {
    case SearchFilter::kText:
      return "\xE2\x80\x9C" + s.text + "\xE2\x80\x9D";
    case SearchFilter::kRoutes:
      for (cat::Route r : cat::kAllRoutes)
        if (s.routes & Bit(r)) add(RouteName(r));
      return out;
    case SearchFilter::kLevels:
      for (int lvl = 0; lvl <= 8; ++lvl)
        if (s.levels & (1u << lvl)) add(LevelName(lvl));
      return out;
    case SearchFilter::kModes:
      for (int m = 1; m < cat::kStudyModeCount; ++m)
        if (s.modes & (1u << m)) add(ModeText(static_cast<cat::StudyMode>(m)));
      return out;
    case SearchFilter::kSubjects:
      for (const auto& area : s.subject_areas) add(area);
      return out;
    case SearchFilter::kDistance:
      return DistanceName(app, s.within_miles);
    case SearchFilter::kStartingSoon:
      return tr("Starting in the next 6 months");
  }
  return out;
}

// Flows chips onto the next line when the next one would not fit.
void WrapNext(const Theme& t, const char* label, long long count, ImU32 accent = 0) {
  const float w = ui::ChipWidth(t, label, count, accent);
  const float right = ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + w;
  if (right < ImGui::GetWindowPos().x + ImGui::GetContentRegionMax().x) ImGui::SameLine();
}

}  // namespace

void SearchScreen::FiltersPanel(App& app, float height, bool with_routes) {
  const Theme& t = app.theme();
  const Palette& p = t.p();
  SearchState& s = app.session().search;
  const SearchView& v = view_;
  const SearchExtras& x = extras(app);
  const bool counted = x.loaded && x.for_state == Key(s);
  ui::BeginScroll("##filters", ImVec2(0, height));
  auto section = [&](const char* title) {
    ImGui::Dummy(ImVec2(0, t.px(2)));
    ui::Text(t.heading(), p.text, title);
  };
  // A chip whose count is 0 (with the other filters) would empty the list:
  // it is shown, muted, and does nothing.
  bool first = true;
  if (with_routes) {  // the route chips' row gave way to the results
    section(tr("Route"));
    for (int i = 0; i < catalogue::kRouteCount; ++i) {
      const auto r = static_cast<cat::Route>(i);
      const long long n = v.facets.route[static_cast<std::size_t>(i)];
      const bool on = s.routes & Bit(r);
      if (!first) WrapNext(t, RouteName(r), n, t.RouteColour(r));
      first = false;
      if (ui::Chip(t, RouteName(r), on, n, t.RouteColour(r), n > 0 || on)) s.routes ^= Bit(r);
    }
  }
  section(tr("Level"));
  first = true;
  for (int lvl = 0; lvl <= 8; ++lvl) {
    const long long n = v.facets.level[static_cast<std::size_t>(lvl)];
    const bool on = s.levels & (1u << lvl);
    const std::string label = LevelName(lvl);
    if (!first) WrapNext(t, label.c_str(), n);
    first = false;
    if (ui::Chip(t, label.c_str(), on, n, 0, n > 0 || on))
      s.levels ^= static_cast<std::uint16_t>(1u << lvl);
  }
  if (s.levels) {
    // Plain words for the chosen levels.
    for (int lvl = 0; lvl <= 8; ++lvl)
      if (s.levels & (1u << lvl)) ui::TextWrapped(t.small(), p.muted, LevelText(lvl).c_str());
  }
  section(tr("How you study"));
  first = true;
  for (int m = 1; m < cat::kStudyModeCount; ++m) {
    const long long n = v.facets.mode[static_cast<std::size_t>(m)];
    const bool on = s.modes & (1u << m);
    const char* label = ModeText(static_cast<cat::StudyMode>(m));
    if (!first) WrapNext(t, label, n);
    first = false;
    if (ui::Chip(t, label, on, n, 0, n > 0 || on)) s.modes ^= static_cast<std::uint8_t>(1u << m);
  }
  section(tr("How far away"));
  DrawNearMe(app, &postcode_, ImGui::GetContentRegionAvail().x);
  if (app.Origin()) {
    first = true;
    for (std::size_t i = 0; i < std::size(kDistanceBandsMiles); ++i) {
      const int miles = kDistanceBandsMiles[i];
      char label[48];
      std::snprintf(label, sizeof label, tr("Within %d miles"), miles);
      const long long n = counted ? x.within[i] : -1;
      const bool on = s.within_miles == miles;
      if (!first) WrapNext(t, label, n);
      first = false;
      if (ui::Chip(t, label, on, n, 0, n != 0 || on)) s.within_miles = on ? 0 : miles;
    }
  }
  section(tr("When it starts"));
  if (ui::Chip(t, tr("Starting in the next 6 months"), s.starting_soon))
    s.starting_soon = !s.starting_soon;
  if (!v.facets.subject_area.empty() || !s.subject_areas.empty()) {
    section(tr("Subject area"));
    first = true;
    int shown = 0;
    // The chosen areas first (they may count 0 with the other filters).
    for (const auto& area : s.subject_areas) {
      if (!first) WrapNext(t, area.c_str(), -1);
      first = false;
      ImGui::PushID(area.c_str());
      if (ui::Chip(t, area.c_str(), true)) {
        const std::string gone = area;
        ImGui::PopID();
        std::erase(s.subject_areas, gone);
        break;  // the list changed under us; the next frame draws the rest
      }
      ImGui::PopID();
    }
    for (const auto& [area, n] : v.facets.subject_area) {
      if (std::find(s.subject_areas.begin(), s.subject_areas.end(), area) != s.subject_areas.end())
        continue;
      if (shown++ >= 16) break;
      if (!first) WrapNext(t, area.c_str(), n);
      first = false;
      if (ui::Chip(t, area.c_str(), false, n)) s.subject_areas.push_back(area);
    }
  }
  ImGui::Dummy(ImVec2(0, t.px(8)));
  ui::EndScroll();
}

void SearchScreen::ActiveFilters(App& app, float width) {
  // Every filter in force, each removable, on one row that scrolls sideways:
  // "Science and maths ✕", "Level 3 ✕", "Within 10 miles of LS6 3QT ✕".
  const Theme& t = app.theme();
  SearchState& s = app.session().search;
  struct Chip {
    std::string label;
    std::function<void()> remove;
  };
  std::vector<Chip> chips;
  for (const auto& area : s.subject_areas)
    chips.push_back({area, [&s, area] { std::erase(s.subject_areas, area); }});
  for (int lvl = 0; lvl <= 8; ++lvl)
    if (s.levels & (1u << lvl))
      chips.push_back({LevelName(lvl), [&s, lvl] { s.levels &= ~(1u << lvl); }});
  for (int m = 1; m < cat::kStudyModeCount; ++m)
    if (s.modes & (1u << m))
      chips.push_back(
          {ModeText(static_cast<cat::StudyMode>(m)), [&s, m] { s.modes &= ~(1u << m); }});
  if (s.within_miles)
    chips.push_back({DistanceName(app, s.within_miles), [&s] { s.within_miles = 0; }});
  if (s.starting_soon)
    chips.push_back({tr("Starting in the next 6 months"), [&s] { s.starting_soon = false; }});
  if (chips.empty()) return;
  ui::BeginScroll("##active", ImVec2(width, t.touch() + t.px(2)), true);
  std::function<void()> remove;
  for (std::size_t i = 0; i < chips.size(); ++i) {
    if (i) ImGui::SameLine(0, t.px(8));
    ImGui::PushID(static_cast<int>(i));
    if (ui::RemovableChip(t, chips[i].label.c_str())) remove = chips[i].remove;
    ImGui::PopID();
  }
  ui::EndScroll();
  if (remove) remove();
}

void SearchScreen::EmptyState(App& app, float height) {
  // Nothing found: say which filter emptied the list and offer to drop it,
  // with how many results that would bring back.
  const Theme& t = app.theme();
  const Palette& p = t.p();
  SearchState& s = app.session().search;
  const SearchView& v = view_;
  const SearchExtras& x = extras(app);
  ImGui::BeginChild("##empty", ImVec2(0, height));
  const bool filtered = s.routes || s.levels || s.modes || !s.subject_areas.empty() ||
                        s.within_miles || s.starting_soon;
  if (!filtered) {
    ui::TextWrapped(t.heading(), p.text, tr("We couldn't find anything for that."));
  } else {
    ui::TextWrapped(t.heading(), p.text, tr("Nothing matches all of your choices."));
  }
  app.Say(tr("Nothing matches all of your choices."));
  if (!v.did_you_mean.empty()) {
    char label[160];
    std::snprintf(label, sizeof label, tr("Did you mean \xE2\x80\x9C%s\xE2\x80\x9D?"),
                  v.did_you_mean.c_str());
    if (ui::Button(t, label)) s.text = v.did_you_mean;
  }
  std::optional<SearchFilter> drop;
  if (x.loaded && x.for_state == Key(s)) {
    auto without = x.without;
    std::stable_sort(without.begin(), without.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    for (const auto& [f, n] : without) {
      if (n == 0 || f == SearchFilter::kText) continue;
      char line[320];
      std::snprintf(line, sizeof line,
                    n == 1 ? tr("Without \xE2\x80\x9C%s\xE2\x80\x9D there is 1 result.")
                           : tr("Without \xE2\x80\x9C%s\xE2\x80\x9D there are %s results."),
                    FilterName(app, s, f).c_str(), FormatCount(n).c_str());
      ui::TextWrapped(t.body(), p.text, line);
      app.Say(line);
      char button[256];
      std::snprintf(button, sizeof button, tr("Remove \xE2\x80\x9C%s\xE2\x80\x9D"),
                    FilterName(app, s, f).c_str());
      ImGui::PushID(static_cast<int>(f));
      if (ui::Button(t, button, ImVec2(0, 0), ui::ButtonKind::kSecondary)) drop = f;
      ImGui::PopID();
    }
  } else if (filtered) {
    ui::Text(t.small(), p.muted, tr("Loading\xE2\x80\xA6"));
  }
  ui::TextWrapped(t.body(), p.muted,
                  tr("Try fewer letters, a broader word like \xE2\x80\x9C"
                     "care\xE2\x80\x9D or "
                     "\xE2\x80\x9C"
                     "building\xE2\x80\x9D, or remove some filters."));
  if (filtered &&
      ui::Button(t, tr("Remove all filters"), ImVec2(0, 0), ui::ButtonKind::kSecondary)) {
    std::string text = s.text;
    s = SearchState{};
    s.text = text;
  }
  ImGui::EndChild();
  if (drop) RemoveFilter(&s, *drop);
}

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
  // move into Filters, still all four together.
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
               (t.text_size() < 2 || room - chips_h - gap >= rows_h) &&
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
  else if (all_total == 1)
    std::snprintf(status, sizeof status, "%s", tr("1 result"));
  else
    std::snprintf(status, sizeof status, tr("%s results"), FormatCount(all_total).c_str());
  std::string line = status;
  if (v.has_results && v.error.empty() && app.session().near.point)
    line += "  \xC2\xB7  " + std::string(tr("distances")) + " " + DistancesFrom(app);
  // The count grows with the text size; a long line (a correction, where
  // distances are from) wraps.
  ImFont* cf = t.control_bold();
  const ImVec2 status_at = ImGui::GetCursorScreenPos();
  const float status_lines =
      cf->CalcTextSizeA(cf->FontSize, FLT_MAX, width, line.c_str()).y / cf->FontSize > 1.5f ? 2 : 1;
  if (status_lines > 1)
    ui::DrawText(ImGui::GetWindowDrawList(), cf, status_at, p.text, line, width);
  else
    ui::DrawEllipsis(ImGui::GetWindowDrawList(), cf, status_at, width, p.text, line.c_str());
  app.Say(status);
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
