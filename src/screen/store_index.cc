#include "screen/store_index.h"

#include <algorithm>
#include <utility>
#include <variant>
#include <vector>

namespace entente::screen {
namespace {

// Changed entities handed to the index per writer-lock hold.
constexpr size_t kCatchUpBatch = 1024;

}  // namespace

Result<std::unique_ptr<MatchIndex>> BuildMatchIndex(RecordStore& store, const RecordFilter& filter,
                                                    ProgressBar* progress) {
  std::unique_ptr<MatchIndex> index = MatchIndex::Create();
  // Changes committed while we scan are re-applied by the next catch-up (Add is idempotent).
  const int64_t seq = store.MaxChangeSeq();
  RecordFilter scan = filter;
  if (scan.types.empty()) scan.types = {"person", "organization"};
  Status status = store.ForEachRecord(scan, [&](const Record& record) {
    if (const Entity* entity = std::get_if<Entity>(&record)) {
      index->Add(*entity);
      if (progress != nullptr) progress->Add(1);
    }
    return true;
  });
  ENTENTE_RETURN_IF_ERROR(status);
  index->SetAppliedSeq(seq);
  index->Stats();  // makes the fuzzy lookup compact before the first query
  return index;
}

Status CatchUpMatchIndex(MatchIndex& index, RecordStore& store) {
  int64_t last = index.AppliedSeq();
  std::vector<Entity> batch;
  Status status = store.ForEachChangeSince(last, [&](const Change& change) {
    last = std::max(last, change.seq);
    if (const Entity* entity = std::get_if<Entity>(&change.record)) batch.push_back(*entity);
    if (batch.size() >= kCatchUpBatch) {
      index.Apply(batch, last);
      batch.clear();
    }
    return true;
  });
  ENTENTE_RETURN_IF_ERROR(status);
  index.Apply(batch, last);
  return Status::Ok();
}

}  // namespace entente::screen
