// `content-sync once [FEED...]`: sync now, then exit; answers a pending
// "Sync now" request from the kiosk too.
#include <filesystem>
#include <iostream>

#include "cli/command.h"
#include "sync/state_file.h"

namespace signpost::sync::cli {

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

namespace {
int CmdOnceRequested(Context& ctx);
}  // namespace

// `once` answers pending requests too (the timer variant runs it when a
// request appears: signpost-sync-now.path): "Update from USB" first, then
// "Sync now".
int CmdOnce(Context& ctx) {
  if (ctx.args.positional.empty()) AnswerImportRequest(ctx);
  const bool requested = SyncRequested(ctx);
  const int code = CmdOnceRequested(ctx);
  if (requested) ClearSyncRequest(ctx);
  return code;
}

namespace {
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
    if (!o.degraded.empty()) *ctx.out << "  degraded: " << o.degraded << "\n";
  }
  if (pull) {
    const int bundle_code = BundleCycle(ctx);
    if (code == kExitOk) return bundle_code;
  }
  return code;
}

}  // namespace

}  // namespace signpost::sync::cli
