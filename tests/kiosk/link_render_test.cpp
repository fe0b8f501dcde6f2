// Issue 16: a link reaches a child's phone only if it is a plain http(s)
// address, checked again at render (the catalogue could hold an older or
// hand-edited row): the take-away text and the printed slip leave any other
// link out, and the detail screen draws no QR code for it.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <fstream>

#include "kiosk/receipt.h"
#include "kiosk_test_util.h"

namespace signpost::kiosk {
namespace {

TEST(LinkRenderTest, TheTakeAwayTextCarriesOnlyPlainWebLinks) {
  std::vector<ShortlistItem> list(3);
  list[0].title = "Plumbing";
  list[0].provider = "Northgate College";
  list[0].url = "javascript:alert(document.cookie)";
  list[1].title = "Bricklaying";
  list[1].provider = "Northgate College";
  list[1].url = "https://www.gov.uk@evil.example/";
  list[2].title = "Joinery";
  list[2].provider = "Northgate College";
  list[2].url = "https://northgate.example/joinery";
  const std::string text = TakeAwayText(list);
  EXPECT_EQ(text.find("javascript"), std::string::npos) << text;
  EXPECT_EQ(text.find("evil.example"), std::string::npos) << text;
  EXPECT_NE(text.find("https://northgate.example/joinery"), std::string::npos) << text;
  EXPECT_NE(text.find("Plumbing"), std::string::npos) << "the item stays, without its link";
}

}  // namespace
}  // namespace signpost::kiosk
