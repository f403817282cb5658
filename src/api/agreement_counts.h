// What an agreement shares and holds back among the records one principal may read, counted
// for the exchange page (GET /api/v1/exchange/agreements/{partner}), kept between requests.
//
// Counting means evaluating the agreement on every readable record: on a 200,000-record store
// that walk takes seconds (docs/PERFORMANCE.md, "Agreement counts"). The counts are kept per
// (agreement text, node, the reader's clearance and service: what decides which records it
// may read) with the store's change sequence they are up to date with; the next request
// applies only the changes since (the change feed), so it costs what changed, not the store.
// The per-record decisions kept for that are one small entry per readable record.
//
// Thread-safety: one mutex; callers from several request threads are serialized.
#pragma once

#include <cstdint>
#include <list>
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/status.h"
#include "exchange/agreement.h"
#include "http/route.h"

namespace entente::server {

struct AgreementCounts {
  int64_t records = 0;  // readable, not revoked
  int64_t shared = 0;
  int64_t held_back = 0;
  std::map<std::string, int64_t> held_back_by_reason;
  bool truncated = false;  // more readable records than kMaxCounted: counted over the first
  int64_t as_of_change = 0;
  bool incremental = false;  // this answer applied the change feed to kept counts
};

class AgreementCountCache {
 public:
  static constexpr int64_t kMaxCounted = 1000000;
  static constexpr int64_t kMaxDelta = 50000;  // more changes than this: count again
  static constexpr size_t kMaxEntries = 8;

  Result<AgreementCounts> Count(RequestContext& ctx, const exchange::Agreement& agreement);

 private:
  struct Entry {
    std::string key;
    AgreementCounts counts;
    // Per counted record: 0 when shared, else 1 + the index of its reasons in `reason_sets`.
    std::unordered_map<std::string, uint32_t> decisions;
    std::vector<std::vector<std::string>> reason_sets;
    std::map<std::vector<std::string>, uint32_t> reason_index;
  };
  void Add(Entry& entry, const std::string& id, const exchange::ShareDecision& decision);
  void Remove(Entry& entry, const std::string& id);
  Status Rebuild(RequestContext& ctx, const exchange::Agreement& agreement, Entry& entry);
  Status ApplyChanges(RequestContext& ctx, const exchange::Agreement& agreement, Entry& entry,
                      int64_t head);

  std::mutex mu_;
  std::list<Entry> entries_;  // most recently used first
};

}  // namespace entente::server
