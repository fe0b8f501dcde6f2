// App's chrome: the top bar (Back, Home, the screen's title, freshness, the
// open-day host, the shortlist button), the accessibility bar (text size,
// contrast, easy-read font, read aloud, language) and the "still there?"
// countdown before a session is wiped.
//
// Index:
//   [SECTION] Top bar
//   [SECTION] Accessibility bar
//   [SECTION] "Still there?"
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <utility>

#include "kiosk/app.h"
#include "kiosk/i18n.h"
#include "kiosk/ui.h"

namespace signpost::kiosk {

// [SECTION] Top bar -------------------------------------------------------------------

namespace {

// Where a title and the line under it go in a bar `height` high: the pair
// centred by the fonts' own heights (the easy-read font is taller than
// the default at the same size), `gap` apart.
using TwoLines = std::pair<float, float>;
TwoLines TitleLines(ImFont* top, ImFont* under, float height, float gap) {
  const float h1 = top->CalcTextSizeA(top->FontSize, FLT_MAX, 0, "Ag").y;
  const float h2 = under->CalcTextSizeA(under->FontSize, FLT_MAX, 0, "Ag").y;
  const float y = std::max(0.0f, (height - h1 - gap - h2) * 0.5f);
  return {y, y + h1 + gap};
}

}  // namespace

std::string App::Freshness() const {
  if (!meta_.loaded) return {};
  if (!meta_.available) return tr("Information is not available right now");
  std::optional<UnixTime> newest = meta_.stats.last_import;
  bool failing = false;
  for (const auto& s : meta_.sync) {
    if (s.last_success && (!newest || *s.last_success > *newest)) newest = s.last_success;
    if (s.result == "failed" || s.result == "offline") failing = true;
  }
  if (!newest && meta_.is_sample && !meta_.sample_day.empty()) {
    // The bundled sample has no sync history: say when it was loaded.
    std::optional<Day> d = ParseIsoDate(meta_.sample_day);
    if (!d) return {};
    char buf[128];
    std::snprintf(buf, sizeof buf, tr("Sample loaded %s"), HumanDate(*d, false).c_str());
    return buf;
  }
  if (!newest) return {};
  long long age = NowUnix() - *newest;
  char buf[128];
  if (failing && age > 86400) {
    std::snprintf(buf, sizeof buf, tr("Offline since %s"),
                  HumanDate(DayOf(*newest), false).c_str());
  } else if (age < 3600) {
    std::snprintf(buf, sizeof buf, "%s", tr("Updated in the last hour"));
  } else if (age < 86400) {
    long long h = age / 3600;
    std::snprintf(buf, sizeof buf, trn("Updated %lld hour ago", "Updated %lld hours ago", h), h);
  } else {
    std::snprintf(buf, sizeof buf, tr("Updated %s"), HumanDate(DayOf(*newest), false).c_str());
  }
  return buf;
}

void App::DrawTopBar(float height) {
  const Theme& t = theme_;
  const Palette& p = t.p();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImVec2 origin = ImGui::GetWindowPos();
  float width = ImGui::GetWindowWidth();
  dl->AddRectFilled(origin, origin + ImVec2(width, height), p.bar);
  if (t.high_contrast())
    dl->AddLine(origin + ImVec2(0, height - 1), origin + ImVec2(width, height - 1), p.border,
                t.px(2));
  float pad = t.px(8);
  float bh = t.touch();
  ImGui::SetCursorPos(ImVec2(pad, (height - bh) * 0.5f));
  Screen s = session_.screen();
  if (s != Screen::kHome) {
    if (ui::Button(t, tr("\xE2\x86\x90 Back"), ImVec2(0, bh), ui::ButtonKind::kOnBar)) Back();
    ImGui::SameLine();
    if (ui::Button(t, tr("\xE2\x8C\x82 Home"), ImVec2(0, bh), ui::ButtonKind::kOnBar)) Home();
    ImGui::SameLine();
  }
  // Title: also the hidden technician gesture (7 quick taps).
  float right_w = 0;
  char shortlist_label[64];
  std::snprintf(shortlist_label, sizeof shortlist_label, "%s  %zu###shortlist",
                tr("\xE2\x98\x85 My shortlist"), session_.shortlist.size());
  ImGui::PushFont(t.chrome_bold());
  float sl_w =
      ImGui::CalcTextSize(shortlist_label, nullptr, true).x + ImGui::GetStyle().FramePadding.x * 2;
  const char* badge = meta_.is_sample ? tr("Sample data") : nullptr;
  float badge_w = badge ? ImGui::CalcTextSize(badge).x + t.px(20) : 0;
  ImGui::PopFont();
  right_w = sl_w + (badge ? badge_w + t.px(10) : 0) + pad;
  float title_x = ImGui::GetCursorPosX() + t.px(6);
  float title_w = std::max(0.0f, width - right_w - title_x - t.px(8));
  ImGui::SetCursorPos(ImVec2(title_x, 0));
  if (ui::HitArea("##title", ImVec2(std::max(1.0f, title_w), height), "")) SecretTap();
  const char* title = s == Screen::kHome ? "Signpost" : view(s).Title();
  ImFont* tf = t.Font(FontRole::kHeading, s == Screen::kHome ? 1 : 0);
  std::string fresh = s == Screen::kHome ? Freshness() : std::string();
  // Open-day branding: on Home the host ("Hosted by ...", with its logo)
  // takes the title line; elsewhere the logo sits right of the title when
  // there is room. Never anything else: listings are not affected.
  if (branded() && s == Screen::kHome) {
    const bool two_lines = !fresh.empty() && width >= t.px(560);
    const float logo_h = std::min(height - t.px(16), t.px(44));
    const std::string& hosted = HostedBy();
    const char* line1 = hosted.empty() ? title : hosted.c_str();
    ImFont* f1 = hosted.empty() ? tf : t.chrome_bold();
    // The host's name is never cut for the logo: the logo shows when both fit
    // (the attract loop's strip has more room).
    const float line1_w = f1->CalcTextSizeA(f1->FontSize, FLT_MAX, 0, line1).x;
    const float logo_w = LogoWidth(logo_h);
    float used = 0;
    if (logo_w > 0 && logo_w + t.px(10) + line1_w <= title_w)
      used = DrawLogo(dl, origin + ImVec2(title_x, (height - logo_h) * 0.5f), logo_h, logo_w);
    const float text_x = title_x + (used > 0 ? used + t.px(10) : 0);
    const float text_w = title_w - (text_x - title_x);
    if (two_lines) {
      const TwoLines at = TitleLines(f1, t.chrome(), height, t.px(2));
      ui::DrawEllipsis(dl, f1, origin + ImVec2(text_x, at.first), text_w, p.on_bar, line1);
      ui::DrawEllipsis(dl, t.chrome(), origin + ImVec2(text_x, at.second), text_w,
                       WithAlpha(p.on_bar, 0.85f), fresh.c_str());
    } else {
      ui::DrawEllipsis(dl, f1, origin + ImVec2(text_x, (height - f1->FontSize) * 0.5f), text_w,
                       p.on_bar, line1);
    }
  } else if (branded() && logo_ != nullptr && s != Screen::kHome) {
    // Elsewhere the logo sits right of the screen title when there is room.
    const float logo_h = std::min(height - t.px(16), t.px(44));
    const float title_text_w = tf->CalcTextSizeA(tf->FontSize, FLT_MAX, 0, title).x;
    const float lw = LogoWidth(logo_h);
    if (title_text_w + lw + t.px(24) <= title_w) {
      DrawLogo(dl, origin + ImVec2(title_x + title_w - lw, (height - logo_h) * 0.5f), logo_h, lw);
      title_w -= lw + t.px(16);
    }
  }
  if (branded() && s == Screen::kHome) {
    // drawn above
  } else if (s == Screen::kHome && !fresh.empty() && width >= t.px(560)) {
    ImFont* sf = t.chrome();
    const TwoLines at = TitleLines(tf, sf, height, t.px(2));
    ui::DrawEllipsis(dl, tf, origin + ImVec2(title_x, at.first), title_w, p.on_bar, title);
    ui::DrawEllipsis(dl, sf, origin + ImVec2(title_x, at.second), title_w,
                     WithAlpha(p.on_bar, 0.85f), fresh.c_str());
  } else if (title_w > t.px(110)) {  // narrow screens: Back/Home say enough
    ui::DrawEllipsis(dl, tf, origin + ImVec2(title_x, (height - tf->FontSize) * 0.5f), title_w,
                     p.on_bar, title);
  }
  // Right: sample badge, shortlist.
  float x = width - right_w;
  if (badge) {
    ImGui::PushFont(t.chrome_bold());
    ImVec2 ts = ImGui::CalcTextSize(badge);
    ImVec2 a = origin + ImVec2(x, (height - ts.y - t.px(14)) * 0.5f);
    dl->AddRectFilled(a, a + ImVec2(badge_w, ts.y + t.px(14)), p.badge, t.px(6));
    ui::DrawText(dl, t.chrome_bold(), a + ImVec2(t.px(10), t.px(7)), p.on_badge, badge);
    ImGui::PopFont();
    x += badge_w + t.px(10);
  }
  ImGui::SetCursorPos(ImVec2(x, (height - bh) * 0.5f));
  if (s != Screen::kShortlist &&
      ui::Button(t, shortlist_label, ImVec2(sl_w, bh), ui::ButtonKind::kOnBar))
    Go(Screen::kShortlist);
}

// [SECTION] Accessibility bar ------------------------------------------------------------

const std::vector<const Language*>& App::OfferedLanguages() const {
  if (!offered_languages_.empty()) return offered_languages_;  // the config does not change it
  std::vector<const Language*>& out = offered_languages_;
  const auto& all = AvailableLanguages();
  if (config_.languages.empty()) {
    for (const auto& l : all) out.push_back(&l);
    return out;
  }
  for (const auto& code : config_.languages)
    for (const auto& l : all)
      if (code == l.code && std::find(out.begin(), out.end(), &l) == out.end()) out.push_back(&l);
  if (out.empty()) out.push_back(&all.front());  // (the config reader allows known codes only)
  return out;
}

// The language the language button switches to (the next one offered after
// the current), or null when only one language is offered.
static const Language* NextLanguage(const std::vector<const Language*>& offered,
                                    const std::string& current) {
  if (offered.size() < 2) return nullptr;
  for (std::size_t i = 0; i < offered.size(); ++i)
    if (current == offered[i]->code) return offered[(i + 1) % offered.size()];
  return offered.front();  // started in a language not offered (--language)
}

bool App::AccessibilityBarFits(float width) const {
  const Theme& t = theme_;
  const Settings& st = session_.settings;
  ImFont* f = t.chrome_bold();
  auto w = [&](const char* s) { return f->CalcTextSizeA(f->FontSize, FLT_MAX, 0, s).x; };
  float check = w("\xE2\x9C\x93 ");
  const Language* next = NextLanguage(OfferedLanguages(), st.language);
  const int buttons = next ? 4 : 3;
  float text_w =
      w(tr("High contrast")) + w(tr("Easy-read font")) + w(tr("Read aloud")) +
      (next ? w(next->name) : 0) +
      check * ((st.high_contrast ? 1 : 0) + (st.dyslexia_font ? 1 : 0) + (st.read_aloud ? 1 : 0));
  float fixed = 3 * t.px(48) + 2 * t.px(4) + t.px(8) + (buttons - 1) * t.px(6) + 2 * t.px(8);
  return fixed + text_w + 2 * buttons * t.px(5) <= width;
}

void App::DrawAccessibilityBar(float height) {
  Theme& t = theme_;
  const Palette& p = t.p();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImVec2 origin = ImGui::GetWindowPos() + ImVec2(0, ImGui::GetCursorPosY());
  float width = ImGui::GetWindowWidth();
  dl->AddRectFilled(origin, origin + ImVec2(width, height), p.bar);
  dl->AddLine(origin, origin + ImVec2(width, 0), WithAlpha(p.on_bar, 0.4f), t.px(1));
  float pad = t.px(8);
  float bh = t.touch();
  bool stacked = height > 1.5f * (t.touch() + t.px(12));
  float y = ImGui::GetCursorPosY() + (stacked ? t.px(6) : (height - bh) * 0.5f);
  ImGui::SetCursorPos(ImVec2(pad, y));
  Settings& st = session_.settings;
  const Language* next = NextLanguage(OfferedLanguages(), st.language);  // null: no button
  char contrast[96], font[96], aloud[96];
  auto label = [](char* buf, const char* text, bool on) {
    std::snprintf(buf, 96, "%s%s", on ? "\xE2\x9C\x93 " : "", text);
  };
  label(contrast, tr("High contrast"), st.high_contrast);
  label(font, tr("Easy-read font"), st.dyslexia_font);
  label(aloud, tr("Read aloud"), st.read_aloud);
  // Fit the bar to the screen: narrower padding before anything is cut off.
  ImGui::PushFont(t.chrome_bold());
  const int buttons = next ? 4 : 3;
  float text_w = ImGui::CalcTextSize(contrast).x + ImGui::CalcTextSize(font).x +
                 ImGui::CalcTextSize(aloud).x + (next ? ImGui::CalcTextSize(next->name).x : 0);
  ImGui::PopFont();
  float size_w = t.px(48);  // the three "A" buttons: still >= 48 px square-ish
  float fixed = 3 * size_w + 2 * t.px(4) + t.px(8) + (buttons - 1) * t.px(6) + 2 * pad;
  bool two_rows = stacked;
  float padx =
      two_rows ? t.px(16) : std::clamp((width - fixed - text_w) / (2 * buttons), t.px(5), t.px(16));
  ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(padx, t.px(8)));
  // Text size: three "A"s in growing sizes, the chosen one filled.
  static const char* kSizeIds[3] = {"A##size0", "A##size1", "A##size2"};
  for (int i = 0; i < 3; ++i) {
    if (i) ImGui::SameLine(0, t.px(4));
    ImFont* f = t.Font(FontRole::kHeading, i);
    if (ui::Button(t, kSizeIds[i], ImVec2(size_w, bh),
                   st.text_size == i ? ui::ButtonKind::kPrimary : ui::ButtonKind::kOnBar, f))
      st.text_size = i;
  }
  if (two_rows) {
    ImGui::SameLine(0, t.px(12));
    if (next && ui::Button(t, next->name, ImVec2(0, bh), ui::ButtonKind::kOnBar)) {
      st.language = next->code;
      last_spoken_key_.clear();
    }
    ImGui::SetCursorPos(ImVec2(pad, y + bh + t.px(8)));
  } else {
    ImGui::SameLine(0, t.px(8));
  }
  auto toggle = [&](const char* text, bool on) {
    return ui::Button(t, text, ImVec2(0, bh),
                      on ? ui::ButtonKind::kPrimary : ui::ButtonKind::kOnBar);
  };
  if (toggle(contrast, st.high_contrast)) st.high_contrast = !st.high_contrast;
  ImGui::SameLine(0, t.px(6));
  if (toggle(font, st.dyslexia_font)) st.dyslexia_font = !st.dyslexia_font;
  ImGui::SameLine(0, t.px(6));
  if (toggle(aloud, st.read_aloud)) {
    st.read_aloud = !st.read_aloud;
    last_spoken_key_.clear();
    if (!st.read_aloud) speaker_.Stop();
  }
  // Language: shows the *other* language's own name, as Welsh public services do.
  if (!two_rows && next) {
    ImGui::SameLine(0, t.px(6));
    if (ui::Button(t, next->name, ImVec2(0, bh), ui::ButtonKind::kOnBar)) {
      st.language = next->code;
      last_spoken_key_.clear();
    }
  }
  ImGui::PopStyleVar();
}

// [SECTION] "Still there?" ---------------------------------------------------------------

void App::DrawStillThere() {
  const Theme& t = theme_;
  const Palette& p = t.p();
  ImGuiIO& io = ImGui::GetIO();
  // Dim everything under the card: a full-screen, input-less window of its
  // own, begun after the root (and its child windows) so it covers them.
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(io.DisplaySize);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));  // no unclipped edge
  ImGui::Begin("##dim", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoInputs |
                   ImGuiWindowFlags_NoBackground | ImGuiWindowFlags_NoSavedSettings |
                   ImGuiWindowFlags_NoFocusOnAppearing);
  ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(0, 0), io.DisplaySize, IM_COL32(0, 0, 0, 110));
  ImGui::End();
  ImGui::PopStyleVar();
  float w = std::min(io.DisplaySize.x - t.px(40), t.px(520));
  ImGui::SetNextWindowPos(io.DisplaySize * 0.5f, ImGuiCond_Always, ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowSize(ImVec2(w, 0));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(t.px(24), t.px(20)));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowRounding, t.radius());
  ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, t.px(3));
  ImGui::PushStyleColor(ImGuiCol_WindowBg, ToVec4(p.surface));
  ImGui::PushStyleColor(ImGuiCol_Border, ToVec4(p.focus));
  ImGui::Begin("##stillthere", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                   ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_AlwaysAutoResize);
  int left = static_cast<int>(std::ceil(config_.idle_timeout_s - (now_ - last_activity_)));
  ui::Text(t.title(), p.text, tr("Are you still there?"));
  char buf[160];
  std::snprintf(buf, sizeof buf,
                trn("To keep things private, this screen will clear itself in %d second.",
                    "To keep things private, this screen will clear itself in %d seconds.",
                    std::max(left, 0)),
                std::max(left, 0));
  ui::TextWrapped(t.body(), p.text, buf);
  ImGui::Dummy(ImVec2(0, t.px(8)));
  if (ui::Button(t, tr("I'm still here"), ImVec2(ImGui::GetContentRegionAvail().x, t.touch())))
    last_activity_ = now_;
  ImGui::End();
  ImGui::PopStyleColor(2);
  ImGui::PopStyleVar(3);
}

}  // namespace signpost::kiosk
