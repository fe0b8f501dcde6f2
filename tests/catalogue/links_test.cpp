// Issue 16: only http(s) links (and phone numbers, as tel:) reach the kiosk.
// The rules themselves, then the import applying them to every kind of
// record: a hostile link is dropped, the record kept, the report says so.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "signpost/catalogue.h"
#include "signpost/links.h"
#include "test_util.h"

namespace signpost::catalogue {
namespace {

using testing::MakeOpportunity;
using testing::MakeProvider;
using testing::OpenWriter;
using testing::TempDir;

TEST(LinkRulesTest, OnlyPlainHttpAndHttpsLinksAreAccepted) {
  for (const char* good : {"https://www.gov.uk/", "http://example.ac.uk/courses?id=4&x=y#top",
                           "HTTPS://WWW.UCAS.COM", "https://www.leeds-city.ac.uk:8443/a"})
    EXPECT_EQ(WebLinkProblem(good), "") << good;
  for (const char* bad :
       {"javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)",
        "data:text/html,<script>", "file:///etc/passwd", "intent://x#Intent;end", "sms:07700900123",
        "www.gov.uk", "//evil.example/", "https://www.gov.uk@evil.example/",
        "https://user:pw@evil.example/", "https://evil.example\\@www.gov.uk/",
        "https:// evil.example", "https://evil.example/\x1b[2J", "https://",
        "https://ex%61mple.com/", "https://xn--80ak6aa92e.com\xD0\xB0/", "https://a..b/"})
    EXPECT_NE(WebLinkProblem(bad), "") << bad;
  EXPECT_EQ(WebLinkProblem(""), "");
  EXPECT_EQ(WebLinkProblem(std::string(3000, 'a').insert(0, "https://x.uk/")),
            "the link is too long");
}

TEST(LinkRulesTest, TheHostShownUnderAQrCodeIsWhereTheLinkReallyGoes) {
  EXPECT_EQ(LinkHost("https://WWW.Gov.UK/apply"), "www.gov.uk");
  EXPECT_EQ(LinkHost("http://college.example:8080/x"), "college.example");
  EXPECT_EQ(LinkHost("https://www.gov.uk@evil.example/"), "");
  EXPECT_EQ(LinkHost("javascript:alert(1)"), "");
}

TEST(LinkRulesTest, PhoneNumbersBecomeTelLinksOfDigitsOnly) {
  EXPECT_EQ(TelLink("0800 100 900"), "tel:0800100900");
  EXPECT_EQ(TelLink("+44 (0)113 234-5678"), "tel:+4401132345678");
  EXPECT_EQ(TelLink("0800 100 900;ext=javascript"), "");
  EXPECT_NE(PhoneLinkProblem("call us"), "");
  EXPECT_NE(PhoneLinkProblem("12"), "");
}

std::string Column(Catalogue* c, const std::string& sql) {
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(c->handle(), sql.c_str(), -1, &s, nullptr);
  std::string out = "(no row)";
  if (sqlite3_step(s) == SQLITE_ROW) {
    const unsigned char* t = sqlite3_column_text(s, 0);
    out = t ? reinterpret_cast<const char*>(t) : "NULL";
  }
  sqlite3_finalize(s);
  return out;
}

TEST(LinkImportTest, AHostileLinkIsDroppedAtImportAndTheRecordKept) {
  TempDir dir;
  auto cat = OpenWriter(dir.File("c.db"));
  ImportOptions o;
  o.today = 20782;
  auto imp = cat->BeginImport("feed", o);
  ASSERT_TRUE(imp.ok());
  Provider p = MakeProvider("p1", "Northgate College");
  p.website = "https://www.gov.uk@evil.example/";
  p.phone = "0113 496 0000";
  ASSERT_TRUE((*imp)->AddProvider(p).ok());
  Opportunity a = MakeOpportunity("a", "Plumbing", "p1");
  a.url = "javascript:alert(document.cookie)";
  Opportunity b = MakeOpportunity("b", "Bricklaying", "p1");
  b.url = "https://northgate.example/bricklaying";
  ASSERT_TRUE((*imp)->AddOpportunity(a).ok());
  ASSERT_TRUE((*imp)->AddOpportunity(b).ok());
  Event e;
  e.source_id = "e1";
  e.title = "Open evening";
  e.start = 1830000000;  // 2027
  e.url = "data:text/html,<h1>hi</h1>";
  ASSERT_TRUE((*imp)->AddEvent(e).ok());
  LocalItem l;
  l.source_id = "l1";
  l.title = "Book a one-to-one";
  l.url = "file:///var/lib/signpost/catalogue.db";
  ASSERT_TRUE((*imp)->AddLocalItem(l).ok());
  auto report = (*imp)->Commit();
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->skipped, 0);
  EXPECT_EQ(Column(cat.get(), "SELECT count(*) FROM opportunity"), "2");
  EXPECT_EQ(Column(cat.get(), "SELECT coalesce(url,'') FROM opportunity WHERE source_id='a'"), "");
  EXPECT_EQ(Column(cat.get(), "SELECT url FROM opportunity WHERE source_id='b'"),
            "https://northgate.example/bricklaying");
  EXPECT_EQ(Column(cat.get(), "SELECT coalesce(website,'') FROM provider WHERE id='p1'"), "");
  EXPECT_EQ(Column(cat.get(), "SELECT phone FROM provider WHERE id='p1'"), "0113 496 0000");
  EXPECT_EQ(Column(cat.get(), "SELECT coalesce(url,'') FROM event"), "");
  EXPECT_EQ(Column(cat.get(), "SELECT coalesce(url,'') FROM local_item"), "");
  std::string all;
  for (const auto& pr : report->problems) all += pr + "\n";
  EXPECT_NE(all.find("opportunity a: url dropped: javascript: is not a web link"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("provider p1: website dropped"), std::string::npos) << all;
}

}  // namespace
}  // namespace signpost::catalogue
