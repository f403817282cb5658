#include "api/agreement_counts.h"

#include "auth/scoped_store.h"

namespace entente::server {

void AgreementCountCache::Add(Entry& entry, const std::string& id,
                              const exchange::ShareDecision& decision) {
  AgreementCounts& c = entry.counts;
  ++c.records;
  if (decision.shared) {
    ++c.shared;
    entry.decisions[id] = 0;
    return;
  }
  ++c.held_back;
  for (const std::string& reason : decision.reasons) ++c.held_back_by_reason[reason];
  auto [it, added] = entry.reason_index.try_emplace(
      decision.reasons, static_cast<uint32_t>(entry.reason_sets.size()));
  if (added) entry.reason_sets.push_back(decision.reasons);
  entry.decisions[id] = it->second + 1;
}

void AgreementCountCache::Remove(Entry& entry, const std::string& id) {
  auto it = entry.decisions.find(id);
  if (it == entry.decisions.end()) return;
  AgreementCounts& c = entry.counts;
  --c.records;
  if (it->second == 0) {
    --c.shared;
  } else {
    --c.held_back;
    for (const std::string& reason : entry.reason_sets[it->second - 1]) {
      auto r = c.held_back_by_reason.find(reason);
      if (r != c.held_back_by_reason.end() && --r->second == 0) c.held_back_by_reason.erase(r);
    }
  }
  entry.decisions.erase(it);
}

Status AgreementCountCache::Rebuild(RequestContext& ctx, const exchange::Agreement& agreement,
                                    Entry& entry) {
  entry.counts = {};
  entry.decisions.clear();
  // The head first: a change made during the walk is applied again next time (idempotent).
  entry.counts.as_of_change = ctx.records.CacheFeed().MaxChangeSeq();
  return ctx.records.ForEachRecord({}, [&](const Record& record) {
    Add(entry, MetaOf(record).id, exchange::Evaluate(agreement, ctx.node_service, record));
    if (entry.counts.records < kMaxCounted) return true;
    entry.counts.truncated = true;
    return false;
  });
}

Status AgreementCountCache::ApplyChanges(RequestContext& ctx, const exchange::Agreement& agreement,
                                         Entry& entry, int64_t head) {
  const Policy& policy = ctx.records.policy();
  Status walked = ctx.records.CacheFeed().ForEachChangeSince(
      entry.counts.as_of_change, [&](const Change& change) {
        if (change.seq > head) return false;
        const RecordMeta& meta = MetaOf(change.record);
        Remove(entry, meta.id);
        // As the full walk counts: current, not revoked, readable by this principal.
        if (!meta.revoked && policy.CanRead(meta))
          Add(entry, meta.id, exchange::Evaluate(agreement, ctx.node_service, change.record));
        return true;
      });
  ENTENTE_RETURN_IF_ERROR(walked);
  entry.counts.as_of_change = head;
  entry.counts.incremental = true;
  return Status::Ok();
}

Result<AgreementCounts> AgreementCountCache::Count(RequestContext& ctx,
                                                   const exchange::Agreement& agreement) {
  const std::string key = agreement.partner.name + "\n" + agreement.hash + "\n" + ctx.node_service +
                          "\n" + std::string(TlpName(ctx.principal.clearance)) + "\n" +
                          ctx.principal.service;
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.begin();
  while (it != entries_.end() && it->key != key) ++it;
  if (it != entries_.end()) {
    entries_.splice(entries_.begin(), entries_, it);
  } else {
    entries_.push_front(Entry{key, {}, {}, {}, {}});
    if (entries_.size() > kMaxEntries) entries_.pop_back();
    Status built = Rebuild(ctx, agreement, entries_.front());
    if (!built.ok()) {
      entries_.pop_front();
      return built;
    }
    return entries_.front().counts;
  }
  Entry& entry = entries_.front();
  const int64_t head = ctx.records.CacheFeed().MaxChangeSeq();
  entry.counts.incremental = false;
  if (head == entry.counts.as_of_change) return entry.counts;
  Status updated = entry.counts.truncated || head - entry.counts.as_of_change > kMaxDelta
                       ? Rebuild(ctx, agreement, entry)
                       : ApplyChanges(ctx, agreement, entry, head);
  if (!updated.ok()) {
    entries_.pop_front();
    return updated;
  }
  return entry.counts;
}

}  // namespace entente::server
