// Signed provenance: each node has an Ed25519 key pair (libsodium); every object it serves to
// a partner carries a detached signature over the object's canonical form, and a node pulling
// from a partner verifies each object against the public key written in the agreement.
//
// What is signed: the STIX object with the signature member removed from the entente
// extension (extensions[kEntenteExtensionId].signature), canonicalized with RFC 8785 JCS
// (canonical_json.h). The signature member is
//   {"alg": "Ed25519", "canonicalization": "RFC8785", "signer": "<service>",
//    "key_id": "<16 hex>", "value": "<base64 of the 64-byte signature>"}
// so a third party can check an object with only the signer's public key.
//
// Keys are base64 (standard alphabet, with padding). key_id is the first 16 hex characters of
// BLAKE2b-256 over the public key bytes.
//
// Thread-safety: pure functions; libsodium is initialised once, thread-safely.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "common/status.h"

namespace entente::exchange {

struct SigningKey {
  std::string public_key;  // base64, 32 bytes
  std::string secret_key;  // base64, 64 bytes (libsodium's seed+public form); never log it
  std::string KeyId() const;
};

// A fresh key pair from libsodium's CSPRNG.
SigningKey GenerateSigningKey();
// The 16-hex key id of a base64 public key; empty when malformed.
std::string KeyIdOf(const std::string& public_key);

// Adds the signature member to `object`'s entente extension (creating the extension when the
// object has none). InvalidArgument when the key is malformed or the object has no canonical
// form.
Status SignStixObject(const SigningKey& key, const std::string& signer, nlohmann::json* object);

// Checks `object`'s signature against `public_key` (base64). Unauthenticated when the object
// is not signed; Corruption (naming the object) when the signature does not verify or was
// made with another key; InvalidArgument for a malformed key.
Status VerifyStixObject(const std::string& public_key, const nlohmann::json& object);

// The signer named in the object's signature member, or empty.
std::string SignerOf(const nlohmann::json& object);

// Raw helpers over bytes, base64 in and out.
Result<std::string> SignDetached(const std::string& secret_key_b64, std::string_view message);
Status VerifyDetached(const std::string& public_key_b64, std::string_view message,
                      const std::string& signature_b64);

}  // namespace entente::exchange
