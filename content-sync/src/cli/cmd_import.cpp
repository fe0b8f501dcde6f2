// `content-sync import [--check] BUNDLE|FOLDER`, the daemon's pulls from
// the hub, and "Update from USB" requests from the kiosk: signed bundles
// into the catalogue (bundle/client.h).
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "bundle/client.h"
#include "cli/command.h"
#include "sync/state_file.h"

namespace signpost::sync::cli {

namespace {
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

}  // namespace

int BundleCycle(Context& ctx) {
  LockedWriter w;
  if (Status st = LockAndOpenWriter(ctx, w); !st.ok()) {
    ctx.Log(LogLevel::kError, st.message());
    return kExitCatalogue;
  }
  HttpOptions http = ctx.config.sync.http;
  http.max_body_bytes = std::max<std::int64_t>(http.max_body_bytes, std::int64_t{2} << 30);
  auto transport = MakeTransport(ctx, http);
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
      bundle::PullFromHubs(*w.catalogue, transport.value().get(), ctx.clock, o);
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
    LockedWriter w;
    if (Status st = LockAndOpenWriter(ctx, w); !st.ok()) {
      r.result = "failed";
      r.reason = "catalogue";
      r.status = st;
    } else {
      r = bundle::ImportBundleFile(*w.catalogue, path, ctx.config.bundles.trusted,
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
  LockedWriter w;
  if (Status st = LockAndOpenWriter(ctx, w); !st.ok()) {
    *ctx.err << "content-sync: " << st.message() << "\n";
    return kExitCatalogue;
  }
  if (ctx.args.check) {
    bundle::Manifest m;
    const auto r = bundle::CheckBundleFile(w.catalogue.get(), path, ctx.config.bundles.trusted,
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
      bundle::ImportBundleFile(*w.catalogue, path, ctx.config.bundles.trusted, ctx.clock->Now());
  PrintApply(ctx, r);
  return bundle::ExitCodeForBundle(r);
}

}  // namespace signpost::sync::cli
