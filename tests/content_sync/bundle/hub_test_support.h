// Test support for hub mode: temporary folders, a hub catalogue built from
// the sample catalogue, a feed that tests change to make deltas, content
// digests to compare kiosks with the hub, and a real nginx (Debian's
// nginx-light) serving a hub's output folder on 127.0.0.1.
//
// NginxServer runs nginx in the foreground as a child process (no root:
// its own prefix, pid, logs and temp folders under the test's folder),
// with PR_SET_PDEATHSIG so it dies with the test process even if the test
// crashes; the destructor stops it (SIGTERM, then SIGKILL). Used by the
// e2e tests and by bench/hub_load.cpp. Thread safety: one owner thread.
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "bundle/bundle_format.h"
#include "bundle/hub.h"
#include "bundle/minisign.h"
#include "signpost/catalogue.h"
#include "signpost/export.h"
#include "signpost/sample_data.h"

namespace signpost::sync::testing {

namespace fs = std::filesystem;

inline std::string MakeTempDir(const std::string& tag) {
  std::string tmpl = (fs::temp_directory_path() / ("signpost-hub-" + tag + "-XXXXXX")).string();
  char* made = mkdtemp(tmpl.data());
  return made ? std::string(made) : std::string();
}

class TempDir {
 public:
  explicit TempDir(const std::string& tag) : path_(MakeTempDir(tag)) {}
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return (fs::path(path_) / name).string(); }

 private:
  std::string path_;
};

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline void WriteFile(const std::string& path, const std::string& data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << data;
}

inline std::unique_ptr<catalogue::Catalogue> OpenCatalogue(const std::string& path) {
  auto c = catalogue::Catalogue::Open(path);
  return c.ok() ? std::move(c.value()) : nullptr;
}

// The sample catalogue, marked as real data (as if a hub had synced it).
inline std::unique_ptr<catalogue::Catalogue> MakeHubCatalogue(const std::string& path) {
  auto cat = OpenCatalogue(path);
  if (!cat) return nullptr;
  if (!LoadSampleCatalogue(cat.get(), DefaultSampleDir(), TodayUtc()).ok()) return nullptr;
  if (!cat->SetMeta("is_sample", "0").ok()) return nullptr;
  return cat;
}

// Replaces the "news" feed with `count` notices whose text carries `tag`,
// each with `filler_bytes` of incompressible text (to make big bundles).
inline Status PutNewsFeed(catalogue::Catalogue& cat, int count, const std::string& tag,
                          std::size_t filler_bytes = 0, std::uint64_t seed = 1) {
  auto imp = cat.BeginImport("news");
  if (!imp.ok()) return imp.status();
  std::mt19937_64 rng(seed);
  static const char kAlphabet[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  for (int i = 0; i < count; ++i) {
    catalogue::LocalItem l;
    l.source_id = "news-" + std::to_string(i);
    l.kind = catalogue::LocalKind::kNotice;
    l.title = "Notice " + std::to_string(i) + " " + tag;
    l.body = "Careers news " + tag + ". ";
    for (std::size_t k = 0; k < filler_bytes; ++k) l.body += kAlphabet[rng() % 62];
    if (Status st = imp.value()->AddLocalItem(l); !st.ok()) return st;
  }
  auto r = imp.value()->Commit();
  return r.ok() ? Status::Ok() : r.status();
}

// Equal digests = the catalogues show the same content (bundle::CatalogueDigest).
inline std::string ContentDigest(catalogue::Catalogue& cat) {
  auto d = bundle::CatalogueDigest(cat);
  return d.ok() ? d.value() : "error: " + d.status().message();
}

struct KeyFiles {
  std::string secret_path;
  std::string public_path;
  bundle::PublicKey pub;
};

inline KeyFiles MakeKey(const std::string& dir, const std::string& name) {
  KeyFiles k;
  k.secret_path = (fs::path(dir) / (name + ".key")).string();
  k.public_path = (fs::path(dir) / (name + ".pub")).string();
  auto pk = bundle::WriteKeyPair(k.secret_path, k.public_path, name);
  if (pk.ok()) k.pub = pk.value();
  return k;
}

inline int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  socklen_t len = sizeof a;
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0) {
    port = ntohs(a.sin_port);
  }
  close(fd);
  return port;
}

inline bool CanConnect(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  const bool ok = connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  close(fd);
  return ok;
}

inline const char* NginxBinary() {
  for (const char* p : {"/usr/sbin/nginx", "/usr/bin/nginx"}) {
    if (access(p, X_OK) == 0) return p;
  }
  return nullptr;
}

class NginxServer {
 public:
  // Serves `root` on 127.0.0.1; files under /bundles/ at `bundle_rate`
  // bytes/s when > 0 (to stop it mid-download). `work` holds its own files.
  NginxServer(std::string root, std::string work, long bundle_rate = 0)
      : root_(std::move(root)), work_(std::move(work)), rate_(bundle_rate) {}
  ~NginxServer() { Stop(); }
  NginxServer(const NginxServer&) = delete;
  NginxServer& operator=(const NginxServer&) = delete;

  // Starts nginx and waits (bounded) until it accepts connections.
  bool Start() {
    for (int attempt = 0; attempt < 3 && pid_ <= 0; ++attempt) {
      if (port_ == 0) port_ = FreePort();
      WriteConfig();
      const pid_t pid = fork();
      if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        const int devnull = open("/dev/null", O_RDWR);
        dup2(devnull, 1);
        dup2(devnull, 2);
        execl(NginxBinary(), "nginx", "-p", work_.c_str(), "-e", (work_ + "/error.log").c_str(),
              "-c", (work_ + "/nginx.conf").c_str(), static_cast<char*>(nullptr));
        _exit(127);
      }
      pid_ = pid;
      for (int i = 0; i < 500; ++i) {  // up to 5 s
        if (CanConnect(port_)) return true;
        int status = 0;
        if (waitpid(pid_, &status, WNOHANG) == pid_) {  // failed (port taken?): new port
          pid_ = -1;
          port_ = 0;
          break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
    }
    return pid_ > 0 && CanConnect(port_);
  }

  // SIGKILL: the hub dies, as a power cut would.
  void Kill() { Signal(SIGKILL); }
  void Stop() { Signal(SIGTERM); }
  // Same port again (mirrors configured by URL keep working).
  bool Restart() {
    Stop();
    return Start();
  }

  int port() const { return port_; }
  std::string Url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/"; }
  std::string access_log() const { return work_ + "/access.log"; }

  // Access-log lines: "<status> <uri> <bytes>".
  std::vector<std::string> AccessLines() const {
    std::vector<std::string> out;
    std::istringstream in(ReadFile(access_log()));
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
  }

 private:
  void Signal(int sig) {
    if (pid_ <= 0) return;
    kill(pid_, sig);
    for (int i = 0; i < 300; ++i) {  // up to 3 s, then SIGKILL
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }

  void WriteConfig() {
    fs::create_directories(work_);
    std::ostringstream c;
    c << "daemon off;\nmaster_process off;\nworker_processes 1;\n"
      << "pid " << work_ << "/nginx.pid;\n"
      << "error_log " << work_ << "/error.log warn;\n"
      << "events { worker_connections 1024; }\n"
      << "http {\n  include /etc/nginx/mime.types;\n  default_type application/octet-stream;\n"
      << "  client_body_temp_path " << work_ << "/tmp_body;\n"
      << "  proxy_temp_path " << work_ << "/tmp_proxy;\n"
      << "  fastcgi_temp_path " << work_ << "/tmp_fastcgi;\n"
      << "  uwsgi_temp_path " << work_ << "/tmp_uwsgi;\n"
      << "  scgi_temp_path " << work_ << "/tmp_scgi;\n"
      << "  log_format hub '$status $request_uri $body_bytes_sent';\n"
      << "  access_log " << work_ << "/access.log hub;\n"
      << "  sendfile on;\n  keepalive_requests 1000;\n"
      << "  server {\n    listen 127.0.0.1:" << port_ << ";\n    root " << root_ << ";\n"
      << "    location /bundles/ {"
      << (rate_ > 0 ? " limit_rate " + std::to_string(rate_) + ";" : "") << " }\n  }\n}\n";
    WriteFile(work_ + "/nginx.conf", c.str());
  }

  std::string root_, work_;
  long rate_ = 0;
  int port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace signpost::sync::testing
