// Translation tests: the Welsh catalogue compiled by msgfmt is found and used,
// and unknown languages fall back to English.
#include "kiosk/i18n.h"

#include <gtest/gtest.h>

#include <string>

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
  std::vector<std::pair<std::string, std::string>> out;
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

}  // namespace
}  // namespace signpost::kiosk
