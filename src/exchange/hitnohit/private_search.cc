#include "exchange/hitnohit/private_search.h"

#include <algorithm>
#include <unordered_map>

namespace entente::exchange::hitnohit {
namespace {

// How far ahead the walk over a blocking code's names asks for their filters.
constexpr size_t kPrefetchAhead = 12;

// A name that reached its query's floor: where the walk of the query's codes meets it first
// (the code's rank among the query's codes << 32 | the name's index; a code's list is in
// ascending name order, so this is the walk's order), the name, and its Dice.
struct Reached {
  uint64_t order;
  uint32_t name_idx;
  float dice;
};

// A query of the batch waiting on a code: its filter (copied next to the others of the code,
// so that a name is compared with all of them from the cache), its popcount and Dice floor, its
// offset in the batch and the code's rank among its codes.
struct alignas(64) Asker {
  BloomBits bits;
  int popcount;
  float floor;
  uint32_t offset;
  uint32_t rank;
};

// Per-thread buffers.
struct Scratch {
  std::vector<uint32_t> entity_seen;
  std::vector<float> entity_best;
  std::vector<uint32_t> touched;
  std::vector<uint32_t> tied;
  uint32_t generation = 0;
};

// The floor of the tie rule (see the header).
float TieFloor(double threshold) { return static_cast<float>(std::min(threshold - 0.05, 0.5)); }

// The lowest Dice that can still lead to `threshold` for this query (conservative by 1e-6).
float QueryFloor(const PrivateQuery& query, double threshold) {
  const float tie_floor = TieFloor(threshold);
  if (query.attributes.id_number != 0) return tie_floor;
  return std::max(tie_floor, static_cast<float>(threshold - kMostAttributeBonus) - 1e-6f);
}

inline int CommonBits(const BloomBits& a, const BloomBits& b) {
  int common = 0;
  for (int word_idx = 0; word_idx < kBloomWords; ++word_idx)
    common += __builtin_popcountll(a[word_idx] & b[word_idx]);
  return common;
}

// The Dice of the query's filter and a name's, or -1 when it is under `floor`. The Dice is
// rounded to float as it always was; a pair certainly under the floor is told without a
// division (2c < (floor - 1e-6) * total implies float(2c / total) < floor).
inline float DiceAtFloor(const BloomBits& query, int query_pop, const BloomBits& bits,
                         int name_pop, float floor) {
  const int total = query_pop + name_pop;
  if (total == 0) return floor <= 0.0f ? 0.0f : -1.0f;
  const int common = CommonBits(query, bits);
  if (2.0 * common < (static_cast<double>(floor) - 1e-6) * total) return -1.0f;
  const float dice = static_cast<float>(2.0 * common / total);
  return dice < floor ? -1.0f : dice;
}

// Blocking on: reached[query - begin] gets the current names sharing a code with the query whose
// Dice reaches its floor, in walk order. Each code's list is read once for all the chunk's
// queries that have it: a common part ("mohamed") is shared by many queries of a batch.
void ReachBlockedNames(const PrivacyIndex& p, const std::vector<PrivateQuery>& queries,
                       size_t begin, size_t end, const std::vector<float>& floors,
                       std::vector<std::vector<Reached>>& reached) {
  std::unordered_map<uint32_t, std::vector<Asker>> askers;
  for (size_t query_idx = begin; query_idx < end; ++query_idx) {
    const std::vector<uint32_t>& blocks = queries[query_idx].name.blocks;
    const uint32_t offset = static_cast<uint32_t>(query_idx - begin);
    for (uint32_t rank = 0; rank < blocks.size(); ++rank)
      askers[blocks[rank]].push_back({queries[query_idx].name.bits,
                                      queries[query_idx].name.popcount, floors[offset], offset,
                                      rank});
  }
  reached.assign(end - begin, {});
  for (const auto& [block, asking] : askers) {
    auto it = p.postings.find(block);
    if (it == p.postings.end()) continue;
    const std::vector<uint32_t>& list = it->second;
    const size_t list_size = list.size();
    for (size_t pos = 0; pos < list_size; ++pos) {
      // The filters are read in ascending name order, far apart: asked for ahead of use.
      if (pos + kPrefetchAhead < list_size) {
        const uint32_t ahead = list[pos + kPrefetchAhead];
        __builtin_prefetch(&p.bits[ahead]);
        __builtin_prefetch(reinterpret_cast<const char*>(&p.bits[ahead]) + 64);
      }
      const uint32_t name_idx = list[pos];
      if (!p.current[name_idx]) continue;  // a stale entry
      const BloomBits& bits = p.bits[name_idx];
      // Counted from the filter being read rather than read from p.pop: one cache miss less.
      const int name_pop = Popcount(bits);
      for (const Asker& asker : asking) {
        const float dice = DiceAtFloor(asker.bits, asker.popcount, bits, name_pop, asker.floor);
        if (dice < 0.0f) continue;
        reached[asker.offset].push_back({(uint64_t{asker.rank} << 32) | name_idx, name_idx, dice});
      }
    }
  }
  for (std::vector<Reached>& found : reached) {
    std::sort(found.begin(), found.end(),
              [](const Reached& a, const Reached& b) { return a.order < b.order; });
  }
}

// Blocking off: every current name whose Dice reaches the floor, in name order.
void ReachAllNames(const PrivacyIndex& p, const PrivateQuery& query, float floor,
                   std::vector<Reached>& found) {
  for (uint32_t name_idx = 0; name_idx < p.bits.size(); ++name_idx) {
    if (!p.current[name_idx]) continue;
    const float dice =
        DiceAtFloor(query.name.bits, query.name.popcount, p.bits[name_idx], p.pop[name_idx], floor);
    if (dice >= 0.0f) found.push_back({name_idx, name_idx, dice});
  }
}

// Where the walk meets an entity first counting every name at the tie floor (the order of
// Reached), or UINT64_MAX when it does not meet it.
uint64_t FirstMet(const PrivacyIndex& p, const PrivateQuery& query, uint32_t entity_idx,
                  float tie_floor, bool blocking) {
  uint64_t first = UINT64_MAX;
  const auto [begin, count] = p.entity_entries[entity_idx];
  for (uint32_t name_idx = begin; name_idx < begin + count; ++name_idx) {
    if (!p.current[name_idx]) continue;
    if (DiceAtFloor(query.name.bits, query.name.popcount, p.bits[name_idx], p.pop[name_idx],
                    tie_floor) < 0.0f)
      continue;
    if (!blocking) {
      first = std::min<uint64_t>(first, name_idx);
      continue;
    }
    const std::vector<uint32_t>& blocks = query.name.blocks;
    for (uint32_t rank = 0; rank < blocks.size(); ++rank) {
      auto it = p.postings.find(blocks[rank]);
      if (it == p.postings.end()) continue;
      if (!std::binary_search(it->second.begin(), it->second.end(), name_idx)) continue;
      first = std::min(first, (uint64_t{rank} << 32) | name_idx);
      break;  // the lowest rank holding this name
    }
  }
  return first;
}

// The best searchable entity among the names a query reached.
PrivateBest Best(const PrivacyIndex& p, const PrivateQuery& query,
                 const std::vector<Reached>& reached, double threshold, bool blocking,
                 const std::function<bool(uint32_t)>& searchable, Scratch& scratch) {
  if (++scratch.generation == 0) {  // wrapped: clear the marks
    std::fill(scratch.entity_seen.begin(), scratch.entity_seen.end(), 0);
    scratch.generation = 1;
  }
  const uint32_t gen = scratch.generation;
  // Each entity's best Dice, the entities in the order their first name was reached.
  scratch.touched.clear();
  for (const Reached& found : reached) {
    const uint32_t entity_idx = p.entity[found.name_idx];
    if (scratch.entity_seen[entity_idx] != gen) {
      scratch.entity_seen[entity_idx] = gen;
      scratch.entity_best[entity_idx] = found.dice;
      scratch.touched.push_back(entity_idx);
    } else if (found.dice > scratch.entity_best[entity_idx]) {
      scratch.entity_best[entity_idx] = found.dice;
    }
  }
  PrivateBest best;
  double best_score = -1.0;
  scratch.tied.clear();
  for (uint32_t entity_idx : scratch.touched) {
    // The most Adjust can make of this Dice (with a margin over its rounding): an entity that
    // cannot reach the threshold, or the best so far, is not read at all.
    const double dice = scratch.entity_best[entity_idx];
    double most = dice + kMostAttributeBonus;
    if (query.attributes.id_number != 0 && dice >= 0.5) most = std::max(most, 0.95);
    if (std::min(most, 1.0) < threshold || std::min(most, 1.0) < best_score) continue;
    const double score = AdjustPrivateScore(dice, query.attributes, p.codes[entity_idx]);
    if (score < threshold || score < best_score) continue;
    if (!searchable(entity_idx)) continue;
    if (score > best_score) {
      best_score = score;
      best = {true, entity_idx, score};
      scratch.tied.clear();
    }
    scratch.tied.push_back(entity_idx);
  }
  if (scratch.tied.size() > 1) {  // equal scores: the entity the full walk meets first
    const float tie_floor = TieFloor(threshold);
    uint64_t first = UINT64_MAX;
    for (uint32_t entity_idx : scratch.tied) {
      const uint64_t met = FirstMet(p, query, entity_idx, tie_floor, blocking);
      if (met < first) {
        first = met;
        best.entity_idx = entity_idx;
      }
    }
  }
  return best;
}

}  // namespace

double AdjustPrivateScore(double dice, const AttributeEncoding& q, const EntityCodes& c) {
  double score = dice;
  auto has = [](const std::vector<uint64_t>& list, uint64_t code) {
    return code != 0 && std::find(list.begin(), list.end(), code) != list.end();
  };
  if (q.birth_year != 0 && !c.years.empty()) {
    if (has(c.dates, q.birth_date)) {
      score += 0.05;
    } else if (has(c.dates, q.birth_date_swapped)) {
      score += 0.03;
    } else if (!has(c.years, q.birth_year)) {
      score -= 0.30;
    }
  }
  if (q.nationality != 0 && !c.nationalities.empty())
    score += has(c.nationalities, q.nationality) ? 0.02 : -0.05;
  if (has(c.ids, q.id_number) && dice >= 0.5) score = std::max(score, 0.95);
  return std::clamp(score, 0.0, 1.0);
}

void SearchPrivate(const PrivacyIndex& index, const std::vector<PrivateQuery>& queries,
                   size_t begin, size_t end, double threshold, bool blocking,
                   const std::function<bool(uint32_t)>& searchable,
                   std::vector<PrivateBest>& best) {
  thread_local Scratch scratch;
  const size_t entities = index.codes.size();
  if (scratch.entity_seen.size() < entities) {
    scratch.entity_seen.resize(entities, 0);
    scratch.entity_best.resize(entities, 0.0f);
  }
  std::vector<float> floors(end - begin);
  for (size_t query_idx = begin; query_idx < end; ++query_idx)
    floors[query_idx - begin] = QueryFloor(queries[query_idx], threshold);
  std::vector<std::vector<Reached>> reached;
  if (blocking) {
    ReachBlockedNames(index, queries, begin, end, floors, reached);
  } else {
    reached.resize(end - begin);
    for (size_t query_idx = begin; query_idx < end; ++query_idx)
      ReachAllNames(index, queries[query_idx], floors[query_idx - begin],
                    reached[query_idx - begin]);
  }
  best.assign(end - begin, {});
  for (size_t query_idx = begin; query_idx < end; ++query_idx) {
    best[query_idx - begin] = Best(index, queries[query_idx], reached[query_idx - begin],
                                   threshold, blocking, searchable, scratch);
  }
}

}  // namespace entente::exchange::hitnohit
