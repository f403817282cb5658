// Record identifiers in STIX form: "<type>--<uuid>".
//
// Imported records get a deterministic id (a UUID built from a BLAKE2b hash of the type, source
// and source record id, in UUIDv5 layout) so that importing the same file twice yields the same
// ids and changes nothing. Records created by hand get a random UUIDv4.
// Thread-safety: all functions are safe to call concurrently.
#pragma once

#include <string>
#include <string_view>

namespace entente {

// "person--1b4e28ba-2fa1-5..." from (type, source, source_record_id); same input, same id.
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
