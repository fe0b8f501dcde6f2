// Receipt slips as ESC/POS. Index:
//   [SECTION] Take-away text
//   [SECTION] Printer characters (PC858 / ASCII)
//   [SECTION] Wrapping
//   [SECTION] ESC/POS encoding
//   [SECTION] Writing to the device
//
// Command reference: Epson "ESC/POS Application Programming Guide" (ESC @,
// ESC t, ESC a, ESC E, GS !, ESC d, GS V, GS ( k function 165/167/169/180/181
// for QR codes), which common 58/80 mm USB printers implement.
#include "kiosk/receipt.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>

#include "kiosk/qr.h"
#include "kiosk/takeaway.h"
#include "signpost/links.h"

namespace signpost::kiosk {

int SlipColumns(int paper_width_mm) { return paper_width_mm == 58 ? 32 : 48; }
int SlipDots(int paper_width_mm) { return paper_width_mm == 58 ? 384 : 576; }

// [SECTION] Printer characters (PC858 / ASCII) ----------------------------------------

namespace {

// PC858 (code page 850 with the euro sign) for U+00A0..U+00FF.
constexpr unsigned char kPc858[96] = {
    0xFF, 0xAD, 0xBD, 0x9C, 0xCF, 0xBE, 0xDD, 0xF5, 0xF9, 0xB8, 0xA6, 0xAE, 0xAA, 0xF0, 0xA9, 0xEE,
    0xF8, 0xF1, 0xFD, 0xFC, 0xEF, 0xE6, 0xF4, 0xFA, 0xF7, 0xFB, 0xA7, 0xAF, 0xAC, 0xAB, 0xF3, 0xA8,
    0xB7, 0xB5, 0xB6, 0xC7, 0x8E, 0x8F, 0x92, 0x80, 0xD4, 0x90, 0xD2, 0xD3, 0xDE, 0xD6, 0xD7, 0xD8,
    0xD1, 0xA5, 0xE3, 0xE0, 0xE2, 0xE5, 0x99, 0x9E, 0x9D, 0xEB, 0xE9, 0xEA, 0x9A, 0xED, 0xE8, 0xE1,
    0x85, 0xA0, 0x83, 0xC6, 0x84, 0x86, 0x91, 0x87, 0x8A, 0x82, 0x88, 0x89, 0x8D, 0xA1, 0x8C, 0x8B,
    0xD0, 0xA4, 0x95, 0xA2, 0x93, 0xE4, 0x94, 0xF6, 0x9B, 0x97, 0xA3, 0x96, 0x81, 0xEC, 0xE7, 0x98};
constexpr unsigned char kPc858Euro = 0xD5;

// ASCII for U+00C0..U+00FF (one letter each; the few two-letter ones are below).
constexpr char kLatin1Letters[] =
    "AAAAAAACEEEEIIIIDNOOOOOxOUUUUYTsaaaaaaaceeeeiiiidnooooo/ouuuuyty";

// Transliterations used in both modes (beyond Latin-1), and ASCII-mode
// spellings of Latin-1 signs.
const char* Transliterate(char32_t c, bool ascii_only) {
  switch (c) {
    case 0x2018:
    case 0x2019:
    case 0x201A:
    case 0x201B:
    case 0x2032:
    case 0x02BC:
      return "'";
    case 0x201C:
    case 0x201D:
    case 0x201E:
    case 0x201F:
    case 0x2033:
      return "\"";
    case 0x2010:
    case 0x2011:
    case 0x2012:
    case 0x2013:
    case 0x2212:
      return "-";
    case 0x2014:
    case 0x2015:
      return "--";
    case 0x2026:
      return "...";
    case 0x2022:
    case 0x2023:
    case 0x25CF:
    case 0x2605:
    case 0x2606:
    case 0x2043:
      return "*";
    case 0x2002:
    case 0x2003:
    case 0x2007:
    case 0x2008:
    case 0x2009:
    case 0x200A:
    case 0x202F:
    case 0x205F:
    case 0x3000:
      return " ";
    case 0x200B:
    case 0x200C:
    case 0x200D:
    case 0x2060:
    case 0xFEFF:
    case 0x00AD:
      return "";
    case 0x2190:
      return "<-";
    case 0x2192:
      return "->";
    case 0x2122:
      return "TM";
    case 0x0174:
      return "W";
    case 0x0175:
      return "w";
    case 0x0176:
    case 0x0178:
      return "Y";
    case 0x0177:
      return "y";
    case 0x0152:
      return "OE";
    case 0x0153:
      return "oe";
    case 0x0160:
      return "S";
    case 0x0161:
      return "s";
    case 0x017D:
      return "Z";
    case 0x017E:
      return "z";
    case 0xFB01:
      return "fi";
    case 0xFB02:
      return "fl";
    default:
      break;
  }
  if (!ascii_only) return nullptr;
  switch (c) {
    case 0x00A0:
      return " ";
    case 0x00A3:
      return "GBP ";
    case 0x20AC:
      return "EUR ";
    case 0x00A9:
      return "(c)";
    case 0x00AE:
      return "(R)";
    case 0x00AB:
      return "<<";
    case 0x00BB:
      return ">>";
    case 0x00B7:
      return ".";
    case 0x00BD:
      return "1/2";
    case 0x00BC:
      return "1/4";
    case 0x00BE:
      return "3/4";
    case 0x00B0:
      return " deg";
    case 0x00D7:
      return "x";
    case 0x00C6:
      return "AE";
    case 0x00E6:
      return "ae";
    case 0x00DF:
      return "ss";
    case 0x00DE:
      return "Th";
    case 0x00FE:
      return "th";
    default:
      break;
  }
  if (c >= 0xC0 && c <= 0xFF) {
    thread_local char buf[2];
    buf[0] = kLatin1Letters[c - 0xC0];
    buf[1] = 0;
    return buf;
  }
  return nullptr;
}

// Decodes one UTF-8 sequence at s[*i]; U+FFFD (once per broken sequence)
// for malformed input.
char32_t NextCodePoint(std::string_view s, std::size_t* i) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(*i);
  const int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
  if (len == 0) {  // a stray continuation byte or an invalid lead byte
    ++*i;
    return 0xFFFD;
  }
  char32_t cp = len == 1 ? c : c & (0x7F >> len);
  for (int k = 1; k < len; ++k) {
    if (*i + k >= s.size() || (b(*i + k) & 0xC0) != 0x80) {
      *i += k;  // the broken sequence so far is one replacement character
      return 0xFFFD;
    }
    cp = cp << 6 | (b(*i + k) & 0x3F);
  }
  *i += len;
  static constexpr char32_t kMin[5] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0xFFFD;
  return cp;
}

}  // namespace

std::string ToPrinterText(std::string_view utf8, bool ascii_only) {
  std::string out;
  out.reserve(utf8.size());
  std::size_t i = 0;
  while (i < utf8.size()) {
    const char32_t c = NextCodePoint(utf8, &i);
    if (c == '\n') {
      out.push_back('\n');
    } else if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0)) {
      out.push_back(' ');  // tabs, CR, ESC, GS...: never a printer command
    } else if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else if (const char* t = Transliterate(c, ascii_only)) {
      out += t;
    } else if (!ascii_only && c >= 0xA0 && c <= 0xFF) {
      out.push_back(static_cast<char>(kPc858[c - 0xA0]));
    } else if (!ascii_only && c == 0x20AC) {
      out.push_back(static_cast<char>(kPc858Euro));
    } else {
      out.push_back('?');
    }
  }
  return out;
}

// [SECTION] Wrapping -------------------------------------------------------------------

std::vector<std::string> WrapText(std::string_view text, int columns, int indent) {
  std::vector<std::string> lines;
  columns = std::max(columns, 8);
  indent = std::clamp(indent, 0, columns / 2);
  const std::size_t width = static_cast<std::size_t>(columns);
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view para = text.substr(start, end - start);
    std::string line;
    bool line_has_word = false;
    auto flush = [&] {
      while (!line.empty() && line.back() == ' ') line.pop_back();
      lines.push_back(line);
      line.assign(static_cast<std::size_t>(indent), ' ');
      line_has_word = false;
    };
    std::size_t p = 0;
    while (p < para.size()) {
      while (p < para.size() && para[p] == ' ') ++p;
      if (p >= para.size()) break;
      std::size_t q = para.find(' ', p);
      if (q == std::string_view::npos) q = para.size();
      std::string_view word = para.substr(p, q - p);
      p = q;
      std::size_t need = word.size() + (line_has_word ? 1 : 0);
      if (line_has_word && line.size() + need > width) flush();
      if (line_has_word) line.push_back(' ');
      // A word longer than the line: break it wherever the line ends.
      while (line.size() + word.size() > width) {
        std::size_t room = width - line.size();
        if (room == 0) {
          flush();
          continue;
        }
        line.append(word.substr(0, room));
        word.remove_prefix(room);
        line_has_word = true;
        flush();
      }
      line.append(word);
      line_has_word = line_has_word || !word.empty();
    }
    if (line_has_word || lines.empty() || para.empty()) flush();
    start = end + 1;
  }
  return lines;
}

// [SECTION] ESC/POS encoding ----------------------------------------------------------

namespace {

constexpr char ESC = 0x1B;
constexpr char GS = 0x1D;

void Cmd(std::string& out, std::initializer_list<int> bytes) {
  for (int b : bytes) out.push_back(static_cast<char>(b));
}

void Lines(std::string& out, const std::vector<std::string>& lines) {
  for (const auto& l : lines) {
    out += l;
    out.push_back('\n');
  }
}

// GS ( k pL pH cn fn [params]: cn 49 = QR code.
void QrFunction(std::string& out, int fn, std::string_view params) {
  const std::size_t n = params.size() + 2;  // cn, fn, params
  Cmd(out, {GS, '(', 'k', static_cast<int>(n & 0xFF), static_cast<int>(n >> 8), 49, fn});
  out.append(params);
}

}  // namespace

std::string EncodeSlip(const std::vector<ShortlistItem>& list, const SlipOptions& o) {
  const int cols = SlipColumns(o.paper_width_mm);
  auto text = [&](const std::string& s) { return ToPrinterText(s, o.ascii_only); };
  std::string out;
  Cmd(out, {ESC, '@'});                         // initialise
  if (!o.ascii_only) Cmd(out, {ESC, 't', 19});  // code page PC858
  // Header, centred: the site name in double height, bold.
  Cmd(out, {ESC, 'a', 1});
  if (!o.site_name.empty()) {
    Cmd(out, {ESC, 'E', 1, GS, '!', 0x01});
    Lines(out, WrapText(text(o.site_name), cols));
    Cmd(out, {GS, '!', 0x00, ESC, 'E', 0});
  }
  if (!o.host_name.empty()) Lines(out, WrapText(text(o.host_name), cols));
  Cmd(out, {ESC, 'E', 1});
  Lines(out, WrapText(text(o.heading), cols));
  Cmd(out, {ESC, 'E', 0});
  if (!o.date_line.empty()) Lines(out, WrapText(text(o.date_line), cols));
  Cmd(out, {ESC, 'a', 0});
  const std::string rule(static_cast<std::size_t>(cols), '-');
  out += rule + "\n";
  // Each item: "1. Title" in bold, then provider, contact and link indented.
  for (std::size_t i = 0; i < list.size(); ++i) {
    const ShortlistItem& s = list[i];
    const std::string number = std::to_string(i + 1) + ". ";
    const int indent = static_cast<int>(number.size());
    Cmd(out, {ESC, 'E', 1});
    Lines(out, WrapText(number + text(s.title), cols, indent));
    Cmd(out, {ESC, 'E', 0});
    const std::string pad(static_cast<std::size_t>(indent), ' ');
    // A link only when it is a plain web address (signpost/links.h).
    const std::string no_link;
    const std::string* url = catalogue::WebLinkProblem(s.url).empty() ? &s.url : &no_link;
    for (const std::string* field : {&s.provider, &s.contact, url}) {
      if (field->empty()) continue;
      for (const std::string& l : WrapText(text(*field), cols - indent)) out += pad + l + "\n";
    }
    out += "\n";
  }
  out += rule + "\n";
  // The take-away codes (every item; paper takes bigger codes than a
  // screen), printed by the printer itself.
  Cmd(out, {ESC, 'a', 1});
  for (const std::string& qr_text : TakeAwayCodes(list, kSlipCodeModules)) {
    const QrCode qr = MakeQr(qr_text);
    const int modules = (qr.width > 0 ? qr.width : kSlipCodeModules) + 8;  // with the quiet zone
    const int module_dots = std::clamp(SlipDots(o.paper_width_mm) / modules, 1, 8);
    QrFunction(out, 65, std::string{'2', '\0'});                          // model 2
    QrFunction(out, 67, std::string(1, static_cast<char>(module_dots)));  // module size
    QrFunction(out, 69, std::string(1, QrIsLowErrorCorrection(qr_text) ? '0' : '1'));  // L / M
    QrFunction(out, 80, "0" + qr_text);                                                // store
    QrFunction(out, 81, "0");                                                          // print
    out += "\n";
  }
  Lines(out, WrapText(text(o.qr_caption), cols));
  out += "\n";
  Lines(out, WrapText(text(o.footer), cols));
  Cmd(out, {ESC, 'a', 0});
  Cmd(out, {ESC, 'd', 4});     // feed past the cutter
  Cmd(out, {GS, 'V', 66, 0});  // partial cut
  return out;
}

// [SECTION] Writing to the device ------------------------------------------------------

namespace {

std::string Errno(int e) { return std::strerror(e); }

std::string OpenError(const std::string& device, int e) {
  switch (e) {
    case ENOENT:
      return "no printer at " + device + " (not plugged in, or another device name)";
    case EACCES:
    case EPERM:
      return "permission denied opening " + device +
             " (the kiosk user must be in the printer's group, normally lp)";
    case ENXIO:
    case ENODEV:
      return "nothing is connected behind " + device + " (" + Errno(e) + ")";
    case EBUSY:
      return device + " is in use by another program";
    default:
      return "cannot open " + device + ": " + Errno(e);
  }
}

// Blocks SIGPIPE on this thread for its lifetime; a SIGPIPE raised by a write
// to a closed pipe is consumed so it never reaches the process.
class BlockSigpipe {
 public:
  BlockSigpipe() {
    sigemptyset(&set_);
    sigaddset(&set_, SIGPIPE);
    sigset_t pending;
    sigemptyset(&pending);
    sigpending(&pending);
    was_pending_ = sigismember(&pending, SIGPIPE) == 1;
    pthread_sigmask(SIG_BLOCK, &set_, &old_);
  }
  ~BlockSigpipe() {
    if (!was_pending_) {
      timespec zero{};
      while (sigtimedwait(&set_, nullptr, &zero) > 0) {
      }
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }

 private:
  sigset_t set_, old_;
  bool was_pending_ = false;
};

}  // namespace

Status WriteToPrinter(const std::string& device, std::string_view bytes, int timeout_ms,
                      const std::atomic<bool>* cancel) {
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  BlockSigpipe no_sigpipe;
  // No O_CREAT: a missing printer must not become a new file in /dev.
  const int fd = ::open(device.c_str(), O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) return Status::IoError(OpenError(device, errno));
  std::size_t sent = 0;
  Status result = Status::Ok();
  while (sent < bytes.size()) {
    if (cancel != nullptr && cancel->load()) {
      result = Status::Unavailable("printing cancelled after " + std::to_string(sent) + " of " +
                                   std::to_string(bytes.size()) + " bytes");
      break;
    }
    const std::size_t chunk = std::min<std::size_t>(bytes.size() - sent, 4096);
    const ssize_t n = ::write(fd, bytes.data() + sent, chunk);
    if (n > 0) {
      sent += static_cast<std::size_t>(n);
      continue;
    }
    const int e = n < 0 ? errno : EAGAIN;
    if (e == EINTR) continue;
    if (e == EAGAIN) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
      if (left <= 0) {
        result = Status::IoError("the printer at " + device + " took no more data for " +
                                 std::to_string(timeout_ms / 1000) + " s (" + std::to_string(sent) +
                                 " of " + std::to_string(bytes.size()) +
                                 " bytes sent): offline, out of paper, or the cover is open?");
        break;
      }
      pollfd p{fd, POLLOUT, 0};
      ::poll(&p, 1, static_cast<int>(std::min<long long>(left, 100)));  // 100 ms: see `cancel`
      continue;
    }
    if (e == EPIPE || e == ENODEV || e == EIO || e == ENXIO) {
      result = Status::IoError("the printer at " + device + " went away after " +
                               std::to_string(sent) + " of " + std::to_string(bytes.size()) +
                               " bytes (" + Errno(e) + "): unplugged or switched off?");
    } else if (e == ENOSPC) {
      result = Status::IoError("the printer at " + device + " reports it is out of paper");
    } else {
      result = Status::IoError("writing to " + device + " failed after " + std::to_string(sent) +
                               " bytes: " + Errno(e));
    }
    break;
  }
  if (::close(fd) != 0 && result.ok() && errno != EINTR)
    result = Status::IoError("closing " + device + " failed: " + Errno(errno));
  return result;
}

}  // namespace signpost::kiosk
