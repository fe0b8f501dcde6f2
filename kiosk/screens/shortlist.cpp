// My shortlist: what the student starred this session, with a take-away QR
// code holding the list (titles, providers, contact, links) as plain text.
// Nothing here outlives the session.
#include <algorithm>
#include <cstdio>

#include "kiosk/i18n.h"
#include "kiosk/screens/screens.h"
#include "kiosk/ui.h"

namespace signpost::kiosk::screens {

namespace {

// Plain text that any phone's camera shows as a note; kept under ~1,200
// bytes so the code stays scannable from a screen.
std::string TakeAwayText(const std::vector<ShortlistItem>& list) {
  std::string out = "Signpost shortlist\n";
  for (std::size_t i = 0; i < list.size(); ++i) {
    const auto& s = list[i];
    std::string item = std::to_string(i + 1) + ". " + s.title + " - " + s.provider;
    if (!s.contact.empty()) item += " - " + s.contact;
    if (!s.url.empty() && s.url.size() <= 80) item += "\n" + s.url;
    item += "\n";
    if (out.size() + item.size() > 900) {
      out += "(+" + std::to_string(list.size() - i) + " more)\n";
      break;
    }
    out += item;
  }
  out += "National Careers Service: 0800 100 900";
  return out;
}

}  // namespace

void DrawShortlist(App& app) {
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
  float qr_h = portrait ? std::min(avail.x * 0.6f, t.px(300)) + t.px(60) : 0;
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
  float qr = std::min(col_w, avail.y - ImGui::GetCursorPosY() + ImGui::GetStyle().WindowPadding.y);
  if (portrait) qr = std::min(avail.x * 0.6f, t.px(300));
  ui::Qr(t, TakeAwayText(list), std::max(qr, t.px(140)));
  if (portrait)
    ui::TextWrapped(t.small(), p.muted, tr("Nothing is saved on this kiosk after you leave."),
                    col_w);
  ImGui::EndGroup();
}

}  // namespace signpost::kiosk::screens
