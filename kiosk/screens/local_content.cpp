// The school's own content (the careers leader's local content pack) where
// students meet it: notices, school events and links on the Help screen; a
// former student's story beside matching courses ("Sam went from here to a
// Level 3 engineering apprenticeship", only beside courses in the same
// subject area or the career it led to); the adviser's drop-in on the home
// screen's Help tile. Text is shown as the school wrote it.
#include <algorithm>
#include <cctype>
#include <ctime>
#include <functional>

#include "kiosk/i18n.h"
#include "kiosk/screens/screens.h"
#include "kiosk/ui.h"
#include "signpost/links.h"

namespace signpost::kiosk::screens {

namespace cat = signpost::catalogue;

namespace {

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

std::string LocalHelpLine(App& app) {
  const LocalView& local = app.local_view();
  return local.adviser.empty() ? std::string() : local.adviser.front().title;
}

void DrawSchoolPanel(App& app, float width) {
  const Theme& t = app.theme();
  const Palette& p = t.p();
  const LocalView& local = app.local_view();
  if (local.school.empty()) return;
  ImGui::Dummy(ImVec2(0, t.px(4)));
  ui::Panel(t, "school", p.subjects, width, 0, [&] {
    ui::Text(t.heading(), p.text, tr("From your school"));
    app.Say(tr("From your school"));
    for (const auto& item : local.school) {
      ImGui::PushID(item.source_id.c_str());
      ImGui::Dummy(ImVec2(0, t.px(4)));
      ui::TextWrapped(t.Font(FontRole::kHeading, t.text_size() > 0 ? t.text_size() - 1 : 0), p.text,
                      item.title.c_str());
      std::string when;  // a school event: its day, time and place first
      if (item.kind == cat::LocalKind::kSchoolEvent) {
        const cat::Event e = SchoolEventRecord(item).event;
        when = EventWhen(e, true);
        if (!e.location_name.empty()) when += ", " + e.location_name;
        ui::TextWrapped(t.body(), p.text, when.c_str());
      }
      if (!item.body.empty()) ui::TextWrapped(t.body(), p.muted, item.body.c_str());
      app.Say(item.title + ". " + (when.empty() ? "" : when + ". ") + item.body);
      if (!catalogue::LinkHost(item.url).empty()) {
        ui::Text(t.small(), p.muted, tr("Scan to open it on your phone:"));
        ui::LinkQr(t, item.url, std::min(t.px(150), width * 0.4f));
      }
      ImGui::PopID();
    }
  });
}

cat::EventRecord SchoolEventRecord(const cat::LocalItem& item) {
  cat::EventRecord r;
  r.rowid = -item.rowid;  // never a feed event's (those are positive)
  cat::Event& e = r.event;
  e.source_id = item.source_id;
  e.title = item.title;
  e.kind = cat::EventKind::kOther;
  e.location_name = item.place;
  e.url = item.url;
  e.description = item.body;
  // The pack's times are the school's clock, which is the kiosk's.
  int y;
  unsigned m, d;
  CivilFromDay(item.event_day.value_or(item.ends.value_or(TodayUtc())), &y, &m, &d);
  auto at = [&](int minute) {
    std::tm tm{};
    tm.tm_year = y - 1900;
    tm.tm_mon = static_cast<int>(m) - 1;
    tm.tm_mday = static_cast<int>(d);
    tm.tm_hour = minute / 60;
    tm.tm_min = minute % 60;
    tm.tm_isdst = -1;
    return static_cast<UnixTime>(std::mktime(&tm));
  };
  e.all_day = !item.event_start_minute;
  e.start = at(item.event_start_minute.value_or(12 * 60));  // all day: noon is that day
  e.end = item.event_end_minute ? at(*item.event_end_minute) : e.start;
  return r;
}

std::vector<cat::EventRecord> SchoolEvents(App& app) {
  std::vector<cat::EventRecord> out;
  for (const auto& item : app.local_view().school)
    if (item.kind == cat::LocalKind::kSchoolEvent) out.push_back(SchoolEventRecord(item));
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.event.start < b.event.start; });
  return out;
}

bool DrawAlumniStory(App& app, const std::string& subject_area, const std::string& career,
                     float width) {
  const Theme& t = app.theme();
  const Palette& p = t.p();
  const LocalView& local = app.local_view();
  // Only in context: the same subject area, or a story that went to this job.
  // (An engineering apprentice's story beside a nursery course helps nobody.)
  const cat::LocalItem* pick = nullptr;
  const std::string area = Lower(subject_area);
  const std::string job = Lower(career);
  for (const auto& s : local.stories) {
    const bool same_area = !area.empty() && Lower(s.subject_area) == area;
    const bool same_job = !job.empty() && (Lower(s.leads_to).find(job) != std::string::npos ||
                                           Lower(s.title).find(job) != std::string::npos);
    if (same_area || same_job) {
      pick = &s;
      break;
    }
  }
  if (!pick) return false;
  ImGui::Dummy(ImVec2(0, t.px(4)));
  ui::Panel(t, "alumni", p.subjects, width, 0, [&] {
    ImVec2 size;
    ImTextureID photo = app.Picture(pick->image_path, &size);
    if (photo && size.x > 0) {
      const float side = std::min(t.px(110), width * 0.25f);
      ImGui::Dummy(ImVec2(0, t.px(4)));
      ImGui::Image(photo, ImVec2(side, side * size.y / size.x));
      ImGui::SameLine(0, t.px(14));
    }
    ImGui::BeginGroup();
    ui::Text(t.small(), p.muted, tr("From our school"));
    ui::TextWrapped(t.heading(), p.text, pick->title.c_str());
    std::string where = pick->provider_name;
    if (!pick->leads_to.empty())
      where += (where.empty() ? "" : " \xE2\x80\x94 ") + std::string(tr("now: ")) + pick->leads_to;
    if (!where.empty()) ui::TextWrapped(t.body(), p.text, where.c_str());
    if (!pick->body.empty()) ui::TextWrapped(t.body(), p.muted, pick->body.c_str());
    app.Say(pick->title + ". " + where + ". " + pick->body);
    ImGui::EndGroup();
  });
  ImGui::Dummy(ImVec2(0, t.px(4)));
  return true;
}

}  // namespace signpost::kiosk::screens
