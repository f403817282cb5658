#include "exchange/signing.h"

#include <sodium.h>

#include <stdexcept>
#include <vector>

#include "common/ids.h"
#include "exchange/canonical_json.h"
#include "exchange/stix_mapping.h"

namespace entente::exchange {
namespace {

using nlohmann::json;

void EnsureSodium() {
  static const bool ready = [] { return sodium_init() >= 0; }();
  if (!ready) throw std::runtime_error("libsodium failed to initialise");
}

std::string ToBase64(const unsigned char* bytes, size_t size) {
  std::string out(sodium_base64_encoded_len(size, sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes, size, sodium_base64_VARIANT_ORIGINAL);
  out.resize(std::char_traits<char>::length(out.c_str()));
  return out;
}

bool FromBase64(const std::string& text, size_t expected, std::vector<unsigned char>* out) {
  out->assign(expected + 3, 0);
  size_t len = 0;
  if (sodium_base642bin(out->data(), out->size(), text.data(), text.size(), nullptr, &len, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0)
    return false;
  if (len != expected) return false;
  out->resize(len);
  return true;
}

// The object as signed: without the signature member.
Result<std::string> SignedForm(const json& object) {
  json copy = object;
  if (copy.contains("extensions") && copy["extensions"].contains(kEntenteExtensionId))
    copy["extensions"][kEntenteExtensionId].erase("signature");
  return CanonicalJson(copy);
}

}  // namespace

std::string SigningKey::KeyId() const { return KeyIdOf(public_key); }

std::string KeyIdOf(const std::string& public_key) {
  std::vector<unsigned char> pk;
  if (!FromBase64(public_key, crypto_sign_PUBLICKEYBYTES, &pk)) return "";
  return Blake2bHex(std::string_view(reinterpret_cast<const char*>(pk.data()), pk.size()))
      .substr(0, 16);
}

SigningKey GenerateSigningKey() {
  EnsureSodium();
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  unsigned char sk[crypto_sign_SECRETKEYBYTES];
  crypto_sign_keypair(pk, sk);
  SigningKey key{ToBase64(pk, sizeof pk), ToBase64(sk, sizeof sk)};
  sodium_memzero(sk, sizeof sk);
  return key;
}

Result<std::string> SignDetached(const std::string& secret_key_b64, std::string_view message) {
  EnsureSodium();
  std::vector<unsigned char> sk;
  if (!FromBase64(secret_key_b64, crypto_sign_SECRETKEYBYTES, &sk))
    return InvalidArgument("signing key: not a base64 Ed25519 secret key");
  unsigned char sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(message.data()),
                       message.size(), sk.data());
  sodium_memzero(sk.data(), sk.size());
  return ToBase64(sig, sizeof sig);
}

Status VerifyDetached(const std::string& public_key_b64, std::string_view message,
                      const std::string& signature_b64) {
  EnsureSodium();
  std::vector<unsigned char> pk, sig;
  if (!FromBase64(public_key_b64, crypto_sign_PUBLICKEYBYTES, &pk))
    return InvalidArgument("public key: not a base64 Ed25519 public key");
  if (!FromBase64(signature_b64, crypto_sign_BYTES, &sig))
    return Corruption("signature: not a base64 Ed25519 signature");
  if (crypto_sign_verify_detached(sig.data(),
                                  reinterpret_cast<const unsigned char*>(message.data()),
                                  message.size(), pk.data()) != 0)
    return Corruption("signature does not verify");
  return Status::Ok();
}

Status SignStixObject(const SigningKey& key, const std::string& signer, json* object) {
  json& ext = (*object)["extensions"][kEntenteExtensionId];
  if (!ext.contains("extension_type")) ext["extension_type"] = "property-extension";
  ENTENTE_ASSIGN_OR_RETURN(std::string form, SignedForm(*object));
  ENTENTE_ASSIGN_OR_RETURN(std::string value, SignDetached(key.secret_key, form));
  (*object)["extensions"][kEntenteExtensionId]["signature"] = {{"alg", "Ed25519"},
                                                               {"canonicalization", "RFC8785"},
                                                               {"signer", signer},
                                                               {"key_id", key.KeyId()},
                                                               {"value", value}};
  return Status::Ok();
}

std::string SignerOf(const json& object) {
  const json* ext = EntenteExtension(object);
  if (!ext || !ext->contains("signature") || !(*ext)["signature"].is_object()) return "";
  return (*ext)["signature"].value("signer", "");
}

Status VerifyStixObject(const std::string& public_key, const json& object) {
  std::string id = object.value("id", "?");
  const json* ext = EntenteExtension(object);
  if (!ext || !ext->contains("signature") || !(*ext)["signature"].is_object())
    return Unauthenticated(id + ": not signed");
  const json& sig = (*ext)["signature"];
  if (sig.value("alg", "") != "Ed25519" || sig.value("canonicalization", "") != "RFC8785")
    return Corruption(id + ": unsupported signature algorithm or canonicalization");
  std::string expected_key_id = KeyIdOf(public_key);
  if (expected_key_id.empty())
    return InvalidArgument("partner public key is not a base64 Ed25519 key");
  if (sig.value("key_id", "") != expected_key_id)
    return Corruption(id + ": signed with key " + sig.value("key_id", "?") + ", expected " +
                      expected_key_id);
  auto form = SignedForm(object);
  if (!form.ok()) return Corruption(id + ": " + form.status().message());
  Status s = VerifyDetached(public_key, *form, sig.value("value", ""));
  if (!s.ok()) return Corruption(id + ": " + s.message());
  return Status::Ok();
}

}  // namespace entente::exchange
