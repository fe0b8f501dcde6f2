// Compare: two or three shortlisted courses or apprenticeships side by side,
// fact by fact (level, how long, cost or wage, how far, when it starts or
// closes, what you need to get in), in equal columns. The student picks which
// from their shortlist (the first ones to start with). Nothing new is kept:
// it reads the catalogue for the shortlisted rows.
#include <algorithm>
#include <cstdio>

#include "kiosk/i18n.h"
#include "kiosk/screens/screens.h"
#include "kiosk/ui.h"

namespace signpost::kiosk {

namespace cat = signpost::catalogue;
using namespace screens;

namespace {

constexpr std::size_t kMaxCompared = 3;

struct Compared {
  cat::OpportunityRecord record;
  std::optional<double> distance_km;  // from the visitor
};

class CompareScreen : public View {
 public:
  void Draw(App& app) override;
  const char* Title() const override { return tr("Compare"); }

 private:
  void Load(App& app);
  std::vector<std::int64_t> chosen_;  // row ids, in shortlist order
  std::vector<std::int64_t> loaded_for_;
  std::uint64_t version_ = 0;
  bool loading_ = false;
  std::vector<Compared> items_;
};

void CompareScreen::Load(App& app) {
  // The choice follows the shortlist: gone items drop out, and the first
  // ones are chosen until there are two or three.
  const auto& list = app.session().shortlist;
  std::erase_if(chosen_, [&](std::int64_t id) { return !app.session().Shortlisted(id); });
  if (chosen_.size() < 2)
    for (const auto& s : list) {
      if (chosen_.size() >= kMaxCompared) break;
      if (s.kind == ShortlistItem::Kind::kOpportunity &&
          std::find(chosen_.begin(), chosen_.end(), s.rowid) == chosen_.end())
        chosen_.push_back(s.rowid);
    }
  if (loading_ || (chosen_ == loaded_for_ && version_ == app.data_version())) return;
  loading_ = true;
  loaded_for_ = chosen_;
  version_ = app.data_version();
  Fetch<std::vector<Compared>>(
      app.data(),
      [ids = chosen_, near = app.NearPoint()](Backend& b) {
        std::vector<Compared> out;
        if (!b.EnsureOpen()) return out;
        const auto origin = b.OriginFor(near);
        for (std::int64_t id : ids) {
          auto r = b.catalogue->GetOpportunity(id);
          if (!r.ok()) continue;  // gone since it was shortlisted
          Compared c{std::move(r.value()), std::nullopt};
          const auto venue = c.record.opportunity.location ? c.record.opportunity.location
                                                           : c.record.provider.location;
          if (origin && venue) c.distance_km = cat::DistanceKm(*origin, *venue);
          out.push_back(std::move(c));
        }
        return out;
      },
      [this](std::vector<Compared>&& items) {
        items_ = std::move(items);
        loading_ = false;
      });
}

}  // namespace

void CompareScreen::Draw(App& app) {
  const Theme& t = app.theme();
  const Palette& p = t.p();
  Load(app);
  const auto& list = app.session().shortlist;
  int opportunities = 0;
  for (const auto& s : list) opportunities += s.kind == ShortlistItem::Kind::kOpportunity;
  if (opportunities < 2) {
    ui::TextWrapped(t.heading(), p.text,
                    tr("Add two or three courses or apprenticeships to your shortlist to compare "
                       "them side by side."));
    if (ui::Button(t, tr("My shortlist"))) app.Go(Screen::kShortlist);
    return;
  }
  // Which to compare: every shortlisted opportunity as a chip, up to three on.
  ImGui::PushID("choose");
  const float width = ImGui::GetContentRegionAvail().x;
  ui::BeginScroll("##choose", ImVec2(width, t.touch() + t.px(2)), true);
  bool first = true;
  for (const auto& s : list) {
    if (s.kind != ShortlistItem::Kind::kOpportunity) continue;
    if (!first) ImGui::SameLine(0, t.px(8));
    first = false;
    const bool on = std::find(chosen_.begin(), chosen_.end(), s.rowid) != chosen_.end();
    const bool can = on ? chosen_.size() > 2 : chosen_.size() < kMaxCompared;
    ImGui::PushID(static_cast<int>(s.rowid));
    // Title and provider: the same course at two colleges is two choices.
    std::string name = s.title + ", " + s.provider;
    if (name.size() > 48) {
      std::size_t cut = 45;
      while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xC0) == 0x80) --cut;
      name = name.substr(0, cut) + "\xE2\x80\xA6";
    }
    if (ui::Chip(t, name.c_str(), on, -1, t.RouteColour(s.route), can)) {
      if (on)
        std::erase(chosen_, s.rowid);
      else
        chosen_.push_back(s.rowid);
    }
    ImGui::PopID();
  }
  ui::EndScroll();
  ImGui::PopID();
  if (items_.empty()) {
    ui::Text(t.heading(), p.muted, tr("Loading\xE2\x80\xA6"));
    return;
  }
  ui::BeginScroll("##compare", ImGui::GetContentRegionAvail());
  const float w = ImGui::GetContentRegionAvail().x;
  const int n = static_cast<int>(items_.size());
  const float gap = t.gap();
  const float col_w = (w - gap * static_cast<float>(n - 1)) / static_cast<float>(n);
  // One row: a label across the width, then each item's value in its column.
  auto row = [&](const char* label, auto value_of) {
    std::vector<std::string> values;
    bool any = false;
    for (const auto& c : items_) {
      values.push_back(value_of(c));
      any = any || !values.back().empty();
    }
    if (!any) return;
    ImGui::Dummy(ImVec2(0, t.px(4)));
    ui::Text(t.small(), p.muted, label);
    for (int i = 0; i < n; ++i) {
      if (i) ImGui::SameLine(0, gap);
      ImGui::BeginGroup();
      const std::string& v = values[static_cast<std::size_t>(i)];
      ui::TextWrapped(t.body(), v.empty() ? p.muted : p.text,
                      v.empty() ? tr("Not given") : v.c_str(), col_w);
      ImGui::Dummy(ImVec2(col_w, 0));  // the column keeps its width
      ImGui::EndGroup();
    }
    std::string said = label;
    for (const auto& v : values) said += ". " + (v.empty() ? std::string(tr("Not given")) : v);
    app.Say(said);
  };
  // Titles, each in its route's colour band.
  for (int i = 0; i < n; ++i) {
    if (i) ImGui::SameLine(0, gap);
    ImGui::BeginGroup();
    const auto& o = items_[static_cast<std::size_t>(i)].record;
    const ImVec2 pos = ImGui::GetCursorScreenPos();
    ImGui::GetWindowDrawList()->AddRectFilled(pos, pos + ImVec2(col_w, t.px(6)),
                                              t.RouteColour(o.opportunity.route), t.px(3));
    ImGui::Dummy(ImVec2(col_w, t.px(8)));
    ui::TextWrapped(t.heading(), p.text, o.opportunity.title.c_str(), col_w);
    ui::TextWrapped(t.small(), p.muted, o.provider.name.c_str(), col_w);
    ImGui::Dummy(ImVec2(col_w, 0));
    ImGui::EndGroup();
    app.Say(o.opportunity.title);
  }
  row(tr("Route"),
      [](const Compared& c) { return std::string(RouteName(c.record.opportunity.route)); });
  row(tr("Level"), [](const Compared& c) { return LevelText(c.record.opportunity.level); });
  row(tr("How long"), [](const Compared& c) {
    std::string mode = ModeText(c.record.opportunity.mode);
    const std::string& d = c.record.opportunity.duration;
    return d.empty() ? mode : mode.empty() ? d : d + ", " + mode;
  });
  row(tr("Cost or wage"), [](const Compared& c) {
    const cat::Opportunity& o = c.record.opportunity;
    if (!o.wage_text.empty()) return o.wage_text;
    if (o.wage_annual > 0) return FormatPounds(o.wage_annual) + tr(" a year");
    return o.cost_text;
  });
  row(tr("How far"), [&app](const Compared& c) {
    std::string away = app.DistanceText(c.distance_km);
    std::string town = c.record.opportunity.location_name.empty()
                           ? c.record.provider.town
                           : c.record.opportunity.location_name;
    return away.empty() ? town : town.empty() ? away : town + ", " + away;
  });
  row(tr("When"), [](const Compared& c) {
    const cat::Opportunity& o = c.record.opportunity;
    std::string when = StartText(o.start, o.flexible_start);
    const std::string closing = ClosingText(o.closing);
    return closing.empty() ? when : when.empty() ? closing : when + ". " + closing;
  });
  row(tr("What you need to get in"),
      [](const Compared& c) { return c.record.opportunity.entry_requirements; });
  row(tr("Qualification"), [](const Compared& c) { return c.record.opportunity.qualification; });
  // Each one a tap away.
  ImGui::Dummy(ImVec2(0, t.px(6)));
  for (int i = 0; i < n; ++i) {
    if (i) ImGui::SameLine(0, gap);
    const auto& r = items_[static_cast<std::size_t>(i)].record;
    ImGui::PushID(static_cast<int>(r.rowid));
    char label[64];
    std::snprintf(label, sizeof label, "%s##open", tr("See details"));
    if (ui::Button(t, label, ImVec2(col_w, t.touch()), ui::ButtonKind::kSecondary))
      app.Go(Screen::kDetail, r.rowid);
    ImGui::PopID();
  }
  ImGui::Dummy(ImVec2(0, t.px(8)));
  ui::EndScroll();
}

std::unique_ptr<View> MakeCompareScreen() { return std::make_unique<CompareScreen>(); }

}  // namespace signpost::kiosk
