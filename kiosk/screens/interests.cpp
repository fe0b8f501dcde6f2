// "Start from what you enjoy": choose one to three interests, then see the
// careers and every route that fits them (interests.h).
//
// Index:
//   [SECTION] Finding what fits (data worker)
//   [SECTION] Screen
#include "kiosk/screens/interests.h"

#include <algorithm>
#include <cfloat>
#include <cstdio>
#include <unordered_set>

#include "kiosk/app.h"
#include "kiosk/i18n.h"
#include "kiosk/screens/screens.h"
#include "kiosk/ui.h"

namespace signpost::kiosk {

namespace cat = signpost::catalogue;
using namespace screens;

// [SECTION] Finding what fits (data worker) -----------------------------------------

namespace {

std::uint64_t Mix(std::uint64_t x) {  // splitmix64: the session's fair shuffle
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

bool InFamily(const std::string& soc, const Interest& in) {
  return !soc.empty() && std::any_of(in.soc.begin(), in.soc.end(), [&](const char* prefix) {
    return soc.compare(0, std::char_traits<char>::length(prefix), prefix) == 0;
  });
}

// At most this many job profiles are read to find the careers that fit (the
// National Careers Service lists about 800).
constexpr int kCareersRead = 5000;

}  // namespace

InterestMatches FindForInterests(Backend& b, const std::vector<std::string>& keys,
                                 std::uint8_t routes, std::int64_t rows, std::uint64_t seed,
                                 const std::optional<cat::GeoPoint>& near) {
  InterestMatches m;
  m.keys = keys;
  m.routes = routes;
  std::vector<const Interest*> chosen;
  for (const std::string& k : keys)
    if (const Interest* in = FindInterest(k)) chosen.push_back(in);
  if (chosen.empty()) return m;
  if (!b.EnsureOpen()) {
    m.failed = true;
    return m;
  }
  // Careers: each interest's family in the session's fair order, the
  // interests taking turns so the first one chosen does not fill the list.
  if (auto all = b.catalogue->SearchCareers("", kCareersRead); all.ok()) {
    std::vector<std::vector<const cat::CareerRecord*>> per(chosen.size());
    for (const cat::CareerRecord& c : all.value())
      for (std::size_t i = 0; i < chosen.size(); ++i)
        if (InFamily(c.career.soc_code, *chosen[i])) per[i].push_back(&c);
    for (auto& list : per)
      std::sort(list.begin(), list.end(), [&](const auto* x, const auto* y) {
        return Mix(seed ^ static_cast<std::uint64_t>(x->rowid)) <
               Mix(seed ^ static_cast<std::uint64_t>(y->rowid));
      });
    std::unordered_set<std::int64_t> seen;
    for (std::size_t turn = 0;; ++turn) {
      bool any = false;
      for (const auto& list : per) {
        if (turn >= list.size()) continue;
        any = true;
        if (seen.insert(list[turn]->rowid).second)
          m.careers.emplace_back(list[turn]->rowid, list[turn]->career.title);
      }
      if (!any) break;
    }
  } else {
    m.failed = true;
  }
  // Courses, apprenticeships and university: a browse of their subject
  // areas (no words), which interleaves the routes as Search does.
  cat::SearchRequest req;
  for (const Interest* in : chosen)
    for (const char* area : in->areas)
      if (std::find(req.subject_areas.begin(), req.subject_areas.end(), area) ==
          req.subject_areas.end())
        req.subject_areas.emplace_back(area);
  req.routes = routes;
  req.origin = b.OriginFor(near);
  req.session_seed = seed;
  auto r = b.engine->Search(req);
  if (!r.ok()) {
    m.failed = true;
    return m;
  }
  m.total = r->size();
  m.route_counts = r->facets().route;
  if (auto s = b.engine->Summaries(r->Rows(0, std::min(rows, m.total)), req.origin); s.ok())
    m.rows = std::move(s.value());
  return m;
}

// [SECTION] Screen ----------------------------------------------------------------------

namespace {

class InterestsScreen : public View {
 public:
  void Draw(App& app) override;
  const char* Title() const override { return tr("Interests"); }
  void OnEnter(App& app, std::int64_t id) override;

 private:
  static constexpr std::int64_t kPage = 30;  // result rows fetched at a time
  const InterestMatches* Load(App& app);
  void DrawChoose(App& app);
  void DrawResults(App& app);
  // The chips of every interest, flowing across the width.
  void DrawInterestChips(App& app);

  std::vector<std::string> chosen_;  // interest keys, in the order tapped
  std::uint8_t routes_ = 0;          // the route chips (0 = all)
  std::int64_t rows_wanted_ = kPage;
  bool scroll_top_ = false;
  float chips_h_ = 0;  // the chips' height last frame
  InterestMatches matches_;
  bool loading_ = false;
  bool loaded_ = false;
};

void InterestsScreen::OnEnter(App& app, std::int64_t id) {
  (void)app;
  if (id == 1) scroll_top_ = true;  // a fresh list of results starts at the top
}

const InterestMatches* InterestsScreen::Load(App& app) {
  const bool fresh =
      loaded_ && matches_.keys == chosen_ && matches_.routes == routes_ &&
      matches_.version == app.data_version() &&
      static_cast<std::int64_t>(matches_.rows.size()) >= std::min(rows_wanted_, matches_.total);
  if (!fresh && !loading_ && !chosen_.empty()) {
    loading_ = true;
    Fetch<InterestMatches>(
        app.data(),
        [keys = chosen_, routes = routes_, rows = rows_wanted_, seed = app.session().seed,
         near = app.NearPoint()](Backend& b) {
          return FindForInterests(b, keys, routes, rows, seed, near);
        },
        [this, version = app.data_version()](InterestMatches&& m) {
          loading_ = false;
          m.version = version;
          matches_ = std::move(m);
          loaded_ = true;
        });
  }
  return loaded_ && matches_.keys == chosen_ ? &matches_ : nullptr;
}

void InterestsScreen::DrawInterestChips(App& app) {
  const Theme& t = app.theme();
  const float right = ImGui::GetWindowPos().x + ImGui::GetContentRegionMax().x;
  bool first = true;
  for (const Interest& in : Interests()) {
    const char* label = tr(in.label);
    if (!first && ImGui::GetItemRectMax().x + t.px(10) + ui::ChipWidth(t, label) < right)
      ImGui::SameLine(0, t.px(10));
    first = false;
    const auto it = std::find(chosen_.begin(), chosen_.end(), in.key);
    const bool on = it != chosen_.end();
    // Up to three at once: the others wait until one is taken off.
    const bool can = on || chosen_.size() < kMaxInterests;
    ImGui::PushID(in.key);
    if (ui::Chip(t, label, on, -1, 0, can)) {
      if (on)
        chosen_.erase(it);
      else
        chosen_.push_back(in.key);
      rows_wanted_ = kPage;
    }
    ImGui::PopID();
  }
}

void InterestsScreen::DrawChoose(App& app) {
  const Theme& t = app.theme();
  const Palette& p = t.p();
  const float width = ImGui::GetContentRegionAvail().x;
  const char* heading = tr("What do you enjoy? Choose up to three.");
  const char* show = tr("Show what fits");
  app.Say(heading);
  // "Show what fits" once something is chosen: beside the heading when both
  // fit on one line (the chips keep the height), else below the chips,
  // always in view (the chips scroll; their height is last frame's).
  const float gap = t.px(16);
  ImFont* bf = t.chrome_bold();  // ui::Button's
  const float button_w = bf->CalcTextSizeA(bf->FontSize, FLT_MAX, 0, show).x +
                         ImGui::GetStyle().FramePadding.x * 2 + t.px(8);
  const float button_h = t.touch() + t.px(4);
  const bool any = !chosen_.empty();
  ImFont* hf = t.heading();
  const bool beside =
      hf->CalcTextSizeA(hf->FontSize, FLT_MAX, 0, heading).x + gap + button_w <= width;
  bool go = false;
  if (beside) {
    const ImVec2 at = ImGui::GetCursorPos();
    ImGui::SetCursorPosY(at.y + (button_h - hf->FontSize) * 0.5f);
    ui::Text(hf, p.text, heading);
    const float y = at.y;
    if (any) {
      ImGui::SameLine();
      ImGui::SetCursorPos(ImVec2(at.x + width - button_w, y));
      go = ui::Button(t, show, ImVec2(button_w, button_h));
    } else {
      ImGui::SetCursorPosY(y + button_h + ImGui::GetStyle().ItemSpacing.y);
    }
  } else {
    ui::TextWrapped(t.heading(), p.text, heading, width);
  }
  const float foot = any && !beside ? button_h + t.px(10) : 0;
  const float room = ImGui::GetContentRegionAvail().y - foot;
  const float list_h = chips_h_ > 0 ? std::min(room, chips_h_) : room;
  ui::BeginScroll("##interests", ImVec2(width, std::max(list_h, t.touch())));
  DrawInterestChips(app);
  ImGui::Dummy(ImVec2(0, t.px(6)));
  chips_h_ = ImGui::GetCursorPosY() + ImGui::GetStyle().WindowPadding.y;
  ui::EndScroll();
  Load(app);  // ready by the time they tap the button
  if (any && !beside) {
    ImGui::Dummy(ImVec2(0, t.px(2)));
    go = ui::Button(t, show, ImVec2(width, button_h));
  }
  if (go) app.Go(Screen::kInterests, 1);
}

void InterestsScreen::DrawResults(App& app) {
  const Theme& t = app.theme();
  const Palette& p = t.p();
  // What the results are for: each interest is removable; "Change" goes
  // back to all of them.
  const float right = ImGui::GetWindowPos().x + ImGui::GetContentRegionMax().x;
  std::string said;
  for (std::size_t i = 0; i < chosen_.size(); ++i) {
    const Interest* in = FindInterest(chosen_[i]);
    if (!in) continue;
    const char* label = tr(in->label);
    said += (said.empty() ? "" : ", ") + std::string(label);
    if (i && ImGui::GetItemRectMax().x + t.px(10) + ui::ChipWidth(t, label) + t.px(30) < right)
      ImGui::SameLine(0, t.px(10));
    ImGui::PushID(in->key);
    if (ui::RemovableChip(t, label)) {
      chosen_.erase(chosen_.begin() + static_cast<std::ptrdiff_t>(i));
      rows_wanted_ = kPage;
      scroll_top_ = true;
      ImGui::PopID();
      if (chosen_.empty()) app.Back();
      return;
    }
    ImGui::PopID();
  }
  const char* change = tr("Change");
  if (ImGui::GetItemRectMax().x + t.px(10) + ui::ChipWidth(t, change) + t.px(30) < right)
    ImGui::SameLine(0, t.px(10));
  if (ui::Button(t, change, ImVec2(0, 0), ui::ButtonKind::kSecondary)) {
    app.Back();
    return;
  }
  const InterestMatches* m = Load(app);
  if (!m) {
    ui::Text(t.heading(), p.muted, tr("Loading\xE2\x80\xA6"));
    return;
  }
  ui::BeginScroll("##fits", ImGui::GetContentRegionAvail());
  if (scroll_top_) {
    ImGui::SetScrollY(0);
    scroll_top_ = false;
  }
  const float w = ImGui::GetContentRegionAvail().x;
  char line[256];
  std::snprintf(line, sizeof line, tr("What fits: %s"), said.c_str());
  app.Say(line);
  if (m->failed)
    ui::TextWrapped(t.body(), p.text,
                    tr("Sorry, the course list is not available right now. Please ask a member of "
                       "staff."),
                    w);
  const bool one_row = ImGui::GetContentRegionAvail().y < t.touch() * 10;  // a short screen
  // Careers first, as Search's first screen has them: on a short screen in
  // one row that scrolls sideways, so the courses start on the first screen.
  if (!m->careers.empty()) {
    ui::Text(t.heading(), p.text, tr("Careers that fit"));
    if (one_row) ui::BeginScroll("##careers", ImVec2(w, t.touch() + t.px(2)), true);
    const float chips_right = ImGui::GetWindowPos().x + ImGui::GetContentRegionMax().x;
    for (std::size_t i = 0; i < m->careers.size(); ++i) {
      const auto& [rowid, title] = m->careers[i];
      if (i && (one_row || ImGui::GetItemRectMax().x + t.px(10) +
                                   ui::ChipWidth(t, title.c_str(), -1, p.careers) <
                               chips_right))
        ImGui::SameLine(0, t.px(10));
      ImGui::PushID(static_cast<int>(rowid));
      if (ui::Chip(t, title.c_str(), false, -1, p.careers)) app.Go(Screen::kCareer, rowid);
      ImGui::PopID();
    }
    if (one_row) ui::EndScroll();
    ImGui::Dummy(ImVec2(0, t.px(6)));
  }
  // Every route, the chips sharing their row equally, the list interleaved.
  // (On a short screen the route chips say it: the rows start sooner.)
  if (!one_row)
    ui::TextWrapped(t.heading(), p.text, tr("Courses, apprenticeships and university"), w);
  const std::uint8_t routes_before = routes_;
  DrawRouteChips(app, &routes_, &m->route_counts);
  if (routes_ != routes_before) rows_wanted_ = kPage;
  ImGui::Dummy(ImVec2(0, t.px(4)));
  const float row_h = OpportunityRowHeight(t);
  int said_rows = 0;
  for (const auto& row : m->rows) {
    if (OpportunityRow(app, row, w, row_h)) app.Go(Screen::kDetail, row.rowid);
    if (++said_rows <= 3) app.Say(row.title + ", " + row.provider_name);
  }
  if (m->rows.empty() && !m->failed) {
    ui::TextWrapped(t.body(), p.text, tr("Nothing on this route is listed here right now."), w);
  } else if (static_cast<std::int64_t>(m->rows.size()) < m->total) {
    ImGui::Dummy(ImVec2(0, t.px(4)));
    if (ui::Button(t, tr("Show more"), ImVec2(0, 0), ui::ButtonKind::kSecondary))
      rows_wanted_ = static_cast<std::int64_t>(m->rows.size()) + kPage;
  }
  ImGui::Dummy(ImVec2(0, t.px(8)));
  ui::EndScroll();
}

}  // namespace

void InterestsScreen::Draw(App& app) {
  if (app.session().nav.back().id == 1 && !chosen_.empty())
    DrawResults(app);
  else
    DrawChoose(app);
}

std::unique_ptr<View> MakeInterestsScreen() { return std::make_unique<InterestsScreen>(); }

}  // namespace signpost::kiosk
