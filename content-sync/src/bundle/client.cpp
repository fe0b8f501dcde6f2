// Kiosk side of hub mode. Index:
//   [SECTION] Installed state (catalogue meta)
//   [SECTION] Verify (no writes)
//   [SECTION] Apply
//   [SECTION] USB
//   [SECTION] Pull over HTTP
#include "bundle/client.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "bundle/hub.h"
#include "signpost/sample_data.h"

namespace signpost::sync::bundle {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string ReadAll(const std::string& path, bool* ok = nullptr) {
  std::ifstream in(path, std::ios::binary);
  if (ok) *ok = static_cast<bool>(in);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::int64_t MetaInt(catalogue::Catalogue& cat, const char* key) {
  const auto v = cat.GetMeta(key);
  if (!v || v->empty()) return 0;
  try {
    return std::stoll(*v);
  } catch (...) {
    return 0;
  }
}

ApplyResult Refuse(ApplyResult r, const std::string& reason, const std::string& message) {
  r.result = "refused";
  r.reason = reason;
  r.status = Status::InvalidArgument(message);
  return r;
}

}  // namespace

// [SECTION] Installed state ----------------------------------------------------------

InstalledBundle ReadInstalled(catalogue::Catalogue& cat) {
  InstalledBundle b;
  b.serial = MetaInt(cat, "bundle.serial");
  b.created_at = MetaInt(cat, "bundle.created_at");
  b.valid_until = MetaInt(cat, "bundle.valid_until");
  b.applied_at = MetaInt(cat, "bundle.applied_at");
  b.hub = cat.GetMeta("bundle.hub").value_or("");
  b.key_id = cat.GetMeta("bundle.key_id").value_or("");
  b.source = cat.GetMeta("bundle.source").value_or("");
  json feeds = json::parse(cat.GetMeta("bundle.feeds").value_or("{}"), nullptr, false);
  if (feeds.is_object()) {
    for (auto it = feeds.begin(); it != feeds.end(); ++it) {
      if (it.value().is_string()) b.feeds.emplace_back(it.key(), it.value().get<std::string>());
    }
  }
  return b;
}

namespace {

std::string InstalledHash(const InstalledBundle& b, const std::string& feed) {
  for (const auto& [name, hash] : b.feeds)
    if (name == feed) return hash;
  return "";
}

// [SECTION] Verify -------------------------------------------------------------------------

// Every check a kiosk makes before writing anything. On success `bundle`
// holds the opened file and r.result is "" (apply) or "unchanged".
ApplyResult Verify(catalogue::Catalogue* cat, const std::string& path,
                   const std::vector<PublicKey>& trusted, UnixTime now, BundleFile* bundle) {
  ApplyResult r;
  r.source = path;
  InstalledBundle installed;
  if (cat != nullptr) installed = ReadInstalled(*cat);
  r.serial_before = r.serial_after = installed.serial;
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) {
    r.result = "failed";
    r.status = Status::NotFound("no bundle file at " + path);
    return r;
  }
  bool have_sig = false;
  const std::string sig = ReadAll(path + ".minisig", &have_sig);
  if (!have_sig) {
    return Refuse(r, "no_signature",
                  path + ": no signature file (" + fs::path(path).filename().string() +
                      ".minisig) beside it; copy both files");
  }
  if (trusted.empty()) {
    return Refuse(
        r, "unknown_key",
        "no trusted hub keys are configured ([bundles] trusted_keys): cannot verify " + path);
  }
  VerifyResult v = VerifyFile(path, sig, trusted);
  if (!v.ok()) {
    switch (v.error) {
      case VerifyError::kMalformed:
        return Refuse(r, "no_signature", path + ".minisig: " + v.message);
      case VerifyError::kUnknownKey:
        return Refuse(r, "unknown_key", path + ": " + v.message);
      case VerifyError::kIo:
        r.result = "failed";
        r.status = Status::IoError(v.message);
        return r;
      default: {
        // Say "truncated" when the header shows the file is short.
        auto opened = OpenBundle(path);
        if (!opened.ok() && opened.status().message().find("truncated") != std::string::npos) {
          return Refuse(r, "truncated",
                        opened.status().message() + " (an incomplete download or copy)");
        }
        return Refuse(r, "bad_signature", path + ": " + v.message);
      }
    }
  }
  auto opened = OpenBundle(path);
  if (!opened.ok()) {
    if (opened.status().code() == Status::Code::kTooNew) {
      return Refuse(r, "format", opened.status().message());
    }
    return Refuse(r, "damaged", opened.status().message());
  }
  const Manifest& m = opened->manifest;
  if (m.key_id != v.key.IdHex()) {
    return Refuse(
        r, "bad_signature",
        path + ": the manifest names key " + m.key_id + " but key " + v.key.IdHex() + " signed it");
  }
  if (m.serial < installed.serial) {
    return Refuse(r, "rollback",
                  path + " is serial " + std::to_string(m.serial) +
                      ", older than the catalogue's serial " + std::to_string(installed.serial) +
                      " (a kiosk never goes back)");
  }
  if (now > m.valid_until) {
    return Refuse(r, "expired",
                  path + " (serial " + std::to_string(m.serial) + ") expired at " +
                      FormatIsoTimestamp(m.valid_until) +
                      "; the hub must publish a fresh bundle (is it still running?)");
  }
  if (m.serial == installed.serial) {
    r.result = "unchanged";
    r.records = m.TotalRecords();
    r.status = Status::Ok();
    *bundle = std::move(opened.value());
    return r;
  }
  if (m.kind == "delta") {
    if (m.base_serial != installed.serial) {
      return Refuse(r, "needs_full",
                    path + " is a delta from serial " + std::to_string(m.base_serial) +
                        "; this catalogue has serial " + std::to_string(installed.serial) +
                        ": use the full bundle");
    }
    for (const auto& e : m.feeds) {
      if (!e.included && InstalledHash(installed, e.name) != e.content_sha256) {
        return Refuse(r, "needs_full",
                      path + " does not carry feed " + e.name +
                          ", and this catalogue's copy differs: use the full bundle");
      }
    }
  }
  // The signature covers the file; this catches a hub that wrote a manifest
  // not matching its own segments, before anything is imported.
  if (Status st = CheckSegmentHashes(opened.value()); !st.ok()) {
    return Refuse(r, "damaged", st.message());
  }
  r.result = "";
  r.records = m.TotalRecords();
  *bundle = std::move(opened.value());
  return r;
}

// [SECTION] Apply ---------------------------------------------------------------------------

Status SaveFeedHashes(catalogue::Catalogue& cat, const std::map<std::string, std::string>& h) {
  json j = json::object();
  for (const auto& [k, v] : h) j[k] = v;
  return cat.SetMeta("bundle.feeds", j.dump());
}

ApplyResult Apply(catalogue::Catalogue& cat, ApplyResult r, const BundleFile& b, UnixTime now) {
  const Manifest& m = b.manifest;
  const InstalledBundle installed = ReadInstalled(cat);
  std::map<std::string, std::string> hashes(installed.feeds.begin(), installed.feeds.end());
  // Real content replaces the bundled sample (as the first feed sync does).
  if (!m.sample && cat.GetMeta("is_sample").value_or("") == "1") {
    if (Status st = RemoveSampleCatalogue(&cat); !st.ok()) {
      r.result = "failed";
      r.status = st;
      return r;
    }
  }
  for (const auto& e : m.feeds) {
    if (hashes.count(e.name) && hashes[e.name] == e.content_sha256) continue;  // already current
    if (!e.included) {  // Verify() made sure this cannot happen for a delta
      r.result = "failed";
      r.status = Status::Internal("feed " + e.name + " is not in " + b.path);
      return r;
    }
    catalogue::ImportOptions opts;
    opts.min_fraction_of_previous = 0;  // the hub already applied its safety rules
    opts.today = DayOf(now);
    auto imp = cat.BeginImport(e.name, opts);
    if (!imp.ok()) {
      r.result = "failed";
      r.status = imp.status();
      return r;
    }
    if (Status st = DecodeSegment(b, e, *imp.value(), &cat); !st.ok()) {
      r.result = "failed";
      r.status = Status::Corrupt(st.message() + "; nothing of feed " + e.name + " was imported");
      return r;
    }
    auto report = imp.value()->Commit();
    if (!report.ok()) {
      r.result = "failed";
      r.status = report.status();
      return r;
    }
    hashes[e.name] = e.content_sha256;
    r.imported.push_back(e.name);
    (void)SaveFeedHashes(cat, hashes);
  }
  for (const auto& [name, hash] : installed.feeds) {
    if (m.Find(name) != nullptr) continue;
    if (Status st = cat.RemoveFeed(name); !st.ok()) {
      r.result = "failed";
      r.status = st;
      return r;
    }
    hashes.erase(name);
    r.removed.push_back(name);
    (void)SaveFeedHashes(cat, hashes);
  }
  if (m.sample) {  // a demo hub publishing the sample: keep saying "Sample data"
    (void)cat.SetMeta("is_sample", "1");
    (void)cat.SetMeta("name", m.sample_name);
  }
  for (const auto& [k, v] : std::vector<std::pair<std::string, std::string>>{
           {"bundle.created_at", std::to_string(m.created_at)},
           {"bundle.valid_until", std::to_string(m.valid_until)},
           {"bundle.applied_at", std::to_string(now)},
           {"bundle.hub", m.hub},
           {"bundle.key_id", m.key_id},
           {"bundle.source", r.source},
           {"bundle.serial", std::to_string(m.serial)}}) {  // serial last
    if (Status st = cat.SetMeta(k, v); !st.ok()) {
      r.result = "failed";
      r.status = st;
      return r;
    }
  }
  r.result = "ok";
  r.status = Status::Ok();
  r.serial_after = m.serial;
  return r;
}

}  // namespace

ApplyResult CheckBundleFile(catalogue::Catalogue* cat, const std::string& bundle_path,
                            const std::vector<PublicKey>& trusted, UnixTime now,
                            Manifest* manifest_out) {
  BundleFile b;
  ApplyResult r = Verify(cat, bundle_path, trusted, now, &b);
  if (manifest_out) *manifest_out = b.manifest;
  if (r.result.empty()) {
    r.result = "ok";
    r.status = Status::Ok();
    r.serial_after = b.manifest.serial;
  }
  return r;
}

ApplyResult ImportBundleFile(catalogue::Catalogue& cat, const std::string& bundle_path,
                             const std::vector<PublicKey>& trusted, UnixTime now) {
  BundleFile b;
  ApplyResult r = Verify(&cat, bundle_path, trusted, now, &b);
  if (!r.result.empty()) return r;
  return Apply(cat, std::move(r), b, now);
}

// [SECTION] USB --------------------------------------------------------------------------------

std::vector<FoundBundle> FindBundlesIn(const std::string& dir) {
  std::vector<FoundBundle> out;
  for (const fs::path& d : {fs::path(dir), fs::path(dir) / "bundles"}) {
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(d, ec)) {
      const std::string name = e.path().filename().string();
      if (!name.ends_with(".bundle") || name.find("-from-") != std::string::npos) continue;
      if (!fs::exists(e.path().string() + ".minisig", ec)) continue;
      auto b = OpenBundle(e.path().string());
      if (!b.ok() || b->manifest.kind != "full") continue;
      out.push_back({e.path().string(), b->manifest.serial, b->manifest.created_at,
                     b->manifest.valid_until, b->manifest.TotalRecords()});
    }
  }
  std::sort(out.begin(), out.end(),
            [](const FoundBundle& a, const FoundBundle& b) { return a.serial > b.serial; });
  return out;
}

// [SECTION] Pull over HTTP -----------------------------------------------------------------------

namespace {

std::string JoinUrl(std::string base, const std::string& rel) {
  if (!base.empty() && base.back() != '/') base += '/';
  return base + rel;
}

struct MirrorState {
  std::string etag;
  std::string last_modified;
  std::int64_t serial = 0;  // the serial that answer described
};

json LoadState(const std::string& path) {
  if (path.empty()) return json::object();
  json j = json::parse(ReadAll(path), nullptr, false);
  return j.is_object() ? j : json::object();
}

// Downloads `url` into `path`. ok, or why not (offline set when not online).
Status Download(Fetcher& fetcher, const std::string& url, const std::string& path, bool* offline,
                ApplyResult* r) {
  HttpRequest req;
  req.url = url;
  FetchResult f = fetcher.Fetch(req, PayloadType::kJson);
  r->requests += f.attempts;
  if (!f.status.ok()) {
    *offline = f.offline;
    return f.status;
  }
  r->bytes_downloaded += static_cast<std::int64_t>(f.response.body.size());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  const std::string_view body = f.response.body.view();
  out.write(body.data(), static_cast<std::streamsize>(body.size()));
  out.close();
  if (!out) return Status::IoError("cannot write " + path + " (disk full?)");
  return Status::Ok();
}

}  // namespace

ApplyResult PullFromHubs(catalogue::Catalogue& cat, HttpTransport* transport, Clock* clock,
                         const PullOptions& o) {
  ApplyResult last;
  last.result = "failed";
  last.status = Status::InvalidArgument("no hub URLs configured ([bundles] hub_urls)");
  const std::int64_t current = ReadInstalled(cat).serial;
  last.serial_before = last.serial_after = current;
  std::error_code ec;
  fs::create_directories(o.download_dir, ec);
  if (ec) {
    last.status = Status::IoError("cannot create " + o.download_dir + ": " + ec.message());
    return last;
  }
  json state = LoadState(o.state_file);
  if (!state.contains("mirrors") || !state["mirrors"].is_object())
    state["mirrors"] = json::object();
  Fetcher fetcher(transport, clock, o.retry, o.seed != 0 ? o.seed : std::random_device{}());
  bool all_offline = true;
  int requests = 0;
  std::int64_t bytes = 0;
  std::vector<std::string> problems;

  for (const std::string& base : o.hub_urls) {
    ApplyResult r;
    r.serial_before = r.serial_after = current;
    r.source = base;
    json& ms = state["mirrors"][base];
    if (!ms.is_object()) ms = json::object();
    // 1. latest.json, conditional when we already hold what it described.
    HttpRequest req;
    req.url = JoinUrl(base, kLatestFile);
    if (ms.value("serial", std::int64_t{0}) == current && current > 0) {
      req.if_none_match = ms.value("etag", "");
      req.if_modified_since = ms.value("last_modified", "");
    }
    FetchResult f = fetcher.Fetch(req, PayloadType::kJson);
    requests += f.attempts;
    if (!f.status.ok()) {
      problems.push_back(base + ": " + f.status.message());
      if (!f.offline) all_offline = false;
      last = r;
      last.result = f.offline ? "offline" : "failed";
      last.status = f.status;
      continue;
    }
    all_offline = false;
    if (f.not_modified) {
      r.result = "unchanged";
      r.status = Status::Ok();
      r.requests = requests;
      last = r;
      break;
    }
    bytes += static_cast<std::int64_t>(f.response.body.size());
    json p = json::parse(f.response.body.view(), nullptr, false);
    if (!p.is_object() || !p.contains("serial") || !p["serial"].is_number_integer() ||
        !p.contains("full") || !p["full"].is_object()) {
      problems.push_back(base + ": latest.json is not a Signpost hub pointer");
      last = r;
      last.result = "failed";
      last.status = Status::Corrupt(req.url + " is not a Signpost hub pointer");
      continue;
    }
    const std::int64_t serial = p["serial"].get<std::int64_t>();
    auto remember = [&] {
      ms["etag"] = f.response.etag;
      ms["last_modified"] = f.response.last_modified;
      ms["serial"] = serial;
    };
    if (serial == current) {
      remember();
      r.result = "unchanged";
      r.status = Status::Ok();
      last = r;
      break;
    }
    if (serial < current) {
      problems.push_back(base + ": offers serial " + std::to_string(serial) +
                         ", older than ours (" + std::to_string(current) + ")");
      last = Refuse(r, "rollback",
                    base + " offers serial " + std::to_string(serial) +
                        ", older than the catalogue's " + std::to_string(current) +
                        " (a mirror behind, or a rollback attempt)");
      continue;
    }
    // The pointer is not signed, so it can only make us skip a download: an
    // expired newest bundle is refused here without fetching it (every poll).
    if (const auto vu = ParseIsoTimestamp(p.value("valid_until", "")); vu && *vu < clock->Now()) {
      problems.push_back(base + ": its newest bundle expired at " + FormatIsoTimestamp(*vu));
      last = Refuse(r, "expired",
                    base + " offers serial " + std::to_string(serial) + ", which expired at " +
                        FormatIsoTimestamp(*vu) +
                        "; the hub must publish a fresh bundle (is it still running?)");
      continue;
    }
    // 2. The delta from our serial if there is one, else the full bundle.
    std::vector<std::string> files;
    if (current > 0 && p.contains("deltas") && p["deltas"].is_array()) {
      for (const auto& d : p["deltas"]) {
        if (d.is_object() && d.value("from", std::int64_t{-1}) == current) {
          files.push_back(d.value("file", ""));
        }
      }
    }
    files.push_back(p["full"].value("file", ""));
    ApplyResult applied;
    for (const std::string& rel : files) {
      if (rel.empty() || rel.find("..") != std::string::npos) continue;
      const std::string name = fs::path(rel).filename().string();
      const std::string local = (fs::path(o.download_dir) / name).string();
      bool offline = false;
      Status st = Download(fetcher, JoinUrl(base, rel), local, &offline, &applied);
      if (st.ok())
        st = Download(fetcher, JoinUrl(base, rel) + ".minisig", local + ".minisig", &offline,
                      &applied);
      if (!st.ok()) {
        fs::remove(local, ec);
        fs::remove(local + ".minisig", ec);
        applied.result = offline ? "offline" : "failed";
        applied.status = st;
        applied.source = JoinUrl(base, rel);
        break;  // the mirror went away mid-pull: try the next one
      }
      ApplyResult a = ImportBundleFile(cat, local, o.trusted, clock->Now());
      a.requests += applied.requests;
      a.bytes_downloaded += applied.bytes_downloaded;
      a.source = JoinUrl(base, rel);
      applied = a;
      fs::remove(local, ec);
      fs::remove(local + ".minisig", ec);
      if (a.reason == "needs_full") continue;  // delta did not fit: the full bundle next
      break;
    }
    applied.requests += requests;
    applied.bytes_downloaded += bytes;
    requests = 0;
    bytes = 0;
    if (applied.ok()) {
      remember();
      last = applied;
      break;
    }
    problems.push_back(applied.source + ": " + applied.status.message());
    last = applied;
  }
  if (last.result == "offline" && !all_offline) last.result = "failed";
  if (last.requests == 0) last.requests = requests;
  if (!last.ok() && problems.size() > 1) {
    std::string all;
    for (const auto& pr : problems) all += (all.empty() ? "" : "; ") + pr;
    if (last.result == "refused") {
      last.status = Status::InvalidArgument("every hub failed: " + all);
    } else {
      last.status = Status::Unavailable("every hub failed: " + all);
      last.result = all_offline ? "offline" : "failed";
    }
  }
  // Bookkeeping.
  state["last_attempt"] = FormatIsoTimestamp(clock->Now());
  state["result"] = last.result;
  state["reason"] = last.reason;
  state["message"] = last.ok() ? "" : last.status.message();
  state["source"] = last.source;
  state["bytes_downloaded"] = last.bytes_downloaded;
  if (last.ok()) state["last_success"] = FormatIsoTimestamp(clock->Now());
  if (!o.state_file.empty()) {
    (void)WriteFileAtomic(o.state_file, state.dump(1) + "\n");
  }
  return last;
}

int ExitCodeForBundle(const ApplyResult& r) {
  if (r.ok()) return 0;
  if (r.result == "offline") return 4;
  if (r.result == "refused") return kExitBundleRefused;
  return 1;
}

}  // namespace signpost::sync::bundle
