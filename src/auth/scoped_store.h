// The record store as one principal may see it: every read is filtered by the Policy, every
// write is checked by it. Route handlers get this, not the RecordStore (RequestContext), so a
// new route cannot forget the markings: a record the principal may not read cannot come out of
// it, and a count or search is computed over what the principal may read.
//
// "No such record" and "not yours" are the same answer (NotFound "no record <id>").
//
// Thread-safety: as the RecordStore it wraps (one connection, one thread).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "auth/policy.h"
#include "common/status.h"
#include "store/record_store.h"

namespace entente::server {

class ScopedStore {
 public:
  // REQUIRES: `store` outlives this object.
  ScopedStore(RecordStore* store, const Principal& principal) : store_(store), policy_(principal) {}

  const Policy& policy() const { return policy_; }

  // The current version. NotFound "no record <id>" when absent or not readable.
  Result<Record> Get(const std::string& id);
  // The readable versions, oldest first; *withheld counts the others. NotFound when none is.
  Result<std::vector<Record>> History(const std::string& id, int64_t* withheld);
  // Name search over readable records only, up to `limit` of them; *withheld counts the
  // unreadable ones the search met (the caller may say that some were withheld, never which).
  Result<std::vector<Entity>> SearchNames(const std::string& text, const RecordFilter& filter,
                                          int64_t limit, int64_t* withheld);
  // Streams readable current records.
  Status ForEachRecord(const RecordFilter& filter, const std::function<bool(const Record&)>& fn);
  // Counts over readable records only (versions: the readable records' version numbers;
  // max_change_seq: the latest change among them).
  Result<StoreStats> Stats();

  // A write transaction whose every Put/Revoke is checked by Policy::CanWrite first.
  class Writer {
   public:
    Result<PutOutcome> Put(const Record& record);
    Result<PutOutcome> Revoke(const std::string& id);
    Status Commit() { return writer_->Commit(); }

   private:
    friend class ScopedStore;
    Writer(ScopedStore* scope, std::unique_ptr<RecordStore::Writer> writer)
        : scope_(scope), writer_(std::move(writer)) {}
    ScopedStore* scope_;
    std::unique_ptr<RecordStore::Writer> writer_;
  };
  Result<std::unique_ptr<Writer>> BeginWrite();

  // The write check for a record about to be written (the current version looked up here).
  Status CheckWrite(const Record& proposed);
  // The same check as a RecordStore::Writer guard, for writes made on `principal`'s behalf
  // elsewhere (an import job).
  static RecordStore::WriteGuard WriteGuardFor(const Principal& principal);

  // The unfiltered store, for shared caches that follow the change feed (the graph, the match
  // index). What such a cache answers must be filtered with policy() before it is shown.
  RecordStore& CacheFeed() { return *store_; }

 private:
  RecordStore* store_;
  Policy policy_;
};

}  // namespace entente::server
