#include "local_pack/pack_signature.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "bundle/bundle_format.h"
#include "bundle/hub.h"
#include "common/untrusted_file.h"

namespace signpost::sync {

namespace fs = std::filesystem;

namespace {

constexpr std::int64_t kMaxManifestBytes = 1 << 20;
constexpr std::int64_t kMaxPackFileBytes = 8 << 20;  // above any item or picture limit
constexpr int kMaxPackFiles = 5000;
constexpr const char* kManifestHeader = "signpost-pack 1";

bool Hidden(const fs::path& p) {
  const std::string n = p.filename().string();
  return n.starts_with(".") || n.starts_with("_");
}

}  // namespace

Result<std::string> BuildPackManifest(const std::string& dir) {
  std::error_code ec;
  const fs::path root = fs::absolute(dir, ec);
  if (!fs::is_directory(fs::symlink_status(root, ec)))
    return Status::NotFound(dir + " is not a folder");
  std::vector<std::pair<std::string, std::string>> lines;
  fs::recursive_directory_iterator it(root, fs::directory_options::none, ec);
  if (ec) return Status::IoError("cannot read " + dir + ": " + ec.message());
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) return Status::IoError("cannot read " + dir + ": " + ec.message());
    const fs::path& p = it->path();
    const auto st = it->symlink_status(ec);
    if (Hidden(p)) {
      if (fs::is_directory(st)) it.disable_recursion_pending();
      continue;
    }
    if (fs::is_directory(st)) {
      if (it.depth() >= 2) it.disable_recursion_pending();
      continue;
    }
    const std::string rel = p.lexically_relative(root).generic_string();
    if (!fs::is_regular_file(st)) {
      return Status::InvalidArgument(rel +
                                     " is a link or a special file: copy the file itself "
                                     "into the pack, then sign it");
    }
    if (static_cast<int>(lines.size()) >= kMaxPackFiles)
      return Status::InvalidArgument(dir + " holds too many files to sign");
    auto bytes = ReadUntrustedFile(p.string(), kMaxPackFileBytes);
    if (!bytes.ok()) return bytes.status();
    lines.emplace_back(rel, bundle::Sha256Hex(bytes.value()));
  }
  std::sort(lines.begin(), lines.end());
  std::string out = std::string(kManifestHeader) + "\n";
  for (const auto& [rel, hash] : lines) out += hash + "  " + rel + "\n";
  return out;
}

Result<int> SignPack(const std::string& dir, const bundle::SecretKey& key) {
  auto manifest = BuildPackManifest(dir);
  if (!manifest.ok()) return manifest.status();
  const std::string manifest_path = (fs::path(dir) / kPackManifestFile).string();
  if (Status st = bundle::WriteFileAtomic(manifest_path, manifest.value()); !st.ok()) return st;
  auto sig = bundle::SignFile(manifest_path, key, "signpost local content pack",
                              "signpost-pack " + fs::path(dir).filename().string());
  if (!sig.ok()) return sig.status();
  if (Status st =
          bundle::WriteFileAtomic((fs::path(dir) / kPackSignatureFile).string(), sig.value());
      !st.ok())
    return st;
  return static_cast<int>(std::count(manifest->begin(), manifest->end(), '\n')) - 1;
}

Result<PackSignature> VerifyPackSignature(const std::string& dir,
                                          const std::vector<bundle::PublicKey>& trusted) {
  const std::string manifest_path = (fs::path(dir) / kPackManifestFile).string();
  auto manifest = ReadUntrustedFile(manifest_path, kMaxManifestBytes);
  auto sig = ReadUntrustedFile((fs::path(dir) / kPackSignatureFile).string(), 64 << 10);
  if (!manifest.ok() || !sig.ok()) {
    if ((!manifest.ok() && manifest.status().code() == Status::Code::kNotFound) ||
        (!sig.ok() && sig.status().code() == Status::Code::kNotFound))
      return Status::NotFound(dir +
                              " is not signed; a pack on a USB stick must be signed by the hub "
                              "(content-sync hub sign-pack FOLDER), or copied onto the kiosk by "
                              "a technician");
    return !manifest.ok() ? manifest.status() : sig.status();
  }
  if (trusted.empty())
    return Status::InvalidArgument(
        "no trusted hub keys are configured ([bundles] trusted_keys): "
        "cannot check the signature of " +
        dir);
  const bundle::VerifyResult v = bundle::VerifyBytes(manifest.value(), sig.value(), trusted);
  if (!v.ok()) return Status::InvalidArgument(dir + ": " + v.message);
  PackSignature out;
  out.key_id = v.key.IdHex();
  std::istringstream in(manifest.value());
  std::string line;
  if (!std::getline(in, line) || line != kManifestHeader)
    return Status::InvalidArgument(dir + ": the signed manifest is not a Signpost pack manifest");
  while (std::getline(in, line)) {
    if (line.size() < 67 || line.compare(64, 2, "  ") != 0)
      return Status::InvalidArgument(dir + ": the signed manifest is damaged");
    out.files[line.substr(66)] = line.substr(0, 64);
  }
  return out;
}

bool PackNeedsSignature(const std::string& pack_dir, const std::string& catalogue_path) {
  std::error_code ec;
  const std::string abs = fs::weakly_canonical(fs::absolute(pack_dir, ec), ec).string();
  for (const char* removable : {"/media/", "/run/media/", "/mnt/"}) {
    if (abs.starts_with(removable)) return true;
  }
  struct stat a {
  }, b{};
  const std::string cat_dir = fs::absolute(catalogue_path, ec).parent_path().string();
  if (stat(abs.c_str(), &a) != 0 || stat(cat_dir.c_str(), &b) != 0) return true;
  return a.st_dev != b.st_dev;
}

}  // namespace signpost::sync
