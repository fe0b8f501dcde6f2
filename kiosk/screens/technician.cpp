// Technician mode: a PIN pad (reached by 7 quick taps on the top-bar title;
// the PIN is stored only as an Argon2 hash) and the technician screen with
// version, catalogue size, freshness per feed, last sync results and errors,
// display details, and the only way out of the app.
#include <SDL.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "kiosk/screens/technician.h"

#include "kiosk/i18n.h"  // AvailableLanguages(); technician text stays English
#include "kiosk/renderer_probe.h"
#include "kiosk/screens/feed_health.h"
#include "kiosk/screens/screens.h"
#include "kiosk/sync_request.h"
#include "kiosk/technician_pin.h"
#include "kiosk/ui.h"

namespace signpost::kiosk {

namespace cat = signpost::catalogue;
using namespace screens;

// [SECTION] PIN pad ---------------------------------------------------------------

const char* PinScreen::Title() const { return tr("Staff only"); }

void PinScreen::OnLeave(App&) {
  entry_.clear();
  state_ = 0;
  // A check still running belongs to the PIN pad that was left: its answer
  // opens nothing (the future finishes on its own thread).
  if (check_.valid()) dropped_ = std::move(check_);
}

void PinScreen::VerifyPin(App& app, const std::string& pin) {
  if (check_.valid()) return;                        // one check at a time
  if (app.pin_lockout().LockedFor(NowUnix()) > 0) {  // not even checked while locked
    state_ = 3;
    return;
  }
  state_ = 1;
  // Argon2 is slow by design: check on another thread; Draw() collects the
  // answer. The future's destructor waits, so the view never outlives it.
  check_ = std::async(std::launch::async,
                      [configured = app.config().pin_hash, path = app.config().pin_hash_path, pin] {
                        // "" (no hash, or a bad one) never matches.
                        const std::string hash = ResolvePinHash(configured, path);
                        return !hash.empty() && kiosk::VerifyPin(hash, pin);
                      });
}

void PinScreen::Collect(App& app) {
  if (!check_.valid() || check_.wait_for(std::chrono::seconds(0)) != std::future_status::ready)
    return;
  const bool ok = check_.get();
  if (app.screen() != Screen::kPin) {
    state_ = 0;
    return;
  }
  PinLockout& lockout = app.pin_lockout();
  if (ok) {
    lockout.Succeeded();
    state_ = 0;
    app.session().nav.back() = NavEntry{Screen::kTechnician};
    app.RequestMeta(true);
  } else {
    const std::int64_t lock = lockout.Failed(NowUnix());
    // To the journal, for whoever looks after the kiosk (never the digits).
    std::fprintf(
        stderr, "signpost-kiosk: warning: wrong technician PIN (%d in a row)%s\n",
        lockout.failures(),
        lock > 0 ? ("; the pad is locked for " + std::to_string(lock) + " s").c_str() : "");
    state_ = lock > 0 ? 3 : 2;
  }
}

void PinScreen::Draw(App& app) {
  const Theme& t = app.theme();
  const Palette& p = t.p();
  Collect(app);
  if (app.screen() != Screen::kPin) return;
  std::string& pin = entry_;
  ImVec2 avail = ImGui::GetContentRegionAvail();
  const std::int64_t locked = app.pin_lockout().LockedFor(NowUnix());
  std::string locked_text;
  if (locked > 0) {
    const std::int64_t minutes = (locked + 59) / 60;
    locked_text = minutes == 1 ? std::string(tr("Too many wrong PINs: locked for 1 minute"))
                               : std::string(tr("Too many wrong PINs: locked for")) + " " +
                                     std::to_string(minutes) + " " + tr("minutes");
  }
  const char* status = locked > 0    ? locked_text.c_str()
                       : state_ == 1 ? tr("Checking\xE2\x80\xA6")
                       : state_ == 2 ? tr("That PIN is not right.")
                                     : tr("Staff only: enter the technician PIN");
  // The message and the dots across the whole width (centred when they fit
  // on a line), then the pad in the height that is left, centred.
  auto centred = [&](ImFont* f, ImU32 colour, const char* text) {
    const float w = f->CalcTextSizeA(f->FontSize, FLT_MAX, 0, text).x;
    if (w < avail.x) ImGui::SetCursorPosX(ImGui::GetCursorPosX() + (avail.x - w) * 0.5f);
    ui::TextWrapped(f, colour, text, avail.x);
  };
  centred(t.heading(), state_ >= 2 || locked > 0 ? p.warning : p.text, status);
  std::string dots;
  for (std::size_t i = 0; i < pin.size(); ++i) dots += "\xE2\x80\xA2 ";
  centred(t.heading(), p.text, dots.empty() ? " " : dots.c_str());
  const float left_h = ImGui::GetContentRegionAvail().y;
  float key = std::min({t.px(84), left_h / 4 - t.px(8), avail.x / 3 - t.px(8)});
  key = std::max(key, t.touch());
  ImFont* key_font = key >= t.px(70) ? t.Font(FontRole::kHeading, 2) : t.chrome_bold();
  float pad_w = key * 3 + t.px(16);
  ImGui::SetCursorPosX(ImGui::GetCursorPosX() + (avail.x - pad_w) * 0.5f);
  ImGui::BeginGroup();
  static const char* kKeys[12] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "\xE2\x8C\xAB",
                                  "0", "OK"};
  for (int i = 0; i < 12; ++i) {
    if (i % 3) ImGui::SameLine(0, t.px(8));
    ImGui::PushID(i);
    bool ok_key = i == 11;
    if (ui::Button(t, kKeys[i], ImVec2(key, key),
                   ok_key ? ui::ButtonKind::kPrimary : ui::ButtonKind::kSecondary, key_font) &&
        state_ != 1) {
      if (i == 9) {
        if (!pin.empty()) pin.pop_back();
      } else if (ok_key) {
        if (!pin.empty()) VerifyPin(app, pin);
        pin.clear();
      } else if (pin.size() < 12) {
        pin += kKeys[i];
      }
    }
    ImGui::PopID();
  }
  ImGui::EndGroup();
}

// [SECTION] Technician screen ---------------------------------------------------------

namespace {

// What changes when content-sync makes an attempt, for every feed.
std::string SyncFingerprint(Backend& b) {
  std::string f;
  if (!b.EnsureOpen()) return f;
  if (auto states = b.catalogue->SyncStates(); states.ok())
    for (const auto& s : states.value())
      f += s.feed + "|" + std::to_string(s.last_attempt.value_or(0)) + "|" + s.result + "\n";
  return f;
}

}  // namespace

void TechnicianScreen::OnRefreshTick(App& app) {
  if (sync_request_ == SyncRequestState::kWaiting) CheckSyncRequest(app);
  if (app.screen() == Screen::kTechnician) PollUsb(app);
}

void TechnicianScreen::RequestSync(App& app) {
  if (sync_request_ == SyncRequestState::kWaiting) return;
  Status s = CreateSyncRequest(app.config().sync_request_file, NowUnix());
  if (!s.ok()) {
    sync_request_ = SyncRequestState::kFailed;
    sync_request_error_ = s.message();
    std::fprintf(stderr, "signpost-kiosk: sync now: %s\n", s.message().c_str());
    return;
  }
  sync_request_ = SyncRequestState::kWaiting;
  sync_request_error_.clear();
  sync_requested_at_ = app.now();
  sync_fingerprint_.clear();
  sync_check_pending_ = true;
  Fetch<std::string>(app.data(), SyncFingerprint, [this](std::string&& f) {
    sync_fingerprint_ = std::move(f);
    sync_check_pending_ = false;
  });
}

void TechnicianScreen::PollUsb(App& app) {
  // A few stat() calls over the mount folders, only while the technician
  // screen shows (the kiosk is otherwise idle and never scans).
  auto found = FindUsbBundle(usb_roots);
  const bool changed = (found.has_value() != usb_bundle_.has_value()) ||
                       (found && usb_bundle_ && found->path != usb_bundle_->path);
  usb_bundle_ = std::move(found);
  if (usb_waiting_ && !SyncRequestPending(UsbImportRequestPath(app.config().sync_request_file))) {
    usb_waiting_ = false;
    usb_result_ = ReadUsbImportResult(UsbImportResultPath(app.config().sync_request_file));
    if (!usb_result_) usb_error_ = "content-sync took the request but left no answer";
    app.data().ToUi([] {});  // draw a frame with the answer
  } else if (changed) {
    app.data().ToUi([] {});
  }
}

void TechnicianScreen::RequestUsbImport(App& app) {
  if (usb_waiting_ || !usb_bundle_) return;
  usb_result_.reset();
  usb_error_.clear();
  Status s = signpost::kiosk::RequestUsbImport(UsbImportRequestPath(app.config().sync_request_file),
                                               usb_bundle_->path);
  if (!s.ok()) {
    usb_error_ = s.message();
    std::fprintf(stderr, "signpost-kiosk: update from USB: %s\n", s.message().c_str());
    return;
  }
  usb_waiting_ = true;
}

void TechnicianScreen::SyncRequestDone(App& app) {
  sync_request_ = SyncRequestState::kDone;
  app.RequestMeta(true);  // the technician screen shows the new results
}

void TechnicianScreen::CheckSyncRequest(App& app) {
  if (!SyncRequestPending(app.config().sync_request_file)) {
    SyncRequestDone(app);
    return;
  }
  if (sync_check_pending_) return;
  sync_check_pending_ = true;
  Fetch<std::string>(app.data(), SyncFingerprint, [this, &app](std::string&& f) {
    sync_check_pending_ = false;
    if (sync_request_ == SyncRequestState::kWaiting && f != sync_fingerprint_) SyncRequestDone(app);
  });
}

// Display and touch test: colour bars and a grey ramp (stuck pixels, colour
// order), and a dot wherever the panel reports a touch (dead zones, offset or
// mirrored axes, rotation). Returns false when the technician taps "Done".
bool TechnicianScreen::DisplayAndTouchTest(App& app) {
  const Theme& t = app.theme();
  ImVec2* dots = dots_;
  int& count = dot_count_;
  ImVec2 avail = ImGui::GetContentRegionAvail();
  ImVec2 a = ImGui::GetCursorScreenPos();
  float bar_h = avail.y - t.touch() - t.gap();
  ImGui::InvisibleButton("##canvas", ImVec2(avail.x, bar_h));
  ImGuiIO& io = ImGui::GetIO();
  // Not IsItemActive(): a drag releases the active widget (ui::BeginFrame).
  if (io.MouseDown[0] && ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenBlockedByActiveItem))
    dots[count++ % 64] = io.MousePos;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  static const ImU32 kBars[] = {IM_COL32(255, 255, 255, 255), IM_COL32(255, 255, 0, 255),
                                IM_COL32(0, 255, 255, 255),   IM_COL32(0, 255, 0, 255),
                                IM_COL32(255, 0, 255, 255),   IM_COL32(255, 0, 0, 255),
                                IM_COL32(0, 0, 255, 255),     IM_COL32(0, 0, 0, 255)};
  float bw = avail.x / 8;
  for (int i = 0; i < 8; ++i)
    dl->AddRectFilled(a + ImVec2(bw * static_cast<float>(i), 0),
                      a + ImVec2(bw * static_cast<float>(i + 1), bar_h * 0.6f), kBars[i]);
  dl->AddRectFilledMultiColor(a + ImVec2(0, bar_h * 0.6f), a + ImVec2(avail.x, bar_h),
                              IM_COL32_BLACK, IM_COL32_WHITE, IM_COL32_WHITE, IM_COL32_BLACK);
  for (int i = 0; i < std::min(count, 64); ++i) {
    dl->AddCircleFilled(dots[i], t.px(10), IM_COL32(255, 221, 0, 255));
    dl->AddCircle(dots[i], t.px(10), IM_COL32_BLACK, 0, t.px(2));
  }
  dl->AddRect(a, a + ImVec2(avail.x, bar_h), t.p().border, 0, 0, t.px(2));
  bool done = ui::Button(t, "Done", ImVec2(avail.x, t.touch()));
  if (done) count = 0;
  return !done;
}

// "Sync now": asks content-sync through the request file (the kiosk cannot
// start systemd units), then says what is happening until content-sync has
// taken it; the feed lines above then show the new results.
void TechnicianScreen::DrawSyncNow(App& app) {
  const Theme& t = app.theme();
  const Palette& p = t.p();
  using SR = SyncRequestState;
  const SR st = sync_request_;
  const bool waiting = st == SR::kWaiting;
  if (ui::Button(t, waiting ? "Sync requested" : "Sync now", ImVec2(0, t.touch()),
                 ui::ButtonKind::kSecondary) &&
      !waiting)
    RequestSync(app);
  char line[512];
  switch (st) {
    case SR::kNone:
      std::snprintf(line, sizeof line, "Asks content-sync to update every feed now (creates %s).",
                    app.config().sync_request_file.c_str());
      ui::TextWrapped(t.small(), p.muted, line);
      break;
    case SR::kWaiting: {
      const double waited = app.now() - sync_requested_at_;
      if (waited < 60) {
        ui::TextWrapped(t.body(), p.text,
                        "Sync requested \xE2\x80\x93 waiting for content-sync\xE2\x80\xA6");
      } else {
        std::snprintf(line, sizeof line,
                      "Sync requested %.0f minutes ago \xE2\x80\x93 still waiting for "
                      "content-sync. Is it running? (systemctl status signpost-sync)",
                      std::ceil(waited / 60));
        ui::TextWrapped(t.body(), p.warning, line);
      }
      break;
    }
    case SR::kDone:
      ui::TextWrapped(t.body(), p.text,
                      "content-sync has taken the request: the feed lines below show the last "
                      "sync result.");
      break;
    case SR::kFailed:
      std::snprintf(line, sizeof line, "Could not request a sync: %s", sync_request_error_.c_str());
      ui::TextWrapped(t.body(), p.warning, line);
      break;
  }
}

// "Update from USB": offered when a stick holding a signed bundle is in; the
// import itself is content-sync's (it verifies the signature and the serial).
void TechnicianScreen::DrawUsbUpdate(App& app) {
  const Theme& t = app.theme();
  const Palette& p = t.p();
  char line[768];
  const auto& bundle = usb_bundle_;
  // The last answer first, so it is in view next to the button.
  if (!usb_error_.empty()) {
    std::snprintf(line, sizeof line, "Update from USB failed: %s", usb_error_.c_str());
    ui::TextWrapped(t.body(), p.warning, line);
  } else if (const auto& r = usb_result_) {
    if (r->result == "ok") {
      std::snprintf(line, sizeof line, "Updated from USB: content serial %lld.",
                    static_cast<long long>(r->serial));
      ui::TextWrapped(t.body(), p.text, line);
    } else if (r->result == "unchanged") {
      std::snprintf(line, sizeof line, "The kiosk already has this content (serial %lld).",
                    static_cast<long long>(r->serial));
      ui::TextWrapped(t.body(), p.text, line);
    } else {
      std::snprintf(line, sizeof line, "Not imported (%s): %s The kiosk keeps its content.",
                    r->reason.empty() ? r->result.c_str() : r->reason.c_str(), r->message.c_str());
      ui::TextWrapped(t.body(), p.warning, line);
    }
  }
  if (usb_waiting_) {
    ui::TextWrapped(t.body(), p.text,
                    "Updating from USB \xE2\x80\x93 content-sync is checking and importing the "
                    "bundle\xE2\x80\xA6 Leave the stick in.");
  } else if (bundle) {
    std::snprintf(line, sizeof line, "Update from USB (%s, %.1f MB)", bundle->name.c_str(),
                  static_cast<double>(bundle->bytes) / 1e6);
    if (ui::Button(t, line, ImVec2(0, t.touch()), ui::ButtonKind::kSecondary))
      RequestUsbImport(app);
  } else {
    ui::TextWrapped(t.small(), p.muted,
                    "Update from USB: insert a stick holding a signed content bundle "
                    "(*.bundle with its .minisig, from the hub).");
  }
}

const char* TechnicianScreen::Title() const { return tr("Technician"); }

void TechnicianScreen::Draw(App& app) {
  const Theme& t = app.theme();
  const Palette& p = t.p();
  bool& testing = testing_;
  if (testing) {
    testing = DisplayAndTouchTest(app);
    return;
  }
  const MetaView& m = app.meta();
  // Once per visit: counting is slow on big catalogues.
  if (!m.full && !asked_full_) app.RequestMeta(true);
  asked_full_ = !m.full;
  ImVec2 avail = ImGui::GetContentRegionAvail();
  float buttons_h = t.touch() + t.gap();
  ui::BeginScroll("##tech", ImVec2(0, avail.y - buttons_h));
  char line[512];
  std::snprintf(
      line, sizeof line, "Signpost kiosk %s  \xC2\xB7  SDL %d.%d.%d  \xC2\xB7  Dear ImGui %s",
      SIGNPOST_VERSION, SDL_MAJOR_VERSION, SDL_MINOR_VERSION, SDL_PATCHLEVEL, IMGUI_VERSION);
  // Both lines wrap: at the largest text on a small panel they are wider
  // than the screen (the layout audit found them cut off).
  ui::TextWrapped(t.heading(), p.text, line);
  ImGuiIO& io = ImGui::GetIO();
  const char* driver = SDL_GetCurrentVideoDriver();
  const std::string& renderer = RendererInUse();
  std::snprintf(
      line, sizeof line, "Display %.0fx%.0f, video driver %s, renderer %s, %d touch device(s)",
      io.DisplaySize.x, io.DisplaySize.y, driver ? driver : "?",
      renderer.empty() ? "software (headless)" : renderer.c_str(), SDL_GetNumTouchDevices());
  ui::TextWrapped(t.body(), p.text, line);
  std::snprintf(line, sizeof line, "Catalogue: %s", app.config().catalogue_path.c_str());
  ui::TextWrapped(t.body(), p.text, line);
  DrawSyncNow(app);
  DrawUsbUpdate(app);
  if (!m.loaded) {
    ui::Text(t.body(), p.muted, "Reading catalogue\xE2\x80\xA6");
  } else if (!m.available) {
    std::snprintf(line, sizeof line, "Catalogue not available: %s", m.problem.c_str());
    ui::TextWrapped(t.body(), p.warning, line);
  } else {
    const auto& s = m.stats;
    std::snprintf(
        line, sizeof line,
        "%s%s  \xC2\xB7  schema %d  \xC2\xB7  %s opportunities (FE %s, T Level %s, HE %s, "
        "apprenticeships %s)  \xC2\xB7  %s providers  \xC2\xB7  %s careers  \xC2\xB7  %s "
        "events  \xC2\xB7  %s local items",
        s.name.empty() ? "catalogue" : s.name.c_str(), m.is_sample ? " (SAMPLE DATA)" : "",
        s.schema_version, FormatCount(s.opportunities).c_str(), FormatCount(s.by_route[0]).c_str(),
        FormatCount(s.by_route[1]).c_str(), FormatCount(s.by_route[2]).c_str(),
        FormatCount(s.by_route[3]).c_str(), FormatCount(s.providers).c_str(),
        FormatCount(s.careers).c_str(), FormatCount(s.events).c_str(),
        FormatCount(s.local_items).c_str());
    ui::TextWrapped(t.body(), p.text, line);
    std::string fresh = app.Freshness();
    if (s.last_import) fresh += "  (last import " + FormatIsoTimestamp(*s.last_import) + ")";
    ui::TextWrapped(t.body(), p.text, fresh.c_str());
    ImGui::Dummy(ImVec2(0, t.px(6)));
    ui::Text(t.heading(), p.text, "Feeds");
    for (const auto& f : s.feeds) {
      const cat::SyncState* st = nullptr;
      for (const auto& x : m.sync)
        if (x.feed == f.feed) st = &x;
      std::snprintf(
          line, sizeof line, "%s: %s records%s%s%s%s%s", f.feed.c_str(),
          FormatCount(f.records).c_str(), st ? "  \xC2\xB7  last sync " : "",
          st ? st->result.c_str() : "", st && st->last_success ? ", fresh at " : "",
          st && st->last_success ? FormatIsoTimestamp(*st->last_success).c_str() : "",
          st && !st->last_error.empty() ? (" \xE2\x80\x94 " + st->last_error).c_str() : "");
      const std::string* degraded = DegradedReason(m, f.feed);
      ui::TextWrapped(t.body(), (st && !st->last_error.empty()) || degraded ? p.warning : p.text,
                      line);
      DrawDegraded(t, degraded);
    }
    for (const auto& st : m.sync) {
      bool listed = false;
      for (const auto& f : s.feeds) listed = listed || f.feed == st.feed;
      if (listed) continue;
      std::snprintf(line, sizeof line, "%s: no records  \xC2\xB7  last sync %s %s", st.feed.c_str(),
                    st.result.c_str(), st.last_error.c_str());
      ui::TextWrapped(t.body(), p.warning, line);
      DrawDegraded(t, DegradedReason(m, st.feed));
    }
  }
  ImGui::Dummy(ImVec2(0, t.px(6)));
  const std::string pin_from = app.config().pin_hash
                                   ? "technician_pin_hash in the config file"
                                   : "PIN hash file " + app.config().pin_hash_path;
  std::snprintf(line, sizeof line,
                "Idle timeout %.0f s  \xC2\xB7  kiosk postcode %s  \xC2\xB7  PIN from %s",
                app.config().idle_timeout_s,
                app.config().postcode.empty() ? "(not set)" : app.config().postcode.c_str(),
                pin_from.c_str());
  ui::TextWrapped(t.small(), p.muted, line);
  // Settings for this run. The lasting place is the kiosk's config file
  // (/etc/signpost/kiosk.toml via provision.sh); these survive until restart.
  ImGui::Dummy(ImVec2(0, t.px(6)));
  ui::Text(t.heading(), p.text, "Settings until restart");
  KioskConfig& cfg = app.mutable_config();
  ui::Text(t.small(), p.muted, "Idle timeout");
  for (int secs : {60, 90, 120, 180, 300}) {
    char label[16];
    std::snprintf(label, sizeof label, "%d s", secs);
    if (secs != 60) ImGui::SameLine();
    if (ui::Chip(t, label, static_cast<int>(cfg.idle_timeout_s) == secs)) {
      cfg.idle_timeout_s = secs;
      cfg.still_there_s = std::min(15.0, cfg.idle_timeout_s / 3);
    }
  }
  ui::Text(t.small(), p.muted, "Each session starts in");
  bool first_lang = true;
  for (const Language* lang : app.OfferedLanguages()) {
    if (!first_lang) ImGui::SameLine();
    first_lang = false;
    if (ui::Chip(t, lang->name, cfg.defaults.language == lang->code))
      cfg.defaults.language = lang->code;
  }
  ui::Text(t.small(), p.muted, "Each session starts with");
  if (ui::Chip(t, "High contrast", cfg.defaults.high_contrast))
    cfg.defaults.high_contrast = !cfg.defaults.high_contrast;
  ImGui::SameLine();
  if (ui::Chip(t, "Easy-read font", cfg.defaults.dyslexia_font))
    cfg.defaults.dyslexia_font = !cfg.defaults.dyslexia_font;
  ImGui::SameLine();
  if (ui::Chip(t, "Large text", cfg.defaults.text_size > 0))
    cfg.defaults.text_size = cfg.defaults.text_size > 0 ? 0 : 1;
  DrawUsageExport(app, export_);  // anonymous usage report to a USB stick
  ImGui::Dummy(ImVec2(0, t.px(8)));
  ui::EndScroll();
  float bw = (avail.x - 3 * t.gap()) / 4;
  if (ui::Button(t, "Refresh", ImVec2(bw, t.touch()), ui::ButtonKind::kSecondary))
    app.RequestMeta(true);
  ImGui::SameLine(0, t.gap());
  if (ui::Button(t, "Screen test", ImVec2(bw, t.touch()), ui::ButtonKind::kSecondary))
    testing = true;
  ImGui::SameLine(0, t.gap());
  if (ui::Button(t, "Back to kiosk", ImVec2(bw, t.touch()))) app.EndSession();  // after this frame
  ImGui::SameLine(0, t.gap());
  if (ui::Button(t, "Exit kiosk", ImVec2(bw, t.touch()), ui::ButtonKind::kSecondary)) app.Quit();
}

std::unique_ptr<View> MakePinScreen() { return std::make_unique<PinScreen>(); }
std::unique_ptr<View> MakeTechnicianScreen() { return std::make_unique<TechnicianScreen>(); }

}  // namespace signpost::kiosk
