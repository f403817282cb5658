#include "graph/id_table.h"

#include <cstring>
#include <functional>

namespace entente::graph {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;  // uppercase is not canonical: kept verbatim so that Get() returns it unchanged
}

// Parses a lowercase 8-4-4-4-12 UUID into 16 bytes.
bool ParseUuid(std::string_view text, std::array<uint8_t, 16>* out) {
  if (text.size() != 36) return false;
  size_t byte_idx = 0;
  for (size_t pos = 0; pos < 36;) {
    if (pos == 8 || pos == 13 || pos == 18 || pos == 23) {
      if (text[pos] != '-') return false;
      ++pos;
      continue;
    }
    int hi = HexValue(text[pos]);
    int lo = HexValue(text[pos + 1]);
    if (hi < 0 || lo < 0) return false;
    (*out)[byte_idx++] = static_cast<uint8_t>(hi << 4 | lo);
    pos += 2;
  }
  return byte_idx == 16;
}

bool SplitId(std::string_view id, std::string_view* prefix, std::string_view* uuid) {
  size_t sep = id.find("--");
  if (sep == std::string_view::npos || sep == 0) return false;
  *prefix = id.substr(0, sep);
  *uuid = id.substr(sep + 2);
  return true;
}

}  // namespace

uint64_t IdTable::HashKey(const Key& key) {
  uint64_t a, b;
  std::memcpy(&a, key.uuid.data(), 8);
  std::memcpy(&b, key.uuid.data() + 8, 8);
  uint64_t h = a * 0x9E3779B97F4A7C15ull ^ (b + 0x632BE59BD9B4E019ull + key.prefix);
  h ^= h >> 31;
  h *= 0xBF58476D1CE4E5B9ull;
  h ^= h >> 29;
  return h;
}

bool IdTable::EncodeConst(std::string_view id, Key* key) const {
  std::string_view prefix, uuid;
  if (SplitId(id, &prefix, &uuid) && ParseUuid(uuid, &key->uuid)) {
    for (size_t prefix_idx = 0; prefix_idx < prefixes_.size(); ++prefix_idx) {
      if (prefixes_[prefix_idx] == prefix) {
        key->prefix = static_cast<uint8_t>(prefix_idx);
        return true;
      }
    }
    return false;  // unknown prefix: cannot be in the table as a canonical id
  }
  return false;
}

bool IdTable::Encode(std::string_view id, bool add_prefix, Key* key) {
  std::string_view prefix, uuid;
  if (SplitId(id, &prefix, &uuid) && ParseUuid(uuid, &key->uuid)) {
    for (size_t prefix_idx = 0; prefix_idx < prefixes_.size(); ++prefix_idx) {
      if (prefixes_[prefix_idx] == prefix) {
        key->prefix = static_cast<uint8_t>(prefix_idx);
        return true;
      }
    }
    if (add_prefix && prefixes_.size() < kVerbatim) {
      prefixes_.emplace_back(prefix);
      key->prefix = static_cast<uint8_t>(prefixes_.size() - 1);
      return true;
    }
  }
  return false;
}

void IdTable::Reserve(size_t n) {
  keys_.reserve(n);
  size_t want = 16;
  while (want < n * 2) want <<= 1;
  if (want > slots_.size()) {
    slots_.assign(want, kEmpty);
    for (uint32_t idx = 0; idx < keys_.size(); ++idx) {
      size_t mask = slots_.size() - 1;
      Key hash_key = keys_[idx];
      if (hash_key.prefix == kVerbatim) std::memset(hash_key.uuid.data() + 8, 0, 8);
      size_t slot = HashKey(hash_key) & mask;
      while (slots_[slot] != kEmpty) slot = (slot + 1) & mask;
      slots_[slot] = idx;
    }
  }
}

void IdTable::Grow() { Reserve(std::max<size_t>(16, keys_.size() * 2)); }

std::optional<uint32_t> IdTable::Find(std::string_view id) const {
  if (slots_.empty()) return std::nullopt;
  Key key;
  size_t mask = slots_.size() - 1;
  if (EncodeConst(id, &key)) {
    for (size_t slot = HashKey(key) & mask;; slot = (slot + 1) & mask) {
      uint32_t idx = slots_[slot];
      if (idx == kEmpty) return std::nullopt;
      if (keys_[idx] == key) return idx;
    }
  }
  // Verbatim ids: hash the text into the uuid bytes' place.
  key = Key{};
  key.prefix = kVerbatim;
  uint64_t text_hash = std::hash<std::string_view>{}(id);
  std::memcpy(key.uuid.data(), &text_hash, 8);
  for (size_t slot = HashKey(key) & mask;; slot = (slot + 1) & mask) {
    uint32_t idx = slots_[slot];
    if (idx == kEmpty) return std::nullopt;
    const Key& candidate = keys_[idx];
    if (candidate.prefix == kVerbatim &&
        std::memcmp(candidate.uuid.data(), key.uuid.data(), 8) == 0) {
      uint32_t verbatim_idx;
      std::memcpy(&verbatim_idx, candidate.uuid.data() + 8, 4);
      if (verbatim_[verbatim_idx] == id) return idx;
    }
  }
}

uint32_t IdTable::Intern(std::string_view id) {
  if (auto found = Find(id)) return *found;
  if ((keys_.size() + 1) * 2 > slots_.size()) Grow();
  Key key;
  if (!Encode(id, /*add_prefix=*/true, &key)) {
    key = Key{};
    key.prefix = kVerbatim;
    uint64_t text_hash = std::hash<std::string_view>{}(id);
    std::memcpy(key.uuid.data(), &text_hash, 8);
    uint32_t verbatim_idx = static_cast<uint32_t>(verbatim_.size());
    std::memcpy(key.uuid.data() + 8, &verbatim_idx, 4);
    verbatim_.emplace_back(id);
  }
  uint32_t idx = static_cast<uint32_t>(keys_.size());
  keys_.push_back(key);
  size_t mask = slots_.size() - 1;
  Key hash_key = key;
  if (key.prefix == kVerbatim) std::memset(hash_key.uuid.data() + 8, 0, 8);
  size_t slot = HashKey(hash_key) & mask;
  while (slots_[slot] != kEmpty) slot = (slot + 1) & mask;
  slots_[slot] = idx;
  return idx;
}

std::string IdTable::Get(uint32_t index) const {
  const Key& key = keys_[index];
  if (key.prefix == kVerbatim) {
    uint32_t verbatim_idx;
    std::memcpy(&verbatim_idx, key.uuid.data() + 8, 4);
    return verbatim_[verbatim_idx];
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = prefixes_[key.prefix];
  out += "--";
  for (size_t byte_idx = 0; byte_idx < 16; ++byte_idx) {
    if (byte_idx == 4 || byte_idx == 6 || byte_idx == 8 || byte_idx == 10) out += '-';
    out += kHex[key.uuid[byte_idx] >> 4];
    out += kHex[key.uuid[byte_idx] & 15];
  }
  return out;
}

size_t IdTable::MemoryBytes() const {
  size_t bytes = keys_.capacity() * sizeof(Key) + slots_.capacity() * sizeof(uint32_t);
  for (const auto& text : verbatim_) bytes += text.capacity() + sizeof(std::string);
  return bytes;
}

}  // namespace entente::graph
