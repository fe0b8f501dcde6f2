// Text from feeds, packs and bundles, made safe to print on a terminal.
// A feed can put escape sequences in a title ("\x1b]0;...", "\x1b[2J"),
// which a technician's terminal would obey when `signpost-catalogue` or
// `content-sync` prints it. The catalogue import strips control characters
// (issue 12); the CLIs escape whatever they print as well, so text already
// stored (or in an error message) cannot reach the terminal raw.
//
// Escaped: C0 controls (\x00-\x1f, except \n and \t when keep_lines), DEL,
// C1 controls (U+0080-U+009F) and the bidirectional overrides that can make
// text read differently from what it is (U+202A-U+202E, U+2066-U+2069).
// Each becomes a visible "\x1b" / "\u202e". Other text is unchanged.
// Owner: security (issue 16). Thread safety: pure functions.
#pragma once

#include <streambuf>
#include <string>
#include <string_view>

namespace signpost {

std::string Printable(std::string_view text, bool keep_lines = false);

// A streambuf that passes text through Printable (lines kept) to `to`. For
// a CLI's std::cout / std::cerr: wrap once, and every command's output is
// safe. Flushes at each newline and on sync().
class PrintableStreamBuf final : public std::streambuf {
 public:
  explicit PrintableStreamBuf(std::streambuf* to) : to_(to) {}
  ~PrintableStreamBuf() override { sync(); }

 protected:
  int_type overflow(int_type c) override;
  int sync() override;

 private:
  std::streambuf* to_;
  std::string line_;
};

}  // namespace signpost
