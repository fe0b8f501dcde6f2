// content-sync CLI: argument parsing, --help, and RunCli, which loads the
// config and hands over to one command (cmd_*.cpp, in the order data flows:
// once, run, status, validate, hub, import).
#include "cli/cli.h"

#include <iostream>

#include "cli/command.h"
#include "local_pack/local_pack_sync.h"

#ifndef SIGNPOST_VERSION
#define SIGNPOST_VERSION "0.0.0"
#endif

namespace signpost::sync {
namespace cli {

Result<Args> ParseArgs(const std::vector<std::string>& args) {
  Args a;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& s = args[i];
    auto value = [&](const std::string& flag) -> Result<std::string> {
      const auto eq = s.find('=');
      if (eq != std::string::npos) return s.substr(eq + 1);
      if (i + 1 >= args.size()) return Status::InvalidArgument(flag + " needs a value");
      return args[++i];
    };
    auto is = [&](const char* flag) { return s == flag || s.starts_with(std::string(flag) + "="); };
    if (s == "-h" || s == "--help") {
      a.help = true;
    } else if (s == "--version") {
      a.version = true;
    } else if (s == "--json") {
      a.json = true;
    } else if (s == "--no-fetch") {
      a.no_fetch = true;
    } else if (s == "--force") {
      a.force = true;
    } else if (s == "--check") {
      a.check = true;
    } else if (is("--secret-key")) {
      auto v = value("--secret-key");
      if (!v.ok()) return v.status();
      a.secret_path = v.value();
    } else if (is("--public-key")) {
      auto v = value("--public-key");
      if (!v.ok()) return v.status();
      a.public_path = v.value();
    } else if (is("--config")) {
      auto v = value("--config");
      if (!v.ok()) return v.status();
      a.config_path = v.value();
      a.config_given = true;
    } else if (is("--catalogue")) {
      auto v = value("--catalogue");
      if (!v.ok()) return v.status();
      a.catalogue_path = v.value();
    } else if (is("--kind")) {
      auto v = value("--kind");
      if (!v.ok()) return v.status();
      a.kind = v.value();
    } else if (s.starts_with("-") && s != "-") {
      return Status::InvalidArgument("unknown option " + s);
    } else if (a.command.empty()) {
      a.command = s;
    } else {
      a.positional.push_back(s);
    }
  }
  return a;
}

}  // namespace cli

using namespace cli;

std::string FormatAgo(UnixTime then, UnixTime now) {
  const std::int64_t d = now - then;
  if (d < 0) return "in the future (check the clock)";
  auto unit = [](std::int64_t n, const char* one) {
    return std::to_string(n) + " " + one + (n == 1 ? "" : "s") + " ago";
  };
  if (d < 60) return "just now";
  if (d < 3600) return unit(d / 60, "minute");
  if (d < 2 * 86400) return unit(d / 3600, "hour");
  return unit(d / 86400, "day");
}

std::string HelpText() {
  std::string kinds;
  for (const auto& k : FeedAdapterKinds()) kinds += (kinds.empty() ? "" : ", ") + k;
  return "Usage: content-sync [--config PATH] [--catalogue PATH] COMMAND [ARGS]\n"
         "\n"
         "Keeps the Signpost kiosk's catalogue fresh from its configured feeds.\n"
         "\n"
         "Commands:\n"
         "  run                     sync on the schedule in [sync] until SIGTERM (systemd\n"
         "                          Type=notify: READY, STATUS, WATCHDOG)\n"
         "  once [FEED...]          sync every enabled feed (or the named ones, even if\n"
         "                          disabled) now, then exit\n"
         "  status [--json]         per feed: last attempt, last success, records, skipped,\n"
         "                          last error, freshness\n"
         "  validate --kind KIND FILE...\n"
         "                          parse a fixture or downloaded payload (FILEs are pages in\n"
         "                          order) and print what would be imported; imports nothing\n"
         "  import [--check] BUNDLE|FOLDER\n"
         "                          verify a signed content bundle (e.g. from a USB stick;\n"
         "                          its .minisig beside it) and apply it; a folder: its newest\n"
         "                          bundle. --check verifies and prints, imports nothing\n"
         "  hub build [--no-fetch] [--force]\n"
         "                          hub mode ([hub]): sync the feeds, then publish the\n"
         "                          catalogue as signed bundles + latest.json in output_dir\n"
         "  hub keygen [--secret-key PATH] [--public-key PATH]\n"
         "                          create the hub's minisign signing key pair\n"
         "  hub sign-pack [--secret-key PATH] FOLDER\n"
         "                          sign a local content pack so kiosks load it from a USB\n"
         "                          stick (an unsigned pack there is refused)\n" +
         LocalPackHelpText() +
         "\n"
         "Options:\n"
         "  --config PATH           config file (default " +
         std::string(kDefaultConfigPath) +
         ")\n"
         "  --catalogue PATH        catalogue file (default [sync] catalogue, else " +
         std::string(kDefaultCataloguePath) +
         ")\n"
         "  --help, --version\n"
         "\n"
         "Feed kinds: " +
         kinds +
         "\n"
         "\n"
         "Exit codes:\n"
         "  0  every feed ok or unchanged (status: no feed's last attempt failed)\n"
         "  1  some feed failed or was held back (90% fewer records); see `status`\n"
         "  2  bad command line or config (the message names the field and line)\n"
         "  3  the catalogue cannot be opened or written (path, permissions, disk)\n"
         "  4  not online: no feed reached its upstream (network down, captive portal,\n"
         "     web-filter login page); the kiosk keeps its data, try again later\n"
         "  5  validate: the payload is not usable (wrong kind, HTML, malformed)\n"
         "  6  a content bundle was refused (bad signature, unknown key, damaged or\n"
         "     truncated, older than the catalogue's, past its valid-until); nothing changed\n"
         "  7  hub build failed (signing key, output folder); nothing was published\n";
}

int RunCli(const std::vector<std::string>& argv, std::ostream& out, std::ostream& err, CliEnv env) {
  if (auto code = RunLocalPackCommand(argv, out, err)) return *code;  // validate-pack, report
  auto parsed = ParseArgs(argv);
  if (!parsed.ok()) {
    err << "content-sync: " << parsed.status().message() << " (see --help)\n";
    return kExitUsage;
  }
  Args args = std::move(parsed.value());
  if (args.help || args.command == "help") {
    out << HelpText();
    return kExitOk;
  }
  if (args.version) {
    out << "content-sync " << SIGNPOST_VERSION << " (" << UserAgent("") << ")\n";
    return kExitOk;
  }
  if (args.command.empty()) {
    err << HelpText();
    return kExitUsage;
  }
  RealClock real_clock;
  Context ctx;
  ctx.out = &out;
  ctx.err = &err;
  ctx.clock = env.clock != nullptr ? env.clock : &real_clock;
  ctx.env = std::move(env);
  ctx.args = args;

  if (args.command == "validate") {
    return CmdValidate(ctx);
  }
  if (args.command != "run" && args.command != "once" && args.command != "status" &&
      args.command != "hub" && args.command != "import") {
    err << "content-sync: unknown command \"" << args.command << "\" (see --help)\n";
    return kExitUsage;
  }
  if ((args.command == "run" || args.command == "status") && !args.positional.empty()) {
    err << "content-sync: " << args.command << " takes no arguments\n";
    return kExitUsage;
  }
  auto config = LoadConfig(args.config_path, args.config_given, Kinds(ctx.env));
  if (!config.ok()) {
    err << "content-sync: " << config.status().message() << "\n";
    return kExitUsage;
  }
  ctx.config = std::move(config.value());
  for (const auto& w : ctx.config.warnings) ctx.Log(LogLevel::kWarning, w);
  if (!args.catalogue_path.empty()) ctx.config.sync.catalogue = args.catalogue_path;

  if (args.command == "once") return CmdOnce(ctx);
  if (args.command == "import") return CmdImport(ctx);
  if (args.command == "hub") {
    const std::string sub = args.positional.empty() ? "" : args.positional[0];
    if (sub == "build" && args.positional.size() == 1) return CmdHubBuild(ctx);
    if (sub == "keygen" && args.positional.size() == 1) return CmdHubKeygen(ctx);
    if (sub == "sign-pack") return CmdHubSignPack(ctx);
    err << "content-sync: hub needs \"build\", \"keygen\" or \"sign-pack\" (see --help)\n";
    return kExitUsage;
  }
  if (args.command == "status") return CmdStatus(ctx);
  return CmdRun(ctx);
}

}  // namespace signpost::sync
