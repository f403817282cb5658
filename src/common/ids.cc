#include "common/ids.h"

#include <sodium.h>

#include <array>
#include <cstdio>
#include <stdexcept>

namespace entente {
namespace {

void EnsureSodium() {
  static const bool ready = [] { return sodium_init() >= 0; }();
  if (!ready) throw std::runtime_error("libsodium failed to initialise");
}

std::string FormatUuid(unsigned char bytes[16]) {
  char out[37];
  std::snprintf(out, sizeof out,
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", bytes[0],
                bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8],
                bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]);
  return out;
}

// type, source and source record id joined by unit separators: what both kinds of id hash.
std::string IdMaterial(std::string_view stix_type, std::string_view source,
                       std::string_view source_record_id) {
  std::string material;
  material.reserve(stix_type.size() + source.size() + source_record_id.size() + 2);
  material.append(stix_type).push_back('\x1f');
  material.append(source).push_back('\x1f');
  material.append(source_record_id);
  return material;
}

// "<type>--<uuid>" from the first 16 bytes of `hash`, in UUIDv5 layout.
std::string NameBasedId(std::string_view stix_type, unsigned char hash[16]) {
  hash[6] = (hash[6] & 0x0f) | 0x50;  // version 5 layout (name-based)
  hash[8] = (hash[8] & 0x3f) | 0x80;  // RFC 4122 variant
  return std::string(stix_type) + "--" + FormatUuid(hash);
}

// HMAC-SHA-256 of `message` under `key` (libsodium's, which cannot fail once initialised).
std::array<unsigned char, 32> HmacSha256(const SecretBytes& key, std::string_view message) {
  static_assert(kSecretSize == crypto_auth_hmacsha256_KEYBYTES);
  EnsureSodium();
  std::array<unsigned char, crypto_auth_hmacsha256_BYTES> out{};
  crypto_auth_hmacsha256(out.data(), reinterpret_cast<const unsigned char*>(message.data()),
                         message.size(), key.data());
  return out;
}

bool IsHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

}  // namespace

std::string DeterministicId(std::string_view stix_type, std::string_view source,
                            std::string_view source_record_id) {
  EnsureSodium();
  std::string material = IdMaterial(stix_type, source, source_record_id);
  unsigned char hash[16];
  crypto_generichash(hash, sizeof hash, reinterpret_cast<const unsigned char*>(material.data()),
                     material.size(), nullptr, 0);
  return NameBasedId(stix_type, hash);
}

Result<RecordIdKey> RecordIdKey::LoadOrCreate(const std::string& path) {
  ENTENTE_ASSIGN_OR_RETURN(SecretBytes bytes, LoadOrCreateSecretFile(path, "record-id key"));
  RecordIdKey key = FromBytes(bytes);
  key.path_ = path;
  return key;
}

RecordIdKey RecordIdKey::FromBytes(const SecretBytes& bytes) {
  RecordIdKey key;
  key.bytes_ = bytes;
  return key;
}

std::string RecordIdKey::Fingerprint() const {
  std::array<unsigned char, 32> mac = HmacSha256(bytes_, "entente record-id key fingerprint");
  char hex[17];
  sodium_bin2hex(hex, sizeof hex, mac.data(), 8);
  return hex;
}

std::string KeyedId(const RecordIdKey& key, std::string_view stix_type, std::string_view service,
                    std::string_view source, std::string_view source_record_id) {
  std::string material(service);
  material.push_back('\x1f');
  material += IdMaterial(stix_type, source, source_record_id);
  std::array<unsigned char, 32> mac = HmacSha256(key.bytes(), material);
  return NameBasedId(stix_type, mac.data());
}

std::string RandomId(std::string_view stix_type) {
  EnsureSodium();
  unsigned char bytes[16];
  randombytes_buf(bytes, sizeof bytes);
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  return std::string(stix_type) + "--" + FormatUuid(bytes);
}

std::string_view StixIdType(std::string_view id) {
  size_t pos = id.find("--");
  return pos == std::string_view::npos ? std::string_view() : id.substr(0, pos);
}

bool IsValidStixId(std::string_view id) {
  size_t pos = id.find("--");
  if (pos == std::string_view::npos || pos == 0) return false;
  for (char c : id.substr(0, pos)) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  std::string_view uuid = id.substr(pos + 2);
  if (uuid.size() != 36) return false;
  for (size_t i = 0; i < uuid.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? uuid[i] != '-' : !IsHex(uuid[i])) return false;
  }
  return true;
}

std::string Blake2bHex(std::string_view data) {
  EnsureSodium();
  unsigned char hash[32];
  crypto_generichash(hash, sizeof hash, reinterpret_cast<const unsigned char*>(data.data()),
                     data.size(), nullptr, 0);
  char hex[65];
  sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
  return hex;
}

std::string RandomHex(size_t size) {
  EnsureSodium();
  std::string bytes(size, '\0');
  randombytes_buf(bytes.data(), size);
  std::string hex(size * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                 size);
  hex.pop_back();
  return hex;
}

}  // namespace entente
