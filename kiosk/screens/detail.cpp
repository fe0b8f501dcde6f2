// Detail: everything a student needs about one opportunity — what it is, the
// level in plain words, provider, where and how far, when it starts or
// closes, entry requirements, wage, cost, what it leads to — plus a QR code
// to open it on a phone and the shortlist button. Landscape screens put the
// QR code in a right-hand column; portrait screens stack it below the facts.
#include <algorithm>
#include <cstdio>

#include "kiosk/i18n.h"
#include "kiosk/screens/course_outcomes.h"
#include "kiosk/screens/screens.h"
#include "kiosk/ui.h"
#include "signpost/links.h"

namespace signpost::kiosk {

namespace cat = signpost::catalogue;
using namespace screens;

namespace {

// One opportunity with its provider and the careers it leads to.
struct DetailView {
  std::int64_t rowid = 0;
  std::uint64_t version = 0;
  bool loading = false;
  bool missing = false;  // removed by a refresh, or not found
  catalogue::OpportunityRecord record;
  std::vector<catalogue::CareerRecord> careers;
  std::vector<catalogue::EventRecord> events;  // the provider's upcoming open days
};

class DetailScreen : public View {
 public:
  void Draw(App& app) override;
  const char* Title() const override { return tr("Details"); }

 private:
  DetailView& Load(App& app, std::int64_t rowid);
  DetailView view_;
};

DetailView& DetailScreen::Load(App& app, std::int64_t rowid) {
  if (view_.loading) return view_;
  if (view_.rowid == rowid && view_.version == app.data_version()) return view_;
  if (view_.rowid != rowid) view_ = DetailView{};
  view_.rowid = rowid;
  view_.version = app.data_version();
  view_.loading = true;
  Fetch<DetailView>(
      app.data(),
      [rowid](Backend& b) {
        DetailView v;
        v.rowid = rowid;
        if (!b.EnsureOpen()) {
          v.missing = true;
          return v;
        }
        auto r = b.catalogue->GetOpportunity(rowid);
        if (!r.ok()) {
          v.missing = true;
          return v;
        }
        v.record = std::move(r.value());
        if (!v.record.opportunity.soc_codes.empty())
          if (auto c = b.catalogue->CareersBySoc(v.record.opportunity.soc_codes); c.ok())
            v.careers = std::move(c.value());
        if (auto e = b.catalogue->EventsForProvider(v.record.provider.id, NowUnix(), 2); e.ok())
          v.events = std::move(e.value());
        return v;
      },
      [this, &app](DetailView&& v) {
        if (view_.rowid != v.rowid) return;
        if (!v.missing)
          app.usage().OnOpportunity(v.rowid, v.record.opportunity.route,
                                    v.record.opportunity.subject_area);
        v.version = view_.version;
        view_ = std::move(v);
      });
  return view_;
}

void Fact(const Theme& t, const char* label, const std::string& value, float width) {
  if (value.empty()) return;
  const Palette& p = t.p();
  ImGui::BeginGroup();
  ui::Text(t.small(), p.muted, label);
  ui::TextWrapped(t.heading(), p.text, value.c_str(), width);
  ImGui::EndGroup();
}

}  // namespace

void DetailScreen::Draw(App& app) {
  const Theme& t = app.theme();
  const Palette& p = t.p();
  std::int64_t id = app.session().nav.back().id;
  DetailView& v = Load(app, id);
  if (v.rowid != id || (v.loading && v.record.rowid != id)) {
    ui::Text(t.heading(), p.muted, tr("Loading\xE2\x80\xA6"));
    return;
  }
  if (v.missing) {
    ui::TextWrapped(t.heading(), p.text,
                    tr("This course or job has just been updated or is no longer listed."));
    if (ui::Button(t, tr("Back to the list"))) app.Back();
    return;
  }
  const cat::Opportunity& o = v.record.opportunity;
  const cat::Provider& pr = v.record.provider;
  ImVec2 avail = ImGui::GetContentRegionAvail();
  bool portrait = avail.y > avail.x;
  float side_w = portrait ? 0 : std::clamp(avail.x * 0.3f, t.px(200), t.px(320));
  float main_w = avail.x - (side_w > 0 ? side_w + t.gap() : 0);

  ui::BeginScroll("##detail", ImVec2(main_w, portrait ? avail.y - t.touch() - t.gap() : avail.y));
  float w = ImGui::GetContentRegionAvail().x;
  // Route and level chip line.
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImVec2 pos = ImGui::GetCursorScreenPos();
  ImFont* cf = t.chrome_bold();
  const char* route = RouteName(o.route);
  ImVec2 rs = cf->CalcTextSizeA(cf->FontSize, FLT_MAX, 0, route);
  dl->AddRectFilled(pos, pos + ImVec2(rs.x + t.px(20), rs.y + t.px(10)), t.RouteColour(o.route),
                    t.px(6));
  ui::DrawText(dl, cf, pos + ImVec2(t.px(10), t.px(5)), t.high_contrast() ? p.bg : IM_COL32_WHITE,
               route);
  ImGui::Dummy(ImVec2(rs.x + t.px(20), rs.y + t.px(10)));
  // "New" and "Closing soon" beside the route (each only where it fits).
  // Too narrow for both: "Closing soon" stays (read aloud says both).
  const std::vector<RowTag> tags = RowTags(o.posted, o.closing, TodayUtc());
  std::vector<RowTag> fit = tags;
  while (!fit.empty() && rs.x + t.px(28) + RowTagsWidth(t, fit, t.px(6)) > w)
    fit.erase(fit.begin());
  float tag_x = rs.x + t.px(28);
  for (RowTag tag : fit) {
    DrawRowTag(app, dl, pos + ImVec2(tag_x, t.px(2)), tag);
    tag_x += RowTagWidth(t, tag) + t.px(6);
  }
  ui::TextWrapped(t.title(), p.text, o.title.c_str(), w);
  ui::TextWrapped(t.heading(), p.muted, pr.name.c_str(), w);
  app.Say(o.title);
  app.Say(pr.name);
  for (RowTag tag : tags) app.Say(RowTagText(tag));
  // The provider's next open days ("Open day Sat 19 Dec"), and all it
  // offers: as many to a line as fit the column (at the largest text on a
  // small panel, one to a line), never past its edge.
  const float right = ImGui::GetCursorScreenPos().x + w;
  bool first = true;
  auto place = [&](const char* label) {
    const float bw = std::max(t.body()->CalcTextSizeA(t.body()->FontSize, FLT_MAX, 0, label).x +
                                  2 * ImGui::GetStyle().FramePadding.x,
                              t.touch());
    if (!first && ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + bw <= right)
      ImGui::SameLine();
    first = false;
    return bw <= w;
  };
  for (const auto& e : v.events) {
    ImGui::PushID(static_cast<int>(e.rowid));
    char label[192];
    std::snprintf(label, sizeof label, "%s %s  \xE2\x86\x92", EventKindText(e.event.kind),
                  EventShortDate(e.event).c_str());
    if (!place(label))  // without the arrow
      std::snprintf(label, sizeof label, "%s %s", EventKindText(e.event.kind),
                    EventShortDate(e.event).c_str());
    if (ui::Button(t, label, ImVec2(0, 0), ui::ButtonKind::kSecondary, t.body()))
      app.Go(Screen::kEvent, e.rowid);
    app.Say(label);
    ImGui::PopID();
  }
  {
    char more[256];
    std::snprintf(more, sizeof more, tr("More at %s"), pr.name.c_str());
    if (!place(more)) std::snprintf(more, sizeof more, "%s", tr("Everything they offer"));
    if (ui::Button(t, more, ImVec2(0, 0), ui::ButtonKind::kQuiet, t.body()))
      app.Go(Screen::kProvider, 0, pr.id);
  }
  std::string level = LevelText(o.level);
  if (!level.empty()) {
    ui::TextWrapped(t.body(), p.text, level.c_str(), w);
    app.Say(level);
  }
  ImGui::Dummy(ImVec2(0, t.px(6)));

  // Key facts, two per row on wide screens.
  std::string where = o.location_name.empty() ? pr.town : o.location_name;
  if (!o.postcode.empty()) where += (where.empty() ? "" : ", ") + o.postcode;
  struct F {
    const char* label;
    std::string value;
  };
  std::optional<cat::GeoPoint> venue = o.location ? o.location : pr.location;
  if (app.meta().origin && venue) {
    std::string away = app.DistanceText(cat::DistanceKm(*app.meta().origin, *venue));
    if (!away.empty()) where += " (" + away + ")";
  }
  std::string mode = ModeText(o.mode);
  if (!o.duration.empty()) mode += (mode.empty() ? "" : ", ") + o.duration;
  F facts[] = {
      {tr("Where"), where},
      {tr("When"), StartText(o.start, o.flexible_start)},
      {tr("Closing date"), ClosingText(o.closing)},
      {tr("How you study"), mode},
      {tr("Wage"), o.wage_text.empty() && o.wage_annual > 0
                       ? FormatPounds(o.wage_annual) + tr(" a year")
                       : o.wage_text},
      {tr("Hours"), o.hours_per_week > 0
                        ? std::to_string(static_cast<int>(o.hours_per_week)) + tr(" hours a week")
                        : ""},
      {tr("Cost"), o.cost_text},
      {tr("Qualification"), o.qualification},
  };
  int cols = w > t.px(460) ? 2 : 1;
  float col_w = (w - t.gap() * (cols - 1)) / cols;
  int shown = 0;
  for (const auto& f : facts) {
    if (f.value.empty()) continue;
    if (shown % cols) ImGui::SameLine(ImGui::GetCursorPosX() + (col_w + t.gap()) * (shown % cols));
    Fact(t, f.label, f.value, col_w);
    app.Say(std::string(f.label) + ": " + f.value);
    ++shown;
  }
  ImGui::Dummy(ImVec2(0, t.px(6)));
  ui::Field(t, tr("What it is"), o.description);
  ui::Field(t, tr("What you need to get in"), o.entry_requirements);
  DrawCourseOutcomes(app, o.outcomes, w);  // HE: Discover Uni figures (course_outcomes.h)
  DrawAlumniStory(app, o.subject_area, "", w);
  app.Say(o.description);
  if (!v.careers.empty()) {
    ui::Text(t.heading(), p.text, tr("What it can lead to"));
    for (const auto& c : v.careers) {
      ImGui::PushID(static_cast<int>(c.rowid));
      char label[256];
      std::snprintf(label, sizeof label, "%s  \xE2\x86\x92", c.career.title.c_str());
      if (ui::Button(t, label, ImVec2(0, 0), ui::ButtonKind::kSecondary, t.body()))
        app.Go(Screen::kCareer, c.rowid);
      ImGui::PopID();
    }
    ImGui::Dummy(ImVec2(0, t.px(4)));
  }
  std::string contact;
  if (!pr.phone.empty()) contact += std::string(tr("Phone")) + " " + pr.phone;
  if (!pr.email.empty()) contact += (contact.empty() ? "" : "\n") + pr.email;
  // Only a plain http(s) link is shown or turned into a code (checked at
  // import, and again here: signpost/links.h).
  std::string link = !o.url.empty() ? o.url : pr.website;
  if (!catalogue::WebLinkProblem(link).empty()) link.clear();
  if (!link.empty()) contact += (contact.empty() ? "" : "\n") + link;
  ui::Field(t, tr("How to apply or find out more"), contact);
  if (portrait) {
    ImGui::Dummy(ImVec2(0, t.px(6)));
    if (!link.empty()) {
      ui::Text(t.heading(), p.text, tr("Open this on your phone"));
      ui::LinkQr(t, link, std::min(w, t.px(220)));
    }
  }
  ImGui::Dummy(ImVec2(0, t.px(8)));
  ui::EndScroll();

  bool listed = app.session().Shortlisted(v.record.rowid);
  const char* sl =
      listed ? tr("\xE2\x98\x85 On your shortlist") : tr("\xE2\x98\x86 Add to shortlist");
  if (!portrait) {
    ImGui::SameLine(0, t.gap());
    ImGui::BeginGroup();
    if (ui::Button(t, sl, ImVec2(side_w, t.touch()),
                   listed ? ui::ButtonKind::kSecondary : ui::ButtonKind::kPrimary))
      app.ToggleShortlist(v.record);
    if (!link.empty()) {
      ImGui::Dummy(ImVec2(0, t.px(4)));
      ui::TextWrapped(t.heading(), p.text, tr("Open this on your phone"), side_w);
      // Room under the code for "Opens <host>", wrapped at the column.
      const float host_h =
          ui::LinkQrCaptionHeight(t, link, side_w) + ImGui::GetStyle().ItemSpacing.y;
      const float qr = std::min(side_w, avail.y - ImGui::GetCursorPosY() - host_h - t.px(8));
      ui::LinkQr(t, link, std::max(qr, t.px(110)), side_w);
    }
    ImGui::EndGroup();
  } else {
    if (ui::Button(t, sl, ImVec2(avail.x, t.touch()),
                   listed ? ui::ButtonKind::kSecondary : ui::ButtonKind::kPrimary))
      app.ToggleShortlist(v.record);
  }
}

std::unique_ptr<View> MakeDetailScreen() { return std::make_unique<DetailScreen>(); }

}  // namespace signpost::kiosk
