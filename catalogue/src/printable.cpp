#include "signpost/printable.h"

#include <cstdio>

namespace signpost {

std::string Printable(std::string_view s, bool keep_lines) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    char buf[16];
    if (c < 0x20 || c == 0x7f) {
      if (keep_lines && (c == '\n' || c == '\t')) {
        out.push_back(static_cast<char>(c));
      } else {
        std::snprintf(buf, sizeof buf, "\\x%02x", c);
        out += buf;
      }
      continue;
    }
    if (c == 0xc2 && i + 1 < s.size()) {  // U+0080..U+009F
      const auto d = static_cast<unsigned char>(s[i + 1]);
      if (d >= 0x80 && d <= 0x9f) {
        std::snprintf(buf, sizeof buf, "\\u%04x", d);
        out += buf;
        ++i;
        continue;
      }
    }
    if (c == 0xe2 && i + 2 < s.size()) {  // bidirectional overrides and isolates
      const auto d = static_cast<unsigned char>(s[i + 1]);
      const auto e = static_cast<unsigned char>(s[i + 2]);
      if ((d == 0x80 && e >= 0xaa && e <= 0xae) || (d == 0x81 && e >= 0xa6 && e <= 0xa9)) {
        const unsigned cp = 0x2000u + ((d & 0x3fu) << 6) + (e & 0x3fu);
        std::snprintf(buf, sizeof buf, "\\u%04x", cp);
        out += buf;
        i += 2;
        continue;
      }
    }
    out.push_back(static_cast<char>(c));
  }
  return out;
}

PrintableStreamBuf::int_type PrintableStreamBuf::overflow(int_type c) {
  if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
  line_.push_back(traits_type::to_char_type(c));
  if (c == '\n' || line_.size() >= 4096) {
    if (sync() != 0) return traits_type::eof();
  }
  return c;
}

int PrintableStreamBuf::sync() {
  if (!line_.empty()) {
    // A multi-byte sequence cut at the buffer's end waits for its rest.
    std::size_t keep = 0;
    if (line_.back() != '\n') {
      while (keep < 2 && keep < line_.size() &&
             (static_cast<unsigned char>(line_[line_.size() - 1 - keep]) & 0xc0) == 0x80)
        ++keep;
      if (keep < line_.size() &&
          (static_cast<unsigned char>(line_[line_.size() - 1 - keep]) & 0xc0) == 0xc0)
        ++keep;
      else
        keep = 0;
    }
    const std::string rest = line_.substr(line_.size() - keep);
    const std::string text =
        Printable(std::string_view(line_).substr(0, line_.size() - keep), true);
    line_ = rest;
    if (to_->sputn(text.data(), static_cast<std::streamsize>(text.size())) !=
        static_cast<std::streamsize>(text.size()))
      return -1;
  }
  return to_->pubsync();
}

}  // namespace signpost
