// QR codes for "open this on your phone" and the take-away shortlist, via
// libqrencode. Pure function; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace signpost::kiosk {

struct QrCode {
  int width = 0;                      // modules per side; 0 = could not encode
  std::vector<std::uint8_t> modules;  // width*width, 1 = dark
  bool dark(int x, int y) const { return modules[static_cast<std::size_t>(y * width + x)] != 0; }
};

// Encodes UTF-8 text (8-bit mode, error correction M, L when the text is
// longer than a link). Returns width 0 when the text does not fit.
QrCode MakeQr(const std::string& text);
// True when MakeQr uses error correction L for this text (else M); printed
// slips ask the printer for the same level.
bool QrIsLowErrorCorrection(const std::string& text);

}  // namespace signpost::kiosk
