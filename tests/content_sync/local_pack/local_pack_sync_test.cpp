// The local pack as a feed, into a real catalogue: imports the good items,
// keeps the last good pack when nothing is usable or the stick is gone,
// skips an unchanged pack, copies pictures beside the catalogue (old copies
// removed only after a commit); and the CLI commands end to end.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "cli/cli.h"
#include "local_pack/local_pack_sync.h"
#include "pack_test_util.h"
#include "signpost/catalogue.h"
#include "signpost/search.h"
#include "signpost/usage.h"
#include "test_util.h"

namespace signpost::sync {
namespace {

using catalogue::testing::TempDir;
using testing::MakePng;
using testing::WriteFile;
namespace cat = signpost::catalogue;
namespace fs = std::filesystem;

class LocalPackSyncTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto c = cat::Catalogue::Open(dir.File("catalogue.db"));
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    catalogue = std::move(c.value());
    env.catalogue = catalogue.get();
    env.clock = &clock;
    env.state_file = dir.File("sync-state.json");
    env.log = [this](LogLevel, const std::string& line) { log += line + "\n"; };
    feed.name = "school";
    feed.kind = std::string(kLocalPackKind);
    feed.url = "file://" + dir.File("usb/local-content");
  }
  void WriteGoodPack(const std::string& story = "It was great.") {
    WriteFile(dir.File("usb/local-content/notice.toml"),
              "kind = \"notice\"\ntitle = \"Forms due\"\ntext = \"Friday\"\n");
    WriteFile(dir.File("usb/local-content/alumni/sam.png"), MakePng(40, 30));
    WriteFile(dir.File("usb/local-content/alumni/sam.toml"),
              "kind = \"alumni\"\nname = \"Sam\"\nwent_to = \"an engineering apprenticeship\"\n"
              "provider = \"Harland\"\nroute = \"apprenticeship\"\nphoto = \"sam.png\"\n"
              "subject_area = \"Engineering and manufacturing\"\nstory = \"" +
                  story + "\"\n");
  }
  std::vector<cat::LocalItem> Items() {
    auto r = catalogue->LocalItems(std::nullopt, TodayUtc());
    EXPECT_TRUE(r.ok());
    return r.ok() ? r.value() : std::vector<cat::LocalItem>{};
  }
  const cat::LocalItem* Story() {
    items_ = Items();
    for (const auto& i : items_)
      if (i.kind == cat::LocalKind::kAlumniStory) return &i;
    return nullptr;
  }
  TempDir dir;
  std::unique_ptr<cat::Catalogue> catalogue;
  FakeClock clock;
  SyncEnv env;
  FeedSettings feed;
  std::string log;
  std::vector<cat::LocalItem> items_;
};

TEST_F(LocalPackSyncTest, ImportsThePackAndCopiesPicturesBesideTheCatalogue) {
  WriteGoodPack();
  FeedOutcome o = SyncFeed(feed, env);  // through the engine's own entry point
  ASSERT_EQ(o.result, "ok") << o.status.ToString() << log;
  EXPECT_EQ(o.records, 2);
  const cat::LocalItem* story = Story();
  ASSERT_NE(story, nullptr);
  EXPECT_EQ(story->title, "Sam went from here to an engineering apprenticeship");
  EXPECT_EQ(story->route, cat::Route::kApprenticeship);
  const std::string root = LocalPackImageRoot(dir.File("catalogue.db"), "school");
  EXPECT_TRUE(story->image_path.starts_with(root)) << story->image_path;
  // The stick is removed: the copy is still there.
  fs::remove_all(dir.File("usb"));
  EXPECT_TRUE(fs::is_regular_file(story->image_path));
  EXPECT_EQ(fs::file_size(story->image_path), MakePng(40, 30).size());
}

TEST_F(LocalPackSyncTest, ASchoolsOwnSearchWordsAreSearchedLikeTheShippedOnes) {
  WriteGoodPack();
  // "harland" is only a provider name in the pack's alumni story; the school
  // tells search that students call it "the works".
  WriteFile(dir.File("usb/local-content/search-words.toml"),
            "kind = \"search\"\nwords = \"the works, works placement\"\n"
            "means = \"harland, ~route:apprenticeship\"\n");
  WriteFile(dir.File("usb/local-content/bad-search.toml"),
            "kind = \"search\"\nwords = \"x\"\nmeans = \"route:space\"\n");
  FeedOutcome o = SyncFeed(feed, env);
  ASSERT_EQ(o.result, "ok") << o.status.ToString() << log;
  EXPECT_EQ(o.skipped, 1);
  ASSERT_FALSE(o.problems.empty());
  EXPECT_NE(o.problems[0].find("route:space\" is not a route"), std::string::npos) << o.problems[0];
  for (const auto& i : Items()) EXPECT_EQ(i.title.find("Search words"), std::string::npos);
  auto engine = cat::SearchEngine::Create(catalogue.get());
  ASSERT_TRUE(engine.ok()) << engine.status().ToString();
  EXPECT_TRUE((*engine)->AliasProblems().empty());
  auto r = (*engine)->Search({.text = "the works"});
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->local_items().size(), 1u);
  EXPECT_FALSE(r->corrected());
}

TEST_F(LocalPackSyncTest, AnUnchangedPackIsNotImportedAgain) {
  WriteGoodPack();
  ASSERT_EQ(SyncFeed(feed, env).result, "ok");
  EXPECT_FALSE(catalogue->HasChanged());
  auto other = cat::Catalogue::Open(dir.File("catalogue.db"), {.read_only = true});
  ASSERT_TRUE(other.ok());
  (*other)->HasChanged();
  FeedOutcome o = SyncFeed(feed, env);
  EXPECT_EQ(o.result, "unchanged") << o.status.ToString();
  EXPECT_FALSE((*other)->HasChanged()) << "an unchanged pack wrote to the catalogue";
  WriteGoodPack("Edited story.");
  EXPECT_EQ(SyncFeed(feed, env).result, "ok");
  ASSERT_NE(Story(), nullptr);
  EXPECT_EQ(Story()->body, "Edited story.");
}

TEST_F(LocalPackSyncTest, APartlyBadPackLoadsTheRestAndSaysWhy) {
  WriteGoodPack();
  WriteFile(dir.File("usb/local-content/bad.toml"), "kind = \"notice\"\ntitle = \"x\"\n");
  FeedOutcome o = SyncFeed(feed, env);
  ASSERT_EQ(o.result, "ok");
  EXPECT_EQ(o.records, 2);
  EXPECT_EQ(o.skipped, 1);
  ASSERT_FALSE(o.problems.empty());
  EXPECT_NE(o.problems[0].find("bad.toml: text: is missing"), std::string::npos) << o.problems[0];
  EXPECT_NE(log.find("feed=school rejected: bad.toml: text: is missing"), std::string::npos) << log;
}

TEST_F(LocalPackSyncTest, TheLastGoodPackStaysWhenNothingIsUsableOrTheStickIsGone) {
  WriteGoodPack();
  ASSERT_EQ(SyncFeed(feed, env).result, "ok");
  const std::string picture = Story()->image_path;

  // Every item broken.
  WriteFile(dir.File("usb/local-content/notice.toml"), "kind = \"notice\"\n");
  WriteFile(dir.File("usb/local-content/alumni/sam.toml"), "kind = \"alumni\"\nname = 3\n");
  FeedOutcome o = SyncFeed(feed, env);
  EXPECT_EQ(o.result, "failed");
  EXPECT_NE(o.status.message().find("the last good pack stays"), std::string::npos);
  EXPECT_EQ(Items().size(), 2u);
  EXPECT_TRUE(fs::exists(picture));

  // An empty folder (an unmounted stick's mount point).
  fs::remove_all(dir.File("usb/local-content"));
  fs::create_directories(dir.File("usb/local-content"));
  o = SyncFeed(feed, env);
  EXPECT_EQ(o.result, "failed");
  EXPECT_NE(o.status.message().find("no item files"), std::string::npos);
  EXPECT_EQ(Items().size(), 2u);

  // No folder at all.
  fs::remove_all(dir.File("usb"));
  o = SyncFeed(feed, env);
  EXPECT_EQ(o.result, "failed");
  EXPECT_EQ(o.status.code(), Status::Code::kNotFound);
  EXPECT_EQ(Items().size(), 2u);
  EXPECT_TRUE(fs::exists(picture));
}

TEST_F(LocalPackSyncTest, OldPictureCopiesGoOnlyAfterTheNewPackCommits) {
  WriteGoodPack();
  ASSERT_EQ(SyncFeed(feed, env).result, "ok");
  const std::string first = Story()->image_path;
  WriteFile(dir.File("usb/local-content/alumni/sam.png"), MakePng(50, 50));
  ASSERT_EQ(SyncFeed(feed, env).result, "ok");
  const std::string second = Story()->image_path;
  EXPECT_NE(first, second);
  EXPECT_FALSE(fs::exists(first));
  EXPECT_TRUE(fs::exists(second));
  // Exactly one generation folder, no temp folders.
  int entries = 0;
  for (const auto& e :
       fs::directory_iterator(LocalPackImageRoot(dir.File("catalogue.db"), "school"))) {
    ++entries;
    EXPECT_FALSE(e.path().filename().string().starts_with(".")) << e.path();
  }
  EXPECT_EQ(entries, 1);
}

TEST_F(LocalPackSyncTest, ATeacherRemovingMostItemsIsNotHeldBack) {
  for (int i = 0; i < 60; ++i)
    WriteFile(dir.File("usb/local-content/n" + std::to_string(i) + ".toml"),
              "kind = \"notice\"\ntitle = \"N" + std::to_string(i) + "\"\ntext = \"x\"\n");
  ASSERT_EQ(SyncFeed(feed, env).result, "ok");
  fs::remove_all(dir.File("usb/local-content"));
  WriteFile(dir.File("usb/local-content/only.toml"),
            "kind = \"notice\"\ntitle = \"Only\"\ntext = \"x\"\n");
  FeedOutcome o = SyncFeed(feed, env);
  EXPECT_EQ(o.result, "ok") << o.status.ToString();
  EXPECT_EQ(Items().size(), 1u);
}

// [SECTION] CLI --------------------------------------------------------------------------------

int RunCommand(const std::vector<std::string>& args, std::string* out, std::string* err) {
  std::ostringstream o, e;
  int code = RunCli(args, o, e);
  *out = o.str();
  *err = e.str();
  return code;
}

// A school event keeps its day, times and place through the import; an
// edit that breaks its date (or time) is rejected and the event as it was
// stays, with the reason in the outcome (the feed's status) and the log.
TEST_F(LocalPackSyncTest, ASchoolEventKeepsItsDayAndTimeAndABadEditKeepsTheLastGoodOne) {
  const Day day = TodayUtc() + 10;
  const std::string path = dir.File("usb/local-content/events/fair.toml");
  WriteFile(path, "kind = \"event\"\ntitle = \"Careers fair\"\ndate = " + FormatIsoDate(day) +
                      "\ntime = \"9.30am to 12pm\"\nwhere = \"Sports hall\"\nmore = \"Stalls.\"\n");
  ASSERT_EQ(SyncFeed(feed, env).result, "ok") << log;
  auto check = [&] {
    std::vector<cat::LocalItem> items = Items();
    ASSERT_EQ(items.size(), 1u);
    const cat::LocalItem& e = items[0];
    EXPECT_EQ(e.kind, cat::LocalKind::kSchoolEvent);
    EXPECT_EQ(e.event_day, day);
    EXPECT_EQ(e.event_start_minute, 9 * 60 + 30);
    EXPECT_EQ(e.event_end_minute, 12 * 60);
    EXPECT_EQ(e.place, "Sports hall");
    EXPECT_EQ(e.body, "Stalls.");
    EXPECT_GT(e.rowid, 0);
  };
  check();
  for (const std::string& bad :
       {std::string("date = \"2027-02-30\"\ntime = \"09:30\"\n"),
        std::string("date = ") + FormatIsoDate(day) + "\ntime = \"half nine\"\n"}) {
    SCOPED_TRACE(bad);
    WriteFile(path, "kind = \"event\"\ntitle = \"Careers fair\"\n" + bad);
    log.clear();
    FeedOutcome o = SyncFeed(feed, env);
    EXPECT_EQ(o.result, "failed");
    EXPECT_NE(o.status.message().find("the last good pack stays"), std::string::npos)
        << o.status.ToString();
    EXPECT_NE(log.find("rejected: events/fair.toml:"), std::string::npos) << log;
    EXPECT_TRUE(log.find("is not a date") != std::string::npos ||
                log.find("is not a time") != std::string::npos)
        << log;
    EXPECT_NE(o.status.message().find("was rejected"), std::string::npos) << o.status.ToString();
    check();
  }
}

TEST(LocalPackCliTest, ValidatePackPrintsEachItemAndExitsByOutcome) {
  TempDir dir;
  std::string out, err;
  EXPECT_EQ(RunCommand({"validate-pack", SIGNPOST_EXAMPLE_PACK}, &out, &err), 0) << out << err;
  EXPECT_NE(out.find("ok:    alumni/sam.toml"), std::string::npos) << out;
  EXPECT_NE(out.find("6 item files: 6 ok, 0 rejected"), std::string::npos) << out;
  EXPECT_NE(out.find("ok:    search-words.toml"), std::string::npos) << out;
  // How the event's day and time were read.
  EXPECT_NE(out.find("ok:    events/options-evening.toml (school_event: \"Year 11 options evening "
                     "for parents and carers\", Thu 28 Jan 2027 18:00 to 20:00)"),
            std::string::npos)
      << out;

  WriteFile(dir.File("p/good.toml"), "kind = \"notice\"\ntitle = \"x\"\ntext = \"y\"\n");
  WriteFile(dir.File("p/bad.toml"), "kind = \"notice\"\ntitle = \"x\"\ncolour = \"red\"\n");
  EXPECT_EQ(RunCommand({"validate-pack", dir.File("p")}, &out, &err), 1) << out << err;
  EXPECT_NE(out.find("REJECTED: bad.toml"), std::string::npos) << out;
  EXPECT_NE(out.find("error: bad.toml:3: colour: is not a field"), std::string::npos) << out;
  // `validate FOLDER` is the same command.
  EXPECT_EQ(RunCommand({"validate", dir.File("p")}, &out, &err), 1) << out << err;
  EXPECT_NE(out.find("REJECTED: bad.toml"), std::string::npos) << out;
  EXPECT_EQ(RunCommand({"validate", "--kind", "local-pack", dir.File("p")}, &out, &err), 1)
      << out << err;
  EXPECT_NE(out.find("REJECTED: bad.toml"), std::string::npos) << out;

  std::filesystem::remove(dir.File("p/good.toml"));
  EXPECT_EQ(RunCommand({"validate-pack", dir.File("p")}, &out, &err), kExitPayloadRejected);
  EXPECT_EQ(RunCommand({"validate-pack", dir.File("nope")}, &out, &err), kExitPayloadRejected);
  EXPECT_NE(err.find("is not there"), std::string::npos) << err;
  EXPECT_EQ(RunCommand({"validate-pack"}, &out, &err), kExitUsage);
}

TEST(LocalPackCliTest, OnceImportsALocalPackFeedFromTheConfig) {
  TempDir dir;
  std::ofstream(dir.File("kiosk.toml"))
      << "[sync]\ncatalogue = \"" << dir.File("catalogue.db") << "\"\n"
      << "[[feed]]\nname = \"school\"\nkind = \"local-pack\"\nurl = \"file://"
      << SIGNPOST_EXAMPLE_PACK << "\"\n";
  std::string out, err;
  ASSERT_EQ(RunCommand({"--config", dir.File("kiosk.toml"), "once"}, &out, &err), 0) << out << err;
  EXPECT_EQ(RunCommand({"--config", dir.File("kiosk.toml"), "status"}, &out, &err), 0)
      << out << err;
  EXPECT_NE(out.find("school"), std::string::npos) << out;
  auto c = cat::Catalogue::Open(dir.File("catalogue.db"), {.read_only = true});
  ASSERT_TRUE(c.ok());
  auto items = (*c)->LocalItems(std::nullopt, DayFromCivil(2026, 11, 25));
  ASSERT_TRUE(items.ok());
  EXPECT_EQ(items->size(), 5u);
  EXPECT_NE(HelpText().find("validate-pack FOLDER"), std::string::npos);
}

TEST(LocalPackCliTest, ReportWritesHtmlAndCsvOrSaysWhatIsWrong) {
  TempDir dir;
  {
    auto store = usage::UsageStore::Open(dir.File("usage.db"));
    ASSERT_TRUE(store.ok());
    usage::SessionTally t;
    t.started = 1794182400;  // 2026-11-09
    t.Add(usage::kSessions);
    t.Add("view.apprenticeship");
    ASSERT_TRUE((*store)->RecordSession(t).ok());
  }
  std::string out, err;
  EXPECT_EQ(RunCommand({"report", "--usage", dir.File("usage.db"), "--from", "2026-11-01", "--to",
                        "2026-11-30", "--out", dir.File("usb/report"), "--site", "Kirkhaven"},
                       &out, &err),
            0)
      << out << err;
  EXPECT_NE(out.find("1 sessions"), std::string::npos) << out;
  EXPECT_TRUE(fs::exists(dir.File("usb/report/report.html")));
  EXPECT_TRUE(fs::exists(dir.File("usb/report/weekly.csv")));
  EXPECT_EQ(RunCommand({"report", "--usage", dir.File("usage.db"), "--from", "2026-13-01", "--out",
                        dir.File("x")},
                       &out, &err),
            kExitUsage);
  EXPECT_NE(err.find("--from \"2026-13-01\" is not a date"), std::string::npos) << err;
  EXPECT_EQ(
      RunCommand({"report", "--usage", dir.File("none.db"), "--out", dir.File("x")}, &out, &err),
      kExitCatalogue);
  EXPECT_NE(err.find("no usage file"), std::string::npos) << err;
  EXPECT_EQ(RunCommand({"report", "--usage", dir.File("usage.db")}, &out, &err), kExitUsage);
}

}  // namespace
}  // namespace signpost::sync
