// "Ways in": every route into a career, one way in at a time (ways_in.h).
//
// Index:
//   [SECTION] Ways in
//   [SECTION] Finding them (data worker)
//   [SECTION] Screen
#include "kiosk/screens/ways_in.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <unordered_map>
#include <unordered_set>

#include "kiosk/app.h"
#include "kiosk/i18n.h"
#include "kiosk/screens/screens.h"
#include "kiosk/ui.h"

namespace signpost::kiosk {

namespace cat = signpost::catalogue;
using namespace screens;

// [SECTION] Ways in -------------------------------------------------------------------

WayIn WayInOf(cat::Route r) {
  switch (r) {
    case cat::Route::kApprenticeship:
      return WayIn::kApprenticeship;
    case cat::Route::kHigherEducation:
      return WayIn::kUniversity;
    default:
      return WayIn::kCollege;
  }
}

std::uint8_t RoutesOf(WayIn w) {
  auto bit = [](cat::Route r) { return static_cast<std::uint8_t>(1u << static_cast<int>(r)); };
  switch (w) {
    case WayIn::kCollege:
      return bit(cat::Route::kFurtherEducation) | bit(cat::Route::kTLevel);
    case WayIn::kApprenticeship:
      return bit(cat::Route::kApprenticeship);
    case WayIn::kUniversity:
      return bit(cat::Route::kHigherEducation);
  }
  return 0;
}

const char* WayInName(WayIn w) {
  switch (w) {
    case WayIn::kCollege:
      return tr("College");
    case WayIn::kApprenticeship:
      return tr("Apprenticeship");
    case WayIn::kUniversity:
      return tr("University");
  }
  return "";
}

// [SECTION] Finding them (data worker) ------------------------------------------------

namespace {

std::uint64_t Mix(std::uint64_t x) {  // splitmix64: the session's fair shuffle
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

bool SameWords(const std::string& a, const std::string& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

WaysIn FindWaysIn(Backend& b, std::int64_t career, std::uint64_t seed,
                  const std::optional<cat::GeoPoint>& near) {
  WaysIn w;
  w.career = career;
  if (!b.EnsureOpen()) {
    w.missing = true;
    return w;
  }
  auto rec = b.catalogue->GetCareer(career);
  if (!rec.ok()) {
    w.missing = true;
    return w;
  }
  const cat::Career& c = rec->career;
  w.title = c.title;
  w.entry = {c.entry_college, c.entry_apprenticeship, c.entry_university};

  // Its subject areas: the subject links that name this career.
  std::vector<std::string> areas;
  for (const std::string& subject : c.related_subjects)
    if (auto links = b.catalogue->SubjectLinks(subject); links.ok())
      for (const auto& l : links.value())
        if (l.career_source_id == c.source_id && !l.subject_area.empty() &&
            std::find(areas.begin(), areas.end(), l.subject_area) == areas.end())
          areas.push_back(l.subject_area);
  if (!areas.empty()) w.subject_area = areas.front();

  // What leads there, then what leads to a step on the way.
  struct Found {
    std::int64_t rowid;
    WayInGroup::Why why;
    std::string about;
  };
  std::vector<Found> found;
  std::unordered_set<std::int64_t> seen;
  auto add = [&](const std::vector<std::int64_t>& ids, WayInGroup::Why why,
                 const std::string& about) {
    for (std::int64_t id : ids)
      if (seen.insert(id).second) found.push_back({id, why, about});
  };
  if (!c.soc_code.empty())
    if (auto ids = b.catalogue->OpportunitiesForSoc(c.soc_code, 300); ids.ok())
      add(ids.value(), WayInGroup::Why::kLeadsThere, "");
  for (const std::string& title : c.related_careers) {
    auto related = b.catalogue->SearchCareers(title, 10);
    if (!related.ok()) continue;
    for (const auto& r : related.value()) {
      if (!SameWords(r.career.title, title) || r.career.soc_code.empty() ||
          r.career.soc_code == c.soc_code)
        continue;
      if (auto ids = b.catalogue->OpportunitiesForSoc(r.career.soc_code, 100); ids.ok())
        add(ids.value(), WayInGroup::Why::kStepOnTheWay, r.career.title);
      break;
    }
  }
  const std::optional<cat::GeoPoint> origin = b.OriginFor(near);
  std::vector<std::int64_t> ids;
  for (const auto& f : found) ids.push_back(f.rowid);
  std::unordered_map<std::int64_t, cat::OpportunitySummary> rows;
  if (auto s = b.engine->Summaries(ids, origin); s.ok())
    for (auto& row : s.value()) rows.emplace(row.rowid, std::move(row));
  auto group_for = [&](WayIn way, WayInGroup::Why why, const std::string& about) -> WayInGroup& {
    auto& groups = w.groups[static_cast<int>(way)];
    for (auto& g : groups)
      if (g.why == why && g.about == about) return g;
    groups.push_back(WayInGroup{why, about, {}});
    return groups.back();
  };
  for (const auto& f : found) {
    auto it = rows.find(f.rowid);
    if (it == rows.end()) continue;  // gone since
    group_for(WayInOf(it->second.route), f.why, f.about).rows.push_back(std::move(it->second));
  }

  // A way in with nothing yet: the same subject area on that route, said so.
  if (!areas.empty()) {
    std::string about;
    for (const auto& a : areas) about += (about.empty() ? "" : ", ") + a;
    for (int i = 0; i < kWayInCount; ++i) {
      if (!w.groups[i].empty()) continue;
      cat::SearchRequest req;
      req.routes = RoutesOf(static_cast<WayIn>(i));
      req.subject_areas = areas;
      req.origin = origin;
      req.session_seed = seed;
      auto r = b.engine->Search(req);
      if (!r.ok() || r->size() == 0) continue;
      auto more = b.engine->Summaries(r->Rows(0, std::min<std::int64_t>(20, r->size())), origin);
      if (!more.ok()) continue;
      WayInGroup g{WayInGroup::Why::kSameSubject, about, {}};
      for (auto& row : more.value())
        if (seen.insert(row.rowid).second) g.rows.push_back(std::move(row));
      if (!g.rows.empty()) w.groups[i].push_back(std::move(g));
    }
  }

  // Fair order inside each group: whole miles, then the session's shuffle.
  for (int i = 0; i < kWayInCount; ++i) {
    for (auto& g : w.groups[i]) {
      if (g.why == WayInGroup::Why::kSameSubject) continue;  // already in search order
      auto key = [&](const cat::OpportunitySummary& s) {
        const std::uint64_t miles =
            s.distance_km ? static_cast<std::uint64_t>(*s.distance_km / kKmPerMile) : 1u << 20;
        return std::pair(miles, Mix(seed ^ static_cast<std::uint64_t>(s.rowid)));
      };
      std::sort(g.rows.begin(), g.rows.end(),
                [&](const auto& x, const auto& y) { return key(x) < key(y); });
    }
    std::stable_sort(w.groups[i].begin(), w.groups[i].end(),
                     [](const WayInGroup& x, const WayInGroup& y) { return x.why < y.why; });
    for (const auto& g : w.groups[i]) w.count[i] += static_cast<std::int64_t>(g.rows.size());
  }
  return w;
}

// [SECTION] Screen ----------------------------------------------------------------------

const char* WaysInScreen::Title() const { return tr("Ways in"); }

const WaysIn* WaysInScreen::Load(App& app, std::int64_t career) {
  const bool fresh = loaded_ && ways_.career == career && version_ == app.data_version();
  if (!fresh && !(loading_ && ways_.career == career)) {
    loading_ = true;
    loaded_ = false;
    ways_ = WaysIn{};
    ways_.career = career;
    version_ = app.data_version();
    Fetch<WaysIn>(
        app.data(),
        [career, seed = app.session().seed, near = app.NearPoint()](Backend& b) {
          return FindWaysIn(b, career, seed, near);
        },
        [this](WaysIn&& w) {
          if (w.career != ways_.career) return;  // another career was asked for since
          ways_ = std::move(w);
          loading_ = false;
          loaded_ = true;
        });
  }
  return loaded_ && ways_.career == career ? &ways_ : nullptr;
}

void WaysInScreen::Open(App& app, std::int64_t career, WayIn way) {
  auto& v = app.view_as<WaysInScreen>(Screen::kWaysIn);
  v.tab_ = way;
  v.scroll_top_ = true;
  app.Go(Screen::kWaysIn, career);
}

void WaysInScreen::Draw(App& app) {
  const Theme& t = app.theme();
  const Palette& p = t.p();
  const std::int64_t career = app.session().nav.back().id;
  if (career == 0) {
    ui::TextWrapped(t.heading(), p.text, tr("Choose a career to see every way into it."));
    if (ui::Button(t, tr("Careers"))) app.Go(Screen::kCareers);
    return;
  }
  const WaysIn* w = Load(app, career);
  if (!w) {
    ui::Text(t.heading(), p.muted, tr("Loading\xE2\x80\xA6"));
    return;
  }
  if (w->missing) {
    ui::TextWrapped(t.heading(), p.text, tr("This job profile is no longer listed."));
    if (ui::Button(t, tr("Back"))) app.Back();
    return;
  }
  char heading[256];
  std::snprintf(heading, sizeof heading, tr("Ways into %s"), w->title.c_str());
  ui::TextWrapped(t.title(), p.text, heading);
  app.Say(heading);
  // Three equal tabs, in the career screen's order: no way in looks smaller.
  const float width = ImGui::GetContentRegionAvail().x;
  const float gap = t.px(8);
  const float share = (width - gap * (kWayInCount - 1)) / kWayInCount;
  const ImU32 colours[kWayInCount] = {p.route[0], p.route[3], p.route[2]};
  ImFont* font = ui::StackedChipFont(t,
                                     {WayInName(WayIn::kCollege), WayInName(WayIn::kApprenticeship),
                                      WayInName(WayIn::kUniversity)},
                                     share);
  for (int i = 0; i < kWayInCount; ++i) {
    if (i) ImGui::SameLine(0, gap);
    const WayIn way = static_cast<WayIn>(i);
    if (ui::StackedChip(t, WayInName(way), tab_ == way, w->count[i], colours[i], share, true,
                        font) &&
        tab_ != way) {
      tab_ = way;
      scroll_top_ = true;
    }
  }
  const int tab = static_cast<int>(tab_);
  ui::BeginScroll("##waysin", ImGui::GetContentRegionAvail());
  if (scroll_top_) {
    ImGui::SetScrollY(0);
    scroll_top_ = false;
  }
  const float w_avail = ImGui::GetContentRegionAvail().x;
  // The career's own words for this way in first: what it takes.
  if (!w->entry[tab].empty()) {
    char line[1024];
    std::snprintf(line, sizeof line, tr("What it takes: %s"), w->entry[tab].c_str());
    ui::TextWrapped(t.body(), p.text, line, w_avail);
    app.Say(line);
  }
  const float row_h = OpportunityRowHeight(t);
  for (const WayInGroup& g : w->groups[tab]) {
    char title[256];
    switch (g.why) {
      case WayInGroup::Why::kLeadsThere:
        std::snprintf(title, sizeof title, "%s", tr("These lead to this job"));
        break;
      case WayInGroup::Why::kStepOnTheWay:
        std::snprintf(title, sizeof title, tr("A step on the way: %s"), g.about.c_str());
        break;
      case WayInGroup::Why::kSameSubject:
        std::snprintf(title, sizeof title, tr("More in the same subject area: %s"),
                      g.about.c_str());
        break;
    }
    ImGui::Dummy(ImVec2(0, t.px(4)));
    ui::TextWrapped(t.heading(), p.text, title, w_avail);
    app.Say(title);
    for (const auto& row : g.rows) {
      if (OpportunityRow(app, row, w_avail, row_h)) app.Go(Screen::kDetail, row.rowid);
      app.Say(row.title + ", " + row.provider_name);
    }
  }
  if (w->groups[tab].empty()) {
    ImGui::Dummy(ImVec2(0, t.px(4)));
    ui::TextWrapped(t.heading(), p.text,
                    tr("Nothing for this way in is listed near here right now."), w_avail);
    app.Say(tr("Nothing for this way in is listed near here right now."));
  }
  // Never a dead end: the whole route, in this career's subject area.
  ImGui::Dummy(ImVec2(0, t.px(6)));
  char more[256];
  if (!w->subject_area.empty())
    std::snprintf(more, sizeof more, tr("Search everything in %s"), w->subject_area.c_str());
  else
    std::snprintf(more, sizeof more, "%s", tr("Search everything on this route"));
  if (ui::Button(t, more, ImVec2(0, 0), ui::ButtonKind::kSecondary))
    app.OpenSearch(RoutesOf(tab_), "", w->subject_area);
  ImGui::Dummy(ImVec2(0, t.px(8)));
  ui::EndScroll();
}

std::unique_ptr<View> MakeWaysInScreen() { return std::make_unique<WaysInScreen>(); }

}  // namespace signpost::kiosk
