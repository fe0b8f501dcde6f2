// The content-sync commands' shared context: parsed arguments, the loaded
// config, the seams from CliEnv, and the steps every command uses (take the
// sync lock, open the catalogue writer, make the transport, one sync cycle).
// Internal to content-sync/src/cli; one file per command (cmd_*.cpp).
// Thread safety: one command runs at a time, on the calling thread.
#pragma once

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "cli/cli.h"
#include "config/config.h"
#include "signpost/catalogue.h"

namespace signpost::sync {
class Notifier;
}

namespace signpost::sync::cli {

struct Args {
  std::string command;
  std::vector<std::string> positional;
  std::string config_path = kDefaultConfigPath;
  bool config_given = false;
  std::string catalogue_path;  // "" = from config
  std::string kind;            // validate
  bool json = false;           // status
  bool no_fetch = false;       // hub build: publish what the catalogue holds
  bool force = false;          // hub build: a new serial even if unchanged
  bool check = false;          // import: verify only
  std::string secret_path;     // hub keygen
  std::string public_path;     // hub keygen
  bool help = false;
  bool version = false;
};

// Parses the command line (argv without argv[0]).
Result<Args> ParseArgs(const std::vector<std::string>& args);

struct Context {
  Args args;
  Config config;
  CliEnv env;
  std::ostream* out;
  std::ostream* err;
  Clock* clock;
  void Log(LogLevel level, const std::string& line) const { LogTo(env.log, level, line); }
};

// The adapter kinds the config may name (the HTTP adapters plus local-pack).
std::vector<std::string> Kinds(const CliEnv& env);

// Exclusive lock beside the catalogue so `once` and `run` never sync at the
// same time (they would fight over the catalogue writer and the state file).
class ProcessLock {
 public:
  ProcessLock() = default;
  ProcessLock(const ProcessLock&) = delete;
  ProcessLock& operator=(const ProcessLock&) = delete;
  ~ProcessLock() { Release(); }
  // Waits (polling, so SIGTERM still stops it) until the lock is ours.
  Status Acquire(const std::string& path, const Context& ctx);
  void Release();

 private:
  int fd_ = -1;
};

// True while another process (a sync) holds the sync lock.
bool SyncLockHeld(const Context& ctx);

Result<std::unique_ptr<catalogue::Catalogue>> OpenWriter(const Context& ctx);

// The sync lock taken and the catalogue writer open: what every command
// that writes the catalogue needs first. The status names what failed.
struct LockedWriter {
  ProcessLock lock;
  std::unique_ptr<catalogue::Catalogue> catalogue;
};
Status LockAndOpenWriter(const Context& ctx, LockedWriter& out);

// The transport from the config's HTTP options (or the test seam); SIGTERM
// aborts a download in progress.
Result<std::unique_ptr<HttpTransport>> MakeTransport(const Context& ctx, HttpOptions http);

// "2 ok, 1 failed".
std::string Summary(const std::vector<FeedOutcome>& outcomes);

// One sync cycle: lock, open, sync, close. Returns an exit code.
int SyncCycle(Context& ctx, const std::vector<std::string>& only,
              std::vector<FeedOutcome>* outcomes_out, Notifier* notifier,
              std::function<void()> heartbeat = {});

// "2026-11-25 19:00 UTC".
std::string FormatClock(UnixTime t);
// "12.3 MB", "45.6 kB", "789 bytes".
std::string Bytes(std::int64_t n);

// "Sync now" from the kiosk's technician screen: a request file (cmd_once.cpp).
bool SyncRequested(const Context& ctx);
void ClearSyncRequest(Context& ctx);
// One pull from the hub(s) in [bundles] (cmd_import.cpp).
int BundleCycle(Context& ctx);
// "Update from USB": answers the kiosk's import request, if any (cmd_import.cpp).
void AnswerImportRequest(Context& ctx);

// The commands, one file each.
int CmdOnce(Context& ctx);         // cmd_once.cpp
int CmdRun(Context& ctx);          // cmd_run.cpp
int CmdStatus(Context& ctx);       // cmd_status.cpp
int CmdValidate(Context& ctx);     // cmd_validate.cpp
int CmdHubKeygen(Context& ctx);    // cmd_hub.cpp
int CmdHubBuild(Context& ctx);     // cmd_hub.cpp
int CmdHubSignPack(Context& ctx);  // cmd_sign_pack.cpp
int CmdImport(Context& ctx);       // cmd_import.cpp

}  // namespace signpost::sync::cli
