// Issue 16: text a feed wrote is printed escaped, never obeyed by a terminal.
#include <gtest/gtest.h>

#include <sstream>

#include "signpost/printable.h"

namespace signpost {
namespace {

TEST(PrintableTest, ControlCharactersAreShownNotSent) {
  EXPECT_EQ(Printable("Plumbing\x1b[2J\x1b]0;pwned\x07"), "Plumbing\\x1b[2J\\x1b]0;pwned\\x07");
  EXPECT_EQ(Printable("a\nb\tc\rd\x7f"), "a\\x0ab\\x09c\\x0dd\\x7f");
  EXPECT_EQ(Printable("a\nb\tc", /*keep_lines=*/true), "a\nb\tc");
  EXPECT_EQ(Printable("csi \xC2\x9B"
                      "31m"),
            "csi \\u009b31m");                                            // C1 CSI in UTF-8
  EXPECT_EQ(Printable("evil\xE2\x80\xAEtxt.exe"), "evil\\u202etxt.exe");  // right-to-left override
  EXPECT_EQ(Printable("Caf\xC3\xA9 \xE2\x80\x94 Ysgol Gymraeg"),
            "Caf\xC3\xA9 \xE2\x80\x94 Ysgol Gymraeg");
}

TEST(PrintableTest, AStreamWrappedOnceEscapesEverythingWrittenToIt) {
  std::ostringstream sink;
  {
    PrintableStreamBuf buf(sink.rdbuf());
    std::ostream out(&buf);
    out << "feed=courses title=\x1b[31mRED\n"
        << "second line, no newline \xE2\x80";
    out << "\xAE end" << std::flush;
  }
  EXPECT_EQ(sink.str(), "feed=courses title=\\x1b[31mRED\nsecond line, no newline \\u202e end");
}

}  // namespace
}  // namespace signpost
