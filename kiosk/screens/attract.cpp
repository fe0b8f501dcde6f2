// Attract loop: what the kiosk shows when nobody is using it. Calm rotating
// highlights drawn from the catalogue (an upcoming open day, an
// apprenticeship you may not have heard of, a local labour-market fact, a
// former student's story) between a welcome and "talk to a careers adviser",
// and "Touch the screen to start". Any tap starts a session.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
#include <string>
#include <string_view>

#include "kiosk/i18n.h"
#include "kiosk/screens/attract.h"
#include "kiosk/screens/screens.h"
#include "kiosk/ui.h"

namespace signpost::kiosk {

namespace cat = signpost::catalogue;
using namespace screens;

namespace {

// One highlight of the attract loop. The wording around it ("Coming up",
// "Local jobs") is added by the UI in the current language.
struct Slide {
  enum Kind { kWelcome, kEvent, kApprenticeship, kJobs, kStory, kAdviser };
  Kind kind = kWelcome;     // also its colour, from the palette when drawn (SlideAccent)
  std::string title;        // as published
  std::string body;         // as published
  std::int64_t number = 0;  // kJobs: vacancies
  std::string area;         // kJobs: where
  Day day = 0;              // kEvent: the day it happens
  std::string image;        // kStory: the former student's photo ("" = none)
};

class AttractScreen : public View {
 public:
  void Draw(App& app) override;
  const char* Title() const override { return ""; }

 private:
  void Load(App& app);
  std::uint64_t version_ = 0;
  bool loading_ = false;
  bool loaded_ = false;
  std::vector<Slide> slides_;
};

std::uint64_t NewSeed() {
  std::random_device rd;
  return (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
}

// A slide's colour, taken from the palette in force when it is drawn: a
// slide loaded under one look (high contrast) is never drawn in it under
// another.
ImU32 SlideAccent(const Palette& p, Slide::Kind kind) {
  switch (kind) {
    case Slide::kEvent:
      return p.events;
    case Slide::kApprenticeship:
      return p.route[static_cast<int>(cat::Route::kApprenticeship)];
    case Slide::kJobs:
      return p.careers;
    case Slide::kStory:
      return p.subjects;
    case Slide::kAdviser:
      return p.help;
    case Slide::kWelcome:
      break;
  }
  return p.primary;
}

bool Contains(std::string_view text, std::string_view part) {
  return !part.empty() && text.find(part) != std::string_view::npos;
}

}  // namespace

// ("Leeds City College, Park Lane, Leeds" after "Leeds City College" is
// "Park Lane, Leeds").
std::string EventPlace(const std::string& title, const std::string& provider,
                       const std::string& location) {
  std::string place = Contains(title, provider) ? "" : provider;
  std::string_view rest = location;
  if (!provider.empty() && rest.substr(0, provider.size()) == provider) {
    rest.remove_prefix(provider.size());
    while (!rest.empty() && (rest.front() == ',' || rest.front() == ' ')) rest.remove_prefix(1);
  }
  if (!rest.empty() && !Contains(title, rest) && !Contains(place, rest))
    place += (place.empty() ? "" : ", ") + std::string(rest);
  return place;
}

namespace {

// At most `max` bytes of `text`, cut after a whole word (never inside a
// UTF-8 character), with "…" when cut.
std::string Bounded(const std::string& text, std::size_t max) {
  if (text.size() <= max) return text;
  std::size_t cut = text.rfind(' ', max);
  if (cut == std::string::npos || cut == 0) {
    cut = max;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  }
  return text.substr(0, cut) + "\xE2\x80\xA6";
}

// The slide's words in the largest type that fits `room` (a step smaller
// for the title, then the body, as needed); a story too long even then is
// cut after the last whole word that fits, with "…".
struct SlideText {
  ImFont* kicker_font;
  ImFont* title_font;
  ImFont* body_font;
  float kicker_h = 0, title_h = 0, height = 0;
  std::string body;
};

SlideText FitSlide(const Theme& t, bool portrait, const char* kicker, const std::string& title,
                   const std::string& body, float w, float room) {
  auto h = [w](ImFont* f, std::string_view s) {
    return f->CalcTextSizeA(f->FontSize, FLT_MAX, w, s.data(), s.data() + s.size()).y;
  };
  SlideText st;
  st.kicker_font = t.Font(FontRole::kHeading, portrait ? 2 : 1);
  st.kicker_h = h(st.kicker_font, kicker);
  st.body = body;
  const int title_steps[] = {3, 3, 2, 2, 2};
  const int body_steps[] = {2, 1, 1, 0, 0};
  for (int i = 0; i < 5; ++i) {
    st.title_font = t.Font(FontRole::kHeading, title_steps[i]);
    st.body_font = t.Font(FontRole::kBody, body_steps[i]);
    st.title_h = h(st.title_font, title);
    st.height = st.kicker_h + t.px(14) + st.title_h + t.px(14) + h(st.body_font, body);
    if (st.height <= room) return st;
  }
  // Still too long: whole words that fit, then "…".
  const float body_room = room - (st.height - h(st.body_font, body));
  std::size_t keep = 0;
  for (std::size_t sp = body.find(' '); sp != std::string::npos; sp = body.find(' ', sp + 1)) {
    if (h(st.body_font, body.substr(0, sp) + "\xE2\x80\xA6") > body_room) break;
    keep = sp;
  }
  st.body = keep > 0 ? body.substr(0, keep) + "\xE2\x80\xA6" : "";
  st.height = room;
  return st;
}

void AttractScreen::Load(App& app) {
  if (loading_ || (loaded_ && version_ == app.data_version())) return;
  loading_ = true;
  version_ = app.data_version();
  const std::uint64_t seed = NewSeed();
  Fetch<std::vector<Slide>>(
      app.data(),
      [seed](Backend& b) {
        // Worker thread: data only; the UI adds the translated wording.
        std::vector<Slide> slides;
        std::mt19937_64 rng(seed);
        if (b.EnsureOpen()) {
          if (auto ev = b.catalogue->UpcomingEvents(NowUnix(), 0, 5); ev.ok() && !ev->empty()) {
            const auto& e = (*ev)[rng() % ev->size()];
            // The UI puts the (translated) date first.
            std::string body = EventPlace(e.event.title, e.provider_name, e.event.location_name);
            if (!body.empty()) body = " \xE2\x80\x94 " + body;
            Slide sl{Slide::kEvent, e.event.title, body};
            sl.day = DayOf(e.event.start);
            slides.push_back(std::move(sl));
          }
          cat::SearchRequest req;
          req.routes = 1 << static_cast<int>(cat::Route::kApprenticeship);
          req.session_seed = seed;
          req.origin = b.origin;
          if (auto r = b.engine->Search(req); r.ok() && r->size() > 0) {
            auto rows = r->Rows(0, std::min<std::int64_t>(20, r->size()));
            std::vector<std::int64_t> pick = {rows[rng() % rows.size()]};
            if (auto s = b.engine->Summaries(pick, b.origin); s.ok() && !s->empty()) {
              const auto& o = s->front();
              std::string body = o.provider_name;
              if (!o.wage_text.empty()) body += " \xE2\x80\x94 " + o.wage_text;
              slides.push_back(Slide{Slide::kApprenticeship, o.title, body});
            }
          }
          if (auto c = b.catalogue->SearchCareers("", 300); c.ok()) {
            std::vector<std::pair<const cat::CareerRecord*, const cat::LabourMarketFigure*>> found;
            for (const auto& rec : c.value())
              for (const auto& f : rec.lmi)
                if (f.metric == cat::LmiMetric::kVacancies && f.value > 0) {
                  found.emplace_back(&rec, &f);
                  break;
                }
            if (!found.empty()) {
              auto [rec, f] = found[rng() % found.size()];
              Slide sl{Slide::kJobs, rec->career.title, ""};
              sl.number = static_cast<std::int64_t>(f->value);
              sl.area = f->area;
              slides.push_back(std::move(sl));
            }
          }
          if (auto s = b.catalogue->LocalItems(cat::LocalKind::kAlumniStory, TodayUtc());
              s.ok() && !s->empty()) {
            const auto& st = (*s)[rng() % s->size()];
            Slide sl{Slide::kStory, st.title, Bounded(st.body, 600)};
            sl.image = st.image_path;
            slides.push_back(std::move(sl));
          }
        }
        return slides;
      },
      [this](std::vector<Slide>&& slides) {
        slides_ = std::move(slides);
        loading_ = false;
        loaded_ = true;
      });
}

}  // namespace

void AttractScreen::Draw(App& app) {
  const Theme& t = app.theme();
  const Palette& p = t.p();
  Load(app);
  struct {
    const std::vector<Slide>& slides;
  } v{slides_};
  ImVec2 origin = ImGui::GetWindowPos();
  ImVec2 size = ImGui::GetWindowSize();
  ImDrawList* dl = ImGui::GetWindowDrawList();

  // The whole screen is the start button.
  ImGui::SetCursorPos(ImVec2(0, 0));
  if (ui::HitArea("##start", size, tr("Touch the screen to start"))) {
    app.StartSession();
    return;
  }

  // Slides: welcome, the catalogue's highlights, then the adviser.
  int n = static_cast<int>(v.slides.size()) + 2;
  double since = app.now() - app.session_started();
  int index = static_cast<int>(std::floor(std::max(0.0, since) / app.config().attract_slide_s)) % n;
  Slide slide;
  const char* kicker = "";
  if (index == 0) {
    slide = Slide{Slide::kWelcome, tr("Every route after 16 and 18, in one place"),
                  tr("College courses, T Levels, apprenticeships, university and careers.")};
    kicker = tr("Welcome");
  } else if (index == n - 1) {
    slide = Slide{Slide::kAdviser, tr("Not sure what to do? Talk to a careers adviser"),
                  tr("Ask at the library desk, or call the National Careers Service free on "
                     "0800 100 900.")};
    kicker = tr("Help is free");
    if (std::string line = LocalHelpLine(app); !line.empty())  // the school's own adviser
      slide.body = line + ". " + tr("Or call the National Careers Service free on 0800 100 900.");
  } else {
    slide = v.slides[static_cast<std::size_t>(index - 1)];
    switch (slide.kind) {
      case Slide::kEvent:
        kicker = tr("Coming up");
        slide.body = HumanDate(slide.day) + slide.body;
        break;
      case Slide::kApprenticeship:
        kicker = tr("An apprenticeship you may not have heard of");
        break;
      case Slide::kJobs: {
        kicker = tr("Local jobs");
        char buf[256];
        std::snprintf(buf, sizeof buf,
                      trn("%s job advertised right now in %s.",
                          "%s jobs advertised right now in %s.", slide.number),
                      FormatCount(slide.number).c_str(), slide.area.c_str());
        slide.body = buf;
        break;
      }
      case Slide::kStory:
        kicker = tr("What I did after Year 11");
        break;
      default:
        break;
    }
  }
  // Each slide fades in, drawn at the fade's own rate (App::NextDeadline),
  // then stays still: nothing is drawn until the next slide.
  const double age = app.AttractSlideAge(app.now());
  float alpha = age >= App::kAttractFadeS - App::kAttractFadeEpsilon
                    ? 1.0f
                    : static_cast<float>(std::clamp(age / App::kAttractFadeS, 0.0, 1.0));

  // Brand strip: "Signpost", and an open-day host's logo and "Hosted by ..."
  // (the host's name is never cut: "Signpost", then the logo, give way first).
  float pad = t.px(28);
  ImFont* brand = t.Font(FontRole::kHeading, 2);
  const float strip_h = brand->FontSize + t.px(28);
  dl->AddRectFilled(origin, origin + ImVec2(size.x, strip_h), p.bar);
  float right = size.x - pad;  // the strip's free space ends here
  if (app.meta().is_sample) {
    const char* badge = tr("Sample data");
    ImFont* bf = t.chrome_bold();
    ImVec2 bs = bf->CalcTextSizeA(bf->FontSize, FLT_MAX, 0, badge);
    ImVec2 a = origin + ImVec2(size.x - pad - bs.x - t.px(20), t.px(12));
    dl->AddRectFilled(a, a + bs + ImVec2(t.px(20), t.px(12)), p.badge, t.px(6));
    ui::DrawText(dl, bf, a + ImVec2(t.px(10), t.px(6)), p.on_badge, badge);
    right = a.x - origin.x - t.px(16);
  }
  const float wordmark_w = brand->CalcTextSizeA(brand->FontSize, FLT_MAX, 0, "Signpost").x;
  bool show_wordmark = true;
  if (app.branded()) {
    const float logo_h = strip_h - t.px(12);
    ImFont* hf = t.chrome_bold();
    const std::string& hosted = app.HostedBy();
    const float text_w =
        hosted.empty() ? 0 : hf->CalcTextSizeA(hf->FontSize, FLT_MAX, 0, hosted.c_str()).x;
    float logo_w = app.LogoWidth(logo_h);
    const float gap = t.px(16);
    auto need = [&](bool wordmark, bool logo) {
      return (wordmark ? wordmark_w + gap : 0) + (logo ? logo_w + (text_w > 0 ? t.px(10) : 0) : 0) +
             text_w;
    };
    const float avail = right - pad;
    if (need(true, logo_w > 0) > avail) {
      if (logo_w > 0 && need(false, true) <= avail)
        show_wordmark = false;
      else
        logo_w = 0;  // the name alone (with "Signpost" when it fits)
      if (logo_w == 0) show_wordmark = need(true, false) <= avail;
    }
    float x = right - std::min(avail, need(false, logo_w > 0));
    if (logo_w > 0)
      x += app.DrawLogo(dl, origin + ImVec2(x, t.px(6)), logo_h, logo_w) +
           (text_w > 0 ? t.px(10) : 0);
    if (!hosted.empty())
      ui::DrawEllipsis(dl, hf, origin + ImVec2(x, (strip_h - hf->FontSize) * 0.5f), right - x,
                       p.on_bar, hosted.c_str());
  }
  if (show_wordmark) ui::DrawText(dl, brand, origin + ImVec2(pad, t.px(14)), p.on_bar, "Signpost");

  // Slide card. Landscape: the card fills the screen between the strip and
  // the call to action. Portrait (a totem): the card is as tall as its words
  // (at least 30% of the screen), centred in the upper two-thirds where a
  // standing visitor looks, the call to action just under it.
  const bool portrait = size.y > size.x * 1.2f;
  const float top = strip_h + pad;
  const float bottom_h = t.px(90);
  const float card_x = pad, card_w = size.x - 2 * pad;
  const float x_in = t.px(44), right_in = t.px(30), top_in = t.px(28);
  const float dots_h = t.px(40);  // the page dots' band at the card's foot
  float w = card_w - x_in - right_in;
  ImVec2 photo_size;  // a former student's photo: right of the story, or above it in portrait
  ImTextureID photo = app.Picture(slide.image, &photo_size);
  if (!photo || photo_size.x <= 0) photo = nullptr;
  float landscape_h = size.y - bottom_h - pad * 0.5f - top;
  float photo_side = 0;
  if (photo) {
    photo_side = portrait ? std::min(w * 0.5f, t.px(300))
                          : std::min((landscape_h - top_in) * 0.6f, w * 0.3f);
    if (!portrait) w -= photo_side + t.px(24);
  }
  const float photo_h = photo ? photo_side * photo_size.y / photo_size.x : 0;
  const float text_top = portrait && photo ? photo_h + t.px(20) : 0;
  const float room =
      portrait ? size.y * 0.62f - top - top_in - dots_h - text_top : landscape_h - top_in - dots_h;
  const SlideText st = FitSlide(t, portrait, kicker, slide.title, slide.body, w, room);
  float card_h = landscape_h;
  float card_y = top;
  if (portrait) {
    card_h = std::max(size.y * 0.3f, top_in + text_top + st.height + dots_h);
    const float band_mid = (top + size.y * 0.67f) * 0.5f;
    card_y = std::max(top, band_mid - card_h * 0.5f);
  }
  ImVec2 a = origin + ImVec2(card_x, card_y);
  ImVec2 b = a + ImVec2(card_w, card_h);
  dl->AddRectFilled(a, b, p.surface, t.radius() * 2);
  if (t.high_contrast()) dl->AddRect(a, b, p.border, t.radius() * 2, 0, t.px(2));
  const ImU32 accent = SlideAccent(p, slide.kind);
  dl->AddRectFilled(a, ImVec2(a.x + t.px(14), b.y), accent, t.radius() * 2,
                    ImDrawFlags_RoundCornersLeft);
  float x = a.x + x_in;
  if (photo) {
    ImVec2 pmin =
        portrait ? ImVec2(x, a.y + top_in) : ImVec2(b.x - right_in - photo_side, a.y + top_in);
    dl->AddImageRounded(photo, pmin, pmin + ImVec2(photo_side, photo_h), ImVec2(0, 0), ImVec2(1, 1),
                        WithAlpha(IM_COL32_WHITE, alpha), t.radius());
  }
  float y = a.y + top_in + text_top;
  ui::DrawText(dl, st.kicker_font, ImVec2(x, y), WithAlpha(accent, alpha), kicker, w);
  y += st.kicker_h + t.px(14);
  ui::DrawText(dl, st.title_font, ImVec2(x, y), WithAlpha(p.text, alpha), slide.title, w);
  y += st.title_h + t.px(14);
  const ImRect card(a, b);
  ImVec4 clip(x, y, b.x, b.y - dots_h);
  ui::DrawText(dl, st.body_font, ImVec2(x, y), WithAlpha(p.muted, alpha), st.body, w, &clip, &card);
  // Progress dots, in their own band under the words.
  float dot = t.px(portrait ? 8 : 6);
  float dots_w = n * dot * 3;
  for (int i = 0; i < n; ++i)
    dl->AddCircleFilled(
        ImVec2(a.x + (card_w - dots_w) * 0.5f + i * dot * 3 + dot, b.y - dots_h * 0.5f), dot * 0.6f,
        i == index ? p.text : WithAlpha(p.muted, 0.35f));

  // Call to action: under the card.
  const char* cta = tr("Touch the screen to start");
  ImFont* cf = t.Font(FontRole::kHeading, portrait ? 3 : 2);
  ImVec2 cs = cf->CalcTextSizeA(cf->FontSize, FLT_MAX, 0, cta);
  const float cta_y = portrait ? b.y - origin.y + pad : size.y - bottom_h;
  ImVec2 ca = origin + ImVec2((size.x - cs.x) * 0.5f - t.px(30), cta_y);
  ImVec2 cb = ca + ImVec2(cs.x + t.px(60), std::max(cs.y + t.px(24), t.touch()));
  dl->AddRectFilled(ca, cb, p.primary, (cb.y - ca.y) * 0.5f);
  ui::DrawText(dl, cf, ca + ImVec2(t.px(30), (cb.y - ca.y - cs.y) * 0.5f), p.on_primary, cta);
}

std::unique_ptr<View> MakeAttractScreen() { return std::make_unique<AttractScreen>(); }

}  // namespace signpost::kiosk
