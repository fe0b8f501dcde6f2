// content-sync CLI. Index:
//   [SECTION] Help, arguments
//   [SECTION] Shared helpers (config, catalogue, process lock)
//   [SECTION] once
//   [SECTION] run (daemon loop, schedule, sd_notify)
//   [SECTION] status
//   [SECTION] validate
//   [SECTION] hub build / keygen, import (signed content bundles)
//   [SECTION] RunCli
#include "cli.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <thread>

#include "bundle/client.h"
#include "bundle/hub.h"
#include "config.h"
#include "counting_import.h"
#include "local_pack_sync.h"
#include "notify.h"
#include "state_file.h"

#ifndef SIGNPOST_VERSION
#define SIGNPOST_VERSION "0.0.0"
#endif

namespace signpost::sync {
namespace {

// [SECTION] Help, arguments ------------------------------------------------------------

struct Args {
  std::string command;
  std::vector<std::string> positional;
  std::string config_path = kDefaultConfigPath;
  bool config_given = false;
  std::string catalogue_path;  // "" = from config
  std::string kind;            // validate
  bool json = false;           // status
  bool no_fetch = false;       // hub build: publish what the catalogue holds
  bool force = false;          // hub build: a new serial even if unchanged
  bool check = false;          // import: verify only
  std::string secret_path;     // hub keygen
  std::string public_path;     // hub keygen
  bool help = false;
  bool version = false;
};

Result<Args> ParseArgs(const std::vector<std::string>& args) {
  Args a;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& s = args[i];
    auto value = [&](const std::string& flag) -> Result<std::string> {
      const auto eq = s.find('=');
      if (eq != std::string::npos) return s.substr(eq + 1);
      if (i + 1 >= args.size()) return Status::InvalidArgument(flag + " needs a value");
      return args[++i];
    };
    auto is = [&](const char* flag) { return s == flag || s.starts_with(std::string(flag) + "="); };
    if (s == "-h" || s == "--help") {
      a.help = true;
    } else if (s == "--version") {
      a.version = true;
    } else if (s == "--json") {
      a.json = true;
    } else if (s == "--no-fetch") {
      a.no_fetch = true;
    } else if (s == "--force") {
      a.force = true;
    } else if (s == "--check") {
      a.check = true;
    } else if (is("--secret-key")) {
      auto v = value("--secret-key");
      if (!v.ok()) return v.status();
      a.secret_path = v.value();
    } else if (is("--public-key")) {
      auto v = value("--public-key");
      if (!v.ok()) return v.status();
      a.public_path = v.value();
    } else if (is("--config")) {
      auto v = value("--config");
      if (!v.ok()) return v.status();
      a.config_path = v.value();
      a.config_given = true;
    } else if (is("--catalogue")) {
      auto v = value("--catalogue");
      if (!v.ok()) return v.status();
      a.catalogue_path = v.value();
    } else if (is("--kind")) {
      auto v = value("--kind");
      if (!v.ok()) return v.status();
      a.kind = v.value();
    } else if (s.starts_with("-") && s != "-") {
      return Status::InvalidArgument("unknown option " + s);
    } else if (a.command.empty()) {
      a.command = s;
    } else {
      a.positional.push_back(s);
    }
  }
  return a;
}

// [SECTION] Shared helpers ----------------------------------------------------------------

struct Context {
  Args args;
  Config config;
  CliEnv env;
  std::ostream* out;
  std::ostream* err;
  Clock* clock;
  void Log(LogLevel level, const std::string& line) const { LogTo(env.log, level, line); }
};

std::vector<std::string> Kinds(const CliEnv& env) {
  std::vector<std::string> kinds = env.kinds ? env.kinds() : FeedAdapterKinds();
  kinds.emplace_back(kLocalPackKind);  // not an HTTP adapter: see local_pack_sync.h
  return kinds;
}

// Exclusive lock beside the catalogue so `once` and `run` never sync at the
// same time (they would fight over the catalogue writer and the state file).
class ProcessLock {
 public:
  ~ProcessLock() {
    if (fd_ >= 0) close(fd_);  // releases the flock
  }
  Status Acquire(const std::string& path, const Context& ctx) {
    fd_ = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) return Status::IoError("cannot create lock file " + path);
    if (flock(fd_, LOCK_EX | LOCK_NB) == 0) return Status::Ok();
    ctx.Log(LogLevel::kInfo, "waiting for another content-sync to finish its sync");
    // Poll (not a blocking flock) so SIGTERM still stops us while waiting.
    while (flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      if ((errno != EWOULDBLOCK && errno != EINTR) ||
          !ctx.clock->SleepFor(std::chrono::seconds(1))) {
        return Status::Busy("another content-sync holds " + path);
      }
    }
    return Status::Ok();
  }
  void Release() {
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

Result<std::unique_ptr<catalogue::Catalogue>> OpenWriter(const Context& ctx) {
  auto cat = catalogue::Catalogue::Open(ctx.config.sync.catalogue);
  if (!cat.ok()) {
    return Status(cat.status().code() == Status::Code::kOk
                      ? Status::Internal("catalogue open failed")
                      : cat.status());
  }
  return cat;
}

Result<std::unique_ptr<HttpTransport>> MakeTransport(const Context& ctx) {
  HttpOptions http = ctx.config.sync.http;
  Clock* clock = ctx.clock;
  http.abort_check = [clock] { return clock->StopRequested(); };  // SIGTERM mid-download
  return ctx.env.transport ? ctx.env.transport(http) : MakeCurlTransport(http);
}

std::string Summary(const std::vector<FeedOutcome>& outcomes) {
  std::map<std::string, int> by;
  for (const auto& o : outcomes) ++by[o.result];
  std::string s;
  for (const auto& [result, n] : by)
    s += (s.empty() ? "" : ", ") + std::to_string(n) + " " + result;
  return s.empty() ? "no feeds" : s;
}

// One sync cycle: lock, open, sync, close. Returns an exit code.
int SyncCycle(Context& ctx, const std::vector<std::string>& only,
              std::vector<FeedOutcome>* outcomes_out, Notifier* notifier,
              std::function<void()> heartbeat = {}) {
  ProcessLock lock;
  if (Status st = lock.Acquire(ctx.config.sync.catalogue + ".sync-lock", ctx); !st.ok()) {
    ctx.Log(LogLevel::kError, st.message());
    return kExitCatalogue;
  }
  auto cat = OpenWriter(ctx);
  if (!cat.ok()) {
    ctx.Log(LogLevel::kError, "cannot open the catalogue " + ctx.config.sync.catalogue + ": " +
                                  cat.status().ToString());
    return kExitCatalogue;
  }
  auto transport = MakeTransport(ctx);
  if (!transport.ok()) {
    ctx.Log(LogLevel::kError, transport.status().ToString());
    return kExitCatalogue;
  }
  SyncEnv env;
  env.catalogue = cat.value().get();
  env.transport = transport.value().get();
  env.clock = ctx.clock;
  env.retry = ctx.config.sync.retry;
  env.state_file = StateFilePath(ctx.config.sync);
  env.adapters = ctx.env.adapters;
  env.log = ctx.env.log;
  env.seed = ctx.env.seed;
  if (notifier != nullptr) {
    env.progress = [notifier](const std::string& feed, int i, int n) {
      notifier->Status("Syncing " + feed + " (" + std::to_string(i) + "/" + std::to_string(n) +
                       ")");
    };
  }
  env.heartbeat = std::move(heartbeat);
  std::vector<FeedOutcome> outcomes = SyncFeeds(ctx.config.feeds, only, env);
  const int code = ExitCodeFor(outcomes);
  ctx.Log(code == kExitOk ? LogLevel::kInfo : LogLevel::kWarning,
          "sync finished: " + Summary(outcomes));
  if (outcomes_out) *outcomes_out = std::move(outcomes);
  return code;
}

// [SECTION] once ----------------------------------------------------------------------------

int BundleCycle(Context& ctx);
void AnswerImportRequest(Context& ctx);

// "Sync now" from the kiosk's technician screen: a request file. It is
// removed when the sync it asked for has finished, so the kiosk can show
// "waiting" until the results are there.
bool SyncRequested(const Context& ctx) {
  std::error_code ec;
  return std::filesystem::exists(RequestFilePath(ctx.config.sync), ec);
}
void ClearSyncRequest(Context& ctx) {
  const std::string path = RequestFilePath(ctx.config.sync);
  std::error_code ec;
  if (!std::filesystem::remove(path, ec) && ec) {
    ctx.Log(LogLevel::kWarning, "cannot remove the sync request " + path + ": " + ec.message());
  }
}

int CmdOnceRequested(Context& ctx);

// `once` answers a pending request too (the timer variant runs it when the
// request appears: signpost-sync-now.path).
int CmdOnce(Context& ctx) {
  const bool requested = SyncRequested(ctx);
  const int code = CmdOnceRequested(ctx);
  if (requested) ClearSyncRequest(ctx);
  return code;
}

int CmdOnceRequested(Context& ctx) {
  const bool pull = !ctx.config.bundles.hub_urls.empty() && ctx.args.positional.empty();
  if (pull && ctx.config.feeds.empty()) return BundleCycle(ctx);
  if (ctx.config.feeds.empty() && ctx.args.positional.empty()) {
    // Normal on a kiosk that has no feeds yet (e.g. USB updates only): not an error,
    // so a timer-driven `once` does not fail.
    *ctx.out << "no [[feed]] in " << ctx.config.path << "; nothing to sync\n";
    return kExitOk;
  }
  std::vector<FeedOutcome> outcomes;
  const int code = SyncCycle(ctx, ctx.args.positional, &outcomes, nullptr);
  for (const auto& o : outcomes) {
    *ctx.out << o.feed << ": " << o.result;
    if (o.result == "ok") *ctx.out << " (" << o.records << " records, " << o.skipped << " skipped)";
    if (!o.status.ok()) *ctx.out << " - " << o.status.message();
    *ctx.out << "\n";
  }
  if (pull) {
    const int bundle_code = BundleCycle(ctx);
    if (code == kExitOk) return bundle_code;
  }
  return code;
}

// [SECTION] run -----------------------------------------------------------------------------

// A watchdog pinger: pings while the main loop shows progress. A sync that
// hangs longer than `stall` (longer than any request could take) stops the
// pings and systemd restarts us.
class WatchdogThread {
 public:
  WatchdogThread(Notifier* n, std::chrono::seconds stall) : notifier_(n), stall_(stall) {
    Beat();
    if (n->WatchdogInterval()) thread_ = std::thread([this] { Loop(); });
  }
  ~WatchdogThread() {
    {
      std::lock_guard<std::mutex> g(mu_);
      done_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
  }
  void Beat() { last_beat_.store(std::chrono::steady_clock::now().time_since_epoch().count()); }

 private:
  void Loop() {
    std::unique_lock<std::mutex> lock(mu_);
    while (!done_) {
      const auto now = std::chrono::steady_clock::now().time_since_epoch().count();
      const auto age = std::chrono::steady_clock::duration(now - last_beat_.load());
      if (age < stall_) notifier_->Watchdog();
      cv_.wait_for(lock, *notifier_->WatchdogInterval(), [this] { return done_; });
    }
  }
  Notifier* notifier_;
  std::chrono::seconds stall_;
  std::atomic<std::chrono::steady_clock::rep> last_beat_{0};
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;  // GUARDED_BY(mu_)
  std::thread thread_;
};

std::string FormatClock(UnixTime t) {
  const std::string iso = FormatIsoTimestamp(t);  // 2026-11-25T19:00:00Z
  return iso.size() >= 16 ? iso.substr(0, 10) + " " + iso.substr(11, 5) + " UTC" : iso;
}

int CmdRun(Context& ctx) {
  Notifier notifier;
  RealClock::InstallStopSignals();
  if (ctx.config.feeds.empty() && ctx.config.bundles.hub_urls.empty()) {
    ctx.Log(LogLevel::kWarning, "no [[feed]] in the config; idling (the kiosk keeps working)");
  }
  {  // Fail fast (exit 3) when the catalogue cannot be opened at all.
    auto cat = OpenWriter(ctx);
    if (!cat.ok()) {
      ctx.Log(LogLevel::kError, "cannot open the catalogue " + ctx.config.sync.catalogue + ": " +
                                    cat.status().ToString());
      return kExitCatalogue;
    }
  }
  const auto& sync = ctx.config.sync;
  // Heartbeats come before every request; one request (with its retries)
  // may take this long before the watchdog pings stop (~70 min by default).
  const std::int64_t per_try =
      (sync.http.total_timeout_s > 0 ? sync.http.total_timeout_s : 3600) +
      std::chrono::duration_cast<std::chrono::seconds>(sync.retry.max_delay).count();
  const std::chrono::seconds stall(
      std::max<std::int64_t>(1800, std::max(1, sync.retry.max_attempts) * per_try + 300));
  WatchdogThread watchdog(&notifier, stall);
  std::mt19937_64 rng(ctx.env.seed != 0 ? ctx.env.seed : std::random_device{}());

  // First sync: when the last cycle was recent, keep its rhythm; otherwise
  // start within a minute (a fleet powered on together still spreads out).
  std::optional<UnixTime> last;
  for (const auto& [name, s] : LoadStateFile(StateFilePath(sync))) {
    if (s.last_attempt && (!last || *s.last_attempt < *last)) last = s.last_attempt;
  }
  const std::int64_t interval = std::int64_t{sync.interval_minutes} * 60;
  auto jitter = [&](std::int64_t max_s) {
    return std::uniform_int_distribution<std::int64_t>(0, std::max<std::int64_t>(0, max_s))(rng);
  };
  UnixTime now = ctx.clock->Now();
  UnixTime next = (last && *last + interval > now)
                      ? *last + interval + jitter(std::int64_t{sync.jitter_minutes} * 60)
                      : now + jitter(60);
  notifier.Ready("Waiting; first sync at " + FormatClock(next));
  ctx.Log(LogLevel::kInfo, "started; " + std::to_string(ctx.config.feeds.size()) +
                               " feeds, every " + std::to_string(sync.interval_minutes) +
                               " min; first sync at " + FormatClock(next));
  while (!ctx.clock->StopRequested()) {
    now = ctx.clock->Now();
    AnswerImportRequest(ctx);
    const bool requested = SyncRequested(ctx);
    if (requested) {
      ctx.Log(LogLevel::kInfo, "sync requested (technician screen): syncing now");
    } else if (now < next) {
      // Wake every few seconds to notice a "sync now" request (a stat() call;
      // nothing else is done).
      watchdog.Beat();
      const std::int64_t left_ms = (next - now) * 1000;
      ctx.clock->SleepFor(std::chrono::milliseconds(std::min<std::int64_t>(left_ms, 5'000)));
      continue;
    }
    watchdog.Beat();
    std::vector<FeedOutcome> outcomes;
    if (!ctx.config.feeds.empty()) {
      SyncCycle(ctx, {}, &outcomes, &notifier, [&watchdog] { watchdog.Beat(); });
    }
    if (!ctx.config.bundles.hub_urls.empty()) {
      notifier.Status("Pulling content bundles from the hub");
      BundleCycle(ctx);
    }
    if (requested) ClearSyncRequest(ctx);
    watchdog.Beat();
    next = ctx.clock->Now() + interval + jitter(std::int64_t{sync.jitter_minutes} * 60);
    notifier.Status("Idle; last sync: " + Summary(outcomes) + "; next at " + FormatClock(next));
  }
  notifier.Stopping();
  ctx.Log(LogLevel::kInfo, "stopping");
  return kExitOk;
}

// [SECTION] status --------------------------------------------------------------------------

std::string Iso(const std::optional<UnixTime>& t) { return t ? FormatIsoTimestamp(*t) : ""; }

int CmdStatus(Context& ctx) {
  const UnixTime now = ctx.clock->Now();
  Status problem;
  StateMap states = LoadStateFile(StateFilePath(ctx.config.sync), &problem);
  catalogue::OpenOptions ro;
  ro.read_only = true;
  auto cat = catalogue::Catalogue::Open(ctx.config.sync.catalogue, ro);
  std::map<std::string, std::int64_t> held;  // records per feed in the catalogue
  std::string catalogue_error;
  if (cat.ok()) {
    if (auto stats = cat.value()->Stats(); stats.ok()) {
      for (const auto& f : stats->feeds) held[f.feed] = f.records;
    }
    if (auto rows = cat.value()->SyncStates(); rows.ok()) {
      for (const auto& s : rows.value()) {
        auto& st = states[s.feed];
        if (st.feed.empty()) st = s;  // no bookkeeping file: the catalogue's row
        if (!st.last_success || (s.last_success && *s.last_success > *st.last_success)) {
          st.last_success = s.last_success;
        }
      }
    }
  } else {
    catalogue_error = cat.status().ToString();
  }

  bool any_bad = false;
  nlohmann::json feeds = nlohmann::json::array();
  std::ostringstream text;
  text << "catalogue: " << ctx.config.sync.catalogue
       << (catalogue_error.empty() ? "" : "  (cannot open: " + catalogue_error + ")") << "\n";
  for (const auto& f : ctx.config.feeds) {
    const auto it = states.find(f.name);
    const catalogue::SyncState s = it != states.end() ? it->second : catalogue::SyncState{};
    const std::int64_t records = held.count(f.name) ? held[f.name] : s.records;
    const std::string result = s.result.empty() ? "never synced" : s.result;
    if (f.enabled && (s.result == "failed" || s.result == "held_back" || s.result == "offline")) {
      any_bad = true;
    }
    const std::string freshness =
        s.last_success ? FormatAgo(*s.last_success, now) : std::string("never");
    feeds.push_back({{"name", f.name},
                     {"kind", f.kind},
                     {"enabled", f.enabled},
                     {"result", s.result},
                     {"last_attempt", Iso(s.last_attempt)},
                     {"last_success", Iso(s.last_success)},
                     {"freshness", freshness},
                     {"records", records},
                     {"skipped", s.skipped},
                     {"last_error", s.last_error}});
    text << f.name << " (" << f.kind << (f.enabled ? "" : ", disabled") << "): " << result
         << ", data " << (s.last_success ? "confirmed " + freshness : "never fetched") << "\n";
    text << "  last attempt: "
         << (s.last_attempt
                 ? FormatClock(*s.last_attempt) + " (" + FormatAgo(*s.last_attempt, now) + ")"
                 : "never")
         << "\n";
    text << "  last success: "
         << (s.last_success ? FormatClock(*s.last_success) + " (" + freshness + ")" : "never")
         << "\n";
    text << "  records: " << records << ", skipped in last import: " << s.skipped << "\n";
    if (!s.last_error.empty()) text << "  last error: " << s.last_error << "\n";
  }
  nlohmann::json bundle_doc = nullptr;
  if (cat.ok() &&
      (!ctx.config.bundles.hub_urls.empty() || cat.value()->GetMeta("bundle.serial").has_value())) {
    const bundle::InstalledBundle b = bundle::ReadInstalled(*cat.value());
    nlohmann::json pull = nlohmann::json::parse(
        [&] {
          std::ifstream in(BundleStatePath(ctx.config));
          std::ostringstream ss;
          ss << in.rdbuf();
          return ss.str();
        }(),
        nullptr, false);
    if (!pull.is_object()) pull = nlohmann::json::object();
    const bool expired = b.serial > 0 && now > b.valid_until;
    bundle_doc = {{"serial", b.serial},
                  {"hub", b.hub},
                  {"key_id", b.key_id},
                  {"created_at", b.serial ? FormatIsoTimestamp(b.created_at) : ""},
                  {"valid_until", b.serial ? FormatIsoTimestamp(b.valid_until) : ""},
                  {"expired", expired},
                  {"last_pull", pull.value("last_attempt", "")},
                  {"last_result", pull.value("result", "")},
                  {"last_reason", pull.value("reason", "")},
                  {"last_error", pull.value("message", "")}};
    text << "bundles: ";
    if (b.serial == 0) {
      text << "none applied yet\n";
    } else {
      text << "serial " << b.serial << " from " << (b.hub.empty() ? "?" : b.hub) << " (key "
           << b.key_id << "), built " << FormatClock(b.created_at) << ", valid until "
           << FormatClock(b.valid_until)
           << (expired ? "  EXPIRED: the hub has not published a fresh bundle" : "") << "\n";
    }
    if (!pull.value("last_attempt", "").empty()) {
      text << "  last pull: " << pull.value("last_attempt", "") << ": " << pull.value("result", "")
           << "\n";
      if (!pull.value("message", "").empty()) {
        text << "  last error: " << pull.value("message", "") << "\n";
      }
    }
    const std::string last = pull.value("result", "");
    if (last == "failed" || last == "refused" || last == "offline" || expired) any_bad = true;
  }
  if (ctx.args.json) {
    nlohmann::json doc = {{"catalogue", ctx.config.sync.catalogue},
                          {"catalogue_error", catalogue_error},
                          {"now", FormatIsoTimestamp(now)},
                          {"feeds", feeds},
                          {"bundle", bundle_doc}};
    *ctx.out << doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  } else {
    *ctx.out << text.str();
    if (ctx.config.feeds.empty() && bundle_doc.is_null()) *ctx.out << "no [[feed]] configured\n";
  }
  if (!catalogue_error.empty()) return kExitCatalogue;
  return any_bad ? kExitFeedsFailed : kExitOk;
}

// [SECTION] validate ------------------------------------------------------------------------

int CmdValidate(Context& ctx) {
  if (ctx.args.positional.empty()) {
    *ctx.err << "content-sync: validate needs a FILE (and --kind KIND)\n";
    return kExitUsage;
  }
  std::string kind = ctx.args.kind;
  if (kind.empty() && ctx.args.positional[0].ends_with(".ics")) kind = "icalendar";
  if (kind.empty()) {
    *ctx.err << "content-sync: validate needs --kind (one of:";
    for (const auto& k : Kinds(ctx.env)) *ctx.err << " " << k;
    *ctx.err << ")\n";
    return kExitUsage;
  }
  std::unique_ptr<FeedAdapter> adapter =
      ctx.env.adapters ? ctx.env.adapters(kind) : MakeFeedAdapter(kind);
  if (!adapter) {
    *ctx.err << "content-sync: unknown kind \"" << kind << "\"\n";
    return kExitUsage;
  }
  CountingImport counter;
  int page = 0;
  for (const auto& file : ctx.args.positional) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      *ctx.err << "content-sync: cannot read " << file << "\n";
      return kExitUsage;
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    const std::string payload = ss.str();
    if (LooksLikeHtml("", payload)) {
      *ctx.out << file << ": an HTML page, not a " << kind
               << " payload (a captive portal or login page?)\n";
      return kExitPayloadRejected;
    }
    Status st = adapter->Parse(payload, page++, counter);
    if (!st.ok()) {
      *ctx.out << file << ": rejected: " << st.message() << "\n";
      return kExitPayloadRejected;
    }
  }
  *ctx.out << "kind: " << kind << ", pages: " << page << "\n";
  for (const auto& [type, n] : counter.counts()) *ctx.out << "  " << type << ": " << n << "\n";
  *ctx.out << "  skipped: " << counter.skipped() << "\n";
  if (!counter.problems().empty()) {
    *ctx.out << "first skip reasons:\n";
    for (std::size_t i = 0; i < counter.problems().size() && i < 10; ++i) {
      *ctx.out << "  - " << counter.problems()[i] << "\n";
    }
  }
  if (counter.staged() == 0) {
    *ctx.out << "no records would be imported\n";
    return kExitPayloadRejected;
  }
  *ctx.out << "ok: " << counter.staged() << " records would be imported\n";
  return kExitOk;
}

// [SECTION] hub build / keygen, import --------------------------------------------------------

std::string Bytes(std::int64_t n) {
  char buf[64];
  if (n >= 10 * 1024 * 1024) {
    std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(n) / (1024.0 * 1024.0));
  } else if (n >= 10 * 1024) {
    std::snprintf(buf, sizeof buf, "%.1f kB", static_cast<double>(n) / 1024.0);
  } else {
    std::snprintf(buf, sizeof buf, "%lld bytes", static_cast<long long>(n));
  }
  return buf;
}

std::string DefaultPublicKeyPath(const Context& ctx) {
  if (!ctx.args.public_path.empty()) return ctx.args.public_path;
  if (!ctx.config.hub.public_key_file.empty()) return ctx.config.hub.public_key_file;
  std::filesystem::path p(ctx.args.secret_path.empty() ? ctx.config.hub.secret_key_file
                                                       : ctx.args.secret_path);
  return p.replace_extension(".pub").string();
}

int CmdHubKeygen(Context& ctx) {
  const std::string secret =
      ctx.args.secret_path.empty() ? ctx.config.hub.secret_key_file : ctx.args.secret_path;
  if (secret.empty()) {
    *ctx.err << "content-sync: hub keygen needs --secret-key PATH or [hub] secret_key_file\n";
    return kExitUsage;
  }
  const std::string pub = DefaultPublicKeyPath(ctx);
  auto pk = bundle::WriteKeyPair(secret, pub, ctx.config.hub.name);
  if (!pk.ok()) {
    *ctx.err << "content-sync: " << pk.status().message() << "\n";
    return kExitUsage;
  }
  *ctx.out << "secret key: " << secret
           << " (keep it on the hub only, mode 0600; back it up offline)\n"
           << "public key: " << pub << "\n"
           << "key id:     " << pk->IdHex() << "\n"
           << "For kiosks' kiosk.toml:\n  [bundles]\n  trusted_keys = [\"" << pk->Base64()
           << "\"]\n"
           << "A technician can check a bundle with:\n  minisign -Vm signpost-NNNNNN.bundle -P "
           << pk->Base64() << "\n";
  return kExitOk;
}

int CmdHubBuild(Context& ctx) {
  const HubConfig& h = ctx.config.hub;
  if (!h.present || h.output_dir.empty() || h.secret_key_file.empty()) {
    *ctx.err
        << "content-sync: hub build needs a [hub] table with output_dir and secret_key_file in "
        << ctx.config.path << "\n";
    return kExitUsage;
  }
  int feeds_code = kExitOk;
  if (!ctx.args.no_fetch && !ctx.config.feeds.empty()) {
    std::vector<FeedOutcome> outcomes;
    feeds_code = SyncCycle(ctx, {}, &outcomes, nullptr);
    for (const auto& o : outcomes) {
      *ctx.out << o.feed << ": " << o.result;
      if (!o.status.ok()) *ctx.out << " - " << o.status.message();
      *ctx.out << "\n";
    }
    if (feeds_code == kExitCatalogue) return feeds_code;
  }
  ProcessLock lock;
  if (Status st = lock.Acquire(ctx.config.sync.catalogue + ".sync-lock", ctx); !st.ok()) {
    ctx.Log(LogLevel::kError, st.message());
    return kExitCatalogue;
  }
  auto cat = OpenWriter(ctx);
  if (!cat.ok()) {
    *ctx.err << "content-sync: cannot open the catalogue " << ctx.config.sync.catalogue << ": "
             << cat.status().ToString() << "\n";
    return kExitCatalogue;
  }
  bundle::HubOptions o;
  o.output_dir = h.output_dir;
  o.work_dir = h.work_dir;
  o.secret_key_file = h.secret_key_file;
  o.name = h.name;
  o.valid_days = h.valid_days;
  o.retention = h.retention;
  o.zstd_level = h.zstd_level;
  o.delta_max_fraction = h.delta_max_percent / 100.0;
  o.force = ctx.args.force;
  auto report = bundle::BuildHub(*cat.value(), o, ctx.clock->Now());
  if (!report.ok()) {
    *ctx.err << "content-sync: hub build failed: " << report.status().message() << "\n";
    return bundle::kExitHubBuildFailed;
  }
  const auto& r = report.value();
  if (!r.published) {
    *ctx.out << "hub: " << r.reason << "\n";
  } else {
    if (cat.value()->GetMeta("is_sample").value_or("") == "1") {
      *ctx.out << "hub: WARNING: this is the bundled SAMPLE catalogue (fictional data); kiosks "
                  "will show \"Sample data\"\n";
    }
    *ctx.out << "hub: published serial " << r.serial << " (" << r.reason;
    if (!r.changed_feeds.empty()) {
      *ctx.out << ":";
      for (const auto& f : r.changed_feeds) *ctx.out << " " << f;
    }
    *ctx.out << ")\n  full:  " << r.full_file << " (" << Bytes(r.full_bytes) << ", " << r.records
             << " records), valid until " << FormatClock(r.valid_until) << "\n";
    for (const auto& d : r.deltas) {
      *ctx.out << "  delta: " << d.file << " (" << Bytes(d.bytes) << ", for kiosks at serial "
               << d.from << ")\n";
    }
    for (const auto& d : r.skipped_deltas) *ctx.out << "  no delta " << d << "\n";
    for (const auto& p : r.pruned) *ctx.out << "  pruned " << p << "\n";
    *ctx.out << "  pointer: "
             << (std::filesystem::path(h.output_dir) / bundle::kLatestFile).string() << "\n";
  }
  return feeds_code;
}

void PrintApply(Context& ctx, const bundle::ApplyResult& r) {
  *ctx.out << "bundle: " << r.result;
  if (!r.reason.empty()) *ctx.out << " (" << r.reason << ")";
  if (r.result == "ok") {
    *ctx.out << ": serial " << r.serial_before << " -> " << r.serial_after << ", "
             << r.imported.size() << " feeds imported";
    if (!r.removed.empty()) *ctx.out << ", " << r.removed.size() << " removed";
  } else if (r.result == "unchanged") {
    *ctx.out << ": serial " << r.serial_after << " is current";
  }
  if (r.bytes_downloaded > 0 || r.requests > 0) {
    *ctx.out << " [" << r.requests << " requests, " << Bytes(r.bytes_downloaded) << "]";
  }
  *ctx.out << "\n";
  if (!r.status.ok()) *ctx.out << "  " << r.status.message() << "\n";
  for (const auto& f : r.imported) *ctx.out << "  imported " << f << "\n";
  for (const auto& f : r.removed) *ctx.out << "  removed " << f << "\n";
}

int BundleCycle(Context& ctx) {
  ProcessLock lock;
  if (Status st = lock.Acquire(ctx.config.sync.catalogue + ".sync-lock", ctx); !st.ok()) {
    ctx.Log(LogLevel::kError, st.message());
    return kExitCatalogue;
  }
  auto cat = OpenWriter(ctx);
  if (!cat.ok()) {
    ctx.Log(LogLevel::kError, "cannot open the catalogue " + ctx.config.sync.catalogue + ": " +
                                  cat.status().ToString());
    return kExitCatalogue;
  }
  HttpOptions http = ctx.config.sync.http;
  http.max_body_bytes = std::max<std::int64_t>(http.max_body_bytes, std::int64_t{2} << 30);
  Clock* clock = ctx.clock;
  http.abort_check = [clock] { return clock->StopRequested(); };
  auto transport = ctx.env.transport ? ctx.env.transport(http) : MakeCurlTransport(http);
  if (!transport.ok()) {
    ctx.Log(LogLevel::kError, transport.status().ToString());
    return kExitCatalogue;
  }
  bundle::PullOptions o;
  o.hub_urls = ctx.config.bundles.hub_urls;
  o.trusted = ctx.config.bundles.trusted;
  o.download_dir = BundleDownloadDir(ctx.config);
  o.state_file = BundleStatePath(ctx.config);
  o.retry = ctx.config.sync.retry;
  o.seed = ctx.env.seed;
  const bundle::ApplyResult r =
      bundle::PullFromHubs(*cat.value(), transport.value().get(), ctx.clock, o);
  PrintApply(ctx, r);
  ctx.Log(r.ok() ? LogLevel::kInfo : LogLevel::kWarning,
          "bundle pull: " + r.result + (r.ok() ? "" : ": " + r.status.message()));
  return bundle::ExitCodeForBundle(r);
}

// "Update from USB" from the kiosk's technician screen: the kiosk (which
// only reads the catalogue) writes the path of a bundle, or of the stick's
// folder, into the import request file; the daemon imports it exactly as
// `content-sync import PATH` would, writes the outcome to the import result
// file (one JSON object the kiosk shows) and removes the request.
void AnswerImportRequest(Context& ctx) {
  const std::string request = ImportRequestFilePath(ctx.config.sync);
  std::error_code ec;
  if (!std::filesystem::exists(request, ec)) return;
  std::string path;
  {
    std::ifstream in(request);
    std::getline(in, path);
  }
  while (!path.empty() && std::isspace(static_cast<unsigned char>(path.back()))) path.pop_back();
  bundle::ApplyResult r;
  if (path.empty() || !std::filesystem::exists(path, ec)) {
    r.result = "failed";
    r.reason = "not_found";
    r.status = Status::NotFound("no bundle at \"" + path + "\" (was the USB stick removed?)");
  } else {
    if (std::filesystem::is_directory(path, ec)) {
      const auto found = bundle::FindBundlesIn(path);
      if (!found.empty()) path = found.front().path;
    }
    ProcessLock lock;
    Status locked = lock.Acquire(ctx.config.sync.catalogue + ".sync-lock", ctx);
    auto cat =
        locked.ok() ? OpenWriter(ctx) : Result<std::unique_ptr<catalogue::Catalogue>>(locked);
    if (!cat.ok()) {
      r.result = "failed";
      r.reason = "catalogue";
      r.status = cat.status();
    } else {
      r = bundle::ImportBundleFile(*cat.value(), path, ctx.config.bundles.trusted,
                                   ctx.clock->Now());
    }
  }
  const bool good = r.result == "ok" || r.result == "unchanged";
  ctx.Log(good ? LogLevel::kInfo : LogLevel::kError,
          "usb import " + path + ": " + r.result + (r.reason.empty() ? "" : " (" + r.reason + ")") +
              (r.status.ok() ? "" : ": " + r.status.message()));
  nlohmann::json out = {{"result", r.result},
                        {"reason", r.reason},
                        {"message", r.status.ok() ? "" : r.status.message()},
                        {"serial", r.serial_after},
                        {"bundle", path},
                        {"at", ctx.clock->Now()}};
  const std::string result_file = ImportResultFilePath(ctx.config.sync);
  const std::string tmp = result_file + ".tmp";
  {
    std::ofstream o(tmp, std::ios::trunc);
    o << out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  }
  std::filesystem::rename(tmp, result_file, ec);
  std::filesystem::remove(request, ec);
}

int CmdImport(Context& ctx) {
  if (ctx.args.positional.size() != 1) {
    *ctx.err << "content-sync: import needs one BUNDLE file (or a folder holding bundles)\n";
    return kExitUsage;
  }
  std::string path = ctx.args.positional[0];
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    *ctx.err << "content-sync: no such file or folder: " << path << "\n";
    return kExitUsage;
  }
  if (std::filesystem::is_directory(path, ec)) {
    const auto found = bundle::FindBundlesIn(path);
    if (found.empty()) {
      *ctx.out << "no signed bundle (*.bundle with its .minisig) in " << path << "\n";
      return kExitUsage;
    }
    path = found.front().path;
    *ctx.out << "newest bundle in " << ctx.args.positional[0] << ": " << path << "\n";
  }
  ProcessLock lock;
  if (Status st = lock.Acquire(ctx.config.sync.catalogue + ".sync-lock", ctx); !st.ok()) {
    ctx.Log(LogLevel::kError, st.message());
    return kExitCatalogue;
  }
  auto cat = OpenWriter(ctx);
  if (!cat.ok()) {
    *ctx.err << "content-sync: cannot open the catalogue " << ctx.config.sync.catalogue << ": "
             << cat.status().ToString() << "\n";
    return kExitCatalogue;
  }
  if (ctx.args.check) {
    bundle::Manifest m;
    const auto r = bundle::CheckBundleFile(cat.value().get(), path, ctx.config.bundles.trusted,
                                           ctx.clock->Now(), &m);
    if (m.serial > 0) {
      *ctx.out << "serial " << m.serial << " (" << m.kind
               << (m.kind == "delta" ? " from " + std::to_string(m.base_serial) : "") << "), hub "
               << m.hub << ", key " << m.key_id << "\n  built " << FormatClock(m.created_at)
               << ", valid until " << FormatClock(m.valid_until) << "\n";
      for (const auto& f : m.feeds) {
        *ctx.out << "  " << f.name << ": " << f.records << " records"
                 << (f.included ? "" : " (not in this delta)") << "\n";
      }
    }
    if (r.ok()) {
      *ctx.out << "verified: " << (r.result == "unchanged" ? "already applied" : "would be applied")
               << "\n";
    } else {
      *ctx.out << "would be " << r.result << (r.reason.empty() ? "" : " (" + r.reason + ")")
               << "\n";
    }
    if (!r.status.ok()) *ctx.out << "  " << r.status.message() << "\n";
    return bundle::ExitCodeForBundle(r);
  }
  const auto r =
      bundle::ImportBundleFile(*cat.value(), path, ctx.config.bundles.trusted, ctx.clock->Now());
  PrintApply(ctx, r);
  return bundle::ExitCodeForBundle(r);
}

}  // namespace

// [SECTION] RunCli ----------------------------------------------------------------------------

std::string FormatAgo(UnixTime then, UnixTime now) {
  const std::int64_t d = now - then;
  if (d < 0) return "in the future (check the clock)";
  auto unit = [](std::int64_t n, const char* one) {
    return std::to_string(n) + " " + one + (n == 1 ? "" : "s") + " ago";
  };
  if (d < 60) return "just now";
  if (d < 3600) return unit(d / 60, "minute");
  if (d < 2 * 86400) return unit(d / 3600, "hour");
  return unit(d / 86400, "day");
}

std::string HelpText() {
  std::string kinds;
  for (const auto& k : FeedAdapterKinds()) kinds += (kinds.empty() ? "" : ", ") + k;
  return "Usage: content-sync [--config PATH] [--catalogue PATH] COMMAND [ARGS]\n"
         "\n"
         "Keeps the Signpost kiosk's catalogue fresh from its configured feeds.\n"
         "\n"
         "Commands:\n"
         "  run                     sync on the schedule in [sync] until SIGTERM (systemd\n"
         "                          Type=notify: READY, STATUS, WATCHDOG)\n"
         "  once [FEED...]          sync every enabled feed (or the named ones, even if\n"
         "                          disabled) now, then exit\n"
         "  status [--json]         per feed: last attempt, last success, records, skipped,\n"
         "                          last error, freshness\n"
         "  validate --kind KIND FILE...\n"
         "                          parse a fixture or downloaded payload (FILEs are pages in\n"
         "                          order) and print what would be imported; imports nothing\n"
         "  import [--check] BUNDLE|FOLDER\n"
         "                          verify a signed content bundle (e.g. from a USB stick;\n"
         "                          its .minisig beside it) and apply it; a folder: its newest\n"
         "                          bundle. --check verifies and prints, imports nothing\n"
         "  hub build [--no-fetch] [--force]\n"
         "                          hub mode ([hub]): sync the feeds, then publish the\n"
         "                          catalogue as signed bundles + latest.json in output_dir\n"
         "  hub keygen [--secret-key PATH] [--public-key PATH]\n"
         "                          create the hub's minisign signing key pair\n" +
         LocalPackHelpText() +
         "\n"
         "Options:\n"
         "  --config PATH           config file (default " +
         std::string(kDefaultConfigPath) +
         ")\n"
         "  --catalogue PATH        catalogue file (default [sync] catalogue, else " +
         std::string(kDefaultCataloguePath) +
         ")\n"
         "  --help, --version\n"
         "\n"
         "Feed kinds: " +
         kinds +
         "\n"
         "\n"
         "Exit codes:\n"
         "  0  every feed ok or unchanged (status: no feed's last attempt failed)\n"
         "  1  some feed failed or was held back (90% fewer records); see `status`\n"
         "  2  bad command line or config (the message names the field and line)\n"
         "  3  the catalogue cannot be opened or written (path, permissions, disk)\n"
         "  4  not online: no feed reached its upstream (network down, captive portal,\n"
         "     web-filter login page); the kiosk keeps its data, try again later\n"
         "  5  validate: the payload is not usable (wrong kind, HTML, malformed)\n"
         "  6  a content bundle was refused (bad signature, unknown key, damaged or\n"
         "     truncated, older than the catalogue's, past its valid-until); nothing changed\n"
         "  7  hub build failed (signing key, output folder); nothing was published\n";
}

int RunCli(const std::vector<std::string>& argv, std::ostream& out, std::ostream& err, CliEnv env) {
  if (auto code = RunLocalPackCommand(argv, out, err)) return *code;  // validate-pack, report
  auto parsed = ParseArgs(argv);
  if (!parsed.ok()) {
    err << "content-sync: " << parsed.status().message() << " (see --help)\n";
    return kExitUsage;
  }
  Args args = std::move(parsed.value());
  if (args.help || args.command == "help") {
    out << HelpText();
    return kExitOk;
  }
  if (args.version) {
    out << "content-sync " << SIGNPOST_VERSION << " (" << UserAgent("") << ")\n";
    return kExitOk;
  }
  if (args.command.empty()) {
    err << HelpText();
    return kExitUsage;
  }
  RealClock real_clock;
  Context ctx;
  ctx.out = &out;
  ctx.err = &err;
  ctx.clock = env.clock != nullptr ? env.clock : &real_clock;
  ctx.env = std::move(env);
  ctx.args = args;

  if (args.command == "validate") {
    return CmdValidate(ctx);
  }
  if (args.command != "run" && args.command != "once" && args.command != "status" &&
      args.command != "hub" && args.command != "import") {
    err << "content-sync: unknown command \"" << args.command << "\" (see --help)\n";
    return kExitUsage;
  }
  if ((args.command == "run" || args.command == "status") && !args.positional.empty()) {
    err << "content-sync: " << args.command << " takes no arguments\n";
    return kExitUsage;
  }
  auto config = LoadConfig(args.config_path, args.config_given, Kinds(ctx.env));
  if (!config.ok()) {
    err << "content-sync: " << config.status().message() << "\n";
    return kExitUsage;
  }
  ctx.config = std::move(config.value());
  for (const auto& w : ctx.config.warnings) ctx.Log(LogLevel::kWarning, w);
  if (!args.catalogue_path.empty()) ctx.config.sync.catalogue = args.catalogue_path;

  if (args.command == "once") return CmdOnce(ctx);
  if (args.command == "import") return CmdImport(ctx);
  if (args.command == "hub") {
    const std::string sub = args.positional.empty() ? "" : args.positional[0];
    if (sub == "build" && args.positional.size() == 1) return CmdHubBuild(ctx);
    if (sub == "keygen" && args.positional.size() == 1) return CmdHubKeygen(ctx);
    err << "content-sync: hub needs \"build\" or \"keygen\" (see --help)\n";
    return kExitUsage;
  }
  if (args.command == "status") return CmdStatus(ctx);
  return CmdRun(ctx);
}

}  // namespace signpost::sync
