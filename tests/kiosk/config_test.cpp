// Config file tests: every [kiosk] key, bad values falling back with a
// message naming the file, line and field, unknown keys, invalid TOML,
// missing files, and precedence (defaults < file < flags) via
// ApplyKioskConfig. No SDL needed.
#include "kiosk/config.h"

#include <stb_image_write.h>

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "kiosk/technician_pin.h"

namespace signpost::kiosk {
namespace {

KioskFileConfig Parse(const std::string& text) {
  auto c = ParseKioskConfig(text, "kiosk.toml");
  EXPECT_TRUE(c.ok()) << c.status().message();
  return c.ok() ? *c : KioskFileConfig{};
}

// The one warning, or "" when there is not exactly one.
std::string OnlyWarning(const KioskFileConfig& c) {
  if (c.warnings.size() != 1) {
    std::string all;
    for (const auto& w : c.warnings) all += w + "\n";
    ADD_FAILURE() << c.warnings.size() << " warnings:\n" << all;
    return "";
  }
  return c.warnings[0];
}

TEST(KioskConfigTest, EmptyFileGivesDefaults) {
  KioskFileConfig c = Parse("");
  EXPECT_TRUE(c.warnings.empty());
  EXPECT_EQ(c.postcode, "");
  EXPECT_EQ(c.idle_timeout_s, 90);
  EXPECT_EQ(c.still_there_s, 0);
  EXPECT_EQ(c.languages, std::vector<std::string>{"en"});
  EXPECT_EQ(c.text_size, 0);
  EXPECT_FALSE(c.high_contrast);
  EXPECT_FALSE(c.dyslexia_font);
  EXPECT_EQ(c.CataloguePath(), "");
  EXPECT_EQ(c.width, 0);
  EXPECT_EQ(c.height, 0);
  EXPECT_EQ(c.rotation, 0);
}

// A w x h RGBA PNG in `dir`; returns its path.
std::string WritePng(const std::string& dir, const std::string& name, int w, int h) {
  std::vector<unsigned char> px(static_cast<std::size_t>(w) * h * 4, 0x80);
  std::string path = dir + "/" + name;
  EXPECT_NE(stbi_write_png(path.c_str(), w, h, 4, px.data(), w * 4), 0);
  return path;
}

struct ConfigTempDir {
  ConfigTempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "kiosk-config-XXXXXX").string();
    path = ::mkdtemp(tmpl.data());
  }
  ~ConfigTempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  std::string path;
};

std::string Replace(std::string s, const std::string& from, const std::string& to) {
  s.replace(s.find(from), from.size(), to);
  return s;
}

TEST(KioskConfigTest, ReadsEveryKey) {
  ConfigTempDir dir;
  const std::string hash = HashPin("2468");
  const std::string logo = WritePng(dir.path, "logo.png", 400, 120);
  KioskFileConfig c = Parse(Replace(Replace(R"(
[kiosk]
site_name = "Kirkhaven High"
postcode = "LS6 3QT"
idle_timeout_s = 120
still_there_s = 20
languages = ["cy", "en"]
text_size = 2
high_contrast = true
dyslexia_font = true
read_aloud = true
catalogue = "/srv/cat.db"
technician_pin_hash = "HASH"

[kiosk.display]
width = 1280
height = 720
rotation = 90

[kiosk.touch]
matrix = [0, 1, 0, -1, 0, 1]

[kiosk.printer]
enabled = true
device = "/dev/usb/lp1"
paper_width_mm = 58

[kiosk.branding]
host_name = "Kirkhaven College"
logo = "LOGO"
accent_colour = "#123456"

[sync]
catalogue = "/var/lib/other.db"
interval_minutes = 60

[[feed]]
name = "courses"
)",
                                            "HASH", hash),
                                    "LOGO", logo));
  EXPECT_TRUE(c.warnings.empty()) << c.warnings.front();
  EXPECT_EQ(c.site_name, "Kirkhaven High");
  EXPECT_EQ(c.postcode, "LS6 3QT");
  EXPECT_EQ(c.idle_timeout_s, 120);
  EXPECT_EQ(c.still_there_s, 20);
  EXPECT_EQ(c.languages, (std::vector<std::string>{"cy", "en"}));
  EXPECT_EQ(c.text_size, 2);
  EXPECT_TRUE(c.high_contrast);
  EXPECT_TRUE(c.dyslexia_font);
  EXPECT_TRUE(c.read_aloud);
  EXPECT_EQ(c.CataloguePath(), "/srv/cat.db");
  EXPECT_EQ(c.technician_pin_hash, hash);
  EXPECT_EQ(c.width, 1280);
  EXPECT_EQ(c.height, 720);
  EXPECT_EQ(c.rotation, 90);
  EXPECT_TRUE(c.printer.enabled);
  EXPECT_EQ(c.printer.device, "/dev/usb/lp1");
  EXPECT_EQ(c.printer.paper_width_mm, 58);
  EXPECT_EQ(c.branding.host_name, "Kirkhaven College");
  EXPECT_EQ(c.branding.logo_path, logo);
  EXPECT_TRUE(c.branding.has_accent);
  EXPECT_EQ(c.branding.accent_rgb, 0x123456u);
  EXPECT_EQ(c.sync_catalogue, "/var/lib/other.db");
}

TEST(KioskConfigTest, DocumentedBoardConfigParsesCleanly) {
  const auto path = std::filesystem::path(__FILE__).parent_path() / "../../board-config/kiosk.toml";
  std::ifstream in(path);
  if (!in) GTEST_SKIP() << "board-config/kiosk.toml not found";
  std::stringstream ss;
  ss << in.rdbuf();
  KioskFileConfig c = Parse(ss.str());
  EXPECT_TRUE(c.warnings.empty()) << c.warnings.front();
  EXPECT_EQ(c.idle_timeout_s, 90);
  EXPECT_EQ(c.rotation, 0);
}

TEST(KioskConfigTest, EmptyKioskCatalogueMeansSyncCatalogue) {
  KioskFileConfig c = Parse("[kiosk]\ncatalogue = \"\"\n[sync]\ncatalogue = \"/data/c.db\"\n");
  EXPECT_TRUE(c.warnings.empty());
  EXPECT_EQ(c.CataloguePath(), "/data/c.db");
}

TEST(KioskConfigTest, BadValuesFallBackNamingFileLineAndField) {
  struct Case {
    const char* toml;
    const char* field;
    const char* what;
  };
  const Case cases[] = {
      {"idle_timeout_s = 5", "kiosk.idle_timeout_s", "5 is out of range (20..86400)"},
      {"idle_timeout_s = \"90\"", "kiosk.idle_timeout_s", "must be a whole number, not a string"},
      {"idle_timeout_s = 90.5", "kiosk.idle_timeout_s", "not a decimal number"},
      {"still_there_s = 0", "kiosk.still_there_s", "out of range"},
      {"still_there_s = 31", "kiosk.still_there_s", "more than a third of idle_timeout_s"},
      {"text_size = 3", "kiosk.text_size", "3 is out of range (0..2)"},
      {"high_contrast = \"yes\"", "kiosk.high_contrast", "must be true or false"},
      {"dyslexia_font = 1", "kiosk.dyslexia_font", "must be true or false"},
      {"postcode = 123", "kiosk.postcode", "must be a string"},
      {"catalogue = false", "kiosk.catalogue", "must be a string"},
      {"languages = \"cy\"", "kiosk.languages", "must be a list"},
      {"languages = []", "kiosk.languages", "at least one language"},
      {"languages = [\"cy\", \"fr\"]", "kiosk.languages", "unknown language \"fr\""},
      {"languages = [1]", "kiosk.languages", "must be a string"},
      {"[kiosk.display]\nrotation = 45", "kiosk.display.rotation", "not 0, 90, 180 or 270"},
      {"[kiosk.display]\nrotation = 360", "kiosk.display.rotation", "out of range"},
      {"[kiosk.display]\nwidth = -1", "kiosk.display.width", "out of range"},
      {"[kiosk.display]\nwidth = 100\nheight = 0", "kiosk.display.width", "too small"},
      {"[kiosk.display]\nwidth = 800", "kiosk.display", "both width and height"},
  };
  for (const Case& tc : cases) {
    SCOPED_TRACE(tc.toml);
    // The bad key is on line 3 (or later for [kiosk.display] cases).
    const std::string text = std::string("# comment\n[kiosk]\n") + tc.toml + "\n";
    KioskFileConfig c = Parse(text);
    const std::string w = OnlyWarning(c);
    EXPECT_TRUE(w.starts_with("kiosk.toml:")) << w;
    EXPECT_NE(w.find(std::string(tc.field) + ":"), std::string::npos) << w;
    EXPECT_NE(w.find(tc.what), std::string::npos) << w;
    EXPECT_NE(w.find("using the default"), std::string::npos) << w;
    // Everything is back at its default.
    EXPECT_EQ(c.idle_timeout_s, 90);
    EXPECT_EQ(c.still_there_s, 0);
    EXPECT_EQ(c.text_size, 0);
    EXPECT_FALSE(c.high_contrast);
    EXPECT_FALSE(c.dyslexia_font);
    EXPECT_EQ(c.postcode, "");
    EXPECT_EQ(c.CataloguePath(), "");
    EXPECT_EQ(c.languages, std::vector<std::string>{"en"});
    EXPECT_FALSE(c.technician_pin_hash.has_value());
    EXPECT_EQ(c.rotation, 0);
    EXPECT_EQ(c.width, 0);
    EXPECT_EQ(c.height, 0);
  }
}

TEST(KioskConfigTest, WarningGivesTheLineAndOtherFieldsStillApply) {
  KioskFileConfig c = Parse(
      "[kiosk]\n"
      "postcode = \"LS6 3QT\"\n"
      "text_size = 7\n"
      "high_contrast = true\n");
  EXPECT_EQ(OnlyWarning(c),
            "kiosk.toml:3: kiosk.text_size: 7 is out of range (0..2); using the default (0)");
  EXPECT_EQ(c.postcode, "LS6 3QT");
  EXPECT_EQ(c.text_size, 0);
  EXPECT_TRUE(c.high_contrast);
}

TEST(KioskConfigTest, StillThereIsCheckedAgainstIdleTimeoutWhereverItIs) {
  // still_there_s before idle_timeout_s: 40 fits a 150 s timeout.
  KioskFileConfig c = Parse("[kiosk]\nstill_there_s = 40\nidle_timeout_s = 150\n");
  EXPECT_TRUE(c.warnings.empty());
  EXPECT_EQ(c.still_there_s, 40);
}

TEST(KioskConfigTest, UnknownKeysWarnButAreNotErrors) {
  KioskFileConfig c = Parse(
      "[kiosk]\n"
      "postcode = \"CF10 1AA\"\n"
      "idle_timout_s = 60\n"
      "[kiosk.display]\n"
      "rotate = 90\n"
      "[kiosk.sound]\n"
      "volume = 3\n"
      "[sync]\n"
      "whatever = 1\n"
      "[other_program]\n"
      "x = 1\n");
  ASSERT_EQ(c.warnings.size(), 3u);
  EXPECT_EQ(c.warnings[0], "kiosk.toml:3: unknown key kiosk.idle_timout_s (ignored)");
  EXPECT_EQ(c.warnings[1], "kiosk.toml:5: unknown key kiosk.display.rotate (ignored)");
  EXPECT_NE(c.warnings[2].find("unknown key kiosk.sound"), std::string::npos);
  EXPECT_EQ(c.postcode, "CF10 1AA");
  EXPECT_EQ(c.idle_timeout_s, 90);
}

TEST(KioskConfigTest, KioskThatIsNotATableIsIgnoredWithAWarning) {
  KioskFileConfig c = Parse("kiosk = 5\n");
  EXPECT_NE(OnlyWarning(c).find("kiosk.toml:1: kiosk: must be a table"), std::string::npos);
  EXPECT_EQ(c.idle_timeout_s, 90);
}

TEST(KioskConfigTest, InvalidTomlFailsToParseWithTheLine) {
  auto c = ParseKioskConfig("[kiosk]\npostcode = \"LS6\nidle_timeout_s = 60\n", "kiosk.toml");
  ASSERT_FALSE(c.ok());
  EXPECT_TRUE(c.status().message().starts_with("kiosk.toml:2:")) << c.status().message();
}

class KioskConfigFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("signpost-kioskcfg-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Write(const std::string& text) {
    const std::string path = (dir_ / "kiosk.toml").string();
    std::ofstream(path) << text;
    return path;
  }
  std::filesystem::path dir_;
};

TEST_F(KioskConfigFileTest, MissingDefaultFileGivesDefaultsSilently) {
  auto c = LoadKioskConfig((dir_ / "absent.toml").string(), /*path_was_given=*/false);
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(c->warnings.empty());
  EXPECT_EQ(c->idle_timeout_s, 90);
  EXPECT_EQ(c->source, "");
}

TEST_F(KioskConfigFileTest, MissingExplicitFileIsAnError) {
  const std::string path = (dir_ / "absent.toml").string();
  auto c = LoadKioskConfig(path, /*path_was_given=*/true);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().message(), "config file not found: " + path);
}

// The units pass --config /etc/signpost/kiosk.toml: if that file goes
// missing the kiosk starts on defaults and says why (no restart loop).
TEST_F(KioskConfigFileTest, MissingStandardFileGivenExplicitlyStartsOnDefaults) {
  if (std::filesystem::exists(kDefaultConfigPath)) GTEST_SKIP() << "this machine has one";
  auto c = LoadKioskConfig(kDefaultConfigPath, /*path_was_given=*/true);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->idle_timeout_s, 90);
  ASSERT_EQ(c->warnings.size(), 1u);
  EXPECT_NE(c->warnings[0].find("no config file at /etc/signpost/kiosk.toml"), std::string::npos);
}

TEST_F(KioskConfigFileTest, DirectoryGivenIsAnError) {
  EXPECT_FALSE(LoadKioskConfig(dir_.string(), true).ok());
}

TEST_F(KioskConfigFileTest, ReadsTheFileAndNamesItInWarnings) {
  const std::string path = Write("[kiosk]\nidle_timeout_s = 60\ntext_size = -1\n");
  auto c = LoadKioskConfig(path, true);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->idle_timeout_s, 60);
  ASSERT_EQ(c->warnings.size(), 1u);
  EXPECT_TRUE(c->warnings[0].starts_with(path + ":3: kiosk.text_size: -1 is out of range"))
      << c->warnings[0];
}

TEST_F(KioskConfigFileTest, InvalidTomlIsAWarningAndAllDefaults) {
  const std::string path = Write("[kiosk]\nidle_timeout_s = 60\npostcode = LS6\n");
  auto c = LoadKioskConfig(path, true);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->idle_timeout_s, 90);
  EXPECT_EQ(c->postcode, "");
  ASSERT_EQ(c->warnings.size(), 1u);
  EXPECT_TRUE(c->warnings[0].starts_with(path + ":3:")) << c->warnings[0];
  EXPECT_NE(c->warnings[0].find("not valid TOML"), std::string::npos);
}

// main() starts from these built-in defaults, applies the file, then flags.
RunOptions BuiltInDefaults() {
  RunOptions opt;
  opt.config.catalogue_path = kDefaultCataloguePath;
  opt.config.pin_hash_path = "/etc/signpost/technician-pin";
  return opt;
}

TEST(KioskConfigApplyTest, NoFileKeepsTheBuiltInDefaults) {
  RunOptions opt = BuiltInDefaults();
  ApplyKioskConfig(KioskFileConfig{}, &opt);
  EXPECT_EQ(opt.config.catalogue_path, kDefaultCataloguePath);
  EXPECT_EQ(opt.config.postcode, "");
  EXPECT_EQ(opt.config.idle_timeout_s, 90);
  EXPECT_EQ(opt.config.still_there_s, 15);
  EXPECT_EQ(opt.config.defaults, Settings{});
  EXPECT_EQ(opt.width, 800);
  EXPECT_EQ(opt.height, 480);
  EXPECT_EQ(opt.rotation, 0);
  EXPECT_EQ(opt.config.pin_hash_path, "/etc/signpost/technician-pin");
}

TEST(KioskConfigApplyTest, FileOverridesDefaults) {
  RunOptions opt = BuiltInDefaults();
  ApplyKioskConfig(Parse(R"(
[kiosk]
postcode = "LS6 3QT"
idle_timeout_s = 30
languages = ["cy", "en"]
text_size = 1
high_contrast = true
dyslexia_font = true
technician_pin_hash = "$argon2id$x"
site_name = "Kirkhaven High"
[kiosk.printer]
enabled = true
[kiosk.display]
width = 720
height = 1280
rotation = 270
[sync]
catalogue = "/data/c.db"
)"),
                   &opt);
  EXPECT_EQ(opt.config.postcode, "LS6 3QT");
  EXPECT_EQ(opt.config.idle_timeout_s, 30);
  EXPECT_EQ(opt.config.still_there_s, 10);  // a third of 30
  EXPECT_EQ(opt.config.defaults.language, "cy");
  EXPECT_EQ(opt.config.defaults.text_size, 1);
  EXPECT_TRUE(opt.config.defaults.high_contrast);
  EXPECT_TRUE(opt.config.defaults.dyslexia_font);
  EXPECT_EQ(opt.config.catalogue_path, "/data/c.db");
  EXPECT_EQ(opt.width, 720);
  EXPECT_EQ(opt.height, 1280);
  EXPECT_EQ(opt.rotation, 270);
  // A hash that is present but bad locks the technician screen: "" (not
  // unset, which would fall back to the PIN hash file).
  ASSERT_TRUE(opt.config.pin_hash.has_value());
  EXPECT_EQ(*opt.config.pin_hash, "");
  EXPECT_EQ(opt.config.languages, (std::vector<std::string>{"cy", "en"}));
  EXPECT_EQ(opt.config.site_name, "Kirkhaven High");
  EXPECT_TRUE(opt.config.printer.enabled);
  EXPECT_EQ(opt.config.printer.device, "/dev/usb/lp0");
  EXPECT_EQ(opt.config.sync_request_file, "/var/lib/signpost/sync-now");
}

TEST(KioskConfigApplyTest, EmptyCatalogueKeepsTheEnvironmentsOrDefault) {
  RunOptions opt = BuiltInDefaults();
  opt.config.catalogue_path = "/from/SIGNPOST_CATALOGUE.db";
  ApplyKioskConfig(Parse("[kiosk]\ncatalogue = \"\"\n"), &opt);
  EXPECT_EQ(opt.config.catalogue_path, "/from/SIGNPOST_CATALOGUE.db");
  ApplyKioskConfig(Parse("[kiosk]\ncatalogue = \"/k.db\"\n[sync]\ncatalogue = \"/s.db\"\n"), &opt);
  EXPECT_EQ(opt.config.catalogue_path, "/k.db");
}

TEST(KioskConfigApplyTest, ExplicitStillThereIsKept) {
  RunOptions opt = BuiltInDefaults();
  ApplyKioskConfig(Parse("[kiosk]\nidle_timeout_s = 300\nstill_there_s = 45\n"), &opt);
  EXPECT_EQ(opt.config.still_there_s, 45);
}

TEST(KioskConfigApplyTest, FlagsAppliedAfterTheFileWin) {
  // As main() does: file first, then the flags assign over it.
  RunOptions opt = BuiltInDefaults();
  ApplyKioskConfig(Parse("[kiosk]\npostcode = \"LS6 3QT\"\ntext_size = 2\n"
                         "[kiosk.display]\nrotation = 90\n"),
                   &opt);
  opt.config.postcode = "CF10 1AA";  // --postcode CF10 1AA
  opt.rotation = 180;                // --rotate 180
  EXPECT_EQ(opt.config.postcode, "CF10 1AA");
  EXPECT_EQ(opt.rotation, 180);
  EXPECT_EQ(opt.config.defaults.text_size, 2);  // not given as a flag: the file's
}

// [SECTION] technician_pin_hash ---------------------------------------------------------

TEST(KioskConfigPinTest, AbsentKeyMeansTheOldHashFile) {
  KioskFileConfig c = Parse("[kiosk]\npostcode = \"LS6 3QT\"\n");
  EXPECT_FALSE(c.technician_pin_hash.has_value());
  RunOptions opt;
  opt.config.pin_hash_path = "/etc/signpost/technician-pin";
  ApplyKioskConfig(c, &opt);
  EXPECT_FALSE(opt.config.pin_hash.has_value());
}

TEST(KioskConfigPinTest, ValidHashIsReadAndEmptyMeansNoTechnicianScreen) {
  const std::string hash = HashPin("2468");
  ASSERT_TRUE(hash.starts_with("$argon2id$"));
  KioskFileConfig c = Parse("[kiosk]\ntechnician_pin_hash = \"" + hash + "\"\n");
  EXPECT_TRUE(c.warnings.empty());
  EXPECT_EQ(c.technician_pin_hash, hash);
  KioskFileConfig empty = Parse("[kiosk]\ntechnician_pin_hash = \"\"\n");
  EXPECT_TRUE(empty.warnings.empty());
  EXPECT_EQ(empty.technician_pin_hash, "");
}

TEST(KioskConfigPinTest, BadHashWarnsWithFileLineFieldAndLocksTheScreen) {
  const std::string argon2i_hash = Replace(HashPin("2468"), "$argon2id$", "$argon2i$");
  for (const std::string& bad : {std::string("1234"), std::string("$argon2id$x"), argon2i_hash,
                                 HashPin("2468").substr(0, 40)}) {
    SCOPED_TRACE(bad);
    KioskFileConfig c = Parse("# PIN\n\n[kiosk]\ntechnician_pin_hash = \"" + bad + "\"\n");
    const std::string w = OnlyWarning(c);
    EXPECT_TRUE(w.starts_with("kiosk.toml:4: kiosk.technician_pin_hash: not an Argon2id PIN hash"))
        << w;
    EXPECT_NE(w.find("cannot be opened"), std::string::npos) << w;
    ASSERT_TRUE(c.technician_pin_hash.has_value()) << "a bad hash must not fall back to the file";
    EXPECT_EQ(*c.technician_pin_hash, "");
  }
  KioskFileConfig wrong_type = Parse("[kiosk]\ntechnician_pin_hash = 1234\n");
  EXPECT_NE(OnlyWarning(wrong_type).find("must be a string"), std::string::npos);
  EXPECT_EQ(wrong_type.technician_pin_hash, "");
}

TEST(KioskConfigPinTest, TheConfigHashWinsOverTheFileOnlyWhenPresent) {
  ConfigTempDir dir;
  const std::string file = dir.path + "/technician-pin";
  const std::string file_hash = HashPin("1111");
  std::ofstream(file) << file_hash << "\n";
  const std::string config_hash = HashPin("2222");
  EXPECT_EQ(ResolvePinHash(std::nullopt, file), file_hash);
  EXPECT_EQ(ResolvePinHash(config_hash, file), config_hash);
  EXPECT_EQ(ResolvePinHash(std::string(), file), "") << "present but empty: no technician screen";
  EXPECT_EQ(ResolvePinHash(std::nullopt, dir.path + "/missing"), "");
  std::ofstream(file) << "1111\n";  // a PIN typed into the file instead of its hash
  EXPECT_EQ(ResolvePinHash(std::nullopt, file), "");
}

// [SECTION] [kiosk.printer], [kiosk.branding], sync_request_file ----------------------------

TEST(KioskConfigPrinterTest, DefaultsAndBadValues) {
  KioskFileConfig c = Parse("[kiosk.printer]\nenabled = true\n");
  EXPECT_TRUE(c.printer.enabled);
  EXPECT_EQ(c.printer.device, "/dev/usb/lp0");
  EXPECT_EQ(c.printer.paper_width_mm, 80);
  EXPECT_FALSE(c.printer.ascii_only);
  EXPECT_TRUE(Parse("[kiosk.printer]\ncharset = \"ascii\"\n").printer.ascii_only);
  struct Case {
    const char* toml;
    const char* what;
  } cases[] = {
      {"paper_width_mm = 70", "kiosk.printer.paper_width_mm: 70 is not 58 or 80"},
      {"paper_width_mm = 112", "kiosk.printer.paper_width_mm: 112 is out of range"},
      {"device = \"usb/lp0\"", "kiosk.printer.device: \"usb/lp0\" is not an absolute path"},
      {"charset = \"utf8\"", "kiosk.printer.charset: \"utf8\" is not \"pc858\" or \"ascii\""},
      {"enabled = \"yes\"", "kiosk.printer.enabled: must be true or false"},
      {"colour = true", "unknown key kiosk.printer.colour"},
  };
  for (const Case& tc : cases) {
    SCOPED_TRACE(tc.toml);
    KioskFileConfig bad = Parse(std::string("[kiosk.printer]\n") + tc.toml + "\n");
    const std::string w = OnlyWarning(bad);
    EXPECT_TRUE(w.starts_with(std::string("kiosk.toml:2: ") + tc.what)) << w;
    EXPECT_EQ(bad.printer.paper_width_mm, 80);
    EXPECT_EQ(bad.printer.device, "/dev/usb/lp0");
    EXPECT_FALSE(bad.printer.enabled);
  }
}

TEST(KioskConfigBrandingTest, LogoMustBeAReadablePngOfAtMost400By120) {
  ConfigTempDir dir;
  auto logo_warning = [&](const std::string& path) {
    KioskFileConfig c =
        Parse("[kiosk.branding]\nhost_name = \"Calder College\"\nlogo = \"" + path + "\"\n");
    EXPECT_EQ(c.branding.host_name, "Calder College") << "the name still applies";
    if (c.warnings.empty()) {
      EXPECT_EQ(c.branding.logo_path, path);
      return std::string();
    }
    EXPECT_EQ(c.branding.logo_path, "");
    return OnlyWarning(c);
  };
  EXPECT_EQ(logo_warning(WritePng(dir.path, "ok.png", 400, 120)), "");
  EXPECT_EQ(logo_warning(WritePng(dir.path, "small.png", 32, 32)), "");
  std::string w = logo_warning(WritePng(dir.path, "wide.png", 401, 100));
  EXPECT_TRUE(w.starts_with("kiosk.toml:3: kiosk.branding.logo: ")) << w;
  EXPECT_NE(w.find("is 401 x 100 pixels, bigger than 400 x 120"), std::string::npos) << w;
  EXPECT_NE(w.find("showing no logo"), std::string::npos) << w;
  w = logo_warning(WritePng(dir.path, "tall.png", 100, 121));
  EXPECT_NE(w.find("100 x 121 pixels"), std::string::npos) << w;
  std::ofstream(dir.path + "/fake.png") << "GIF89a not really";
  w = logo_warning(dir.path + "/fake.png");
  EXPECT_NE(w.find("is not a PNG image"), std::string::npos) << w;
  std::ofstream(dir.path + "/cut.png", std::ios::binary) << "\x89PNG\r\n\x1a\n\0\0";
  w = logo_warning(dir.path + "/cut.png");
  EXPECT_NE(w.find("not a readable PNG"), std::string::npos) << w;
  w = logo_warning(dir.path + "/missing.png");
  EXPECT_NE(w.find("cannot open " + dir.path + "/missing.png"), std::string::npos) << w;
}

TEST(KioskConfigBrandingTest, AccentColourNeedsAaContrastForTheHeaderText) {
  EXPECT_NEAR(ContrastRatio(0xFFFFFF, 0x000000), 21.0, 1e-9);
  EXPECT_NEAR(ContrastRatio(0x767676, 0xFFFFFF), 4.54, 0.01);  // the lightest AA grey
  EXPECT_NEAR(ContrastRatio(0x777777, 0xFFFFFF), 4.48, 0.01);
  KioskFileConfig ok = Parse("[kiosk.branding]\naccent_colour = \"#1d70b8\"\n");
  EXPECT_TRUE(ok.warnings.empty());
  EXPECT_TRUE(ok.branding.has_accent);
  EXPECT_EQ(ok.branding.accent_rgb, 0x1D70B8u);
  KioskFileConfig pale = Parse("[kiosk.branding]\naccent_colour = \"#FFDD00\"\n");
  std::string w = OnlyWarning(pale);
  EXPECT_TRUE(
      w.starts_with("kiosk.toml:2: kiosk.branding.accent_colour: white header text on "
                    "#FFDD00 has a contrast of 1.3:1, below the 4.5:1"))
      << w;
  EXPECT_FALSE(pale.branding.has_accent);
  KioskFileConfig border = Parse("[kiosk.branding]\naccent_colour = \"#777777\"\n");
  EXPECT_NE(OnlyWarning(border).find("4.4:1"), std::string::npos) << "4.48 is not rounded up";
  for (const char* bad : {"blue", "#12345", "#1234567", "123456", "#12345G"}) {
    SCOPED_TRACE(bad);
    KioskFileConfig c = Parse(std::string("[kiosk.branding]\naccent_colour = \"") + bad + "\"\n");
    EXPECT_NE(OnlyWarning(c).find("is not a colour like"), std::string::npos);
    EXPECT_FALSE(c.branding.has_accent);
  }
}

TEST(KioskConfigTest, SyncRequestFileDefaultsAndMustBeAbsolute) {
  EXPECT_EQ(Parse("").sync_request_file, "/var/lib/signpost/sync-now");
  EXPECT_EQ(Parse("[kiosk]\nsync_request_file = \"/run/signpost/sync\"\n").sync_request_file,
            "/run/signpost/sync");
  KioskFileConfig bad = Parse("[kiosk]\nsync_request_file = \"sync-now\"\n");
  EXPECT_NE(OnlyWarning(bad).find("kiosk.sync_request_file: \"sync-now\" is not an absolute path"),
            std::string::npos);
  EXPECT_EQ(bad.sync_request_file, "/var/lib/signpost/sync-now");
}

}  // namespace
}  // namespace signpost::kiosk
