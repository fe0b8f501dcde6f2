#include "sync/state_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace signpost::sync {
namespace {

using nlohmann::json;

json TimeOrNull(const std::optional<UnixTime>& t) {
  return t ? json(FormatIsoTimestamp(*t)) : json(nullptr);
}

std::optional<UnixTime> TimeFrom(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return std::nullopt;
  return ParseIsoTimestamp(it->get<std::string>());
}

Status WriteAll(int fd, const std::string& data, const std::string& path) {
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::IoError("cannot write " + path + ": " + std::strerror(errno));
    }
    done += static_cast<std::size_t>(n);
  }
  return Status::Ok();
}

}  // namespace

StateMap LoadStateFile(const std::string& path, Status* problem) {
  StateMap out;
  std::ifstream in(path, std::ios::binary);
  if (!in) return out;
  std::ostringstream ss;
  ss << in.rdbuf();
  const json doc = json::parse(ss.str(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("feeds") ||
      !doc["feeds"].is_object()) {
    if (problem) *problem = Status::Corrupt(path + " is damaged; starting fresh bookkeeping");
    return out;
  }
  for (const auto& [name, j] : doc["feeds"].items()) {
    if (!j.is_object()) continue;
    catalogue::SyncState s;
    s.feed = name;
    s.last_attempt = TimeFrom(j, "last_attempt");
    s.last_success = TimeFrom(j, "last_success");
    s.result = j.value("result", "");
    s.records = j.value("records", std::int64_t{0});
    s.skipped = j.value("skipped", std::int64_t{0});
    s.last_error = j.value("last_error", "");
    s.etag = j.value("etag", "");
    s.last_modified = j.value("last_modified", "");
    out[name] = std::move(s);
  }
  return out;
}

Status SaveStateFile(const std::string& path, const StateMap& states) {
  json feeds = json::object();
  for (const auto& [name, s] : states) {
    feeds[name] = {{"last_attempt", TimeOrNull(s.last_attempt)},
                   {"last_success", TimeOrNull(s.last_success)},
                   {"result", s.result},
                   {"records", s.records},
                   {"skipped", s.skipped},
                   {"last_error", s.last_error},
                   {"etag", s.etag},
                   {"last_modified", s.last_modified}};
  }
  const json doc = {{"version", 1}, {"feeds", feeds}};
  // Replace invalid UTF-8 (an error message quoting upstream text) rather than throw.
  const std::string text = doc.dump(2, ' ', false, json::error_handler_t::replace) + "\n";

  const std::filesystem::path target(path);
  const std::string tmp = path + ".tmp";
  const int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Status::IoError("cannot write " + tmp + ": " + std::strerror(errno));
  Status st = WriteAll(fd, text, tmp);
  if (st.ok() && fsync(fd) != 0)
    st = Status::IoError("cannot fsync " + tmp + ": " + std::strerror(errno));
  close(fd);
  if (st.ok() && rename(tmp.c_str(), path.c_str()) != 0) {
    st = Status::IoError("cannot replace " + path + ": " + std::strerror(errno));
  }
  if (!st.ok()) {
    unlink(tmp.c_str());
    return st;
  }
  const std::string dir =
      target.has_parent_path() ? target.parent_path().string() : std::string(".");
  const int dfd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    fsync(dfd);
    close(dfd);
  }
  return Status::Ok();
}

}  // namespace signpost::sync
