// One event (from a feed, or the school's own from its local pack): what it
// is, when (day and time), where and how far from the
// visitor, who runs it, the booking link as a QR code with the site it goes
// to written under it (ui::LinkQr), "Add to shortlist", and the way to the courses of
// the college that runs it. Landscape screens put the QR code in a column
// on the right; portrait screens stack it below.
#include <algorithm>
#include <cstdio>

#include "kiosk/i18n.h"
#include "kiosk/screens/screens.h"
#include "kiosk/ui.h"
#include "signpost/links.h"

namespace signpost::kiosk {

namespace cat = signpost::catalogue;
using namespace screens;

namespace {

struct EventView {
  std::int64_t rowid = 0;
  std::uint64_t version = 0;
  bool loading = false;
  bool missing = false;
  cat::EventRecord record;
};

class EventScreen : public View {
 public:
  void Draw(App& app) override;
  const char* Title() const override { return tr("Event"); }

 private:
  const EventView& Load(App& app, std::int64_t rowid);
  EventView view_;
};

const EventView& EventScreen::Load(App& app, std::int64_t rowid) {
  if (rowid < 0) {  // a school event: from the local content the app holds
    const LocalView& local = app.local_view();
    view_ = EventView{};
    view_.rowid = rowid;
    view_.version = app.data_version();
    view_.loading = !local.loaded;
    view_.missing = local.loaded;
    for (const auto& item : local.school)
      if (item.kind == cat::LocalKind::kSchoolEvent && -item.rowid == rowid) {
        view_.record = SchoolEventRecord(item);
        view_.missing = false;
      }
    return view_;
  }
  if (view_.rowid < 0) view_ = EventView{};  // was a school event (no fetch in flight)
  if (view_.loading || (view_.rowid == rowid && view_.version == app.data_version())) return view_;
  if (view_.rowid != rowid) view_ = EventView{};
  view_.rowid = rowid;
  view_.version = app.data_version();
  view_.loading = true;
  Fetch<EventView>(
      app.data(),
      [rowid](Backend& b) {
        EventView v;
        v.rowid = rowid;
        auto r = b.EnsureOpen() ? b.catalogue->GetEvent(rowid)
                                : Result<cat::EventRecord>(Status::NotFound("closed"));
        if (r.ok())
          v.record = std::move(r.value());
        else
          v.missing = true;
        return v;
      },
      [this](EventView&& v) {
        if (v.rowid != view_.rowid) return;
        v.version = view_.version;
        view_ = std::move(v);
      });
  return view_;
}

// "Courses at Riverbank College", or "Courses at this college" when the name
// would not fit the width.
const char* CoursesLabel(const Theme& t, const cat::EventRecord& r, float width) {
  static char label[256];
  std::snprintf(label, sizeof label, tr("Courses at %s"), r.provider_name.c_str());
  ImFont* f = t.chrome_bold();
  if (r.provider_name.empty() ||
      f->CalcTextSizeA(f->FontSize, FLT_MAX, 0, label).x + 2 * ImGui::GetStyle().FramePadding.x >
          width)
    std::snprintf(label, sizeof label, "%s", tr("Courses at this college"));
  return label;
}

void Fact(const Theme& t, const char* label, const std::string& value, float width) {
  if (value.empty()) return;
  ui::Text(t.small(), t.p().muted, label);
  ui::TextWrapped(t.heading(), t.p().text, value.c_str(), width);
  ImGui::Dummy(ImVec2(0, t.px(2)));
}

}  // namespace

void EventScreen::Draw(App& app) {
  const Theme& t = app.theme();
  const Palette& p = t.p();
  const std::int64_t id = app.session().nav.back().id;
  const EventView& v = Load(app, id);
  if (v.rowid != id || (v.loading && v.record.rowid != id)) {
    ui::Text(t.heading(), p.muted, tr("Loading\xE2\x80\xA6"));
    return;
  }
  if (v.missing) {
    ui::TextWrapped(t.heading(), p.text, tr("This event has just been updated or is over."));
    if (ui::Button(t, tr("Open days"))) app.Go(Screen::kEvents);
    return;
  }
  const cat::Event& e = v.record.event;
  // Only a plain http(s) link becomes a code (signpost/links.h).
  const std::string link = catalogue::WebLinkProblem(e.url).empty() ? e.url : std::string();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float top = ImGui::GetCursorPosY();
  const bool portrait = avail.y > avail.x;
  const float side_w = portrait ? 0 : std::clamp(avail.x * 0.32f, t.px(200), t.px(320));
  const float main_w = avail.x - (side_w > 0 ? side_w + t.gap() : 0);
  const float buttons_h = portrait ? 2 * t.touch() + t.gap() * 2 : 0;

  ui::BeginScroll("##event", ImVec2(main_w, avail.y - buttons_h));
  const float w = ImGui::GetContentRegionAvail().x;
  // Kind chip, title, who runs it.
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImVec2 pos = ImGui::GetCursorScreenPos();
  ImFont* cf = t.chrome_bold();
  const char* kind = EventLabel(v.record);
  ImVec2 ks = cf->CalcTextSizeA(cf->FontSize, FLT_MAX, 0, kind);
  dl->AddRectFilled(pos, pos + ImVec2(ks.x + t.px(20), ks.y + t.px(10)), p.events, t.px(6));
  ui::DrawText(dl, cf, pos + ImVec2(t.px(10), t.px(5)), t.high_contrast() ? p.bg : IM_COL32_WHITE,
               kind);
  ImGui::Dummy(ImVec2(ks.x + t.px(20), ks.y + t.px(10)));
  ui::TextWrapped(t.title(), p.text, e.title.c_str(), w);
  if (!v.record.provider_name.empty())
    ui::TextWrapped(t.heading(), p.muted, v.record.provider_name.c_str(), w);
  // Both ways: from the event to everything its college offers.
  if (!portrait && !e.provider_id.empty() &&
      ui::Button(t, CoursesLabel(t, v.record, w), ImVec2(0, 0), ui::ButtonKind::kSecondary))
    app.Go(Screen::kProvider, 0, e.provider_id);
  app.Say(std::string(kind) + ": " + e.title);
  ImGui::Dummy(ImVec2(0, t.px(6)));
  const std::string when = EventWhen(e, true);
  std::string where = e.location_name;
  if (!e.postcode.empty() && where.find(e.postcode) == std::string::npos)
    where += (where.empty() ? "" : ", ") + e.postcode;
  if (const auto origin = app.Origin(); origin && e.location) {
    const std::string away = app.DistanceText(cat::DistanceKm(*origin, *e.location));
    char buf[160];
    std::snprintf(buf, sizeof buf, " (%s %s)", away.c_str(), DistancesFrom(app).c_str());
    where += buf;
  }
  Fact(t, tr("When"), when, w);
  Fact(t, tr("Where"), where, w);
  app.Say(std::string(tr("When")) + ": " + when);
  app.Say(std::string(tr("Where")) + ": " + where);
  if (e.routes) {
    std::string about;
    for (cat::Route r : cat::kAllRoutes)
      if (e.routes & (1u << static_cast<int>(r)))
        about += (about.empty() ? "" : ", ") + std::string(RouteName(r));
    Fact(t, tr("About"), about, w);
  }
  ui::Field(t, tr("What it is"), e.description);
  app.Say(e.description);
  if (portrait && !link.empty()) {
    ui::Text(t.heading(), p.text, tr("Scan to book on your phone"));
    ui::LinkQr(t, link, std::min(w, t.px(220)));
  }
  ImGui::Dummy(ImVec2(0, t.px(8)));
  ui::EndScroll();

  const bool listed = app.session().Shortlisted(v.record.rowid, ShortlistItem::Kind::kEvent);
  const char* sl =
      listed ? tr("\xE2\x98\x85 On your shortlist") : tr("\xE2\x98\x86 Add to shortlist");
  const float col_w = portrait ? avail.x : side_w;
  if (portrait) {
    if (ui::Button(t, sl, ImVec2(col_w, t.touch()),
                   listed ? ui::ButtonKind::kSecondary : ui::ButtonKind::kPrimary))
      ToggleShortlist(app, v.record);
    if (!e.provider_id.empty() && ui::Button(t, CoursesLabel(t, v.record, col_w),
                                             ImVec2(col_w, t.touch()), ui::ButtonKind::kSecondary))
      app.Go(Screen::kProvider, 0, e.provider_id);
    return;
  }
  // Landscape: the shortlist button, then the booking code as big as the
  // column allows (a code is read off the panel at arm's length).
  ImGui::SameLine(0, t.gap());
  ImGui::BeginGroup();
  if (ui::Button(t, sl, ImVec2(col_w, t.touch()),
                 listed ? ui::ButtonKind::kSecondary : ui::ButtonKind::kPrimary))
    ToggleShortlist(app, v.record);
  if (!link.empty()) {
    ImGui::Dummy(ImVec2(0, t.px(2)));
    ui::TextWrapped(t.chrome_bold(), p.text, tr("Scan to book on your phone"), col_w);
    // Room under the code for "Opens <host>", wrapped at the column.
    const float host_h = ui::LinkQrCaptionHeight(t, link, col_w) + ImGui::GetStyle().ItemSpacing.y;
    const float qr = std::min(col_w, top + avail.y - ImGui::GetCursorPosY() - host_h - t.px(8));
    ui::LinkQr(t, link, std::max(qr, t.px(110)), col_w);
  }
  ImGui::EndGroup();
}

std::unique_ptr<View> MakeEventScreen() { return std::make_unique<EventScreen>(); }

}  // namespace signpost::kiosk
