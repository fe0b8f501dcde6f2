// "What can I do with the subjects I like?": pick a school subject and see
// the subject areas it leads to (tap to see courses and apprenticeships) and
// careers that use it.
#include <cstdio>

#include "kiosk/i18n.h"
#include "kiosk/screens/screens.h"
#include "kiosk/ui.h"

namespace signpost::kiosk::screens {

void DrawSubjects(App& app) {
  const Theme& t = app.theme();
  const Palette& p = t.p();
  std::string& subject = app.session().subject;
  SubjectsView& v = app.subjects_view(subject);
  ImVec2 avail = ImGui::GetContentRegionAvail();
  ui::BeginScroll("##subjects", avail);
  float right = ImGui::GetWindowPos().x + ImGui::GetContentRegionMax().x;
  auto flow = [&](const char* label, bool first) {
    if (first) return;
    ImGui::PushFont(t.chrome());
    float w = ImGui::CalcTextSize(label).x + t.px(40);
    ImGui::PopFont();
    if (ImGui::GetItemRectMax().x + t.px(10) + w < right) ImGui::SameLine();
  };
  ui::TextWrapped(t.heading(), p.text, tr("Which subjects do you like?"));
  app.Say(tr("Which subjects do you like?"));
  if (!v.loaded) ui::Text(t.body(), p.muted, tr("Loading\xE2\x80\xA6"));
  if (v.loaded && v.subjects.empty())
    ui::TextWrapped(t.body(), p.text, tr("No subjects are listed yet."));
  bool first = true;
  for (const auto& s : v.subjects) {
    flow(s.c_str(), first);
    first = false;
    if (ui::Chip(t, s.c_str(), s == subject)) subject = s == subject ? "" : s;
  }
  static std::string scrolled_to;  // the subject whose answer was brought into view
  if (subject.empty()) scrolled_to.clear();
  if (!subject.empty() && v.subject == subject && !v.links_loading) {
    ImGui::Dummy(ImVec2(0, t.px(8)));
    if (scrolled_to != subject) {
      // The answer appears below the list of subjects: bring it into view once.
      ImGui::SetScrollHereY(0.1f);
      scrolled_to = subject;
    }
    char buf[160];
    std::snprintf(buf, sizeof buf, tr("If you like %s, you could look at:"), subject.c_str());
    ui::TextWrapped(t.heading(), p.text, buf);
    app.Say(buf);
    first = true;
    for (const auto& area : v.areas) {
      flow(area.c_str(), first);
      first = false;
      ImGui::PushID(area.c_str());
      if (ui::Chip(t, area.c_str(), false, -1, p.primary)) app.OpenSearch(0, "", area);
      ImGui::PopID();
    }
    if (!v.careers.empty()) {
      ImGui::Dummy(ImVec2(0, t.px(6)));
      ui::Text(t.heading(), p.text, tr("Careers that use it"));
      first = true;
      for (const auto& [rowid, title] : v.careers) {
        flow(title.c_str(), first);
        first = false;
        ImGui::PushID(static_cast<int>(rowid));
        if (ui::Chip(t, title.c_str(), false, -1, p.careers)) app.Go(Screen::kCareer, rowid);
        ImGui::PopID();
      }
    }
  }
  ImGui::Dummy(ImVec2(0, t.px(8)));
  ui::EndScroll();
}

}  // namespace signpost::kiosk::screens
