// The matching engine's public interface: finds the people and organizations a description
// refers to, despite transliteration, script, missing or swapped name parts, typos and partial
// dates, and says how sure it is (a score in [0, 1]) and why.
//
// Build a MatchIndex once (from the store or from entities), then call Match() from any number
// of threads. Keep it current with CatchUp() (the store's change feed) or Add()/Remove().
//
// Thread-safety: Match() is const and safe to call concurrently; Add/Remove/CatchUp need
// exclusive access (callers hold a writer lock, e.g. std::shared_mutex).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/progress.h"
#include "common/status.h"
#include "model/entity.h"
#include "store/record_store.h"

namespace entente {

// What is known about the person or organization being looked for.
struct MatchQuery {
  std::string name;                       // required; any script
  std::optional<PartialDate> birth_date;  // persons
  std::string nationality;                // ISO alpha-2, may be empty
  std::string id_number;                  // passport / national id, may be empty
  std::optional<EntityType> type;         // restrict to persons or organizations
  Gender gender = Gender::kUnknown;
  int top = 10;                           // at most this many results
  double threshold = 0.0;                 // drop results scoring below this
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
  // Builds from the current persons and organizations in `store` that pass `filter`.
  static Result<std::unique_ptr<MatchIndex>> Build(RecordStore& store, const RecordFilter& filter,
                                                   ProgressBar* progress = nullptr);

  // Adds or replaces an entity (same id replaces). Entities that are not persons or
  // organizations, or are revoked, are removed/ignored.
  virtual void Add(const Entity& entity) = 0;
  virtual void Remove(const std::string& entity_id) = 0;
  // Applies the store's changes since applied_seq(). Cheap when little changed.
  virtual Status CatchUp(RecordStore& store) = 0;

  // Ranked best first. InvalidArgument for an empty name or one with nothing matchable
  // (only particles, only punctuation), naming the field.
  virtual Result<std::vector<MatchResult>> Match(const MatchQuery& query) const = 0;

  virtual MatchIndexStats Stats() const = 0;
  // The threshold calibrated on the evaluation set: at or above it a result is a hit.
  static double DefaultThreshold();
};

}  // namespace entente
