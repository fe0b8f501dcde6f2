// "Near me": a visitor at an open day lives somewhere else, so distances from
// the kiosk mean little to them. They can give a postcode (on-screen
// keyboard; looked up in the catalogue's offline postcode table, never on the
// network), and every distance on every screen is measured from it until the
// session ends. Shared by Search's filters and the open days screen.
#include <algorithm>
#include <cstdio>

#include "kiosk/i18n.h"
#include "kiosk/screens/screens.h"
#include "kiosk/ui.h"

namespace signpost::kiosk::screens {

std::string DistancesFrom(App& app) {
  const NearMe& near = app.session().near;
  if (near.point) {
    char buf[96];
    std::snprintf(buf, sizeof buf, tr("from %s"), near.postcode.c_str());
    return buf;
  }
  return tr("from here");
}

void DrawNearMe(App& app, PostcodeEntry* entry, float width) {
  const Theme& t = app.theme();
  const Palette& p = t.p();
  const NearMe& near = app.session().near;
  char line[160];
  if (near.point)
    std::snprintf(line, sizeof line, tr("Distances are from %s"), near.postcode.c_str());
  else if (app.meta().has_origin)
    std::snprintf(line, sizeof line, "%s", tr("Distances are from this kiosk"));
  else
    std::snprintf(line, sizeof line, "%s", tr("Give a postcode to see how far away things are"));
  // One line when the words and the button fit side by side.
  const char* button = near.point ? tr("Change postcode") : tr("Use a postcode");
  ImFont* bf = t.chrome_bold();
  const float button_w =
      bf->CalcTextSizeA(bf->FontSize, FLT_MAX, 0, button).x + 2 * ImGui::GetStyle().FramePadding.x;
  ImFont* lf = t.body();
  const float line_w = lf->CalcTextSizeA(lf->FontSize, FLT_MAX, 0, line).x;
  const bool one_line = !near.point && line_w + t.px(12) + button_w <= width;
  if (one_line) {
    const float y = ImGui::GetCursorPosY();
    ImGui::SetCursorPosY(y + (t.touch() - lf->FontSize) * 0.5f);
    ui::Text(lf, p.text, line);
    ImGui::SameLine(0, t.px(12));
    ImGui::SetCursorPosY(y);
  } else {
    ui::TextWrapped(lf, p.text, line, width);
  }
  if (!near.not_found.empty()) {
    std::snprintf(line, sizeof line,
                  tr("We could not find the postcode %s. Check it and try again."),
                  near.not_found.c_str());
    ui::TextWrapped(t.body(), p.warning, line, width);
  }
  if (near.looking_up) ui::Text(t.small(), p.muted, tr("Looking up the postcode\xE2\x80\xA6"));
  if (ui::Button(t, button, ImVec2(0, 0), ui::ButtonKind::kSecondary)) {
    entry->open = true;
    entry->text = near.point ? near.postcode : std::string();
  }
  if (near.point) {
    ImGui::SameLine();
    if (ui::Button(t, tr("Use this kiosk"), ImVec2(0, 0), ui::ButtonKind::kSecondary))
      app.SetNearPostcode("");
  }
}

void DrawPostcodeKeyboard(App& app, PostcodeEntry* entry) {
  const Theme& t = app.theme();
  const Palette& p = t.p();
  const float width = ImGui::GetContentRegionAvail().x;
  ui::Text(t.heading(), p.text, tr("Your postcode"));
  // The box shows what is typed in capitals, as postcodes are written.
  std::string shown = entry->text;
  for (char& c : shown)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  bool ignored = true;
  SearchBox(app, &shown, &ignored, width, tr("e.g. LS6 3QT"));
  ui::TextWrapped(t.small(), p.muted,
                  tr("Used only to work out distances, and forgotten when you leave."), width);
  const float kb_h = ui::KeyboardHeight(t);
  ImGui::Dummy(ImVec2(0, std::max(0.0f, ImGui::GetContentRegionAvail().y - kb_h - t.px(2))));
  bool done = false;
  ui::Keyboard(t, &entry->text, &done, 8);  // "SW1A 1AA" is the longest shape
  if (done) {
    entry->open = false;
    app.SetNearPostcode(entry->text);
  }
}

}  // namespace signpost::kiosk::screens
