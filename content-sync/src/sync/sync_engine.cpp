// SyncEngine. Index:
//   [SECTION] Helpers
//   [SECTION] SyncFeed (fetch, page, stage, commit)
//   [SECTION] SyncFeeds, exit codes
#include "sync/sync_engine.h"

#include <algorithm>
#include <chrono>
#include <random>

#include "feeds/feed_util.h"
#include "feeds/field_coverage.h"
#include "local_pack/local_pack_sync.h"
#include "signpost/sample_data.h"
#include "sync/guards.h"
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
  if (out.result == kInProgress) {  // the marker keeps what the last finished attempt said
    s.result = out.result;
    Status st = SaveStateFile(env.state_file, states);
    if (!st.ok()) Log(env, LogLevel::kWarning, "feed=" + out.feed + " " + st.message());
    return;
  }
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
  if (!feed.api_key.empty() && KeyMayGoTo(feed, request.url)) {
    http.headers.emplace_back(feed.api_key_header, feed.api_key);
  }
  for (const auto& h : request.headers) http.headers.push_back(h);
  for (const auto& h : feed.extra_headers) http.headers.push_back(h);
  http.max_body_bytes = feed.max_body_bytes;
  return http;
}

// [SECTION] SyncFeed ---------------------------------------------------------------------

namespace {

// One feed's sync, step by step: check whether anything changed (replay
// the plan), fetch and stage every page, commit. Each step either moves on
// or ends the run with Finish(result, why).
class FeedRun {
 public:
  FeedRun(const FeedSettings& feed, SyncEnv& env, FeedAdapter& adapter)
      : feed_(feed),
        env_(env),
        adapter_(adapter),
        expected_(PayloadTypeForKind(feed.kind)),
        fetcher_(env.transport, env.clock, env.retry,
                 env.seed != 0 ? env.seed : std::random_device{}()),
        interval_(std::max(0, adapter.MinRequestIntervalMs())),
        started_(env.clock->Now()),
        t0_(std::chrono::steady_clock::now()),
        held_(CatalogueState(*env.catalogue, feed.name)) {
    out_.feed = feed.name;
    out_.records = held_ ? held_->records : 0;
  }

  FeedOutcome Run() {
    MarkInProgress();
    std::optional<FetchResult> first_page;
    if (auto done = CheckUnchanged(&first_page)) return *done;
    if (auto done = FetchAndStage(std::move(first_page))) return *done;
    return Commit();
  }

  FeedOutcome Finish(std::string result, Status status) {
    out_.result = std::move(result);
    out_.status = std::move(status);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - t0_)
                        .count();
    std::string line = "feed=" + feed_.name + " result=" + out_.result +
                       " records=" + std::to_string(out_.records) +
                       " requests=" + std::to_string(out_.requests) +
                       " pages=" + std::to_string(out_.pages) + " ms=" + std::to_string(ms);
    if (out_.result == "ok") line += " skipped=" + std::to_string(out_.skipped);
    if (out_.duplicates > 0) line += " duplicates=" + std::to_string(out_.duplicates);
    if (!out_.status.ok()) line += " error=\"" + FirstLine(out_.status.message()) + "\"";
    const bool good = out_.result == "ok" || out_.result == "unchanged";
    Log(env_,
        good ? LogLevel::kInfo : (out_.result == "offline" ? LogLevel::kWarning : LogLevel::kError),
        line);
    Record(env_, out_, started_);
    return out_;
  }

 private:
  // [step 0] The state file says "in progress" until this run records its
  // outcome: a crash or kill leaves it so, and the next run reports it.
  void MarkInProgress() {
    FeedOutcome marker = out_;
    marker.result = kInProgress;
    Record(env_, marker, started_);
  }

  // Every request of the run goes through here: the guards, the pacing
  // (a published rate limit), the watchdog heartbeat.
  FetchResult Fetch(const FeedRequest& request, const std::string& if_none_match = "",
                    const std::string& if_modified_since = "") {
    if (env_.heartbeat) env_.heartbeat();
    if (fetched_before_ && interval_.count() > 0 && !env_.clock->SleepFor(interval_)) {
      FetchResult stopped;
      stopped.status = Status::Unavailable("stopped while pacing requests");
      return stopped;
    }
    fetched_before_ = true;
    HttpRequest http = BuildHttpRequest(feed_, request);
    http.if_none_match = if_none_match;
    http.if_modified_since = UsableLastModified(if_modified_since, env_.clock->Now());
    FetchResult r = fetcher_.Fetch(http, expected_);
    out_.requests += r.attempts;
    return r;
  }

  FeedOutcome FailFetch(const FetchResult& r, int page) {
    Status st = r.status;
    if (page > 0) {
      const std::string why = "page " + std::to_string(page + 1) + ": " + r.status.message() +
                              "; partial download discarded";
      st = r.offline ? Status::Unavailable(why) : Status::InvalidArgument(why);
    }
    return Finish(r.offline ? "offline" : "failed", st);
  }

  // [step 1] Is every page as it was when the catalogue's data was
  // imported? Replay the plan saved with that data (sync_plan.h): a 304 or
  // a body with the same hash means that page is unchanged. Without a plan
  // (an older catalogue), page 1 is asked for with the feed's own
  // validators. A changed page 1 is kept for the import.
  std::optional<FeedOutcome> CheckUnchanged(std::optional<FetchResult>* changed_first_page) {
    const FeedRequest first = adapter_.FirstRequest(feed_);
    std::vector<PlannedPage> replay;
    if (held_) {
      if (auto saved = env_.catalogue->GetMeta(SyncPlanKey(feed_.name))) {
        std::optional<SyncPlan> plan = DecodeSyncPlan(*saved);
        if (plan && SameRequest(plan->pages.front().request, first)) {
          replay = std::move(plan->pages);
        }
      }
      if (replay.empty() && (!held_->etag.empty() || !held_->last_modified.empty())) {
        replay.push_back({first, held_->etag, held_->last_modified, ""});
      }
    }
    if (replay.empty()) return std::nullopt;  // nothing to compare with: import
    for (std::size_t k = 0; k < replay.size(); ++k) {
      const PlannedPage& planned = replay[k];
      if (k > 0 && env_.clock->StopRequested()) {
        return Finish("failed", Status::Unavailable("stopped while checking for changes"));
      }
      if (Status allowed = RequestAllowed(feed_, planned.request.url); !allowed.ok()) {
        return std::nullopt;  // a plan that no longer passes the guards: import afresh
      }
      const bool conditional =
          !planned.etag.empty() ||
          !UsableLastModified(planned.last_modified, env_.clock->Now()).empty();
      FetchResult r = Fetch(planned.request, planned.etag, planned.last_modified);
      if (planned.request.may_be_missing && !r.status.ok() &&
          (r.http_status == 404 || r.http_status == 410)) {
        r = FetchResult{};  // still missing: compared as the empty body it was imported as
        r.status = Status::Ok();
      }
      if (!r.status.ok()) return FailFetch(r, static_cast<int>(k));
      if (r.not_modified) {
        if (!conditional) {
          return Finish("failed", Status::InvalidArgument("upstream answered 304 Not Modified to "
                                                          "an unconditional request"));
        }
        continue;
      }
      if (!planned.hash.empty() && HashBody(r.response.body) == planned.hash) continue;
      if (k == 0) *changed_first_page = std::move(r);  // import from this body
      return std::nullopt;
    }
    // Unchanged: zero catalogue writes, except that once a day the
    // catalogue's row is told the data was confirmed current, because the
    // kiosk shows freshness from it ("updated today", not "3 weeks ago").
    if (held_ && env_.confirm_fresh_every > 0 &&
        (!held_->last_success || started_ - *held_->last_success >= env_.confirm_fresh_every)) {
      catalogue::SyncState s = *held_;
      s.last_attempt = started_;
      s.last_success = started_;
      s.result = "unchanged";
      s.last_error.clear();
      if (Status st = env_.catalogue->PutSyncState(s); !st.ok()) {
        Log(env_, LogLevel::kWarning,
            "feed=" + feed_.name + " could not note the confirmed data: " + st.message());
      }
    }
    return Finish("unchanged", Status::Ok());
  }

  // [step 2] Fetches every page (following the adapter's NextRequest) and
  // stages its records in a new import. Any failure ends the run and the
  // staged import is discarded: the old data stays.
  std::optional<FeedOutcome> FetchAndStage(std::optional<FetchResult> first_page) {
    FeedRequest request = adapter_.FirstRequest(feed_);
    FetchResult page_result;
    if (first_page) {
      page_result = std::move(*first_page);
    } else {
      if (Status allowed = RequestAllowed(feed_, request.url); !allowed.ok()) {
        return Finish("failed", allowed);
      }
      page_result = Fetch(request);
      if (!page_result.status.ok()) return FailFetch(page_result, 0);
      if (page_result.not_modified) {
        return Finish("failed", Status::InvalidArgument("upstream answered 304 Not Modified to "
                                                        "an unconditional request"));
      }
    }
    catalogue::ImportOptions options;
    options.min_fraction_of_previous = env_.min_fraction_of_previous;
    options.hold_back_empty = !feed_.allow_empty;
    options.hold_back_repeats = true;
    auto begun = env_.catalogue->BeginImport(feed_.name, options);
    if (!begun.ok()) return Finish("failed", begun.status());
    import_ = std::move(begun.value());
    // Counts the key fields of every record (field_coverage.h) and holds the
    // per-feed record cap.
    counted_ = std::make_unique<CoverageImport>(*import_, adapter_.KeyFields());
    int list_pages = 1, detail_requests = 0;  // max_pages caps list pages only

    for (int page = 0;; ++page) {
      plan_safe_ = plan_safe_ && !UrlMayHoldSecret(request.url);
      plan_.pages.push_back(
          {request, page_result.response.etag,
           UsableLastModified(page_result.response.last_modified, env_.clock->Now()),
           HashBody(page_result.response.body)});
      Status parsed = adapter_.ParsePayload(page_result.response.body, page, *counted_);
      out_.pages = page + 1;
      page_result.response.body = Payload();  // free the page (or its spool file) now
      if (!parsed.ok()) {
        return Finish("failed", Status::InvalidArgument("page " + std::to_string(page + 1) +
                                                        " is not a usable " + feed_.kind +
                                                        " payload: " + parsed.message() +
                                                        "; nothing imported"));
      }
      if (counted_->over_cap()) {
        return Finish("failed", Status::InvalidArgument("more than " +
                                                        feeds::WithCommas(counted_->max_records()) +
                                                        " records in one feed; nothing imported"));
      }
      std::optional<FeedRequest> next = adapter_.NextRequest(feed_, page);
      if (!next) return std::nullopt;
      if (next->may_be_missing) {
        if (++detail_requests > kMaxDetailRequests) {
          return Finish("failed", Status::InvalidArgument("more than " +
                                                          feeds::WithCommas(kMaxDetailRequests) +
                                                          " detail requests; nothing imported"));
        }
      } else if (++list_pages > feed_.max_pages) {
        return Finish("failed", Status::InvalidArgument(
                                    "more than max_pages (" + std::to_string(feed_.max_pages) +
                                    ") pages; nothing imported (raise max_pages if the feed "
                                    "really is this big)"));
      }
      if (env_.clock->StopRequested()) {
        return Finish("failed", Status::Unavailable("stopped during paging; nothing imported"));
      }
      request = std::move(*next);
      if (Status allowed = RequestAllowed(feed_, request.url); !allowed.ok()) {
        if (!request.may_be_missing) {
          return Finish("failed",
                        Status::InvalidArgument(allowed.message() + "; nothing imported"));
        }
        // One record's link points elsewhere: that record is skipped (its
        // adapter gets an empty body), the rest of the feed imports.
        Note(allowed.message());
        page_result = FetchResult{};
        page_result.status = Status::Ok();
        continue;
      }
      page_result = Fetch(request);
      if (request.may_be_missing && !page_result.status.ok() &&
          (page_result.http_status == 404 || page_result.http_status == 410)) {
        // One record the upstream no longer has: the adapter is handed an
        // empty body and skips it; the rest of the feed still imports.
        page_result = FetchResult{};
        page_result.status = Status::Ok();
      }
      if (!page_result.status.ok()) return FailFetch(page_result, page + 1);
      if (page_result.not_modified) {
        return Finish("failed", Status::InvalidArgument("page " + std::to_string(page + 2) +
                                                        " answered 304 to an unconditional "
                                                        "request; nothing imported"));
      }
    }
  }

  // [step 3] The import's own transaction swaps the records in and writes
  // the sync state and the plan with them, or holds the set back
  // (catalogue::HoldBackReason) and changes nothing.
  FeedOutcome Commit() {
    out_.skipped = import_->skipped();
    catalogue::CommitExtras extras;
    catalogue::SyncState& s = extras.sync_state.emplace();
    s.feed = feed_.name;
    s.last_attempt = started_;
    s.last_success = started_;
    s.result = "ok";
    if (out_.pages == 1) {
      s.etag = plan_.pages.front().etag;
      s.last_modified = plan_.pages.front().last_modified;
    }
    if (plan_safe_) extras.meta.emplace_back(SyncPlanKey(feed_.name), EncodeSyncPlan(plan_));
    // Field coverage of the data about to be held, and the "degraded"
    // sentence while a key field is mostly missing ("" deletes the key).
    const FieldCoverage coverage = counted_->coverage();
    std::optional<FieldCoverage> previous_coverage;
    if (auto saved = env_.catalogue->GetMeta(CoverageMetaKey(feed_.name))) {
      previous_coverage = FieldCoverage::FromJson(*saved);
    }
    out_.degraded =
        coverage.Degraded(feed_.name, previous_coverage ? &*previous_coverage : nullptr);
    extras.meta.emplace_back(CoverageMetaKey(feed_.name), coverage.ToJson());
    extras.meta.emplace_back(DegradedMetaKey(feed_.name), out_.degraded);
    auto committed = import_->Commit(extras);
    if (!committed.ok()) {
      const bool held_back = committed.status().code() == Status::Code::kHeldBack;
      return Finish(held_back ? "held_back" : "failed", committed.status());
    }
    const catalogue::ImportReport& report = committed.value();
    out_.records = report.accepted;
    out_.skipped = report.skipped;
    out_.duplicates = report.duplicates;
    out_.problems.insert(out_.problems.end(), report.problems.begin(), report.problems.end());
    // The first real data replaces the bundled sample, so the kiosk stops
    // saying "Sample data" and shows only what this site's feeds publish.
    if (env_.catalogue->GetMeta("is_sample").value_or("") == "1") {
      if (Status st = RemoveSampleCatalogue(env_.catalogue); st.ok()) {
        Log(env_, LogLevel::kInfo,
            "feed=" + feed_.name + " is real data: the sample catalogue was removed");
      } else {
        Log(env_, LogLevel::kWarning, "could not remove the sample catalogue: " + st.message());
      }
    }
    FeedOutcome done = Finish("ok", Status::Ok());
    if (!out_.degraded.empty()) {
      Log(env_, LogLevel::kWarning, "feed=" + feed_.name + " degraded: " + out_.degraded);
    }
    for (const auto& p : out_.problems) {
      Log(env_, LogLevel::kInfo, "feed=" + feed_.name + " skipped: " + FirstLine(p));
    }
    return done;
  }

  void Note(const std::string& problem) {
    Log(env_, LogLevel::kWarning, "feed=" + feed_.name + " " + problem);
    if (out_.problems.size() < 10) out_.problems.push_back(problem);
  }

  const FeedSettings& feed_;
  SyncEnv& env_;
  FeedAdapter& adapter_;
  const PayloadType expected_;
  Fetcher fetcher_;
  const std::chrono::milliseconds interval_;
  bool fetched_before_ = false;
  const UnixTime started_;
  const std::chrono::steady_clock::time_point t0_;
  const std::optional<catalogue::SyncState> held_;
  FeedOutcome out_;
  std::unique_ptr<catalogue::FeedImport> import_;
  std::unique_ptr<CoverageImport> counted_;  // wraps import_; adapters write here
  SyncPlan plan_;
  bool plan_safe_ = true;
};

}  // namespace

FeedOutcome SyncFeed(const FeedSettings& configured, SyncEnv& env) {
  if (!configured.enabled) {
    FeedOutcome out;
    out.feed = configured.name;
    out.result = "disabled";
    return out;
  }
  if (configured.kind == kLocalPackKind) return SyncLocalPack(configured, env);  // not HTTP
  FeedSettings feed = configured;
  std::unique_ptr<FeedAdapter> adapter =
      env.adapters ? env.adapters(feed.kind) : MakeFeedAdapter(feed.kind);
  if (!adapter) {
    FeedOutcome out;
    out.feed = feed.name;
    out.result = "failed";
    out.status = Status::InvalidArgument("unknown feed kind \"" + feed.kind + "\"");
    RecordAttempt(env, out, env.clock->Now());
    return out;
  }
  if (feed.max_body_bytes <= 0) feed.max_body_bytes = adapter->MaxBodyBytes();
  FeedRun run(feed, env, *adapter);
  try {
    return run.Run();
  } catch (const std::bad_alloc&) {
    return run.Finish("failed", Status::Internal("out of memory while syncing; nothing imported"));
  } catch (const std::exception& e) {
    return run.Finish("failed", Status::Internal(std::string("internal error while syncing (") +
                                                 e.what() + "); nothing imported"));
  }
}

// [SECTION] SyncFeeds ----------------------------------------------------------------------

std::vector<std::string> NoteInterruptedSyncs(SyncEnv& env) {
  std::vector<std::string> names;
  if (env.state_file.empty()) return names;
  StateMap states = LoadStateFile(env.state_file);
  bool changed = false;
  for (auto& [name, s] : states) {
    if (s.result == kInterrupted) names.push_back(name);
    if (s.result != kInProgress) continue;
    names.push_back(name);
    s.result = kInterrupted;
    s.last_error = "the sync that started " +
                   (s.last_attempt ? FormatIsoTimestamp(*s.last_attempt) : std::string("earlier")) +
                   " did not finish: content-sync crashed or was stopped (the feed's data was "
                   "kept; it is synced after the other feeds)";
    Log(env, LogLevel::kError, "feed=" + name + " " + s.last_error);
    changed = true;
  }
  if (changed) {
    if (Status st = SaveStateFile(env.state_file, states); !st.ok()) {
      Log(env, LogLevel::kWarning, st.message());
    }
  }
  return names;
}

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
  // A sync that died (crash, kill, power cut) left its feed "in progress":
  // say so, and sync that feed after the others, so one feed that kills
  // content-sync never stops the rest from being synced.
  std::vector<std::string> interrupted = NoteInterruptedSyncs(env);
  std::vector<const FeedSettings*> chosen;
  for (const auto& feed : feeds) {
    if (!only.empty() && std::find(only.begin(), only.end(), feed.name) == only.end()) continue;
    if (!feed.enabled && only.empty()) continue;
    chosen.push_back(&feed);
  }
  std::stable_partition(chosen.begin(), chosen.end(), [&](const FeedSettings* f) {
    return std::find(interrupted.begin(), interrupted.end(), f->name) == interrupted.end();
  });
  const RetryPolicy retry = env.retry;
  for (std::size_t i = 0; i < chosen.size(); ++i) {
    if (env.clock->StopRequested()) break;
    if (env.progress)
      env.progress(chosen[i]->name, static_cast<int>(i + 1), static_cast<int>(chosen.size()));
    FeedSettings f = *chosen[i];
    f.enabled = true;  // naming a disabled feed in `once` syncs it anyway
    try {
      outcomes.push_back(SyncFeed(f, env));
    } catch (const std::exception& e) {  // one feed's failure never stops the others
      FeedOutcome o;
      o.feed = f.name;
      o.result = "failed";
      o.status = Status::Internal(std::string("internal error: ") + e.what());
      RecordAttempt(env, o, env.clock->Now());
      outcomes.push_back(std::move(o));
    }
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
