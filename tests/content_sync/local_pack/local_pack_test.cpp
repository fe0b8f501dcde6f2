// LoadLocalPack: the example pack loads; each kind of bad item is rejected on
// its own with a message naming the file, the line and the field; the good
// items beside it still load.
#include <gtest/gtest.h>

#include <algorithm>

#include "local_pack/local_pack.h"
#include "local_pack/pack_times.h"
#include "pack_test_util.h"
#include "test_util.h"

namespace signpost::sync {
namespace {

using catalogue::testing::TempDir;
using testing::MakePng;
using testing::WriteFile;
namespace cat = signpost::catalogue;

const PackItem* Find(const LocalPack& p, const std::string& file) {
  for (const auto& i : p.items)
    if (i.file == file) return &i;
  return nullptr;
}

std::vector<std::string> MessagesFor(const LocalPack& p, const std::string& file) {
  std::vector<std::string> out;
  for (const auto& m : p.messages)
    if (m.file == file) out.push_back(m.ToString());
  return out;
}

// True when some message for `file` contains every one of `parts`.
bool Said(const LocalPack& p, const std::string& file, std::initializer_list<std::string> parts) {
  for (const auto& m : MessagesFor(p, file)) {
    bool all = true;
    for (const auto& part : parts) all = all && m.find(part) != std::string::npos;
    if (all) return true;
  }
  return false;
}

std::string Dump(const LocalPack& p) {
  std::string s;
  for (const auto& m : p.messages) s += m.ToString() + "\n";
  return s;
}

TEST(LocalPackTest, TheExamplePackLoadsEveryKind) {
  PackLimits limits;
  limits.today = DayFromCivil(2026, 11, 25);
  auto pack = LoadLocalPack(SIGNPOST_EXAMPLE_PACK, limits);
  ASSERT_TRUE(pack.ok()) << pack.status().ToString();
  EXPECT_EQ(pack->files, 6);
  EXPECT_EQ(pack->rejected, 0) << Dump(*pack);
  ASSERT_EQ(pack->items.size(), 6u);
  const PackItem* words = Find(*pack, "search-words.toml");
  ASSERT_NE(words, nullptr);
  ASSERT_TRUE(words->search_words.has_value());
  EXPECT_EQ(words->search_words->words, "d of e, dofe, duke of ed");
  const PackItem* sam = Find(*pack, "alumni/sam.toml");
  ASSERT_NE(sam, nullptr);
  EXPECT_EQ(sam->item.kind, cat::LocalKind::kAlumniStory);
  EXPECT_EQ(sam->item.source_id, "alumni/sam");
  EXPECT_EQ(sam->item.title, "Sam went from here to a Level 3 engineering apprenticeship");
  EXPECT_EQ(sam->item.route, cat::Route::kApprenticeship);
  EXPECT_EQ(sam->item.provider_name, "Harland & Pike Engineering");
  EXPECT_EQ(sam->item.leads_to, "Maintenance engineer");
  EXPECT_EQ(sam->item.subject_area, "Engineering and manufacturing");
  EXPECT_EQ(sam->item.image_path, "alumni/sam.png");
  EXPECT_TRUE(sam->image_source.ends_with("/alumni/sam.png"));
  const PackItem* adviser = Find(*pack, "adviser-drop-in.toml");
  ASSERT_NE(adviser, nullptr);
  EXPECT_EQ(adviser->item.kind, cat::LocalKind::kAdviserDropIn);
  EXPECT_NE(adviser->item.body.find("How to book: Ask at Student Services"), std::string::npos);
  const PackItem* event = Find(*pack, "events/options-evening.toml");
  ASSERT_NE(event, nullptr);
  EXPECT_EQ(event->item.kind, cat::LocalKind::kSchoolEvent);
  EXPECT_EQ(event->item.ends, DayFromCivil(2027, 1, 28));  // shown until the day itself
  // The day, times and place as fields (the kiosk words them, in Welsh too).
  EXPECT_EQ(event->item.event_day, DayFromCivil(2027, 1, 28));
  EXPECT_EQ(event->item.event_start_minute, 18 * 60);
  EXPECT_EQ(event->item.event_end_minute, 20 * 60);
  EXPECT_EQ(event->item.place, "Main hall");
  EXPECT_TRUE(event->item.body.starts_with("Stalls from local colleges")) << event->item.body;
  const PackItem* link = Find(*pack, "link-find-apprenticeship.toml");
  ASSERT_NE(link, nullptr);
  EXPECT_EQ(link->item.url, "https://www.findapprenticeship.service.gov.uk");
  EXPECT_EQ(pack->fingerprint.size(), 16u);
}

class BadPackTest : public ::testing::Test {
 protected:
  void SetUp() override {
    WriteFile(dir.File("good.toml"), "kind = \"notice\"\ntitle = \"Fine\"\ntext = \"All good\"\n");
    limits.today = DayFromCivil(2026, 11, 25);
  }
  LocalPack Load() {
    auto p = LoadLocalPack(dir.path(), limits);
    EXPECT_TRUE(p.ok()) << p.status().ToString();
    // The good item always survives its neighbours.
    EXPECT_NE(Find(p.value(), "good.toml"), nullptr) << Dump(p.value());
    return std::move(p.value());
  }
  TempDir dir;
  PackLimits limits;
};

TEST_F(BadPackTest, AMissingRequiredFieldNamesTheFieldAndAnExample) {
  WriteFile(dir.File("alumni/ana.toml"),
            "kind = \"alumni\"\nname = \"Ana\"\nwent_to = \"college\"\nprovider = \"X College\"\n");
  LocalPack p = Load();
  EXPECT_EQ(Find(p, "alumni/ana.toml"), nullptr);
  EXPECT_TRUE(Said(p, "alumni/ana.toml",
                   {"alumni/ana.toml: route: is missing", "route = \"apprenticeship\""}))
      << Dump(p);
  EXPECT_EQ(p.rejected, 1);
}

TEST_F(BadPackTest, AnUnknownKeyIsRejectedWithItsLine) {
  WriteFile(dir.File("n.toml"),
            "kind = \"notice\"\ntitle = \"Hi\"\n\ntxet = \"typo\"\ntext = \"ok\"\n");
  LocalPack p = Load();
  EXPECT_EQ(Find(p, "n.toml"), nullptr);
  EXPECT_TRUE(Said(p, "n.toml", {"n.toml:4: txet: is not a field for kind = \"notice\"", "text"}))
      << Dump(p);
}

TEST_F(BadPackTest, BrokenUtf8IsRejectedWithItsLine) {
  WriteFile(dir.File("u.toml"), "kind = \"notice\"\ntitle = \"Caf\xe9\"\ntext = \"x\"\n");
  LocalPack p = Load();
  EXPECT_EQ(Find(p, "u.toml"), nullptr);
  auto m = MessagesFor(p, "u.toml");
  ASSERT_EQ(m.size(), 1u) << Dump(p);
  EXPECT_TRUE(m[0].starts_with("u.toml:2:")) << m[0];
  EXPECT_NE(m[0].find("UTF-8"), std::string::npos) << m[0];
}

TEST_F(BadPackTest, PicturesThatAreTooBigNotPicturesOrDamagedAreRejected) {
  const std::string item =
      "kind = \"alumni\"\nname = \"A\"\nwent_to = \"b\"\nprovider = \"c\"\n"
      "route = \"fe\"\nphoto = \"";
  WriteFile(dir.File("big.png"), MakePng(8, 8, 3 * 1024 * 1024));
  WriteFile(dir.File("big.toml"), item + "big.png\"\n");
  WriteFile(dir.File("wide.png"), MakePng(5000, 2));
  WriteFile(dir.File("wide.toml"), item + "wide.png\"\n");
  WriteFile(dir.File("text.jpg"), "this is a word document, honest");
  WriteFile(dir.File("text.toml"), item + "text.jpg\"\n");
  std::string cut = MakePng(64, 64);
  WriteFile(dir.File("cut.png"), cut.substr(0, cut.size() - 30));
  WriteFile(dir.File("cut.toml"), item + "cut.png\"\n");
  WriteFile(dir.File("missing.toml"), item + "Sam.PNG\"\n");
  WriteFile(dir.File("escape.toml"), item + "../../etc/passwd\"\n");
  WriteFile(dir.File("fine.png"), MakePng(32, 32));
  WriteFile(dir.File("fine.toml"), item + "fine.png\"\n");
  LocalPack p = Load();
  EXPECT_TRUE(Said(p, "big.toml", {"big.toml:6: photo:", "3.0 MB", "the most is 2.0 MB"}))
      << Dump(p);
  EXPECT_TRUE(Said(p, "wide.toml", {"wide.toml:6: photo:", "5000 x 2 pixels"})) << Dump(p);
  EXPECT_TRUE(Said(p, "text.toml", {"text.toml:6: photo:", "not a PNG or JPEG"})) << Dump(p);
  EXPECT_TRUE(Said(p, "cut.toml", {"cut.toml:6: photo:", "damaged"})) << Dump(p);
  EXPECT_TRUE(Said(p, "missing.toml", {"missing.toml:6: photo:", "not in the folder"})) << Dump(p);
  EXPECT_TRUE(Said(p, "escape.toml", {"escape.toml:6: photo:", "not a path outside"})) << Dump(p);
  EXPECT_EQ(p.rejected, 6);
  ASSERT_NE(Find(p, "fine.toml"), nullptr) << Dump(p);
  EXPECT_EQ(Find(p, "fine.toml")->item.image_path, "fine.png");
}

TEST_F(BadPackTest, BadDatesRoutesAndLinksAreRejected) {
  WriteFile(dir.File("e.toml"), "kind = \"event\"\ntitle = \"Fair\"\ndate = \"2027-02-30\"\n");
  WriteFile(
      dir.File("r.toml"),
      "kind = \"alumni\"\nname = \"A\"\nwent_to = \"b\"\nprovider = \"c\"\nroute = \"army\"\n");
  WriteFile(dir.File("l.toml"), "kind = \"link\"\ntitle = \"x\"\nurl = \"www.example.com\"\n");
  WriteFile(dir.File("k.toml"), "kind = \"poster\"\ntitle = \"x\"\n");
  WriteFile(dir.File("d.toml"),
            "kind = \"notice\"\ntitle = \"x\"\ntext = \"y\"\nshow_from = 2027-01-10\n"
            "show_until = 2027-01-01\n");
  WriteFile(dir.File("t.toml"), "kind = \"notice\"\ntitle = \"unclosed\ntext = \"y\"\n");
  LocalPack p = Load();
  EXPECT_TRUE(Said(p, "e.toml", {"e.toml:3: date: \"2027-02-30\" is not a date", "YYYY-MM-DD"}))
      << Dump(p);
  EXPECT_TRUE(Said(p, "r.toml", {"r.toml:5: route:", "\"apprenticeship\""})) << Dump(p);
  EXPECT_TRUE(Said(p, "l.toml", {"l.toml:3: url:", "https://"})) << Dump(p);
  EXPECT_TRUE(Said(p, "k.toml", {"k.toml:1: kind:", "\"adviser\""})) << Dump(p);
  EXPECT_TRUE(Said(p, "d.toml", {"d.toml:5: show_until: is before show_from"})) << Dump(p);
  EXPECT_TRUE(Said(p, "t.toml", {"t.toml:2:"})) << Dump(p);
  EXPECT_EQ(p.rejected, 6);
  EXPECT_EQ(p.items.size(), 1u);
}

// The times a teacher writes: the TOML time, 24-hour text, words, ranges.
TEST(PackTimesTest, TimesAsTeachersWriteThem) {
  struct Case {
    const char* text;
    int start;
    int end;  // -1: none
  };
  for (const Case& c :
       {Case{"18:00", 18 * 60, -1}, Case{"6pm", 18 * 60, -1}, Case{"6.30pm", 18 * 60 + 30, -1},
        Case{"6:30 PM", 18 * 60 + 30, -1}, Case{"9am", 9 * 60, -1}, Case{"12pm", 12 * 60, -1},
        Case{"12am", 0, -1}, Case{"noon", 12 * 60, -1}, Case{"6pm to 8pm", 18 * 60, 20 * 60},
        Case{"6 to 8pm", 18 * 60, 20 * 60}, Case{"18:00-20:00", 18 * 60, 20 * 60},
        Case{"9:15am \xE2\x80\x93 3.30pm", 9 * 60 + 15, 15 * 60 + 30},
        Case{"10am-2pm", 10 * 60, 14 * 60}}) {
    SCOPED_TRACE(c.text);
    auto t = ParsePackTimes(c.text);
    ASSERT_TRUE(t.has_value());
    EXPECT_EQ(t->start, c.start);
    EXPECT_EQ(t->end.value_or(-1), c.end);
  }
  // Morning or evening? A time that does not exist, an end before the start.
  for (const char* bad : {"6", "6 to 8", "after school", "25:00", "18:60", "13pm", "0am",
                          "8pm to 6pm", "18:00-18:00", "", "6pm to", "to 8pm", "18:00:00"}) {
    EXPECT_FALSE(ParsePackTimes(bad).has_value()) << bad;
  }
  EXPECT_EQ(FormatPackTime(18 * 60 + 5), "18:05");
}

TEST_F(BadPackTest, AnEventsTimeIsItsStartAndEndOnTheSchoolsClock) {
  WriteFile(dir.File("a.toml"),
            "kind = \"event\"\ntitle = \"Fair\"\ndate = 2027-02-03\ntime = \"09:30\"\n");
  // A TOML time (the library needs its seconds) is one too.
  WriteFile(dir.File("toml.toml"),
            "kind = \"event\"\ntitle = \"Fair\"\ndate = 2027-02-03\n"
            "time = 09:30:00\nend_time = \"11am\"\n");
  WriteFile(dir.File("b.toml"),
            "kind = \"event\"\ntitle = \"Talk\"\ndate = 2027-02-04\ntime = \"6pm to 7.15pm\"\n");
  WriteFile(dir.File("c.toml"),
            "kind = \"event\"\ntitle = \"Day\"\ndate = 2027-02-05\nwhere = \"Hall\"\n");
  LocalPack p = Load();
  const PackItem* a = Find(p, "a.toml");
  ASSERT_NE(a, nullptr) << Dump(p);
  EXPECT_EQ(a->item.event_day, DayFromCivil(2027, 2, 3));
  EXPECT_EQ(a->item.event_start_minute, 9 * 60 + 30);
  EXPECT_FALSE(a->item.event_end_minute.has_value());
  const PackItem* toml_time = Find(p, "toml.toml");
  ASSERT_NE(toml_time, nullptr) << Dump(p);
  EXPECT_EQ(toml_time->item.event_start_minute, 9 * 60 + 30);
  EXPECT_EQ(toml_time->item.event_end_minute, 11 * 60);
  const PackItem* b = Find(p, "b.toml");
  ASSERT_NE(b, nullptr) << Dump(p);
  EXPECT_EQ(b->item.event_start_minute, 18 * 60);
  EXPECT_EQ(b->item.event_end_minute, 19 * 60 + 15);
  const PackItem* c = Find(p, "c.toml");  // no time: all day
  ASSERT_NE(c, nullptr) << Dump(p);
  EXPECT_EQ(c->item.event_day, DayFromCivil(2027, 2, 5));
  EXPECT_FALSE(c->item.event_start_minute.has_value());
  EXPECT_EQ(c->item.place, "Hall");
  EXPECT_EQ(p.rejected, 0) << Dump(p);
}

TEST_F(BadPackTest, BadTimesAreRejectedSayingHowToWriteThem) {
  const std::string head = "kind = \"event\"\ntitle = \"Fair\"\ndate = 2027-02-03\n";
  WriteFile(dir.File("words.toml"), head + "time = \"after school\"\n");
  WriteFile(dir.File("bare.toml"), head + "time = \"6\"\n");
  WriteFile(dir.File("number.toml"), head + "time = 18\n");
  WriteFile(dir.File("datetime.toml"), head + "time = 2027-02-03T18:00:00\n");
  WriteFile(dir.File("backwards.toml"), head + "time = \"18:00\"\nend_time = \"17:30\"\n");
  WriteFile(dir.File("twice.toml"), head + "time = \"6pm to 8pm\"\nend_time = \"21:00\"\n");
  WriteFile(dir.File("nostart.toml"), head + "end_time = \"20:00\"\n");
  // A time without its seconds and quotes is not TOML: the file says how.
  WriteFile(dir.File("unquoted.toml"), head + "time = 18:00\n");
  WriteFile(dir.File("baddate.toml"),
            "kind = \"event\"\ntitle = \"Fair\"\ndate = \"28/01/2027\"\ntime = \"18:00\"\n");
  LocalPack p = Load();
  EXPECT_TRUE(Said(p, "words.toml",
                   {"words.toml:4: time: \"after school\" is not a time", "time = \"18:00\""}))
      << Dump(p);
  EXPECT_TRUE(Said(p, "bare.toml", {"bare.toml:4: time: \"6\" is not a time"})) << Dump(p);
  EXPECT_TRUE(Said(p, "number.toml", {"number.toml:4: time: is not a time"})) << Dump(p);
  EXPECT_TRUE(Said(p, "datetime.toml", {"datetime.toml:4: time: is not a time"})) << Dump(p);
  EXPECT_TRUE(Said(p, "backwards.toml",
                   {"backwards.toml:5: end_time: 17:30 is not after the start (18:00)"}))
      << Dump(p);
  EXPECT_TRUE(Said(p, "twice.toml", {"twice.toml:5: end_time: is given twice"})) << Dump(p);
  EXPECT_TRUE(Said(p, "nostart.toml", {"nostart.toml:4: end_time: needs a start"})) << Dump(p);
  EXPECT_TRUE(
      Said(p, "baddate.toml", {"baddate.toml:3: date: \"28/01/2027\" is not a date", "YYYY-MM-DD"}))
      << Dump(p);
  EXPECT_TRUE(Said(p, "unquoted.toml", {"unquoted.toml:4:", "time = \"18:00\""})) << Dump(p);
  EXPECT_EQ(p.rejected, 9);
  EXPECT_EQ(p.items.size(), 1u);
}

TEST_F(BadPackTest, AnEventAlreadyOverLoadsWithANote) {
  WriteFile(dir.File("old.toml"),
            "kind = \"event\"\ntitle = \"Last year's fair\"\ndate = 2025-03-01\n");
  LocalPack p = Load();
  ASSERT_NE(Find(p, "old.toml"), nullptr);
  ASSERT_EQ(MessagesFor(p, "old.toml").size(), 1u);
  EXPECT_FALSE(p.messages.front().rejected);
  EXPECT_TRUE(Said(p, "old.toml", {"old.toml:3: date: is already over"}));
  EXPECT_EQ(p.rejected, 0);
}

TEST_F(BadPackTest, DraftsHiddenFilesAndOtherFilesAreIgnored) {
  WriteFile(dir.File("_draft.toml"), "this is not toml");
  WriteFile(dir.File(".hidden/x.toml"), "nor this");
  WriteFile(dir.File("_templates/y.toml"), "nor this");
  WriteFile(dir.File("notes.txt"), "not an item");
  LocalPack p = Load();
  EXPECT_EQ(p.files, 1);
  EXPECT_TRUE(p.messages.empty()) << Dump(p);
}

TEST_F(BadPackTest, AHugeItemFileIsRejectedWithoutReadingItAll) {
  WriteFile(dir.File("huge.toml"),
            "kind = \"notice\"\ntitle = \"x\"\ntext = \"" + std::string(100000, 'a') + "\"\n");
  LocalPack p = Load();
  EXPECT_TRUE(Said(p, "huge.toml", {"huge.toml: is bigger than 64 KB"})) << Dump(p);
}

TEST(LocalPackTest, AMissingFolderIsNotFound) {
  auto p = LoadLocalPack("/nonexistent/usb/local-content");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), Status::Code::kNotFound);
  EXPECT_NE(p.status().message().find("USB stick"), std::string::npos);
}

TEST(LocalPackTest, TheFingerprintChangesWithAnyEdit) {
  TempDir dir;
  WriteFile(dir.File("a.toml"), "kind = \"notice\"\ntitle = \"x\"\ntext = \"y\"\n");
  auto a = LoadLocalPack(dir.path());
  auto b = LoadLocalPack(dir.path());
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->fingerprint, b->fingerprint);
  WriteFile(dir.File("a.toml"), "kind = \"notice\"\ntitle = \"x\"\ntext = \"z\"\n");
  auto c = LoadLocalPack(dir.path());
  ASSERT_TRUE(c.ok());
  EXPECT_NE(a->fingerprint, c->fingerprint);
}

}  // namespace
}  // namespace signpost::sync
