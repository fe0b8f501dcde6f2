#include "kiosk/qr.h"

#include <qrencode.h>

namespace signpost::kiosk {

bool QrIsLowErrorCorrection(const std::string& text) { return text.size() > 120; }

QrCode MakeQr(const std::string& text) {
  QrCode out;
  if (text.empty()) return out;
  // Codes are read off a clean screen, not a scuffed label: low error
  // correction keeps longer texts (the shortlist) at a scannable module size.
  QRecLevel level = QrIsLowErrorCorrection(text) ? QR_ECLEVEL_L : QR_ECLEVEL_M;
  QRcode* qr = QRcode_encodeData(static_cast<int>(text.size()),
                                 reinterpret_cast<const unsigned char*>(text.data()), 0, level);
  if (!qr) return out;
  out.width = qr->width;
  out.modules.resize(static_cast<std::size_t>(qr->width) * qr->width);
  for (std::size_t i = 0; i < out.modules.size(); ++i) out.modules[i] = qr->data[i] & 1;
  QRcode_free(qr);
  return out;
}

}  // namespace signpost::kiosk
