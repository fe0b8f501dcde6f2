// Receipt: the printed take-away slip for a USB thermal receipt printer
// ([kiosk.printer] in kiosk.toml), as ESC/POS bytes, and the write to the
// printer's device file.
//
// The slip carries every shortlisted item as text and as the take-away QR
// codes (takeaway.h, cut for paper: bigger than a screen's), printed with the
// printer's own `GS ( k` commands, laid out for the paper: 32 columns on 58 mm paper, 48
// on 80 mm (font A). Text goes to the printer in code page PC858 (accented
// letters, pound and euro signs) or plain ASCII; curly quotes, dashes and the
// like are transliterated, and control bytes in feed text are never passed
// through (they could be printer commands).
//
// The printer (usblp, /dev/usb/lp0) cannot report paper-out or a cover left
// open over the plain printer class: a write that the printer accepts counts
// as printed. Missing device, no permission, the printer unplugged mid-slip
// or a write that makes no progress before the timeout are errors.
//
// Nothing is kept: the encoder returns bytes to the caller, and
// WriteToPrinter keeps no copy. Thread safety: pure functions, except that
// WriteToPrinter blocks (up to its timeout) and belongs on a worker thread.
#pragma once

#include <atomic>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/app_state.h"
#include "signpost/status.h"

namespace signpost::kiosk {

// The most modules a side of a take-away code on paper (QR version 15): at
// least 4 dots a module on 58 mm paper, 6 on 80 mm.
inline constexpr int kSlipCodeModules = 77;

// Characters per line in font A, and printable width in dots (203 dpi).
int SlipColumns(int paper_width_mm);  // 58 -> 32, otherwise 48
int SlipDots(int paper_width_mm);     // 58 -> 384, otherwise 576

// UTF-8 -> one byte per character the printer can print: PC858, or ASCII when
// ascii_only. Common typography (‘’“” – — … • non-breaking and thin spaces),
// Welsh ŵ ŷ and ligatures are transliterated; anything else becomes '?'.
// Control characters (including ESC and GS) become spaces; '\n' is kept.
std::string ToPrinterText(std::string_view utf8, bool ascii_only);

// Word-wraps printer text (one byte = one column) to `columns`; a word longer
// than a line (a URL) is broken across lines. `indent` spaces start every
// line after the first. Never returns a line longer than `columns`.
std::vector<std::string> WrapText(std::string_view text, int columns, int indent = 0);

struct SlipOptions {
  int paper_width_mm = 80;  // 58 or 80
  bool ascii_only = false;  // no PC858 (ESC t is not sent)
  std::string site_name;    // header, "" = none
  std::string host_name;    // "Hosted by ..." line (open-day branding), "" = none
  // Wording in the student's language (the caller translates):
  std::string heading = "Your shortlist";
  std::string date_line;  // e.g. "Wed 25 Nov 2026"
  std::string qr_caption = "Scan for the links on your phone";
  std::string footer = "National Careers Service: 0800 100 900 (free)";
};

// The whole slip as ESC/POS: ESC @ (init), ESC t 19 (PC858), header, each
// item (title, provider, contact, link), the QR codes (each GS ( k: model 2,
// module size, error correction, store, print), feed and partial cut (GS V 66).
std::string EncodeSlip(const std::vector<ShortlistItem>& list, const SlipOptions& options);

// Writes `bytes` to the device file (never creates it): non-blocking writes,
// waiting for the printer up to `timeout_ms` in total. `cancel` (may be
// null) stops it early. SIGPIPE is blocked on the calling thread while it
// runs. Errors say what happened in the technician's terms.
Status WriteToPrinter(const std::string& device, std::string_view bytes, int timeout_ms,
                      const std::atomic<bool>* cancel = nullptr);

}  // namespace signpost::kiosk
