// App: session, navigation, shared data and the frame around screens. The
// chrome (top bar, accessibility bar, "still there?") is in chrome.cpp; each
// screen is a View in kiosk/screens/.
//
// Index:
//   [SECTION] Helpers
//   [SECTION] Construction and input
//   [SECTION] Navigation and session
//   [SECTION] Shared data: metadata, local content
//   [SECTION] Frame
#include "kiosk/app.h"

#include <SDL.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>
#include <utility>

#include "kiosk/i18n.h"
#include "kiosk/screens/feed_health.h"
#include "kiosk/ui.h"

namespace signpost::kiosk {

namespace cat = signpost::catalogue;

// [SECTION] Helpers -------------------------------------------------------------

std::string FormatCount(std::int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  int count = 0;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    if (count && count % 3 == 0) out.push_back(',');
    out.push_back(*it);
    ++count;
  }
  if (n < 0) out.push_back('-');
  return {out.rbegin(), out.rend()};
}

std::string HumanDate(Day d, bool with_year) {
  static const char* kDays[7] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};  // day 0: Thu
  static const char* kMonths[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  int y;
  unsigned m, dd;
  CivilFromDay(d, &y, &m, &dd);
  // Mark the short names for translation (xgettext sees these literals).
  (void)tr("Mon"), (void)tr("Tue"), (void)tr("Wed"), (void)tr("Thu"), (void)tr("Fri"),
      (void)tr("Sat"), (void)tr("Sun");
  (void)tr("Jan"), (void)tr("Feb"), (void)tr("Mar"), (void)tr("Apr"), (void)tr("May"),
      (void)tr("Jun"), (void)tr("Jul"), (void)tr("Aug"), (void)tr("Sep"), (void)tr("Oct"),
      (void)tr("Nov"), (void)tr("Dec");
  const char* month = tr(kMonths[(m + 11) % 12]);
  char buf[64];
  if (!with_year) {
    std::snprintf(buf, sizeof buf, "%u %s", dd, month);
  } else {
    const char* day = tr(kDays[((d % 7) + 7) % 7]);
    std::snprintf(buf, sizeof buf, "%s %u %s %d", day, dd, month, y);
  }
  return buf;
}

std::string FormatPounds(double gbp) {
  return "\xC2\xA3" + FormatCount(static_cast<std::int64_t>(std::llround(gbp)));
}

namespace {

std::uint64_t NewSeed() {
  std::random_device rd;
  return (static_cast<std::uint64_t>(rd()) << 32) ^ rd() ^
         static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
}

}  // namespace

// [SECTION] Construction and input ---------------------------------------------

App::App(KioskConfig config, std::function<void()> wake)
    : config_(std::move(config)),
      usage_(config_.usage_path),
      data_(
          std::make_unique<DataService>(config_.catalogue_path, config_.postcode, std::move(wake))),
      printer_(std::make_unique<SlipPrinter>(data_.get())) {
  pin_lockout_ = PinLockout(config_.pin_lockout_path);
  session_.settings = config_.defaults;
  session_.seed = NewSeed();
  theme_.SetBrandBar(config_.branding.has_accent, config_.branding.accent_rgb);
  RequestMeta();
}

App::~App() {
  usage_.End(now_);  // a session cut short by shutdown still counts
}

void App::set_logo(ImTextureID texture, int width, int height) {
  logo_ = texture;
  logo_w_ = width;
  logo_h_ = height;
}

float App::LogoWidth(float height) const {
  if (!logo_ || logo_h_ <= 0) return 0;
  return height * static_cast<float>(logo_w_) / static_cast<float>(logo_h_);
}

float App::DrawLogo(ImDrawList* dl, ImVec2 pos, float height, float max_width) {
  if (!logo_ || logo_h_ <= 0 || max_width <= 0) return 0;
  const float w = std::min(max_width, LogoWidth(height));
  const float h = w * static_cast<float>(logo_h_) / static_cast<float>(logo_w_);
  const ImVec2 a(pos.x, pos.y + (height - h) * 0.5f);
  dl->AddImage(logo_, a, a + ImVec2(w, h));
  return w;
}

const std::string& App::HostedBy() {
  hosted_by_.clear();
  if (config_.branding.host_name.empty()) return hosted_by_;
  char buf[256];
  std::snprintf(buf, sizeof buf, tr("Hosted by %s"), config_.branding.host_name.c_str());
  hosted_by_ = buf;
  return hosted_by_;
}

void App::OnActivity(double now) { last_activity_ = now; }

void App::OnText(const char* utf8) {
  std::string* target = current_view().TypingTarget(*this);
  if (!target) return;
  ui::AppendWhole(target, utf8, 60);  // whole characters only, never half of one
}

void App::OnKey(int key) {
  std::string* target = current_view().TypingTarget(*this);
  if (key == SDLK_BACKSPACE && target && !target->empty()) {
    ui::EraseLastChar(target);
  } else if (key == SDLK_RETURN || key == SDLK_KP_ENTER) {
    current_view().OnReturn(*this);
  }
  // Escape, Alt+F4 and friends deliberately do nothing: the only way out of
  // the kiosk is technician mode.
}

bool App::OnRefreshTick() {
  // The technician screen shows sync state, USB sticks and "waiting for
  // content-sync" as they change (its view polls them here): it is redrawn
  // on every tick. Everywhere else the check itself draws nothing; only new
  // data does.
  const bool redraw = screen() == Screen::kTechnician;
  for (auto& v : views_)
    if (v) v->OnRefreshTick(*this);
  if (refresh_pending_) return redraw;
  refresh_pending_ = true;
  DataService* d = data_.get();
  d->Post([this, d](Backend& b) {
    bool changed = false;
    if (!b.catalogue) {
      changed = b.EnsureOpen();  // content-sync may have created it since
    } else if (b.Changed()) {
      // Reopen rather than SearchEngine::Reload(): a fresh connection is
      // certain to see the new data (a few ms at 250k rows).
      b.Close();
      b.EnsureOpen();  // if this fails the screens show a calm message
      changed = true;
    }
    d->ToUi(
        [this, changed] {
          refresh_pending_ = false;
          if (changed) {
            ++data_version_;
            RequestMeta();
            ui::RequestFrames(1);  // screens ask for their data again
          }
        },
        /*visible=*/false);
  });
  return redraw;
}

// [SECTION] Navigation and session ----------------------------------------------

View& App::view(Screen s) {
  auto& v = views_[static_cast<std::size_t>(s)];
  if (!v) v = MakeView(s);
  return *v;
}

void App::Go(Screen s, std::int64_t id, std::string key) {
  const Screen from = screen();
  if (session_.nav.size() >= 32) session_.nav.erase(session_.nav.begin() + 1);
  session_.nav.push_back(NavEntry{s, id, 0, std::move(key)});
  AfterNavigate(from);
  usage_.OnScreen(s, id, session_);
}

void App::Back() {
  const Screen from = screen();
  if (session_.nav.size() > 1) session_.nav.pop_back();
  if (session_.nav.back().screen == Screen::kAttract)
    session_.nav.push_back(NavEntry{Screen::kHome});
  AfterNavigate(from);
}

void App::Home() {
  const Screen from = screen();
  session_.nav.assign({NavEntry{Screen::kHome}});
  AfterNavigate(from);
}

void App::AfterNavigate(Screen from) {
  // The screen left closes its keyboards and panels; the one shown hears
  // which item it shows (the same screen may show another item).
  view(from).OnLeave(*this);
  view(screen()).OnEnter(*this, session_.nav.back().id);
}

void App::StartSession() {
  session_.nav.assign({NavEntry{Screen::kHome}});
  session_started_ = now_;
  last_activity_ = now_;
  usage_.Start(now_);
}

void App::EndSession() {
  if (in_frame_) {
    // Asked by a screen while it draws: its view must outlive this frame.
    end_session_after_frame_ = true;
    return;
  }
  usage_.End(std::max(last_activity_, session_started_));  // until the last touch, not the timeout
  Session fresh;
  fresh.settings = config_.defaults;
  fresh.seed = NewSeed();
  session_ = std::move(fresh);
  for (auto& v : views_) v.reset();  // every view is built again for the next student
  speaker_.Stop();
  last_spoken_key_.clear();
  printer_->ForgetSession();
  ui::ResetGestures();
}

void App::OpenSearch(std::uint8_t routes, const std::string& text,
                     const std::string& subject_area) {
  SearchState s;
  s.routes = routes;
  s.text = text;
  if (!subject_area.empty()) s.subject_areas.push_back(subject_area);
  session_.search = s;
  Go(Screen::kSearch);
}

void App::ToggleShortlist(const cat::OpportunitySummary& s) {
  auto& list = session_.shortlist;
  for (auto it = list.begin(); it != list.end(); ++it)
    if (it->rowid == s.rowid && it->kind == ShortlistItem::Kind::kOpportunity) {
      list.erase(it);
      return;
    }
  ShortlistItem item{s.rowid, s.route, s.title, s.provider_name, "", ""};
  list.push_back(std::move(item));
  // Fill in contact details and the link for the take-away QR code.
  std::int64_t rowid = s.rowid;
  DataService* d = data_.get();
  d->Post([this, d, rowid](Backend& b) {
    if (!b.EnsureOpen()) return;
    auto r = b.catalogue->GetOpportunity(rowid);
    if (!r.ok()) return;
    std::string contact = !r->provider.phone.empty() ? r->provider.phone : r->provider.email;
    std::string url = !r->opportunity.url.empty() ? r->opportunity.url : r->provider.website;
    d->ToUi([this, rowid, contact, url] {
      for (auto& i : session_.shortlist)
        if (i.rowid == rowid && i.kind == ShortlistItem::Kind::kOpportunity) {
          i.contact = contact;
          i.url = url;
        }
    });
  });
}

void App::ToggleShortlist(const cat::OpportunityRecord& r) {
  auto& list = session_.shortlist;
  for (auto it = list.begin(); it != list.end(); ++it)
    if (it->rowid == r.rowid && it->kind == ShortlistItem::Kind::kOpportunity) {
      list.erase(it);
      return;
    }
  ShortlistItem item;
  item.rowid = r.rowid;
  item.route = r.opportunity.route;
  item.title = r.opportunity.title;
  item.provider = r.provider.name;
  item.contact = !r.provider.phone.empty() ? r.provider.phone : r.provider.email;
  item.url = !r.opportunity.url.empty() ? r.opportunity.url : r.provider.website;
  list.push_back(std::move(item));
}

void App::SecretTap() {
  secret_taps_.push_back(now_);
  std::erase_if(secret_taps_, [this](double t) { return now_ - t > 4.0; });
  if (secret_taps_.size() >= 7) {
    secret_taps_.clear();
    Go(Screen::kPin);
  }
}

// [SECTION] Shared data: metadata, local content ---------------------------------------

std::optional<cat::GeoPoint> App::Origin() const {
  return session_.near.point ? session_.near.point : meta_.origin;
}

void App::SetNearPostcode(const std::string& typed) {
  NearMe& near = session_.near;
  const std::string pc = cat::NormalisePostcode(typed);
  near.not_found.clear();
  if (typed.empty() || (pc == near.postcode && near.point)) {
    if (typed.empty() && near.point) ++data_version_;
    if (typed.empty()) near = NearMe{};
    return;
  }
  if (pc.empty()) {  // not even shaped like a postcode
    near.not_found = typed;
    return;
  }
  near.looking_up = true;
  const std::uint64_t session = session_.seed;  // the answer belongs to this visitor
  DataService* d = data_.get();
  d->Post([this, d, pc, session](Backend& b) {
    std::optional<cat::GeoPoint> point;
    if (b.EnsureOpen()) point = b.catalogue->LookupPostcode(pc);
    d->ToUi([this, pc, session, point] {
      if (session != session_.seed) return;  // that visitor has gone
      NearMe& n = session_.near;
      n.looking_up = false;
      if (!point) {
        n.not_found = pc;
        return;
      }
      n.postcode = pc;
      n.point = point;
      ++data_version_;  // every distance changes
    });
  });
}

void App::RequestMeta(bool full) {
  DataService* d = data_.get();
  d->Post([this, d, full](Backend& b) {
    MetaView m;
    m.loaded = true;
    m.full = full;
    m.available = b.EnsureOpen();
    if (!m.available) {
      m.problem = b.status.ToString();
    } else {
      // Stats() counts every table (~200 ms at 250k rows): only the
      // technician screen needs it. Students need the badge and freshness.
      if (full) {
        if (auto s = b.catalogue->Stats(); s.ok()) m.stats = std::move(s.value());
      } else {
        m.stats.name = b.catalogue->GetMeta("name").value_or("");
      }
      if (auto s = b.catalogue->SyncStates(); s.ok()) m.sync = std::move(s.value());
      m.is_sample = m.stats.is_sample || b.catalogue->GetMeta("is_sample").value_or("") == "1";
      m.has_origin = b.origin.has_value();
      m.origin = b.origin;
      m.sample_day = b.catalogue->GetMeta("sample_today").value_or("");
      if (full) m.degraded = DegradedFeeds(*b.catalogue, m.stats.feeds, m.sync);
    }
    d->ToUi([this, m = std::move(m)]() mutable { meta_ = std::move(m); });
  });
}

LocalView& App::local_view() {
  if (local_.loading || (local_.loaded && local_.version == data_version_)) return local_;
  local_.loading = true;
  local_.version = data_version_;
  DataService* d = data_.get();
  d->Post([this, d](Backend& b) {
    LocalView v;
    if (b.EnsureOpen()) {
      if (auto r = b.catalogue->LocalItems(cat::LocalKind::kAdviserDropIn, TodayUtc()); r.ok())
        v.adviser = std::move(r.value());
      if (auto r = b.catalogue->LocalItems(cat::LocalKind::kAlumniStory, TodayUtc()); r.ok())
        v.stories = std::move(r.value());
      for (auto k : {cat::LocalKind::kSchoolEvent, cat::LocalKind::kNotice, cat::LocalKind::kLink})
        if (auto r = b.catalogue->LocalItems(k, TodayUtc()); r.ok())
          for (auto& item : r.value()) v.school.push_back(std::move(item));
    }
    d->ToUi([this, v = std::move(v)]() mutable {
      local_.adviser = std::move(v.adviser);
      local_.stories = std::move(v.stories);
      local_.school = std::move(v.school);
      local_.loading = false;
      local_.loaded = true;
    });
  });
  return local_;
}

std::string App::DistanceText(const std::optional<double>& km) const {
  if (!km) return {};
  double miles = *km * 0.621371;
  char buf[64];
  if (miles < 1)
    std::snprintf(buf, sizeof buf, "%s", tr("under a mile away"));
  else if (miles < 1.5)
    std::snprintf(buf, sizeof buf, "%s", tr("about a mile away"));
  else
    std::snprintf(buf, sizeof buf, tr("%.0f miles away"), miles);
  return buf;
}

void App::OpenFirstSearchResult() { view(Screen::kSearch).OpenFirst(*this); }

void App::OpenFirstCareer() { view(Screen::kCareers).OpenFirst(*this); }

// [SECTION] Frame ------------------------------------------------------------------

bool App::Idle() const {
  if (!data_->Idle() || printer_->running()) return false;
  for (const auto& v : views_)
    if (v && v->Busy()) return false;
  return true;
}

bool App::PrepareFrame(int width, int height) {
  if (settings_applied_ && session_.settings == applied_settings_ && width == applied_width_ &&
      height == applied_height_)
    return false;
  if (session_.settings.language != applied_settings_.language || !settings_applied_) {
    if (!SetLanguage(session_.settings.language)) session_.settings.language = "en";
  }
  applied_settings_ = session_.settings;
  settings_applied_ = true;
  usage_.OnSettings(session_.settings, config_.defaults);
  applied_width_ = width;
  applied_height_ = height;
  if (!theme_.Apply(width, height, session_.settings)) return false;
  theme_.RebuildFonts();
  return true;
}

bool App::AnimationsRunning() const {
  // Widgets ask for frames through ui::RequestFrames(); work outside the
  // data service (a PIN check) is collected by polling. The attract loop's
  // fade is paced by NextDeadline() instead (PacedAnimationRunning()).
  for (const auto& v : views_)
    if (v && v->Busy()) return true;
  return false;
}

double App::AttractSlideAge(double now) const {
  const double since = std::max(0.0, now - session_started_);
  return since - std::floor(since / config_.attract_slide_s) * config_.attract_slide_s;
}

bool App::PacedAnimationRunning() const {
  return session_.screen() == Screen::kAttract &&
         AttractSlideAge(now_) < kAttractFadeS - kAttractFadeEpsilon;
}

double App::NextDeadline(double now) const {
  Screen s = session_.screen();
  const auto& shown = views_[static_cast<std::size_t>(s)];  // its own timers (read_aloud.cpp)
  double next = shown ? shown->NextDeadline(now) : now + 3600;
  if (s == Screen::kAttract) {
    // The next slide, and while a slide fades in, its next step: the fade is
    // drawn at its own rate (kAttractFadeFps), then nothing until the next slide.
    const double age = AttractSlideAge(now);
    if (age < kAttractFadeS - kAttractFadeEpsilon) {
      const double step = 1.0 / kAttractFadeFps;
      next = std::min(next, now + (std::floor(age / step + 1e-6) + 1) * step - age);
    } else {
      next = std::min(next, now + config_.attract_slide_s - age);
    }
  } else if (s != Screen::kTechnician) {
    double end = last_activity_ + config_.idle_timeout_s;
    double warn = end - config_.still_there_s;
    if (now < warn)
      next = std::min(next, warn);
    else
      next = std::min(next, now + 1.0 - std::fmod(now - warn, 1.0));
  }
  return next;
}

bool App::speaking() const { return const_cast<Speaker&>(speaker_).speaking(); }

int App::RunDataCallbacks() { return data_->RunUiCallbacks(); }

bool App::HasDataCallbacks() const { return data_->HasUiCallbacks(); }

void App::BeforeFrame(double now) {
  // Idle timeout: the session is wiped before the frame is prepared, so the
  // attract loop's first frame already has the default look and language.
  if (last_activity_ == 0) last_activity_ = now;
  Screen s = session_.screen();
  // Technicians get longer (and no countdown); the kiosk is never left in technician mode.
  double timeout =
      s == Screen::kTechnician ? std::max(300.0, config_.idle_timeout_s) : config_.idle_timeout_s;
  if (s != Screen::kAttract && now - last_activity_ >= timeout) {
    EndSession();
    session_started_ = now;
  }
  if (current_view().BeforeFrame(*this)) data_->WaitIdle(12);  // never longer than 12 ms
}

void App::Frame(double now, int width, int height) {
  now_ = now;
  ui::BeginFrame(theme_);
  RunDataCallbacks();
  in_frame_ = true;

  // Read aloud: speak each new screen/item once while the mode is on.
  speech_key_ =
      std::string(ScreenName(session_.screen())) + ":" + std::to_string(session_.nav.back().id);
  collecting_speech_ = session_.settings.read_aloud && speech_key_ != last_spoken_key_;
  speech_text_.clear();

  const ImGuiWindowFlags root_flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                      ImGuiWindowFlags_NoSavedSettings |
                                      ImGuiWindowFlags_NoBringToFrontOnFocus |
                                      ImGuiWindowFlags_NoNav | ImGuiWindowFlags_NoScrollWithMouse;
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(ImVec2(static_cast<float>(width), static_cast<float>(height)));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
  ImGui::Begin("##root", nullptr, root_flags);
  ImGui::PopStyleVar();
  ImGui::PushFont(theme_.body());

  View& v = current_view();
  if (session_.screen() == Screen::kAttract) {
    v.Draw(*this);
  } else {
    float bar_h = theme_.touch() + theme_.px(12);
    DrawTopBar(bar_h);
    // While the on-screen keyboard is up it takes the accessibility bar's
    // place (as phone keyboards do); the bar returns when it closes.
    const bool keyboard = v.KeyboardShowing(*this);
    float access_h = keyboard                                          ? 0.0f
                     : AccessibilityBarFits(static_cast<float>(width)) ? bar_h
                                                                       : 2 * bar_h - theme_.px(4);
    float content_h = static_cast<float>(height) - bar_h - access_h;
    ImGui::SetCursorPos(ImVec2(0, bar_h));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(theme_.px(16), theme_.px(12)));
    ImGui::BeginChild("##content", ImVec2(static_cast<float>(width), content_h), false,
                      ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse |
                          ImGuiWindowFlags_AlwaysUseWindowPadding | ImGuiWindowFlags_NoNav);
    ImGui::PopStyleVar();
    // A screen may navigate while drawing: the rest of this frame draws the
    // screen that started it, the next frame the new one.
    v.Draw(*this);
    ImGui::EndChild();
    if (access_h > 0) {
      ImGui::SetCursorPos(ImVec2(0, static_cast<float>(height) - access_h));
      DrawAccessibilityBar(access_h);
    }
  }
  ImGui::PopFont();
  bool still_there = session_.screen() != Screen::kAttract &&
                     session_.screen() != Screen::kTechnician &&
                     now - last_activity_ >= config_.idle_timeout_s - config_.still_there_s;
  ImGui::End();

  if (still_there) DrawStillThere();
  ui::EndFrame();  // the frame record (what was drawn) is complete
  in_frame_ = false;
  if (end_session_after_frame_) {
    end_session_after_frame_ = false;
    EndSession();
    session_started_ = now;
  }

  if (collecting_speech_ && !speech_text_.empty()) {
    speaker_.Say(speech_text_, CurrentLanguageInfo().espeak_voice);
    last_spoken_key_ = speech_key_;
  }
  collecting_speech_ = false;
}

}  // namespace signpost::kiosk
