// Discover Uni figures on the HE detail screen (course_outcomes.h).
#include "kiosk/screens/course_outcomes.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string_view>

#include "kiosk/i18n.h"
#include "kiosk/ui.h"

namespace signpost::kiosk::screens {

namespace cat = signpost::catalogue;

namespace {

// The National Student Survey themes as content-sync labels them (in the
// survey's words), and what a 15-year-old reads after "positive about".
struct NssTheme {
  std::string_view label;
  const char* words;
};
constexpr NssTheme kThemes[] = {
    {"Teaching on my course", tr_noop("the teaching")},
    {"Learning opportunities", tr_noop("the chances to learn")},
    {"Assessment and feedback", tr_noop("marking and feedback")},
    {"Academic support", tr_noop("help from staff with their studies")},
    {"Organisation and management", tr_noop("how the course was organised")},
    {"Learning resources", tr_noop("libraries, computers and other resources")},
    {"Student voice", tr_noop("being listened to")},
};

// "Teaching on my course" -> "the teaching"; an unknown label as written,
// starting lower case ("Placements" -> "placements").
std::string ThemeWords(const std::string& label) {
  for (const auto& t : kThemes)
    if (label == t.label) return tr(t.words);
  std::string s = label;
  if (!s.empty() && s[0] >= 'A' && s[0] <= 'Z' && (s.size() < 2 || !(s[1] >= 'A' && s[1] <= 'Z')))
    s[0] = static_cast<char>(s[0] - 'A' + 'a');
  return s;
}

int Percent(double v) { return static_cast<int>(std::lround(std::clamp(v, 0.0, 100.0))); }

bool IsOverall(const cat::CourseOutcome& o) {
  return o.label == "Overall satisfied with the course";
}

}  // namespace

std::string OutcomeSentence(const cat::CourseOutcome& o) {
  char buf[512];
  switch (o.metric) {
    case cat::OutcomeMetric::kSatisfaction:
      if (!o.value) return tr("What students thought of the course: not published");
      if (IsOverall(o)) {
        std::snprintf(buf, sizeof buf, tr("%d%% of students were happy with the course overall"),
                      Percent(*o.value));
      } else {
        std::snprintf(buf, sizeof buf, tr("%d%% of students were positive about %s"),
                      Percent(*o.value), ThemeWords(o.label).c_str());
      }
      return buf;
    case cat::OutcomeMetric::kContinuation:
      if (!o.value) return tr("How many carried on after the first year: not published");
      std::snprintf(buf, sizeof buf, tr("%d%% carried on after the first year"), Percent(*o.value));
      return buf;
    case cat::OutcomeMetric::kSalary: {
      if (!o.value) return tr("Typical salary after the course: not published");
      std::snprintf(buf, sizeof buf, tr("Typical salary 15 months after the course: %s"),
                    FormatPounds(*o.value).c_str());
      std::string s = buf;
      if (o.low && o.high && *o.low <= *o.value && *o.value <= *o.high) {
        std::snprintf(buf, sizeof buf, tr("(most between %s and %s)"), FormatPounds(*o.low).c_str(),
                      FormatPounds(*o.high).c_str());
        s += " ";
        s += buf;
      }
      return s;
    }
  }
  return o.label;
}

bool DrawCourseOutcomes(App& app, const std::vector<cat::CourseOutcome>& outcomes, float width) {
  if (outcomes.empty()) return false;
  const kiosk::Theme& t = app.theme();
  const Palette& p = t.p();
  ui::TextWrapped(t.heading(), p.text, tr("What students said and did"), width);
  ui::TextWrapped(t.small(), p.muted,
                  tr("Official figures from Discover Uni about students on this course in "
                     "earlier years."),
                  width);
  app.Say(tr("What students said and did"));
  ImGui::Dummy(ImVec2(0, t.px(2)));
  const float indent = t.px(12);
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    const cat::CourseOutcome& o = outcomes[i];
    const std::string sentence = OutcomeSentence(o);
    ImGui::Indent(indent);
    ui::TextWrapped(t.body(), o.value ? p.text : p.muted, sentence.c_str(), width - indent);
    app.Say(sentence);
    // Figures from one table share their caveat (the survey's themes): say
    // it once, after the last of them.
    const bool last_of_run = i + 1 == outcomes.size() || outcomes[i + 1].metric != o.metric ||
                             outcomes[i + 1].caveat != o.caveat;
    if (last_of_run) {
      std::string caveat = o.caveat;
      if (caveat.empty() && !o.value)
        caveat = tr("Not published: too few students to give a fair figure.");
      if (!caveat.empty()) {
        ImGui::Indent(indent);
        ui::TextWrapped(t.small(), p.muted, caveat.c_str(), width - 2 * indent);
        ImGui::Unindent(indent);
        app.Say(caveat);
      }
      ImGui::Dummy(ImVec2(0, t.px(4)));
    }
    ImGui::Unindent(indent);
  }
  ImGui::Dummy(ImVec2(0, t.px(4)));
  return true;
}

}  // namespace signpost::kiosk::screens
