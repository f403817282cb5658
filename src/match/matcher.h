// The matching engine's public interface: finds the people and organizations a description
// refers to, despite transliteration, script, missing or swapped name parts, typos and partial
// dates, and says how sure it is (a score in [0, 1]) and why.
//
// The engine knows entities, not the store: build a MatchIndex once from entities (Create()
// then Add(), or screen/store_index.h to build it from the store and follow its change feed),
// then call Match() from any number of threads. Keep it current with Apply() or Add()/Remove().
//
// Thread-safety: Match() is const and safe to call concurrently with each other and with
// Add/Remove/Apply, which take the index's own writer lock.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/progress.h"
#include "common/status.h"
#include "model/entity.h"

namespace entente {

// What is known about the person or organization being looked for.
struct MatchQuery {
  std::string name;                       // required; any script
  std::optional<PartialDate> birth_date;  // persons
  std::string nationality;                // ISO alpha-2, may be empty
  std::string id_number;                  // passport / national id, may be empty
  std::optional<EntityType> type;         // restrict to persons or organizations
  Gender gender = Gender::kUnknown;
  int top = 10;            // at most this many results
  double threshold = 0.0;  // drop results scoring below this
};

// One reason a score is what it is. `contribution` is signed: what this factor added to (or
// took from) the score; `detail` is for people ("query 'Mohamed' ~ 'Muhammad': variant class
// MHMD, rarity 0.12").
struct MatchFactor {
  std::string factor;  // "name", "birth_date", "nationality", "id_number", "gender", ...
  double contribution = 0.0;
  std::string detail;
};

struct MatchResult {
  std::string entity_id;
  int entity_version = 0;
  std::string source_record_id;  // the record's id in its source file ("SDN-36")
  std::string matched_name;      // the entity's name (primary or alias) that matched best
  double score = 0.0;            // calibrated, [0, 1]
  std::vector<MatchFactor> factors;
  // One line: "name 0.82 (mohamed~muhammad variant; idrissi exact); dob exact +0.10; ..."
  std::string Explanation() const;
};

struct MatchIndexStats {
  int64_t entities = 0;
  int64_t name_variants = 0;
  int64_t memory_bytes = 0;
  int64_t applied_seq = 0;  // the last change_seq reflected in the index
};

class MatchIndex {
 public:
  virtual ~MatchIndex() = default;

  // An empty index.
  static std::unique_ptr<MatchIndex> Create();

  // Adds or replaces an entity (same id replaces). Entities that are not persons or
  // organizations, or are revoked, are removed/ignored.
  virtual void Add(const Entity& entity) = 0;
  virtual void Remove(const std::string& entity_id) = 0;
  // Applies a batch of changed entities under one writer lock: revoked ones are removed, the
  // others added or replaced. Then records `through_seq` as the last change reflected (it never
  // moves back), so a caller following a change feed knows where to resume.
  virtual void Apply(const std::vector<Entity>& changed, int64_t through_seq) = 0;
  // Records the last change reflected after a bulk load (Stats().applied_seq).
  virtual void SetAppliedSeq(int64_t seq) = 0;
  // The last change reflected (what Stats().applied_seq reports), without computing the rest.
  virtual int64_t AppliedSeq() const = 0;

  // Ranked best first. InvalidArgument for an empty name or one with nothing matchable
  // (only particles, only punctuation), naming the field.
  virtual Result<std::vector<MatchResult>> Match(const MatchQuery& query) const = 0;

  virtual MatchIndexStats Stats() const = 0;
  // The threshold calibrated on the evaluation set: at or above it a result is a hit.
  static double DefaultThreshold();
};

}  // namespace entente
