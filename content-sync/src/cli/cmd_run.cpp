// `content-sync run`: the daemon. Syncs on the [sync] schedule until
// SIGTERM, answers "Sync now" and "Update from USB", tells systemd how it is
// (Type=notify: READY, STATUS, WATCHDOG).
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <random>
#include <thread>

#include "cli/command.h"
#include "cli/notify.h"
#include "sync/state_file.h"

namespace signpost::sync::cli {

namespace {

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

}  // namespace

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

}  // namespace signpost::sync::cli
