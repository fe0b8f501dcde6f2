// JSON read with limits (feeds/json_stream.h): records one at a time, the
// envelope kept, and every way a hostile or broken body is refused.
#include "feeds/json_stream.h"

#include "feeds/feed_util.h"

#include <gtest/gtest.h>
#include <stdio.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace signpost::sync::feeds {
namespace {

using nlohmann::json;

struct Streamed {
  Status status;
  std::vector<json> records;
  JsonEnvelope envelope;
};

Streamed Stream(const Payload& body, JsonRecordsSpec spec, JsonLimits limits = {}) {
  Streamed s;
  s.status = StreamJsonRecords(
      body, spec, [&](std::int64_t, const json& r) { s.records.push_back(r); }, &s.envelope,
      limits);
  return s;
}
Streamed Stream(std::string_view body, JsonRecordsSpec spec, JsonLimits limits = {}) {
  return Stream(Payload::Borrow(body), std::move(spec), limits);
}

// A payload spooled to an unlinked file, as the HTTP layer keeps big bodies.
Payload Spooled(const std::string& bytes) {
  FILE* f = tmpfile();
  EXPECT_NE(f, nullptr);
  EXPECT_EQ(fwrite(bytes.data(), 1, bytes.size(), f), bytes.size());
  fflush(f);
  const int fd = dup(fileno(f));
  fclose(f);
  return Payload::AdoptFile(fd, static_cast<std::int64_t>(bytes.size()));
}

TEST(JsonStreamTest, ABareArrayIsHandedOverOneRecordAtATime) {
  auto s =
      Stream(R"([{"id": 1, "tags": ["a", "b"]}, {"id": 2, "nested": {"x": [1, {"y": null}]}}, 3])",
             {true, {}});
  ASSERT_TRUE(s.status.ok()) << s.status.ToString();
  ASSERT_EQ(s.records.size(), 3u);
  EXPECT_EQ(s.records[0], json::parse(R"({"id": 1, "tags": ["a", "b"]})"));
  EXPECT_EQ(s.records[1]["nested"]["x"][1]["y"], nullptr);
  EXPECT_EQ(s.records[2], 3);
  EXPECT_EQ(s.envelope.top, '[');
  EXPECT_TRUE(s.envelope.found_records);
  EXPECT_EQ(s.envelope.records, 3);
}

TEST(JsonStreamTest, RecordsUnderAKeyKeepTheEnvelopesScalarsWhereverTheyAre) {
  auto s = Stream(R"({"total": 5, "facets": {"Region": [{"count": 3, "value": "London"}]},
                      "results": [{"a": 1}, {"a": 2}], "totalPages": 1e10, "last": true})",
                  {false, {"contents", "results"}});
  ASSERT_TRUE(s.status.ok()) << s.status.ToString();
  EXPECT_EQ(s.records.size(), 2u);
  EXPECT_EQ(s.envelope.records_key, "results");
  EXPECT_EQ(s.envelope.scalars["total"], 5);
  EXPECT_EQ(s.envelope.scalars["totalPages"], 1e10);
  EXPECT_EQ(s.envelope.scalars["last"], true);
  EXPECT_FALSE(s.envelope.scalars.contains("facets"));  // skipped, never built
}

TEST(JsonStreamTest, AnObjectWithoutTheRecordsKeySaysSo) {
  auto s = Stream(R"({"id": "x", "name": "y", "contacts": []})", {false, {"contents"}});
  ASSERT_TRUE(s.status.ok());
  EXPECT_FALSE(s.envelope.found_records);
  EXPECT_EQ(s.envelope.top, '{');
  EXPECT_EQ(s.envelope.scalars["id"], "x");
}

TEST(JsonStreamTest, NestingDeeperThanTheLimitIsRefusedWithoutRecursion) {
  for (const auto& [open, close] : {std::pair<std::string, std::string>{"[", "]"},
                                    std::pair<std::string, std::string>{"{\"a\":", "}"}}) {
    std::string deep;
    for (int i = 0; i < 200000; ++i) deep += open;
    deep += "1";
    for (int i = 0; i < 200000; ++i) deep += close;
    auto s = Stream("[" + deep + "]", {true, {}});
    ASSERT_FALSE(s.status.ok());
    EXPECT_NE(s.status.message().find("nested deeper than 64 levels"), std::string::npos);
    std::string error;
    EXPECT_FALSE(ParseJsonDocument(deep, &error).has_value());
    EXPECT_EQ(error, "nested deeper than 64 levels");
  }
  // 64 levels is fine.
  std::string ok = std::string(63, '[') + std::string(63, ']');
  EXPECT_TRUE(Stream("[" + ok + "]", {true, {}}).status.ok());
}

TEST(JsonStreamTest, ARecordLargerThanTheCapIsRefusedBeforeItIsBuilt) {
  JsonLimits limits;
  limits.max_record_bytes = 1 << 20;
  const std::string big = R"([{"a": 1}, {"text": ")" + std::string(3 << 20, 'x') + R"("}])";
  auto s = Stream(big, {true, {}}, limits);
  ASSERT_FALSE(s.status.ok());
  EXPECT_EQ(s.status.message(), "record 2 is larger than 1,048,576 bytes");
  EXPECT_EQ(s.records.size(), 1u);
  // Many small values in one record count too.
  std::string wide = "[{";
  for (int i = 0; i < 200000; ++i) wide += "\"k" + std::to_string(i) + "\":0,";
  wide += "\"end\":0}]";
  s = Stream(wide, {true, {}}, limits);
  ASSERT_FALSE(s.status.ok());
  EXPECT_NE(s.status.message().find("record 1 is larger"), std::string::npos);
  // And a huge value outside the records.
  limits.max_envelope_token = 1000;
  s = Stream(R"({"note": ")" + std::string(5000, 'n') + R"(", "results": []})",
             {false, {"results"}}, limits);
  ASSERT_FALSE(s.status.ok());
  EXPECT_NE(s.status.message().find("outside the records is larger"), std::string::npos);
}

TEST(JsonStreamTest, MoreRecordsThanTheCapAreRefused) {
  JsonLimits limits;
  limits.max_records = 1000;
  std::string many = "[";
  for (int i = 0; i < 5000; ++i) many += "{},";
  many += "{}]";
  auto s = Stream(many, {true, {}}, limits);
  ASSERT_FALSE(s.status.ok());
  EXPECT_EQ(s.status.message(), "more than 1,000 records in one response");
  EXPECT_EQ(s.records.size(), 1000u);
}

TEST(JsonStreamTest, ABodyThatEndsEarlyIsATruncatedDownload) {
  const std::string whole = R"({"results": [{"title": "Plumbing level 2", "id": 7}], "total": 1})";
  for (std::size_t cut = 1; cut < whole.size(); ++cut) {
    auto s = Stream(whole.substr(0, cut), {false, {"results"}});
    ASSERT_FALSE(s.status.ok()) << cut;
    EXPECT_NE(s.status.message().find("ends early"), std::string::npos)
        << cut << ": " << s.status.message();
  }
  EXPECT_TRUE(Stream(whole, {false, {"results"}}).status.ok());
  auto garbage = Stream(R"({"results": [}])", {false, {"results"}});
  ASSERT_FALSE(garbage.status.ok());
  EXPECT_NE(garbage.status.message().find("not valid JSON at byte"), std::string::npos);
}

TEST(JsonStreamTest, EmptyAndHtmlBodiesAreExplained) {
  std::string error;
  EXPECT_FALSE(ParseJsonDocument("  \n ", &error));
  EXPECT_EQ(error, "the response was empty");
  EXPECT_FALSE(ParseJsonDocument("<!DOCTYPE html><html><body>Sign in</body></html>", &error));
  EXPECT_NE(error.find("HTML page"), std::string::npos);
  EXPECT_NE(Stream("<?xml version='1.0'?><a/>", {true, {}}).status.message().find("XML"),
            std::string::npos);
}

TEST(JsonStreamTest, IllFormedUtf8IsMarkedSoOnlyThatRecordIsSkipped) {
  auto s = Stream("[{\"name\": \"Caf\xE9\"}, {\"name\": \"Caf\xC3\xA9\"}]", {true, {}});
  ASSERT_TRUE(s.status.ok()) << s.status.ToString();
  ASSERT_EQ(s.records.size(), 2u);
  EXPECT_EQ(s.records[0]["name"], std::string("Caf") + std::string(kBadUtf8Marker));
  EXPECT_EQ(s.records[1]["name"], "Caf\xC3\xA9");
}

TEST(JsonStreamTest, ASpooledBodyIsStreamedAndCharactersSplitAcrossChunksSurvive) {
  // Put a 3-byte character across the 64 KB chunk boundary, many times.
  std::string body = "[";
  while (body.size() < 300000) {
    body += "{\"t\": \"" + std::string(65536 - (body.size() % 65536) - 8, 'a') + "\xE2\x80\x93\"},";
  }
  body += "{}]";
  auto s = Stream(Spooled(body), {true, {}});
  ASSERT_TRUE(s.status.ok()) << s.status.ToString();
  for (const json& r : s.records) {
    if (!r.contains("t")) continue;
    const std::string t = r["t"];
    EXPECT_EQ(t.find(kBadUtf8Marker), std::string::npos);
    EXPECT_EQ(t.substr(t.size() - 3), "\xE2\x80\x93");
  }
}

TEST(JsonStreamTest, DocumentsAreBuiltWhole) {
  std::string error;
  auto doc = ParseJsonDocument("\xEF\xBB\xBF {\"Title\": \"Bottler\", \"Soc\": \"9134\"}", &error);
  ASSERT_TRUE(doc.has_value()) << error;
  EXPECT_EQ((*doc)["Soc"], "9134");
  auto scalar = ParseJsonDocument("42", &error);
  ASSERT_TRUE(scalar.has_value());
  EXPECT_EQ(*scalar, 42);
  EXPECT_FALSE(ParseJsonDocument("{\"a\": 1} trailing", &error).has_value());
  EXPECT_FALSE(ParseJsonDocument("{\"a\": 1e999}", &error).has_value());  // no infinity
}

// The reader is rapidjson's; the adapters were written against nlohmann's
// parser. Every real payload and fixture must read exactly as that parser
// reads it: the same members, the same number types, the same doubles.
TEST(JsonStreamTest, EveryRealPayloadReadsExactlyAsNlohmannsParserReadsIt) {
  int files = 0;
  for (const char* dir : {SIGNPOST_FEEDS_FIXTURE_DIR, SIGNPOST_SHARED_SAMPLES_DIR}) {
    if (!std::filesystem::exists(dir)) continue;
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
      if (e.path().extension() != ".json") continue;
      std::ifstream in(e.path(), std::ios::binary);
      std::stringstream bytes;
      bytes << in.rdbuf();
      const json want = json::parse(bytes.str(), nullptr, /*allow_exceptions=*/false);
      if (want.is_discarded()) continue;
      JsonLimits limits;
      limits.max_record_bytes = 1 << 30;
      std::string error;
      const auto got = ParseJsonDocument(bytes.str(), &error, limits);
      ASSERT_TRUE(got.has_value()) << e.path() << ": " << error;
      EXPECT_EQ(got->dump(), want.dump()) << e.path();
      ++files;
    }
  }
  EXPECT_GE(files, 20);  // the fixtures alone hold more than that
}

TEST(JsonStreamTest, NumbersAreTypedAndRoundedAsNlohmannsParserDoesIt) {
  const std::string body =
      R"([0, -0, 7, -7, 4294967296, 18446744073709551615, -9223372036854775808,)"
      R"( 18446744073709551616, 0.1, 1.0, -2.5e-3, 1e-400, 2.2250738585072011e-308,)"
      R"( 9007199254740993, 3.141592653589793238462643383279, 51.50735090, -0.127758])";
  const json want = json::parse(body);
  auto s = Stream(body, {true, {}});
  ASSERT_TRUE(s.status.ok()) << s.status.ToString();
  ASSERT_EQ(s.records.size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(s.records[i].type(), want[i].type()) << i << ": " << want[i];
    EXPECT_EQ(s.records[i].dump(), want[i].dump()) << i;
  }
}

TEST(JsonStreamTest, EscapesDecodeAndALoneSurrogateMarksOnlyItsRecord) {
  auto s =
      Stream(R"([{"n": "caf\u00e9 \ud83d\ude00 \"q\" \/ \t"}, {"n": "a\udc00b"}, {"n": "ok"}])",
             {true, {}});
  ASSERT_TRUE(s.status.ok()) << s.status.ToString();
  ASSERT_EQ(s.records.size(), 3u);
  EXPECT_EQ(s.records[0]["n"], "caf\xC3\xA9 \xF0\x9F\x98\x80 \"q\" / \t");
  EXPECT_EQ(s.records[1]["n"], "a" + std::string(kBadUtf8Marker) + "b");
  EXPECT_EQ(s.records[2]["n"], "ok");
  // A high surrogate with no low one after it is not JSON at all.
  auto bad = Stream(R"([{"n": "\ud800"}])", {true, {}});
  ASSERT_FALSE(bad.status.ok());
  EXPECT_NE(bad.status.message().find("not valid JSON at byte"), std::string::npos);
}

TEST(JsonStreamTest, ANulByteIsBadJsonNeverAnEarlyEnd) {
  using namespace std::string_literals;  // "..."s keeps the NUL bytes
  for (const std::string& body :
       {"[{\"a\": 1}\0, {}]"s, "[{\"a\": \"x\0y\"}]"s, "[{\"a\": 1}]\0["s}) {
    auto s = Stream(body, {true, {}});
    ASSERT_FALSE(s.status.ok()) << body.size();
    EXPECT_NE(s.status.message().find("not valid JSON at byte"), std::string::npos)
        << s.status.message();
  }
  std::string error;
  EXPECT_FALSE(ParseJsonDocument("{\"a\": 1}\0 trailing"s, &error));
  EXPECT_NE(error.find("not valid JSON"), std::string::npos) << error;
}

}  // namespace
}  // namespace signpost::sync::feeds
