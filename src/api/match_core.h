// The match engine seen through the policy layer: one query against the server's shared match
// index, each result split into what the caller may read (with its record) and what it may
// not (only the record's metadata, so a route can say "a hit exists, ask this service").
// Used by POST /api/v1/match, the yente-compatible /match/{dataset} and the reconciliation
// service, so the three apply markings and clearance the same way.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "http/route.h"
#include "match/matcher.h"
#include "model/entity.h"

namespace entente::server {

class MatchService;

struct VisibleMatch {
  MatchResult result;
  Entity entity;  // the record as the caller may read it
};

struct PolicyMatches {
  std::vector<VisibleMatch> visible;   // in the engine's order (best first)
  std::vector<RecordMeta> restricted;  // hits on records the caller may not read
};

// Runs `query` on the index. Unavailable when there is no index or it is still being built;
// InvalidArgument from the engine. Results whose record was removed since the index saw it are
// dropped; a relationship (never a match result) likewise.
Result<PolicyMatches> MatchThroughPolicy(RequestContext& ctx, MatchService* service,
                                         const MatchQuery& query);

// Several queries for one subject (its names, each with the same other facts): every query
// is run, results merged by entity keeping the best score, best first, at most `top` visible;
// a restricted record is counted once.
Result<PolicyMatches> MatchAnyName(RequestContext& ctx, MatchService* service,
                                   const std::vector<MatchQuery>& queries, size_t top);

// {"restricted": true, "owner_service": ..., "message": "... ask the liaison officer of ..."}:
// what every match route says about a hit the caller may not read.
std::string RestrictedMessage(const RecordMeta& meta);

}  // namespace entente::server
