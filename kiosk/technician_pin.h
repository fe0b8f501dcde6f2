// Technician PIN: stored only as a libsodium crypto_pwhash_str hash (Argon2id)
// in a file the technician provisions (one line). Verification is slow by
// design, so the kiosk runs it off the UI thread.
// Thread safety: pure functions; safe from any thread.
#pragma once

#include <optional>
#include <string>

namespace signpost::kiosk {

// The hash string for `pin`, or "" when libsodium fails. Parameters are kept
// modest (8 MiB, 3 passes) so a Pi verifies in well under a second.
std::string HashPin(const std::string& pin);
// True when `pin` matches `hash`.
bool VerifyPin(const std::string& hash, const std::string& pin);
// Reads the first line of `path`; nullopt when missing or empty.
std::optional<std::string> LoadPinHash(const std::string& path);

}  // namespace signpost::kiosk
