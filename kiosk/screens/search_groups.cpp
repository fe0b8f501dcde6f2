// The grouped first screen of a typed search (see search_groups.h): what the
// search engine's first_screen() holds, drawn as the student meets it, then
// "More results" (the rest of the opportunities, clipped and fetched page by
// page as the flat list is). Also "All 13 careers" (the whole list of one
// kind), holding the previous results while a word is half typed, and the
// way back from one route to every route.
//
// Index:
//   [SECTION] Words
//   [SECTION] Data (worker)
//   [SECTION] Grouped first screen
//   [SECTION] All of one kind
//   [SECTION] Typing and the way back
#include "kiosk/screens/search_groups.h"

#include <algorithm>
#include <cstdio>

#include "kiosk/i18n.h"
#include "kiosk/screens/screens.h"
#include "kiosk/screens/search.h"
#include "kiosk/ui.h"

namespace signpost::kiosk {

namespace cat = signpost::catalogue;
using namespace screens;

namespace {

constexpr std::size_t kMaxAllOfKind = 200;  // "All 13 careers": at most this many rows

std::uint8_t RouteBit(cat::Route r) { return static_cast<std::uint8_t>(1u << static_cast<int>(r)); }

// [SECTION] Words ----------------------------------------------------------------------

// The event list's own words for a kind ("Open day"), from its stored key.
const char* EventKindWords(const std::string& key) {
  return screens::EventKindText(cat::ParseEventKind(key).value_or(cat::EventKind::kOther));
}

const char* LocalKindWords(const std::string& key) {
  switch (cat::ParseLocalKind(key).value_or(cat::LocalKind::kNotice)) {
    case cat::LocalKind::kAdviserDropIn:
      return tr("Talk to your careers adviser");
    case cat::LocalKind::kAlumniStory:
      return tr("A former student's story: tap to read it");
    case cat::LocalKind::kNotice:
      return tr("Notice from your school");
    case cat::LocalKind::kSchoolEvent:
      return tr("Event at your school");
    case cat::LocalKind::kLink:
      return tr("Link from your school");
  }
  return "";
}

// The second line of a career, event or school item, in the student's language
// (the engine's own line is English).
std::string ItemLine(const cat::ItemSummary& it) {
  switch (it.kind) {
    case cat::ResultKind::kCareer: {
      // "£21,000 to £27,000 a year" -> "£21,000 – £27,000 a year", as the career screen says it.
      const std::string to = " to ", year = " a year";
      const std::size_t at = it.detail.find(to);
      if (at == std::string::npos || it.detail.size() < year.size() ||
          it.detail.compare(it.detail.size() - year.size(), year.size(), year) != 0)
        return it.detail;
      return it.detail.substr(0, at) + " \xE2\x80\x93 " +
             it.detail.substr(at + to.size(), it.detail.size() - year.size() - at - to.size()) +
             tr(" a year");
    }
    case cat::ResultKind::kEvent: {
      std::string line = EventKindWords(it.subkind);
      if (it.start) line += std::string("  \xC2\xB7  ") + HumanDate(DayOf(*it.start));
      // The place: what the engine's line holds after its kind and date.
      if (it.start) {
        const std::string head =
            std::string(cat::EventKindLabel(
                cat::ParseEventKind(it.subkind).value_or(cat::EventKind::kOther))) +
            ", " + FormatHumanDate(DayOf(*it.start)) + ", ";
        if (it.detail.size() > head.size() && it.detail.compare(0, head.size(), head) == 0)
          line += "  \xC2\xB7  " + it.detail.substr(head.size());
      }
      return line;
    }
    case cat::ResultKind::kLocal:
      return LocalKindWords(it.subkind);
    case cat::ResultKind::kOpportunity:
      break;
  }
  return it.detail;
}

// A school event's line as the open days list has it: "Event at your school
// · Tue 8 Dec, 18:00 – 19:30" (its day and time are in the local content
// the app holds, not in the search engine's summary).
std::string SchoolEventLine(App& app, const cat::ItemSummary& it) {
  std::string line = LocalKindWords(it.subkind);
  for (const auto& item : app.local_view().school)
    if (item.rowid == it.rowid && item.kind == cat::LocalKind::kSchoolEvent)
      line += "  \xC2\xB7  " + EventWhen(SchoolEventRecord(item).event, false);
  return line;
}

ImU32 GroupColour(const Theme& t, const cat::ResultBlock& b) {
  switch (b.kind) {
    case cat::ResultKind::kOpportunity:
      return t.RouteColour(b.route);
    case cat::ResultKind::kCareer:
      return t.p().careers;
    case cat::ResultKind::kEvent:
      return t.p().events;
    case cat::ResultKind::kLocal:
      return t.p().subjects;
  }
  return t.p().primary;
}

// "Apprenticeships (17)" with the group's colour beside it.
void GroupHeading(App& app, const char* label, std::int64_t total, ImU32 colour, float width) {
  const Theme& t = app.theme();
  char text[160];
  std::snprintf(text, sizeof text, "%s (%s)", label, FormatCount(total).c_str());
  ImFont* f = t.heading();
  ImVec2 pos = ImGui::GetCursorScreenPos() + ImVec2(0, t.px(6));
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(pos, pos + ImVec2(t.px(6), f->FontSize), colour, t.px(3));
  ui::DrawEllipsis(dl, f, pos + ImVec2(t.px(14), 0), width - t.px(14), t.p().text, text);
  ImGui::Dummy(ImVec2(width, f->FontSize + t.px(8)));
  app.Say(text);
}

float ItemRowHeight(const Theme& t) {
  return std::max(t.touch() + t.px(16), t.heading()->FontSize + t.small()->FontSize + t.px(26));
}

}  // namespace

const char* GroupLabel(const cat::ResultBlock& b) {
  switch (b.kind) {
    case cat::ResultKind::kOpportunity:
      return RouteName(b.route);
    case cat::ResultKind::kCareer:
      return tr("Careers");
    case cat::ResultKind::kEvent:
      return tr("Open days and events");
    case cat::ResultKind::kLocal:
      return tr("From your school");
  }
  return "";
}

std::string AllOfGroupLabel(const cat::ResultBlock& b) {
  const std::string n = FormatCount(b.total);
  char buf[192] = "";
  // Each on its own line so that the format is checked (tr keeps it a format).
  switch (b.kind) {
    case cat::ResultKind::kOpportunity:
      switch (b.route) {
        case cat::Route::kFurtherEducation:
          std::snprintf(buf, sizeof buf, tr("All %s further education courses"), n.c_str());
          break;
        case cat::Route::kTLevel:
          std::snprintf(buf, sizeof buf, tr("All %s T Level courses"), n.c_str());
          break;
        case cat::Route::kHigherEducation:
          std::snprintf(buf, sizeof buf, tr("All %s higher education courses"), n.c_str());
          break;
        case cat::Route::kApprenticeship:
          std::snprintf(buf, sizeof buf, tr("All %s apprenticeships"), n.c_str());
          break;
      }
      break;
    case cat::ResultKind::kCareer:
      std::snprintf(buf, sizeof buf, tr("All %s careers"), n.c_str());
      break;
    case cat::ResultKind::kEvent:
      std::snprintf(buf, sizeof buf, tr("All %s open days and events"), n.c_str());
      break;
    case cat::ResultKind::kLocal:
      std::snprintf(buf, sizeof buf, tr("All %s from your school"), n.c_str());
      break;
  }
  return buf;
}

std::string GroupSummary(const std::vector<ResultGroup>& groups) {
  std::string out;
  for (const ResultGroup& g : groups) {
    if (!out.empty()) out += "  \xC2\xB7  ";
    // No-break spaces keep a group's name with its count when the line wraps.
    std::string label = GroupLabel(g.block);
    for (std::size_t at = label.find(' '); at != std::string::npos; at = label.find(' ', at))
      label.replace(at, 1, "\xC2\xA0");
    out += label + "\xC2\xA0" + FormatCount(g.block.total);
  }
  return out;
}

// [SECTION] Data (worker) ----------------------------------------------------------------

std::vector<ResultGroup> FetchGroups(Backend& b, const cat::SearchResults& results,
                                     std::int64_t* grouped_rows) {
  std::vector<ResultGroup> out;
  *grouped_rows = 0;
  for (const cat::ResultBlock& block : results.first_screen()) {
    ResultGroup g;
    g.block = block;
    if (block.kind == cat::ResultKind::kOpportunity) {
      // They are the first rows of the list, shown or not (a row gone since is skipped).
      *grouped_rows += static_cast<std::int64_t>(block.rowids.size());
      if (auto s = b.engine->Summaries(block.rowids, b.origin); s.ok()) g.rows = std::move(*s);
      if (g.rows.empty()) continue;
    } else {
      if (auto s = b.engine->ItemSummaries(block.kind, block.rowids); s.ok())
        g.items = std::move(*s);
      if (g.items.empty()) continue;
    }
    out.push_back(std::move(g));
  }
  return out;
}

// [SECTION] Grouped first screen ---------------------------------------------------------

bool SearchScreen::ShowsGroups() const {
  const SearchView& v = view_;
  return v.has_results && v.error.empty() && !v.groups.empty() && v.for_state.routes == 0 &&
         !v.for_state.text.empty();
}

void SearchScreen::DrawGroup(App& app, const ResultGroup& g, float width) {
  const Theme& t = app.theme();
  const Palette& p = t.p();
  SearchState& s = app.session().search;
  const cat::ResultBlock& b = g.block;
  ImGui::PushID(static_cast<int>(b.kind) * 8 + static_cast<int>(b.route));
  GroupHeading(app, GroupLabel(b), b.total, GroupColour(t, b), width);
  std::size_t shown = 0;
  if (b.kind == cat::ResultKind::kOpportunity) {
    const float row_h = OpportunityRowHeight(t);
    for (const auto& row : g.rows) {
      if (shown++ < 2) app.Say(row.title + ", " + row.provider_name);
      if (OpportunityRow(app, row, width, row_h)) app.Go(Screen::kDetail, row.rowid);
    }
  } else {
    const float row_h = ItemRowHeight(t);
    for (const auto& it : g.items) {
      ++shown;
      ImGui::PushID(static_cast<int>(it.rowid ^ (it.rowid >> 32)));
      const bool story = it.kind == cat::ResultKind::kLocal &&
                         cat::ParseLocalKind(it.subkind) == cat::LocalKind::kAlumniStory;
      const bool open = story && groups_.open_story == it.title;
      ImVec2 a, c;
      const bool tapped = ui::Card(t, "##item", ImVec2(width, row_h), GroupColour(t, b), &a, &c);
      ImDrawList* dl = ImGui::GetWindowDrawList();
      ui::DrawEllipsis(dl, t.heading(), a + ImVec2(0, t.px(2)), c.x - a.x, p.text,
                       it.title.c_str());
      const bool school_event = it.kind == cat::ResultKind::kLocal &&
                                cat::ParseLocalKind(it.subkind) == cat::LocalKind::kSchoolEvent;
      const std::string line = open           ? tr("A former student's story: tap to close it")
                               : school_event ? SchoolEventLine(app, it)
                                              : ItemLine(it);
      ui::DrawEllipsis(dl, t.small(), ImVec2(a.x, c.y - t.small()->FontSize - t.px(2)), c.x - a.x,
                       p.muted, line.c_str());
      app.Say(it.title);
      if (tapped) {
        if (it.kind == cat::ResultKind::kCareer)
          app.Go(Screen::kCareer, it.rowid);
        else if (it.kind == cat::ResultKind::kEvent)
          app.Go(Screen::kEvent, it.rowid);
        else if (school_event)  // the event screen knows the school's by minus their row id
          app.Go(Screen::kEvent, -it.rowid);
        else if (story)  // read in place: a story has no screen of its own
          groups_.open_story = groups_.open_story == it.title ? std::string() : it.title;
        else
          app.Go(Screen::kHelp);  // the school's notices, events, links and adviser
      }
      if (open) {
        // The story under its card, set in from the edge.
        for (const auto& item : app.local_view().stories) {
          if (item.title != it.title) continue;
          const float indent = t.px(22);
          ImGui::Indent(indent);
          ui::TextWrapped(t.body(), p.text, item.body.c_str(), width - indent);
          app.Say(item.body);
          if (!item.leads_to.empty()) {
            std::string led = std::string(tr("What it led to: ")) + item.leads_to;
            ui::TextWrapped(t.small(), p.muted, led.c_str(), width - indent);
          }
          ImGui::Unindent(indent);
          break;
        }
      }
      ImGui::PopID();
    }
  }
  if (b.total > static_cast<std::int64_t>(shown)) {
    const std::string label = AllOfGroupLabel(b) + "###all";
    if (ui::Button(t, label.c_str(), ImVec2(0, 0), ui::ButtonKind::kSecondary)) {
      if (b.kind == cat::ResultKind::kOpportunity)
        s.routes = RouteBit(b.route);  // the list of that route, every filter else kept
      else
        OpenAllOfKind(app, b.kind);
    }
  }
  ImGui::Dummy(ImVec2(0, t.px(6)));
  ImGui::PopID();
}

void SearchScreen::DrawGroups(App& app, float height) {
  const Theme& t = app.theme();
  const Palette& p = t.p();
  SearchView& v = view_;
  SearchState& s = app.session().search;
  ui::BeginScroll("##groups", ImVec2(0, height));
  const float spacing = t.px(8);
  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(spacing, spacing));
  const float w = ImGui::GetContentRegionAvail().x;
  if (!v.corrected && !v.did_you_mean.empty()) {
    // Only a suggestion: what was typed found something too.
    char label[192];
    std::snprintf(label, sizeof label, tr("Did you mean \xE2\x80\x9C%s\xE2\x80\x9D?"),
                  v.did_you_mean.c_str());
    std::string id = std::string(label) + "###didyoumean";
    if (ui::Button(t, id.c_str(), ImVec2(0, 0), ui::ButtonKind::kSecondary))
      s.text = v.did_you_mean;
  }
  // The count of every group; left out while typing on a short panel, where
  // the keyboard leaves room for little more than the first result.
  const std::string summary = GroupSummary(v.groups);
  if (!s.keyboard_open || height > 4 * OpportunityRowHeight(t))
    ui::TextWrapped(t.small(), p.muted, summary.c_str(), w);
  app.Say(summary);
  for (const ResultGroup& g : v.groups) DrawGroup(app, g, w);

  // The rest of the opportunities, every route in turn, as the flat list.
  const std::int64_t rest = v.total - v.grouped_rows;
  if (rest > 0) {
    GroupHeading(app, tr("More results"), rest, p.border, w);
    const float row_h = OpportunityRowHeight(t);
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(std::min<std::int64_t>(rest, 1 << 30)), row_h + spacing);
    while (clipper.Step()) {
      RequestRows(app, v.grouped_rows + clipper.DisplayStart,
                  clipper.DisplayEnd - clipper.DisplayStart + 20);
      for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
        const cat::OpportunitySummary* row = v.Row(v.grouped_rows + i);
        if (!row) {
          ImVec2 a = ImGui::GetCursorScreenPos();
          ImGui::GetWindowDrawList()->AddRectFilled(a, a + ImVec2(w, row_h),
                                                    WithAlpha(p.surface, 0.6f), t.radius());
          ImGui::Dummy(ImVec2(w, row_h));
          continue;
        }
        if (OpportunityRow(app, *row, w, row_h)) app.Go(Screen::kDetail, row->rowid);
      }
    }
  }
  ImGui::PopStyleVar();
  ui::EndScroll();
}

// [SECTION] All of one kind ----------------------------------------------------------

void SearchScreen::OpenAllOfKind(App& app, cat::ResultKind kind) {
  groups_.all_of_kind = kind;
  groups_.all_generation = view_.generation;
  groups_.all_loading = true;
  groups_.all = ResultGroup{};
  groups_.all.block.kind = kind;
  for (const ResultGroup& g : view_.groups)
    if (g.block.kind == kind) groups_.all.block.total = g.block.total;
  const std::uint64_t gen = view_.generation;
  Fetch<std::vector<cat::ItemSummary>>(
      app.data(),
      [gen, kind](Backend& b) {
        std::vector<cat::ItemSummary> items;
        if (!b.results || b.results_generation != gen || !b.engine) return items;
        const cat::SearchResults& r = *b.results;
        const std::vector<std::int64_t>& all = kind == cat::ResultKind::kCareer  ? r.careers()
                                               : kind == cat::ResultKind::kEvent ? r.events()
                                                                                 : r.local_items();
        const auto n = static_cast<std::ptrdiff_t>(std::min(all.size(), kMaxAllOfKind));
        if (auto s = b.engine->ItemSummaries(kind, {all.begin(), all.begin() + n}); s.ok())
          items = std::move(*s);
        return items;
      },
      [this, gen, kind](std::vector<cat::ItemSummary>&& items) {
        if (groups_.all_of_kind != kind || groups_.all_generation != gen) return;
        groups_.all_loading = false;
        groups_.all.items = std::move(items);
        // The heading counts what is listed; nothing more to open from here.
        groups_.all.block.total = static_cast<std::int64_t>(groups_.all.items.size());
      });
}

void SearchScreen::DrawAllOfKind(App& app, float height) {
  const Theme& t = app.theme();
  const Palette& p = t.p();
  ui::BeginScroll("##allofkind", ImVec2(0, height));
  const float spacing = t.px(8);
  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(spacing, spacing));
  const float w = ImGui::GetContentRegionAvail().x;
  char back[192];
  std::snprintf(back, sizeof back, tr("\xE2\x86\x90 Every result for \xE2\x80\x9C%s\xE2\x80\x9D"),
                view_.for_state.text.c_str());
  const std::string back_id = std::string(back) + "###everyresult";
  const bool go_back = ui::Button(t, back_id.c_str(), ImVec2(0, 0), ui::ButtonKind::kSecondary);
  const ResultGroup& all = groups_.all;
  if (groups_.all_loading) {
    GroupHeading(app, GroupLabel(all.block), all.block.total, GroupColour(t, all.block), w);
    ui::Text(t.heading(), p.muted, tr("Loading\xE2\x80\xA6"));
  } else {
    DrawGroup(app, all, w);
  }
  ImGui::PopStyleVar();
  ui::EndScroll();
  if (go_back) groups_.all_of_kind.reset();
}

// [SECTION] Typing and the way back --------------------------------------------------

bool SearchScreen::HoldWhileTyping(App& app, bool empty, const std::string& did_you_mean) {
  const SearchState& s = app.session().search;
  const bool showing =
      view_.has_results && view_.error.empty() && (view_.total > 0 || !view_.groups.empty());
  // Mid-word: the keyboard is up and the text does not end a word yet.
  const bool mid_word = s.keyboard_open && !s.text.empty() && s.text.back() != ' ';
  if (!empty || !showing || !mid_word) {
    groups_.held = false;
    return false;
  }
  view_.loading = false;
  groups_.held = true;
  groups_.held_did_you_mean = did_you_mean;
  return true;
}

void SearchScreen::ReleaseHeld(App& app) {
  // The answer was: nothing (with perhaps a suggestion). Show it now.
  groups_.held = false;
  app.usage().OnSearchResult(view_.for_state.text, 0);
  view_.total = 0;
  view_.groups.clear();
  view_.grouped_rows = 0;
  view_.pages.clear();
  view_.pending_pages.clear();
  view_.facets = cat::Facets{};
  view_.corrected = false;
  view_.did_you_mean = groups_.held_did_you_mean;
  view_.generation = generation_;
}

void SearchScreen::DrawBackToGroups(App& app) {
  const Theme& t = app.theme();
  SearchState& s = app.session().search;
  if (s.text.empty() || s.routes == 0 || !view_.has_results || !view_.error.empty()) return;
  char label[192];
  std::snprintf(label, sizeof label, tr("\xE2\x86\x90 Every route for \xE2\x80\x9C%s\xE2\x80\x9D"),
                s.text.c_str());
  std::string id = std::string(label) + "###everyroute";
  if (ui::Button(t, id.c_str(), ImVec2(0, 0), ui::ButtonKind::kSecondary)) s.routes = 0;
}

}  // namespace signpost::kiosk
