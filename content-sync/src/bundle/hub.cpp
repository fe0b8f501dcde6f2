// Hub mode. Index:
//   [SECTION] Files
//   [SECTION] Previous state (latest.json, retained bundles)
//   [SECTION] BuildHub
//   [SECTION] Keys
#include "bundle/hub.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

namespace signpost::sync::bundle {

namespace fs = std::filesystem;
using nlohmann::json;

// [SECTION] Files ------------------------------------------------------------------------

namespace {

Status FsyncDir(const std::string& dir) {
  const int fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Status::IoError("cannot open folder " + dir);
  const int rc = fsync(fd);
  close(fd);
  return rc == 0 ? Status::Ok() : Status::IoError("cannot sync folder " + dir);
}

std::string TempNameFor(const std::string& path) {
  const fs::path p(path);
  return (p.parent_path() / (".tmp-" + p.filename().string() + "-" + std::to_string(getpid())))
      .string();
}

Status RenameInto(const std::string& from, const std::string& to) {
  std::error_code ec;
  fs::rename(from, to, ec);
  if (ec) return Status::IoError("cannot rename " + from + " to " + to + ": " + ec.message());
  return Status::Ok();
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string Serial6(std::int64_t s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%06lld", static_cast<long long>(s));
  return buf;
}

}  // namespace

Status WriteFileAtomic(const std::string& path, std::string_view data, int mode) {
  const std::string tmp = TempNameFor(path);
  const int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return Status::IoError("cannot write " + tmp);
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = write(fd, data.data() + done, data.size() - done);
    if (n <= 0) {
      close(fd);
      unlink(tmp.c_str());
      return Status::IoError("cannot write " + path + " (disk full?)");
    }
    done += static_cast<std::size_t>(n);
  }
  if (fsync(fd) != 0) {
    close(fd);
    unlink(tmp.c_str());
    return Status::IoError("cannot sync " + path);
  }
  close(fd);
  if (Status st = RenameInto(tmp, path); !st.ok()) return st;
  return FsyncDir(fs::path(path).parent_path().string());
}

// [SECTION] Previous state ------------------------------------------------------------------

namespace {

bool AllDigits(std::string_view s) {
  return !s.empty() && s.size() <= 18 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "signpost-000042.bundle" (full: from == 0), "signpost-000042-from-000041.bundle",
// either with ".minisig". The serial, or -1 for any other name.
std::int64_t BundleSerial(std::string_view name, bool* full, bool* signature) {
  *signature = name.ends_with(".minisig");
  if (*signature) name.remove_suffix(8);
  if (!name.starts_with("signpost-") || !name.ends_with(".bundle")) return -1;
  name.remove_prefix(9);
  name.remove_suffix(7);
  const auto from = name.find("-from-");
  *full = from == std::string_view::npos;
  const std::string_view serial = *full ? name : name.substr(0, from);
  if (!AllDigits(serial) || (!*full && !AllDigits(name.substr(from + 6)))) return -1;
  return std::stoll(std::string(serial));
}

struct Retained {
  std::int64_t serial = 0;
  std::string path;
  Manifest manifest;
};

// Full bundles in bundles/, newest first (files that do not open are ignored).
std::vector<Retained> RetainedBundles(const std::string& bundles_dir) {
  std::vector<Retained> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(bundles_dir, ec)) {
    bool full = false, signature = false;
    const std::int64_t serial = BundleSerial(e.path().filename().string(), &full, &signature);
    if (serial < 0 || !full || signature) continue;
    auto b = ReadBundleHeader(e.path().string());
    if (!b.ok()) continue;
    out.push_back({serial, e.path().string(), b->manifest});
  }
  std::sort(out.begin(), out.end(),
            [](const Retained& a, const Retained& b) { return a.serial > b.serial; });
  return out;
}

std::int64_t LatestSerial(const std::string& output_dir) {
  json j = json::parse(ReadAll((fs::path(output_dir) / kLatestFile).string()), nullptr, false);
  if (j.is_object() && j.contains("serial") && j["serial"].is_number_integer()) {
    return j["serial"].get<std::int64_t>();
  }
  return 0;
}

bool SameContent(const Manifest& a, const std::vector<EncodedSegment>& now) {
  if (a.feeds.size() != now.size()) return false;
  for (const auto& s : now) {
    const FeedEntry* e = a.Find(s.entry.name);
    if (e == nullptr || e->content_sha256 != s.entry.content_sha256) return false;
  }
  return true;
}

Status SignInto(const std::string& bundle_path, const SecretKey& sk, const Manifest& m,
                const std::string& file_name) {
  const std::string trusted = "timestamp:" + std::to_string(m.created_at) + "\tfile:" + file_name +
                              "\tserial:" + std::to_string(m.serial) +
                              "\tvalid_until:" + FormatIsoTimestamp(m.valid_until) +
                              "\thub:" + m.hub;
  auto sig =
      SignFile(bundle_path, sk, "signature from Signpost hub key " + sk.Public().IdHex(), trusted);
  if (!sig.ok()) return sig.status();
  return WriteFileAtomic(bundle_path + ".minisig", sig.value());
}

// Writes a bundle and its signature under their final names (bundle first,
// via a temporary file; the signature is renamed in after it).
Status PublishBundle(const std::string& dir, const std::string& name, const Manifest& m,
                     const std::vector<EncodedSegment>& segs, const SecretKey& sk,
                     std::int64_t* bytes) {
  const std::string final_path = (fs::path(dir) / name).string();
  const std::string tmp = TempNameFor(final_path);
  if (Status st = WriteBundle(tmp, m, segs); !st.ok()) {
    fs::remove(tmp);
    return st;
  }
  std::error_code ec;
  *bytes = static_cast<std::int64_t>(fs::file_size(tmp, ec));
  // Sign the temporary file (same bytes), then rename both into place.
  if (Status st = SignInto(tmp, sk, m, name); !st.ok()) {
    fs::remove(tmp);
    return st;
  }
  if (Status st = RenameInto(tmp, final_path); !st.ok()) return st;
  if (Status st = RenameInto(tmp + ".minisig", final_path + ".minisig"); !st.ok()) return st;
  return FsyncDir(dir);
}

}  // namespace

// [SECTION] BuildHub ------------------------------------------------------------------------

Result<HubBuildReport> BuildHub(catalogue::Catalogue& cat, const HubOptions& o, UnixTime now) {
  if (o.output_dir.empty()) return Status::InvalidArgument("hub.output_dir is not set");
  if (o.secret_key_file.empty()) return Status::InvalidArgument("hub.secret_key_file is not set");
  auto sk = ReadSecretKeyFile(o.secret_key_file);
  if (!sk.ok()) return sk.status();
  const std::string out_dir = o.output_dir;
  const std::string bundles_dir = (fs::path(out_dir) / "bundles").string();
  std::string work = o.work_dir;
  if (work.empty()) {
    fs::path od = fs::absolute(fs::path(out_dir)).lexically_normal();
    if (od.filename().empty()) od = od.parent_path();  // "/srv/hub/" -> "/srv/hub"
    work = (od.parent_path() / (od.filename().string() + ".work")).string();
  }
  std::error_code ec;
  for (const std::string& d : {out_dir, bundles_dir, work}) {
    fs::create_directories(d, ec);
    if (ec) return Status::IoError("cannot create folder " + d + ": " + ec.message());
  }

  // 1. Segments: hash every feed; compress only those not in the cache.
  auto feeds = catalogue::ListFeeds(cat);
  if (!feeds.ok()) return feeds.status();
  if (feeds->empty()) {
    return Status::InvalidArgument("the hub's catalogue " + cat.path() +
                                   " holds no feeds yet: nothing to publish (sync first)");
  }
  std::vector<EncodedSegment> segs;
  for (const std::string& feed : feeds.value()) {
    auto hash = FeedContentHash(cat, feed);
    if (!hash.ok()) return hash.status();
    const std::string cached = (fs::path(work) / (hash.value() + ".seg")).string();
    const std::string meta_path = cached + ".json";
    EncodedSegment seg;
    json meta = json::parse(ReadAll(meta_path), nullptr, false);
    if (fs::exists(cached, ec) && meta.is_object() && meta.value("name", "") == feed) {
      seg.path = cached;
      seg.entry.name = feed;
      seg.entry.records = meta.value("records", std::int64_t{0});
      seg.entry.raw_bytes = meta.value("raw_bytes", std::int64_t{0});
      seg.entry.content_sha256 = hash.value();
      seg.entry.size = meta.value("size", std::int64_t{0});
      seg.entry.sha256 = meta.value("sha256", "");
      // A damaged cache file is re-encoded, never published.
      if (seg.entry.size != static_cast<std::int64_t>(fs::file_size(cached, ec)) ||
          Sha256Hex(ReadAll(cached)) != seg.entry.sha256) {
        seg.path.clear();
      }
    }
    if (seg.path.empty()) {
      const std::string tmp = TempNameFor(cached);
      auto enc = EncodeFeed(cat, feed, tmp, o.zstd_level);
      if (!enc.ok()) {
        fs::remove(tmp, ec);
        return enc.status();
      }
      if (enc->entry.content_sha256 != hash.value()) {
        fs::remove(tmp, ec);
        return Status::Busy("feed " + feed + " changed while the bundle was built; run again");
      }
      if (Status st = RenameInto(tmp, cached); !st.ok()) return st;
      seg = enc.value();
      seg.path = cached;
      json m = {{"name", feed},
                {"records", seg.entry.records},
                {"raw_bytes", seg.entry.raw_bytes},
                {"size", seg.entry.size},
                {"sha256", seg.entry.sha256}};
      if (Status st = WriteFileAtomic(meta_path, m.dump()); !st.ok()) return st;
    }
    segs.push_back(std::move(seg));
  }

  // 2. Compare with what is published.
  const std::vector<Retained> retained = RetainedBundles(bundles_dir);
  HubBuildReport report;
  const std::int64_t latest = LatestSerial(out_dir);
  const std::int64_t meta_serial = std::stoll(cat.GetMeta("hub.serial").value_or("0"));
  const std::int64_t prev_serial =
      std::max({latest, meta_serial, retained.empty() ? 0 : retained.front().serial});
  const Retained* prev = nullptr;
  for (const auto& r : retained)
    if (r.serial == latest) prev = &r;
  for (const auto& s : segs) {
    const FeedEntry* e = prev ? prev->manifest.Find(s.entry.name) : nullptr;
    if (e == nullptr || e->content_sha256 != s.entry.content_sha256) {
      report.changed_feeds.push_back(s.entry.name);
    }
  }
  if (prev != nullptr) {
    for (const auto& e : prev->manifest.feeds) {
      if (std::none_of(segs.begin(), segs.end(),
                       [&](const EncodedSegment& s) { return s.entry.name == e.name; })) {
        report.changed_feeds.push_back(e.name + " (removed)");
      }
    }
  }
  const std::int64_t half_life = std::int64_t{o.valid_days} * 86400 / 2;
  if (!o.force && prev != nullptr && SameContent(prev->manifest, segs) &&
      prev->manifest.valid_until - now > half_life) {
    report.published = false;
    report.serial = prev->serial;
    report.full_file = "bundles/" + fs::path(prev->path).filename().string();
    report.valid_until = prev->manifest.valid_until;
    report.records = prev->manifest.TotalRecords();
    report.reason = "content unchanged and serial " + std::to_string(prev->serial) +
                    " is valid until " + FormatIsoTimestamp(prev->manifest.valid_until) +
                    ": nothing published";
    return report;
  }

  // 3. The new full bundle.
  Manifest m;
  m.kind = "full";
  m.serial = prev_serial + 1;
  m.created_at = now;
  m.valid_until = now + std::int64_t{o.valid_days} * 86400;
  m.hub = o.name;
  m.key_id = sk->Public().IdHex();
  m.sample = cat.GetMeta("is_sample").value_or("") == "1";
  if (m.sample) m.sample_name = cat.GetMeta("name").value_or("Sample");
  for (const auto& s : segs) m.feeds.push_back(s.entry);
  report.serial = m.serial;
  report.valid_until = m.valid_until;
  report.records = m.TotalRecords();
  const std::string full_name = "signpost-" + Serial6(m.serial) + ".bundle";
  report.full_file = "bundles/" + full_name;
  if (Status st = PublishBundle(bundles_dir, full_name, m, segs, sk.value(), &report.full_bytes);
      !st.ok()) {
    return st;
  }
  // Record the serial in the hub's catalogue too, so a lost output folder
  // never makes the serial go backwards.
  (void)cat.SetMeta("hub.serial", std::to_string(m.serial));

  // 4. Deltas from each retained serial.
  const int keep = std::max(2, o.retention);
  for (std::size_t i = 0; i < retained.size() && i + 1 < static_cast<std::size_t>(keep); ++i) {
    const Retained& base = retained[i];
    Manifest d = m;
    d.kind = "delta";
    d.base_serial = base.serial;
    std::int64_t est = 0;
    for (auto& e : d.feeds) {
      const FeedEntry* old = base.manifest.Find(e.name);
      e.included = old == nullptr || old->content_sha256 != e.content_sha256;
      if (e.included) est += e.size;
    }
    if (static_cast<double>(est) > o.delta_max_fraction * static_cast<double>(report.full_bytes)) {
      report.skipped_deltas.push_back(
          "from " + std::to_string(base.serial) + ": " +
          std::to_string(report.full_bytes > 0 ? est * 100 / report.full_bytes : 100) +
          "% of the full bundle");
      continue;
    }
    const std::string name =
        "signpost-" + Serial6(m.serial) + "-from-" + Serial6(base.serial) + ".bundle";
    DeltaInfo info;
    info.from = base.serial;
    info.file = "bundles/" + name;
    if (Status st = PublishBundle(bundles_dir, name, d, segs, sk.value(), &info.bytes); !st.ok()) {
      return st;
    }
    report.deltas.push_back(info);
  }

  // 5. The pointer, last.
  json deltas = json::array();
  for (const auto& d : report.deltas) {
    deltas.push_back({{"from", d.from}, {"file", d.file}, {"size", d.bytes}});
  }
  json pointer = {{"format", kBundleFormat},
                  {"serial", m.serial},
                  {"created_at", FormatIsoTimestamp(m.created_at)},
                  {"valid_until", FormatIsoTimestamp(m.valid_until)},
                  {"hub", m.hub},
                  {"key_id", m.key_id},
                  {"total_records", m.TotalRecords()},
                  {"full", {{"file", report.full_file}, {"size", report.full_bytes}}},
                  {"deltas", deltas}};
  if (Status st =
          WriteFileAtomic((fs::path(out_dir) / kLatestFile).string(),
                          pointer.dump(1, ' ', false, json::error_handler_t::replace) + "\n");
      !st.ok()) {
    return st;
  }
  report.published = true;
  report.reason = report.changed_feeds.empty() ? "content unchanged; re-signed to extend validity"
                                               : "content changed";

  // 6. Prune: full bundles beyond retention, and deltas to serials no longer kept.
  std::vector<std::int64_t> kept = {m.serial};
  for (std::size_t i = 0; i < retained.size() && kept.size() < static_cast<std::size_t>(keep);
       ++i) {
    kept.push_back(retained[i].serial);
  }
  for (const auto& e : fs::directory_iterator(bundles_dir, ec)) {
    const std::string name = e.path().filename().string();
    if (name.starts_with(".tmp-")) {  // a crashed build's leftovers
      fs::remove(e.path(), ec);
      continue;
    }
    bool full = false, signature = false;
    const std::int64_t s = BundleSerial(name, &full, &signature);
    if (s < 0) continue;
    if (std::find(kept.begin(), kept.end(), s) == kept.end()) {
      fs::remove(e.path(), ec);
      if (!ec) report.pruned.push_back("bundles/" + name);
    }
  }
  // Segment cache: keep what the kept bundles use.
  std::vector<std::string> used;
  for (const auto& s : segs) used.push_back(s.entry.content_sha256);
  for (const auto& r : retained)
    for (const auto& f : r.manifest.feeds) used.push_back(f.content_sha256);
  for (const auto& e : fs::directory_iterator(work, ec)) {
    const std::string name = e.path().filename().string();
    const std::string hash = name.substr(0, name.find('.'));
    if (hash.size() == 64 && std::find(used.begin(), used.end(), hash) == used.end()) {
      fs::remove(e.path(), ec);
    }
  }
  return report;
}

// [SECTION] Keys -------------------------------------------------------------------------------

Result<PublicKey> WriteKeyPair(const std::string& secret_path, const std::string& public_path,
                               const std::string& comment) {
  std::error_code ec;
  if (fs::exists(secret_path, ec)) {
    return Status::InvalidArgument(secret_path +
                                   " already exists; refusing to overwrite a signing key");
  }
  auto sk = GenerateKey();
  if (!sk.ok()) return sk.status();
  const PublicKey pk = sk->Public();
  for (const std::string& p : {secret_path, public_path}) {
    const fs::path dir = fs::path(p).parent_path();
    if (!dir.empty()) fs::create_directories(dir, ec);
  }
  if (Status st = WriteFileAtomic(
          secret_path, SecretKeyFileText(sk.value(), "Signpost hub secret key " + pk.IdHex()),
          0600);
      !st.ok()) {
    return st;
  }
  if (Status st = WriteFileAtomic(
          public_path, PublicKeyFileText(pk, "minisign public key " + pk.IdHex() +
                                                 (comment.empty() ? "" : " " + comment)));
      !st.ok()) {
    return st;
  }
  return pk;
}

}  // namespace signpost::sync::bundle
