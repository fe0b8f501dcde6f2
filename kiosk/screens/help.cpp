// Help: how to book a one-to-one with the school's careers adviser (from the
// school's local content), the National Careers Service helpline and webchat,
// and how to use the kiosk.
#include <algorithm>
#include <cstdio>
#include <functional>

#include "kiosk/i18n.h"
#include "kiosk/screens/screens.h"
#include "kiosk/ui.h"

namespace signpost::kiosk {

using namespace screens;

namespace {

class HelpScreen : public View {
 public:
  void Draw(App& app) override;
  const char* Title() const override { return tr("Help"); }
};

}  // namespace

namespace {

// National Careers Service contact details, in one place.
constexpr const char* kNcsPhone = "0800 100 900";
constexpr const char* kNcsWebchat = "nationalcareers.service.gov.uk";

}  // namespace

void HelpScreen::Draw(App& app) {
  const Theme& t = app.theme();
  const Palette& p = t.p();
  LocalView& local = app.local_view();
  ImVec2 avail = ImGui::GetContentRegionAvail();
  ui::BeginScroll("##help", avail);
  float w = ImGui::GetContentRegionAvail().x;
  // Portrait (a totem): one column, full width, a step larger type, so the
  // height is used instead of two half-empty columns at the top.
  const bool portrait = avail.y > avail.x * 1.2f;
  const int ts = t.text_size();
  bool two = !portrait && w > t.px(700);
  float col = two ? (w - t.gap()) / 2 : w;
  ImFont* heading = portrait ? t.title() : t.heading();
  ImFont* body = portrait ? t.Font(FontRole::kBody, std::min(2, ts + 1)) : t.body();
  ImFont* number = portrait ? t.Font(FontRole::kHeading, 3) : t.title();
  const float space = portrait ? t.gap() * 2 : t.px(4);

  float panel_h = t.px(10);  // minimum; panels grow with their text
  ui::Panel(t, "adviser", p.primary, col, panel_h, [&] {
    ui::Text(heading, p.text, tr("Talk to your careers adviser"));
    app.Say(tr("Talk to your careers adviser"));
    if (local.adviser.empty()) {
      ui::TextWrapped(body, p.text,
                      tr("Ask at the library desk or the school office to book a one-to-one "
                         "careers appointment. It's free and private."));
    }
    for (const auto& item : local.adviser) {
      ui::TextWrapped(t.Font(FontRole::kHeading, portrait ? ts : std::max(0, ts - 1)), p.text,
                      item.title.c_str());
      if (!item.body.empty()) ui::TextWrapped(body, p.muted, item.body.c_str());
      app.Say(item.title + ". " + item.body);
    }
  });
  if (two)
    ImGui::SameLine(0, t.gap());
  else if (portrait)
    ImGui::Dummy(ImVec2(0, space - ImGui::GetStyle().ItemSpacing.y));
  ui::Panel(t, "ncs", p.careers, col, panel_h, [&] {
    ui::Text(heading, p.text, tr("National Careers Service"));
    ui::TextWrapped(body, p.text,
                    tr("Free, impartial advice from qualified careers advisers, for anyone aged "
                       "13 or over."));
    char line[160];
    std::snprintf(line, sizeof line, tr("Call free: %s"), kNcsPhone);
    ui::Text(number, p.text, line);
    ui::TextWrapped(body, p.text,
                    tr("Open 8am to 8pm Monday to Friday, and 10am to 5pm on Saturdays."));
    std::snprintf(line, sizeof line, tr("Webchat: %s"), kNcsWebchat);
    ui::TextWrapped(body, p.text, line);
    app.Say(tr("National Careers Service. Call free on 0800 100 900."));
  });
  DrawSchoolPanel(app, w);
  ImGui::Dummy(ImVec2(0, space));
  ui::Panel(t, "howto", p.help, w, panel_h, [&] {
    ui::Text(heading, p.text, tr("How to use this screen"));
    ui::TextWrapped(body, p.text,
                    tr("\xE2\x80\xA2 Tap a tile to explore. Drag lists up and down with your "
                       "finger.\n\xE2\x80\xA2 Tap the \xE2\x98\x86 star to add something to your "
                       "shortlist, then scan its code with your phone.\n\xE2\x80\xA2 Use the "
                       "buttons at the bottom for bigger text, high contrast, an easy-read font, "
                       "reading aloud, or Welsh.\n\xE2\x80\xA2 Nothing you do here is saved: the "
                       "screen clears itself when you walk away."));
  });
  ui::EndScroll();
}

std::unique_ptr<View> MakeHelpScreen() { return std::make_unique<HelpScreen>(); }

}  // namespace signpost::kiosk
