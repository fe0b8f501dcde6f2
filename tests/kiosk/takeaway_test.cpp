// The take-away codes: every shortlisted item leaves with the student, in as
// many codes as it takes, none bigger than asked for.
#include "kiosk/takeaway.h"

#include <gtest/gtest.h>

#include "kiosk/qr.h"
#include "kiosk/receipt.h"

namespace signpost::kiosk {
namespace {

std::vector<ShortlistItem> Items(int n) {
  std::vector<ShortlistItem> out;
  for (int i = 0; i < n; ++i) {
    ShortlistItem s;
    s.rowid = i + 1;
    s.title = "Course number " + std::to_string(i + 1) + " in engineering and manufacturing";
    s.provider = "Calder Valley College";
    s.contact = "0113 496 0" + std::to_string(100 + i);
    s.url = "https://www.caldervalley.example.ac.uk/courses/" + std::to_string(i + 1);
    out.push_back(s);
  }
  return out;
}

TEST(TakeAwayTest, TwelveItemsAllLeaveInCodesNoBiggerThanAsked) {
  const auto list = Items(12);
  for (int max_modules : {37, 45, 57, 77}) {
    SCOPED_TRACE(max_modules);
    const auto codes = TakeAwayCodes(list, max_modules);
    ASSERT_GT(codes.size(), 1u) << "twelve items do not fit one small code";
    for (std::size_t i = 0; i < codes.size(); ++i) {
      const QrCode qr = MakeQr(codes[i]);
      ASSERT_GT(qr.width, 0);
      EXPECT_LE(qr.width, max_modules) << codes[i];
      EXPECT_EQ(codes[i].rfind("Signpost " + std::to_string(i + 1) + " of " +
                                   std::to_string(codes.size()) + "\n",
                               0),
                0u)
          << codes[i];
    }
    // Every item is in exactly one code; whole (title, provider, contact)
    // when the codes are not tiny.
    for (std::size_t i = 0; i < list.size(); ++i) {
      const auto& s = list[i];
      const std::string start = "\n" + std::to_string(i + 1) + ". Course number ";
      const std::string whole = s.title + " - " + s.provider + " - " + s.contact;
      int found = 0, complete = 0;
      for (const auto& c : codes) {
        found += c.find(start) != std::string::npos;
        complete += c.find(whole) != std::string::npos;
      }
      EXPECT_EQ(found, 1) << s.title;
      if (max_modules >= 57) {
        EXPECT_EQ(complete, 1) << s.title;
      }
    }
  }
}

TEST(TakeAwayTest, OneSmallListIsOneCodeWithTheHelpline) {
  const auto codes = TakeAwayCodes(Items(1), 57);
  ASSERT_EQ(codes.size(), 1u);
  EXPECT_EQ(codes[0].rfind("Signpost shortlist\n", 0), 0u);
  EXPECT_NE(codes[0].find("https://www.caldervalley.example.ac.uk/courses/1"), std::string::npos);
  EXPECT_NE(codes[0].find("National Careers Service: 0800 100 900"), std::string::npos);
  EXPECT_TRUE(TakeAwayCodes({}, 57).empty());
}

TEST(TakeAwayTest, AnItemTooBigForAnyCodeStillLeavesShortened) {
  auto list = Items(2);
  list[0].title = std::string(3000, 'x');  // a feed's runaway title
  list[0].url = "https://example.org/" + std::string(500, 'y');
  list[0].title.replace(0, 5, "Start");
  const auto codes = TakeAwayCodes(list, 37);
  ASSERT_FALSE(codes.empty());
  bool first = false, second = false;
  for (const auto& c : codes) {
    EXPECT_LE(MakeQr(c).width, 37);
    first = first || c.find("1. Start") != std::string::npos;
    second = second || c.find("2. Course number 2") != std::string::npos;
  }
  EXPECT_TRUE(first) << "the long item is there, cut short";
  EXPECT_TRUE(second);
}

TEST(TakeAwayTest, UnicodeIsNeverCutInHalf) {
  auto list = Items(1);
  list[0].title = "";
  for (int i = 0; i < 200; ++i) list[0].title += "\xC5\xB5";  // ŵ, two bytes each
  const auto codes = TakeAwayCodes(list, 37);
  ASSERT_EQ(codes.size(), 1u);
  // Valid UTF-8 throughout: every continuation byte follows a lead byte.
  const std::string& c = codes[0];
  for (std::size_t i = 0; i < c.size(); ++i) {
    const auto b = static_cast<unsigned char>(c[i]);
    if (b == 0xC5) {
      ASSERT_LT(i + 1, c.size());
      EXPECT_EQ(static_cast<unsigned char>(c[i + 1]), 0xB5);
    }
    if (b == 0xB5) {
      ASSERT_GT(i, 0u);
      EXPECT_EQ(static_cast<unsigned char>(c[i - 1]), 0xC5);
    }
  }
}

TEST(TakeAwayTest, ThePrintedSlipCarriesEveryCode) {
  const auto list = Items(12);
  const auto codes = TakeAwayCodes(list, kSlipCodeModules);
  const std::string slip = EncodeSlip(list, SlipOptions{});
  for (const auto& c : codes) EXPECT_NE(slip.find(c), std::string::npos);
}

TEST(TakeAwayTest, MaxModulesForKeepsFourPixelsAModule) {
  EXPECT_EQ(MaxModulesFor(4.0f * (57 + 8)), 57);
  EXPECT_EQ(MaxModulesFor(4.0f * (57 + 8) + 3), 57);
  EXPECT_EQ(MaxModulesFor(50), kMinCodeModules) << "never below the smallest code";
}

}  // namespace
}  // namespace signpost::kiosk
