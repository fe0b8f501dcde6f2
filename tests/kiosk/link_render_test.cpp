// Issue 16: a link reaches a child's phone only if it is a plain http(s)
// address, checked again at render (the catalogue could hold an older or
// hand-edited row): the take-away text and the printed slip leave any other
// link out, and the detail screen draws no QR code for it.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <fstream>

#include "kiosk/receipt.h"
#include "kiosk/script.h"
#include "kiosk/takeaway.h"
#include "kiosk_test_util.h"

namespace signpost::kiosk {
namespace {

TEST(LinkRenderTest, TheTakeAwayCodesCarryOnlyPlainWebLinks) {
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
  std::string text;  // every code, on screen and on the slip
  for (int modules : {37, 57, kSlipCodeModules})
    for (const auto& code : TakeAwayCodes(list, modules)) text += code;
  text += EncodeSlip(list, SlipOptions{});
  EXPECT_EQ(text.find("javascript"), std::string::npos) << text;
  EXPECT_EQ(text.find("evil.example"), std::string::npos) << text;
  EXPECT_NE(text.find("https://northgate.example/joinery"), std::string::npos) << text;
  EXPECT_NE(text.find("Plumbing"), std::string::npos) << "the item stays, without its link";
}

bool Sql(const std::string& db, const std::string& sql) {
  sqlite3* h = nullptr;
  const bool ok = sqlite3_open(db.c_str(), &h) == SQLITE_OK &&
                  sqlite3_exec(h, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK;
  sqlite3_close(h);
  return ok;
}

using testing::RunWords;

// A catalogue holding links the import would never have let in (an older
// catalogue, or one edited by hand): the detail screen checks again.
TEST(LinkRenderTest, TheDetailScreenShowsWhereAQrCodeLeadsAndNoCodeForABadLink) {
  testing::TempDir dir;
  const std::string db = dir.File("links.db");
  ASSERT_TRUE(Sql(testing::SampleCatalogue(), "VACUUM INTO '" + db + "'"));
  ASSERT_TRUE(Sql(db,
                  "UPDATE opportunity SET url = 'https://www.gov.uk@evil.example/' WHERE rowid = "
                  "(SELECT min(rowid) FROM opportunity);"
                  "UPDATE opportunity SET url = 'https://careers.example.ac.uk/joinery' WHERE "
                  "rowid = (SELECT max(rowid) FROM opportunity);"));
  sqlite3* h = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &h), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(h, "SELECT min(rowid), max(rowid) FROM opportunity", -1, &st, nullptr);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  const std::int64_t bad = sqlite3_column_int64(st, 0), good = sqlite3_column_int64(st, 1);
  sqlite3_finalize(st);
  sqlite3_close(h);
  for (auto [w, ht] : {std::pair{800, 480}, std::pair{1080, 1920}}) {
    RunOptions o = testing::HeadlessOptions(w, ht);
    o.config.catalogue_path = db;
    auto k = testing::MakeKiosk(o);
    ASSERT_TRUE(k);
    k->GoToScreen(Screen::kHome);
    k->app().Go(Screen::kDetail, good);
    k->Settle();
    std::string error;
    // On a portrait totem the code is at the end of the page, below the fold.
    EXPECT_TRUE(RunWords(*k,
                         "scroll-to Opens careers.example.ac.uk\n"
                         "expect-text Opens careers.example.ac.uk\n",
                         &error))
        << w << "x" << ht << ": " << error;
    k->app().Go(Screen::kDetail, bad);
    k->Settle();
    EXPECT_TRUE(RunWords(*k,
                         "expect-no-text evil.example\nexpect-no-text Opens\n"
                         "expect-no-text Open this on your phone\n",
                         &error))
        << w << "x" << ht << ": " << error;
  }
}

}  // namespace
}  // namespace signpost::kiosk
