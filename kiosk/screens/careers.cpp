// Careers: a searchable list of job profiles, and one job profile with its
// pay, the ways in (college, apprenticeship and university routes side by
// side, equal width) and local labour-market figures, linking back to
// matching courses and apprenticeships.
#include <algorithm>
#include <cstdio>

#include "kiosk/i18n.h"
#include "kiosk/screens/screens.h"
#include "kiosk/screens/ways_in.h"
#include "kiosk/ui.h"

namespace signpost::kiosk {

namespace cat = signpost::catalogue;
using namespace screens;

namespace {

// [SECTION] Careers list ---------------------------------------------------------

class CareersScreen : public View {
 public:
  void Draw(App& app) override;
  const char* Title() const override { return tr("Careers"); }
  void OnLeave(App&) override { keyboard_ = false; }
  std::string* TypingTarget(App&) override { return &text_; }
  bool KeyboardShowing(const App&) const override { return keyboard_; }
  void OpenFirst(App& app) override;

 private:
  void Load(App& app);
  std::string text_;       // what the student typed
  bool keyboard_ = false;  // on-screen keyboard open
  std::string list_text_;  // what `list_` answers
  std::uint64_t version_ = 0;
  bool loading_ = false;
  bool loaded_ = false;
  bool open_first_ = false;
  std::vector<cat::CareerRecord> list_;
};

void CareersScreen::Load(App& app) {
  if (loading_) return;
  if (loaded_ && list_text_ == text_ && version_ == app.data_version()) return;
  loading_ = true;
  list_text_ = text_;
  version_ = app.data_version();
  Fetch<std::vector<cat::CareerRecord>>(
      app.data(),
      [text = text_](Backend& b) {
        std::vector<cat::CareerRecord> list;
        if (b.EnsureOpen())
          if (auto r = b.catalogue->SearchCareers(text, 200); r.ok()) list = std::move(r.value());
        return list;
      },
      [this, &app](std::vector<cat::CareerRecord>&& list) {
        list_ = std::move(list);
        loading_ = false;
        loaded_ = true;
        if (open_first_ && !list_.empty()) {
          open_first_ = false;
          app.Go(Screen::kCareer, list_.front().rowid);
        }
      });
}

void CareersScreen::OpenFirst(App& app) {
  if (loaded_ && !loading_ && !list_.empty()) {
    app.Go(Screen::kCareer, list_.front().rowid);
    return;
  }
  open_first_ = true;
  Load(app);
}

// [SECTION] One career ------------------------------------------------------------

struct CareerView {
  std::int64_t rowid = 0;
  std::uint64_t version = 0;
  bool loading = false;
  bool missing = false;
  cat::CareerRecord record;
};

class CareerScreen : public View {
 public:
  void Draw(App& app) override;
  const char* Title() const override { return tr("Career"); }

 private:
  CareerView& Load(App& app, std::int64_t rowid);
  CareerView view_;
};

CareerView& CareerScreen::Load(App& app, std::int64_t rowid) {
  if (view_.loading) return view_;
  if (view_.rowid == rowid && view_.version == app.data_version()) return view_;
  if (view_.rowid != rowid) view_ = CareerView{};
  view_.rowid = rowid;
  view_.version = app.data_version();
  view_.loading = true;
  Fetch<CareerView>(
      app.data(),
      [rowid](Backend& b) {
        CareerView v;
        v.rowid = rowid;
        if (!b.EnsureOpen()) {
          v.missing = true;
        } else if (auto r = b.catalogue->GetCareer(rowid); r.ok()) {
          v.record = std::move(r.value());
        } else {
          v.missing = true;
        }
        return v;
      },
      [this](CareerView&& v) {
        if (view_.rowid != v.rowid) return;
        v.version = view_.version;
        view_ = std::move(v);
      });
  return view_;
}

// [SECTION] Drawing -----------------------------------------------------------------

std::string PayRange(const cat::Career& c) {
  if (c.salary_starter > 0 && c.salary_experienced > 0)
    return FormatPounds(c.salary_starter) + " \xE2\x80\x93 " + FormatPounds(c.salary_experienced) +
           tr(" a year");
  if (c.salary_starter > 0) return tr("From ") + FormatPounds(c.salary_starter) + tr(" a year");
  return {};
}

const char* MetricLabel(cat::LmiMetric m) {
  switch (m) {
    case cat::LmiMetric::kMedianAnnualPay:
      return tr("Typical pay");
    case cat::LmiMetric::kEmploymentChangePct:
      return tr("Change in jobs expected");
    case cat::LmiMetric::kVacancies:
      return tr("Jobs advertised now");
    case cat::LmiMetric::kEmployment:
      return tr("People doing this job");
  }
  return "";
}

std::string MetricValue(const cat::LabourMarketFigure& f) {
  char buf[64];
  switch (f.metric) {
    case cat::LmiMetric::kMedianAnnualPay:
      return FormatPounds(f.value);
    case cat::LmiMetric::kEmploymentChangePct:
      std::snprintf(buf, sizeof buf, "%+.0f%%", f.value);
      return buf;
    default:
      return FormatCount(static_cast<std::int64_t>(f.value));
  }
}

}  // namespace

void CareersScreen::Draw(App& app) {
  const Theme& t = app.theme();
  const Palette& p = t.p();
  std::string& text = text_;
  bool& keyboard = keyboard_;
  Load(app);
  float width = ImGui::GetContentRegionAvail().x;
  SearchBox(app, &text, &keyboard, width, tr("Tap to search careers, e.g. nurse"));
  float kb_h = keyboard ? ui::KeyboardHeight(t) : 0;
  float list_h = std::max(t.px(10), ImGui::GetContentRegionAvail().y - kb_h);
  ui::BeginScroll("##careers", ImVec2(0, list_h));
  if (loaded_ && list_.empty())
    ui::TextWrapped(t.heading(), p.text, tr("No careers match that. Try a shorter word."));
  float w = ImGui::GetContentRegionAvail().x;
  float row_h = t.heading()->FontSize + t.small()->FontSize + t.px(26);
  for (const auto& c : list_) {
    ImGui::PushID(static_cast<int>(c.rowid));
    ImVec2 a, b;
    if (ui::Card(t, "##career", ImVec2(w, row_h), p.careers, &a, &b))
      app.Go(Screen::kCareer, c.rowid);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ui::DrawEllipsis(dl, t.heading(), a + ImVec2(0, t.px(2)), b.x - a.x, p.text,
                     c.career.title.c_str());
    std::string pay = PayRange(c.career);
    ui::DrawEllipsis(dl, t.small(), ImVec2(a.x, b.y - t.small()->FontSize - t.px(2)), b.x - a.x,
                     p.muted, pay.empty() ? c.career.alternative_titles.c_str() : pay.c_str());
    ImGui::PopID();
  }
  ui::EndScroll();
  if (keyboard) {
    bool done = false;
    ui::Keyboard(t, &text, &done);
    if (done) keyboard = false;
  }
}

void CareerScreen::Draw(App& app) {
  const Theme& t = app.theme();
  const Palette& p = t.p();
  std::int64_t id = app.session().nav.back().id;
  CareerView& v = Load(app, id);
  if (v.rowid != id || (v.loading && v.record.rowid != id)) {
    ui::Text(t.heading(), p.muted, tr("Loading\xE2\x80\xA6"));
    return;
  }
  if (v.missing) {
    ui::TextWrapped(t.heading(), p.text, tr("This job profile is no longer listed."));
    if (ui::Button(t, tr("Back"))) app.Back();
    return;
  }
  const cat::Career& c = v.record.career;
  const std::int64_t c_rowid = v.record.rowid;
  // How many ways in the catalogue holds (the ways-in screen's data, ready
  // for when a route is tapped).
  const WaysIn* found = app.view_as<WaysInScreen>(Screen::kWaysIn).Load(app, c_rowid);
  ImVec2 avail = ImGui::GetContentRegionAvail();
  float buttons_h = t.touch() + t.gap();
  ui::BeginScroll("##career", ImVec2(0, avail.y - buttons_h));
  float w = ImGui::GetContentRegionAvail().x;
  ui::TextWrapped(t.title(), p.text, c.title.c_str(), w);
  app.Say(c.title);
  std::string pay = PayRange(c);
  if (!pay.empty()) {
    ui::Text(t.heading(), p.careers, pay.c_str());
    app.Say(pay);
  }
  if (!c.overview.empty()) {
    ui::TextWrapped(t.body(), p.text, c.overview.c_str(), w);
    app.Say(c.overview);
  }
  if (!c.hours.empty()) {
    std::string hours = std::string(tr("Hours: ")) + c.hours;
    if (!c.working_pattern.empty()) hours += ", " + c.working_pattern;
    ui::TextWrapped(t.body(), p.muted, hours.c_str(), w);
  }
  ImGui::Dummy(ImVec2(0, t.px(6)));
  // Ways in: college, apprenticeship, university side by side, same width.
  ui::Text(t.heading(), p.text, tr("Ways in"));
  struct Way {
    const char* label;
    const std::string* text;
    ImU32 colour;
  };
  Way ways[] = {{tr("College"), &c.entry_college, p.route[0]},
                {tr("Apprenticeship"), &c.entry_apprenticeship, p.route[3]},
                {tr("University"), &c.entry_university, p.route[2]}};
  bool narrow = w < t.px(560);
  float col_w = narrow ? w : (w - 2 * t.gap()) / 3;
  for (int i = 0; i < 3; ++i) {
    if (i && !narrow) ImGui::SameLine(0, t.gap());
    ImGui::BeginGroup();
    ImVec2 pos = ImGui::GetCursorScreenPos();
    ImGui::GetWindowDrawList()->AddRectFilled(pos, pos + ImVec2(col_w, t.px(6)), ways[i].colour,
                                              t.px(3));
    ImGui::Dummy(ImVec2(col_w, t.px(8)));
    ui::Text(t.heading(), p.text, ways[i].label);
    const std::string& txt = *ways[i].text;
    ui::TextWrapped(t.body(), txt.empty() ? p.muted : p.text,
                    txt.empty() ? tr("No information for this route yet.") : txt.c_str(), col_w);
    ImGui::EndGroup();
  }
  if (!c.entry_work.empty()) ui::Field(t, tr("Other ways in"), c.entry_work);
  ui::Field(t, tr("What you'll do"), c.what_you_do);
  ui::Field(t, tr("Where it can lead"), c.career_path);
  if (!v.record.lmi.empty()) {
    ui::Text(t.heading(), p.text, tr("Jobs near here"));
    for (const auto& f : v.record.lmi) {
      char line[256];
      std::snprintf(line, sizeof line, "%s: %s (%s, %d)", MetricLabel(f.metric),
                    MetricValue(f).c_str(), f.area.c_str(), f.year);
      ui::TextWrapped(t.body(), p.text, line, w);
    }
  }
  // A former student who went this way (their subject area or this job).
  if (found && !found->subject_area.empty())
    DrawAlumniStory(app, found->subject_area, c.title, w);
  else
    DrawAlumniStory(app, "", c.title, w);
  ImGui::Dummy(ImVec2(0, t.px(8)));
  ui::EndScroll();
  // Every way in the career lists (or the catalogue holds), side by side and
  // the same size, each with how many the catalogue holds: from the career's
  // own links, not a search for its title.
  std::vector<WayIn> offered;
  const std::string* entry[kWayInCount] = {&c.entry_college, &c.entry_apprenticeship,
                                           &c.entry_university};
  for (int i = 0; i < kWayInCount; ++i)
    if (!entry[i]->empty() || (found && found->count[i] > 0))
      offered.push_back(static_cast<WayIn>(i));
  if (offered.empty()) {
    if (ui::Button(t, tr("Search for courses like this"), ImVec2(avail.x, t.touch())))
      app.OpenSearch(0, "", found ? found->subject_area : std::string());
    return;
  }
  const float bw = (avail.x - t.gap() * static_cast<float>(offered.size() - 1)) /
                   static_cast<float>(offered.size());
  for (std::size_t i = 0; i < offered.size(); ++i) {
    if (i) ImGui::SameLine(0, t.gap());
    const int way = static_cast<int>(offered[i]);
    char label[96];
    if (found)
      std::snprintf(label, sizeof label, "%s  %lld###way%d", WayInName(offered[i]),
                    static_cast<long long>(found->count[way]), way);
    else
      std::snprintf(label, sizeof label, "%s###way%d", WayInName(offered[i]), way);
    if (ui::Button(t, label, ImVec2(bw, t.touch()))) WaysInScreen::Open(app, c_rowid, offered[i]);
  }
}

std::unique_ptr<View> MakeCareersScreen() { return std::make_unique<CareersScreen>(); }
std::unique_ptr<View> MakeCareerScreen() { return std::make_unique<CareerScreen>(); }

}  // namespace signpost::kiosk
