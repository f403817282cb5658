// Record identifiers in STIX form: "<type>--<uuid>".
//
// Imported records get a deterministic id so that importing the same file twice yields the same
// ids and changes nothing: KeyedId, an HMAC-SHA-256 of the type, owning service, source and
// source record id under the node's record-id key (a secret file, common/secret_file.h), so
// that nobody without the key can compute the id of a row from a source name, and one service's
// rows never map onto another's records. Stores written before the key keep their ids:
// DeterministicId, type, source and source record id hashed with unkeyed BLAKE2b (the importer
// maps a keyed id to the legacy one it replaces, ingest/record_ids.h). Both are 16 bytes in
// UUIDv5 layout. Records created by hand get a random UUIDv4.
// Thread-safety: all functions are safe to call concurrently.
#pragma once

#include <string>
#include <string_view>

#include "common/secret_file.h"
#include "common/status.h"

namespace entente {

// The node's secret for record ids. Immutable; may be shared between threads.
class RecordIdKey {
 public:
  // Reads the key file, or makes it (mode 0600) when it does not exist. Errors as
  // LoadOrCreateSecretFile.
  static Result<RecordIdKey> LoadOrCreate(const std::string& path);
  static RecordIdKey FromBytes(const SecretBytes& bytes);
  // 16 hex characters that tell two keys apart without saying anything about them (an HMAC of
  // a fixed text): kept in the store to know which key its id aliases were made for.
  std::string Fingerprint() const;
  const SecretBytes& bytes() const { return bytes_; }
  // The file it was read from (empty after FromBytes), for errors.
  const std::string& path() const { return path_; }

 private:
  SecretBytes bytes_{};
  std::string path_;
};

// "person--<uuid>" from HMAC-SHA-256(key, type, service, source, source_record_id), truncated
// to 16 bytes in UUIDv5 layout; same key and input, same id; another key, another id. The owning
// service is part of the input, so one service's rows never land on another service's records.
std::string KeyedId(const RecordIdKey& key, std::string_view stix_type, std::string_view service,
                    std::string_view source, std::string_view source_record_id);

// The legacy, unkeyed id: "person--1b4e28ba-2fa1-5..." from (type, source, source_record_id),
// computable by anyone. New imports use KeyedId; this one names records stored before it and
// things that are not records (collections, marking definitions).
std::string DeterministicId(std::string_view stix_type, std::string_view source,
                            std::string_view source_record_id);
// "person--<random uuid v4>".
std::string RandomId(std::string_view stix_type);
// True when `id` is "<type>--<uuid>" with a lowercase type of [a-z0-9-] and a well-formed UUID.
bool IsValidStixId(std::string_view id);
// The part before "--" ("person" for "person--..."), or empty when there is none.
std::string_view StixIdType(std::string_view id);

// Lowercase hex of a BLAKE2b-256 hash of `data`.
std::string Blake2bHex(std::string_view data);
// Hex of `size` random bytes from libsodium's CSPRNG.
std::string RandomHex(size_t size);

}  // namespace entente
