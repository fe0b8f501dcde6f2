// App: session, navigation, data requests and the chrome around screens.
//
// Index:
//   [SECTION] Helpers
//   [SECTION] Construction and input
//   [SECTION] Navigation and session
//   [SECTION] Data requests
//   [SECTION] Frame
//   [SECTION] Chrome: top bar, accessibility bar, "still there?"
#include "kiosk/app.h"

#include <SDL.h>
#include <sodium.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <random>
#include <thread>
#include <utility>

#include "kiosk/i18n.h"
#include "kiosk/receipt.h"
#include "kiosk/screens/screens.h"
#include "kiosk/sync_request.h"
#include "kiosk/technician_pin.h"
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

std::string_view ScreenName(Screen s) {
  static constexpr std::string_view kNames[kScreenCount] = {
      "attract", "home",     "search",    "detail", "careers", "career",
      "events",  "subjects", "shortlist", "help",   "pin",     "technician"};
  return kNames[static_cast<int>(s)];
}

std::optional<Screen> ParseScreen(std::string_view name) {
  for (int i = 0; i < kScreenCount; ++i)
    if (ScreenName(static_cast<Screen>(i)) == name) return static_cast<Screen>(i);
  return std::nullopt;
}

const cat::OpportunitySummary* SearchView::Row(std::int64_t i) const {
  auto it = pages.find(i / kPageRows);
  if (it == pages.end()) return nullptr;
  std::size_t k = static_cast<std::size_t>(i % kPageRows);
  return k < it->second.size() ? &it->second[k] : nullptr;
}

namespace {

std::uint64_t NewSeed() {
  std::random_device rd;
  return (static_cast<std::uint64_t>(rd()) << 32) ^ rd() ^
         static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
}

const char* ScreenTitle(Screen s) {
  switch (s) {
    case Screen::kAttract:
      return "";
    case Screen::kHome:
      return tr("What could you do next?");
    case Screen::kSearch:
      return tr("Explore");
    case Screen::kDetail:
      return tr("Details");
    case Screen::kCareers:
      return tr("Careers");
    case Screen::kCareer:
      return tr("Career");
    case Screen::kEvents:
      return tr("Open days");
    case Screen::kSubjects:
      return tr("Subjects");
    case Screen::kShortlist:
      return tr("My shortlist");
    case Screen::kHelp:
      return tr("Help");
    case Screen::kPin:
      return tr("Staff only");
    case Screen::kTechnician:
      return tr("Technician");
  }
  return "";
}

}  // namespace

// [SECTION] Construction and input ---------------------------------------------

App::App(KioskConfig config, std::function<void()> wake)
    : config_(std::move(config)),
      latest_search_(std::make_shared<std::atomic<std::uint64_t>>(0)),
      usage_(config_.usage_path),
      data_(std::make_unique<DataService>(config_.catalogue_path, config_.postcode,
                                          std::move(wake))) {
  session_.settings = config_.defaults;
  session_.seed = NewSeed();
  theme_.SetBrandBar(config_.branding.has_accent, config_.branding.accent_rgb);
  RequestMeta();
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

App::~App() {
  usage_.End(now_);      // a session cut short by shutdown still counts
  print_cancel_ = true;  // a slip still printing stops within 100 ms
  if (print_thread_.joinable()) print_thread_.join();
}

void App::OnActivity(double now) { last_activity_ = now; }

void App::OnText(const char* utf8) {
  std::string* target = nullptr;
  if (screen() == Screen::kSearch) target = &session_.search.text;
  if (screen() == Screen::kCareers) target = &session_.careers_text;
  if (!target) return;
  ui::AppendWhole(target, utf8, 60);  // whole characters only, never half of one
}

void App::OnKey(int key) {
  std::string* target = nullptr;
  if (screen() == Screen::kSearch) target = &session_.search.text;
  if (screen() == Screen::kCareers) target = &session_.careers_text;
  if (key == SDLK_BACKSPACE && target && !target->empty()) {
    ui::EraseLastChar(target);
  } else if ((key == SDLK_RETURN || key == SDLK_KP_ENTER) && screen() == Screen::kSearch) {
    session_.search.keyboard_open = false;
  }
  // Escape, Alt+F4 and friends deliberately do nothing: the only way out of
  // the kiosk is technician mode.
}

bool App::OnRefreshTick() {
  // The technician screen shows sync state, USB sticks and "waiting for
  // content-sync" as it changes: it is redrawn on every tick. Everywhere else
  // the check itself draws nothing; only new data does.
  const bool redraw =
      screen() == Screen::kTechnician || sync_request_ == SyncRequestState::kWaiting;
  if (sync_request_ == SyncRequestState::kWaiting) CheckSyncRequest();
  if (screen() == Screen::kTechnician) PollUsb();
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

void App::Go(Screen s, std::int64_t id) {
  if (session_.nav.size() >= 32) session_.nav.erase(session_.nav.begin() + 1);
  session_.nav.push_back(NavEntry{s, id});
  AfterNavigate();
  usage_.OnScreen(s, id, session_);
}

void App::Back() {
  if (session_.nav.size() > 1) session_.nav.pop_back();
  if (session_.nav.back().screen == Screen::kAttract)
    session_.nav.push_back(NavEntry{Screen::kHome});
  AfterNavigate();
}

void App::Home() {
  session_.nav.assign({NavEntry{Screen::kHome}});
  AfterNavigate();
}

void App::AfterNavigate() {
  session_.search.keyboard_open = false;
  session_.search.filters_open = false;
  session_.careers_keyboard = false;
  session_.pin_entry.clear();
  pin_state_ = 0;
}

void App::StartSession() {
  session_.nav.assign({NavEntry{Screen::kHome}});
  session_started_ = now_;
  last_activity_ = now_;
  usage_.Start(now_);
}

void App::EndSession() {
  usage_.End(std::max(last_activity_, session_started_));  // until the last touch, not the timeout
  Session fresh;
  fresh.settings = config_.defaults;
  fresh.seed = NewSeed();
  session_ = std::move(fresh);
  search_ = SearchView{};
  detail_ = DetailView{};
  careers_ = CareersView{};
  career_ = CareerView{};
  subjects_ = SubjectsView{};
  speaker_.Stop();
  last_spoken_key_.clear();
  print_state_ = PrintState::kIdle;
  ++print_job_;  // a slip still printing belongs to the last student
  ui::ResetGestures();
  attract_.loaded = false;  // new highlights for the next visitor
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
    if (it->rowid == s.rowid) {
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
        if (i.rowid == rowid) {
          i.contact = contact;
          i.url = url;
        }
    });
  });
}

void App::ToggleShortlist(const cat::OpportunityRecord& r) {
  auto& list = session_.shortlist;
  for (auto it = list.begin(); it != list.end(); ++it)
    if (it->rowid == r.rowid) {
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

void App::PrintSlip() {
  if (!config_.printer.enabled || session_.shortlist.empty() ||
      print_state_ == PrintState::kPrinting || print_running_)
    return;
  if (print_thread_.joinable()) print_thread_.join();  // the last one has finished
  SlipOptions o;
  o.paper_width_mm = config_.printer.paper_width_mm;
  o.ascii_only = config_.printer.ascii_only;
  o.site_name = config_.site_name;
  if (!config_.branding.host_name.empty()) {
    char hosted[256];
    std::snprintf(hosted, sizeof hosted, tr("Hosted by %s"), config_.branding.host_name.c_str());
    o.host_name = hosted;
  }
  o.heading = tr("Your shortlist");
  o.date_line = HumanDate(TodayUtc());
  o.qr_caption = tr("Scan for the links on your phone");
  o.footer = tr("National Careers Service: 0800 100 900 (free)");
  std::string bytes = EncodeSlip(session_.shortlist, o);
  print_state_ = PrintState::kPrinting;
  printed_list_ = ShortlistFingerprint();
  const std::uint64_t job = ++print_job_;
  print_running_ = true;
  DataService* d = data_.get();
  print_thread_ = std::thread(
      [this, d, job, device = config_.printer.device, bytes = std::move(bytes)]() mutable {
        Status s = WriteToPrinter(device, bytes, 15000, &print_cancel_);
        // Nothing about the shortlist is kept once it is on paper.
        sodium_memzero(bytes.data(), bytes.size());
        bytes.clear();
        bytes.shrink_to_fit();
        std::string error = s.ok() ? std::string() : s.message();
        if (!error.empty()) std::fprintf(stderr, "signpost-kiosk: printer: %s\n", error.c_str());
        d->ToUi([this, job, error] {
          last_print_error_ = error;
          if (job != print_job_) return;  // that student has gone
          print_state_ = error.empty() ? PrintState::kPrinted : PrintState::kFailed;
        });
        print_running_ = false;
      });
}

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

void App::RequestSync() {
  if (sync_request_ == SyncRequestState::kWaiting) return;
  Status s = CreateSyncRequest(config_.sync_request_file, NowUnix());
  if (!s.ok()) {
    sync_request_ = SyncRequestState::kFailed;
    sync_request_error_ = s.message();
    std::fprintf(stderr, "signpost-kiosk: sync now: %s\n", s.message().c_str());
    return;
  }
  sync_request_ = SyncRequestState::kWaiting;
  sync_request_error_.clear();
  sync_requested_at_ = now_;
  sync_fingerprint_.clear();
  sync_check_pending_ = true;
  DataService* d = data_.get();
  d->Post([this, d](Backend& b) {
    std::string f = SyncFingerprint(b);
    d->ToUi([this, f = std::move(f)]() mutable {
      sync_fingerprint_ = std::move(f);
      sync_check_pending_ = false;
    });
  });
}

void App::PollUsb() {
  // A few stat() calls over the mount folders, only while the technician
  // screen shows (the kiosk is otherwise idle and never scans).
  auto found = FindUsbBundle(usb_roots);
  const bool changed = (found.has_value() != usb_bundle_.has_value()) ||
                       (found && usb_bundle_ && found->path != usb_bundle_->path);
  usb_bundle_ = std::move(found);
  if (usb_waiting_ && !SyncRequestPending(UsbImportRequestPath(config_.sync_request_file))) {
    usb_waiting_ = false;
    usb_result_ = ReadUsbImportResult(UsbImportResultPath(config_.sync_request_file));
    if (!usb_result_) usb_error_ = "content-sync took the request but left no answer";
    data_->ToUi([] {});  // draw a frame with the answer
  } else if (changed) {
    data_->ToUi([] {});
  }
}

void App::RequestUsbImport() {
  if (usb_waiting_ || !usb_bundle_) return;
  usb_result_.reset();
  usb_error_.clear();
  Status s = signpost::kiosk::RequestUsbImport(UsbImportRequestPath(config_.sync_request_file),
                                               usb_bundle_->path);
  if (!s.ok()) {
    usb_error_ = s.message();
    std::fprintf(stderr, "signpost-kiosk: update from USB: %s\n", s.message().c_str());
    return;
  }
  usb_waiting_ = true;
}

void App::SyncRequestDone() {
  sync_request_ = SyncRequestState::kDone;
  RequestMeta(true);  // the technician screen shows the new results
}

void App::CheckSyncRequest() {
  if (!SyncRequestPending(config_.sync_request_file)) {
    SyncRequestDone();
    return;
  }
  if (sync_check_pending_) return;
  sync_check_pending_ = true;
  DataService* d = data_.get();
  d->Post([this, d](Backend& b) {
    std::string f = SyncFingerprint(b);
    d->ToUi([this, f = std::move(f)] {
      sync_check_pending_ = false;
      if (sync_request_ == SyncRequestState::kWaiting && f != sync_fingerprint_) SyncRequestDone();
    });
  });
}

std::uint64_t App::ShortlistFingerprint() const {
  std::uint64_t h = 1469598103934665603ull;  // FNV-1a over the rowids: no content kept
  for (const auto& item : session_.shortlist) {
    h ^= static_cast<std::uint64_t>(item.rowid);
    h *= 1099511628211ull;
  }
  return h;
}

App::PrintState App::print_state() {
  // A slip (or a failure) belongs to the list it was for: once the list
  // changes, "Print a slip" is offered again.
  if ((print_state_ == PrintState::kPrinted || print_state_ == PrintState::kFailed) &&
      ShortlistFingerprint() != printed_list_)
    print_state_ = PrintState::kIdle;
  return print_state_;
}

void App::SecretTap() {
  secret_taps_.push_back(now_);
  std::erase_if(secret_taps_, [this](double t) { return now_ - t > 4.0; });
  if (secret_taps_.size() >= 7) {
    secret_taps_.clear();
    Go(Screen::kPin);
  }
}

void App::VerifyPin(const std::string& pin) {
  if (pin_check_.valid()) return;  // one check at a time
  pin_state_ = 1;
  // Argon2 is slow by design: check on another thread; Frame() collects the
  // answer. The future's destructor waits, so the App never outlives it.
  pin_check_ = std::async(std::launch::async,
                          [configured = config_.pin_hash, path = config_.pin_hash_path, pin] {
                            // "" (no hash, or a bad one) never matches.
                            const std::string hash = ResolvePinHash(configured, path);
                            return !hash.empty() && kiosk::VerifyPin(hash, pin);
                          });
}

void App::CollectPinCheck() {
  if (!pin_check_.valid() ||
      pin_check_.wait_for(std::chrono::seconds(0)) != std::future_status::ready)
    return;
  bool ok = pin_check_.get();
  if (screen() != Screen::kPin) {
    pin_state_ = 0;
    return;
  }
  if (ok) {
    pin_state_ = 0;
    session_.nav.back() = NavEntry{Screen::kTechnician};
    RequestMeta(true);
  } else {
    pin_state_ = 2;
  }
}

// [SECTION] Data requests ----------------------------------------------------------

bool App::Idle() const { return data_->Idle() && !pin_check_.valid() && !print_running_; }

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
    }
    d->ToUi([this, m = std::move(m)]() mutable { meta_ = std::move(m); });
  });
}

SearchView& App::search_view() {
  SearchIfChanged();
  return search_;
}

void App::SearchIfChanged() {
  SearchState key = session_.search;
  key.keyboard_open = false;
  key.filters_open = false;
  if ((search_.has_results || search_.loading) && key == search_.for_state &&
      searched_version_ == data_version_)
    return;
  searched_version_ = data_version_;
  std::uint64_t gen = ++search_generation_;
  latest_search_->store(gen);
  search_.loading = true;
  search_.for_state = key;
  cat::SearchRequest req;
  req.text = key.text;
  req.routes = key.routes;
  req.levels = key.levels;
  req.modes = key.modes;
  req.subject_areas = key.subject_areas;
  req.within_km = key.within_km;
  if (key.starting_soon) {
    req.start_from = TodayUtc();
    req.start_to = TodayUtc() + 183;
  }
  req.session_seed = session_.seed;
  usage_.OnSearch(key);
  DataService* d = data_.get();
  auto latest = latest_search_;
  d->Post([this, d, gen, req, latest](Backend& b) mutable {
    if (latest->load() != gen) return;  // the student has typed more since
    if (!b.EnsureOpen()) {
      std::string why = b.status.ToString();
      d->ToUi([this, gen, why] {
        if (gen != search_generation_) return;
        search_.loading = false;
        search_.has_results = true;
        search_.total = 0;
        search_.error = why;
      });
      return;
    }
    req.origin = b.origin;
    if (req.within_km > 0 && !req.origin) req.within_km = 0;
    auto r = b.engine->Search(req);
    if (!r.ok()) {
      std::string why = r.status().ToString();
      d->ToUi([this, gen, why] {
        if (gen != search_generation_) return;
        search_.loading = false;
        search_.has_results = true;
        search_.total = 0;
        search_.error = why;
      });
      return;
    }
    b.results = std::move(r.value());
    b.results_generation = gen;
    std::int64_t total = b.results->size();
    auto rows = b.results->Rows(0, std::min<std::int64_t>(SearchView::kPageRows, total));
    std::vector<cat::OpportunitySummary> page;
    if (auto s = b.engine->Summaries(rows, b.origin); s.ok()) page = std::move(s.value());
    d->ToUi([this, gen, total, facets = b.results->facets(), dym = b.results->did_you_mean(),
             corrected = b.results->corrected(), page = std::move(page)]() mutable {
      if (gen != search_generation_) return;
      search_.generation = gen;
      search_.loading = false;
      search_.has_results = true;
      search_.error.clear();
      search_.total = total;
      search_.facets = std::move(facets);
      search_.did_you_mean = std::move(dym);
      search_.corrected = corrected;
      search_.pages.clear();
      search_.pending_pages.clear();
      search_.pages[0] = std::move(page);
      usage_.OnSearchResult(search_.for_state.text, total);
      if (open_first_result_ && total > 0 && !search_.pages[0].empty()) {
        open_first_result_ = false;
        Go(Screen::kDetail, search_.pages[0][0].rowid);
      }
    });
  });
}

void App::RequestRows(std::int64_t first, std::int64_t count) {
  if (!search_.has_results || search_.loading || count <= 0) return;
  std::int64_t last = std::min(first + count, search_.total) - 1;
  for (std::int64_t p = std::max<std::int64_t>(0, first / SearchView::kPageRows);
       p <= last / SearchView::kPageRows; ++p) {
    if (search_.pages.count(p) || search_.pending_pages.count(p)) continue;
    search_.pending_pages.insert(p);
    // Keep memory bounded on a 250k list: drop pages far from the view.
    if (search_.pages.size() > 16) {
      for (auto it = search_.pages.begin(); it != search_.pages.end();) {
        if (std::llabs(it->first - p) > 6)
          it = search_.pages.erase(it);
        else
          ++it;
      }
    }
    std::uint64_t gen = search_.generation;
    DataService* d = data_.get();
    d->Post([this, d, gen, p](Backend& b) {
      if (!b.results || b.results_generation != gen || !b.engine) return;
      std::int64_t from = p * SearchView::kPageRows;
      std::int64_t n = std::min<std::int64_t>(SearchView::kPageRows, b.results->size() - from);
      if (n <= 0) return;
      auto rows = b.results->Rows(from, n);
      auto s = b.engine->Summaries(rows, b.origin);
      if (!s.ok()) return;
      d->ToUi([this, gen, p, page = std::move(s.value())]() mutable {
        if (gen != search_.generation) return;
        search_.pending_pages.erase(p);
        search_.pages[p] = std::move(page);
      });
    });
  }
}

void App::OpenFirstSearchResult() {
  if (search_.has_results && !search_.loading && !search_.pages[0].empty()) {
    Go(Screen::kDetail, search_.pages[0][0].rowid);
    return;
  }
  open_first_result_ = true;
  SearchIfChanged();
}

void App::OpenFirstCareer() {
  if (careers_.loaded && !careers_.loading && !careers_.list.empty()) {
    Go(Screen::kCareer, careers_.list.front().rowid);
    return;
  }
  open_first_career_ = true;
}

DetailView& App::detail_view(std::int64_t rowid) {
  if (detail_.loading) return detail_;
  if (detail_.rowid == rowid && detail_.version == data_version_) return detail_;
  if (detail_.rowid != rowid) detail_ = DetailView{};
  detail_.rowid = rowid;
  detail_.version = data_version_;
  detail_.loading = true;
  DataService* d = data_.get();
  d->Post([this, d, rowid](Backend& b) {
    DetailView v;
    v.rowid = rowid;
    if (b.EnsureOpen()) {
      auto r = b.catalogue->GetOpportunity(rowid);
      if (r.ok()) {
        v.record = std::move(r.value());
        if (!v.record.opportunity.soc_codes.empty())
          if (auto c = b.catalogue->CareersBySoc(v.record.opportunity.soc_codes); c.ok())
            v.careers = std::move(c.value());
      } else {
        v.missing = true;
      }
    } else {
      v.missing = true;
    }
    d->ToUi([this, v = std::move(v)]() mutable {
      if (detail_.rowid != v.rowid) return;
      if (!v.missing)
        usage_.OnOpportunity(v.rowid, v.record.opportunity.route,
                             v.record.opportunity.subject_area);
      v.version = detail_.version;
      detail_ = std::move(v);
    });
  });
  return detail_;
}

CareersView& App::careers_view(const std::string& text) {
  if (careers_.loading) return careers_;
  if (careers_.loaded && careers_.text == text && careers_.version == data_version_)
    return careers_;
  careers_.loading = true;
  careers_.text = text;
  careers_.version = data_version_;
  DataService* d = data_.get();
  d->Post([this, d, text](Backend& b) {
    std::vector<cat::CareerRecord> list;
    if (b.EnsureOpen())
      if (auto r = b.catalogue->SearchCareers(text, 200); r.ok()) list = std::move(r.value());
    d->ToUi([this, list = std::move(list)]() mutable {
      careers_.list = std::move(list);
      careers_.loading = false;
      careers_.loaded = true;
      if (open_first_career_ && !careers_.list.empty()) {
        open_first_career_ = false;
        Go(Screen::kCareer, careers_.list.front().rowid);
      }
    });
  });
  return careers_;
}

CareerView& App::career_view(std::int64_t rowid) {
  if (career_.loading) return career_;
  if (career_.rowid == rowid && career_.version == data_version_) return career_;
  if (career_.rowid != rowid) career_ = CareerView{};
  career_.rowid = rowid;
  career_.version = data_version_;
  career_.loading = true;
  DataService* d = data_.get();
  d->Post([this, d, rowid](Backend& b) {
    CareerView v;
    v.rowid = rowid;
    if (b.EnsureOpen()) {
      if (auto r = b.catalogue->GetCareer(rowid); r.ok())
        v.record = std::move(r.value());
      else
        v.missing = true;
    } else {
      v.missing = true;
    }
    d->ToUi([this, v = std::move(v)]() mutable {
      if (career_.rowid != v.rowid) return;
      v.version = career_.version;
      career_ = std::move(v);
    });
  });
  return career_;
}

EventsView& App::events_view(std::uint8_t routes) {
  if (events_.loading) return events_;
  if (events_.loaded && events_.routes == routes && events_.version == data_version_)
    return events_;
  events_.loading = true;
  events_.routes = routes;
  events_.version = data_version_;
  DataService* d = data_.get();
  d->Post([this, d, routes](Backend& b) {
    std::vector<cat::EventRecord> list;
    if (b.EnsureOpen())
      if (auto r = b.catalogue->UpcomingEvents(NowUnix(), routes, 100); r.ok())
        list = std::move(r.value());
    d->ToUi([this, list = std::move(list)]() mutable {
      events_.list = std::move(list);
      events_.loading = false;
      events_.loaded = true;
    });
  });
  return events_;
}

SubjectsView& App::subjects_view(const std::string& subject) {
  if (!subjects_.loading && (!subjects_.loaded || subjects_.version != data_version_)) {
    subjects_.loading = true;
    subjects_.version = data_version_;
    subjects_.subject.clear();  // links are fetched again too
    DataService* d = data_.get();
    d->Post([this, d](Backend& b) {
      std::vector<std::string> list;
      if (b.EnsureOpen())
        if (auto r = b.catalogue->SchoolSubjects(); r.ok()) list = std::move(r.value());
      d->ToUi([this, list = std::move(list)]() mutable {
        subjects_.subjects = std::move(list);
        subjects_.loading = false;
        subjects_.loaded = true;
      });
    });
  }
  if (!subject.empty() && subject != subjects_.subject && !subjects_.links_loading) {
    subjects_.links_loading = true;
    subjects_.subject = subject;
    usage_.OnSchoolSubject(subject);
    DataService* d = data_.get();
    d->Post([this, d, subject](Backend& b) {
      std::vector<std::string> areas;
      std::vector<std::pair<std::int64_t, std::string>> careers;
      if (b.EnsureOpen()) {
        if (auto r = b.catalogue->SubjectLinks(subject); r.ok()) {
          std::vector<std::string> wanted;
          for (const auto& link : r.value()) {
            if (!link.subject_area.empty() &&
                std::find(areas.begin(), areas.end(), link.subject_area) == areas.end())
              areas.push_back(link.subject_area);
            if (!link.career_source_id.empty()) wanted.push_back(link.career_source_id);
          }
          if (!wanted.empty()) {
            // The API has no career lookup by source id: scan the (small) list.
            if (auto all = b.catalogue->SearchCareers("", 5000); all.ok())
              for (const auto& c : all.value())
                if (std::find(wanted.begin(), wanted.end(), c.career.source_id) != wanted.end())
                  careers.emplace_back(c.rowid, c.career.title);
          }
        }
      }
      d->ToUi([this, subject, areas = std::move(areas), careers = std::move(careers)]() mutable {
        subjects_.links_loading = false;
        if (subject != subjects_.subject) return;
        subjects_.areas = std::move(areas);
        subjects_.careers = std::move(careers);
      });
    });
  }
  return subjects_;
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

AttractView& App::attract_view() {
  if (attract_.loading || (attract_.loaded && attract_.version == data_version_)) return attract_;
  attract_.loading = true;
  attract_.version = data_version_;
  DataService* d = data_.get();
  std::uint64_t seed = NewSeed();
  Palette pal = theme_.p();
  d->Post([this, d, seed, pal](Backend& b) {
    // Worker thread: data only; the UI adds the translated wording.
    std::vector<Slide> slides;
    std::mt19937_64 rng(seed);
    if (b.EnsureOpen()) {
      if (auto ev = b.catalogue->UpcomingEvents(NowUnix(), 0, 5); ev.ok() && !ev->empty()) {
        const auto& e = (*ev)[rng() % ev->size()];
        std::string body;  // the UI puts the (translated) date first
        if (!e.provider_name.empty()) body += " \xE2\x80\x94 " + e.provider_name;
        if (!e.event.location_name.empty()) body += ", " + e.event.location_name;
        Slide sl{Slide::kEvent, pal.events, e.event.title, body};
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
          slides.push_back(Slide{Slide::kApprenticeship, pal.route[3], o.title, body});
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
          Slide sl{Slide::kJobs, pal.careers, rec->career.title, ""};
          sl.number = static_cast<std::int64_t>(f->value);
          sl.area = f->area;
          slides.push_back(std::move(sl));
        }
      }
      if (auto s = b.catalogue->LocalItems(cat::LocalKind::kAlumniStory, TodayUtc());
          s.ok() && !s->empty()) {
        const auto& st = (*s)[rng() % s->size()];
        Slide sl{Slide::kStory, pal.subjects, st.title, st.body.substr(0, 220)};
        sl.image = st.image_path;
        slides.push_back(std::move(sl));
      }
    }
    d->ToUi([this, slides = std::move(slides)]() mutable {
      attract_.slides = std::move(slides);
      attract_.loading = false;
      attract_.loaded = true;
    });
  });
  return attract_;
}

// [SECTION] Frame ------------------------------------------------------------------

bool App::PrepareFrame(int width, int height) {
  static int last_w = 0, last_h = 0;
  if (settings_applied_ && session_.settings == applied_settings_ && width == last_w &&
      height == last_h)
    return false;
  if (session_.settings.language != applied_settings_.language || !settings_applied_) {
    if (!SetLanguage(session_.settings.language)) session_.settings.language = "en";
  }
  applied_settings_ = session_.settings;
  settings_applied_ = true;
  usage_.OnSettings(session_.settings, config_.defaults);
  last_w = width;
  last_h = height;
  if (!theme_.Apply(width, height, session_.settings)) return false;
  theme_.RebuildFonts();
  return true;
}

bool App::AnimationsRunning() const {
  // Widgets ask for frames through ui::RequestFrames(); a PIN check is
  // collected by polling its future.
  return pin_check_.valid();
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
  double next = now + 3600;
  Screen s = session_.screen();
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

void App::Say(const std::string& text) {
  if (!collecting_speech_ || text.empty()) return;
  if (!speech_text_.empty()) speech_text_ += ". ";
  speech_text_ += text;
}

void App::Say(const char* text) {
  if (collecting_speech_ && text) Say(std::string(text));
}

bool App::speaking() const { return const_cast<Speaker&>(speaker_).speaking(); }

int App::RunDataCallbacks() { return data_->RunUiCallbacks(); }

bool App::HasDataCallbacks() const { return data_->HasUiCallbacks(); }

void App::BeforeFrame() {
  if (screen() != Screen::kSearch) return;
  std::uint64_t before = search_generation_;
  SearchIfChanged();
  if (search_generation_ != before) data_->WaitIdle(12);  // never longer than 12 ms
}

void App::Frame(double now, int width, int height) {
  now_ = now;
  ui::BeginFrame(theme_);
  RunDataCallbacks();
  CollectPinCheck();
  if (last_activity_ == 0) last_activity_ = now;

  // Idle timeout: wipe the session.
  Screen s = session_.screen();
  bool idle_applies = s != Screen::kAttract;
  // Technicians get longer (and no countdown), but the kiosk is never left
  // in technician mode.
  double timeout =
      s == Screen::kTechnician ? std::max(300.0, config_.idle_timeout_s) : config_.idle_timeout_s;
  if (idle_applies && now - last_activity_ >= timeout) {
    EndSession();
    session_started_ = now;
  }

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

  if (session_.screen() == Screen::kAttract) {
    screens::DrawAttract(*this);
  } else {
    float bar_h = theme_.touch() + theme_.px(12);
    DrawTopBar(bar_h);
    // While the on-screen keyboard is up it takes the accessibility bar's
    // place (as phone keyboards do); the bar returns when it closes.
    bool keyboard = (screen() == Screen::kSearch && session_.search.keyboard_open) ||
                    (screen() == Screen::kCareers && session_.careers_keyboard);
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
    DrawScreen();
    ImGui::EndChild();
    if (access_h > 0) {
      ImGui::SetCursorPos(ImVec2(0, static_cast<float>(height) - access_h));
      DrawAccessibilityBar(access_h);
    }
  }
  ImGui::PopFont();
  bool still_there = idle_applies && session_.screen() != Screen::kAttract &&
                     session_.screen() != Screen::kTechnician &&
                     now - last_activity_ >= config_.idle_timeout_s - config_.still_there_s;
  ImGui::End();

  if (still_there) DrawStillThere();

  if (collecting_speech_ && !speech_text_.empty()) {
    speaker_.Say(speech_text_, CurrentLanguageInfo().espeak_voice);
    last_spoken_key_ = speech_key_;
  }
  collecting_speech_ = false;
}

void App::DrawScreen() {
  switch (session_.screen()) {
    case Screen::kAttract:
      screens::DrawAttract(*this);
      break;
    case Screen::kHome:
      screens::DrawHome(*this);
      break;
    case Screen::kSearch:
      screens::DrawSearch(*this);
      break;
    case Screen::kDetail:
      screens::DrawDetail(*this);
      break;
    case Screen::kCareers:
      screens::DrawCareers(*this);
      break;
    case Screen::kCareer:
      screens::DrawCareer(*this);
      break;
    case Screen::kEvents:
      screens::DrawEvents(*this);
      break;
    case Screen::kSubjects:
      screens::DrawSubjects(*this);
      break;
    case Screen::kShortlist:
      screens::DrawShortlist(*this);
      break;
    case Screen::kHelp:
      screens::DrawHelp(*this);
      break;
    case Screen::kPin:
      screens::DrawPin(*this);
      break;
    case Screen::kTechnician:
      screens::DrawTechnician(*this);
      break;
  }
}

// [SECTION] Chrome: top bar, accessibility bar, "still there?" --------------------

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
    std::snprintf(buf, sizeof buf, h == 1 ? tr("Updated 1 hour ago") : tr("Updated %lld hours ago"),
                  h);
  } else {
    std::snprintf(buf, sizeof buf, tr("Updated %s"), HumanDate(DayOf(*newest), false).c_str());
  }
  return buf;
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
  if (ImGui::InvisibleButton("##title", ImVec2(std::max(1.0f, title_w), height))) SecretTap();
  const char* title = s == Screen::kHome ? "Signpost" : ScreenTitle(s);
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
      ui::DrawEllipsis(dl, f1, origin + ImVec2(text_x, (height - f1->FontSize) * 0.5f - t.px(9)),
                       text_w, p.on_bar, line1);
      ui::DrawEllipsis(dl, t.chrome(), origin + ImVec2(text_x, height * 0.5f + t.px(4)), text_w,
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
    ui::DrawEllipsis(dl, tf, origin + ImVec2(title_x, (height - tf->FontSize) * 0.5f - t.px(9)),
                     title_w, p.on_bar, title);
    ImFont* sf = t.chrome();
    ui::DrawEllipsis(dl, sf, origin + ImVec2(title_x, height * 0.5f + t.px(4)), title_w,
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
    dl->AddText(a + ImVec2(t.px(10), t.px(7)), p.on_badge, badge);
    ImGui::PopFont();
    x += badge_w + t.px(10);
  }
  ImGui::SetCursorPos(ImVec2(x, (height - bh) * 0.5f));
  if (s != Screen::kShortlist &&
      ui::Button(t, shortlist_label, ImVec2(sl_w, bh), ui::ButtonKind::kOnBar))
    Go(Screen::kShortlist);
}

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
                tr("To keep things private, this screen will clear itself in %d seconds."),
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
