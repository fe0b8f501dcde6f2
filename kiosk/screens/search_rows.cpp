// Shared result rows and plain-words helpers (declared in screens.h), used by
// the search screen and every screen that lists opportunities: route names
// and glyphs, level and study-mode words, start and closing dates, the
// opportunity row (title, facts, shortlist star), the route chips and the
// search box.
// Thread safety: UI thread only.
#include <algorithm>
#include <cstdio>
#include <optional>

#include "kiosk/i18n.h"
#include "kiosk/screens/screens.h"
#include "kiosk/ui.h"

namespace signpost::kiosk {

namespace cat = signpost::catalogue;

namespace screens {

// [SECTION] Shared helpers ---------------------------------------------------------

const char* RouteName(cat::Route r) {
  switch (r) {
    case cat::Route::kFurtherEducation:
      return tr("Further education");
    case cat::Route::kTLevel:
      return tr("T Levels");
    case cat::Route::kHigherEducation:
      return tr("Higher education");
    case cat::Route::kApprenticeship:
      return tr("Apprenticeships");
  }
  return "";
}

const char* RouteGlyph(cat::Route r) {
  switch (r) {
    case cat::Route::kFurtherEducation:
      return "FE";
    case cat::Route::kTLevel:
      return "T";
    case cat::Route::kHigherEducation:
      return "HE";
    case cat::Route::kApprenticeship:
      return "AP";
  }
  return "";
}

// The catalogue's LevelPlainWords(), listed so that xgettext puts them in
// the translation catalogues (keep in step with catalogue/src/model.cpp).
[[maybe_unused]] constexpr const char* kLevelWords[] = {
    tr_noop("Level not stated"),
    tr_noop("Entry level: a first step, no qualifications needed"),
    tr_noop("Level 1: same level as GCSE grades 3 to 1"),
    tr_noop("Level 2: same level as GCSE grades 9 to 4"),
    tr_noop("Level 3: same level as A levels"),
    tr_noop("Level 4: same level as the first year of a degree (HNC)"),
    tr_noop("Level 5: same level as a foundation degree or HND"),
    tr_noop("Level 6: same level as a bachelor's degree"),
    tr_noop("Level 7: same level as a master's degree"),
    tr_noop("Level 8: same level as a doctorate (PhD)"),
};

std::string LevelText(int level) {
  if (level < 0 || level > 8) return {};
  // The catalogue's plain words are English; translate them when we can.
  return tr(std::string(cat::LevelPlainWords(level)).c_str());
}

const char* ModeText(cat::StudyMode m) {
  switch (m) {
    case cat::StudyMode::kUnknown:
      return "";
    case cat::StudyMode::kFullTime:
      return tr("Full time");
    case cat::StudyMode::kPartTime:
      return tr("Part time");
    case cat::StudyMode::kFlexible:
      return tr("Flexible");
    case cat::StudyMode::kDistance:
      return tr("Online or distance");
    case cat::StudyMode::kWorkBased:
      return tr("Mostly at work");
  }
  return "";
}

std::string StartText(const std::optional<Day>& start, bool flexible) {
  if (flexible) return tr("Start any time");
  if (!start) return {};
  char buf[96];
  std::snprintf(buf, sizeof buf, tr("Starts %s"), HumanDate(*start).c_str());
  return buf;
}

std::string ClosesInText(Day closing, Day today) {
  const int days = closing - today;
  if (days < 0) return tr("Closed");
  if (days == 0) return tr("Closes today");
  if (days == 1) return tr("Closes tomorrow");
  char buf[96];
  if (days <= 31)
    std::snprintf(buf, sizeof buf, trn("Closes in %d day", "Closes in %d days", days), days);
  else
    std::snprintf(buf, sizeof buf, tr("Apply by %s"), HumanDate(closing, false).c_str());
  return buf;
}

std::string ClosingText(const std::optional<Day>& closing, Day today) {
  if (!closing) return {};
  if (*closing < today) return tr("Closed");
  char buf[96];
  std::snprintf(buf, sizeof buf, tr("Apply by %s"), HumanDate(*closing).c_str());
  std::string out = buf;
  if (*closing - today <= 31) out += "  \xC2\xB7  " + ClosesInText(*closing, today);
  return out;
}

bool ClosingSoon(const std::optional<Day>& closing, Day today) {
  return closing && *closing >= today && *closing - today <= kClosingSoonDays;
}

bool PostedRecently(const std::optional<Day>& posted, Day today) {
  return posted && *posted <= today + 1 && today - *posted < kNewDays;
}

const char* RowTagText(RowTag tag) { return tag == RowTag::kNew ? tr("New") : tr("Closing soon"); }

float RowTagWidth(const Theme& t, RowTag tag) {
  ImFont* f = t.small();  // no taller than the row's second line leaves room for
  return f->CalcTextSizeA(f->FontSize, FLT_MAX, 0, RowTagText(tag)).x + t.px(16);
}

void DrawRowTag(App& app, ImDrawList* dl, ImVec2 at, RowTag tag) {
  // Outlined in a text colour on the card's own surface: readable in both
  // palettes ("Closing soon" in the warning colour, "New" in the link colour).
  const Theme& t = app.theme();
  ImFont* f = t.small();
  const ImU32 colour = tag == RowTag::kNew ? t.p().primary : t.p().warning;
  const ImVec2 size(RowTagWidth(t, tag), f->FontSize + t.px(2));
  dl->AddRectFilled(at, at + size, t.p().surface, t.px(6));
  dl->AddRect(at, at + size, colour, t.px(6), 0, t.px(2));
  ui::DrawText(dl, f, at + ImVec2(t.px(8), t.px(1)), colour, RowTagText(tag));
}

std::vector<RowTag> RowTags(const std::optional<Day>& posted, const std::optional<Day>& closing,
                            Day today) {
  std::vector<RowTag> tags;
  if (PostedRecently(posted, today)) tags.push_back(RowTag::kNew);
  if (ClosingSoon(closing, today)) tags.push_back(RowTag::kClosingSoon);
  return tags;
}

float RowTagsWidth(const Theme& t, const std::vector<RowTag>& tags, float gap) {
  float w = 0;
  for (RowTag tag : tags) w += (w > 0 ? gap : 0) + RowTagWidth(t, tag);
  return w;
}

float OpportunityRowHeight(const Theme& t, bool compact) {
  // Compact (a short screen with large text): the title a size smaller.
  ImFont* title =
      compact ? t.Font(FontRole::kHeading, std::max(0, t.text_size() - 1)) : t.heading();
  return std::max(t.touch() + (compact ? 0.0f : t.px(16)),
                  title->FontSize + t.small()->FontSize + t.px(compact ? 16 : 26));
}

std::string RowFacts(App& app, const cat::OpportunitySummary& s, Day today, bool with_closing) {
  // What a student compares first: how far, and when it starts (or when to
  // apply by, and when it starts, for a vacancy). Short dates: "7 Sep".
  std::string out = app.DistanceText(s.distance_km);
  auto add = [&out](const std::string& part) {
    if (part.empty()) return;
    if (!out.empty()) out += "  \xC2\xB7  ";
    out += part;
  };
  if (s.closing && with_closing) add(ClosesInText(*s.closing, today));
  if (s.flexible_start) {
    add(tr("Start any time"));
  } else if (s.start) {
    char buf[96];
    std::snprintf(buf, sizeof buf, tr("Starts %s"), HumanDate(*s.start, false).c_str());
    add(buf);
  }
  return out;
}

bool OpportunityRow(App& app, const cat::OpportunitySummary& s, float width, float height) {
  const Theme& t = app.theme();
  const Palette& p = t.p();
  const bool compact = height < OpportunityRowHeight(t, false) - 0.5f;
  ImGui::PushID(static_cast<int>(s.rowid ^ (s.rowid >> 32)));
  float star_w = t.touch() + t.px(8);
  ImVec2 a, b;
  bool open = ui::Card(t, "##row", ImVec2(width - star_w - t.px(8), height), t.RouteColour(s.route),
                       &a, &b);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImFont* hf = compact ? t.Font(FontRole::kHeading, std::max(0, t.text_size() - 1)) : t.heading();
  ImFont* sf = t.small();
  float w = b.x - a.x;
  // "New" and "Closing soon" at the end of the title line (a vacancy posted
  // or closing within a week); the title gives way to them. On a row too
  // narrow for both, "Closing soon" (the one a student can miss) stays.
  const Day today = TodayUtc();
  const float gap = t.px(6);
  std::vector<RowTag> tags = RowTags(s.posted, s.closing, today);
  while (!tags.empty() && w <= RowTagsWidth(t, tags, gap) * 2.5f) tags.erase(tags.begin());
  const float tags_w = RowTagsWidth(t, tags, gap);
  const float title_w = tags.empty() ? w : w - tags_w - t.px(8);
  ui::DrawEllipsis(dl, hf, a + ImVec2(0, compact ? 0.0f : t.px(2)), title_w, p.text,
                   s.title.c_str());
  float tag_x = b.x - tags_w;
  for (RowTag tag : tags) {
    DrawRowTag(app, dl, ImVec2(tag_x, a.y), tag);
    tag_x += RowTagWidth(t, tag) + gap;
  }
  // Second line: the facts first (distance, start date: never cut), in the
  // text colour; then route · level · provider, town in the muted colour,
  // cut with "…" when the row is narrow (a tap opens the whole).
  // Too long for the row (the largest text in Welsh): the closing words
  // give way (a vacancy closing this week keeps its "Closing soon" tag, and
  // its page says when), distance and start stay.
  std::string facts = RowFacts(app, s, today);
  auto width_of = [sf](const std::string& text) {
    return sf->CalcTextSizeA(sf->FontSize, FLT_MAX, 0, text.c_str()).x;
  };
  if (width_of(facts) > w) facts = RowFacts(app, s, today, false);
  const float y = b.y - sf->FontSize - (compact ? 0.0f : t.px(2));
  float x = a.x;
  if (!facts.empty()) {
    ui::DrawEllipsis(dl, sf, ImVec2(x, y), w, p.text, facts.c_str());
    x += std::min(w, width_of(facts));
  }
  std::string more = facts.empty() ? "" : "  \xC2\xB7  ";
  more += RouteName(s.route);
  if (s.level >= 0)
    more += std::string("  \xC2\xB7  ") + tr("Level") + " " + std::to_string(s.level);
  more += "  \xC2\xB7  " + s.provider_name;
  if (!s.town.empty()) more += ", " + s.town;
  // Leave the rest out rather than show a lone "…" after the facts.
  if (b.x - x > sf->FontSize * 4)
    ui::DrawEllipsis(dl, sf, ImVec2(x, y), b.x - x, p.muted, more.c_str());
  ImGui::SameLine(0, t.px(8));
  bool listed = app.session().Shortlisted(s.rowid);
  ImVec2 sp = ImGui::GetCursorScreenPos();
  // Its name in the frame record says what a tap does, and to what.
  static std::string star_label;  // reused every row and frame
  star_label.assign(listed ? tr("Remove from shortlist") : tr("Add to shortlist"));
  star_label.append(": ").append(s.title).append(", ").append(s.provider_name);
  if (ui::HitArea("##star", ImVec2(star_w, height), star_label.c_str())) app.ToggleShortlist(s);
  ImFont* gf = t.title();
  const char* star = listed ? "\xE2\x98\x85" : "\xE2\x98\x86";
  ImVec2 gs = gf->CalcTextSizeA(gf->FontSize, FLT_MAX, 0, star);
  ImVec2 c = sp + ImVec2(star_w * 0.5f, height * 0.5f);
  const float radius = std::min(star_w, height) * 0.42f;
  dl->AddCircleFilled(c, radius, listed ? p.primary : p.surface, 32);
  dl->AddCircle(c, radius, listed ? p.primary : p.border, 32, t.px(2));
  ui::DrawText(dl, gf, c - gs * 0.5f, listed ? p.on_primary : p.text, star);
  ImGui::PopID();
  return open;
}

void DrawRouteChips(App& app, std::uint8_t* routes,
                    const std::array<std::int64_t, cat::kRouteCount>* counts) {
  const Theme& t = app.theme();
  const float width = ImGui::GetContentRegionAvail().x;
  const float gap = t.px(8);
  constexpr cat::Route kRoutes[] = {cat::Route::kFurtherEducation, cat::Route::kTLevel,
                                    cat::Route::kHigherEducation, cat::Route::kApprenticeship};
  auto bit = [](cat::Route r) { return static_cast<std::uint8_t>(1u << static_cast<int>(r)); };
  auto count_of = [&](cat::Route r) -> long long {
    return counts ? (*counts)[static_cast<std::size_t>(r)] : -1;
  };
  // A route with nothing (with the other filters) cannot be chosen, unless it is.
  auto enabled = [&](cat::Route r) { return count_of(r) != 0 || (*routes & bit(r)); };
  float natural = ui::ChipWidth(t, tr("All routes"));
  for (cat::Route r : kRoutes)
    natural += gap + ui::ChipWidth(t, RouteName(r), count_of(r), t.RouteColour(r));
  if (natural <= width) {
    if (ui::Chip(t, tr("All routes"), *routes == 0)) *routes = 0;
    for (cat::Route r : kRoutes) {
      ImGui::SameLine(0, gap);
      if (ui::Chip(t, RouteName(r), *routes & bit(r), count_of(r), t.RouteColour(r), enabled(r)))
        *routes ^= bit(r);
    }
  } else {
    const float share = (width - gap * 3) / 4;
    ImFont* font = ui::StackedChipFont(t,
                                       {RouteName(kRoutes[0]), RouteName(kRoutes[1]),
                                        RouteName(kRoutes[2]), RouteName(kRoutes[3])},
                                       share);
    for (cat::Route r : kRoutes) {
      if (r != cat::Route::kFurtherEducation) ImGui::SameLine(0, gap);
      if (ui::StackedChip(t, RouteName(r), *routes & bit(r), count_of(r), t.RouteColour(r), share,
                          enabled(r), font))
        *routes ^= bit(r);
    }
  }
}

// A tappable box that shows the text and a caret; tapping opens the keyboard.
void SearchBox(App& app, std::string* text, bool* keyboard_open, float width,
               const char* placeholder, float height) {
  const Theme& t = app.theme();
  const Palette& p = t.p();
  float h = height > 0 ? height : t.touch() + t.px(4);
  ImVec2 pos = ImGui::GetCursorScreenPos();
  if (ui::HitArea("##searchbox", ImVec2(width, h), text->empty() ? placeholder : text->c_str()))
    *keyboard_open = true;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(pos, pos + ImVec2(width, h), p.surface, t.px(8));
  dl->AddRect(pos, pos + ImVec2(width, h), *keyboard_open ? p.primary : p.text, t.px(8), 0,
              t.px(*keyboard_open ? 3.0f : 2.0f));
  ImFont* f = t.heading();
  float ty = pos.y + (h - f->FontSize) * 0.5f;
  float x = pos.x + t.px(14);
  if (text->empty()) {
    // A hint too long for the box loses its example ("Tap here to type, e.g.
    // engineering" -> "Tap here to type") rather than end in "…".
    ImFont* bf = t.body();
    std::string hint = placeholder;
    for (std::size_t cut;
         bf->CalcTextSizeA(bf->FontSize, FLT_MAX, 0, hint.c_str()).x > width - t.px(28) &&
         (cut = hint.rfind(", ")) != std::string::npos;)
      hint.resize(cut);
    ui::DrawEllipsis(dl, bf, ImVec2(x, pos.y + (h - bf->FontSize) * 0.5f), width - t.px(28),
                     p.muted, hint.c_str());
  } else {
    ui::DrawEllipsis(dl, f, ImVec2(x, ty), width - t.px(40), p.text, text->c_str());
    x += std::min(width - t.px(40), f->CalcTextSizeA(f->FontSize, FLT_MAX, 0, text->c_str()).x);
  }
  if (*keyboard_open)
    dl->AddRectFilled(ImVec2(x + t.px(2), ty), ImVec2(x + t.px(5), ty + f->FontSize), p.primary);
}

}  // namespace screens

}  // namespace signpost::kiosk
