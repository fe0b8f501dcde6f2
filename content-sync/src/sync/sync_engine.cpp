// SyncEngine. Index:
//   [SECTION] Helpers
//   [SECTION] SyncFeed (fetch, page, stage, commit)
//   [SECTION] SyncFeeds, exit codes
#include "sync/sync_engine.h"

#include <algorithm>
#include <chrono>
#include <random>

#include "local_pack/local_pack_sync.h"
#include "signpost/sample_data.h"
#include "sync/sync_plan.h"

namespace signpost::sync {
namespace {

// [SECTION] Helpers -----------------------------------------------------------------

void Log(SyncEnv& env, LogLevel level, const std::string& line) { LogTo(env.log, level, line); }

std::optional<catalogue::SyncState> CatalogueState(catalogue::Catalogue& cat,
                                                   const std::string& feed) {
  auto states = cat.SyncStates();
  if (!states.ok()) return std::nullopt;
  for (auto& s : states.value()) {
    if (s.feed == feed) return s;
  }
  return std::nullopt;
}

// Records and bookkeeping after an attempt that did not import.
void Record(SyncEnv& env, const FeedOutcome& out, UnixTime started) {
  if (env.state_file.empty()) return;
  Status problem;
  StateMap states = LoadStateFile(env.state_file, &problem);
  if (!problem.ok()) Log(env, LogLevel::kWarning, problem.message());
  catalogue::SyncState& s = states[out.feed];
  s.feed = out.feed;
  s.last_attempt = started;
  s.result = out.result;
  s.records = out.records;
  if (out.result == "ok" || out.result == "unchanged") {
    s.last_success = started;
    s.last_error.clear();
  } else {
    s.last_error = FirstLine(out.status.message());
  }
  if (out.result == "ok") s.skipped = out.skipped;
  Status st = SaveStateFile(env.state_file, states);
  if (!st.ok()) Log(env, LogLevel::kWarning, "feed=" + out.feed + " " + st.message());
}

}  // namespace

void RecordAttempt(SyncEnv& env, const FeedOutcome& out, UnixTime started) {
  Record(env, out, started);
}

HttpRequest BuildHttpRequest(const FeedSettings& feed, const FeedRequest& request) {
  HttpRequest http;
  http.method = request.method;
  http.url = request.url;
  http.body = request.body;
  http.content_type = request.content_type;
  if (!feed.api_key.empty()) http.headers.emplace_back(feed.api_key_header, feed.api_key);
  for (const auto& h : request.headers) http.headers.push_back(h);
  for (const auto& h : feed.extra_headers) http.headers.push_back(h);
  http.max_body_bytes = feed.max_body_bytes;
  return http;
}

// [SECTION] SyncFeed ---------------------------------------------------------------------

FeedOutcome SyncFeed(const FeedSettings& configured, SyncEnv& env) {
  FeedSettings feed = configured;
  FeedOutcome out;
  out.feed = feed.name;
  const UnixTime started = env.clock->Now();
  const auto t0 = std::chrono::steady_clock::now();
  const std::optional<catalogue::SyncState> held = CatalogueState(*env.catalogue, feed.name);
  out.records = held ? held->records : 0;

  auto finish = [&](std::string result, Status status) {
    out.result = std::move(result);
    out.status = std::move(status);
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)
            .count();
    std::string line = "feed=" + feed.name + " result=" + out.result +
                       " records=" + std::to_string(out.records) +
                       " requests=" + std::to_string(out.requests) +
                       " pages=" + std::to_string(out.pages) + " ms=" + std::to_string(ms);
    if (out.result == "ok") line += " skipped=" + std::to_string(out.skipped);
    if (!out.status.ok()) line += " error=\"" + FirstLine(out.status.message()) + "\"";
    const bool good = out.result == "ok" || out.result == "unchanged";
    Log(env,
        good ? LogLevel::kInfo : (out.result == "offline" ? LogLevel::kWarning : LogLevel::kError),
        line);
    Record(env, out, started);
    return out;
  };

  if (!feed.enabled) {
    out.result = "disabled";
    return out;
  }
  if (feed.kind == kLocalPackKind) return SyncLocalPack(feed, env);  // a folder, not HTTP
  std::unique_ptr<FeedAdapter> adapter =
      env.adapters ? env.adapters(feed.kind) : MakeFeedAdapter(feed.kind);
  if (!adapter) {
    return finish("failed", Status::InvalidArgument("unknown feed kind \"" + feed.kind + "\""));
  }
  if (feed.max_body_bytes <= 0) feed.max_body_bytes = adapter->MaxBodyBytes();
  const PayloadType expected = PayloadTypeForKind(feed.kind);
  const std::uint64_t seed = env.seed != 0 ? env.seed : std::random_device{}();
  Fetcher paced_fetcher(env.transport, env.clock, env.retry, seed);
  // Every request to this upstream goes through here: a published rate
  // limit (MinRequestIntervalMs) is kept by waiting between requests.
  const std::chrono::milliseconds interval(std::max(0, adapter->MinRequestIntervalMs()));
  bool fetched_before = false;
  struct PacedFetch {
    Fetcher& fetcher;
    Clock* clock;
    std::chrono::milliseconds interval;
    bool& fetched_before;
    FetchResult Fetch(const HttpRequest& request, PayloadType expected) {
      if (fetched_before && interval.count() > 0 && !clock->SleepFor(interval)) {
        FetchResult stopped;
        stopped.status = Status::Unavailable("stopped while pacing requests");
        return stopped;
      }
      fetched_before = true;
      return fetcher.Fetch(request, expected);
    }
  } fetcher{paced_fetcher, env.clock, interval, fetched_before};

  auto fail_fetch = [&](const FetchResult& r, int page) {
    Status st = r.status;
    if (page > 0) {
      st = Status(
          r.offline ? Status::Unavailable("page " + std::to_string(page + 1) + ": " +
                                          r.status.message() + "; partial download discarded")
                    : Status::InvalidArgument("page " + std::to_string(page + 1) + ": " +
                                              r.status.message() + "; partial download discarded"));
    }
    return finish(r.offline ? "offline" : "failed", st);
  };

  // Is every page as it was when the catalogue's data was imported? Replay
  // the plan saved with that data (sync_plan.h): a 304 or a body with the
  // same hash means that page is unchanged. Without a plan (an older
  // catalogue), page 1 is asked for with the feed's own validators.
  const FeedRequest first_request = adapter->FirstRequest(feed);
  std::vector<PlannedPage> replay;
  if (held) {
    if (auto saved = env.catalogue->GetMeta(SyncPlanKey(feed.name))) {
      std::optional<SyncPlan> plan = DecodeSyncPlan(*saved);
      if (plan && SameRequest(plan->pages.front().request, first_request)) {
        replay = std::move(plan->pages);
      }
    }
    if (replay.empty() && (!held->etag.empty() || !held->last_modified.empty())) {
      replay.push_back({first_request, held->etag, held->last_modified, ""});
    }
  }
  std::optional<FetchResult> changed_first_page;
  bool changed = replay.empty();
  for (std::size_t k = 0; k < replay.size() && !changed; ++k) {
    const PlannedPage& planned = replay[k];
    HttpRequest request = BuildHttpRequest(feed, planned.request);
    request.if_none_match = planned.etag;
    request.if_modified_since = planned.last_modified;
    if (k > 0 && env.clock->StopRequested()) {
      return finish("failed", Status::Unavailable("stopped while checking for changes"));
    }
    if (env.heartbeat) env.heartbeat();
    FetchResult r = fetcher.Fetch(request, expected);
    out.requests += r.attempts;
    if (!r.status.ok()) return fail_fetch(r, static_cast<int>(k));
    if (r.not_modified) {
      if (request.if_none_match.empty() && request.if_modified_since.empty()) {
        return finish("failed",
                      Status::InvalidArgument(
                          "upstream answered 304 Not Modified to an unconditional request"));
      }
      continue;
    }
    if (!planned.hash.empty() && HashBody(r.response.body) == planned.hash) continue;
    changed = true;
    if (k == 0) changed_first_page = std::move(r);  // import from this body
  }
  if (!changed) {
    // Zero catalogue writes, except that once a day the catalogue's row is
    // told the data was confirmed current, because the kiosk shows
    // freshness from it ("updated today", not "3 weeks ago").
    if (held && env.confirm_fresh_every > 0 &&
        (!held->last_success || started - *held->last_success >= env.confirm_fresh_every)) {
      catalogue::SyncState s = *held;
      s.last_attempt = started;
      s.last_success = started;
      s.result = "unchanged";
      s.last_error.clear();
      if (Status st = env.catalogue->PutSyncState(s); !st.ok()) {
        Log(env, LogLevel::kWarning,
            "feed=" + feed.name + " could not note the confirmed data: " + st.message());
      }
    }
    return finish("unchanged", Status::Ok());
  }

  FetchResult page_result;
  if (changed_first_page) {
    page_result = std::move(*changed_first_page);
  } else {
    if (env.heartbeat) env.heartbeat();
    page_result = fetcher.Fetch(BuildHttpRequest(feed, first_request), expected);
    out.requests += page_result.attempts;
    if (!page_result.status.ok()) return fail_fetch(page_result, 0);
    if (page_result.not_modified) {
      return finish("failed",
                    Status::InvalidArgument(
                        "upstream answered 304 Not Modified to an unconditional request"));
    }
  }
  SyncPlan plan;
  bool plan_safe = true;
  FeedRequest request = first_request;

  catalogue::ImportOptions options;
  options.min_fraction_of_previous = env.min_fraction_of_previous;
  auto begun = env.catalogue->BeginImport(feed.name, options);
  if (!begun.ok()) return finish("failed", begun.status());
  std::unique_ptr<catalogue::FeedImport> import = std::move(begun.value());

  for (int page = 0;; ++page) {
    plan_safe = plan_safe && !UrlMayHoldSecret(request.url);
    plan.pages.push_back({request, page_result.response.etag, page_result.response.last_modified,
                          HashBody(page_result.response.body)});
    Status parsed = adapter->ParsePayload(page_result.response.body, page, *import);
    out.pages = page + 1;
    // Free the page (or its spool file) before fetching the next one.
    page_result.response.body = Payload();
    if (!parsed.ok()) {
      return finish("failed", Status::InvalidArgument("page " + std::to_string(page + 1) +
                                                      " is not a usable " + feed.kind +
                                                      " payload: " + parsed.message() +
                                                      "; nothing imported"));
    }
    std::optional<FeedRequest> next = adapter->NextRequest(feed, page);
    if (!next) break;
    if (page + 1 >= feed.max_pages) {
      return finish("failed", Status::InvalidArgument(
                                  "more than max_pages (" + std::to_string(feed.max_pages) +
                                  ") pages; nothing imported (raise max_pages if the feed "
                                  "really is this big)"));
    }
    if (env.clock->StopRequested()) {
      return finish("failed", Status::Unavailable("stopped during paging; nothing imported"));
    }
    if (env.heartbeat) env.heartbeat();
    request = std::move(*next);
    page_result = fetcher.Fetch(BuildHttpRequest(feed, request), expected);
    out.requests += page_result.attempts;
    if (request.may_be_missing && !page_result.status.ok() &&
        (page_result.http_status == 404 || page_result.http_status == 410)) {
      // One record the upstream no longer has: the adapter is handed an
      // empty body and skips it; the rest of the feed still imports.
      page_result.status = Status::Ok();
      page_result.response = HttpResponse{};
      page_result.response.status = page_result.http_status;
    }
    if (!page_result.status.ok()) return fail_fetch(page_result, page + 1);
    if (page_result.not_modified) {
      return finish("failed", Status::InvalidArgument("page " + std::to_string(page + 2) +
                                                      " answered 304 to an unconditional "
                                                      "request; nothing imported"));
    }
  }

  out.skipped = import->skipped();
  // The sync state and the plan go in the import's own transaction: they
  // describe exactly the data committed, even across a power cut.
  catalogue::CommitExtras extras;
  catalogue::SyncState& s = extras.sync_state.emplace();
  s.feed = feed.name;
  s.last_attempt = started;
  s.last_success = started;
  s.result = "ok";
  if (out.pages == 1) {
    s.etag = plan.pages.front().etag;
    s.last_modified = plan.pages.front().last_modified;
  }
  if (plan_safe) extras.meta.emplace_back(SyncPlanKey(feed.name), EncodeSyncPlan(plan));
  auto committed = import->Commit(extras);
  if (!committed.ok()) {
    const bool held_back = committed.status().code() == Status::Code::kHeldBack;
    return finish(held_back ? "held_back" : "failed", committed.status());
  }
  const catalogue::ImportReport& report = committed.value();
  out.records = report.accepted;
  out.skipped = report.skipped;
  out.problems = report.problems;
  // The first real data replaces the bundled sample, so the kiosk stops
  // saying "Sample data" and shows only what this site's feeds publish.
  if (env.catalogue->GetMeta("is_sample").value_or("") == "1") {
    if (Status st = RemoveSampleCatalogue(env.catalogue); st.ok()) {
      Log(env, LogLevel::kInfo,
          "feed=" + feed.name + " is real data: the sample catalogue was removed");
    } else {
      Log(env, LogLevel::kWarning, "could not remove the sample catalogue: " + st.message());
    }
  }
  FeedOutcome done = finish("ok", Status::Ok());
  for (const auto& p : report.problems) {
    Log(env, LogLevel::kInfo, "feed=" + feed.name + " skipped: " + FirstLine(p));
  }
  return done;
}

// [SECTION] SyncFeeds ----------------------------------------------------------------------

std::vector<FeedOutcome> SyncFeeds(const std::vector<FeedSettings>& feeds,
                                   const std::vector<std::string>& only, SyncEnv& env) {
  std::vector<FeedOutcome> outcomes;
  for (const auto& name : only) {
    const bool known = std::any_of(feeds.begin(), feeds.end(),
                                   [&](const FeedSettings& f) { return f.name == name; });
    if (!known) {
      FeedOutcome o;
      o.feed = name;
      o.result = "failed";
      o.status = Status::NotFound("no feed named \"" + name + "\" in the config");
      outcomes.push_back(std::move(o));
    }
  }
  std::vector<const FeedSettings*> chosen;
  for (const auto& feed : feeds) {
    if (!only.empty() && std::find(only.begin(), only.end(), feed.name) == only.end()) continue;
    if (!feed.enabled && only.empty()) continue;
    chosen.push_back(&feed);
  }
  const RetryPolicy retry = env.retry;
  for (std::size_t i = 0; i < chosen.size(); ++i) {
    if (env.clock->StopRequested()) break;
    if (env.progress)
      env.progress(chosen[i]->name, static_cast<int>(i + 1), static_cast<int>(chosen.size()));
    FeedSettings f = *chosen[i];
    f.enabled = true;  // naming a disabled feed in `once` syncs it anyway
    outcomes.push_back(SyncFeed(f, env));
    // Once a feed finds us offline, the rest get one try each (no backoff):
    // an offline kiosk's cycle ends in seconds, not minutes.
    if (outcomes.back().result == "offline") env.retry.max_attempts = 1;
  }
  env.retry = retry;
  return outcomes;
}

int ExitCodeFor(const std::vector<FeedOutcome>& outcomes) {
  bool failed = false, offline = false, reached = false;
  for (const auto& o : outcomes) {
    if (o.result == "failed" || o.result == "held_back") failed = true;
    if (o.result == "offline") {
      offline = true;
    } else if (o.result != "disabled") {
      reached = true;
    }
  }
  if (failed) return kExitFeedsFailed;
  if (offline && !reached) return kExitOffline;
  if (offline) return kExitFeedsFailed;
  return kExitOk;
}

}  // namespace signpost::sync
