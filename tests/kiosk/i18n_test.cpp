// Translation tests: the Welsh catalogue compiled by msgfmt is found and used,
// unknown languages fall back to English, and counted messages take the
// right plural form (English 2 forms, Welsh 6) from the catalogue's
// Plural-Forms rule, which is parsed within bounds.
#include "kiosk/i18n.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace signpost::kiosk {
namespace {

TEST(I18nTest, WelshCatalogueTranslatesUiText) {
  ASSERT_TRUE(SetLanguage("cy"));
  EXPECT_EQ(CurrentLanguage(), "cy");
  EXPECT_STRNE(tr("Apprenticeships"), "Apprenticeships");
  EXPECT_STREQ(tr("A string nobody translated"), "A string nobody translated");
  ASSERT_TRUE(SetLanguage("en"));
  EXPECT_STREQ(tr("Apprenticeships"), "Apprenticeships");
}

TEST(I18nTest, UnknownLanguageStaysInEnglish) {
  EXPECT_FALSE(SetLanguage("xx"));
  EXPECT_EQ(CurrentLanguage(), "en");
}

TEST(I18nTest, MalformedMoIsRejected) {
  std::vector<MoEntry> out;
  EXPECT_FALSE(ParseMo("", &out));
  EXPECT_FALSE(ParseMo(std::string(64, '\xff'), &out));
  std::string bogus(28, '\0');
  bogus[0] = '\xde';
  bogus[1] = '\x12';
  bogus[2] = '\x04';
  bogus[3] = '\x95';
  bogus[8] = '\x7f';  // 127 strings in a 28-byte file
  EXPECT_FALSE(ParseMo(bogus, &out));
}

constexpr const char* kWelshRule =
    "Plural-Forms: nplurals=6; plural=(n==0) ? 0 : (n==1) ? 1 : (n==2) ? 2 : (n==3) ? 3 : "
    "(n==6) ? 4 : 5;\n";

TEST(I18nTest, WelshPluralRuleHasSixForms) {
  PluralRule r;
  ASSERT_TRUE(r.Parse(std::string("Language: cy\n") + kWelshRule));
  EXPECT_EQ(r.count(), 6);
  const int expected[] = {0, 1, 2, 3, 5, 5, 4, 5, 5, 5, 5, 5};
  for (int n = 0; n < 12; ++n) EXPECT_EQ(r.Index(n), expected[n]) << "n = " << n;
  EXPECT_EQ(r.Index(250000), 5);
}

TEST(I18nTest, OtherLanguagesPluralRulesEvaluateLikeC) {
  PluralRule polish;
  ASSERT_TRUE(polish.Parse(
      "Plural-Forms: nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || "
      "n%100>=20) ? 1 : 2);"));
  EXPECT_EQ(polish.Index(1), 0);
  EXPECT_EQ(polish.Index(3), 1);
  EXPECT_EQ(polish.Index(13), 2);
  EXPECT_EQ(polish.Index(22), 1);
  EXPECT_EQ(polish.Index(25), 2);
  PluralRule french;
  ASSERT_TRUE(french.Parse("Plural-Forms: nplurals=2; plural=(n > 1);"));
  EXPECT_EQ(french.Index(0), 0);
  EXPECT_EQ(french.Index(2), 1);
  PluralRule no_plural;
  ASSERT_TRUE(no_plural.Parse("Plural-Forms: nplurals=1; plural=0;"));
  EXPECT_EQ(no_plural.Index(7), 0);
}

TEST(I18nTest, AnUnreadablePluralRuleFallsBackToEnglishRules) {
  for (const std::string& bad : std::vector<std::string>{
           "", "Plural-Forms: nplurals=2;", "Plural-Forms: nplurals=9; plural=n;",
           "Plural-Forms: nplurals=2; plural=(n==1;", "Plural-Forms: nplurals=2; plural=n ? 1;",
           "Plural-Forms: nplurals=2; plural=n = 1;", "Plural-Forms: nplurals=2; plural=x;",
           "Plural-Forms: nplurals=2; plural=" + std::string(5000, '(') + "n" +
               std::string(5000, ')') + ";",
           "Plural-Forms: nplurals=2; plural=" + std::string(3000, '!') + "n;"}) {
    PluralRule r;
    EXPECT_FALSE(r.Parse(bad)) << bad.substr(0, 60);
    EXPECT_EQ(r.count(), 2);
    EXPECT_EQ(r.Index(1), 0);
    EXPECT_EQ(r.Index(0), 1);
    EXPECT_EQ(r.Index(5), 1);
  }
  PluralRule out_of_range;  // an index past nplurals is clamped to the last form
  ASSERT_TRUE(out_of_range.Parse("Plural-Forms: nplurals=2; plural=n*7;"));
  EXPECT_EQ(out_of_range.Index(3), 1);
  PluralRule divide;  // dividing by zero is 0, not a crash
  ASSERT_TRUE(divide.Parse("Plural-Forms: nplurals=2; plural=n/(n-n) + n%0;"));
  EXPECT_EQ(divide.Index(4), 0);
}

TEST(I18nTest, CountedMessagesTakeThePluralFormForTheNumber) {
  ASSERT_TRUE(SetLanguage("en"));
  EXPECT_STREQ(trn("%s result", "%s results", 1), "%s result");
  EXPECT_STREQ(trn("%s result", "%s results", 0), "%s results");
  EXPECT_STREQ(trn("%s result", "%s results", 2), "%s results");
  ASSERT_TRUE(SetLanguage("cy"));
  // The shipped Welsh catalogue: six forms, the numeral mutating the noun.
  EXPECT_STREQ(trn("%s result", "%s results", 1), "%s canlyniad");
  EXPECT_STREQ(trn("%s result", "%s results", 2), "%s ganlyniad");
  EXPECT_STREQ(trn("%s result", "%s results", 3), "%s chanlyniad");
  EXPECT_STREQ(trn("%s result", "%s results", 6), "%s chanlyniad");
  EXPECT_STREQ(trn("%s result", "%s results", 40), "%s canlyniad");
  // A message nobody translated stays in English, with English plurals.
  EXPECT_STREQ(trn("%d untranslated thing", "%d untranslated things", 1), "%d untranslated thing");
  EXPECT_STREQ(trn("%d untranslated thing", "%d untranslated things", 3), "%d untranslated things");
  ASSERT_TRUE(SetLanguage("en"));
}

}  // namespace
}  // namespace signpost::kiosk
