// The local content pack feed and the careers leader's commands. Index:
//   [SECTION] Paths and images
//   [SECTION] SyncLocalPack
//   [SECTION] validate-pack
//   [SECTION] report
//   [SECTION] Dispatch
#include "local_pack/local_pack_sync.h"

#include "local_pack/pack_times.h"

#include "bundle/hub.h"
#include "local_pack/pack_signature.h"

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>

#include "signpost/usage_report.h"
#include "sync/state_file.h"

namespace signpost::sync {

namespace fs = std::filesystem;

namespace {

// [SECTION] Paths and images ----------------------------------------------------------------

void Log(SyncEnv& env, LogLevel level, const std::string& line) { LogTo(env.log, level, line); }

void FsyncPath(const fs::path& p, bool dir) {
  int fd = open(p.c_str(), (dir ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC);
  if (fd >= 0) {
    fsync(fd);
    close(fd);
  }
}

// Copies every accepted image into <root>/<fingerprint>/ (via a temp folder
// renamed into place, each file fsynced) and points the items at the copies.
Result<fs::path> CopyImages(LocalPack& pack, const fs::path& root) {
  const fs::path final_dir = root / pack.fingerprint;
  std::error_code ec;
  bool any = false;
  for (const auto& item : pack.items) any = any || !item.image_source.empty();
  if (!any) return fs::path();
  if (!fs::is_directory(final_dir, ec)) {
    const fs::path tmp = root / ("." + pack.fingerprint + ".tmp");
    fs::remove_all(tmp, ec);
    fs::create_directories(tmp, ec);
    if (ec) return Status::IoError("cannot create " + tmp.string() + ": " + ec.message());
    int n = 0;
    for (auto& item : pack.items) {
      if (item.image_source.empty()) continue;
      const fs::path to =
          tmp / (std::to_string(n++) + "-" + fs::path(item.image_source).filename().string());
      // The bytes that were checked (and, for a signed pack, verified), not
      // whatever is at that path on the stick now.
      if (Status st = bundle::WriteFileAtomic(to.string(), item.image_bytes); !st.ok())
        ec = std::make_error_code(std::errc::io_error);
      if (ec) {
        fs::remove_all(tmp, ec);
        return Status::IoError("cannot copy " + item.image_source + " (disk full?)");
      }
      FsyncPath(to, false);
    }
    FsyncPath(tmp, true);
    fs::rename(tmp, final_dir, ec);
    if (ec) {
      fs::remove_all(tmp, ec);
      return Status::IoError("cannot move images into " + final_dir.string() + ": " + ec.message());
    }
    FsyncPath(root, true);
  }
  int n = 0;
  for (auto& item : pack.items) {
    if (item.image_source.empty()) continue;
    item.item.image_path =
        (final_dir / (std::to_string(n++) + "-" + fs::path(item.image_source).filename().string()))
            .string();
  }
  return final_dir;
}

// Deletes every image generation under root except `keep` (after a commit),
// or just `drop` (after a failure).
void PruneImages(const fs::path& root, const fs::path& keep) {
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(root, ec)) {
    if (e.path() != keep) fs::remove_all(e.path(), ec);
  }
}

}  // namespace

std::string LocalPackDir(const FeedSettings& feed) {
  std::string u = feed.url;
  if (u.starts_with("file://")) u = u.substr(7);
  return u;
}

std::string LocalPackImageRoot(const std::string& catalogue_path, const std::string& feed) {
  return (fs::path(catalogue_path).parent_path() / "local-content" / feed).string();
}

// [SECTION] SyncLocalPack -------------------------------------------------------------------------

FeedOutcome SyncLocalPack(const FeedSettings& feed, SyncEnv& env, const PackLimits& limits) {
  FeedOutcome out;
  out.feed = feed.name;
  const UnixTime started = env.clock->Now();
  const auto t0 = std::chrono::steady_clock::now();
  std::optional<catalogue::SyncState> held;
  if (auto states = env.catalogue->SyncStates(); states.ok())
    for (auto& s : states.value())
      if (s.feed == feed.name) held = s;
  out.records = held ? held->records : 0;

  auto finish = [&](std::string result, Status status) {
    out.result = std::move(result);
    out.status = std::move(status);
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)
            .count();
    std::string line = "feed=" + feed.name + " result=" + out.result +
                       " records=" + std::to_string(out.records) + " ms=" + std::to_string(ms);
    if (out.result == "ok") line += " skipped=" + std::to_string(out.skipped);
    if (!out.status.ok()) line += " error=\"" + FirstLine(out.status.message()) + "\"";
    const bool good = out.result == "ok" || out.result == "unchanged";
    Log(env, good ? LogLevel::kInfo : LogLevel::kError, line);
    RecordAttempt(env, out, started);
    return out;
  };

  const std::string dir = LocalPackDir(feed);
  // A pack on a USB stick (or any other filesystem than the catalogue's) is
  // someone else's content: it loads only when signed with a trusted key.
  PackLimits checked = limits;
  std::optional<PackSignature> signature;
  std::error_code missing;
  const bool there = fs::exists(dir, missing);  // a missing folder: LoadLocalPack says so
  if (there && (env.require_signed_packs || PackNeedsSignature(dir, env.catalogue->path()))) {
    auto verified = VerifyPackSignature(dir, env.trusted_keys);
    if (!verified.ok()) {
      return finish("failed", Status::InvalidArgument(verified.status().message() +
                                                      "; the last good pack stays"));
    }
    signature = std::move(verified.value());
    checked.signature = &*signature;
  }
  auto loaded = LoadLocalPack(dir, checked);
  if (!loaded.ok()) {
    return finish("failed", Status(loaded.status().code() == Status::Code::kNotFound
                                       ? Status::NotFound(loaded.status().message() +
                                                          "; the last good pack stays")
                                       : loaded.status()));
  }
  LocalPack& pack = loaded.value();
  for (const auto& m : pack.messages) {
    out.problems.push_back(m.ToString());
    Log(env, m.rejected ? LogLevel::kWarning : LogLevel::kInfo,
        "feed=" + feed.name + (m.rejected ? " rejected: " : " note: ") + m.ToString());
  }
  out.skipped = pack.rejected;
  if (pack.files == 0) {
    return finish("failed", Status::NotFound("no item files (*.toml) in " + dir +
                                             "; the last good pack stays"));
  }
  if (pack.items.empty()) {
    return finish("failed", Status::InvalidArgument("every item in " + dir + " was rejected (" +
                                                    std::to_string(pack.rejected) +
                                                    "; run `content-sync validate-pack " + dir +
                                                    "` to see why); the last good pack stays"));
  }
  const std::string etag = "pack:" + pack.fingerprint;
  if (held && held->etag == etag) return finish("unchanged", Status::Ok());

  const fs::path image_root = LocalPackImageRoot(env.catalogue->path(), feed.name);
  auto images = CopyImages(pack, image_root);
  if (!images.ok()) return finish("failed", images.status());

  catalogue::ImportOptions options;
  options.min_fraction_of_previous = 0;  // a teacher removing items is not a broken feed
  auto begun = env.catalogue->BeginImport(feed.name, options);
  if (!begun.ok()) return finish("failed", begun.status());
  std::unique_ptr<catalogue::FeedImport> import = std::move(begun.value());
  for (const auto& item : pack.items) {
    const Status st = item.search_words ? import->AddSearchAlias(*item.search_words)
                                        : import->AddLocalItem(item.item);
    if (!st.ok()) out.problems.push_back(item.file + ": " + st.message());
  }
  auto committed = import->Commit();
  if (!committed.ok()) {
    // The new image copies are not referenced by anything: drop them,
    // unless they are the ones the held pack already uses.
    std::error_code ec;
    if (!images->empty() && (!held || held->etag != etag)) {
      bool in_use = false;
      if (auto items = env.catalogue->LocalItems(std::nullopt, TodayUtc()); items.ok())
        for (const auto& l : items.value())
          in_use = in_use || l.image_path.starts_with(images->string());
      if (!in_use) fs::remove_all(*images, ec);
    }
    return finish("failed", committed.status());
  }
  out.records = committed->accepted;
  out.skipped = pack.rejected + committed->skipped;
  for (const auto& p : committed->problems) out.problems.push_back(p);
  PruneImages(image_root, *images);

  catalogue::SyncState s;
  s.feed = feed.name;
  s.last_attempt = started;
  s.last_success = started;
  s.result = "ok";
  s.records = out.records;
  s.skipped = out.skipped;
  s.etag = etag;
  if (Status st = env.catalogue->PutSyncState(s); !st.ok())
    Log(env, LogLevel::kWarning,
        "feed=" + feed.name + " imported, but its sync state was not saved: " + st.message());
  return finish("ok", Status::Ok());
}

namespace {

// [SECTION] validate-pack
// ---------------------------------------------------------------------------

int CmdValidatePack(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (args.size() != 1) {
    err << "content-sync: validate-pack needs one FOLDER (the local content pack)\n";
    return kExitUsage;
  }
  auto loaded = LoadLocalPack(args[0]);
  if (!loaded.ok()) {
    err << "content-sync: " << loaded.status().message() << "\n";
    return kExitPayloadRejected;
  }
  const LocalPack& pack = loaded.value();
  out << "pack: " << pack.dir << "\n";
  std::set<std::string> bad;
  for (const auto& m : pack.messages) {
    if (m.rejected) bad.insert(m.file);
  }
  std::size_t next_message = 0;
  auto print_messages_for = [&](const std::string& file) {
    for (; next_message < pack.messages.size() && pack.messages[next_message].file == file;
         ++next_message) {
      const auto& m = pack.messages[next_message];
      out << "  " << (m.rejected ? "error: " : "note:  ") << m.ToString() << "\n";
    }
  };
  std::size_t next_item = 0;
  std::set<std::string> seen;
  for (const auto& m : pack.messages) seen.insert(m.file);
  for (const auto& item : pack.items) seen.insert(item.file);
  for (const auto& file : seen) {
    if (next_item < pack.items.size() && pack.items[next_item].file == file) {
      const auto& l = pack.items[next_item++].item;
      // A school event says how its day and time were read ("6pm to 8pm").
      std::string when;
      if (l.event_day) {
        when = ", " + FormatHumanDate(*l.event_day);
        if (l.event_start_minute) when += " " + FormatPackTime(*l.event_start_minute);
        if (l.event_end_minute) when += " to " + FormatPackTime(*l.event_end_minute);
      }
      out << "  ok:    " << file << " (" << catalogue::LocalKindKey(l.kind) << ": \"" << l.title
          << "\"" << when << (l.image_path.empty() ? "" : ", with a picture") << ")\n";
    } else {
      out << "  REJECTED: " << file << "\n";
    }
    print_messages_for(file);
  }
  out << pack.files << " item files: " << pack.items.size() << " ok, " << pack.rejected
      << " rejected\n";
  if (pack.files == 0) {
    out << "no item files (*.toml) found; see board-config/local-content-example/ for examples\n";
    return kExitPayloadRejected;
  }
  if (pack.items.empty()) {
    out << "nothing in this pack can be shown; the kiosk keeps its last good pack\n";
    return kExitPayloadRejected;
  }
  if (pack.rejected > 0) {
    out << "the kiosk will show the " << pack.items.size()
        << " good items; fix the rejected ones and sync again\n";
    return kExitFeedsFailed;
  }
  return kExitOk;
}

// [SECTION] report
// -----------------------------------------------------------------------------------

int CmdReport(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  std::string usage_path = "/var/lib/signpost/usage.db", from_s, to_s, out_dir, site;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](std::string* into) {
      const auto eq = a.find('=');
      if (eq != std::string::npos) {
        *into = a.substr(eq + 1);
        return true;
      }
      if (i + 1 >= args.size()) return false;
      *into = args[++i];
      return true;
    };
    auto is = [&](const char* flag) { return a == flag || a.starts_with(std::string(flag) + "="); };
    bool got = true;
    if (is("--usage")) {
      got = value(&usage_path);
    } else if (is("--from")) {
      got = value(&from_s);
    } else if (is("--to")) {
      got = value(&to_s);
    } else if (is("--out")) {
      got = value(&out_dir);
    } else if (is("--site")) {
      got = value(&site);
    } else {
      err << "content-sync: report: unknown argument " << a << " (see --help)\n";
      return kExitUsage;
    }
    if (!got) {
      err << "content-sync: report: " << a << " needs a value\n";
      return kExitUsage;
    }
  }
  if (out_dir.empty()) {
    err << "content-sync: report needs --out DIR (e.g. a USB stick's folder)\n";
    return kExitUsage;
  }
  auto parse_day = [&](const std::string& s, const char* flag) -> std::optional<Day> {
    auto d = ParseIsoDate(s);
    if (!d || s.size() != 10 || FormatIsoDate(*d) != s) {
      err << "content-sync: report: " << flag << " \"" << s
          << "\" is not a date (use YYYY-MM-DD)\n";
      return std::nullopt;
    }
    return d;
  };
  auto store = usage::UsageStore::Open(usage_path, /*read_only=*/true);
  if (!store.ok()) {
    err << "content-sync: cannot read the usage file: " << store.status().message() << "\n";
    return kExitCatalogue;
  }
  Day to = TodayUtc(), from = 0;
  if (!to_s.empty()) {
    auto d = parse_day(to_s, "--to");
    if (!d) return kExitUsage;
    to = *d;
  }
  if (!from_s.empty()) {
    auto d = parse_day(from_s, "--from");
    if (!d) return kExitUsage;
    from = *d;
  } else if (auto range = (*store)->DataRange(); range.ok()) {
    from = std::min(range->first, to);
  } else {
    from = to - 27;
  }
  if (to < from) {
    err << "content-sync: report: --to is before --from\n";
    return kExitUsage;
  }
  usage::ReportOptions o;
  o.from = from;
  o.to = to;
  o.out_dir = out_dir;
  o.site_name = site;
  auto files = usage::WriteUsageReport(**store, o);
  if (!files.ok()) {
    err << "content-sync: report: " << files.status().message() << "\n";
    return kExitCatalogue;
  }
  out << "usage report for " << FormatHumanDate(from) << " to " << FormatHumanDate(to) << ": "
      << files->sessions << " sessions\n";
  for (const auto& p : files->paths) out << "  " << p << "\n";
  out << "open report.html in any web browser (it needs no internet) or print it\n";
  return kExitOk;
}

}  // namespace

// [SECTION] Dispatch
// ----------------------------------------------------------------------------------

std::optional<int> RunLocalPackCommand(const std::vector<std::string>& argv, std::ostream& out,
                                       std::ostream& err) {
  // The command is the first word that is not an option or an option's value.
  std::size_t i = 0;
  while (i < argv.size() && argv[i].starts_with("-")) {
    const bool takes_value = (argv[i] == "--config" || argv[i] == "--catalogue") &&
                             argv[i].find('=') == std::string::npos;
    i += takes_value ? 2 : 1;
  }
  if (i >= argv.size()) return std::nullopt;
  const std::string& command = argv[i];
  std::vector<std::string> rest(argv.begin() + static_cast<std::ptrdiff_t>(i) + 1, argv.end());
  std::error_code ec;
  // `validate FOLDER` and `validate --kind local-pack FOLDER` are validate-pack too.
  if (command == "validate") {
    std::vector<std::string> files;
    bool pack_kind = false;
    for (std::size_t k = 0; k < rest.size(); ++k) {
      if (rest[k] == "--kind" && k + 1 < rest.size()) {
        pack_kind = rest[++k] == kLocalPackKind;
      } else if (rest[k].starts_with("--kind=")) {
        pack_kind = rest[k].substr(7) == kLocalPackKind;
      } else {
        files.push_back(rest[k]);
      }
    }
    if (pack_kind || (rest.size() == 1 && fs::is_directory(rest[0], ec)))
      return CmdValidatePack(files, out, err);
  }
  if (command != "validate-pack" && command != "report") return std::nullopt;
  return command == "report" ? CmdReport(rest, out, err) : CmdValidatePack(rest, out, err);
}

std::string LocalPackHelpText() {
  return "  validate-pack FOLDER    check a local content pack (adviser times, events, alumni\n"
         "                          stories, notices, links): every problem with its file,\n"
         "                          line and field; imports nothing (exit 0 all good, 1 some\n"
         "                          items rejected, 5 nothing usable)\n"
         "  report --out DIR [--usage FILE] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--site NAME]\n"
         "                          the careers leader's anonymous usage report: report.html\n"
         "                          (opens offline, prints) and CSV files (default usage file\n"
         "                          /var/lib/signpost/usage.db; default dates: all data to "
         "today)\n";
}

}  // namespace signpost::sync
