#include "auth/scoped_store.h"

#include <algorithm>
#include <map>
#include <utility>

namespace entente::server {
namespace {

std::vector<std::pair<std::string, int64_t>> SortedCounts(
    const std::map<std::string, int64_t>& in) {
  std::vector<std::pair<std::string, int64_t>> out(in.begin(), in.end());
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  return out;
}

std::string TypeName(const Record& record) {
  if (const Entity* entity = std::get_if<Entity>(&record)) {
    return std::string(EntityTypeName(entity->type));
  }
  return "relationship";
}

}  // namespace

Result<Record> ScopedStore::Get(const std::string& id) {
  Result<Record> record = store_->Get(id);
  if (!record.ok()) {
    if (record.status().code() == StatusCode::kNotFound) return Policy::NoSuchRecord(id);
    return record.status();
  }
  if (!policy_.CanRead(MetaOf(*record))) return Policy::NoSuchRecord(id);
  return record;
}

Result<std::vector<Record>> ScopedStore::History(const std::string& id, int64_t* withheld) {
  ENTENTE_ASSIGN_OR_RETURN(std::vector<Record> versions, store_->History(id));
  std::vector<Record> readable;
  *withheld = 0;
  // The current version decides: a record whose current marking hides it has no history here.
  // (Decided before the versions are moved out below.)
  if (versions.empty() || !policy_.CanRead(MetaOf(versions.back())))
    return Policy::NoSuchRecord(id);
  for (Record& version : versions) {
    if (policy_.CanRead(MetaOf(version))) {
      readable.push_back(std::move(version));
    } else {
      ++*withheld;
    }
  }
  if (readable.empty()) {
    *withheld = 0;
    return Policy::NoSuchRecord(id);
  }
  return readable;
}

Result<std::vector<Entity>> ScopedStore::SearchNames(const std::string& text,
                                                     const RecordFilter& filter, int64_t limit,
                                                     int64_t* withheld) {
  constexpr int64_t kMaxScan = 5000;
  int64_t fetch = limit;
  std::vector<Entity> visible;
  while (true) {
    ENTENTE_ASSIGN_OR_RETURN(std::vector<Entity> found, store_->SearchNames(text, filter, fetch));
    visible.clear();
    *withheld = 0;
    for (Entity& entity : found) {
      if (policy_.CanRead(entity.meta)) {
        visible.push_back(std::move(entity));
      } else {
        ++*withheld;
      }
    }
    if (static_cast<int64_t>(visible.size()) >= limit ||
        static_cast<int64_t>(found.size()) < fetch || fetch >= kMaxScan) {
      break;
    }
    fetch = std::min<int64_t>(fetch * 4, kMaxScan);
  }
  if (static_cast<int64_t>(visible.size()) > limit) visible.resize(limit);
  return visible;
}

Status ScopedStore::ForEachRecord(const RecordFilter& filter,
                                  const std::function<bool(const Record&)>& fn) {
  return store_->ForEachRecord(filter, [&](const Record& record) {
    return policy_.CanRead(MetaOf(record)) ? fn(record) : true;
  });
}

Result<StoreStats> ScopedStore::Stats() {
  StoreStats stats;
  std::map<std::string, int64_t> by_type, by_category, by_source, by_service;
  RecordFilter all;
  all.include_revoked = true;
  ENTENTE_RETURN_IF_ERROR(ForEachRecord(all, [&](const Record& record) {
    const RecordMeta& meta = MetaOf(record);
    stats.versions += meta.version;
    stats.max_change_seq = std::max(stats.max_change_seq, meta.change_seq);
    if (meta.revoked) {
      ++stats.revoked;
      return true;
    }
    ++stats.records;
    ++by_type[TypeName(record)];
    ++by_category[std::string(ThreatCategoryName(meta.category))];
    ++by_source[meta.provenance.source];
    ++by_service[meta.provenance.service];
    return true;
  }));
  stats.by_type = SortedCounts(by_type);
  stats.by_category = SortedCounts(by_category);
  stats.by_source = SortedCounts(by_source);
  stats.by_service = SortedCounts(by_service);
  return stats;
}

Status ScopedStore::CheckWrite(const Record& proposed) {
  const RecordMeta& meta = MetaOf(proposed);
  Result<Record> current = store_->Get(meta.id);
  if (current.ok()) return policy_.CanWrite(&MetaOf(*current), meta);
  if (current.status().code() != StatusCode::kNotFound) return current.status();
  return policy_.CanWrite(nullptr, meta);
}

RecordStore::WriteGuard ScopedStore::WriteGuardFor(const Principal& principal) {
  Policy policy(principal);
  return [policy](const RecordMeta* current, const Record& proposed) {
    return policy.CanWrite(current, MetaOf(proposed));
  };
}

Result<std::unique_ptr<ScopedStore::Writer>> ScopedStore::BeginWrite() {
  ENTENTE_ASSIGN_OR_RETURN(std::unique_ptr<RecordStore::Writer> writer, store_->BeginWrite());
  return std::unique_ptr<Writer>(new Writer(this, std::move(writer)));
}

Result<PutOutcome> ScopedStore::Writer::Put(const Record& record) {
  ENTENTE_RETURN_IF_ERROR(scope_->CheckWrite(record));
  return writer_->Put(record);
}

Result<PutOutcome> ScopedStore::Writer::Revoke(const std::string& id) {
  ENTENTE_ASSIGN_OR_RETURN(Record current, scope_->Get(id));
  Record revoked = current;
  std::visit([](auto& r) { r.meta.revoked = true; }, revoked);
  ENTENTE_RETURN_IF_ERROR(scope_->policy_.CanWrite(&MetaOf(current), MetaOf(revoked)));
  return writer_->Revoke(id);
}

}  // namespace entente::server
