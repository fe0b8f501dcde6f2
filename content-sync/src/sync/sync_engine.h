// SyncEngine: syncs feeds from upstream into the catalogue, safely.
//
// For one feed: first replay the feed's sync plan (sync_plan.h): each page
// of the data the catalogue holds is asked for again, conditional on that
// page's ETag/Last-Modified; a 304 or an identical body (same hash) means the
// page is unchanged. All pages unchanged = the feed is "unchanged": a request
// per page (one for most feeds), nothing parsed, zero catalogue writes (but
// see SyncEnv::confirm_fresh_every: once a day its freshness row is touched).
// Otherwise (from the changed page 1's body when it was page 1) stage the records in
// catalogue->BeginImport(feed, {min_fraction_of_previous = 0.1}), follow NextRequest page by page
// (at most max_pages; more is an error, never a silent partial set) and Commit. Any failed or
// partial download, a payload the adapter rejects, a captive portal, or a stop request abandons the
// import: the old data stays. A set 90% smaller than the last is held back by the catalogue and
// reported.
//
// Bookkeeping: every attempt updates the state file (state_file.h); the
// catalogue's SyncState row and the feed's new sync plan are written by the
// import's own commit transaction (CommitExtras), so they always describe the
// data held. SyncState keeps the validators only for one-page feeds (a
// validator on page 1 of many says nothing about page 7; the plan has each
// page's).
//
// Thread safety: one engine per thread; the catalogue is single-threaded.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "bundle/minisign.h"
#include "common/clock.h"
#include "common/log.h"
#include "feeds/feed_adapter.h"
#include "net/fetcher.h"
#include "net/http_client.h"
#include "signpost/catalogue.h"
#include "sync/state_file.h"

namespace signpost::sync {

using AdapterFactory = std::function<std::unique_ptr<FeedAdapter>(std::string_view kind)>;

struct SyncEnv {
  catalogue::Catalogue* catalogue = nullptr;  // writer connection
  HttpTransport* transport = nullptr;
  Clock* clock = nullptr;
  RetryPolicy retry;                      // from [sync]
  std::string state_file;                 // attempt bookkeeping; "" = none
  AdapterFactory adapters;                // empty = MakeFeedAdapter
  LogSink log;                            // empty = LogToStderr
  std::uint64_t seed = 0;                 // retry jitter; 0 = random
  double min_fraction_of_previous = 0.1;  // "90% fewer records" -> held back
  // An unchanged feed writes nothing to the catalogue, except that when the
  // catalogue's SyncState.last_success is older than this many seconds it
  // is moved to now (at most one small write per feed per day), because the
  // kiosk shows freshness from it. 0 = never write on unchanged.
  std::int64_t confirm_fresh_every = 86400;
  // Called before every HTTP request (the daemon's watchdog heartbeat); may be empty.
  std::function<void()> heartbeat;
  // [bundles] trusted keys: a local pack on removable media must be signed
  // by one of them (local_pack/pack_signature.h).
  std::vector<bundle::PublicKey> trusted_keys;
  bool require_signed_packs = false;  // also for packs beside the catalogue (tests, strict sites)
  // Called by SyncFeeds before each feed (feed, 1-based index, count); may be empty.
  std::function<void(const std::string&, int, int)> progress;
};

// The state file's result while a feed is being synced; left there by a
// crash or kill, and reported as such by the next run and by `status`.
inline constexpr const char* kInProgress = "in_progress";
inline constexpr const char* kInterrupted = "interrupted";

// What happened to one feed, for logs, `status` and the exit code.
struct FeedOutcome {
  std::string feed;
  std::string result;           // "ok", "unchanged", "failed", "held_back", "offline", "disabled"
  Status status;                // why, when not ok/unchanged/disabled
  std::int64_t records = 0;     // held from this feed after the attempt
  std::int64_t skipped = 0;     // skipped in this import
  std::int64_t duplicates = 0;  // records that repeated an id already sent (counted once)
  int requests = 0;             // HTTP requests made, retries included
  int pages = 0;                // pages parsed
  std::vector<std::string> problems;  // first few skip reasons
  std::string degraded;  // "ok" but most records lack a key field: why (field_coverage.h)
};

// Records an attempt in the state file (env.state_file; "" = none): result,
// times, records, the first line of the error. For other kinds of sync
// (local packs) that keep the same bookkeeping.
void RecordAttempt(SyncEnv& env, const FeedOutcome& out, UnixTime started);

// Marks feeds the state file still shows "in progress" (their sync died:
// crash, kill, power cut) as "interrupted" with a sentence saying so, and
// returns the names of interrupted feeds. SyncFeeds calls it first and
// syncs those feeds last.
std::vector<std::string> NoteInterruptedSyncs(SyncEnv& env);

// Syncs one feed (disabled feeds are reported "disabled", not fetched) and
// records the attempt in the state file.
FeedOutcome SyncFeed(const FeedSettings& feed, SyncEnv& env);

// Syncs the enabled feeds in order (or only those named in `only`, even if
// disabled); stops early when a stop is requested. Unknown names in `only`
// are an error outcome each ("failed", "no feed named ..."). After a feed
// comes back "offline", the remaining feeds get a single attempt each.
std::vector<FeedOutcome> SyncFeeds(const std::vector<FeedSettings>& feeds,
                                   const std::vector<std::string>& only, SyncEnv& env);

// Exit codes a technician can act on (also in `content-sync --help`).
enum ExitCode : int {
  kExitOk = 0,               // every feed ok or unchanged
  kExitFeedsFailed = 1,      // some feed failed or was held back (see status)
  kExitUsage = 2,            // bad command line or config
  kExitCatalogue = 3,        // the catalogue cannot be opened or written
  kExitOffline = 4,          // not online: no feed could reach its upstream
  kExitPayloadRejected = 5,  // validate: the payload is not usable at all
};
int ExitCodeFor(const std::vector<FeedOutcome>& outcomes);

// The HTTP request for a feed request: API key header, extra headers.
HttpRequest BuildHttpRequest(const FeedSettings& feed, const FeedRequest& request);

}  // namespace signpost::sync
