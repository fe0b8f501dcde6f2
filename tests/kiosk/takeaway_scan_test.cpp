// The take-away QR codes read by a real decoder (zbarimg, from Debian's
// zbar-tools) off the kiosk's own screenshots, at every panel size: a
// twelve-item shortlist leaves whole, every code reads, and every module is
// drawn big enough to scan at arm's length.
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "kiosk/screens/search.h"
#include "kiosk/takeaway.h"
#include "kiosk/ui.h"
#include "kiosk_test_util.h"

namespace signpost::kiosk {
namespace {

// Every QR code zbarimg finds in a PNG, as the text it holds. zbarimg's XML
// output keeps codes apart (their text has newlines of its own).
std::vector<std::string> Decode(const std::string& png, std::string* error) {
  const std::string cmd = "zbarimg --quiet --xml -Sdisable -Sqrcode.enable '" + png + "' 2>&1";
  FILE* f = ::popen(cmd.c_str(), "r");
  if (!f) {
    *error = "cannot run zbarimg";
    return {};
  }
  std::string xml;
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) xml.append(buf, n);
  const int status = ::pclose(f);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
    *error = "zbarimg is not installed (deploy/install-deps.sh installs zbar-tools)";
    return {};
  }
  std::vector<std::string> out;
  const std::string open = "<data><![CDATA[", close = "]]></data>";
  for (std::size_t at = xml.find(open); at != std::string::npos; at = xml.find(open, at)) {
    at += open.size();
    const std::size_t end = xml.find(close, at);
    if (end == std::string::npos) break;
    out.push_back(xml.substr(at, end - at));
    at = end;
  }
  return out;
}

void TapNamed(Kiosk& k, const std::string& name) {
  for (const auto& t : ui::LastFrame().tappables())
    if (t.label == name && t.Visible()) {
      const ImVec2 at = t.TapPoint();
      k.Tap(at.x, at.y);
      return;
    }
  ADD_FAILURE() << "no '" << name << "' to tap";
}

TEST(TakeAwayScanTest, TwelveItemsLeaveWholeAndEveryCodeScansAtEverySize) {
  testing::TempDir dir;
  const std::pair<int, int> sizes[] = {
      {800, 480}, {1024, 600}, {1280, 800}, {1080, 1920}, {1920, 1080}};
  for (auto [w, h] : sizes) {
    SCOPED_TRACE(std::to_string(w) + "x" + std::to_string(h));
    auto k = testing::MakeKiosk(testing::HeadlessOptions(w, h));
    ASSERT_TRUE(k);
    // Twelve real items, shortlisted with the star as a student would.
    k->GoToScreen(Screen::kSearch);
    auto& search = k->app().view_as<SearchScreen>(Screen::kSearch);
    search.RequestRows(k->app(), 0, 12);
    k->Settle();
    std::vector<std::string> titles;
    for (int i = 0; i < 12; ++i) {
      const auto* row = search.results(k->app()).Row(i);
      ASSERT_NE(row, nullptr) << i;
      k->app().ToggleShortlist(*row);
      titles.push_back(row->title + " - " + row->provider_name);  // as the code says it
    }
    k->Settle();  // contact details and links arrive
    k->app().Go(Screen::kShortlist);
    k->Settle();
    ASSERT_EQ(k->app().session().shortlist.size(), 12u);

    std::set<std::string> read;  // the codes' texts as the decoder read them
    std::size_t pages = 0;
    for (std::size_t page = 0; page < 40; ++page) {
      const auto codes = ui::LastFrame().codes();
      ASSERT_EQ(codes.size(), 1u) << "one code at a time";
      const ui::DrawnCode& code = codes.front();
      EXPECT_GE(code.module_px, kMinModulePx) << "modules of " << code.module_px << " px";
      EXPECT_GE(code.rect.Min.x, 0);
      EXPECT_LE(code.rect.Max.y, static_cast<float>(h)) << "the whole code is on screen";
      const std::string png = dir.File("code.png");
      ASSERT_TRUE(k->Screenshot(png));
      std::string error;
      const auto decoded = Decode(png, &error);
      ASSERT_EQ(error, "");
      ASSERT_EQ(decoded.size(), 1u) << "page " << page;
      EXPECT_EQ(decoded.front(), code.text) << "the decoder reads what the code holds";
      read.insert(decoded.front());
      ++pages;
      // "Next code" is offered while there are more.
      bool more = false;
      for (const auto& t : ui::LastFrame().tappables())
        if (t.label == "Next code") more = t.enabled;
      if (!more) break;
      TapNamed(*k, "Next code");
    }
    EXPECT_GT(pages, 1u) << "twelve items take several codes";
    EXPECT_EQ(read.size(), pages) << "each page shows a different code";
    for (const auto& title : titles) {
      int found = 0;
      for (const auto& text : read) found += text.find(title) != std::string::npos;
      EXPECT_GE(found, 1) << "'" << title << "' leaves in a code";
    }
  }
}

}  // namespace
}  // namespace signpost::kiosk
