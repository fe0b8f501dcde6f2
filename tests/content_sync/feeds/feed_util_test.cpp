#include "feeds/feed_util.h"
#include "feeds/csv_reader.h"

#include <gtest/gtest.h>

#include <limits>

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

TEST(FeedUtilTest, EveryNumericAndNamedCharacterReferenceIsDecoded) {
  EXPECT_EQ(DecodeHtmlEntities("Caf&#233; &amp; bar&#xD;&#xA;next &#x2013; &ndash; &hellip;"),
            "Caf\xC3\xA9 & bar\nnext \xE2\x80\x93 \xE2\x80\x93 \xE2\x80\xA6");
  EXPECT_EQ(DecodeHtmlEntities("&pound;20 &euro;5 &eacute;&Eacute; &#163; &#X1F600;"),
            "\xC2\xA3"
            "20 \xE2\x82\xAC"
            "5 \xC3\xA9\xC3\x89 \xC2\xA3 \xF0\x9F\x98\x80");
  EXPECT_EQ(DecodeHtmlEntities("a&nbsp;b\r\nc\rd"), "a b\nc\nd");
  // Text that only looks like a reference stays as it is.
  EXPECT_EQ(DecodeHtmlEntities("AT&T R&D; &unknown; &#xZZ; & ;"), "AT&T R&D; &unknown; &#xZZ; & ;");
  // References to no character become U+FFFD, never a NUL or a surrogate.
  EXPECT_EQ(DecodeHtmlEntities("&#0;&#xD800;&#x110000;&#99999999;"),
            "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(FeedUtilTest, AReferenceEndsWithinFortyBytesOrStaysText) {
  const std::string far = "&" + std::string(40, 'a') + ";";
  EXPECT_EQ(DecodeHtmlEntities(far), far);
  EXPECT_EQ(DecodeHtmlEntities("&" + std::string(30, 'a') + "&amp;"),
            "&" + std::string(30, 'a') + "&");
  // A long run of '&' with no reference in reach stays as it is.
  const std::string ampersands(100000, '&');
  EXPECT_EQ(DecodeHtmlEntities(ampersands + "&lt;x\r"), ampersands + "<x\n");
  EXPECT_EQ(HtmlToText("a <<b>" + ampersands + "</p>&gt;"), "a <" + ampersands + "\n>");
}

TEST(FeedUtilTest, HtmlToTextKeepsALessThanThatOpensNoTag) {
  EXPECT_EQ(HtmlToText("Ages <16 and 16-18: &lt;b&gt;free&lt;/b&gt;<br/>Apply"),
            "Ages <16 and 16-18: <b>free</b>\nApply");
  EXPECT_EQ(HtmlToText("<ul><li>one</li><li>two</li></ul><div>three</div>"), "one\ntwo\nthree");
}

TEST(FeedUtilTest, NumbersFromAFeedSaturateInsteadOfOverflowing) {
  EXPECT_EQ(ClampInt(1e10, 0, std::numeric_limits<int>::max()), std::numeric_limits<int>::max());
  EXPECT_EQ(ClampInt(-1e10, 0, 100), 0);
  EXPECT_EQ(ClampInt(std::numeric_limits<double>::quiet_NaN(), 1, 8), 1);
  EXPECT_EQ(ClampInt(std::numeric_limits<double>::infinity(), 1, 8), 8);
  EXPECT_EQ(ClampInt(3.9, 0, 8), 3);
  EXPECT_EQ(ClampInt(9223372036854775807LL, 0, 1000), 1000);
  EXPECT_EQ(WithCommas(2310), "2,310");
  EXPECT_EQ(WithCommas(-1234567), "-1,234,567");
}

TEST(FeedUtilTest, CsvReaderSaysWhenTheDataWasCutShort) {
  CsvReader cut("a,b\n1,\"half a quoted");
  std::vector<std::string> f;
  ASSERT_TRUE(cut.Next(f));
  EXPECT_FALSE(cut.Next(f));
  EXPECT_NE(cut.error().find("ends inside a quoted field at line 2"), std::string::npos);
  CsvReader unterminated("a,b\n1,2");
  ASSERT_TRUE(unterminated.Next(f));
  EXPECT_FALSE(unterminated.last_record_unterminated());
  ASSERT_TRUE(unterminated.Next(f));
  EXPECT_TRUE(unterminated.last_record_unterminated());
  EXPECT_EQ(f, (std::vector<std::string>{"1", "2"}));
  EXPECT_TRUE(unterminated.error().empty());
}

TEST(FeedUtilTest, CsvReaderRefusesAGiantRecord) {
  CsvLimits limits;
  limits.max_record_bytes = 1000;
  const std::string giant = "a\n\"" + std::string(5000, 'x') + "\"\n";
  CsvReader csv(giant, limits);
  std::vector<std::string> f;
  ASSERT_TRUE(csv.Next(f));
  EXPECT_FALSE(csv.Next(f));
  EXPECT_NE(csv.error().find("longer than 1000 bytes"), std::string::npos);
  limits.max_fields = 10;
  const std::string commas(50, ',');
  CsvReader wide(commas, limits);
  EXPECT_FALSE(wide.Next(f));
  EXPECT_NE(wide.error().find("more than 10 fields"), std::string::npos);
}

}  // namespace
}  // namespace signpost::sync::feeds
