// `content-sync status [--json]`: per feed, the last attempt, last success,
// records, skips, last error and freshness, from the state file and the
// catalogue; and "degraded" with its sentence while most of a feed's records
// lack a key field (field_coverage.h). A degraded feed still holds data, so
// it does not change the exit code; signpost-doctor warns about it.
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "bundle/client.h"
#include "cli/command.h"
#include "feeds/field_coverage.h"
#include "local_pack/local_pack_sync.h"
#include "sync/state_file.h"
#include "sync/sync_engine.h"

namespace signpost::sync::cli {

namespace {
std::string Iso(const std::optional<UnixTime>& t) { return t ? FormatIsoTimestamp(*t) : ""; }
}  // namespace

int CmdStatus(Context& ctx) {
  const UnixTime now = ctx.clock->Now();
  Status problem;
  StateMap states = LoadStateFile(StateFilePath(ctx.config.sync), &problem);
  catalogue::OpenOptions ro;
  ro.read_only = true;
  auto cat = catalogue::Catalogue::Open(ctx.config.sync.catalogue, ro);
  std::map<std::string, std::int64_t> held;     // records per feed in the catalogue
  std::map<std::string, std::string> degraded;  // feed -> why (field_coverage.h)
  std::map<std::string, nlohmann::json> coverage;
  std::string catalogue_error;
  if (cat.ok()) {
    for (const auto& f : ctx.config.feeds) {
      if (auto why = cat.value()->GetMeta(DegradedMetaKey(f.name)); why && !why->empty()) {
        degraded[f.name] = *why;
      }
      if (auto c = cat.value()->GetMeta(CoverageMetaKey(f.name))) {
        nlohmann::json j = nlohmann::json::parse(*c, nullptr, false);
        if (j.is_array()) coverage[f.name] = std::move(j);
      }
    }
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

  const bool syncing = SyncLockHeld(ctx);
  bool any_bad = false;
  nlohmann::json feeds = nlohmann::json::array();
  std::ostringstream text;
  text << "catalogue: " << ctx.config.sync.catalogue
       << (catalogue_error.empty() ? "" : "  (cannot open: " + catalogue_error + ")") << "\n";
  for (const auto& f : ctx.config.feeds) {
    const auto it = states.find(f.name);
    catalogue::SyncState s = it != states.end() ? it->second : catalogue::SyncState{};
    if (s.result == kInProgress && !syncing) {
      // Nobody holds the sync lock, so that sync is not running: it died.
      s.result = kInterrupted;
      s.last_error =
          "the sync that started " + Iso(s.last_attempt) +
          " did not finish: content-sync crashed or was stopped (the feed's data was kept)";
    }
    const std::int64_t records = held.count(f.name) ? held[f.name] : s.records;
    const auto why = degraded.find(f.name);
    // "degraded" describes the data held, so it outlasts "unchanged" syncs.
    const bool is_degraded = why != degraded.end() && (s.result == "ok" || s.result == "unchanged");
    const std::string result = s.result.empty()          ? "never synced"
                               : s.result == kInProgress ? "syncing now"
                               : is_degraded             ? "degraded"
                                                         : s.result;
    if (f.enabled && (s.result == "failed" || s.result == "held_back" || s.result == "offline" ||
                      s.result == kInterrupted)) {
      any_bad = true;
    }
    const std::string freshness =
        s.last_success ? FormatAgo(*s.last_success, now) : std::string("never");
    feeds.push_back(
        {{"name", f.name},
         {"kind", f.kind},
         {"enabled", f.enabled},
         {"result", s.result},
         {"last_attempt", Iso(s.last_attempt)},
         {"last_success", Iso(s.last_success)},
         {"freshness", freshness},
         {"records", records},
         {"skipped", s.skipped},
         {"last_error", s.last_error},
         {"degraded", why != degraded.end() ? why->second : ""},
         {"field_coverage", coverage.count(f.name) ? coverage[f.name] : nlohmann::json::array()}});
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
    if (why != degraded.end()) text << "  degraded: " << why->second << "\n";
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

}  // namespace signpost::sync::cli
