// The commands' shared steps (command.h).
#include "cli/command.h"

#include <cerrno>
#include <filesystem>
#include <map>

#include "cli/notify.h"
#include "local_pack/local_pack_sync.h"
#include "sync/state_file.h"

namespace signpost::sync::cli {

std::vector<std::string> Kinds(const CliEnv& env) {
  std::vector<std::string> kinds = env.kinds ? env.kinds() : FeedAdapterKinds();
  kinds.emplace_back(kLocalPackKind);  // not an HTTP adapter: see local_pack_sync.h
  return kinds;
}

Status ProcessLock::Acquire(const std::string& path, const Context& ctx) {
  fd_ = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) return Status::IoError("cannot create lock file " + path);
  if (flock(fd_, LOCK_EX | LOCK_NB) == 0) return Status::Ok();
  ctx.Log(LogLevel::kInfo, "waiting for another content-sync to finish its sync");
  // Poll (not a blocking flock) so SIGTERM still stops us while waiting.
  while (flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    if ((errno != EWOULDBLOCK && errno != EINTR) || !ctx.clock->SleepFor(std::chrono::seconds(1))) {
      return Status::Busy("another content-sync holds " + path);
    }
  }
  return Status::Ok();
}

void ProcessLock::Release() {
  if (fd_ >= 0) close(fd_);  // releases the flock
  fd_ = -1;
}

Result<std::unique_ptr<catalogue::Catalogue>> OpenWriter(const Context& ctx) {
  auto cat = catalogue::Catalogue::Open(ctx.config.sync.catalogue);
  if (!cat.ok()) {
    return Status(cat.status().code() == Status::Code::kOk
                      ? Status::Internal("catalogue open failed")
                      : cat.status());
  }
  return cat;
}

Status LockAndOpenWriter(const Context& ctx, LockedWriter& out) {
  if (Status st = out.lock.Acquire(ctx.config.sync.catalogue + ".sync-lock", ctx); !st.ok()) {
    return st;
  }
  auto cat = OpenWriter(ctx);
  if (!cat.ok()) {
    return Status::IoError("cannot open the catalogue " + ctx.config.sync.catalogue + ": " +
                           cat.status().ToString());
  }
  out.catalogue = std::move(cat.value());
  return Status::Ok();
}

Result<std::unique_ptr<HttpTransport>> MakeTransport(const Context& ctx, HttpOptions http) {
  // Large bodies are spooled beside the catalogue: a folder content-sync
  // may write, on the data partition, not in a RAM-backed /tmp.
  if (http.spool_dir.empty()) {
    http.spool_dir = std::filesystem::path(ctx.config.sync.catalogue).parent_path().string();
    if (http.spool_dir.empty()) http.spool_dir = ".";
  }
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

int SyncCycle(Context& ctx, const std::vector<std::string>& only,
              std::vector<FeedOutcome>* outcomes_out, Notifier* notifier,
              std::function<void()> heartbeat) {
  LockedWriter w;
  if (Status st = LockAndOpenWriter(ctx, w); !st.ok()) {
    ctx.Log(LogLevel::kError, st.message());
    return kExitCatalogue;
  }
  auto transport = MakeTransport(ctx, ctx.config.sync.http);
  if (!transport.ok()) {
    ctx.Log(LogLevel::kError, transport.status().ToString());
    return kExitCatalogue;
  }
  SyncEnv env;
  env.catalogue = w.catalogue.get();
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

}  // namespace signpost::sync::cli
