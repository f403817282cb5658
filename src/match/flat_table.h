// Compact hash tables for the match index: keyed by 64-bit hashes, holding 32-bit ids, with
// no per-entry allocation and no key strings of their own (the caller keeps the keys, e.g. in
// a text arena, and confirms a candidate id with an equality callback).
//
// FlatIdTable: open addressing, linear probing, power-of-two capacity, 8 bytes a slot, at most
// 3/4 full. Slots hold the hash's upper 32 bits (which also pick the slot, so growing needs no
// rehash callback) and the id. Ids are never erased (the index only appends).
//
// Thread-safety: const methods may run concurrently; Insert/Clear need exclusive access.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace entente::match {

class FlatIdTable {
 public:
  static constexpr uint32_t kNone = 0xFFFFFFFFu;

  // The id whose slot tag matches `hash` and for which `equal(id)` is true, else kNone.
  template <typename Equal>
  uint32_t Find(uint64_t hash, Equal&& equal) const {
    if (slots_.empty()) return kNone;
    const uint32_t tag = Tag(hash);
    for (size_t pos = tag & mask_;; pos = (pos + 1) & mask_) {
      const Slot& slot = slots_[pos];
      if (slot.id == kNone) return kNone;
      if (slot.tag == tag && equal(slot.id)) return slot.id;
    }
  }

  // Adds `id` under `hash`. The caller has checked with Find that it is not there yet.
  // `id` must not be kNone.
  void Insert(uint64_t hash, uint32_t id) {
    if ((size_ + 1) * 4 > slots_.size() * 3) Grow();
    Place(Tag(hash), id);
    ++size_;
  }

  void Clear() {
    slots_.clear();
    slots_.shrink_to_fit();
    size_ = 0;
    mask_ = 0;
  }

  size_t size() const { return size_; }
  size_t MemoryBytes() const { return slots_.capacity() * sizeof(Slot); }

 private:
  struct Slot {
    uint32_t tag;
    uint32_t id;
  };

  static uint32_t Tag(uint64_t hash) { return static_cast<uint32_t>(hash >> 32); }

  void Place(uint32_t tag, uint32_t id) {
    size_t pos = tag & mask_;
    while (slots_[pos].id != kNone) pos = (pos + 1) & mask_;
    slots_[pos] = Slot{tag, id};
  }

  void Grow() {
    std::vector<Slot> old = std::move(slots_);
    const size_t capacity = old.empty() ? 16 : old.size() * 2;
    slots_.assign(capacity, Slot{0, kNone});
    mask_ = capacity - 1;
    for (const Slot& slot : old) {
      if (slot.id != kNone) Place(slot.tag, slot.id);
    }
  }

  std::vector<Slot> slots_;
  size_t size_ = 0;
  size_t mask_ = 0;
};

// FNV-1a, then a final mix so that the upper bits (FlatIdTable's slot) depend on every byte.
inline uint64_t HashBytes(const char* data, size_t size, uint64_t seed = 1469598103934665603ull) {
  uint64_t hash = seed;
  for (size_t i = 0; i < size; ++i) {
    hash ^= static_cast<unsigned char>(data[i]);
    hash *= 1099511628211ull;
  }
  hash ^= hash >> 29;
  hash *= 0xbf58476d1ce4e5b9ull;
  hash ^= hash >> 32;
  return hash;
}

}  // namespace entente::match
