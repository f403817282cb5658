// Private hit/no-hit search over a PrivacyIndex (internal to the answering engine): each
// query's best searchable entity.
//
// A query is compared with the current names that share a blocking code with it (or with every
// name when blocking is off) by the Dice coefficient of the Bloom filters; an entity's best Dice
// is adjusted by the identifier codes (AdjustPrivateScore, rules in answer_engine.h) and the best
// adjusted score at or above the threshold is the answer. Among entities with the same score
// the one met first wins: met first by a walk of the query's codes one after the other, each
// code's names in ascending order, counting every name whose Dice reaches
// min(threshold - 0.05, 0.5) (the rule since session 4, kept so the answers do not change).
//
// What is not looked at, without changing an answer:
// - a name whose Dice cannot lead to the threshold: below threshold - 0.0701 when the query has
//   no document number (no attribute adds more than +0.07), below 0.5 when it has one (the same
//   document lifts a Dice of 0.5 to 0.95);
// - an entity whose best Dice plus every possible bonus cannot reach the threshold or beat the
//   best so far (its codes and snapshot are not read);
// - the division of a Dice that is certainly under the floor (compared as 2c < floor * total).
// Each code's list is read once for all the queries of a batch that have that code.
//
// Thread-safety: reads the index only; the caller holds its shared lock.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "exchange/hitnohit/answer_engine.h"
#include "exchange/hitnohit/privacy_index.h"

namespace entente::exchange::hitnohit {

// What Adjust adds at most to a Dice without a document number (same full birth date +0.05,
// same nationality +0.02), rounded up.
inline constexpr double kMostAttributeBonus = 0.0701;

// The Dice adjusted by the identifier codes of query and entity (rules in answer_engine.h).
double AdjustPrivateScore(double dice, const AttributeEncoding& query, const EntityCodes& codes);

struct PrivateBest {
  bool hit = false;
  uint32_t entity_idx = 0;
  double score = 0.0;
};

// Answers queries [begin, end): best[query - begin]. `searchable(entity_idx)` says whether an
// entity may be an answer (alive and in the partner's scope).
void SearchPrivate(const PrivacyIndex& index, const std::vector<PrivateQuery>& queries,
                   size_t begin, size_t end, double threshold, bool blocking,
                   const std::function<bool(uint32_t)>& searchable,
                   std::vector<PrivateBest>& best);

}  // namespace entente::exchange::hitnohit
