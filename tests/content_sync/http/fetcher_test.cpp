// The fetcher and the libcurl transport against a real HTTP server on
// 127.0.0.1: retries, Retry-After, timeouts, stalled bodies, body caps,
// captive portals, content types, redirect loops, conditional requests.
// Time is a FakeClock: backoff sleeps are recorded, not slept.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iterator>
#include <thread>

#include "net/fetcher.h"
#include "net/http_client.h"
#include "test_support.h"

namespace signpost::sync {
namespace {

using std::chrono::milliseconds;
using testing::ItemsJson;
using testing::TestServer;

HttpOptions FastOptions() {
  HttpOptions o;
  o.connect_timeout_ms = 2000;
  o.total_timeout_s = 5;
  o.low_speed_limit = 1;
  o.low_speed_time_s = 5;
  o.max_body_bytes = 1 << 20;
  return o;
}

class FetcherTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(CurlGlobalInit().ok()); }
  FetchResult Get(const std::string& url, HttpOptions options = FastOptions(),
                  RetryPolicy policy = {}, HttpRequest request = {}) {
    auto transport = MakeCurlTransport(options);
    EXPECT_TRUE(transport.ok());
    Fetcher fetcher(transport.value().get(), &clock, policy, /*seed=*/42);
    request.url = url;
    return fetcher.Fetch(request, PayloadType::kJson);
  }
  TestServer server;
  FakeClock clock;
};

TEST_F(FetcherTest, PlainJsonArrivesWithHeadersCaptured) {
  server.server.Get("/feed", [](const httplib::Request&, httplib::Response& res) {
    res.set_header("ETag", "\"v1\"");
    res.set_header("Last-Modified", "Wed, 25 Nov 2026 10:00:00 GMT");
    res.set_content(ItemsJson(3), "application/json; charset=utf-8");
  });
  server.Start();
  FetchResult r = Get(server.Url("/feed"));
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.response.status, 200);
  EXPECT_EQ(r.response.etag, "\"v1\"");
  EXPECT_EQ(r.response.last_modified, "Wed, 25 Nov 2026 10:00:00 GMT");
  EXPECT_EQ(r.response.content_type, "application/json; charset=utf-8");
  EXPECT_EQ(r.response.body, ItemsJson(3));
  EXPECT_EQ(r.attempts, 1);
  EXPECT_TRUE(clock.sleeps.empty());
}

TEST_F(FetcherTest, SendsUserAgentGzipAndApiKeyHeader) {
  std::string ua, accept_encoding, key;
  server.server.Get("/feed", [&](const httplib::Request& req, httplib::Response& res) {
    ua = req.get_header_value("User-Agent");
    accept_encoding = req.get_header_value("Accept-Encoding");
    key = req.get_header_value("Ocp-Apim-Subscription-Key");
    res.set_content(ItemsJson(200), "application/json");  // compressed by httplib
  });
  server.Start();
  HttpRequest req;
  req.headers.emplace_back("Ocp-Apim-Subscription-Key", "s3cret");
  FetchResult r = Get(server.Url("/feed"), FastOptions(), {}, req);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.response.body, ItemsJson(200));  // decoded
  EXPECT_TRUE(ua.starts_with("Signpost-content-sync/")) << ua;
  EXPECT_NE(ua.find("(+kiosk)"), std::string::npos) << ua;
  EXPECT_NE(accept_encoding.find("gzip"), std::string::npos) << accept_encoding;
  EXPECT_EQ(key, "s3cret");
}

TEST_F(FetcherTest, ServerErrorsAreRetriedWithJitteredBackoffThenSucceed) {
  std::atomic<int> calls{0};
  server.server.Get("/feed", [&](const httplib::Request&, httplib::Response& res) {
    const int n = ++calls;
    if (n == 1) {
      res.status = 500;
    } else if (n == 2) {
      res.status = 503;
    } else {
      res.set_content(ItemsJson(1), "application/json");
    }
  });
  server.Start();
  RetryPolicy policy;
  policy.base_delay = milliseconds(1000);
  FetchResult r = Get(server.Url("/feed"), FastOptions(), policy);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.attempts, 3);
  ASSERT_EQ(clock.sleeps.size(), 2u);
  EXPECT_LE(clock.sleeps[0], milliseconds(1000));  // full jitter: [0, base]
  EXPECT_LE(clock.sleeps[1], milliseconds(2000));  // [0, 2 * base]
}

TEST_F(FetcherTest, PersistentServerErrorGivesUpAfterMaxAttempts) {
  std::atomic<int> calls{0};
  server.server.Get("/feed", [&](const httplib::Request&, httplib::Response& res) {
    ++calls;
    res.status = 502;
  });
  server.Start();
  RetryPolicy policy;
  policy.max_attempts = 3;
  FetchResult r = Get(server.Url("/feed"), FastOptions(), policy);
  EXPECT_FALSE(r.status.ok());
  EXPECT_FALSE(r.offline);  // the server answered: a failure, not "offline"
  EXPECT_EQ(calls.load(), 3);
  EXPECT_NE(r.status.message().find("HTTP 502"), std::string::npos) << r.status.message();
  EXPECT_NE(r.status.message().find("after 3 attempts"), std::string::npos);
}

TEST_F(FetcherTest, NotFoundIsNotRetried) {
  std::atomic<int> calls{0};
  server.server.Get("/feed", [&](const httplib::Request&, httplib::Response& res) {
    ++calls;
    res.status = 404;
  });
  server.Start();
  FetchResult r = Get(server.Url("/feed"));
  EXPECT_EQ(r.status.code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(calls.load(), 1);
}

TEST_F(FetcherTest, TooManyRequestsHonoursRetryAfterSeconds) {
  std::atomic<int> calls{0};
  server.server.Get("/feed", [&](const httplib::Request&, httplib::Response& res) {
    if (++calls == 1) {
      res.status = 429;
      res.set_header("Retry-After", "7");
      return;
    }
    res.set_content(ItemsJson(1), "application/json");
  });
  server.Start();
  FetchResult r = Get(server.Url("/feed"));
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ASSERT_EQ(clock.sleeps.size(), 1u);
  EXPECT_GE(clock.sleeps[0], milliseconds(7000));
}

TEST_F(FetcherTest, ServiceUnavailableHonoursRetryAfterHttpDate) {
  std::atomic<int> calls{0};
  const std::string date = "Thu, 01 Jan 2026 00:01:40 GMT";  // 100 s after the fake now
  clock.Advance(std::chrono::seconds(1767225600 - clock.Now()));
  server.server.Get("/feed", [&](const httplib::Request&, httplib::Response& res) {
    if (++calls == 1) {
      res.status = 503;
      res.set_header("Retry-After", date);
      return;
    }
    res.set_content(ItemsJson(1), "application/json");
  });
  server.Start();
  FetchResult r = Get(server.Url("/feed"));
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ASSERT_EQ(clock.sleeps.size(), 1u);
  EXPECT_GE(clock.sleeps[0], milliseconds(100'000));
  EXPECT_LE(clock.sleeps[0], milliseconds(101'000));
}

TEST_F(FetcherTest, RetryAfterBeyondTheCapWaitsForTheNextScheduledSync) {
  server.server.Get("/feed", [&](const httplib::Request&, httplib::Response& res) {
    res.status = 429;
    res.set_header("Retry-After", "86400");
  });
  server.Start();
  FetchResult r = Get(server.Url("/feed"));
  EXPECT_EQ(r.status.code(), Status::Code::kUnavailable);
  EXPECT_EQ(r.attempts, 1);
  EXPECT_TRUE(clock.sleeps.empty());
  EXPECT_NE(r.status.message().find("next scheduled sync"), std::string::npos);
}

TEST_F(FetcherTest, SlowServerTimesOutAndCountsAsOffline) {
  server.server.Get("/feed", [&](const httplib::Request&, httplib::Response& res) {
    std::this_thread::sleep_for(milliseconds(1300));
    res.set_content(ItemsJson(1), "application/json");
  });
  server.Start();
  HttpOptions o = FastOptions();
  o.total_timeout_s = 1;
  RetryPolicy once;
  once.max_attempts = 1;
  const auto t0 = std::chrono::steady_clock::now();
  FetchResult r = Get(server.Url("/feed"), o, once);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(3));
  EXPECT_EQ(r.status.code(), Status::Code::kUnavailable);
  EXPECT_TRUE(r.offline);
  EXPECT_NE(r.status.message().find("timed out"), std::string::npos) << r.status.message();
}

TEST_F(FetcherTest, StalledBodyHitsTheLowSpeedLimit) {
  server.server.Get("/feed", [&](const httplib::Request&, httplib::Response& res) {
    res.set_chunked_content_provider("application/json",
                                     [](size_t offset, httplib::DataSink& sink) {
                                       if (offset == 0) {
                                         const std::string start = "{\"items\":[";
                                         sink.write(start.data(), start.size());
                                         return true;
                                       }
                                       // Then nothing: a stalled transfer, for at most ~1.5 s.
                                       for (int i = 0; i < 15 && sink.is_writable(); ++i) {
                                         std::this_thread::sleep_for(milliseconds(100));
                                       }
                                       return false;
                                     });
  });
  server.Start();
  HttpOptions o = FastOptions();
  o.low_speed_limit = 100;
  o.low_speed_time_s = 1;
  RetryPolicy once;
  once.max_attempts = 1;
  FetchResult r = Get(server.Url("/feed"), o, once);
  EXPECT_EQ(r.status.code(), Status::Code::kUnavailable) << r.status.ToString();
  EXPECT_NE(r.status.message().find("timed out"), std::string::npos) << r.status.message();
}

TEST_F(FetcherTest, AbortCheckStopsALongDownloadPromptly) {
  std::atomic<bool> released{false};
  server.server.Get("/feed", [&](const httplib::Request&, httplib::Response& res) {
    for (int i = 0; i < 30 && !released; ++i) std::this_thread::sleep_for(milliseconds(50));
    res.set_content(ItemsJson(1), "application/json");
  });
  server.Start();
  HttpOptions o = FastOptions();
  const auto t0 = std::chrono::steady_clock::now();
  o.abort_check = [t0] { return std::chrono::steady_clock::now() - t0 > milliseconds(100); };
  FetchResult r = Get(server.Url("/feed"), o);
  released = true;
  EXPECT_LT(std::chrono::steady_clock::now() - t0, milliseconds(1400));
  EXPECT_EQ(r.status.code(), Status::Code::kUnavailable);
  EXPECT_NE(r.status.message().find("stopped"), std::string::npos) << r.status.message();
  EXPECT_EQ(r.attempts, 1);  // not retried
}

TEST_F(FetcherTest, FiftyMegabyteBodyWithLengthIsRefusedBeforeDownload) {
  constexpr size_t kFifty = 50u << 20;
  server.server.Get("/feed", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content_provider(kFifty, "application/octet-stream",
                             [](size_t offset, size_t length, httplib::DataSink& sink) {
                               static const std::string block(64 * 1024, 'x');
                               (void)offset;
                               return sink.write(block.data(), std::min(length, block.size()));
                             });
  });
  server.Start();
  FetchResult r = Get(server.Url("/feed"));  // max 1 MB
  EXPECT_EQ(r.status.code(), Status::Code::kInvalidArgument) << r.status.ToString();
  EXPECT_NE(r.status.message().find("max_body_mb"), std::string::npos) << r.status.message();
  EXPECT_EQ(r.attempts, 1);  // not retried
}

TEST_F(FetcherTest, FiftyMegabyteChunkedBodyIsAbortedWhenItPassesTheCap) {
  server.server.Get("/feed", [&](const httplib::Request&, httplib::Response& res) {
    res.set_chunked_content_provider("application/octet-stream",
                                     [](size_t offset, httplib::DataSink& sink) {
                                       static const std::string block(64 * 1024, 'x');
                                       if (offset >= (50u << 20)) {
                                         sink.done();
                                         return true;
                                       }
                                       return sink.write(block.data(), block.size());
                                     });
  });
  server.Start();
  FetchResult r = Get(server.Url("/feed"));  // max 1 MB
  EXPECT_EQ(r.status.code(), Status::Code::kInvalidArgument) << r.status.ToString();
  EXPECT_NE(r.status.message().find("larger than max_body_mb"), std::string::npos);
  EXPECT_TRUE(r.response.body.empty());
}

TEST_F(FetcherTest, CaptivePortalPageIsNotOnlineNotData) {
  server.server.Get("/feed", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content("<!DOCTYPE html><html><body>Please log in to SchoolNet</body></html>",
                    "text/html");
  });
  server.Start();
  FetchResult r = Get(server.Url("/feed"));
  EXPECT_EQ(r.status.code(), Status::Code::kUnavailable);
  EXPECT_TRUE(r.offline);
  EXPECT_NE(r.status.message().find("looks like a captive portal or web-filter login page"),
            std::string::npos)
      << r.status.message();
}

TEST_F(FetcherTest, HtmlSniffedEvenWhenLabelledJson) {
  server.server.Get("/feed", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content("\n  <html><head><title>Blocked</title></head></html>", "application/json");
  });
  server.Start();
  FetchResult r = Get(server.Url("/feed"));
  EXPECT_TRUE(r.offline);
  EXPECT_NE(r.status.message().find("captive portal"), std::string::npos);
}

TEST_F(FetcherTest, RedirectToAnotherHostsLoginPageIsACaptivePortal) {
  server.server.Get("/feed", [&](const httplib::Request&, httplib::Response& res) {
    res.set_redirect(server.OtherHostUrl("/login"));
  });
  server.server.Get("/login", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content("<html>Sign in</html>", "text/html");
  });
  server.Start();
  FetchResult r = Get(server.Url("/feed"));
  EXPECT_TRUE(r.offline);
  EXPECT_NE(r.status.message().find("redirect to localhost"), std::string::npos)
      << r.status.message();
}

TEST_F(FetcherTest, RedirectToAnotherHostServingTheFeedIsAccepted) {
  // CDNs and object stores redirect legitimately; the body decides.
  server.server.Get("/feed", [&](const httplib::Request&, httplib::Response& res) {
    res.set_redirect(server.OtherHostUrl("/cdn/feed.json"));
  });
  server.server.Get("/cdn/feed.json", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content(ItemsJson(2), "application/json");
  });
  server.Start();
  FetchResult r = Get(server.Url("/feed"));
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.response.redirects, 1);
  EXPECT_EQ(r.response.body, ItemsJson(2));
}

TEST_F(FetcherTest, NetworkAuthenticationRequiredIsACaptivePortal) {
  server.server.Get("/feed", [&](const httplib::Request&, httplib::Response& res) {
    res.status = 511;
    res.set_content("login", "text/plain");
  });
  server.Start();
  FetchResult r = Get(server.Url("/feed"));
  EXPECT_TRUE(r.offline);
  EXPECT_NE(r.status.message().find("511"), std::string::npos);
}

TEST_F(FetcherTest, WrongContentTypeIsRefused) {
  server.server.Get("/feed", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content("\x89PNG....", "image/png");
  });
  server.Start();
  FetchResult r = Get(server.Url("/feed"));
  EXPECT_EQ(r.status.code(), Status::Code::kInvalidArgument);
  EXPECT_FALSE(r.offline);
  EXPECT_NE(r.status.message().find("unexpected content type \"image/png\""), std::string::npos)
      << r.status.message();
}

TEST_F(FetcherTest, GenericContentTypesAreLeftToTheParser) {
  server.server.Get("/feed", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content(ItemsJson(1), "text/plain");
  });
  server.Start();
  EXPECT_TRUE(Get(server.Url("/feed")).status.ok());
}

TEST_F(FetcherTest, RedirectLoopIsAClearError) {
  std::atomic<int> calls{0};
  server.server.Get("/loop", [&](const httplib::Request&, httplib::Response& res) {
    ++calls;
    res.set_redirect("/loop");
  });
  server.Start();
  FetchResult r = Get(server.Url("/loop"));
  EXPECT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("redirect loop"), std::string::npos) << r.status.message();
  EXPECT_LE(calls.load(), 6 * 1);  // max_redirects + 1, no retries
}

TEST_F(FetcherTest, ConditionalRequestGetsNotModified) {
  std::string seen_inm, seen_ims;
  server.server.Get("/feed", [&](const httplib::Request& req, httplib::Response& res) {
    seen_inm = req.get_header_value("If-None-Match");
    seen_ims = req.get_header_value("If-Modified-Since");
    if (seen_inm == "\"v1\"") {
      res.status = 304;
      return;
    }
    res.set_header("ETag", "\"v2\"");
    res.set_content(ItemsJson(1), "application/json");
  });
  server.Start();
  HttpRequest req;
  req.if_none_match = "\"v1\"";
  req.if_modified_since = "Wed, 25 Nov 2026 10:00:00 GMT";
  FetchResult r = Get(server.Url("/feed"), FastOptions(), {}, req);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_TRUE(r.not_modified);
  EXPECT_EQ(seen_ims, "Wed, 25 Nov 2026 10:00:00 GMT");
  req.if_none_match = "\"v0\"";
  r = Get(server.Url("/feed"), FastOptions(), {}, req);
  ASSERT_TRUE(r.status.ok());
  EXPECT_FALSE(r.not_modified);
  EXPECT_EQ(r.response.etag, "\"v2\"");
}

TEST_F(FetcherTest, ConnectionRefusedIsRetriedAndThenOffline) {
  server.Start();
  const std::string url = server.Url("/feed");
  server.Stop();  // nothing listens on the port any more
  RetryPolicy policy;
  policy.max_attempts = 2;
  FetchResult r = Get(url, FastOptions(), policy);
  EXPECT_TRUE(r.offline);
  EXPECT_EQ(r.attempts, 2);
  EXPECT_EQ(clock.sleeps.size(), 1u);
}

TEST_F(FetcherTest, ConfiguredProxyNoneOverridesTheEnvironment) {
  server.server.Get("/feed", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content(ItemsJson(1), "application/json");
  });
  server.Start();
  // A proxy that does not exist: honoured from the environment...
  setenv("http_proxy", "http://127.0.0.1:9", 1);
  unsetenv("no_proxy");
  unsetenv("NO_PROXY");
  RetryPolicy once;
  once.max_attempts = 1;
  FetchResult via_env = Get(server.Url("/feed"), FastOptions(), once);
  // ...unless the config says proxy = "none".
  HttpOptions direct = FastOptions();
  direct.proxy = "none";
  FetchResult without = Get(server.Url("/feed"), direct, once);
  unsetenv("http_proxy");
  EXPECT_FALSE(via_env.status.ok());
  EXPECT_TRUE(without.status.ok()) << without.status.ToString();
}

TEST_F(FetcherTest, ErrorMessagesNeverCarryQueryStrings) {
  server.Start();
  const std::string url = server.Url("/feed?api_key=s3cret");
  server.Stop();
  RetryPolicy once;
  once.max_attempts = 1;
  FetchResult r = Get(url, FastOptions(), once);
  EXPECT_FALSE(r.status.ok());
  EXPECT_EQ(r.status.message().find("s3cret"), std::string::npos) << r.status.message();
}

// HTTPS with a certificate made for the test, as a school's HTTPS-inspecting
// web filter would present: refused by default, trusted with ca_file.
class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(CurlGlobalInit().ok());
    const std::string cmd =
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 "
        "-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 -keyout " +
        dir.File("key.pem") + " -out " + dir.File("cert.pem") + " >/dev/null 2>&1";
    if (std::system(cmd.c_str()) != 0) GTEST_SKIP() << "openssl command not available";
    server = std::make_unique<httplib::SSLServer>(dir.File("cert.pem").c_str(),
                                                  dir.File("key.pem").c_str());
    ASSERT_TRUE(server->is_valid());
    server->Get("/feed", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(ItemsJson(1), "application/json");
    });
    port = server->bind_to_any_port("127.0.0.1");
    thread = std::thread([this] { server->listen_after_bind(); });
    for (int i = 0; i < 400 && !server->is_running(); ++i) {
      std::this_thread::sleep_for(milliseconds(5));
    }
  }
  void TearDown() override {
    if (thread.joinable()) {
      server->stop();
      thread.join();
    }
  }
  FetchResult Get(HttpOptions options) {
    // A TLS handshake under qemu-user (the arm64 run) on a busy machine can
    // take longer than the 2 s other tests use.
    options.connect_timeout_ms = 15000;
    auto transport = MakeCurlTransport(options);
    EXPECT_TRUE(transport.ok());
    RetryPolicy once;
    once.max_attempts = 1;
    Fetcher fetcher(transport.value().get(), &clock, once, 1);
    HttpRequest req;
    req.url = "https://127.0.0.1:" + std::to_string(port) + "/feed";
    return fetcher.Fetch(req, PayloadType::kJson);
  }
  testing::TempDir dir;
  std::unique_ptr<httplib::SSLServer> server;
  std::thread thread;
  int port = 0;
  FakeClock clock;
};

TEST_F(TlsTest, UnknownCertificateIsRefusedWithAHintAboutCaFile) {
  FetchResult r = Get(FastOptions());
  EXPECT_FALSE(r.status.ok());
  EXPECT_FALSE(r.offline);  // needs a technician, not a wait
  EXPECT_NE(r.status.message().find("ca_file"), std::string::npos) << r.status.message();
}

TEST_F(TlsTest, ExtraCaFileIsTrustedOnTopOfTheSystemBundle) {
  HttpOptions o = FastOptions();
  o.ca_file = dir.File("cert.pem");
  FetchResult r = Get(o);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.response.body, ItemsJson(1));
}

TEST_F(TlsTest, UnreadableCaFileIsAClearError) {
  HttpOptions o = FastOptions();
  o.ca_file = dir.File("missing.pem");
  FetchResult r = Get(o);
  EXPECT_NE(r.status.message().find("cannot read [sync] ca_file"), std::string::npos);
}

TEST(FetcherHelpers, RetryAfterParsing) {
  EXPECT_EQ(ParseRetryAfter("120", 0), std::chrono::seconds(120));
  EXPECT_EQ(ParseRetryAfter(" 5 ", 0), std::chrono::seconds(5));
  EXPECT_EQ(ParseRetryAfter("", 0), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("soon", 0), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("Thu, 01 Jan 2026 00:00:10 GMT", 1767225600), std::chrono::seconds(10));
  EXPECT_EQ(ParseRetryAfter("Thu, 01 Jan 2026 00:00:10 GMT", 1767225700), std::chrono::seconds(0));
}

TEST(FetcherHelpers, RedactUrlBlanksSecretsOnly) {
  EXPECT_EQ(RedactUrl("https://x.org/a?page=2&api_key=abc&subscription-key=d"),
            "https://x.org/a?page=2&api_key=REDACTED&subscription-key=REDACTED");
  EXPECT_EQ(RedactUrl("https://x.org/a"), "https://x.org/a");
  EXPECT_EQ(HostOf("https://user@Api.Example.org:8443/x?y"), "api.example.org");
}

TEST(FetcherHelpers, HtmlSniffing) {
  EXPECT_TRUE(LooksLikeHtml("text/html; charset=utf-8", "{}"));
  EXPECT_TRUE(LooksLikeHtml("", "\xEF\xBB\xBF  <!doctype HTML><p>"));
  EXPECT_FALSE(LooksLikeHtml("application/json", "{\"html\": \"<html>\"}"));
  EXPECT_FALSE(LooksLikeHtml("text/calendar", "BEGIN:VCALENDAR"));
}

// A large body is moved to an unlinked file in spool_dir as it arrives: the
// response holds the same bytes, nothing is left behind in the folder, and
// a payload stream reads it back in order.
TEST_F(FetcherTest, ALargeBodyIsSpooledToAFileThatLeavesNothingBehind) {
  std::string big = "[";
  for (int i = 0; i < 40000; ++i) big += std::to_string(i) + ",";
  big += "0]";
  ASSERT_GT(big.size(), 64u * 1024);
  server.server.Get("/big", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content(big, "application/json");
  });
  server.Start();
  char dir_template[] = "/tmp/spool-test-XXXXXX";
  ASSERT_NE(mkdtemp(dir_template), nullptr);
  HttpOptions o = FastOptions();
  o.max_body_bytes = 64 << 20;
  o.spool_dir = dir_template;
  o.spool_above_bytes = 64 * 1024;
  FetchResult r = Get(server.Url("/big"), o);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_TRUE(r.response.body.spooled());
  EXPECT_EQ(r.response.body.size(), static_cast<std::int64_t>(big.size()));
  EXPECT_EQ(r.response.body.view(), big);
  auto in = r.response.body.Stream();
  std::string streamed((std::istreambuf_iterator<char>(*in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(streamed, big);
  EXPECT_TRUE(std::filesystem::is_empty(dir_template));
  std::filesystem::remove_all(dir_template);

  // Below the threshold the body stays in memory.
  o.spool_above_bytes = 64 << 20;
  FetchResult small = Get(server.Url("/big"), o);
  ASSERT_TRUE(small.status.ok());
  EXPECT_FALSE(small.response.body.spooled());
  EXPECT_EQ(small.response.body.view(), big);
}

// A spool folder that cannot be written is a clear failure, never a
// half-held body.
TEST_F(FetcherTest, ASpoolFolderThatCannotBeUsedFailsTheDownloadClearly) {
  const std::string big = "[" + std::string(8192, ' ') + "]";
  server.server.Get("/big", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content(big, "application/json");
  });
  server.Start();
  HttpOptions o = FastOptions();
  o.spool_dir = "/nonexistent/spool";
  o.spool_above_bytes = 1024;
  FetchResult r = Get(server.Url("/big"), o);
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("no room to hold the response"), std::string::npos)
      << r.status.message();
}

}  // namespace
}  // namespace signpost::sync
