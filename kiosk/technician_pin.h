// Technician PIN: stored only as a libsodium crypto_pwhash_str hash (Argon2id),
// in [kiosk] technician_pin_hash of kiosk.toml, or (when that key is absent)
// in the older one-line file --pin-hash-file. Verification is slow by design,
// so the kiosk runs it off the UI thread.
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
// True when `hash` is a well-formed libsodium Argon2id string ($argon2id$...).
bool IsPinHash(const std::string& hash);
// The hash to check a PIN against: `configured` when set ("" = no technician
// screen), else the file's first line when it is a valid hash; "" = none.
std::string ResolvePinHash(const std::optional<std::string>& configured,
                           const std::string& file_path);

}  // namespace signpost::kiosk
