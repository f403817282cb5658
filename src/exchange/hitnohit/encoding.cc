#include "exchange/hitnohit/encoding.h"

#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>

#include "match/normalize.h"

namespace entente::exchange::hitnohit {
namespace {

constexpr int kAlphabet = 37;  // a-z, 0-9, '_' (padding)

int CharIndex(char c) {
  if (c >= 'a' && c <= 'z') return c - 'a';
  if (c >= '0' && c <= '9') return 26 + (c - '0');
  if (c == '_') return 36;
  return -1;
}

char IndexChar(int i) {
  if (i < 26) return static_cast<char>('a' + i);
  if (i < 36) return static_cast<char>('0' + (i - 26));
  return '_';
}

void KeyedDigest(const std::array<unsigned char, 32>& key, std::string_view data,
                 unsigned char* out, size_t out_size) {
  crypto_generichash(out, out_size, reinterpret_cast<const unsigned char*>(data.data()),
                     data.size(), key.data(), key.size());
}

std::array<uint16_t, kBloomHashes> Positions(const std::array<unsigned char, 32>& key,
                                             std::string_view element) {
  unsigned char digest[32];
  KeyedDigest(key, element, digest, sizeof digest);
  std::array<uint16_t, kBloomHashes> positions{};
  for (int hash_idx = 0; hash_idx < kBloomHashes; ++hash_idx) {
    uint16_t slice = static_cast<uint16_t>(digest[2 * hash_idx] | (digest[2 * hash_idx + 1] << 8));
    positions[hash_idx] = static_cast<uint16_t>(slice % kBloomBits);  // 65536 % 1024 == 0
  }
  return positions;
}

std::string Hex(const unsigned char* data, size_t size) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (size_t byte_idx = 0; byte_idx < size; ++byte_idx) {
    out.push_back(kDigits[data[byte_idx] >> 4]);
    out.push_back(kDigits[data[byte_idx] & 15]);
  }
  return out;
}

}  // namespace

Result<PrivacyKeys> PrivacyKeys::Derive(std::string_view secret) {
  if (secret.size() < kMinSecretBytes)
    return InvalidArgument("hit/no-hit shared secret: " + std::to_string(secret.size()) +
                           " bytes; at least " + std::to_string(kMinSecretBytes) + " required");
  if (sodium_init() < 0) return Internal("libsodium could not be initialised");
  std::array<unsigned char, 32> master{};
  crypto_generichash(master.data(), master.size(),
                     reinterpret_cast<const unsigned char*>(secret.data()), secret.size(), nullptr,
                     0);
  PrivacyKeys keys;
  KeyedDigest(master, "entente-hitnohit-v1-bloom", keys.bloom_key_.data(), 32);
  KeyedDigest(master, "entente-hitnohit-v1-block", keys.block_key_.data(), 32);
  KeyedDigest(master, "entente-hitnohit-v1-attr", keys.attr_key_.data(), 32);
  unsigned char id[8];
  KeyedDigest(master, "entente-hitnohit-v1-key-id", id, sizeof id);
  keys.key_id_ = Hex(id, sizeof id);
  sodium_memzero(master.data(), master.size());
  keys.bigram_positions_.resize(kAlphabet * kAlphabet);
  char bigram[2];
  for (int first = 0; first < kAlphabet; ++first) {
    for (int second = 0; second < kAlphabet; ++second) {
      bigram[0] = IndexChar(first);
      bigram[1] = IndexChar(second);
      keys.bigram_positions_[first * kAlphabet + second] =
          Positions(keys.bloom_key_, std::string_view(bigram, 2));
    }
  }
  return keys;
}

void PrivacyKeys::AddElement(std::string_view element, BloomBits* bits) const {
  std::array<uint16_t, kBloomHashes> positions;
  int a = element.size() == 2 ? CharIndex(element[0]) : -1;
  int b = element.size() == 2 ? CharIndex(element[1]) : -1;
  if (a >= 0 && b >= 0) {
    positions = bigram_positions_[a * kAlphabet + b];
  } else {
    positions = Positions(bloom_key_, element);
  }
  for (uint16_t position : positions) (*bits)[position >> 6] |= uint64_t{1} << (position & 63);
}

uint32_t PrivacyKeys::BlockCode(std::string_view skeleton) const {
  unsigned char digest[16];
  KeyedDigest(block_key_, skeleton, digest, sizeof digest);
  uint32_t code;
  std::memcpy(&code, digest, sizeof code);
  return code;
}

uint64_t PrivacyKeys::AttributeCode(std::string_view labelled_value) const {
  unsigned char digest[16];
  KeyedDigest(attr_key_, labelled_value, digest, sizeof digest);
  uint64_t code;
  std::memcpy(&code, digest, sizeof code);
  return code == 0 ? 1 : code;  // 0 is "not given"
}

Result<std::vector<std::string>> EncodableNameParts(std::string_view name) {
  ENTENTE_ASSIGN_OR_RETURN(match::NormalizedName normalized, match::NormalizeName(name));
  std::vector<std::string> parts;
  for (const match::NameToken& token : normalized.tokens) {
    if (token.role == match::TokenRole::kParticle || token.role == match::TokenRole::kLegalForm)
      continue;
    parts.emplace_back(match::ClassKey(token.text));
  }
  if (parts.empty()) {
    // Only particles or legal forms ("Bin Ali Ltd" keeps something): use what there is.
    for (const match::NameToken& token : normalized.tokens)
      parts.emplace_back(match::ClassKey(token.text));
  }
  if (parts.empty()) return InvalidArgument("field name: nothing matchable in the name");
  return parts;
}

NameEncoding EncodeNameParts(const PrivacyKeys& keys, const std::vector<std::string>& parts) {
  NameEncoding encoding;
  std::string padded;
  for (const std::string& part : parts) {
    padded = "_" + part + "_";
    for (size_t char_idx = 0; char_idx + 1 < padded.size(); ++char_idx)
      keys.AddElement(std::string_view(padded).substr(char_idx, 2), &encoding.bits);
    std::string skeleton = match::Skeleton(part);
    if (skeleton.empty()) skeleton = part;
    keys.AddElement("s:" + skeleton, &encoding.bits);
    encoding.blocks.push_back(keys.BlockCode(skeleton));
  }
  std::sort(encoding.blocks.begin(), encoding.blocks.end());
  encoding.blocks.erase(std::unique(encoding.blocks.begin(), encoding.blocks.end()),
                        encoding.blocks.end());
  encoding.popcount = Popcount(encoding.bits);
  return encoding;
}

AttributeEncoding EncodeAttributes(const PrivacyKeys& keys, const std::optional<PartialDate>& dob,
                                   std::string_view nationality, std::string_view id_number) {
  AttributeEncoding out;
  if (dob && dob->year > 0) {
    out.birth_year = keys.AttributeCode("y:" + std::to_string(dob->year));
    if (dob->month > 0 && dob->day > 0) {
      char text[32];
      std::snprintf(text, sizeof text, "ymd:%04d-%02d-%02d", dob->year, dob->month, dob->day);
      out.birth_date = keys.AttributeCode(text);
      if (dob->day <= 12 && dob->day != dob->month) {
        std::snprintf(text, sizeof text, "ymd:%04d-%02d-%02d", dob->year, dob->day, dob->month);
        out.birth_date_swapped = keys.AttributeCode(text);
      }
    }
  }
  if (!nationality.empty()) {
    std::string upper(nationality);
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    out.nationality = keys.AttributeCode("nat:" + upper);
  }
  std::string id = match::NormalizeIdNumber(id_number);
  if (!id.empty()) out.id_number = keys.AttributeCode("id:" + id);
  return out;
}

double Dice(const NameEncoding& a, const NameEncoding& b) {
  return DiceBits(a.bits, a.popcount, b.bits, b.popcount);
}

int Popcount(const BloomBits& bits) {
  int count = 0;
  for (uint64_t word : bits) count += __builtin_popcountll(word);
  return count;
}

std::string BloomToBase64(const BloomBits& bits) {
  unsigned char bytes[kBloomBits / 8];
  for (int word_idx = 0; word_idx < kBloomWords; ++word_idx)
    for (int byte_idx = 0; byte_idx < 8; ++byte_idx)
      bytes[word_idx * 8 + byte_idx] = static_cast<unsigned char>(bits[word_idx] >> (8 * byte_idx));
  const size_t size = sodium_base64_encoded_len(sizeof bytes, sodium_base64_VARIANT_ORIGINAL);
  std::string out(size, '\0');
  sodium_bin2base64(out.data(), size, bytes, sizeof bytes, sodium_base64_VARIANT_ORIGINAL);
  out.resize(std::strlen(out.c_str()));
  return out;
}

Result<BloomBits> BloomFromBase64(std::string_view text, std::string_view field) {
  unsigned char bytes[kBloomBits / 8 + 4];
  size_t length = 0;
  if (text.size() > 256 ||
      sodium_base642bin(bytes, sizeof bytes, text.data(), text.size(), nullptr, &length, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0 ||
      length != kBloomBits / 8)
    return InvalidArgument("field " + std::string(field) + ": not base64 of " +
                           std::to_string(kBloomBits / 8) + " bytes");
  BloomBits bits{};
  for (int word_idx = 0; word_idx < kBloomWords; ++word_idx)
    for (int byte_idx = 0; byte_idx < 8; ++byte_idx)
      bits[word_idx] |= uint64_t{bytes[word_idx * 8 + byte_idx]} << (8 * byte_idx);
  return bits;
}

std::string CodeToHex(uint64_t code) {
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(code));
  return text;
}

Result<uint64_t> CodeFromHex(std::string_view text, std::string_view field) {
  if (text.size() != 16 || text.find_first_not_of("0123456789abcdef") != std::string_view::npos)
    return InvalidArgument("field " + std::string(field) + ": not 16 lowercase hex digits");
  uint64_t code = 0;
  for (char c : text) code = (code << 4) | static_cast<uint64_t>(c <= '9' ? c - '0' : c - 'a' + 10);
  return code;
}

}  // namespace entente::exchange::hitnohit
