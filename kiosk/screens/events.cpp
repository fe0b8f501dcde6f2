// Open days and events: upcoming open days, taster days, talks and fairs,
// and the school's own events (local pack), soonest first under "This
// week", "This month" and "Later", with the route
// chips shared equally (as Search does) and how far each is from the visitor
// (or the postcode they gave). A card opens the event (event.cpp). Also the
// event wording shared by the event, provider and detail screens.
//
// Index:
//   [SECTION] Event words
//   [SECTION] Screen
#include <algorithm>
#include <cstdio>
#include <ctime>
#include <utility>

#include "kiosk/i18n.h"
#include "kiosk/screens/screens.h"
#include "kiosk/ui.h"

namespace signpost::kiosk {

namespace cat = signpost::catalogue;
using namespace screens;

// [SECTION] Event words ------------------------------------------------------------------

namespace screens {

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

const char* EventLabel(const cat::EventRecord& e) {
  return IsSchoolEvent(e) ? tr("School event") : EventKindText(e.event.kind);
}

namespace {
// The local calendar day and time of a timestamp (the kiosk's time zone is
// the school's: events are stored in UTC).
std::tm Local(UnixTime ts) {
  std::time_t tt = static_cast<std::time_t>(ts);
  std::tm tm{};
  localtime_r(&tt, &tm);
  return tm;
}
}  // namespace

Day EventDay(const cat::Event& e) {
  const std::tm tm = Local(e.start);
  return DayFromCivil(tm.tm_year + 1900, static_cast<unsigned>(tm.tm_mon + 1),
                      static_cast<unsigned>(tm.tm_mday));
}

std::string EventWhen(const cat::Event& e, bool with_year) {
  std::string out = with_year ? HumanDate(EventDay(e), true) : EventShortDate(e);
  if (e.all_day) return out + ", " + tr("all day");
  auto hm = [](UnixTime ts) {
    const std::tm tm = Local(ts);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%d:%02d", tm.tm_hour, tm.tm_min);
    return std::string(buf);
  };
  if (e.end <= e.start) return out + ", " + hm(e.start);  // a start time only
  return out + ", " + hm(e.start) + " \xE2\x80\x93 " + hm(e.end);
}

std::string EventShortDate(const cat::Event& e) {
  // "Sat 19 Dec": the day name helps a family plan.
  const Day d = EventDay(e);
  const std::string full = HumanDate(d, true);  // "Sat 19 Dec 2026"
  const std::size_t last = full.rfind(' ');
  return last == std::string::npos ? full : full.substr(0, last);
}

void ToggleShortlist(App& app, const cat::EventRecord& e) {
  auto& list = app.session().shortlist;
  for (auto it = list.begin(); it != list.end(); ++it)
    if (it->rowid == e.rowid && it->kind == ShortlistItem::Kind::kEvent) {
      list.erase(it);
      return;
    }
  ShortlistItem item;
  item.kind = ShortlistItem::Kind::kEvent;
  item.rowid = e.rowid;
  item.title = std::string(EventLabel(e)) + ": " + e.event.title;
  item.provider = e.provider_name;
  item.contact = EventWhen(e.event, true);  // when (and the link says where to book)
  if (!e.event.location_name.empty()) item.contact += ", " + e.event.location_name;
  item.url = e.event.url;
  for (cat::Route r : cat::kAllRoutes)  // the first route it is about, for its colour
    if (e.event.routes & (1u << static_cast<int>(r))) {
      item.route = r;
      break;
    }
  list.push_back(std::move(item));
}

}  // namespace screens

// [SECTION] Screen ---------------------------------------------------------------------

namespace {

class EventsScreen : public View {
 public:
  void Draw(App& app) override;
  const char* Title() const override { return tr("Open days"); }
  std::string* TypingTarget(App&) override { return postcode_.open ? &postcode_.text : nullptr; }
  void OnReturn(App& app) override {
    if (!postcode_.open) return;
    postcode_.open = false;
    app.SetNearPostcode(postcode_.text);
  }
  bool KeyboardShowing(const App&) const override { return postcode_.open; }
  void OnLeave(App&) override { postcode_.open = false; }

 private:
  void Load(App& app);
  std::uint8_t routes_ = 0;  // the route chips, 1 << Route (0 = all)
  std::uint64_t version_ = 0;
  bool loading_ = false;
  bool loaded_ = false;
  std::vector<cat::EventRecord> list_;  // every upcoming event; the chips filter here
  std::uint8_t shown_routes_ = 0;       // what the list showed last frame
  PostcodeEntry postcode_;
};

void EventsScreen::Load(App& app) {
  if (loading_ || (loaded_ && version_ == app.data_version())) return;
  loading_ = true;
  version_ = app.data_version();
  Fetch<std::vector<cat::EventRecord>>(
      app.data(),
      [](Backend& b) {
        std::vector<cat::EventRecord> list;
        if (b.EnsureOpen())
          if (auto r = b.catalogue->UpcomingEvents(NowUnix(), 0, 300); r.ok())
            list = std::move(r.value());
        return list;
      },
      [this](std::vector<cat::EventRecord>&& list) {
        list_ = std::move(list);
        loading_ = false;
        loaded_ = true;
      });
}

bool Matches(const cat::Event& e, std::uint8_t routes) {
  return routes == 0 || e.routes == 0 || (e.routes & routes) != 0;  // general events: always
}

// "This week" (to Sunday), "This month", "Later".
int Period(Day d, Day today) {
  int y, ty;
  unsigned m, dd, tm, td;
  CivilFromDay(d, &y, &m, &dd);
  CivilFromDay(today, &ty, &tm, &td);
  const int weekday = ((today % 7) + 10) % 7;  // 0 = Monday (day 0 was a Thursday)
  if (d <= today + (6 - weekday)) return 0;
  if (y == ty && m == tm) return 1;
  return 2;
}

}  // namespace

void EventsScreen::Draw(App& app) {
  const Theme& t = app.theme();
  const Palette& p = t.p();
  Load(app);
  if (postcode_.open) {
    DrawPostcodeKeyboard(app, &postcode_);
    return;
  }
  // The chips count what each route would show (general events count everywhere).
  const std::vector<cat::EventRecord> school = SchoolEvents(app);
  std::array<std::int64_t, cat::kRouteCount> counts{};
  for (const std::vector<cat::EventRecord>* list : {&std::as_const(list_), &school})
    for (const auto& e : *list)
      for (cat::Route r : cat::kAllRoutes)
        if (Matches(e.event, static_cast<std::uint8_t>(1u << static_cast<int>(r))))
          ++counts[static_cast<std::size_t>(r)];
  DrawRouteChips(app, &routes_, loaded_ ? &counts : nullptr);
  ImGui::Dummy(ImVec2(0, t.px(2)));
  ImVec2 avail = ImGui::GetContentRegionAvail();
  ui::BeginScroll("##events", avail);
  if (routes_ != shown_routes_) {  // a new filter: its list starts at the top
    ImGui::SetScrollY(0);
    shown_routes_ = routes_;
  }
  float w = ImGui::GetContentRegionAvail().x;
  if (!loaded_) ui::Text(t.heading(), p.muted, tr("Loading\xE2\x80\xA6"));
  DrawNearMe(app, &postcode_, w);
  ImGui::Dummy(ImVec2(0, t.px(4)));
  // The feeds' events and the school's own, soonest first (general events,
  // as the school's are, show under every route chip).
  std::vector<const cat::EventRecord*> rows;
  rows.reserve(list_.size() + school.size());
  for (const auto& e : list_) rows.push_back(&e);
  for (const auto& e : school) rows.push_back(&e);
  std::stable_sort(rows.begin(), rows.end(),
                   [](const auto* a, const auto* b) { return a->event.start < b->event.start; });
  const Day today = TodayUtc();
  const float row_h = t.heading()->FontSize + 2 * t.small()->FontSize + t.px(30);
  int period = -1;
  int shown = 0;
  const std::optional<cat::GeoPoint> origin = app.Origin();
  for (const cat::EventRecord* row : rows) {
    const cat::EventRecord& e = *row;
    if (!Matches(e.event, routes_)) continue;
    if (const int now = Period(EventDay(e.event), today); now != period) {
      period = now;
      static const char* kPeriods[3] = {tr_noop("This week"), tr_noop("This month"),
                                        tr_noop("Later")};
      ImGui::Dummy(ImVec2(0, t.px(2)));
      ui::Text(t.heading(), p.text, tr(kPeriods[now]));
    }
    ++shown;
    ImGui::PushID(static_cast<int>(e.rowid));
    ImVec2 a, b;
    const ImU32 accent = IsSchoolEvent(e) ? p.subjects : p.events;
    if (ui::Card(t, "##event", ImVec2(w, row_h), accent, &a, &b)) app.Go(Screen::kEvent, e.rowid);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    // The words first (the card's label is its text, title first), then the date block.
    float block = row_h - t.px(16);
    float x = a.x + block + t.px(12);
    float tw = b.x - x;
    ImFont* sf = t.small();
    ui::DrawEllipsis(dl, t.heading(), ImVec2(x, a.y), tw, p.text, e.event.title.c_str());
    std::string line1 = std::string(EventLabel(e)) + "  \xC2\xB7  " + EventWhen(e.event, false);
    // Who and how far; venues are often named after the provider already.
    std::string line2 = e.provider_name.empty() ? e.event.location_name : e.provider_name;
    if (origin && e.event.location) {
      const std::string away = app.DistanceText(cat::DistanceKm(*origin, *e.event.location));
      line2 += (line2.empty() ? "" : "  \xC2\xB7  ") + away;
    }
    ui::DrawEllipsis(dl, sf, ImVec2(x, a.y + t.heading()->FontSize + t.px(4)), tw, p.muted,
                     line1.c_str());
    ui::DrawEllipsis(dl, sf, ImVec2(x, a.y + t.heading()->FontSize + sf->FontSize + t.px(8)), tw,
                     p.muted, line2.c_str());
    int y;
    unsigned m, d;
    CivilFromDay(EventDay(e.event), &y, &m, &d);
    ImVec2 bp(a.x, a.y);
    dl->AddRectFilled(bp, bp + ImVec2(block, block), WithAlpha(accent, 0.15f), t.px(8));
    char day[8];
    std::snprintf(day, sizeof day, "%u", d);
    ImFont* tf = t.title();
    ImVec2 ds = tf->CalcTextSizeA(tf->FontSize, FLT_MAX, 0, day);
    ui::DrawText(dl, tf, bp + ImVec2((block - ds.x) * 0.5f, t.px(4)), p.text, day);
    static const char* kMonths[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const char* mon = tr(kMonths[(m + 11) % 12]);
    ImVec2 ms = sf->CalcTextSizeA(sf->FontSize, FLT_MAX, 0, mon);
    ui::DrawText(dl, sf, bp + ImVec2((block - ms.x) * 0.5f, block - ms.y - t.px(6)), p.text, mon);
    if (shown <= 3) app.Say(e.event.title + ", " + EventWhen(e.event, false));
    ImGui::PopID();
  }
  if (loaded_ && shown == 0) {
    ui::TextWrapped(t.heading(), p.text,
                    routes_ ? tr("No events for these routes are listed yet.")
                            : tr("No events are listed yet. Ask your careers adviser about open "
                                 "days."));
    if (routes_ && ui::Button(t, tr("Show every event"), ImVec2(0, 0), ui::ButtonKind::kSecondary))
      routes_ = 0;
  }
  ImGui::Dummy(ImVec2(0, t.px(8)));
  ui::EndScroll();
}

std::unique_ptr<View> MakeEventsScreen() { return std::make_unique<EventsScreen>(); }

}  // namespace signpost::kiosk
