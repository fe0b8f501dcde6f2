#include "kiosk/usb_update.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace signpost::kiosk {

namespace fs = std::filesystem;

const std::vector<std::string>& DefaultUsbRoots() {
  static const std::vector<std::string> roots = {"/media", "/run/media", "/mnt"};
  return roots;
}

std::optional<UsbBundle> FindUsbBundle(const std::vector<std::string>& roots) {
  std::optional<UsbBundle> best;
  int seen = 0;
  for (const auto& root : roots) {
    std::error_code ec;
    fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec);
    for (; !ec && it != fs::recursive_directory_iterator() && seen < 5000; it.increment(ec)) {
      ++seen;
      if (it.depth() >= 4) it.disable_recursion_pending();
      const fs::path& p = it->path();
      if (p.extension() != ".bundle" || !it->is_regular_file(ec)) continue;
      if (!fs::exists(p.string() + ".minisig", ec)) continue;
      const std::string name = p.filename().string();
      if (best && name <= best->name) continue;
      best = UsbBundle{p.string(), name, fs::file_size(p, ec)};
    }
  }
  return best;
}

std::string UsbImportRequestPath(const std::string& sync_request_file) {
  return (fs::path(sync_request_file).parent_path() / "import-now").string();
}

std::string UsbImportResultPath(const std::string& sync_request_file) {
  return (fs::path(sync_request_file).parent_path() / "import-result.json").string();
}

Status RequestUsbImport(const std::string& request_file, const std::string& bundle_path) {
  const std::string tmp = request_file + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << bundle_path << "\n";
    if (!out.flush()) {
      return Status::IoError("cannot write " + tmp +
                             " (is the folder there and writable by the kiosk?)");
    }
  }
  std::error_code ec;
  fs::rename(tmp, request_file, ec);
  if (ec) {
    fs::remove(tmp, ec);
    return Status::IoError("cannot create " + request_file + ": " + ec.message());
  }
  return Status::Ok();
}

std::optional<UsbImportResult> ReadUsbImportResult(const std::string& result_file) {
  std::ifstream in(result_file);
  if (!in) return std::nullopt;
  std::stringstream s;
  s << in.rdbuf();
  const auto j = nlohmann::json::parse(s.str(), nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("result") || !j["result"].is_string()) return std::nullopt;
  UsbImportResult r;
  r.result = j["result"].get<std::string>();
  if (j.contains("reason") && j["reason"].is_string()) r.reason = j["reason"].get<std::string>();
  if (j.contains("message") && j["message"].is_string())
    r.message = j["message"].get<std::string>();
  if (j.contains("serial") && j["serial"].is_number_integer())
    r.serial = j["serial"].get<std::int64_t>();
  if (j.contains("at") && j["at"].is_number_integer()) r.at = j["at"].get<std::int64_t>();
  return r;
}

}  // namespace signpost::kiosk
