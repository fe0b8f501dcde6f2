// "What can I do with the subjects I like?": pick a school subject and see
// the subject areas it leads to (tap to see courses and apprenticeships) and
// careers that use it. A visitor with no subject in mind can start from what
// they enjoy instead (the interests screen).
#include <algorithm>
#include <cstdio>

#include "kiosk/i18n.h"
#include "kiosk/screens/screens.h"
#include "kiosk/ui.h"

namespace signpost::kiosk {

using namespace screens;

namespace {

class SubjectsScreen : public View {
 public:
  void Draw(App& app) override;
  const char* Title() const override { return tr("Subjects"); }

 private:
  void Load(App& app);
  std::string subject_;      // chosen school subject, "" = none
  std::string scrolled_to_;  // the subject whose answer was brought into view
  // The list of subjects.
  std::uint64_t version_ = 0;
  bool loading_ = false;
  bool loaded_ = false;
  std::vector<std::string> subjects_;
  // What the chosen subject leads to.
  std::string links_for_;  // the subject `areas_` and `careers_` answer
  bool links_loading_ = false;
  std::vector<std::string> areas_;                             // subject areas
  std::vector<std::pair<std::int64_t, std::string>> careers_;  // rowid, title
};

struct Links {
  std::vector<std::string> areas;
  std::vector<std::pair<std::int64_t, std::string>> careers;
};

void SubjectsScreen::Load(App& app) {
  if (!loading_ && (!loaded_ || version_ != app.data_version())) {
    loading_ = true;
    version_ = app.data_version();
    links_for_.clear();  // links are fetched again too
    Fetch<std::vector<std::string>>(
        app.data(),
        [](Backend& b) {
          std::vector<std::string> list;
          if (b.EnsureOpen())
            if (auto r = b.catalogue->SchoolSubjects(); r.ok()) list = std::move(r.value());
          return list;
        },
        [this](std::vector<std::string>&& list) {
          subjects_ = std::move(list);
          loading_ = false;
          loaded_ = true;
        });
  }
  if (subject_.empty() || subject_ == links_for_ || links_loading_) return;
  links_loading_ = true;
  links_for_ = subject_;
  app.usage().OnSchoolSubject(subject_);
  Fetch<Links>(
      app.data(),
      [subject = subject_](Backend& b) {
        Links l;
        if (!b.EnsureOpen()) return l;
        auto r = b.catalogue->SubjectLinks(subject);
        if (!r.ok()) return l;
        // The subject areas offered are the subject's own links (reviewed so
        // each is one a careers adviser would make); a career's area is not
        // one of them (Biology -> beauty therapist would offer "Hair and
        // beauty"). Only a subject with no links of its own falls back to its
        // careers' areas.
        std::vector<std::string> wanted, career_areas;
        for (const auto& link : r.value()) {
          auto& to = link.career_source_id.empty() ? l.areas : career_areas;
          if (!link.subject_area.empty() &&
              std::find(to.begin(), to.end(), link.subject_area) == to.end())
            to.push_back(link.subject_area);
          if (!link.career_source_id.empty()) wanted.push_back(link.career_source_id);
        }
        if (l.areas.empty()) l.areas = std::move(career_areas);
        for (const std::string& id : wanted)
          if (auto c = b.catalogue->GetCareerBySource(id); c.ok())
            l.careers.emplace_back(c->rowid, c->career.title);
        return l;
      },
      [this, subject = subject_](Links&& l) {
        links_loading_ = false;
        if (subject != links_for_) return;
        areas_ = std::move(l.areas);
        careers_ = std::move(l.careers);
      });
}

}  // namespace

void SubjectsScreen::Draw(App& app) {
  const Theme& t = app.theme();
  const Palette& p = t.p();
  std::string& subject = subject_;
  Load(app);
  struct {
    bool loaded;
    const std::vector<std::string>& subjects;
    const std::string& subject;
    bool links_loading;
    const std::vector<std::string>& areas;
    const std::vector<std::pair<std::int64_t, std::string>>& careers;
  } v{loaded_, subjects_, links_for_, links_loading_, areas_, careers_};
  ImVec2 avail = ImGui::GetContentRegionAvail();
  ui::BeginScroll("##subjects", avail);
  float right = ImGui::GetWindowPos().x + ImGui::GetContentRegionMax().x;
  // As many chips to a line as fit, measured as ui::Chip draws them (its
  // font grows with the text size).
  auto flow = [&](const char* label, bool first, ImU32 accent = 0) {
    if (first) return;
    const float w = ui::ChipWidth(t, label, -1, accent);
    if (ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + w <= right) ImGui::SameLine();
  };
  ui::TextWrapped(t.heading(), p.text, tr("Which subjects do you like?"));
  app.Say(tr("Which subjects do you like?"));
  // No favourite subject (or none in mind): start from what they enjoy doing.
  if (ui::Button(t, tr("Not sure? Start from what you enjoy"), ImVec2(0, 0),
                 ui::ButtonKind::kSecondary))
    app.Go(Screen::kInterests);
  if (!v.loaded) ui::Text(t.body(), p.muted, tr("Loading\xE2\x80\xA6"));
  if (v.loaded && v.subjects.empty())
    ui::TextWrapped(t.body(), p.text, tr("No subjects are listed yet."));
  bool first = true;
  for (const auto& s : v.subjects) {
    flow(s.c_str(), first);
    first = false;
    if (ui::Chip(t, s.c_str(), s == subject)) subject = s == subject ? "" : s;
  }
  std::string& scrolled_to = scrolled_to_;
  if (subject.empty()) scrolled_to.clear();
  if (!subject.empty() && v.subject == subject && !v.links_loading) {
    ImGui::Dummy(ImVec2(0, t.px(8)));
    char buf[160];
    std::snprintf(buf, sizeof buf, tr("If you like %s, you could look at:"), subject.c_str());
    if (scrolled_to != subject) {
      // The answer appears below the list of subjects: bring it into view
      // once, and read it aloud (the screen above it was read already).
      ImGui::SetScrollHereY(0.1f);
      scrolled_to = subject;
      std::string answer = buf;
      for (std::size_t i = 0; i < v.areas.size(); ++i) answer += (i ? ", " : " ") + v.areas[i];
      if (!v.careers.empty()) {
        answer += std::string(". ") + tr("Careers that use it") + ":";
        for (std::size_t i = 0; i < v.careers.size(); ++i)
          answer += (i ? ", " : " ") + v.careers[i].second;
      }
      app.Announce(answer);
    }
    ui::TextWrapped(t.heading(), p.text, buf);
    app.Say(buf);
    first = true;
    for (const auto& area : v.areas) {
      flow(area.c_str(), first, p.primary);
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
        flow(title.c_str(), first, p.careers);
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

std::unique_ptr<View> MakeSubjectsScreen() { return std::make_unique<SubjectsScreen>(); }

}  // namespace signpost::kiosk
