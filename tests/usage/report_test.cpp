// The usage report: totals and weeks from real counters, CSV that parses
// back to the same numbers, HTML with no external references and escaped
// search text, and a screenshot in headless Chromium that shows the charts.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include <stb_image.h>

#include "signpost/usage_report.h"
#include "test_util.h"

namespace signpost::usage {
namespace {

using catalogue::testing::TempDir;

constexpr UnixTime kMonday = 1794182400;  // 2026-11-09 00:00:00 UTC, a Monday
const Day kFirst = DayOf(kMonday);

std::string Read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A term of plausible use: four weeks, more apprenticeship interest later.
void FillTerm(UsageStore& store, int sessions_per_day = 12) {
  std::mt19937 rng(2026);
  const char* routes[] = {"fe", "tlevel", "he", "apprenticeship", "careers", "events"};
  const char* subjects[] = {"Engineering and manufacturing",
                            "Health and social care",
                            "Digital",
                            "Construction",
                            "Creative arts",
                            "Business"};
  for (int day = 0; day < 28; ++day) {
    if (day % 7 >= 5) continue;  // school days
    for (int i = 0; i < sessions_per_day; ++i) {
      SessionTally t;
      t.started = kMonday + day * 86400 + (8 + static_cast<int>(rng() % 8)) * 3600;
      t.seconds = static_cast<double>(rng() % 800);
      t.Add(kSessions);
      t.Add(SessionLengthCounter(t.seconds));
      int opened = 1 + static_cast<int>(rng() % 4);
      for (int k = 0; k < opened; ++k) {
        int r = static_cast<int>(rng() % 6);
        if (r == 2 && day > 14 && rng() % 2) r = 3;  // apprenticeships catch on
        t.Add(std::string("view.") + routes[r]);
        t.Once(std::string("explored.") + routes[r]);
        if (r < 4) t.Add(std::string("subject.") + subjects[rng() % 6]);
      }
      if (rng() % 3 == 0) t.Once("filter.text");
      if (rng() % 4 == 0) t.Once("filter.route");
      if (rng() % 9 == 0) t.Once("a11y.text_size");
      if (rng() % 15 == 0) t.Once("a11y.read_aloud");
      if (rng() % 5 == 0) {
        t.Once("shortlist.taken_away");
        t.Add("shortlist.items", 1 + static_cast<int>(rng() % 3));
      }
      if (rng() % 6 == 0) t.Once("screen.help");
      if (rng() % 7 == 0) {
        const char* wanted[] = {"marine biology", "game design", "vet nurse", "pilot"};
        t.missed_searches.insert(wanted[rng() % 4]);
        t.Add("search.none_found");
      }
      if (rng() % 11 == 0) {
        t.missed_searches.insert("one-off " + std::to_string(rng()));
        t.Add("search.none_found");
      }
      ASSERT_TRUE(store.RecordSession(t).ok());
    }
  }
}

// Minimal RFC 4180 reader for the test.
std::vector<std::vector<std::string>> ParseCsv(const std::string& text) {
  std::vector<std::vector<std::string>> rows(1, std::vector<std::string>(1));
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        rows.back().back().push_back('"');
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        rows.back().back().push_back(c);
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      rows.back().emplace_back();
    } else if (c == '\r') {
    } else if (c == '\n') {
      rows.emplace_back(1);
    } else {
      rows.back().back().push_back(c);
    }
  }
  if (rows.back().size() == 1 && rows.back()[0].empty()) rows.pop_back();
  return rows;
}

TEST(UsageReportTest, WeeksAndTotalsComeFromTheCounters) {
  TempDir dir;
  auto store = UsageStore::Open(dir.File("usage.db"));
  ASSERT_TRUE(store.ok());
  FillTerm(**store);
  // From a Wednesday: the first week is the Monday before.
  auto data = GatherReport(**store, kFirst + 2, kFirst + 27);
  ASSERT_TRUE(data.ok()) << data.status().ToString();
  ASSERT_EQ(data->weeks.size(), 4u);
  EXPECT_EQ(data->weeks[0].monday, kFirst);
  EXPECT_EQ(data->weeks[3].monday, kFirst + 21);
  // Week 1 only counts Wednesday to Friday: 3 school days of 12 sessions.
  EXPECT_EQ(data->weeks[0].totals[kSessions], 3 * 12);
  EXPECT_EQ(data->weeks[1].totals[kSessions], 5 * 12);
  EXPECT_EQ(data->Total(kSessions), (3 + 15) * 12);
  std::int64_t lengths = 0;
  for (const char* k : {"session_length.under_1m", "session_length.1_to_3m",
                        "session_length.3_to_10m", "session_length.over_10m"})
    lengths += data->Total(k);
  EXPECT_EQ(lengths, data->Total(kSessions));
  EXPECT_FALSE(GatherReport(**store, kFirst + 5, kFirst).ok());
}

TEST(UsageReportTest, CsvFilesParseBackToTheSameNumbers) {
  TempDir dir;
  auto store = UsageStore::Open(dir.File("usage.db"));
  ASSERT_TRUE(store.ok());
  FillTerm(**store);
  ReportOptions o;
  o.from = kFirst;
  o.to = kFirst + 27;
  o.out_dir = dir.File("out");
  auto files = WriteUsageReport(**store, o);
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  EXPECT_EQ(files->sessions, 20 * 12);
  EXPECT_EQ(files->paths.front(), dir.File("out") + "/report.html");
  auto data = GatherReport(**store, o.from, o.to);
  ASSERT_TRUE(data.ok());

  auto weekly = ParseCsv(Read(dir.File("out/weekly.csv")));
  ASSERT_EQ(weekly.size(), 1u + 4u);
  ASSERT_EQ(weekly[0][0], "week_beginning");
  ASSERT_EQ(weekly[0][1], "sessions");
  std::int64_t sum = 0, apprenticeship = 0;
  int col_app = -1;
  for (std::size_t c = 0; c < weekly[0].size(); ++c)
    if (weekly[0][c] == "view.apprenticeship") col_app = static_cast<int>(c);
  ASSERT_GE(col_app, 0);
  for (std::size_t r = 1; r < weekly.size(); ++r) {
    ASSERT_EQ(weekly[r].size(), weekly[0].size());
    sum += std::stoll(weekly[r][1]);
    apprenticeship += std::stoll(weekly[r][static_cast<std::size_t>(col_app)]);
  }
  EXPECT_EQ(weekly[1][0], "2026-11-09");
  EXPECT_EQ(sum, data->Total(kSessions));
  EXPECT_EQ(apprenticeship, data->Total("view.apprenticeship"));

  auto summary = ParseCsv(Read(dir.File("out/summary.csv")));
  std::map<std::string, std::string> kv;
  for (const auto& r : summary) {
    ASSERT_EQ(r.size(), 2u);
    kv[r[0]] = r[1];
  }
  EXPECT_EQ(kv["sessions"], std::to_string(20 * 12));
  EXPECT_EQ(kv["from"], "2026-11-09");
  EXPECT_EQ(kv["shortlist.taken_away"], std::to_string(data->Total("shortlist.taken_away")));

  // Missed searches: the four common ones have text; one-offs are one hidden row.
  auto missed = ParseCsv(Read(dir.File("out/missed_searches.csv")));
  std::set<std::string> texts;
  for (std::size_t r = 1; r < missed.size(); ++r) texts.insert(missed[r][0]);
  EXPECT_TRUE(texts.count("marine biology"));
  EXPECT_TRUE(texts.count("pilot"));
  for (const auto& t : texts) EXPECT_EQ(t.find("one-off"), std::string::npos) << t;
  EXPECT_NE(missed.back()[0].find("other searches"), std::string::npos);

  auto daily = ParseCsv(Read(dir.File("out/daily.csv")));
  std::int64_t daily_sessions = 0;
  for (std::size_t r = 1; r < daily.size(); ++r)
    if (daily[r][1] == "sessions") daily_sessions += std::stoll(daily[r][2]);
  EXPECT_EQ(daily_sessions, 20 * 12);
  // No temp files left behind.
  for (const auto& e : std::filesystem::directory_iterator(dir.File("out")))
    EXPECT_FALSE(e.path().string().ends_with(".tmp")) << e.path();
}

TEST(UsageReportTest, HtmlIsSelfContainedAndEscapesWhatItShows) {
  TempDir dir;
  auto store = UsageStore::Open(dir.File("usage.db"));
  ASSERT_TRUE(store.ok());
  for (int i = 0; i < 5; ++i) {
    SessionTally t;
    t.started = kMonday + i * 86400;
    t.Add(kSessions);
    t.missed_searches.insert("<script>alert(1)</script>");  // never kept: not words
    t.Add("subject.=HYPERLINK(\"http://x\") <b>");          // a hostile subject name
    ASSERT_TRUE((*store)->RecordSession(t).ok());
  }
  auto data = GatherReport(**store, kFirst, kFirst + 6);
  ASSERT_TRUE(data.ok());
  ReportOptions o;
  o.site_name = "Kirkhaven <Academy>";
  std::string html = RenderReportHtml(*data, o);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("alert"), std::string::npos);
  EXPECT_NE(html.find("Kirkhaven &lt;Academy&gt;"), std::string::npos);
  EXPECT_NE(html.find("&lt;b&gt;"), std::string::npos);
  EXPECT_EQ(html.find("<b>\""), std::string::npos);
  // Nothing is fetched: no src=, href=, url(), @import; the only URL is the SVG namespace.
  for (const char* bad : {"src=", "href=", "url(", "@import", "<link", "<script", "<iframe"})
    EXPECT_EQ(html.find(bad), std::string::npos) << bad;
  std::string no_ns = html;
  for (std::size_t p; (p = no_ns.find("http://www.w3.org/2000/svg")) != std::string::npos;)
    no_ns.erase(p, 26);
  EXPECT_EQ(no_ns.find("https://"), std::string::npos);
  EXPECT_NE(html.find("5 separate sessions on at least 3 different days"), std::string::npos);
  // A spreadsheet formula from a subject name is defused in the CSV.
  auto csv = RenderReportCsv(*data);
  EXPECT_NE(csv["subjects.csv"].find("\"'=HYPERLINK(\"\"http://x\"\") <b>\",5\r\n"),
            std::string::npos)
      << csv["subjects.csv"];
}

std::string FindChromium() {
  for (const char* p : {"/usr/bin/chromium", "/usr/bin/chromium-browser"})
    if (std::filesystem::exists(p)) return p;
  return "";
}

TEST(UsageReportTest, ChromiumRendersTheChartsWithNoNetwork) {
  const std::string chromium = FindChromium();
  if (chromium.empty())
    GTEST_SKIP() << "Debian's chromium is not installed (deploy/install-deps.sh)";
  TempDir dir;
  auto store = UsageStore::Open(dir.File("usage.db"));
  ASSERT_TRUE(store.ok());
  FillTerm(**store);
  ReportOptions o;
  o.from = kFirst;
  o.to = kFirst + 27;
  o.out_dir = SIGNPOST_REPORT_SCREENSHOT_DIR;
  o.site_name = "Kirkhaven Academy careers library";
  auto files = WriteUsageReport(**store, o);
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  const std::string png = std::string(SIGNPOST_REPORT_SCREENSHOT_DIR) + "/report.png";
  std::filesystem::remove(png);
  // --no-sandbox: tests may run as root; the profile goes in the temp dir.
  const std::string cmd = chromium +
                          " --headless --no-sandbox --disable-gpu --hide-scrollbars "
                          "--no-first-run --disable-background-networking "
                          "--user-data-dir=" +
                          dir.File("profile") + " --window-size=820,2600 --screenshot=" + png +
                          " file://" + files->paths.front() + " >" + dir.File("chromium.log") +
                          " 2>&1";
  int rc = std::system(cmd.c_str());
  ASSERT_EQ(WEXITSTATUS(rc), 0) << Read(dir.File("chromium.log"));
  int w = 0, h = 0, n = 0;
  unsigned char* px = stbi_load(png.c_str(), &w, &h, &n, 3);
  ASSERT_NE(px, nullptr) << "no screenshot at " << png;
  EXPECT_EQ(w, 820);
  // The charts drew: pixels in the apprenticeship green (#1e7a46) and the
  // FE blue (#1b6ca8), and plenty of non-white content overall.
  long green = 0, blue = 0, ink = 0;
  for (long i = 0; i < static_cast<long>(w) * h; ++i) {
    const unsigned char* p = px + i * 3;
    auto near = [&](int r, int g, int b) {
      return std::abs(p[0] - r) < 12 && std::abs(p[1] - g) < 12 && std::abs(p[2] - b) < 12;
    };
    if (near(0x1e, 0x7a, 0x46)) ++green;
    if (near(0x1b, 0x6c, 0xa8)) ++blue;
    if (p[0] < 200 || p[1] < 200 || p[2] < 200) ++ink;
  }
  stbi_image_free(px);
  EXPECT_GT(green, 2000) << "apprenticeship bars missing from " << png;
  EXPECT_GT(blue, 2000) << "college bars missing from " << png;
  EXPECT_GT(ink, static_cast<long>(w) * h / 50) << "the page looks blank: " << png;
  std::printf("usage report screenshot: %s (%dx%d)\n", png.c_str(), w, h);
}

}  // namespace
}  // namespace signpost::usage
