// Layout audit (layout_audit.h): the rules on a frame record, the scenes, and
// the runner over sizes and text sizes.
//
// Index:
//   [SECTION] Rules
//   [SECTION] Scenes
//   [SECTION] Runner
#include "kiosk/layout_audit.h"

#include <algorithm>
#include <cstdio>

#include "kiosk/app.h"
#include "kiosk/screens/search.h"
#include "kiosk/script.h"

namespace signpost::kiosk {

// [SECTION] Rules ----------------------------------------------------------------

namespace {

constexpr float kSlack = 1.5f;  // px: anti-aliasing and rounding are not findings

bool Inside(const ImRect& inner, const ImRect& outer, float slack = kSlack) {
  return inner.Min.x >= outer.Min.x - slack && inner.Min.y >= outer.Min.y - slack &&
         inner.Max.x <= outer.Max.x + slack && inner.Max.y <= outer.Max.y + slack;
}

ImRect Clipped(ImRect a, const ImRect& b) {
  a.ClipWithFull(b);
  return a;
}

float Area(const ImRect& r) { return std::max(0.0f, r.GetWidth()) * std::max(0.0f, r.GetHeight()); }

bool Overlap(const ImRect& a, const ImRect& b, float min_side) {
  const ImRect o = Clipped(a, b);
  return o.GetWidth() > min_side && o.GetHeight() > min_side;
}

}  // namespace

std::vector<LayoutFinding> AuditFrame(const ui::FrameRecord& record, const ImRect& display,
                                      const std::string& where) {
  std::vector<LayoutFinding> out;
  auto add = [&](const ui::DrawnText& t, const char* what, const ImRect& bound) {
    out.push_back({where, what, t.text, t.full, t.rect, bound});
  };
  const auto texts = record.texts();
  const auto taps = record.tappables();
  for (std::size_t i = 0; i < texts.size(); ++i) {
    const ui::DrawnText& t = texts[i];
    if (!t.Visible()) continue;  // scrolled out of view: not on the screen
    const ImRect seen = Clipped(t.clip, display);
    // Drawn outside the box it was given.
    if (Area(t.owner) > 0 && !Inside(t.rect, t.owner)) {
      add(t, "overflows its widget", t.owner);
      continue;
    }
    // Cut off: part of it cannot be seen although its widget is in view (a
    // list row half out of a scroll area is not cut off: it scrolls). Lists
    // scroll up and down: cut at a side, only a strip that scrolls
    // sideways shows the rest.
    const bool cut_at_side =
        t.rect.Min.x < seen.Min.x - kSlack || t.rect.Max.x > seen.Max.x + kSlack;
    if (!Inside(t.rect, seen) && (Inside(t.owner, seen) || (cut_at_side && !t.sideways))) {
      add(t, "cut off", seen);
      continue;
    }
    // Covered by another text, or by a widget it is not part of.
    const ImRect vis = Clipped(t.rect, seen);
    bool covered = false;
    for (std::size_t j = i + 1; j < texts.size() && !covered; ++j) {
      const ui::DrawnText& o = texts[j];
      if (!o.Visible()) continue;
      if (Overlap(vis, Clipped(o.rect, Clipped(o.clip, display)), 2.0f)) {
        out.push_back({where, "overlaps another text", t.text, t.full, t.rect, o.rect});
        covered = true;
      }
    }
    for (const ui::Tappable& w : taps) {
      if (covered || !w.Visible()) continue;
      const ImRect area = Clipped(w.rect, Clipped(w.clip, display));
      // Text on the widget (its label, a card's lines) belongs to it; text the
      // widget only grazes at an edge (a row's gap) is not covered.
      if (Inside(t.rect, w.rect, 2.0f) || !Overlap(vis, area, 3.0f)) continue;
      // A widget wholly under the text's own box (a chip inside a panel the
      // text heads) does not cover it.
      if (Inside(w.rect, t.owner, 2.0f) && !Overlap(vis, area, 3.0f)) continue;
      out.push_back(
          {where, "covered by a widget ('" + w.label + "')", t.text, t.full, t.rect, w.rect});
      covered = true;
    }
    if (covered) continue;
    // "…" is allowed only where a tap opens the whole text: on a card (a
    // list row opens its item), not on a button or chip, whose tap does
    // something else.
    if (t.ellipsised) {
      bool one_tap = false;
      for (const ui::Tappable& w : taps)
        if (w.enabled && w.from_texts && w.Visible() && Inside(t.rect, w.rect, 2.0f))
          one_tap = true;
      if (!one_tap) add(t, "ellipsised, and no tap shows the whole", t.owner);
    }
  }
  return out;
}

// [SECTION] Scenes ---------------------------------------------------------------

namespace {

void Script(Kiosk& k, const std::string& text) {
  std::vector<ScriptLine> lines;
  std::string error;
  if (!ParseScript(text, &lines, &error) || !RunScript(k, lines, &error))
    std::fprintf(stderr, "layout audit: scene setup failed: %s\n", error.c_str());
}

SearchView& Results(Kiosk& k) {
  return k.app().view_as<SearchScreen>(Screen::kSearch).results(k.app());
}

void Search(Kiosk& k, const std::string& text) {
  k.GoToScreen(Screen::kSearch);
  k.app().session().search.text = text;
  k.Settle();
}

// The detail screen of the first apprenticeship `text` finds.
void OpenFirstApprenticeship(Kiosk& k, const std::string& text) {
  Search(k, text);
  k.app().session().search.routes = 1u << static_cast<int>(catalogue::Route::kApprenticeship);
  k.Settle();
  k.app().view_as<SearchScreen>(Screen::kSearch).OpenFirst(k.app());
  k.Settle();
}

}  // namespace

const std::vector<LayoutScene>& LayoutScenes() {
  static const std::vector<LayoutScene> scenes = {
      {"home", [](Kiosk& k) { k.GoToScreen(Screen::kHome); }},
      {"search", [](Kiosk& k) { k.GoToScreen(Screen::kSearch); }},
      {"search-typed", [](Kiosk& k) { Search(k, "engineering"); }},
      {"search-keyboard",
       [](Kiosk& k) {
         Search(k, "nurse");
         k.app().session().search.keyboard_open = true;
         k.Settle();
       }},
      {"search-filters",
       [](Kiosk& k) {
         k.GoToScreen(Screen::kSearch);
         k.app().session().search.filters_open = true;
         k.Settle();
       }},
      {"search-corrected", [](Kiosk& k) { Search(k, "enginering"); }},
      // Vacancies closing soonest first: "Closing soon" tags on the rows,
      // the order's chip; and Filters offering the order.
      {"search-closing",
       [](Kiosk& k) {
         k.GoToScreen(Screen::kSearch);
         k.app().session().search.routes = 1u
                                           << static_cast<int>(catalogue::Route::kApprenticeship);
         k.app().session().search.by_closing = true;
         k.Settle();
       }},
      {"search-closing-filters",
       [](Kiosk& k) {
         k.GoToScreen(Screen::kSearch);
         k.app().session().search.routes = 1u
                                           << static_cast<int>(catalogue::Route::kApprenticeship);
         k.app().session().search.filters_open = true;
         k.Settle();
       }},
      {"search-nothing", [](Kiosk& k) { Search(k, "zzqxv"); }},
      {"detail", [](Kiosk& k) { k.GoToScreen(Screen::kDetail); }},
      // A vacancy closing this week, and one posted this week: their tags
      // by the route's.
      {"detail-closing-soon", [](Kiosk& k) { OpenFirstApprenticeship(k, "welder"); }},
      {"detail-new", [](Kiosk& k) { OpenFirstApprenticeship(k, "heat pump"); }},
      {"careers", [](Kiosk& k) { k.GoToScreen(Screen::kCareers); }},
      {"career", [](Kiosk& k) { k.GoToScreen(Screen::kCareer); }},
      {"events", [](Kiosk& k) { k.GoToScreen(Screen::kEvents); }},
      {"event-school",  // the school's own event (local pack), opened from the list
       [](Kiosk& k) {
         k.GoToScreen(Screen::kEvents);
         Script(k, "scroll-to Apprenticeship assembly\ntap-label Apprenticeship assembly\n");
       }},
      {"subjects", [](Kiosk& k) { k.GoToScreen(Screen::kSubjects); }},
      {"subjects-biology",
       [](Kiosk& k) {
         k.GoToScreen(Screen::kSubjects);
         Script(k, "scroll-to Biology\ntap-label Biology\n");
       }},
      {"interests", [](Kiosk& k) { k.GoToScreen(Screen::kInterests); }},
      {"interests-results",
       [](Kiosk& k) {
         k.GoToScreen(Screen::kInterests);
         Script(k,
                "scroll-to Caring for people\ntap-label Caring for people\n"
                "scroll-to Making and fixing\ntap-label Making and fixing\n"
                "tap-label Show what fits\n");
       }},
      {"shortlist", [](Kiosk& k) { k.GoToScreen(Screen::kShortlist); }},
      {"shortlist-items",
       [](Kiosk& k) {
         k.GoToScreen(Screen::kSearch);
         SearchView& v = Results(k);
         for (std::int64_t i = 0; i < 3 && i < v.total; ++i)
           if (const auto* row = v.Row(i)) k.app().ToggleShortlist(*row);
         k.app().Go(Screen::kShortlist);
         k.Settle();
       }},
      {"help", [](Kiosk& k) { k.GoToScreen(Screen::kHelp); }},
      {"pin", [](Kiosk& k) { k.GoToScreen(Screen::kPin); }},
      {"technician", [](Kiosk& k) { k.GoToScreen(Screen::kTechnician); }},
  };
  return scenes;
}

// [SECTION] Runner ---------------------------------------------------------------

std::vector<LayoutFinding> RunLayoutAudit(const LayoutAuditOptions& options, std::string* error,
                                          std::vector<std::string>* log) {
  std::vector<LayoutFinding> all;
  for (const auto& [w, h] : options.sizes) {
    for (int text : options.text_sizes) {
      RunOptions o = options.base;
      o.headless = true;
      o.speech = false;
      o.width = w;
      o.height = h;
      o.config.defaults.text_size = text;
      o.config.defaults.dyslexia_font = options.dyslexia_font;
      o.config.usage_path.clear();
      auto k = Kiosk::Create(o, error);
      if (!k) return all;
      k->Settle();
      const ImRect display(0, 0, static_cast<float>(w), static_cast<float>(h));
      const std::string at = std::to_string(w) + "x" + std::to_string(h) + " text " +
                             std::to_string(text) + (options.dyslexia_font ? " easy-read" : "");
      auto audit = [&](const std::string& scene) {
        const std::string where = scene + " " + at;
        auto found = AuditFrame(ui::LastFrame(), display, where);
        if (log)
          log->push_back(where + ": " + std::to_string(ui::LastFrame().texts().size()) +
                         " texts, " + std::to_string(found.size()) + " findings");
        if ((!found.empty() || options.screenshot_all) && !options.screenshot_dir.empty()) {
          std::string name = where;
          std::replace(name.begin(), name.end(), ' ', '-');
          k->Screenshot(options.screenshot_dir + "/" + name + ".png");
        }
        all.insert(all.end(), found.begin(), found.end());
      };
      for (const LayoutScene& scene : LayoutScenes()) {
        if (!options.only_scene.empty() && scene.name != options.only_scene) continue;
        scene.setup(*k);
        audit(scene.name);
      }
      // The attract loop: every slide (the welcome, each highlight, the adviser).
      if (options.only_scene.empty() || options.only_scene == "attract") {
        k->GoToScreen(Screen::kAttract);
        const double slide = k->app().config().attract_slide_s;
        k->Wait((slide - k->app().AttractSlideAge(k->clock()) + 1.0) * 1000);
        for (int i = 0; i < 7; ++i) {
          audit("attract-" + std::to_string(i));
          k->Wait(slide * 1000);
        }
      }
    }
  }
  return all;
}

}  // namespace signpost::kiosk
