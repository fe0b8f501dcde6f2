// Minisign-compatible keys and signatures. Index:
//   [SECTION] Encoding helpers
//   [SECTION] Keys
//   [SECTION] Signing and verifying
#include "bundle/minisign.h"

#include <sodium.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <sstream>

namespace signpost::sync::bundle {
namespace {

// [SECTION] Encoding helpers ------------------------------------------------------

constexpr unsigned char kSigAlg[2] = {'E', 'd'};
constexpr unsigned char kSigAlgHashed[2] = {'E', 'D'};
constexpr unsigned char kChkAlg[2] = {'B', '2'};

std::string ToBase64(const unsigned char* data, std::size_t n) {
  std::string out(sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), data, n, sodium_base64_VARIANT_ORIGINAL);
  out.resize(std::strlen(out.c_str()));
  return out;
}

bool FromBase64(const std::string& text, std::vector<unsigned char>* out) {
  out->assign(text.size(), 0);
  std::size_t len = 0;
  if (sodium_base642bin(out->data(), out->size(), text.data(), text.size(), " \r\t", &len, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0) {
    return false;
  }
  out->resize(len);
  return true;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    lines.push_back(line);
  }
  return lines;
}

Result<std::string> ReadSmallFile(const std::string& path, const char* what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(std::string("cannot read ") + what + " " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  std::string s = ss.str();
  if (s.size() > 65536) return Status::InvalidArgument(path + " is too big to be a " + what);
  return s;
}

}  // namespace

Status SodiumInit() {
  if (sodium_init() < 0) return Status::Internal("libsodium failed to initialise");
  return Status::Ok();
}

std::string KeyIdHex(const KeyId& id) {
  char buf[17];
  // minisign prints the little-endian 64-bit number.
  std::snprintf(buf, sizeof buf, "%02X%02X%02X%02X%02X%02X%02X%02X", id[7], id[6], id[5], id[4],
                id[3], id[2], id[1], id[0]);
  return buf;
}

// [SECTION] Keys -------------------------------------------------------------------

std::string PublicKey::IdHex() const { return KeyIdHex(id); }

std::string PublicKey::Base64() const {
  unsigned char raw[2 + 8 + 32];
  std::memcpy(raw, kSigAlg, 2);
  std::memcpy(raw + 2, id.data(), 8);
  std::memcpy(raw + 10, key.data(), 32);
  return ToBase64(raw, sizeof raw);
}

PublicKey SecretKey::Public() const {
  PublicKey pk;
  pk.id = id;
  crypto_sign_ed25519_sk_to_pk(pk.key.data(), key.data());
  return pk;
}

Result<SecretKey> GenerateKey() {
  if (Status st = SodiumInit(); !st.ok()) return st;
  SecretKey sk;
  std::array<unsigned char, 32> pk{};
  crypto_sign_keypair(pk.data(), sk.key.data());
  randombytes_buf(sk.id.data(), sk.id.size());
  return sk;
}

Result<PublicKey> ParsePublicKey(const std::string& text) {
  if (Status st = SodiumInit(); !st.ok()) return st;
  std::string b64;
  for (const std::string& line : Lines(text)) {
    if (line.empty() || line.starts_with("untrusted comment:")) continue;
    b64 = line;
    break;
  }
  std::vector<unsigned char> raw;
  if (b64.empty() || !FromBase64(b64, &raw) || raw.size() != 42 ||
      std::memcmp(raw.data(), kSigAlg, 2) != 0) {
    return Status::InvalidArgument(
        "not a minisign public key (expected a line like RWQ... of 56 characters)");
  }
  PublicKey pk;
  std::memcpy(pk.id.data(), raw.data() + 2, 8);
  std::memcpy(pk.key.data(), raw.data() + 10, 32);
  return pk;
}

Result<PublicKey> ReadPublicKeyFile(const std::string& path) {
  auto text = ReadSmallFile(path, "public key file");
  if (!text.ok()) return text.status();
  auto pk = ParsePublicKey(text.value());
  if (!pk.ok()) return Status::InvalidArgument(path + ": " + pk.status().message());
  return pk;
}

std::string PublicKeyFileText(const PublicKey& pk, const std::string& comment) {
  return "untrusted comment: " + comment + "\n" + pk.Base64() + "\n";
}

namespace {
// minisign's secret key blob: sig_alg kdf_alg chk_alg salt(32) ops(8) mem(8)
// keynum(8) sk(64) chk(32).
constexpr std::size_t kSecretBlob = 2 + 2 + 2 + 32 + 8 + 8 + 8 + 64 + 32;
constexpr std::size_t kKeynumAt = 2 + 2 + 2 + 32 + 8 + 8;

std::array<unsigned char, 32> SecretChecksum(const SecretKey& sk) {
  unsigned char in[2 + 8 + 64];
  std::memcpy(in, kSigAlg, 2);
  std::memcpy(in + 2, sk.id.data(), 8);
  std::memcpy(in + 10, sk.key.data(), 64);
  std::array<unsigned char, 32> chk{};
  crypto_generichash(chk.data(), chk.size(), in, sizeof in, nullptr, 0);
  sodium_memzero(in, sizeof in);
  return chk;
}
}  // namespace

Result<SecretKey> ReadSecretKeyFile(const std::string& path) {
  if (Status st = SodiumInit(); !st.ok()) return st;
  auto text = ReadSmallFile(path, "secret key file");
  if (!text.ok()) return text.status();
  std::string b64;
  for (const std::string& line : Lines(text.value())) {
    if (line.empty() || line.starts_with("untrusted comment:")) continue;
    b64 = line;
    break;
  }
  std::vector<unsigned char> raw;
  if (b64.empty() || !FromBase64(b64, &raw) || raw.size() != kSecretBlob ||
      std::memcmp(raw.data(), kSigAlg, 2) != 0) {
    return Status::InvalidArgument(path + ": not a minisign secret key");
  }
  if (raw[2] != 0 || raw[3] != 0) {
    return Status::InvalidArgument(
        path +
        ": the secret key is protected by a password; a hub signs unattended, so it needs an "
        "unencrypted key (content-sync hub keygen, or minisign -G -W)");
  }
  SecretKey sk;
  std::memcpy(sk.id.data(), raw.data() + kKeynumAt, 8);
  std::memcpy(sk.key.data(), raw.data() + kKeynumAt + 8, 64);
  const unsigned char* chk = raw.data() + kKeynumAt + 8 + 64;
  const auto want = SecretChecksum(sk);
  bool zero = true;
  for (int i = 0; i < 32; ++i) zero = zero && chk[i] == 0;
  // minisign -W leaves the checksum zero; ours fills it in.
  if (!zero && std::memcmp(chk, want.data(), 32) != 0) {
    sodium_memzero(raw.data(), raw.size());
    return Status::Corrupt(path + ": the secret key is damaged (checksum mismatch)");
  }
  sodium_memzero(raw.data(), raw.size());
  return sk;
}

std::string SecretKeyFileText(const SecretKey& sk, const std::string& comment) {
  std::array<unsigned char, kSecretBlob> raw{};
  std::memcpy(raw.data(), kSigAlg, 2);
  std::memcpy(raw.data() + 4, kChkAlg, 2);  // kdf_alg stays 0,0: unencrypted
  std::memcpy(raw.data() + kKeynumAt, sk.id.data(), 8);
  std::memcpy(raw.data() + kKeynumAt + 8, sk.key.data(), 64);
  const auto chk = SecretChecksum(sk);
  std::memcpy(raw.data() + kKeynumAt + 8 + 64, chk.data(), 32);
  std::string text =
      "untrusted comment: " + comment + "\n" + ToBase64(raw.data(), raw.size()) + "\n";
  sodium_memzero(raw.data(), raw.size());
  return text;
}

// [SECTION] Signing and verifying ---------------------------------------------------

Result<std::array<unsigned char, 64>> HashFileBlake2b512(const std::string& path) {
  if (Status st = SodiumInit(); !st.ok()) return st;
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return Status::IoError("cannot read " + path);
  crypto_generichash_state st;
  crypto_generichash_init(&st, nullptr, 0, 64);
  std::vector<unsigned char> buf(1 << 16);
  std::size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), f)) > 0) {
    crypto_generichash_update(&st, buf.data(), n);
  }
  const bool err = std::ferror(f) != 0;
  std::fclose(f);
  if (err) return Status::IoError("error reading " + path);
  std::array<unsigned char, 64> out{};
  crypto_generichash_final(&st, out.data(), out.size());
  return out;
}

Result<std::string> SignFile(const std::string& path, const SecretKey& sk,
                             const std::string& untrusted_comment,
                             const std::string& trusted_comment) {
  if (trusted_comment.find_first_of("\r\n") != std::string::npos ||
      untrusted_comment.find_first_of("\r\n") != std::string::npos) {
    return Status::InvalidArgument("signature comments must be one line");
  }
  auto hash = HashFileBlake2b512(path);
  if (!hash.ok()) return hash.status();
  unsigned char sigline[2 + 8 + 64];
  std::memcpy(sigline, kSigAlgHashed, 2);
  std::memcpy(sigline + 2, sk.id.data(), 8);
  crypto_sign_detached(sigline + 10, nullptr, hash->data(), hash->size(), sk.key.data());
  std::vector<unsigned char> global_in(sigline + 10, sigline + 10 + 64);
  global_in.insert(global_in.end(), trusted_comment.begin(), trusted_comment.end());
  unsigned char global[64];
  crypto_sign_detached(global, nullptr, global_in.data(), global_in.size(), sk.key.data());
  return "untrusted comment: " + untrusted_comment + "\n" + ToBase64(sigline, sizeof sigline) +
         "\ntrusted comment: " + trusted_comment + "\n" + ToBase64(global, sizeof global) + "\n";
}

Result<Signature> ParseSignature(const std::string& text) {
  if (Status st = SodiumInit(); !st.ok()) return st;
  const auto lines = Lines(text);
  if (lines.size() < 4 || !lines[0].starts_with("untrusted comment:") ||
      !lines[2].starts_with("trusted comment: ")) {
    return Status::InvalidArgument("not a minisign signature (expected 4 lines)");
  }
  std::vector<unsigned char> sigline, global;
  if (!FromBase64(lines[1], &sigline) || sigline.size() != 74) {
    return Status::InvalidArgument("not a minisign signature (bad signature line)");
  }
  if (std::memcmp(sigline.data(), kSigAlgHashed, 2) != 0) {
    return Status::InvalidArgument(
        "unsupported signature algorithm (only minisign's prehashed \"ED\" signatures are used)");
  }
  if (!FromBase64(lines[3], &global) || global.size() != 64) {
    return Status::InvalidArgument("not a minisign signature (bad global signature line)");
  }
  Signature s;
  std::memcpy(s.key_id.data(), sigline.data() + 2, 8);
  std::memcpy(s.sig.data(), sigline.data() + 10, 64);
  s.trusted_comment = lines[2].substr(std::strlen("trusted comment: "));
  std::memcpy(s.global_sig.data(), global.data(), 64);
  return s;
}

namespace {

// The checks common to a file and to bytes in memory; `hash` computes the
// BLAKE2b-512 of the signed content only once the key is known.
VerifyResult VerifyWith(const std::string& sig_text, const std::vector<PublicKey>& trusted,
                        const std::function<Result<std::array<unsigned char, 64>>()>& hash_of) {
  VerifyResult r;
  auto sig = ParseSignature(sig_text);
  if (!sig.ok()) {
    r.error = VerifyError::kMalformed;
    r.message = "the signature file is damaged: " + sig.status().message();
    return r;
  }
  const PublicKey* key = nullptr;
  for (const PublicKey& k : trusted) {
    if (k.id == sig->key_id) key = &k;
  }
  if (key == nullptr) {
    std::string list;
    for (const PublicKey& k : trusted) list += (list.empty() ? "" : ", ") + k.IdHex();
    r.error = VerifyError::kUnknownKey;
    r.message = "signed by key " + KeyIdHex(sig->key_id) +
                ", which this kiosk does not trust (trusted: " + (list.empty() ? "none" : list) +
                ")";
    return r;
  }
  auto hash = hash_of();
  if (!hash.ok()) {
    r.error = VerifyError::kIo;
    r.message = hash.status().message();
    return r;
  }
  if (crypto_sign_verify_detached(sig->sig.data(), hash->data(), hash->size(), key->key.data()) !=
      0) {
    r.error = VerifyError::kBadSignature;
    r.message = "the file does not match its signature from key " + key->IdHex() +
                " (changed, damaged or incomplete)";
    return r;
  }
  std::vector<unsigned char> global_in(sig->sig.begin(), sig->sig.end());
  global_in.insert(global_in.end(), sig->trusted_comment.begin(), sig->trusted_comment.end());
  if (crypto_sign_verify_detached(sig->global_sig.data(), global_in.data(), global_in.size(),
                                  key->key.data()) != 0) {
    r.error = VerifyError::kBadSignature;
    r.message = "the signature's trusted comment was changed after signing";
    return r;
  }
  r.key = *key;
  r.trusted_comment = sig->trusted_comment;
  return r;
}

}  // namespace

VerifyResult VerifyFile(const std::string& path, const std::string& sig_text,
                        const std::vector<PublicKey>& trusted) {
  return VerifyWith(sig_text, trusted, [&] { return HashFileBlake2b512(path); });
}

VerifyResult VerifyBytes(std::string_view data, const std::string& sig_text,
                         const std::vector<PublicKey>& trusted) {
  return VerifyWith(sig_text, trusted, [&]() -> Result<std::array<unsigned char, 64>> {
    if (Status st = SodiumInit(); !st.ok()) return st;
    std::array<unsigned char, 64> out{};
    crypto_generichash(out.data(), out.size(), reinterpret_cast<const unsigned char*>(data.data()),
                       data.size(), nullptr, 0);
    return out;
  });
}

}  // namespace signpost::sync::bundle
