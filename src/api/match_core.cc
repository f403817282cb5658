#include "api/match_core.h"

#include <algorithm>
#include <map>
#include <set>
#include <variant>

#include "api/match_service.h"
#include "model/codec.h"

namespace entente::server {

Result<PolicyMatches> MatchThroughPolicy(RequestContext& ctx, MatchService* service,
                                         const MatchQuery& query) {
  if (service == nullptr) return Unavailable("no match service");
  std::vector<MatchResult> results;
  ENTENTE_RETURN_IF_ERROR(service->WithIndex([&](const MatchIndex& index) {
    ENTENTE_ASSIGN_OR_RETURN(results, index.Match(query));
    return Status::Ok();
  }));
  PolicyMatches out;
  for (MatchResult& result : results) {
    auto record = ctx.records.CacheFeed().Get(result.entity_id);
    if (!record.ok()) continue;  // revoked or removed since the index saw it
    const RecordMeta& meta = MetaOf(*record);
    if (!ctx.records.policy().CanRead(meta)) {
      out.restricted.push_back(meta);
      continue;
    }
    Entity* entity = std::get_if<Entity>(&*record);
    if (entity == nullptr) continue;
    out.visible.push_back({std::move(result), std::move(*entity)});
  }
  return out;
}

Result<PolicyMatches> MatchAnyName(RequestContext& ctx, MatchService* service,
                                   const std::vector<MatchQuery>& queries, size_t top) {
  std::map<std::string, VisibleMatch> best;
  std::map<std::string, RecordMeta> hidden;
  for (const MatchQuery& query : queries) {
    ENTENTE_ASSIGN_OR_RETURN(PolicyMatches one, MatchThroughPolicy(ctx, service, query));
    for (VisibleMatch& hit : one.visible) {
      auto it = best.find(hit.result.entity_id);
      if (it == best.end() || it->second.result.score < hit.result.score)
        best[hit.result.entity_id] = std::move(hit);
    }
    for (RecordMeta& meta : one.restricted) {
      std::string id = meta.id;
      hidden.emplace(std::move(id), std::move(meta));
    }
  }
  PolicyMatches out;
  for (auto& [id, hit] : best) out.visible.push_back(std::move(hit));
  std::stable_sort(
      out.visible.begin(), out.visible.end(),
      [](const VisibleMatch& a, const VisibleMatch& b) { return a.result.score > b.result.score; });
  if (out.visible.size() > top) out.visible.resize(top);
  for (auto& [id, meta] : hidden) out.restricted.push_back(std::move(meta));
  return out;
}

std::string RestrictedMessage(const RecordMeta& meta) {
  return "a record you may not see matches; ask the liaison officer of " + meta.provenance.service;
}

}  // namespace entente::server
