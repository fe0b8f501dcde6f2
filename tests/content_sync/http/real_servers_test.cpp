// content-sync's HTTP client against real servers a school network has in
// the way: a real forward proxy (Debian's tinyproxy; plain HTTP and HTTPS by
// CONNECT, from the config and from the environment) and a real HTTP/2 web
// server (Debian's nginx-light, TLS + ALPN h2, gzip, ETag/304). Both run as
// child processes on 127.0.0.1 with configs in a temporary directory, and are
// stopped (SIGTERM, then SIGKILL) whatever happens. A test skips, saying why,
// only when the server program is not installed (deploy/install-deps.sh
// installs both).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include "net/fetcher.h"
#include "net/http_client.h"
#include "test_support.h"

namespace signpost::sync {
namespace {

using std::chrono::milliseconds;
using testing::ItemsJson;
using testing::TempDir;
using testing::TestServer;

// A port nobody listens on right now (the kernel's choice).
int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  close(fd);
  return port;
}

bool Accepts(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  const bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  close(fd);
  return ok;
}

bool Installed(const std::string& program) { return access(program.c_str(), X_OK) == 0; }

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A server program run in the foreground as a child; stopped in the destructor.
class Child {
 public:
  Child(std::vector<std::string> argv, int port) {
    pid_ = fork();
    if (pid_ == 0) {
      std::vector<char*> args;
      for (auto& a : argv) args.push_back(a.data());
      args.push_back(nullptr);
      execv(args[0], args.data());
      _exit(127);
    }
    for (int i = 0; i < 500 && !Accepts(port); ++i) std::this_thread::sleep_for(milliseconds(10));
    ready_ = Accepts(port);
  }
  ~Child() { Stop(); }
  bool ready() const { return ready_; }
  void Stop() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    for (int i = 0; i < 300; ++i) {
      if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
        pid_ = -1;
        return;
      }
      std::this_thread::sleep_for(milliseconds(10));
    }
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }

 private:
  pid_t pid_ = -1;
  bool ready_ = false;
};

HttpOptions Options() {
  HttpOptions o;
  o.connect_timeout_ms = 3000;
  o.total_timeout_s = 10;
  o.max_body_bytes = 8 << 20;
  return o;
}

FetchResult Fetch(const HttpOptions& options, const std::string& url, std::string etag = "") {
  auto transport = MakeCurlTransport(options);
  EXPECT_TRUE(transport.ok()) << transport.status().ToString();
  if (!transport.ok()) return {};
  FakeClock clock;
  RetryPolicy once;
  once.max_attempts = 1;
  Fetcher fetcher(transport.value().get(), &clock, once, 1);
  HttpRequest req;
  req.url = url;
  req.if_none_match = std::move(etag);
  return fetcher.Fetch(req, PayloadType::kJson);
}

bool MakeCertificate(const TempDir& dir) {
  const std::string cmd =
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 "
      "-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 -keyout " +
      dir.File("key.pem") + " -out " + dir.File("cert.pem") + " >/dev/null 2>&1";
  return std::system(cmd.c_str()) == 0;
}

// [SECTION] A real forward proxy -------------------------------------------------------------

class ProxyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(CurlGlobalInit().ok());
    if (!Installed("/usr/bin/tinyproxy")) GTEST_SKIP() << "tinyproxy is not installed";
    server.server.Get("/feed", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard<std::mutex> g(mu);
      via.push_back(req.get_header_value("Via"));
      res.set_content(ItemsJson(3), "application/json");
    });
    server.Start();
    proxy_port = FreePort();
    tls_port = FreePort();
    std::ofstream(dir.File("tinyproxy.conf"))
        << "Port " << proxy_port << "\nListen 127.0.0.1\nTimeout 10\nMaxClients 20\n"
        << "Allow 127.0.0.1\nLogFile \"" << dir.File("tinyproxy.log") << "\"\nLogLevel Info\n"
        << "ConnectPort " << tls_port << "\n";
    proxy = std::make_unique<Child>(
        std::vector<std::string>{"/usr/bin/tinyproxy", "-d", "-c", dir.File("tinyproxy.conf")},
        proxy_port);
    ASSERT_TRUE(proxy->ready()) << ReadFile(dir.File("tinyproxy.log"));
  }
  void TearDown() override {
    unsetenv("http_proxy");
    unsetenv("https_proxy");
  }
  std::string ProxyUrl() const { return "http://127.0.0.1:" + std::to_string(proxy_port); }
  std::vector<std::string> Via() {
    std::lock_guard<std::mutex> g(mu);
    return via;
  }

  TempDir dir;
  TestServer server;
  std::unique_ptr<Child> proxy;
  int proxy_port = 0;
  int tls_port = 0;
  std::mutex mu;
  std::vector<std::string> via;  // GUARDED_BY(mu)
};

TEST_F(ProxyTest, ConfiguredProxyCarriesTheRequest) {
  HttpOptions o = Options();
  o.proxy = ProxyUrl();
  FetchResult r = Fetch(o, server.Url("/feed"));
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.response.body, ItemsJson(3));
  ASSERT_EQ(Via().size(), 1u);
  EXPECT_NE(Via()[0].find("tinyproxy"), std::string::npos) << Via()[0];
}

TEST_F(ProxyTest, ProxyFromTheEnvironmentUnlessTheConfigSaysNone) {
  setenv("http_proxy", ProxyUrl().c_str(), 1);
  FetchResult r = Fetch(Options(), server.Url("/feed"));
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ASSERT_EQ(Via().size(), 1u);
  EXPECT_NE(Via()[0].find("tinyproxy"), std::string::npos);
  HttpOptions none = Options();
  none.proxy = "none";
  ASSERT_TRUE(Fetch(none, server.Url("/feed")).status.ok());
  ASSERT_EQ(Via().size(), 2u);
  EXPECT_EQ(Via()[1], "") << "proxy = \"none\" still went through the proxy";
}

TEST_F(ProxyTest, HttpsGoesThroughTheProxyByConnectAndIsStillVerified) {
  ASSERT_TRUE(MakeCertificate(dir));
  httplib::SSLServer tls(dir.File("cert.pem").c_str(), dir.File("key.pem").c_str());
  ASSERT_TRUE(tls.is_valid());
  tls.Get("/feed", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(ItemsJson(2), "application/json");
  });
  ASSERT_TRUE(tls.bind_to_port("127.0.0.1", tls_port));
  std::thread t([&] { tls.listen_after_bind(); });
  for (int i = 0; i < 400 && !tls.is_running(); ++i) std::this_thread::sleep_for(milliseconds(5));
  const std::string url = "https://127.0.0.1:" + std::to_string(tls_port) + "/feed";
  HttpOptions o = Options();
  o.proxy = ProxyUrl();
  FetchResult untrusted = Fetch(o, url);  // the proxy does not weaken verification
  o.ca_file = dir.File("cert.pem");
  FetchResult trusted = Fetch(o, url);
  tls.stop();
  t.join();
  EXPECT_FALSE(untrusted.status.ok());
  ASSERT_TRUE(trusted.status.ok()) << trusted.status.ToString();
  EXPECT_EQ(trusted.response.body, ItemsJson(2));
  EXPECT_NE(ReadFile(dir.File("tinyproxy.log")).find("CONNECT"), std::string::npos)
      << ReadFile(dir.File("tinyproxy.log"));
}

TEST_F(ProxyTest, ADeadProxyIsNotOnlineAndSaysSo) {
  HttpOptions o = Options();
  o.proxy = ProxyUrl();
  proxy->Stop();
  FetchResult r = Fetch(o, server.Url("/feed"));
  EXPECT_FALSE(r.status.ok());
  EXPECT_TRUE(r.offline) << r.status.ToString();
  EXPECT_TRUE(Via().empty());
  // The technician is told it is the proxy, without its password.
  EXPECT_NE(
      r.status.message().find("through the proxy http://127.0.0.1:" + std::to_string(proxy_port)),
      std::string::npos)
      << r.status.message();
  o.proxy = "http://teacher:pa55@127.0.0.1:" + std::to_string(proxy_port);
  FetchResult with_password = Fetch(o, server.Url("/feed"));
  EXPECT_EQ(with_password.status.message().find("pa55"), std::string::npos)
      << with_password.status.message();
}

// [SECTION] A real HTTP/2 server ---------------------------------------------------------------

class Http2Test : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(CurlGlobalInit().ok());
    if (!Installed("/usr/sbin/nginx")) GTEST_SKIP() << "nginx is not installed";
    ASSERT_TRUE(MakeCertificate(dir));
    std::filesystem::create_directories(dir.File("www"));
    std::filesystem::create_directories(dir.File("tmp"));
    std::ofstream(dir.File("www/feed.json")) << ItemsJson(2000);
    port = FreePort();
    const std::string d = dir.File("");
    std::ofstream(dir.File("nginx.conf"))
        << "daemon off;\nmaster_process off;\npid " << d << "nginx.pid;\nerror_log " << d
        << "error.log;\nevents { worker_connections 64; }\nhttp {\n"
        << "  log_format p '$server_protocol $status $request_uri $bytes_sent';\n"
        << "  access_log " << d << "access.log p;\n"
        << "  client_body_temp_path " << d << "tmp/body;\n  proxy_temp_path " << d
        << "tmp/proxy;\n  fastcgi_temp_path " << d << "tmp/fcgi;\n  uwsgi_temp_path " << d
        << "tmp/uwsgi;\n  scgi_temp_path " << d << "tmp/scgi;\n"
        << "  types { application/json json; }\n"
        << "  gzip on;\n  gzip_types application/json;\n  gzip_min_length 100;\n"
        << "  server {\n    listen 127.0.0.1:" << port << " ssl http2;\n"
        << "    ssl_certificate " << d << "cert.pem;\n    ssl_certificate_key " << d
        << "key.pem;\n    root " << d << "www;\n  }\n}\n";
    nginx = std::make_unique<Child>(
        std::vector<std::string>{"/usr/sbin/nginx", "-p", d, "-c", dir.File("nginx.conf"), "-e",
                                 dir.File("error.log")},
        port);
    ASSERT_TRUE(nginx->ready()) << ReadFile(dir.File("error.log"));
  }
  std::string Url() const { return "https://127.0.0.1:" + std::to_string(port) + "/feed.json"; }
  std::string AccessLog() {
    nginx->Stop();  // flushes the log
    return ReadFile(dir.File("access.log"));
  }

  TempDir dir;
  int port = 0;
  std::unique_ptr<Child> nginx;
};

TEST_F(Http2Test, FetchesOverHttp2WithGzipAndConditionalRequests) {
  HttpOptions o = Options();
  o.ca_file = dir.File("cert.pem");
  FetchResult first = Fetch(o, Url());
  ASSERT_TRUE(first.status.ok()) << first.status.ToString();
  EXPECT_EQ(first.response.body, ItemsJson(2000));  // decoded from gzip
  ASSERT_FALSE(first.response.etag.empty());
  FetchResult again = Fetch(o, Url(), first.response.etag);
  ASSERT_TRUE(again.status.ok()) << again.status.ToString();
  EXPECT_TRUE(again.not_modified);
  const std::string log = AccessLog();
  EXPECT_NE(log.find("HTTP/2.0 200 /feed.json"), std::string::npos) << log;
  EXPECT_NE(log.find("HTTP/2.0 304 /feed.json"), std::string::npos) << log;
  // gzip on the wire: far fewer bytes sent than the body's size.
  std::istringstream lines(log);
  std::string proto, status, uri;
  long bytes = 0;
  ASSERT_TRUE(lines >> proto >> status >> uri >> bytes);
  EXPECT_LT(bytes, static_cast<long>(ItemsJson(2000).size()) / 3) << log;
}

TEST_F(Http2Test, TlsVerificationStaysOnOverHttp2) {
  FetchResult r = Fetch(Options(), Url());
  EXPECT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("ca_file"), std::string::npos) << r.status.message();
}

}  // namespace
}  // namespace signpost::sync
