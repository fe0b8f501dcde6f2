// Minisign-compatible Ed25519 keys and signatures (libsodium), for signed
// content bundles.
//
// Files are byte-compatible with minisign 0.10+ (Debian's `minisign`):
//   - a public key file is "untrusted comment: ...\n" + base64("Ed" | key id
//     (8 bytes) | public key (32)); the second line alone is the key string
//     kiosks list in [bundles] trusted_keys (`minisign -P <it>` takes it too);
//   - a secret key file is minisign's unencrypted format (`minisign -G -W`),
//     because a hub signs unattended; keep it root-only (0600) and offline
//     backups of it;
//   - a signature file (FILE.minisig) uses the prehashed algorithm ("ED":
//     Ed25519 over BLAKE2b-512 of the file) with a trusted comment that the
//     global signature covers, so `minisign -Vm FILE -P KEY` checks it.
// Key ids are shown as minisign shows them: 16 upper-case hex digits.
//
// Thread safety: plain functions; SodiumInit() is idempotent and thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "signpost/status.h"

namespace signpost::sync::bundle {

using KeyId = std::array<unsigned char, 8>;

struct PublicKey {
  KeyId id{};
  std::array<unsigned char, 32> key{};
  std::string IdHex() const;   // "852608643A7CA12E", as minisign prints it
  std::string Base64() const;  // the key string: "RWQ..."
};

struct SecretKey {
  KeyId id{};
  std::array<unsigned char, 64> key{};  // libsodium Ed25519 secret key (seed + public)
  PublicKey Public() const;
};

struct Signature {
  KeyId key_id{};
  std::array<unsigned char, 64> sig{};         // over BLAKE2b-512(file)
  std::string trusted_comment;                 // signed by global_sig
  std::array<unsigned char, 64> global_sig{};  // over sig || trusted_comment
};

Status SodiumInit();

std::string KeyIdHex(const KeyId& id);

// A fresh key pair with a random key id.
Result<SecretKey> GenerateKey();

// "RWQ..." (a key string) or a whole public key file's text -> PublicKey.
Result<PublicKey> ParsePublicKey(const std::string& text);
Result<PublicKey> ReadPublicKeyFile(const std::string& path);
std::string PublicKeyFileText(const PublicKey& pk, const std::string& comment);

Result<SecretKey> ReadSecretKeyFile(const std::string& path);
std::string SecretKeyFileText(const SecretKey& sk, const std::string& comment);

// BLAKE2b-512 of a file, streamed.
Result<std::array<unsigned char, 64>> HashFileBlake2b512(const std::string& path);

// Signs a file: returns the .minisig text. `trusted_comment` must be one line.
Result<std::string> SignFile(const std::string& path, const SecretKey& sk,
                             const std::string& untrusted_comment,
                             const std::string& trusted_comment);

Result<Signature> ParseSignature(const std::string& text);

// Why a verification failed, so a kiosk can say so plainly.
enum class VerifyError {
  kNone = 0,
  kMalformed,     // the .minisig is not a minisign signature
  kUnknownKey,    // signed by a key this kiosk does not trust
  kBadSignature,  // the file does not match its signature (changed, damaged, truncated)
  kIo,            // the file could not be read
};

struct VerifyResult {
  VerifyError error = VerifyError::kNone;
  std::string message;  // for people; names the key id
  PublicKey key;        // the trusted key that matched
  std::string trusted_comment;
  bool ok() const { return error == VerifyError::kNone; }
};

// Verifies `path` against signature text `sig_text` with one of `trusted`.
// (Reads the file by name: use VerifyBytes for a file someone else can
// change, and use those same bytes afterwards.)
VerifyResult VerifyFile(const std::string& path, const std::string& sig_text,
                        const std::vector<PublicKey>& trusted);
// Verifies bytes already read into memory (one read: what is checked is
// what gets used).
VerifyResult VerifyBytes(std::string_view data, const std::string& sig_text,
                         const std::vector<PublicKey>& trusted);

}  // namespace signpost::sync::bundle
