// The answering engine's privacy index for one shared secret (internal to answer_engine.cc and
// private_search.cc): a Bloom filter per record name, an inverted list from keyed blocking codes
// to names, and the keyed identifier codes of each entity.
//
// Names are numbered in the order they were encoded; a code's list holds its names in ascending
// order. An entity that changes gets new entries; its old ones stay, marked stale.
//
// Thread-safety: guarded by `mutex` (exclusive to update, shared to search).
#pragma once

#include <cstdint>
#include <shared_mutex>
#include <unordered_map>
#include <utility>
#include <vector>

#include "exchange/hitnohit/encoding.h"

namespace entente::exchange::hitnohit {

struct EntityCodes {
  std::vector<uint64_t> years, dates, nationalities, ids;
};

struct PrivacyIndex {
  std::shared_mutex mutex;
  uint64_t version = 0;  // engine version it reflects
  std::vector<BloomBits> bits;
  std::vector<uint16_t> pop;
  std::vector<uint32_t> entity;
  // Per entry: 1 while its entity has not changed since the entry was made, else 0 (a stale
  // entry, skipped). One byte a name, so that the check stays in the cache.
  std::vector<uint8_t> current;
  // Per entity: its current entries, [first, first + count).
  std::vector<std::pair<uint32_t, uint32_t>> entity_entries;
  std::unordered_map<uint32_t, std::vector<uint32_t>> postings;
  std::vector<EntityCodes> codes;  // per entity index
};

}  // namespace entente::exchange::hitnohit
