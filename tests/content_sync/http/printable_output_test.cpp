// Issue 16: content-sync prints what feeds say (validate, status, errors);
// escape codes in it are shown as text, never obeyed by the terminal.
// Runs the real binary, whose output goes through signpost::Printable.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace signpost::sync {
namespace {

TEST(ContentSyncOutputTest, EscapeCodesFromAFeedArePrintedEscaped) {
  const std::string dir =
      (std::filesystem::temp_directory_path() / ("signpost-printable-" + std::to_string(getpid())))
          .string();
  std::filesystem::create_directories(dir);
  const std::string ics = dir + "/evil.ics";
  // An event with no SUMMARY: validate prints the skip reason, which quotes
  // the feed's own UID, escape codes and all.
  std::ofstream(ics) << "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\n"
                        "UID:evil\x1b[2J\x1b]0;pwned\x07 \xC2\x9B"
                        "31mred@example\r\nDTSTART:20301015T180000Z\r\n"
                        "END:VEVENT\r\nEND:VCALENDAR\r\n";
  const std::string cmd =
      std::string(CONTENT_SYNC_BINARY) + " validate --kind icalendar " + ics + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string out;
  std::array<char, 4096> buf;
  for (size_t n; (n = fread(buf.data(), 1, buf.size(), p)) > 0;) out.append(buf.data(), n);
  pclose(p);
  std::filesystem::remove_all(dir);
  EXPECT_NE(out.find("missing SUMMARY"), std::string::npos) << "output: [" << out << "]";
  EXPECT_NE(out.find("evil\\x1b[2J"), std::string::npos) << out;
  EXPECT_EQ(out.find('\x1b'), std::string::npos) << "a raw ESC reached the terminal: " << out;
  EXPECT_EQ(out.find('\x07'), std::string::npos) << out;
  EXPECT_EQ(out.find("\xC2\x9B"), std::string::npos) << out;
}

}  // namespace
}  // namespace signpost::sync
