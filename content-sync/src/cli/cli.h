// The content-sync command line: argument parsing and the subcommands
// (run, once, status, validate). main.cpp only calls RunCli; tests call it
// with their own streams, adapters, clock and transport.
// Thread safety: one call at a time (it installs signal handlers for `run`).
#pragma once

#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/log.h"
#include "net/http_client.h"
#include "sync/sync_engine.h"

namespace signpost::sync {

// Seams for tests; every empty member means "the real thing".
struct CliEnv {
  AdapterFactory adapters;                          // MakeFeedAdapter
  std::function<std::vector<std::string>()> kinds;  // FeedAdapterKinds
  // Makes the transport from the config's HTTP options (MakeCurlTransport).
  std::function<Result<std::unique_ptr<HttpTransport>>(const HttpOptions&)> transport;
  Clock* clock = nullptr;  // RealClock
  LogSink log;             // LogToStderr
  std::uint64_t seed = 0;  // jitter; 0 = random
};

// Runs `content-sync <args>` (args excludes argv[0]) and returns the exit code.
int RunCli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
           CliEnv env = {});

// "just now", "5 minutes ago", "2 hours ago", "3 days ago".
std::string FormatAgo(UnixTime then, UnixTime now);

// The --help text, exit codes included.
std::string HelpText();

}  // namespace signpost::sync
