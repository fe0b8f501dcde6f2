#include "feeds/feed_util.h"

#include <gtest/gtest.h>

namespace signpost::sync::feeds {
namespace {

TEST(FeedUtilTest, Utf8ValidationRejectsOverlongsAndSurrogates) {
  EXPECT_TRUE(IsValidUtf8("Caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"));
  EXPECT_FALSE(IsValidUtf8("Caf\xE9"));
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));      // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));  // surrogate
  EXPECT_FALSE(IsValidUtf8("\xE2\x82"));      // truncated
  EXPECT_FALSE(MarkInvalidUtf8("fine").has_value());
  EXPECT_EQ(*MarkInvalidUtf8("a\xFF"
                             "b"),
            std::string("a") + std::string(kBadUtf8Marker) + "b");
}

TEST(FeedUtilTest, CsvReaderHandlesQuotesNewlinesAndCrlf) {
  CsvReader csv("a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n\r\nlast,,\n");
  std::vector<std::string> f;
  ASSERT_TRUE(csv.Next(f));
  EXPECT_EQ(f, (std::vector<std::string>{"a", "b", "c"}));
  ASSERT_TRUE(csv.Next(f));
  EXPECT_EQ(f, (std::vector<std::string>{"x, y", "say \"hi\"", "two\nlines"}));
  ASSERT_TRUE(csv.Next(f));
  EXPECT_EQ(csv.line(), 5);
  EXPECT_EQ(f, (std::vector<std::string>{"last", "", ""}));
  EXPECT_FALSE(csv.Next(f));
}

TEST(FeedUtilTest, TextHelpers) {
  EXPECT_EQ(HtmlToText("<p>Tea &amp; cake</p><p>Second</p>"), "Tea & cake\nSecond");
  EXPECT_EQ(FormatPounds(16500),
            "\xC2\xA3"
            "16,500");
  EXPECT_EQ(FormatPounds(1234567.4),
            "\xC2\xA3"
            "1,234,567");
  EXPECT_EQ(DurationMonthsFromText("1 year 6 months"), 18);
  EXPECT_EQ(DurationMonthsFromText("2 years"), 24);
  EXPECT_EQ(DurationMonthsFromText("about a while"), 0);
  EXPECT_EQ(PostcodeFromAddress("1 High Street, Kirkhaven, KH1 4QT"), "KH1 4QT");
  EXPECT_EQ(PostcodeFromAddress("Library"), "");
  EXPECT_EQ(UrlEncode("KH1 4QT&x"), "KH1%204QT%26x");
  EXPECT_EQ(AppendQuery("https://a/b?x=1", "y=2"), "https://a/b?x=1&y=2");
  EXPECT_EQ(ProviderIdForUkprn(" 10001234 "), "ukprn:10001234");
  EXPECT_EQ(ProviderIdForUkprn("0"), "");
}

TEST(FeedUtilTest, JsonReaderNeverThrowsOnWrongTypes) {
  auto j = nlohmann::json::parse(
      R"({"s": 5, "n": "13,500", "b": "true", "o": {"x": 1}, "a": [1, "x"]})");
  JsonReader rd;
  EXPECT_EQ(rd.Str(j, "s"), "5");
  EXPECT_EQ(rd.Str(j, "o"), "");
  EXPECT_EQ(*rd.Num(j, "n"), 13500);
  EXPECT_FALSE(rd.Num(j, "o").has_value());
  EXPECT_TRUE(*rd.Bool(j, "b"));
  EXPECT_EQ(rd.StrList(j, "a"), (std::vector<std::string>{"x"}));
  EXPECT_EQ(rd.Str(j, "missing"), "");
  EXPECT_FALSE(rd.bad_utf8);
}

}  // namespace
}  // namespace signpost::sync::feeds
