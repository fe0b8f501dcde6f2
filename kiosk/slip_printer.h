// SlipPrinter: prints the take-away slip ([kiosk.printer]) on a thread of its
// own and remembers what became of it. The App owns one; the shortlist
// screen asks it to print and shows its state.
//
// A slip belongs to the list it was printed for: once the shortlist changes,
// state() is kIdle again ("Print a slip" is offered). Ending the session
// forgets the last slip (a slip still printing is the last student's: its
// answer is dropped). Nothing about the list is kept once it is written: the
// thread owns its copy of the bytes and wipes it.
// Thread safety: UI thread only; answers come back through DataService::ToUi.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "kiosk/app_state.h"
#include "kiosk/data_service.h"
#include "kiosk/receipt.h"

namespace signpost::kiosk {

class SlipPrinter {
 public:
  enum class State { kIdle, kPrinting, kPrinted, kFailed };

  explicit SlipPrinter(DataService* answers) : answers_(answers) {}
  ~SlipPrinter();  // a slip still printing stops within 100 ms
  SlipPrinter(const SlipPrinter&) = delete;
  SlipPrinter& operator=(const SlipPrinter&) = delete;

  // Encodes `list` with `options` and writes it to the printer's device (at
  // most 15 s). Does nothing when printing is not enabled, while a slip is
  // printing or when the list is empty.
  void Print(const PrinterConfig& printer, const std::vector<ShortlistItem>& list,
             const SlipOptions& options);
  // What became of the slip for this list (kIdle once the list differs).
  State state(const std::vector<ShortlistItem>& list);
  bool running() const { return running_; }
  const std::string& last_error() const { return last_error_; }  // technician, stderr
  void ForgetSession();  // session wipe: the next student starts at kIdle

 private:
  static std::uint64_t Fingerprint(const std::vector<ShortlistItem>& list);
  DataService* answers_;  // UI callbacks for the answer
  State state_ = State::kIdle;
  std::uint64_t printed_list_ = 0;  // Fingerprint() of the last slip
  std::uint64_t job_ = 0;           // bumped per print and per session: stale answers are dropped
  std::string last_error_;
  std::thread thread_;
  std::atomic<bool> running_{false};
  std::atomic<bool> cancel_{false};  // set when the printer goes away
};

}  // namespace signpost::kiosk
