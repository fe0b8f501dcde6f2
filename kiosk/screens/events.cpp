// Events: upcoming open days and taster events, soonest first, with route
// chips to narrow them down. Each card shows a date block, the title, who
// runs it and where.
#include <cstdio>

#include "kiosk/i18n.h"
#include "kiosk/screens/screens.h"
#include "kiosk/ui.h"

namespace signpost::kiosk {

namespace cat = signpost::catalogue;
using namespace screens;

namespace {

class EventsScreen : public View {
 public:
  void Draw(App& app) override;
  const char* Title() const override { return tr("Open days"); }

 private:
  void Load(App& app);
  std::uint8_t routes_ = 0;         // the route chips, 1 << Route
  std::uint8_t loaded_routes_ = 0;  // what `list_` answers
  std::uint64_t version_ = 0;
  bool loading_ = false;
  bool loaded_ = false;
  std::vector<cat::EventRecord> list_;
};

void EventsScreen::Load(App& app) {
  if (loading_) return;
  if (loaded_ && loaded_routes_ == routes_ && version_ == app.data_version()) return;
  loading_ = true;
  loaded_routes_ = routes_;
  version_ = app.data_version();
  Fetch<std::vector<cat::EventRecord>>(
      app.data(),
      [routes = routes_](Backend& b) {
        std::vector<cat::EventRecord> list;
        if (b.EnsureOpen())
          if (auto r = b.catalogue->UpcomingEvents(NowUnix(), routes, 100); r.ok())
            list = std::move(r.value());
        return list;
      },
      [this](std::vector<cat::EventRecord>&& list) {
        list_ = std::move(list);
        loading_ = false;
        loaded_ = true;
      });
}

const char* EventKindText(cat::EventKind k) {
  switch (k) {
    case cat::EventKind::kOpenDay:
      return tr("Open day");
    case cat::EventKind::kTasterDay:
      return tr("Taster day");
    case cat::EventKind::kCareersFair:
      return tr("Careers fair");
    case cat::EventKind::kTalk:
      return tr("Talk");
    case cat::EventKind::kOther:
      return tr("Event");
  }
  return "";
}

std::string TimeText(const cat::Event& e) {
  if (e.all_day) return tr("All day");
  auto hm = [](UnixTime ts) {
    // Times are shown in UTC as stored; the kiosk's timezone is the school's.
    std::time_t tt = static_cast<std::time_t>(ts);
    std::tm tm{};
    localtime_r(&tt, &tm);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%d:%02d", tm.tm_hour, tm.tm_min);
    return std::string(buf);
  };
  return hm(e.start) + " \xE2\x80\x93 " + hm(e.end);
}

}  // namespace

void EventsScreen::Draw(App& app) {
  const Theme& t = app.theme();
  const Palette& p = t.p();
  std::uint8_t& routes = routes_;
  Load(app);
  struct {
    bool loaded;
    const std::vector<cat::EventRecord>& list;
  } v{loaded_, list_};
  ui::BeginScroll("##eventchips", ImVec2(0, t.touch() + t.px(2)), true);
  if (ui::Chip(t, tr("All"), routes == 0)) routes = 0;
  for (cat::Route r : cat::kAllRoutes) {
    ImGui::SameLine(0, t.px(8));
    std::uint8_t bit = static_cast<std::uint8_t>(1u << static_cast<int>(r));
    if (ui::Chip(t, RouteName(r), routes & bit, -1, t.RouteColour(r))) routes ^= bit;
  }
  ui::EndScroll();
  ImVec2 avail = ImGui::GetContentRegionAvail();
  ui::BeginScroll("##events", avail);
  if (!v.loaded) ui::Text(t.heading(), p.muted, tr("Loading\xE2\x80\xA6"));
  if (v.loaded && v.list.empty())
    ui::TextWrapped(t.heading(), p.text,
                    tr("No events are listed yet. Ask your careers adviser about open days."));
  float w = ImGui::GetContentRegionAvail().x;
  if (routes == 0) DrawSchoolEvents(app, w);  // the school's own careers events first
  float row_h = t.heading()->FontSize + 2 * t.small()->FontSize + t.px(30);
  static const char* kMonths[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  for (const auto& e : v.list) {
    ImGui::PushID(static_cast<int>(e.rowid));
    ImVec2 a, b;
    ui::Card(t, "##event", ImVec2(w, row_h), p.events, &a, &b);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    int y;
    unsigned m, d;
    CivilFromDay(DayOf(e.event.start), &y, &m, &d);
    // Date block.
    float block = row_h - t.px(16);
    ImVec2 bp(a.x, a.y);
    dl->AddRectFilled(bp, bp + ImVec2(block, block), WithAlpha(p.events, 0.15f), t.px(8));
    char day[8];
    std::snprintf(day, sizeof day, "%u", d);
    ImFont* tf = t.title();
    ImVec2 ds = tf->CalcTextSizeA(tf->FontSize, FLT_MAX, 0, day);
    ui::DrawText(dl, tf, bp + ImVec2((block - ds.x) * 0.5f, t.px(4)), p.text, day);
    const char* mon = tr(kMonths[(m + 11) % 12]);
    ImFont* sf = t.small();
    ImVec2 ms = sf->CalcTextSizeA(sf->FontSize, FLT_MAX, 0, mon);
    ui::DrawText(dl, sf, bp + ImVec2((block - ms.x) * 0.5f, block - ms.y - t.px(6)), p.text, mon);
    float x = a.x + block + t.px(12);
    float tw = b.x - x;
    ui::DrawEllipsis(dl, t.heading(), ImVec2(x, a.y), tw, p.text, e.event.title.c_str());
    std::string line1 = std::string(EventKindText(e.event.kind)) + "  \xC2\xB7  " +
                        HumanDate(DayOf(e.event.start)) + ", " + TimeText(e.event);
    // Who and where; venues are often named after the provider already.
    const std::string& where = e.event.location_name;
    std::string line2 = e.provider_name;
    if (!where.empty() && (line2.empty() || where.find(line2) != std::string::npos))
      line2 = where;
    else if (!where.empty())
      line2 += "  \xC2\xB7  " + where;
    ui::DrawEllipsis(dl, sf, ImVec2(x, a.y + t.heading()->FontSize + t.px(4)), tw, p.muted,
                     line1.c_str());
    ui::DrawEllipsis(dl, sf, ImVec2(x, a.y + t.heading()->FontSize + sf->FontSize + t.px(8)), tw,
                     p.muted, line2.c_str());
    ImGui::PopID();
  }
  if (!v.list.empty()) app.Say(v.list.front().event.title);
  ui::EndScroll();
}

std::unique_ptr<View> MakeEventsScreen() { return std::make_unique<EventsScreen>(); }

}  // namespace signpost::kiosk
