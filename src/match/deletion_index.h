// The symmetric-delete neighbourhoods of the match index: a deletion key (a 64-bit hash of a
// part, or of the part less one letter) -> the ids of the name parts filed under it, so that
// parts within one edit of a query part are found without comparing it to every part.
//
// Two layers:
// - a compact layer, rebuilt by Rebuild(): entries (32-bit fingerprint, token id) sorted by
//   bucket (the hash's top bits) then fingerprint, with one offset per bucket — about 10 bytes
//   an entry, and one lookup reads one or two cache lines;
// - an overflow layer for parts added since (Add): an open-addressing table of chain heads and
//   a chain vector, so incremental updates (MatchIndex::Add, CatchUp) never rebuild.
// ForEach visits the tokens of a key newest first (overflow chain, then the compact run in
// descending token id), the same order whichever layer holds them.
//
// Thread-safety: ForEach may run concurrently; Add and Rebuild need exclusive access.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace entente::match {

class DeletionIndex {
 public:
  // Files `token` under `hash` (overflow layer). Tokens must be added in ascending id order
  // over the life of the index (ids are never reused).
  void Add(uint64_t hash, uint32_t token);

  // Calls `fn(token)` for each token under `hash`, newest first, until it returns false.
  // Returns false when `fn` stopped the walk.
  template <typename Fn>
  bool ForEach(uint64_t hash, Fn&& fn) const {
    if (!overflow_slots_.empty()) {
      for (size_t pos = Mix(hash) & overflow_mask_;; pos = (pos + 1) & overflow_mask_) {
        const OverflowSlot& slot = overflow_slots_[pos];
        if (slot.head == kNone) break;
        if (slot.hash == hash) {
          for (uint32_t entry = slot.head; entry != kNone; entry = overflow_chain_[entry].next) {
            if (!fn(overflow_chain_[entry].token)) return false;
          }
          break;
        }
      }
    }
    if (entries_.empty()) return true;
    const size_t bucket = static_cast<size_t>(hash >> bucket_shift_);
    const uint32_t fingerprint = static_cast<uint32_t>(hash);
    const Entry* begin = entries_.data() + bucket_start_[bucket];
    const Entry* end = entries_.data() + bucket_start_[bucket + 1];
    while (begin < end && begin->fingerprint < fingerprint) ++begin;
    const Entry* run_end = begin;
    while (run_end < end && run_end->fingerprint == fingerprint) ++run_end;
    for (const Entry* entry = run_end; entry != begin;) {
      --entry;
      if (!fn(entry->token)) return false;
    }
    return true;
  }

  // Replaces both layers with a compact layer holding every (hash, token) pair that
  // `generate(emit)` passes to `emit(uint64_t hash, uint32_t token)`, in ascending token order.
  // `generate` is called twice (count, then fill) and must emit the same pairs both times.
  template <typename Generate>
  void Rebuild(size_t expected_entries, Generate&& generate);

  size_t compact_entries() const { return entries_.size(); }
  size_t overflow_entries() const { return overflow_chain_.size(); }
  size_t MemoryBytes() const {
    return entries_.capacity() * sizeof(Entry) + bucket_start_.capacity() * sizeof(uint32_t) +
           overflow_slots_.capacity() * sizeof(OverflowSlot) +
           overflow_chain_.capacity() * sizeof(ChainEntry);
  }

 private:
  static constexpr uint32_t kNone = 0xFFFFFFFFu;
  struct Entry {
    uint32_t fingerprint;
    uint32_t token;
  };
  struct OverflowSlot {
    uint64_t hash;
    uint32_t head;
  };
  struct ChainEntry {
    uint32_t token;
    uint32_t next;
  };

  // The overflow table's slot is picked by the hash's low bits after a multiply (the compact
  // layer uses the top bits).
  static uint64_t Mix(uint64_t hash) { return (hash * 0x9E3779B97F4A7C15ull) >> 17; }
  void GrowOverflow();

  // Compact layer.
  std::vector<Entry> entries_;
  std::vector<uint32_t> bucket_start_;  // buckets + 1 offsets into entries_
  int bucket_shift_ = 63;               // bucket = hash >> bucket_shift_
  // Overflow layer.
  std::vector<OverflowSlot> overflow_slots_;
  size_t overflow_mask_ = 0;
  size_t overflow_keys_ = 0;
  std::vector<ChainEntry> overflow_chain_;
};

inline void DeletionIndex::GrowOverflow() {
  std::vector<OverflowSlot> old = std::move(overflow_slots_);
  const size_t capacity = old.empty() ? 1024 : old.size() * 2;
  overflow_slots_.assign(capacity, OverflowSlot{0, kNone});
  overflow_mask_ = capacity - 1;
  for (const OverflowSlot& slot : old) {
    if (slot.head == kNone) continue;
    size_t pos = Mix(slot.hash) & overflow_mask_;
    while (overflow_slots_[pos].head != kNone) pos = (pos + 1) & overflow_mask_;
    overflow_slots_[pos] = slot;
  }
}

inline void DeletionIndex::Add(uint64_t hash, uint32_t token) {
  if ((overflow_keys_ + 1) * 4 > overflow_slots_.size() * 3) GrowOverflow();
  size_t pos = Mix(hash) & overflow_mask_;
  while (overflow_slots_[pos].head != kNone && overflow_slots_[pos].hash != hash) {
    pos = (pos + 1) & overflow_mask_;
  }
  OverflowSlot& slot = overflow_slots_[pos];
  if (slot.head == kNone) {
    slot.hash = hash;
    ++overflow_keys_;
  }
  overflow_chain_.push_back({token, slot.head});
  slot.head = static_cast<uint32_t>(overflow_chain_.size() - 1);
}

template <typename Generate>
void DeletionIndex::Rebuild(size_t expected_entries, Generate&& generate) {
  // About one bucket per two entries: a lookup scans one or two entries on average.
  int bits = 1;
  while ((size_t{1} << (bits + 1)) < expected_entries && bits < 31) ++bits;
  const int shift = 64 - bits;
  const size_t buckets = size_t{1} << bits;
  std::vector<uint32_t> start(buckets + 1, 0);
  size_t total = 0;
  generate([&](uint64_t hash, uint32_t) {
    ++start[(hash >> shift) + 1];
    ++total;
  });
  for (size_t b = 0; b < buckets; ++b) start[b + 1] += start[b];
  std::vector<Entry> entries(total);
  {
    std::vector<uint32_t> cursor(start.begin(), start.end() - 1);
    generate([&](uint64_t hash, uint32_t token) {
      const size_t bucket = hash >> shift;
      if (cursor[bucket] >= start[bucket + 1]) return;  // generate emitted more than counted
      entries[cursor[bucket]++] = Entry{static_cast<uint32_t>(hash), token};
    });
  }
  // Within a bucket, by fingerprint; tokens stay ascending within a fingerprint (stable).
  for (size_t b = 0; b < buckets; ++b) {
    Entry* first = entries.data() + start[b];
    Entry* last = entries.data() + start[b + 1];
    if (last - first < 2) continue;
    std::stable_sort(first, last,
                     [](const Entry& x, const Entry& y) { return x.fingerprint < y.fingerprint; });
  }
  entries_ = std::move(entries);
  bucket_start_ = std::move(start);
  bucket_shift_ = shift;
  overflow_slots_.clear();
  overflow_slots_.shrink_to_fit();
  overflow_mask_ = 0;
  overflow_keys_ = 0;
  overflow_chain_.clear();
  overflow_chain_.shrink_to_fit();
}

}  // namespace entente::match
