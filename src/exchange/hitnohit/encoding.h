// Privacy-preserving encodings for hit/no-hit queries: what the asking side sends instead of a
// name, a birth date, a nationality and a document number, and how the answering side compares
// them with the same encodings of its own records.
//
// Both services hold a shared secret (set per agreement, see settings.h). From it, keyed
// BLAKE2b (libsodium crypto_generichash with a key: a PRF, used here as HMAC would be) derives
// three independent sub-keys:
//
//   bloom key   the positions a name element sets in a 1024-bit Bloom filter. Each element
//               gets kBloomHashes positions taken from one 32-byte keyed digest (independent
//               16-bit slices, not double hashing, which has known attacks).
//   block key   32-bit keyed blocking codes, one per name part (its consonant skeleton), that
//               let the answering side compare a query only with records sharing a part.
//   attr key    64-bit keyed codes of the birth year, the full birth date (and its day/month
//               swap), the nationality and the normalized document number.
//
// A name is first normalized by the match engine (match/normalize.h: script, transliteration,
// particles, "Abd al-Qadir" == "Abdelkader"), each part mapped to its variant class
// (ClassKey: "mhamed" -> "mohamed"); the Bloom elements are the padded bigrams of each part
// plus the part's consonant skeleton. Similarity is the Dice coefficient of the two bit
// vectors (2 |A & B| / (|A| + |B|)), computed with popcount.
//
// Without the secret the encodings are opaque; with it, anyone can encode a guessed name and
// test it: docs/SECURITY_HITNOHIT.md says what this does and does not protect.
//
// Thread-safety: PrivacyKeys is immutable after Derive(); all functions are thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "model/partial_date.h"

namespace entente::exchange::hitnohit {

inline constexpr int kBloomBits = 1024;
inline constexpr int kBloomWords = kBloomBits / 64;
inline constexpr int kBloomHashes = 8;
// Shortest shared secret accepted (bytes).
inline constexpr size_t kMinSecretBytes = 16;

using BloomBits = std::array<uint64_t, kBloomWords>;

// The sub-keys derived from a shared secret, and the table of bigram positions.
class PrivacyKeys {
 public:
  // InvalidArgument when `secret` is shorter than kMinSecretBytes.
  static Result<PrivacyKeys> Derive(std::string_view secret);

  // 16 hex characters identifying the secret (a keyed digest of a fixed label): sent with
  // every private query so a mismatch is reported instead of silently answering no-hit.
  const std::string& key_id() const { return key_id_; }

  // Sets the bits of one element in `bits`.
  void AddElement(std::string_view element, BloomBits* bits) const;
  // 32-bit blocking code of a name part's skeleton.
  uint32_t BlockCode(std::string_view skeleton) const;
  // 64-bit attribute code of a labelled value ("y:1980", "ymd:1980-02-03", "nat:MA").
  uint64_t AttributeCode(std::string_view labelled_value) const;

 private:
  std::array<unsigned char, 32> bloom_key_{};
  std::array<unsigned char, 32> block_key_{};
  std::array<unsigned char, 32> attr_key_{};
  std::string key_id_;
  // Positions of every bigram over [a-z0-9_] (37 * 37), precomputed: encoding a name costs a
  // table lookup per bigram.
  std::vector<std::array<uint16_t, kBloomHashes>> bigram_positions_;
};

// The name parts the encodings are built from: the matchable parts of the normalized name
// (particles and legal forms dropped), each replaced by its variant class. InvalidArgument
// (field "name") when the name has nothing matchable.
Result<std::vector<std::string>> EncodableNameParts(std::string_view name);

// What the asking side sends for one query, and what the answering side keeps per record name.
struct NameEncoding {
  BloomBits bits{};
  int popcount = 0;
  std::vector<uint32_t> blocks;  // sorted, unique
};

// Encodes name parts (from EncodableNameParts).
NameEncoding EncodeNameParts(const PrivacyKeys& keys, const std::vector<std::string>& parts);

// Keyed codes of the other identifiers; 0 means "not given".
struct AttributeEncoding {
  uint64_t birth_year = 0;
  uint64_t birth_date = 0;          // full dates only
  uint64_t birth_date_swapped = 0;  // day and month swapped (full dates with day <= 12)
  uint64_t nationality = 0;
  uint64_t id_number = 0;
};

AttributeEncoding EncodeAttributes(const PrivacyKeys& keys, const std::optional<PartialDate>& dob,
                                   std::string_view nationality, std::string_view id_number);

// Dice coefficient of two encodings in [0, 1] (0 when both are empty).
double Dice(const NameEncoding& a, const NameEncoding& b);
inline double DiceBits(const BloomBits& a, int a_count, const BloomBits& b, int b_count) {
  int common = 0;
  for (int word_idx = 0; word_idx < kBloomWords; ++word_idx)
    common += __builtin_popcountll(a[word_idx] & b[word_idx]);
  int total = a_count + b_count;
  return total == 0 ? 0.0 : 2.0 * common / total;
}

// Wire forms: base64 of the 128 filter bytes (little-endian words); 16 hex characters of a
// code. InvalidArgument naming `field` on malformed input.
std::string BloomToBase64(const BloomBits& bits);
Result<BloomBits> BloomFromBase64(std::string_view text, std::string_view field);
std::string CodeToHex(uint64_t code);
Result<uint64_t> CodeFromHex(std::string_view text, std::string_view field);
int Popcount(const BloomBits& bits);

}  // namespace entente::exchange::hitnohit
