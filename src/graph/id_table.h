// IdTable: a compact, append-only map between record ids ("person--<uuid>") and dense uint32
// indices, for graphs of millions of records.
//
// A canonical id (lowercase type prefix, "--", lowercase hyphenated UUID) is kept as a one-byte
// prefix code plus the 16 UUID bytes; any other id is kept verbatim. Lookups go through an
// open-addressing hash table of indices, so the table costs about 25 bytes per id instead of
// the ~100 a std::unordered_map<std::string, uint32_t> would.
//
// Thread-safety: const methods may run concurrently; Intern() needs exclusive access.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace entente::graph {

class IdTable {
 public:
  // The index of `id`, adding it when absent.
  uint32_t Intern(std::string_view id);
  // The index of `id`, or nullopt.
  std::optional<uint32_t> Find(std::string_view id) const;
  // The id at `index`. REQUIRES: index < size().
  std::string Get(uint32_t index) const;
  size_t size() const { return keys_.size(); }
  // Bytes held (for stats).
  size_t MemoryBytes() const;
  void Reserve(size_t n);

 private:
  struct Key {
    uint8_t prefix = 0;              // index into prefixes_, or kVerbatim
    std::array<uint8_t, 16> uuid{};  // or, for verbatim ids, the index into verbatim_
    bool operator==(const Key&) const = default;
  };
  static constexpr uint8_t kVerbatim = 255;
  static constexpr uint32_t kEmpty = 0xFFFFFFFFu;

  // Encodes `id`; returns false when the prefix is new and `add_prefix` is false.
  bool Encode(std::string_view id, bool add_prefix, Key* key);
  bool EncodeConst(std::string_view id, Key* key) const;
  static uint64_t HashKey(const Key& key);
  void Grow();

  std::vector<std::string> prefixes_;
  std::vector<std::string> verbatim_;
  std::vector<Key> keys_;
  std::vector<uint32_t> slots_;  // open addressing; size is a power of two
};

}  // namespace entente::graph
