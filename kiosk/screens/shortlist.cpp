// My shortlist: what the student starred this session (courses,
// apprenticeships and events), "Compare side by side", and the take-away:
// QR codes holding every item as plain text (takeaway.h), as many as it
// takes ("Code 1 of 3"), each small enough to scan at arm's length off this
// panel, and, when [kiosk.printer] is enabled, "Print a slip". Nothing here
// outlives the session.
#include <algorithm>
#include <cstdio>

#include "kiosk/i18n.h"
#include "kiosk/receipt.h"
#include "kiosk/screens/screens.h"
#include "kiosk/takeaway.h"
#include "kiosk/ui.h"

namespace signpost::kiosk {

using namespace screens;

namespace {

class ShortlistScreen : public View {
 public:
  void Draw(App& app) override;
  const char* Title() const override { return tr("My shortlist"); }

 private:
  const std::vector<std::string>& Codes(const std::vector<ShortlistItem>& list, int max_modules);
  std::vector<std::string> codes_;  // the take-away codes for codes_key_
  std::uint64_t codes_key_ = 0;     // hash of the list and code size they were cut for
  std::size_t page_ = 0;            // the code showing
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
// `width` 0: as wide as its label (beside "Clear my shortlist"), a message
// wrapping at the rest of the row.
void DrawPrintButton(App& app, float width) {
  const Theme& t = app.theme();
  const Palette& p = t.p();
  using PS = SlipPrinter::State;
  const PS st = app.printer().state(app.session().shortlist);
  if (st == PS::kIdle || st == PS::kPrinting) {
    const char* label = st == PS::kPrinting ? tr("Printing\xE2\x80\xA6") : tr("Print a slip");
    if (ui::Button(t, label, ImVec2(width, width > 0 ? t.touch() : 0.0f),
                   ui::ButtonKind::kSecondary) &&
        st == PS::kIdle)
      PrintSlip(app);
    return;
  }
  if (width <= 0) width = ImGui::GetContentRegionAvail().x;
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
  const bool portrait = avail.y > avail.x;
  const float side_w = portrait ? 0 : std::clamp(avail.x * 0.4f, t.px(240), t.px(420));
  const float main_w = avail.x - (side_w > 0 ? side_w + t.gap() : 0);
  const bool printer = app.config().printer.enabled;
  // Under the code: "1 of 3" with arrows when the list needs several codes,
  // and "Print a slip" (or what happened to the slip).
  const float pager_h = t.touch() + t.px(6);
  const float print_h = t.touch() + t.gap();
  const float caption_h = t.chrome_bold()->FontSize * 2 + t.px(6);
  const float min_side =
      static_cast<float>((kMinCodeModules + 2 * kQuietZoneModules) * kMinModulePx);
  // The code's side: all the room there is (bigger modules scan more easily
  // off a small screen), then the codes are cut to fit it at kMinModulePx.
  // On a short landscape screen "Print a slip" moves under the list rather
  // than push the code's column off the screen.
  float qr_side;
  bool print_under_code = printer;
  if (portrait) {
    qr_side = std::min(avail.x * 0.7f, t.px(360));
  } else {
    const float room = avail.y - caption_h - pager_h;
    if (printer && room - print_h < min_side) print_under_code = false;
    qr_side = std::min(side_w, room - (print_under_code ? print_h : 0));
  }
  qr_side = std::max(qr_side, min_side);
  const std::vector<std::string>& codes = Codes(list, MaxModulesFor(qr_side));
  const bool paged = codes.size() > 1;
  const float code_block_h =
      caption_h + qr_side + (paged ? pager_h : 0) + (print_under_code ? print_h : 0);

  ui::BeginScroll("##shortlist", ImVec2(main_w, portrait ? avail.y - code_block_h : avail.y));
  const float w = ImGui::GetContentRegionAvail().x;
  const float row_h = t.heading()->FontSize + t.small()->FontSize + t.px(26);
  std::int64_t remove = 0;
  ShortlistItem::Kind remove_kind = ShortlistItem::Kind::kOpportunity;
  int opportunities = 0;
  for (const auto& s : list) {
    const bool event = s.kind == ShortlistItem::Kind::kEvent;
    opportunities += event ? 0 : 1;
    ImGui::PushID(static_cast<int>(s.rowid * 2 + (event ? 1 : 0)));
    ImVec2 a, b;
    const float rm_w = t.touch();
    if (ui::Card(t, "##item", ImVec2(w - rm_w - t.px(8), row_h),
                 event ? p.events : t.RouteColour(s.route), &a, &b))
      app.Go(event ? Screen::kEvent : Screen::kDetail, s.rowid);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ui::DrawEllipsis(dl, t.heading(), a + ImVec2(0, t.px(2)), b.x - a.x, p.text, s.title.c_str());
    const std::string line =
        event ? s.contact : std::string(RouteName(s.route)) + "  \xC2\xB7  " + s.provider;
    ui::DrawEllipsis(dl, t.small(), ImVec2(a.x, b.y - t.small()->FontSize - t.px(2)), b.x - a.x,
                     p.muted, line.c_str());
    app.Say(s.title);
    ImGui::SameLine(0, t.px(8));
    char rm[320];
    std::snprintf(rm, sizeof rm, "\xE2\x9C\x95 %s: %s##remove", tr("Remove"), s.title.c_str());
    // The cross alone is drawn; its name in the frame record says what it removes.
    const ImVec2 at = ImGui::GetCursorScreenPos();
    if (ui::HitArea("##remove", ImVec2(rm_w, row_h), rm)) {
      remove = s.rowid;
      remove_kind = s.kind;
    }
    dl->AddRect(at, at + ImVec2(rm_w, row_h), p.border, t.radius(), 0, t.px(2));
    ImFont* xf = t.chrome_bold();
    const ImVec2 xs = xf->CalcTextSizeA(xf->FontSize, FLT_MAX, 0, "\xE2\x9C\x95");
    ui::DrawText(dl, xf, at + (ImVec2(rm_w, row_h) - xs) * 0.5f, p.text, "\xE2\x9C\x95");
    ImGui::PopID();
  }
  ImGui::Dummy(ImVec2(0, t.px(4)));
  if (opportunities >= 2 &&
      ui::Button(t, tr("Compare side by side"), ImVec2(0, 0), ui::ButtonKind::kPrimary))
    app.Go(Screen::kCompare);
  if (opportunities >= 2 &&
      ImGui::GetContentRegionAvail().x - ImGui::GetItemRectSize().x - t.px(8) >
          ui::ChipWidth(t, tr("Clear my shortlist")))
    ImGui::SameLine();
  if (ui::Button(t, tr("Clear my shortlist"), ImVec2(0, 0), ui::ButtonKind::kSecondary))
    remove = -1;
  if (printer && !print_under_code) {
    // Beside "Clear my shortlist" when there is room, else under it.
    if (ImGui::GetContentRegionAvail().x - ImGui::GetItemRectSize().x - t.px(8) >
        ui::ChipWidth(t, tr("Print a slip")) + t.px(16))
      ImGui::SameLine();
    DrawPrintButton(app, 0);
  }
  if (!portrait)
    ui::TextWrapped(t.small(), p.muted, tr("Nothing is saved on this kiosk after you leave."));
  ui::EndScroll();
  if (remove == -1) list.clear();
  if (remove > 0)
    std::erase_if(
        list, [&](const ShortlistItem& s) { return s.rowid == remove && s.kind == remove_kind; });
  if (list.empty()) return;

  // Take it away: every item, in as many codes as it takes.
  if (!portrait) ImGui::SameLine(0, t.gap());
  ImGui::BeginGroup();
  const float col_w = portrait ? avail.x : side_w;
  page_ = std::min<std::size_t>(page_, codes.size() - 1);
  char caption[160];
  if (paged)
    std::snprintf(caption, sizeof caption,
                  trn("Take it away: scan %zu code with your phone",
                      "Take it away: scan all %zu codes with your phone",
                      static_cast<long long>(codes.size())),
                  codes.size());
  else
    std::snprintf(caption, sizeof caption, "%s", tr("Take it away: scan with your phone"));
  ui::TextWrapped(t.chrome_bold(), p.text, caption, col_w);
  app.Say(caption);
  ImGui::SetCursorPosX(ImGui::GetCursorPosX() + std::max(0.0f, (col_w - qr_side) * 0.5f));
  ui::Qr(t, codes[page_], qr_side);
  if (paged) {
    // "←  Code 1 of 3  →": big arrows either side, the count between them.
    const float bw = t.touch() * 1.4f;
    auto arrow = [&](const char* id, const char* glyph, const char* name, bool enabled) {
      const ImVec2 at = ImGui::GetCursorScreenPos();
      const bool tapped = ui::HitArea(id, ImVec2(bw, t.touch()), name, enabled);
      ImDrawList* dl = ImGui::GetWindowDrawList();
      dl->AddRectFilled(at, at + ImVec2(bw, t.touch()), enabled ? p.surface : p.bg, t.radius());
      dl->AddRect(at, at + ImVec2(bw, t.touch()), enabled ? p.border : WithAlpha(p.border, 0.45f),
                  t.radius(), 0, t.px(2));
      ImFont* gf = t.chrome_bold();
      const ImVec2 gs = gf->CalcTextSizeA(gf->FontSize, FLT_MAX, 0, glyph);
      ui::DrawText(dl, gf, at + (ImVec2(bw, t.touch()) - gs) * 0.5f, enabled ? p.text : p.muted,
                   glyph);
      return tapped;
    };
    if (arrow("##previous", "\xE2\x86\x90", tr("Previous code"), page_ > 0)) --page_;
    ImGui::SameLine(0, t.px(6));
    char count[64];
    std::snprintf(count, sizeof count, tr("Code %zu of %zu"), page_ + 1, codes.size());
    ImFont* cf = t.chrome_bold();
    const float cw = col_w - 2 * bw - t.px(12);
    const float tw = cf->CalcTextSizeA(cf->FontSize, FLT_MAX, 0, count).x;
    const ImVec2 cp = ImGui::GetCursorScreenPos();
    ui::DrawText(ImGui::GetWindowDrawList(), cf,
                 cp + ImVec2(std::max(0.0f, (cw - tw) * 0.5f), (t.touch() - cf->FontSize) * 0.5f),
                 p.text, count);
    ImGui::Dummy(ImVec2(cw, t.touch()));
    ImGui::SameLine(0, t.px(6));
    if (arrow("##next", "\xE2\x86\x92", tr("Next code"), page_ + 1 < codes.size())) ++page_;
  }
  if (print_under_code) DrawPrintButton(app, portrait ? std::min(col_w, t.px(360)) : col_w);
  if (portrait)
    ui::TextWrapped(t.small(), p.muted, tr("Nothing is saved on this kiosk after you leave."),
                    col_w);
  ImGui::EndGroup();
}

const std::vector<std::string>& ShortlistScreen::Codes(const std::vector<ShortlistItem>& list,
                                                       int max_modules) {
  // Cut once per list and size (cutting measures many candidate codes).
  std::uint64_t key = 1469598103934665603ull ^ static_cast<std::uint64_t>(max_modules);
  auto mix = [&key](std::string_view bytes) {
    for (unsigned char c : bytes) key = (key ^ c) * 1099511628211ull;  // FNV-1a
  };
  for (const auto& s : list) {
    mix(std::string_view(reinterpret_cast<const char*>(&s.rowid), sizeof s.rowid));
    mix(s.title), mix(s.provider), mix(s.contact), mix(s.url), mix("|");
  }
  if (key != codes_key_ || codes_.empty()) {
    codes_key_ = key;
    codes_ = TakeAwayCodes(list, max_modules);
  }
  return codes_;
}

std::unique_ptr<View> MakeShortlistScreen() { return std::make_unique<ShortlistScreen>(); }

}  // namespace signpost::kiosk
