// My shortlist: what the student starred this session, with a take-away QR
// code holding the list (titles, providers, contact, links) as plain text
// (TakeAwayText, receipt.h) and, when [kiosk.printer] is enabled, "Print a
// slip". Nothing here outlives the session.
#include <algorithm>
#include <cstdio>

#include "kiosk/i18n.h"
#include "kiosk/receipt.h"
#include "kiosk/screens/screens.h"
#include "kiosk/ui.h"

namespace signpost::kiosk {

using namespace screens;

namespace {

class ShortlistScreen : public View {
 public:
  void Draw(App& app) override;
  const char* Title() const override { return tr("My shortlist"); }
};

// The slip's wording in the student's language, and the site's header.
void PrintSlip(App& app) {
  const KioskConfig& c = app.config();
  SlipOptions o;
  o.paper_width_mm = c.printer.paper_width_mm;
  o.ascii_only = c.printer.ascii_only;
  o.site_name = c.site_name;
  if (!c.branding.host_name.empty()) {
    char hosted[256];
    std::snprintf(hosted, sizeof hosted, tr("Hosted by %s"), c.branding.host_name.c_str());
    o.host_name = hosted;
  }
  o.heading = tr("Your shortlist");
  o.date_line = HumanDate(TodayUtc());
  o.qr_caption = tr("Scan for the links on your phone");
  o.footer = tr("National Careers Service: 0800 100 900 (free)");
  app.printer().Print(c.printer, app.session().shortlist, o);
}

// "Print a slip", then what became of it in its place until the list
// changes (tapping again and again would empty the roll). The code stays on
// screen whatever the printer does.
void DrawPrintButton(App& app, float width) {
  const Theme& t = app.theme();
  const Palette& p = t.p();
  using PS = SlipPrinter::State;
  const PS st = app.printer().state(app.session().shortlist);
  if (st == PS::kIdle || st == PS::kPrinting) {
    const char* label = st == PS::kPrinting ? tr("Printing\xE2\x80\xA6") : tr("Print a slip");
    if (ui::Button(t, label, ImVec2(width, t.touch()), ui::ButtonKind::kSecondary) &&
        st == PS::kIdle)
      PrintSlip(app);
    return;
  }
  const char* text =
      st == PS::kPrinted
          ? tr("Your slip is printing. Nothing came out? Scan the code instead.")
          : tr("The printer isn\xE2\x80\x99t working \xE2\x80\x93 scan the QR code instead.");
  ImGui::BeginGroup();
  ui::TextWrapped(t.small(), st == PS::kPrinted ? p.text : p.warning, text, width);
  ImGui::EndGroup();
}

}  // namespace

void ShortlistScreen::Draw(App& app) {
  const Theme& t = app.theme();
  const Palette& p = t.p();
  auto& list = app.session().shortlist;
  ImVec2 avail = ImGui::GetContentRegionAvail();
  if (list.empty()) {
    ui::TextWrapped(t.title(), p.text, tr("Your shortlist is empty"));
    ui::TextWrapped(t.body(), p.text,
                    tr("Tap the \xE2\x98\x86 star next to any course, T Level, apprenticeship or "
                       "university course to keep it here. When you are done, scan the code "
                       "with your phone to take your list away."));
    app.Say(tr("Your shortlist is empty"));
    if (ui::Button(t, tr("Start exploring"))) app.Home();
    return;
  }
  bool portrait = avail.y > avail.x;
  float side_w = portrait ? 0 : std::clamp(avail.x * 0.4f, t.px(240), t.px(420));
  float main_w = avail.x - (side_w > 0 ? side_w + t.gap() : 0);
  const bool printer = app.config().printer.enabled;
  // Room under the code for "Print a slip" (or what happened to the slip).
  const float print_h = printer ? t.touch() + t.gap() : 0;
  float qr_h = portrait ? std::min(avail.x * 0.6f, t.px(300)) + t.px(60) + print_h : 0;
  ui::BeginScroll("##shortlist", ImVec2(main_w, avail.y - qr_h));
  float w = ImGui::GetContentRegionAvail().x;
  float row_h = t.heading()->FontSize + t.small()->FontSize + t.px(26);
  std::int64_t remove = 0;
  for (const auto& s : list) {
    ImGui::PushID(static_cast<int>(s.rowid));
    ImVec2 a, b;
    float rm_w = t.touch();
    if (ui::Card(t, "##item", ImVec2(w - rm_w - t.px(8), row_h), t.RouteColour(s.route), &a, &b))
      app.Go(Screen::kDetail, s.rowid);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ui::DrawEllipsis(dl, t.heading(), a + ImVec2(0, t.px(2)), b.x - a.x, p.text, s.title.c_str());
    std::string line = std::string(RouteName(s.route)) + "  \xC2\xB7  " + s.provider;
    ui::DrawEllipsis(dl, t.small(), ImVec2(a.x, b.y - t.small()->FontSize - t.px(2)), b.x - a.x,
                     p.muted, line.c_str());
    app.Say(s.title);
    ImGui::SameLine(0, t.px(8));
    if (ui::Button(t, "\xE2\x9C\x95##remove", ImVec2(rm_w, row_h), ui::ButtonKind::kSecondary))
      remove = s.rowid;
    ImGui::PopID();
  }
  ImGui::Dummy(ImVec2(0, t.px(4)));
  if (ui::Button(t, tr("Clear my shortlist"), ImVec2(0, 0), ui::ButtonKind::kSecondary))
    remove = -1;
  if (!portrait)
    ui::TextWrapped(t.small(), p.muted, tr("Nothing is saved on this kiosk after you leave."));
  ui::EndScroll();
  if (remove == -1) list.clear();
  if (remove > 0) std::erase_if(list, [&](const ShortlistItem& s) { return s.rowid == remove; });
  if (list.empty()) return;

  if (!portrait) ImGui::SameLine(0, t.gap());
  ImGui::BeginGroup();
  float col_w = portrait ? avail.x : side_w;
  // The code gets all the height there is: a list of links makes a dense
  // code, and bigger modules scan more easily off a small screen.
  ui::TextWrapped(t.chrome_bold(), p.text, tr("Take it away: scan with your phone"), col_w);
  float qr = std::min(
      col_w, avail.y - ImGui::GetCursorPosY() + ImGui::GetStyle().WindowPadding.y - print_h);
  if (portrait) qr = std::min(avail.x * 0.6f, t.px(300));
  ui::Qr(t, TakeAwayText(list), std::max(qr, t.px(140)));
  if (printer) DrawPrintButton(app, portrait ? std::min(col_w, t.px(360)) : col_w);
  if (portrait)
    ui::TextWrapped(t.small(), p.muted, tr("Nothing is saved on this kiosk after you leave."),
                    col_w);
  ImGui::EndGroup();
}

std::unique_ptr<View> MakeShortlistScreen() { return std::make_unique<ShortlistScreen>(); }

}  // namespace signpost::kiosk
