// `content-sync hub keygen` and `hub build`: the hub's signing key, and
// publishing the catalogue as signed bundles (bundle/hub.h).
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "bundle/client.h"
#include "bundle/hub.h"
#include "cli/command.h"

namespace signpost::sync::cli {

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

namespace {
std::string DefaultPublicKeyPath(const Context& ctx) {
  if (!ctx.args.public_path.empty()) return ctx.args.public_path;
  if (!ctx.config.hub.public_key_file.empty()) return ctx.config.hub.public_key_file;
  std::filesystem::path p(ctx.args.secret_path.empty() ? ctx.config.hub.secret_key_file
                                                       : ctx.args.secret_path);
  return p.replace_extension(".pub").string();
}

}  // namespace

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
  LockedWriter w;
  if (Status st = LockAndOpenWriter(ctx, w); !st.ok()) {
    *ctx.err << "content-sync: " << st.message() << "\n";
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
  auto report = bundle::BuildHub(*w.catalogue, o, ctx.clock->Now());
  if (!report.ok()) {
    *ctx.err << "content-sync: hub build failed: " << report.status().message() << "\n";
    return bundle::kExitHubBuildFailed;
  }
  const auto& r = report.value();
  if (!r.published) {
    *ctx.out << "hub: " << r.reason << "\n";
  } else {
    if (w.catalogue->GetMeta("is_sample").value_or("") == "1") {
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

}  // namespace signpost::sync::cli
