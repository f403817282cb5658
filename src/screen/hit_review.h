// The review queue: the hits of screening jobs and re-screenings, and the officers' decisions
// on them (match / no-match / refer), each with who, when and why.
//
// A hit is one (list row, entity, entity version) pair. Its status is "open" until decided,
// then the decision ("match", "no-match", "refer"); "superseded" when a newer version of the
// entity raised the same row again while this one was still open; "withdrawn" when the entity
// was revoked or its new version no longer matches the row. Decisions are appended to
// screen_decisions and never deleted.
//
// A decision sticks: an officer may revise their own decision, and anyone may decide a hit
// that was referred; overwriting another officer's match / no-match needs `force` (recorded).
//
// Thread-safety: one Database per thread; Decide() runs in one write transaction, so two
// officers deciding at once are serialized and the second sees the first's decision.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "store/database.h"

namespace entente::screen {

struct HitInfo {
  int64_t hit_id = 0;
  int64_t list_id = 0;
  std::string list_name;
  int64_t job_id = 0;  // 0 when raised by a re-screening
  int64_t row_idx = 0;
  std::string row_id;  // the query id: the list row's own id
  std::string entity_id;
  int entity_version = 0;
  std::string source_id;  // the entity's id in its source file ("SDN-36")
  std::string matched_name;
  double score = 0.0;
  std::string explanation;
  std::string category;  // the entity's threat category when the hit was raised
  std::string origin;    // "job" or "rescreen"
  std::string changed;   // for a hit raised again by a new entity version: what changed
  std::string status;    // open, match, no-match, refer, superseded, withdrawn
  std::string decision;  // the last decision, kept when the hit is later withdrawn
  std::string decided_by;
  std::string decided_at;
  std::string raised;
};

struct HitFilter {
  std::string list_name;  // empty: every list
  std::string status;     // empty: every status
  int64_t job_id = 0;     // 0: any
  int64_t limit = 0;      // 0: no limit
  // Keyset pagination: only hits with a larger id, ordered by hit id alone (the API's cursor).
  // Unset: every hit, ordered by list then hit id (what the CLI prints).
  std::optional<int64_t> after_hit_id;
};

// Validates the filter (InvalidArgument for an unknown status; NotFound for an unknown list)
// and streams the hits, ordered by list then hit id.
Status ForEachHit(Database& db, const HitFilter& filter,
                  const std::function<bool(const HitInfo&)>& fn);
Result<std::vector<HitInfo>> ListHits(Database& db, const HitFilter& filter);
// NotFound for an unknown id.
Result<HitInfo> GetHit(Database& db, int64_t hit_id);

enum class Decision { kMatch, kNoMatch, kRefer };
std::string_view DecisionName(Decision decision);  // "match", "no-match", "refer"
std::optional<Decision> ParseDecision(std::string_view text);
// True for the statuses a hit can have (see above).
bool IsHitStatus(std::string_view text);

struct DecideRequest {
  int64_t hit_id = 0;
  Decision decision = Decision::kRefer;
  std::string reason;  // required
  std::string user;    // who decides (required)
  bool force = false;  // overwrite another officer's decision
  // Called inside the decision's transaction, after the decision is written and before the
  // commit, with the updated hit: the caller's audit entry goes here, so the decision and its
  // audit commit or roll back together. An error aborts the decision.
  std::function<Status(Database&, const HitInfo&)> in_transaction;
};

// Records a decision and returns the updated hit. Errors: InvalidArgument for an empty reason
// or user, NotFound for an unknown hit, Conflict when another officer already decided match /
// no-match (naming who, what and when) and `force` is not set.
Result<HitInfo> Decide(Database& db, const DecideRequest& request);

struct DecisionRecord {
  int64_t decision_id = 0;
  int64_t hit_id = 0;
  std::string decision;
  std::string reason;
  std::string decided_by;
  std::string decided_at;
  std::string previous;  // the status it replaced
  bool forced = false;
};
// Every decision on a hit, oldest first.
Result<std::vector<DecisionRecord>> DecisionsOf(Database& db, int64_t hit_id);

}  // namespace entente::screen
