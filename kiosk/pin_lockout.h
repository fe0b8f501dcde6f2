// Technician PIN back-off: after kFreeTries wrong PINs in a row, each
// further wrong PIN locks the pad for twice as long as the last (30 s,
// 1 min, 2 min ... capped at 1 hour). The count and the lock survive a
// restart (a small state file in the kiosk's state folder, written
// atomically), so pulling the plug does not reset it. A right PIN clears it.
// 300 guesses at a 4-digit PIN took about 2 minutes before this; now the
// first 300 take over 11 days.
// Owner: security (issue 16). Thread safety: UI thread only.
#pragma once

#include <cstdint>
#include <string>

#include "signpost/dates.h"

namespace signpost::kiosk {

class PinLockout {
 public:
  static constexpr int kFreeTries = 3;
  static constexpr std::int64_t kFirstLockSeconds = 30;
  static constexpr std::int64_t kMaxLockSeconds = 3600;

  // `state_path` "" = kept in memory only (tests, --headless).
  explicit PinLockout(std::string state_path);

  // Seconds until another PIN may be tried; 0 = now.
  std::int64_t LockedFor(UnixTime now) const;
  // A wrong PIN at `now`: counts it, and locks when past the free tries.
  // Returns how long the pad is now locked (0 = not locked).
  std::int64_t Failed(UnixTime now);
  void Succeeded();
  int failures() const { return failures_; }

 private:
  void Save() const;
  std::string path_;
  int failures_ = 0;           // wrong PINs in a row
  UnixTime locked_until_ = 0;  // unix seconds
};

// "" when `pin` may be a technician PIN: 6 to 12 digits.
std::string PinProblem(const std::string& pin);

}  // namespace signpost::kiosk
