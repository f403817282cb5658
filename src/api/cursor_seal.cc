#include "api/cursor_seal.h"

#include <sodium.h>

#include "api/route_util.h"

namespace entente::server {

const CursorSeal& CursorSeal::For(const Services& services) {
  if (const CursorSeal* seal = services.Get<CursorSeal>()) return *seal;
  static const CursorSeal process_seal = [] {
    SecretBytes key;
    if (sodium_init() < 0) key.fill(0);  // unreachable: the server initialised libsodium
    randombytes_buf(key.data(), key.size());
    return CursorSeal(key);
  }();
  return process_seal;
}

std::string CursorSeal::Seal(std::string_view text) const {
  std::string sealed(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + text.size(), '\0');
  auto* out = reinterpret_cast<unsigned char*>(sealed.data());
  randombytes_buf(out, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(out + crypto_secretbox_NONCEBYTES,
                        reinterpret_cast<const unsigned char*>(text.data()), text.size(), out,
                        key_.data());
  return EncodeOpaque(sealed);
}

std::optional<std::string> CursorSeal::Open(const std::string& cursor, size_t max_size) const {
  std::optional<std::string> sealed = DecodeOpaque(cursor, max_size);
  constexpr size_t kOverhead = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES;
  if (!sealed || sealed->size() < kOverhead) return std::nullopt;
  const auto* in = reinterpret_cast<const unsigned char*>(sealed->data());
  std::string text(sealed->size() - kOverhead, '\0');
  if (crypto_secretbox_open_easy(
          reinterpret_cast<unsigned char*>(text.data()), in + crypto_secretbox_NONCEBYTES,
          sealed->size() - crypto_secretbox_NONCEBYTES, in, key_.data()) != 0) {
    return std::nullopt;
  }
  return text;
}

}  // namespace entente::server
