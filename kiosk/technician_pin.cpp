#include "kiosk/technician_pin.h"

#include <sodium.h>

#include <fstream>

namespace signpost::kiosk {
namespace {
bool InitSodium() {
  static const bool ok = sodium_init() >= 0;
  return ok;
}
}  // namespace

std::string HashPin(const std::string& pin) {
  if (!InitSodium()) return {};
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, pin.data(), pin.size(), 3, 8u << 20) != 0) return {};
  return out;
}

bool VerifyPin(const std::string& hash, const std::string& pin) {
  if (!InitSodium() || hash.empty()) return false;
  return crypto_pwhash_str_verify(hash.c_str(), pin.data(), pin.size()) == 0;
}

std::optional<std::string> LoadPinHash(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  if (!in || !std::getline(in, line)) return std::nullopt;
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r' || line.back() == ' '))
    line.pop_back();
  if (line.empty()) return std::nullopt;
  return line;
}

bool IsPinHash(const std::string& hash) {
  if (!InitSodium() || !hash.starts_with("$argon2id$")) return false;
  // -1: not a hash libsodium can verify; 0/1: valid (1 = other parameters).
  return crypto_pwhash_str_needs_rehash(hash.c_str(), 3, 8u << 20) != -1;
}

std::string ResolvePinHash(const std::optional<std::string>& configured,
                           const std::string& file_path) {
  if (configured) return IsPinHash(*configured) ? *configured : std::string();
  auto from_file = LoadPinHash(file_path);
  return from_file && IsPinHash(*from_file) ? *from_file : std::string();
}

}  // namespace signpost::kiosk
