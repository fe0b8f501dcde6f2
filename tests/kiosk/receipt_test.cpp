// Receipt slip tests: the ESC/POS bytes are decoded command by command (init,
// code page, QR command lengths pL/pH, wrapping, the cut), the character
// conversion, and real writes to a regular file, a FIFO with a reader, a
// FIFO nobody reads, a reader that goes away mid-slip, and a missing device.
#include "kiosk/receipt.h"
#include "kiosk/takeaway.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "kiosk/qr.h"

namespace signpost::kiosk {
namespace {

// [SECTION] A small ESC/POS decoder -----------------------------------------------------

struct QrCommand {
  int fn = 0;
  std::string params;  // after cn, fn
};

struct Decoded {
  std::vector<std::string> commands;  // "ESC @", "ESC t 19", "GS V 66 0", ... in order
  std::vector<std::string> lines;     // printed text lines (between LFs)
  std::vector<QrCommand> qr;
  std::string error;  // unknown or truncated command
};

Decoded Decode(const std::string& b) {
  Decoded d;
  std::string line;
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(b[i]); };
  for (std::size_t i = 0; i < b.size();) {
    const unsigned char c = byte(i);
    auto need = [&](std::size_t n) {
      if (i + n > b.size()) d.error = "truncated command at byte " + std::to_string(i);
      return i + n <= b.size();
    };
    if (c == '\n') {
      d.lines.push_back(line);
      line.clear();
      ++i;
    } else if (c == 0x1B) {
      if (!need(2)) break;
      const char op = b[i + 1];
      if (op == '@') {
        d.commands.push_back("ESC @");
        i += 2;
      } else if (op == 't' || op == 'a' || op == 'E' || op == 'd') {
        if (!need(3)) break;
        d.commands.push_back(std::string("ESC ") + op + " " + std::to_string(byte(i + 2)));
        i += 3;
      } else {
        d.error = "unknown ESC " + std::to_string(op);
        break;
      }
    } else if (c == 0x1D) {
      if (!need(3)) break;
      const char op = b[i + 1];
      if (op == '!') {
        d.commands.push_back("GS ! " + std::to_string(byte(i + 2)));
        i += 3;
      } else if (op == 'V') {
        if (!need(4)) break;
        d.commands.push_back("GS V " + std::to_string(byte(i + 2)) + " " +
                             std::to_string(byte(i + 3)));
        i += 4;
      } else if (op == '(' && b[i + 2] == 'k') {
        if (!need(5)) break;
        const std::size_t n = byte(i + 3) + 256u * byte(i + 4);  // pL + pH * 256
        if (n < 2 || !need(5 + n)) break;
        if (byte(i + 5) != 49) d.error = "GS ( k for something other than a QR code";
        QrCommand q;
        q.fn = byte(i + 6);
        q.params = b.substr(i + 7, n - 2);
        d.qr.push_back(q);
        d.commands.push_back("GS ( k " + std::to_string(q.fn));
        i += 5 + n;
      } else {
        d.error = "unknown GS " + std::to_string(op);
        break;
      }
    } else if (c < 0x20 || c == 0x7F) {
      d.error = "stray control byte " + std::to_string(c) + " at " + std::to_string(i);
      break;
    } else {
      line.push_back(static_cast<char>(c));
      ++i;
    }
  }
  if (!line.empty()) d.lines.push_back(line);
  return d;
}

std::vector<ShortlistItem> TwoItems() {
  ShortlistItem a;
  a.rowid = 1;
  a.title = "Level 3 Diploma in Engineering Technologies (Mechanical and Electrical)";
  a.provider = "Calder Valley College";
  a.contact = "01422 555 0101";
  a.url = "https://www.caldervalley.example.ac.uk/courses/engineering-technologies-level-3-diploma";
  ShortlistItem b;
  b.rowid = 2;
  b.route = catalogue::Route::kApprenticeship;
  b.title = "Café team leader apprenticeship – “earn while you learn”";
  b.provider = "Brontë Hospitality Ltd";
  b.contact = "jobs@bronte.example.co.uk";
  return {a, b};
}

// [SECTION] Encoding ------------------------------------------------------------------------

TEST(ReceiptTest, SlipStartsWithInitAndCodePageAndEndsWithFeedAndCut) {
  SlipOptions o;
  o.site_name = "Kirkhaven High School";
  o.date_line = "Wed 25 Nov 2026";
  const Decoded d = Decode(EncodeSlip(TwoItems(), o));
  ASSERT_EQ(d.error, "");
  ASSERT_GE(d.commands.size(), 4u);
  EXPECT_EQ(d.commands[0], "ESC @");
  EXPECT_EQ(d.commands[1], "ESC t 19");  // PC858
  EXPECT_EQ(d.commands[d.commands.size() - 2], "ESC d 4");
  EXPECT_EQ(d.commands.back(), "GS V 66 0");  // feed past the cutter, partial cut
  EXPECT_EQ(d.lines.front(), "Kirkhaven High School");
  EXPECT_NE(std::find(d.lines.begin(), d.lines.end(), "Wed 25 Nov 2026"), d.lines.end());

  o.ascii_only = true;
  const Decoded ascii = Decode(EncodeSlip(TwoItems(), o));
  ASSERT_EQ(ascii.error, "");
  EXPECT_EQ(ascii.commands[0], "ESC @");
  EXPECT_NE(ascii.commands[1], "ESC t 19") << "ASCII needs no code page";
  for (const auto& l : ascii.lines)
    for (char ch : l) EXPECT_LT(static_cast<unsigned char>(ch), 0x80) << l;
}

TEST(ReceiptTest, QrCommandsCarryTheTakeAwayCodeWithCorrectLengths) {
  auto list = TwoItems();
  for (int paper : {58, 80}) {
    SCOPED_TRACE(paper);
    SlipOptions o;
    o.paper_width_mm = paper;
    const std::string bytes = EncodeSlip(list, o);
    const Decoded d = Decode(bytes);
    ASSERT_EQ(d.error, "");
    const std::vector<std::string> codes = TakeAwayCodes(list, kSlipCodeModules);
    ASSERT_EQ(codes.size(), 1u) << "two items make one code on paper";
    ASSERT_EQ(d.qr.size(), 5u);
    EXPECT_EQ(d.qr[0].fn, 65);  // select model
    EXPECT_EQ(d.qr[0].params, std::string("2\0", 2));
    EXPECT_EQ(d.qr[1].fn, 67);  // module size
    ASSERT_EQ(d.qr[1].params.size(), 1u);
    const int module = d.qr[1].params[0];
    EXPECT_GE(module, 1);
    EXPECT_LE(module, 8);
    const std::string& text = codes.front();
    const QrCode qr = MakeQr(text);
    ASSERT_GT(qr.width, 0);
    EXPECT_LE((qr.width + 8) * module, SlipDots(paper)) << "the code fits the paper";
    EXPECT_EQ(d.qr[2].fn, 69);  // error correction: as on screen
    EXPECT_EQ(d.qr[2].params, QrIsLowErrorCorrection(text) ? "0" : "1");
    EXPECT_EQ(d.qr[3].fn, 80);  // store: "0" + the data
    EXPECT_EQ(d.qr[3].params, "0" + text);
    EXPECT_GT(text.size() + 3, 255u) << "the store command needs pH here";
    EXPECT_EQ(d.qr[4].fn, 81);  // print
    EXPECT_EQ(d.qr[4].params, "0");
    // pL/pH read straight from the bytes of the store command.
    const std::size_t at =
        bytes.find(std::string("\x1d(k", 3) + static_cast<char>((text.size() + 3) & 0xFF) +
                   static_cast<char>((text.size() + 3) >> 8) + "1P0");
    EXPECT_NE(at, std::string::npos);
  }
}

TEST(ReceiptTest, TextIsWrappedToThePapersColumnsAndNothingIsLost) {
  auto list = TwoItems();
  for (int paper : {58, 80}) {
    SCOPED_TRACE(paper);
    SlipOptions o;
    o.paper_width_mm = paper;
    o.ascii_only = true;
    const int cols = SlipColumns(paper);
    EXPECT_EQ(cols, paper == 58 ? 32 : 48);
    const Decoded d = Decode(EncodeSlip(list, o));
    ASSERT_EQ(d.error, "");
    for (const auto& l : d.lines) EXPECT_LE(static_cast<int>(l.size()), cols) << "'" << l << "'";
    // The long link is split over lines; put back together it is whole. So
    // are the words of the title.
    std::string joined, words;
    for (const auto& l : d.lines) {
      std::string t = l;
      t.erase(0, t.find_first_not_of(' '));
      joined += t;
      words += " " + t;
    }
    EXPECT_NE(joined.find(list[0].url), std::string::npos);
    EXPECT_NE(words.find("2. Cafe team leader apprenticeship - \"earn while you learn\""),
              std::string::npos)
        << words;
    EXPECT_NE(words.find("jobs@bronte.example.co.uk"), std::string::npos);
    // The title wraps at word boundaries with a hanging indent under "1. ".
    auto it = std::find_if(d.lines.begin(), d.lines.end(),
                           [](const std::string& l) { return l.starts_with("1. Level 3"); });
    ASSERT_NE(it, d.lines.end());
    ASSERT_NE(it + 1, d.lines.end());
    EXPECT_TRUE((it + 1)->starts_with("   ") && (it + 1)->at(3) != ' ') << *(it + 1);
    EXPECT_NE(std::find(d.lines.begin(), d.lines.end(), "   Calder Valley College"), d.lines.end());
  }
}

TEST(ReceiptTest, WrapTextKeepsEveryLineWithinTheWidth) {
  EXPECT_EQ(WrapText("one two three", 8), (std::vector<std::string>{"one two", "three"}));
  EXPECT_EQ(WrapText("exactly8 x", 8), (std::vector<std::string>{"exactly8", "x"}));
  EXPECT_EQ(WrapText("abcdefghijklmnopqrst", 8),
            (std::vector<std::string>{"abcdefgh", "ijklmnop", "qrst"}));
  EXPECT_EQ(WrapText("a\n\nb", 8), (std::vector<std::string>{"a", "", "b"}));
  EXPECT_EQ(WrapText("1. aaaa bbbb cccc", 10, 3),
            (std::vector<std::string>{"1. aaaa", "   bbbb", "   cccc"}));
  EXPECT_EQ(WrapText("", 8), (std::vector<std::string>{""}));
  for (int cols : {8, 9, 13, 32}) {
    for (const auto& l : WrapText("https://example.org/a/very/long/path-with-no-spaces?x=1 and "
                                  "some more words to wrap around",
                                  cols, 2))
      EXPECT_LE(static_cast<int>(l.size()), cols) << l;
  }
}

TEST(ReceiptTest, TextIsConvertedToWhatThePrinterCanPrint) {
  const std::string in = "£15,000 – “Café” ‘naïve’ … ŵ € Ŷ\xC2\xA0x";
  // PC858: £ 0x9C, é 0x82, ï 0x8B, € 0xD5, NBSP 0xFF; the rest transliterated.
  EXPECT_EQ(ToPrinterText(in, false),
            "\x9C"
            "15,000 - \"Caf\x82\" 'na\x8Bve' ... w \xD5 Y\xFFx");
  EXPECT_EQ(ToPrinterText(in, true), "GBP 15,000 - \"Cafe\" 'naive' ... w EUR  Y x");
  EXPECT_EQ(ToPrinterText("Ångström Æsop straße", true), "Angstrom AEsop strasse");
  // Feed text can never smuggle in printer commands or break the layout.
  EXPECT_EQ(ToPrinterText("a\x1B@b\x1D"
                          "V\tc\r\n",
                          false),
            "a @b V c \n");
  // Broken UTF-8 and characters outside both sets become '?'.
  EXPECT_EQ(ToPrinterText("x\xC3(\xE2\x82y \x82 中", false), "x?(?y ? ?");
  EXPECT_EQ(ToPrinterText("end\xE2\x82", false), "end?");
  EXPECT_EQ(ToPrinterText("\xF0\x9F\x98\x80", true), "?");
}

TEST(ReceiptTest, ControlBytesInFeedTextNeverReachThePrinter) {
  auto list = TwoItems();
  list[0].title = "Evil\x1B@\x1DV\x41\x00title";
  list[0].provider = std::string("Nul\0byte", 8);
  const Decoded d = Decode(EncodeSlip(list, SlipOptions{}));
  EXPECT_EQ(d.error, "") << "a control byte escaped into the text";
  EXPECT_EQ(std::count(d.commands.begin(), d.commands.end(), "ESC @"), 1);
}

// [SECTION] Writing to a device ---------------------------------------------------------------

class PrinterFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "kiosk-printer-XXXXXX").string();
    dir_ = ::mkdtemp(tmpl.data());
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  std::string Path(const std::string& name) const { return dir_ + "/" + name; }
  std::string dir_;
};

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST_F(PrinterFileTest, WritesTheWholeSlipToARegularFile) {
  const std::string slip = EncodeSlip(TwoItems(), SlipOptions{});
  std::ofstream(Path("lp0")).close();
  Status s = WriteToPrinter(Path("lp0"), slip, 2000);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(ReadAll(Path("lp0")), slip);
}

TEST_F(PrinterFileTest, WritesTheWholeSlipThroughAFifo) {
  ASSERT_EQ(::mkfifo(Path("fifo").c_str(), 0600), 0);
  std::string slip = EncodeSlip(TwoItems(), SlipOptions{});
  while (slip.size() < 200000) slip += slip;  // more than a pipe buffer: waits for the reader
  std::string got;
  std::thread reader([&] {
    int fd = ::open(Path("fifo").c_str(), O_RDONLY);
    ASSERT_GE(fd, 0);
    char buf[1000];
    for (;;) {
      ssize_t n = ::read(fd, buf, sizeof buf);
      if (n <= 0) break;
      got.append(buf, static_cast<std::size_t>(n));
      if (got.size() % 20000 < 1000) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    ::close(fd);
  });
  // The writer opens non-blocking: wait for the reader to be there.
  Status s = Status::IoError("not run");
  for (int i = 0; i < 200; ++i) {
    s = WriteToPrinter(Path("fifo"), slip, 5000);
    if (s.ok() || s.message().find("nothing is connected") == std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  reader.join();
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(got.size(), slip.size());
  EXPECT_TRUE(got == slip);
}

TEST_F(PrinterFileTest, MissingDeviceIsAClearErrorAndNothingIsCreated) {
  Status s = WriteToPrinter(Path("usb/lp0"), "x", 1000);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("no printer at " + Path("usb/lp0")), std::string::npos)
      << s.ToString();
  s = WriteToPrinter(Path("lp0"), "x", 1000);
  EXPECT_FALSE(s.ok());
  EXPECT_FALSE(std::filesystem::exists(Path("lp0"))) << "a missing printer is not a new file";
}

TEST_F(PrinterFileTest, AFifoNobodyReadsFailsAtOnce) {
  ASSERT_EQ(::mkfifo(Path("fifo").c_str(), 0600), 0);
  auto t0 = std::chrono::steady_clock::now();
  Status s = WriteToPrinter(Path("fifo"), "slip", 10000);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("nothing is connected"), std::string::npos) << s.ToString();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(5))
      << "must not wait for the timeout";
}

TEST_F(PrinterFileTest, APrinterThatStopsTakingDataTimesOut) {
  ASSERT_EQ(::mkfifo(Path("fifo").c_str(), 0600), 0);
  int reader = ::open(Path("fifo").c_str(), O_RDONLY | O_NONBLOCK);  // never reads
  ASSERT_GE(reader, 0);
  const std::string big(1 << 20, 'x');
  Status s = WriteToPrinter(Path("fifo"), big, 300);
  ::close(reader);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("took no more data"), std::string::npos) << s.ToString();
  EXPECT_NE(s.message().find("of 1048576 bytes sent"), std::string::npos) << s.ToString();
}

TEST_F(PrinterFileTest, APrinterUnpluggedMidSlipIsAnErrorNotASignal) {
  ASSERT_EQ(::mkfifo(Path("fifo").c_str(), 0600), 0);
  int reader = ::open(Path("fifo").c_str(), O_RDONLY | O_NONBLOCK);
  ASSERT_GE(reader, 0);
  std::thread unplug([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    ::close(reader);  // the write end now gets EPIPE (and SIGPIPE, which must not kill us)
  });
  const std::string big(1 << 20, 'x');
  Status s = WriteToPrinter(Path("fifo"), big, 5000);
  unplug.join();
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("went away"), std::string::npos) << s.ToString();
}

TEST_F(PrinterFileTest, CancelStopsAWaitingWrite) {
  ASSERT_EQ(::mkfifo(Path("fifo").c_str(), 0600), 0);
  int reader = ::open(Path("fifo").c_str(), O_RDONLY | O_NONBLOCK);
  ASSERT_GE(reader, 0);
  std::atomic<bool> cancel{false};
  std::thread stop([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    cancel = true;
  });
  auto t0 = std::chrono::steady_clock::now();
  Status s = WriteToPrinter(Path("fifo"), std::string(1 << 20, 'x'), 30000, &cancel);
  stop.join();
  ::close(reader);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("cancelled"), std::string::npos) << s.ToString();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(10));
}

TEST_F(PrinterFileTest, PermissionDeniedSaysWhichGroup) {
  std::ofstream(Path("lp0")).close();
  ASSERT_EQ(::chmod(Path("lp0").c_str(), 0600), 0);
  ASSERT_EQ(::chmod(dir_.c_str(), 0755), 0);
  // As the kiosk's unprivileged user would: root may open anything, so when
  // the tests run as root the write happens in a child that drops to nobody.
  auto attempt = [&] {
    Status s = WriteToPrinter(Path("lp0"), "x", 1000);
    return !s.ok() &&
           s.message().find("permission denied opening " + Path("lp0")) != std::string::npos &&
           s.message().find("group, normally lp") != std::string::npos;
  };
  if (::geteuid() != 0) {
    ASSERT_EQ(::chmod(Path("lp0").c_str(), 0400), 0);
    EXPECT_TRUE(attempt());
    return;
  }
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    if (::setgid(65534) != 0 || ::setuid(65534) != 0) ::_exit(2);
    ::_exit(attempt() ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "1: wrong or no error; 2: could not drop to nobody";
  EXPECT_EQ(std::filesystem::file_size(Path("lp0")), 0u);
}

}  // namespace
}  // namespace signpost::kiosk
