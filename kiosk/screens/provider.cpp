// One college, sixth form, university or training provider: where it is and
// how far, its upcoming open days (each opens the event), and every course
// and apprenticeship it lists, with the route chips shared equally. Reached
// from an event ("Courses at this college") and from a course's detail.
#include <algorithm>
#include <cstdio>

#include "kiosk/i18n.h"
#include "kiosk/screens/screens.h"
#include "kiosk/ui.h"

namespace signpost::kiosk {

namespace cat = signpost::catalogue;
using namespace screens;

namespace {

struct ProviderView {
  std::string id;
  std::uint64_t version = 0;
  bool loading = false;
  bool missing = false;
  cat::Provider provider;
  std::vector<cat::EventRecord> events;       // the next two, soonest first
  std::vector<cat::OpportunitySummary> rows;  // by route, then title
  std::optional<double> distance_km;          // from the visitor
};

class ProviderScreen : public View {
 public:
  void Draw(App& app) override;
  const char* Title() const override { return tr("Where to study"); }
  void OnEnter(App&, std::int64_t) override { routes_ = 0; }

 private:
  const ProviderView& Load(App& app, const std::string& id);
  ProviderView view_;
  std::uint8_t routes_ = 0;  // the route chips (0 = all)
  std::uint8_t shown_routes_ = 0;
};

const ProviderView& ProviderScreen::Load(App& app, const std::string& id) {
  if (view_.loading || (view_.id == id && view_.version == app.data_version())) return view_;
  if (view_.id != id) view_ = ProviderView{};
  view_.id = id;
  view_.version = app.data_version();
  view_.loading = true;
  Fetch<ProviderView>(
      app.data(),
      [id, near = app.NearPoint()](Backend& b) {
        ProviderView v;
        v.id = id;
        if (!b.EnsureOpen()) {
          v.missing = true;
          return v;
        }
        auto p = b.catalogue->GetProvider(id);
        if (!p.ok()) {
          v.missing = true;
          return v;
        }
        v.provider = std::move(p.value());
        const auto origin = b.OriginFor(near);
        if (origin && v.provider.location)
          v.distance_km = cat::DistanceKm(*origin, *v.provider.location);
        if (auto e = b.catalogue->EventsForProvider(id, NowUnix(), 2); e.ok())
          v.events = std::move(e.value());
        if (auto ids = b.catalogue->OpportunitiesForProvider(id, 500); ids.ok())
          if (auto s = b.engine->Summaries(ids.value(), origin); s.ok())
            v.rows = std::move(s.value());
        std::stable_sort(v.rows.begin(), v.rows.end(), [](const auto& x, const auto& y) {
          return x.route != y.route ? x.route < y.route : x.title < y.title;
        });
        return v;
      },
      [this](ProviderView&& v) {
        if (v.id != view_.id) return;
        v.version = view_.version;
        view_ = std::move(v);
      });
  return view_;
}

}  // namespace

void ProviderScreen::Draw(App& app) {
  const Theme& t = app.theme();
  const Palette& p = t.p();
  const std::string& id = app.session().nav.back().key;
  if (id.empty()) {
    ui::TextWrapped(t.heading(), p.text,
                    tr("Open an event or a course to see the college that runs it."));
    if (ui::Button(t, tr("Open days"))) app.Go(Screen::kEvents);
    return;
  }
  const ProviderView& v = Load(app, id);
  if (v.id != id || (v.loading && v.provider.id != id)) {
    ui::Text(t.heading(), p.muted, tr("Loading\xE2\x80\xA6"));
    return;
  }
  if (v.missing) {
    ui::TextWrapped(t.heading(), p.text, tr("This college or provider is no longer listed."));
    if (ui::Button(t, tr("Back"))) app.Back();
    return;
  }
  const float width = ImGui::GetContentRegionAvail().x;
  ui::TextWrapped(t.title(), p.text, v.provider.name.c_str(), width);
  app.Say(v.provider.name);
  std::string where = v.provider.town;
  if (v.distance_km)
    where += (where.empty() ? "" : "  \xC2\xB7  ") + app.DistanceText(v.distance_km) + " " +
             DistancesFrom(app);
  if (!where.empty()) ui::TextWrapped(t.body(), p.muted, where.c_str(), width);
  // Its upcoming open days and events, each a tap away.
  for (const auto& e : v.events) {
    ImGui::PushID(static_cast<int>(e.rowid));
    char label[256];
    std::snprintf(label, sizeof label, "%s %s  \xE2\x86\x92", EventKindText(e.event.kind),
                  EventShortDate(e.event).c_str());
    if (ui::Button(t, label, ImVec2(0, 0), ui::ButtonKind::kSecondary))
      app.Go(Screen::kEvent, e.rowid);
    ImGui::PopID();
    ImGui::SameLine();
    if (ImGui::GetContentRegionAvail().x < t.px(200)) ImGui::NewLine();
  }
  if (!v.events.empty()) ImGui::NewLine();
  std::array<std::int64_t, cat::kRouteCount> counts{};
  for (const auto& r : v.rows) ++counts[static_cast<std::size_t>(r.route)];
  DrawRouteChips(app, &routes_, &counts);
  ImGui::Dummy(ImVec2(0, t.px(2)));
  ui::BeginScroll("##provider", ImGui::GetContentRegionAvail());
  if (routes_ != shown_routes_) {
    ImGui::SetScrollY(0);
    shown_routes_ = routes_;
  }
  const float w = ImGui::GetContentRegionAvail().x;
  const float row_h = OpportunityRowHeight(t);
  int shown = 0;
  for (const auto& row : v.rows) {
    if (routes_ && !(routes_ & (1u << static_cast<int>(row.route)))) continue;
    if (OpportunityRow(app, row, w, row_h)) app.Go(Screen::kDetail, row.rowid);
    if (++shown <= 3) app.Say(row.title);
  }
  if (shown == 0)
    ui::TextWrapped(t.body(), p.text, tr("Nothing on this route is listed here right now."), w);
  const std::string contact =
      v.provider.phone.empty() ? v.provider.website
                               : std::string(tr("Phone")) + " " + v.provider.phone +
                                     (v.provider.website.empty() ? "" : "\n" + v.provider.website);
  ImGui::Dummy(ImVec2(0, t.px(6)));
  ui::Field(t, tr("How to find out more"), contact);
  ui::EndScroll();
}

std::unique_ptr<View> MakeProviderScreen() { return std::make_unique<ProviderScreen>(); }

}  // namespace signpost::kiosk
