// The search screen's filters (search.h): the "Filters" panel (routes when
// their row gave way, level, study mode, distance bands with their counts,
// start date, subject area), the chips of the filters in force, each
// removable, and the empty state that names the filter that emptied the list.
// Thread safety: UI thread only.
#include <algorithm>
#include <cstdio>

#include "kiosk/i18n.h"
#include "kiosk/screens/screens.h"
#include "kiosk/screens/search.h"
#include "kiosk/ui.h"

namespace signpost::kiosk {

namespace cat = signpost::catalogue;
using namespace screens;

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
  // Vacancies close: with only apprenticeships shown they can come closing
  // soonest first.
  if (s.routes == Bit(cat::Route::kApprenticeship)) {
    section(tr("Order"));
    if (ui::Chip(t, tr("Closing soonest first"), s.by_closing)) s.by_closing = !s.by_closing;
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
  if (SortsByClosing(s))
    chips.push_back({tr("Closing soonest first"), [&s] { s.by_closing = false; }});
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
                    trn("Without \xE2\x80\x9C%s\xE2\x80\x9D there is %s result.",
                        "Without \xE2\x80\x9C%s\xE2\x80\x9D there are %s results.", n),
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

}  // namespace signpost::kiosk
