#include "kiosk/slip_printer.h"

#include <sodium.h>

#include <cstdio>
#include <utility>

namespace signpost::kiosk {

SlipPrinter::~SlipPrinter() {
  cancel_ = true;
  if (thread_.joinable()) thread_.join();
}

std::uint64_t SlipPrinter::Fingerprint(const std::vector<ShortlistItem>& list) {
  std::uint64_t h = 1469598103934665603ull;  // FNV-1a over the rowids: no content kept
  for (const auto& item : list) {
    h ^= static_cast<std::uint64_t>(item.rowid);
    h *= 1099511628211ull;
  }
  return h;
}

void SlipPrinter::Print(const PrinterConfig& printer, const std::vector<ShortlistItem>& list,
                        const SlipOptions& options) {
  if (!printer.enabled || list.empty() || state_ == State::kPrinting || running_) return;
  if (thread_.joinable()) thread_.join();  // the last one has finished
  std::string bytes = EncodeSlip(list, options);
  state_ = State::kPrinting;
  printed_list_ = Fingerprint(list);
  const std::uint64_t job = ++job_;
  running_ = true;
  DataService* d = answers_;
  thread_ =
      std::thread([this, d, job, device = printer.device, bytes = std::move(bytes)]() mutable {
        Status s = WriteToPrinter(device, bytes, 15000, &cancel_);
        // Nothing about the shortlist is kept once it is on paper.
        sodium_memzero(bytes.data(), bytes.size());
        bytes.clear();
        bytes.shrink_to_fit();
        std::string error = s.ok() ? std::string() : s.message();
        if (!error.empty()) std::fprintf(stderr, "signpost-kiosk: printer: %s\n", error.c_str());
        d->ToUi([this, job, error] {
          last_error_ = error;
          if (job != job_) return;  // that student has gone
          state_ = error.empty() ? State::kPrinted : State::kFailed;
        });
        running_ = false;
      });
}

SlipPrinter::State SlipPrinter::state(const std::vector<ShortlistItem>& list) {
  // A slip (or a failure) belongs to the list it was for: once the list
  // changes, "Print a slip" is offered again.
  if ((state_ == State::kPrinted || state_ == State::kFailed) && Fingerprint(list) != printed_list_)
    state_ = State::kIdle;
  return state_;
}

void SlipPrinter::ForgetSession() {
  state_ = State::kIdle;
  ++job_;  // a slip still printing belongs to the last student
}

}  // namespace signpost::kiosk
