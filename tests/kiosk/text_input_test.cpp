// Typed text: whole UTF-8 characters only (never half of one at the input
// limit), control characters and broken sequences kept out, one neutral
// glyph for a character the fonts lack, and the on-screen keyboard's
// hyphen, apostrophe and limit cue.
#include <SDL.h>
#include <gtest/gtest.h>

#include <string>

#include "kiosk/app.h"
#include "kiosk/ui.h"
#include "kiosk_test_util.h"

namespace signpost::kiosk {
namespace {

bool ValidUtf8(const std::string& s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto lead = static_cast<unsigned char>(s[i]);
    std::size_t n = ui::Utf8CharLength(lead);
    if (lead >= 0x80 && lead < 0xC0) return false;
    if (i + n > s.size()) return false;
    for (std::size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    i += n;
  }
  return true;
}

TEST(TextInputTest, AppendingStopsBeforeACharacterThatDoesNotFit) {
  std::string text(58, 'a');
  // "ŵ" is two bytes: one fits in 60, the second does not, and is not cut.
  EXPECT_TRUE(ui::AppendWhole(&text, "\xC5\xB5\xC5\xB5", 60));
  EXPECT_EQ(text.size(), 60u);
  EXPECT_TRUE(ValidUtf8(text));
  std::string full(59, 'a');
  EXPECT_FALSE(ui::AppendWhole(&full, "\xE2\x82\xAC", 60));  // "€" needs 3 bytes, 1 is left
  EXPECT_EQ(full.size(), 59u);
  EXPECT_TRUE(ui::AtInputLimit(std::string(60, 'x'), 60));
  EXPECT_FALSE(ui::AtInputLimit(std::string(59, 'x'), 60));
}

TEST(TextInputTest, ControlCharactersAndBrokenSequencesNeverReachTheText) {
  std::string text;
  ui::AppendWhole(&text, "a\x01\tb\x7F\n", 60);
  EXPECT_EQ(text, "ab");
  ui::AppendWhole(&text, "\xC5", 60);              // a lead byte alone
  ui::AppendWhole(&text, "\xB5", 60);              // a continuation byte alone
  ui::AppendWhole(&text, "\xE2\x82x", 60);         // a sequence cut short
  ui::AppendWhole(&text, "\xF0\x9F\x98\x80", 60);  // an emoji: whole, 4 bytes
  EXPECT_EQ(text, "abx\xF0\x9F\x98\x80");
  EXPECT_TRUE(ValidUtf8(text));
  ui::EraseLastChar(&text);
  EXPECT_EQ(text, "abx");
}

TEST(TextInputTest, TypingPastTheLimitOnAPhysicalKeyboardKeepsWholeCharacters) {
  auto k = testing::MakeKiosk(testing::HeadlessOptions());
  ASSERT_TRUE(k);
  k->GoToScreen(Screen::kSearch);
  std::string welsh;
  for (int i = 0; i < 45; ++i) welsh += "\xC5\xB5";  // ŵ x 45 = 90 bytes
  k->Type(welsh);
  const std::string& have = k->app().session().search.text;
  EXPECT_EQ(have.size(), 60u);
  EXPECT_TRUE(ValidUtf8(have));
  k->Key(SDLK_BACKSPACE);
  EXPECT_EQ(k->app().session().search.text.size(), 58u);
  EXPECT_TRUE(ValidUtf8(k->app().session().search.text));
}

TEST(TextInputTest, ACharacterTheFontsLackIsOneNeutralGlyph) {
  auto k = testing::MakeKiosk(testing::HeadlessOptions());
  ASSERT_TRUE(k);
  k->GoToScreen(Screen::kHome);
  for (ImFont* f : {k->app().theme().body(), k->app().theme().heading()}) {
    ASSERT_TRUE(f);
    const ImFontGlyph* square = f->FindGlyphNoFallback(0x25A1);
    ASSERT_TRUE(square) << "the neutral glyph is not in the atlas";
    EXPECT_EQ(f->FindGlyph(0x5B57), square);  // a CJK character
    EXPECT_EQ(f->FindGlyph(0xFFFD), square);  // what a 4-byte emoji decodes to
    const float one = f->CalcTextSizeA(f->FontSize, FLT_MAX, 0, "\xE2\x96\xA1").x;
    EXPECT_FLOAT_EQ(f->CalcTextSizeA(f->FontSize, FLT_MAX, 0, "\xE5\xAD\x97").x, one);
    EXPECT_FLOAT_EQ(f->CalcTextSizeA(f->FontSize, FLT_MAX, 0, "\xF0\x9F\x98\x80").x, one);
    EXPECT_EQ(f->FindGlyph(0x0175)->Codepoint, 0x0175);  // Welsh ŵ is a real glyph
  }
}

}  // namespace
}  // namespace signpost::kiosk
