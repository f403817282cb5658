#include "ingest/importer.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <map>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "common/crash_point.h"
#include "common/progress.h"
#include "ingest/import_rows.h"
#include "ingest/record_ids.h"

namespace entente::ingest {
namespace {

// The write guard's answer for the row at `where`. A refusal because the record is hidden from
// the uploader does not name it: the id was computed here, not given by the uploader, so naming
// it (or answering differently from a missing record) would let an upload probe for records.
Status Guarded(const Status& answer, const std::string& where) {
  if (answer.code() == StatusCode::kNotFound)
    return NotFound("no such record, or not yours to change").WithContext(where);
  return answer.WithContext(where);
}

// Revokes the current record of each delete row of `batch`; counts the ones not found.
Status RevokeBatch(RecordStore& store, RecordStore::Writer& writer, const Batch& batch,
                   int64_t* revoked, int64_t* not_found) {
  for (const Batch::Revocation& r : batch.revocations) {
    Result<Record> current = store.FindBySourceRecord(r.source, r.source_record_id);
    if (!current.ok()) {
      if (current.status().code() != StatusCode::kNotFound)
        return current.status().WithContext(r.where);
      ++*not_found;
      continue;
    }
    if (MetaOf(*current).revoked) continue;
    Record revoked_version = *current;
    MetaOf(revoked_version).revoked = true;
    ENTENTE_RETURN_IF_ERROR(Guarded(writer.CheckGuard(revoked_version), r.where));
    Result<PutOutcome> outcome = writer.Revoke(MetaOf(*current).id);
    if (!outcome.ok()) return outcome.status().WithContext(r.where);
    ++*revoked;
  }
  return Status::Ok();
}

Status WriteBatch(RecordStore::Writer& writer, const Batch& batch) {
  // Every record was validated when its row was read (to route bad rows to --skip-bad); the
  // write guard is asked here, where the store is, and a refusal names the row.
  for (size_t i = 0; i < batch.records.size(); ++i)
    ENTENTE_RETURN_IF_ERROR(Guarded(writer.CheckGuard(batch.records[i]), batch.WhereIs(i)));
  if (batch.records.empty()) return Status::Ok();
  Status status =
      writer.PutBatch(batch.records, nullptr, RecordStore::Writer::Validation::kAlreadyValidated);
  if (!status.ok())
    return status.WithContext("writing the rows from " + batch.first + " to line " +
                              std::to_string(batch.last_line));
  return Status::Ok();
}

// The check pass's view of a batch: what the write guard would answer for each of its records
// and delete rows, without writing.
Status CheckBatch(RecordStore& store, const RecordStore::WriteGuard& guard, const Batch& batch) {
  for (size_t i = 0; i < batch.records.size(); ++i)
    ENTENTE_RETURN_IF_ERROR(
        Guarded(store.CheckWriteGuard(guard, batch.records[i]), batch.WhereIs(i)));
  for (const Batch::Revocation& r : batch.revocations) {
    Result<Record> current = store.FindBySourceRecord(r.source, r.source_record_id);
    if (!current.ok()) {
      if (current.status().code() == StatusCode::kNotFound) continue;
      return current.status().WithContext(r.where);
    }
    if (MetaOf(*current).revoked) continue;
    MetaOf(*current).revoked = true;
    ENTENTE_RETURN_IF_ERROR(Guarded(store.CheckWriteGuard(guard, *current), r.where));
  }
  return Status::Ok();
}

struct PassCounts {
  int64_t rows = 0;
  int64_t rejected = 0;
  int64_t kept_unmapped = 0;
  std::map<std::string, int64_t> not_stored;
  std::string not_stored_note;
};

// One pass over every input: rows are read, built and validated on a second thread while this
// one hands each batch to `take` (on two cores a pass takes about the longer of the two instead
// of their sum). The first error of either side ends the pass and is returned.
Status ReadInBatches(const ImportOptions& options, RejectFile* rejects, const char* label,
                     const std::function<Status(Batch&)>& take, PassCounts* counts) {
  ENTENTE_ASSIGN_OR_RETURN(std::vector<OpenedInput> inputs, OpenInputs(options));
  uint64_t total = 0;
  for (const OpenedInput& input : inputs) total += input.reader->progress_total();
  std::unique_ptr<ProgressBar> progress;
  if (options.progress) progress = std::make_unique<ProgressBar>(label, total);
  BatchQueue queue;
  RowReader row_reader(&inputs, rejects, progress.get(), &queue);
  std::thread reading([&] { queue.Close(row_reader.Run()); });
  Status taken;
  Batch batch;
  while (queue.Pop(&batch)) {
    taken = take(batch);
    if (!taken.ok()) {
      queue.Cancel();
      break;
    }
  }
  reading.join();
  ENTENTE_RETURN_IF_ERROR(queue.status());  // a bad row or an unreadable input
  ENTENTE_RETURN_IF_ERROR(taken);
  if (progress) progress->Finish();
  if (counts)
    *counts = {row_reader.rows(), row_reader.rejected(), row_reader.kept_unmapped(),
               row_reader.not_stored(), row_reader.not_stored_note()};
  return Status::Ok();
}

// The check pass of a batched import: every row read and validated, and the write guard asked
// for each record, before anything is written. Rejected rows are counted only: the writing
// pass meets them again and writes them to the --skip-bad file.
Status CheckInputs(RecordStore& store, const ImportOptions& options,
                   const RecordIdAliases* aliases) {
  bool guarded = static_cast<bool>(options.write_guard);
  if (!options.skip_bad_path.empty() && !guarded) return Status::Ok();  // nothing could fail
  RejectFile rejects;
  if (!options.skip_bad_path.empty()) rejects.Discard();
  return ReadInBatches(
      options, &rejects, "check",
      [&](Batch& batch) {
        if (!guarded) return Status::Ok();
        if (aliases) ENTENTE_RETURN_IF_ERROR(aliases->Resolve(store.database(), &batch.records));
        return CheckBatch(store, options.write_guard, batch);
      },
      nullptr);
}

void Add(WriteSummary* total, const WriteSummary& part) {
  total->created += part.created;
  total->updated += part.updated;
  total->unchanged += part.unchanged;
  total->revoked += part.revoked;
  total->last_change_seq = std::max(total->last_change_seq, part.last_change_seq);
}

// The writing pass: batches go through one Writer; with `commit_every`, the Writer commits and
// a new one begins after about that many records, so other writers wait for one batch at most.
class WritePass {
 public:
  // `aliases` (may be null: an import without a record-id key) renames the keyed ids of
  // records stored under legacy ids before each batch is written.
  WritePass(RecordStore& store, const ImportOptions& options, const RecordIdAliases* aliases)
      : store_(store), options_(options), aliases_(aliases) {}

  Status Begin() {
    ENTENTE_ASSIGN_OR_RETURN(writer_, store_.BeginWrite());
    if (options_.write_guard) writer_->SetGuard(options_.write_guard);
    return Status::Ok();
  }

  Status Take(Batch& batch, ImportReport* report) {
    if (aliases_) ENTENTE_RETURN_IF_ERROR(aliases_->Resolve(store_.database(), &batch.records));
    ENTENTE_RETURN_IF_ERROR(WriteBatch(*writer_, batch));
    ENTENTE_RETURN_IF_ERROR(
        RevokeBatch(store_, *writer_, batch, &report->revoked, &report->revoke_not_found));
    CrashPoint("import.batch_written");
    since_commit_ += static_cast<int64_t>(batch.records.size() + batch.revocations.size());
    if (options_.commit_every <= 0 || since_commit_ < options_.commit_every) return Status::Ok();
    Add(&committed_, writer_->summary());
    ENTENTE_RETURN_IF_ERROR(writer_->Commit());
    committed_through_ = batch.file_names.back() + " line " + std::to_string(batch.last_line);
    CrashPoint("import.batch_committed");
    since_commit_ = 0;
    return Begin();
  }

  // Everything written so far, committed or not.
  WriteSummary Summary() const {
    WriteSummary total = committed_;
    Add(&total, writer_->summary());
    return total;
  }

  RecordStore::Writer& writer() { return *writer_; }

  // An error of the import, saying what stays written: nothing, or the batches committed.
  Status Explain(Status error) const {
    if (error.ok()) return error;
    if (committed_through_.empty()) return error.WithContext("import failed, nothing was written");
    return error.WithContext("import failed; the rows up to " + committed_through_ +
                             " were written and stay (importing the same input again finishes "
                             "the import without doubling them)");
  }

 private:
  RecordStore& store_;
  const ImportOptions& options_;
  const RecordIdAliases* aliases_;
  std::unique_ptr<RecordStore::Writer> writer_;
  WriteSummary committed_;
  std::string committed_through_;
  int64_t since_commit_ = 0;
};

void FillCounts(const WriteSummary& summary, const PassCounts& counts, ImportReport* report) {
  report->rows = counts.rows;
  report->rejected = counts.rejected;
  report->kept_unmapped = counts.kept_unmapped;
  report->not_stored = counts.not_stored;
  report->not_stored_note = counts.not_stored_note;
  report->records = summary.created + summary.updated + summary.revoked + summary.unchanged;
  report->created = summary.created;
  report->updated = summary.updated + summary.revoked;
  report->unchanged = summary.unchanged;
  report->last_change_seq = summary.last_change_seq;
}

}  // namespace

Result<ImportReport> RunImport(RecordStore& store, const ImportOptions& options,
                               const BeforeImportCommit& before_commit) {
  auto started = std::chrono::steady_clock::now();
  std::optional<RecordIdAliases> aliases;
  if (options.defaults.id_key) {
    Result<RecordIdAliases> prepared =
        RecordIdAliases::Prepare(store, *options.defaults.id_key, options.new_id_key);
    if (!prepared.ok()) return prepared.status().WithContext("import failed, nothing was written");
    aliases = std::move(prepared).value();
  }
  const RecordIdAliases* renames = aliases ? &*aliases : nullptr;
  WritePass pass(store, options, renames);
  if (options.commit_every > 0)
    ENTENTE_RETURN_IF_ERROR(pass.Explain(CheckInputs(store, options, renames)));
  RejectFile rejects;
  if (!options.skip_bad_path.empty())
    ENTENTE_RETURN_IF_ERROR(pass.Explain(rejects.Open(options.skip_bad_path)));

  ImportReport report;
  report.files = static_cast<int>(options.paths.size());
  if (aliases && aliases->started_new_key()) report.new_id_key_fingerprint = aliases->fingerprint();
  ENTENTE_RETURN_IF_ERROR(pass.Explain(pass.Begin()));
  PassCounts counts;
  Status written = ReadInBatches(
      options, &rejects, "import", [&](Batch& batch) { return pass.Take(batch, &report); },
      &counts);
  ENTENTE_RETURN_IF_ERROR(pass.Explain(written));
  FillCounts(pass.Summary(), counts, &report);
  if (before_commit) ENTENTE_RETURN_IF_ERROR(pass.Explain(before_commit(store.database(), report)));
  CrashPoint("import.before_commit");
  ENTENTE_RETURN_IF_ERROR(pass.Explain(pass.writer().Commit()));
  CrashPoint("import.after_commit");
  report.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return report;
}

Result<std::vector<Record>> ReadAll(const ImportOptions& options, std::vector<ReadItem>* rejected) {
  ENTENTE_ASSIGN_OR_RETURN(std::vector<OpenedInput> inputs, OpenInputs(options));
  std::vector<Record> records;
  ReadItem item;
  for (OpenedInput& input : inputs) {
    while (true) {
      ENTENTE_ASSIGN_OR_RETURN(bool more, input.reader->Next(&item));
      if (!more) break;
      Status verdict = item.error;
      for (size_t i = 0; verdict.ok() && i < item.records.size(); ++i)
        verdict = ValidateRecord(item.records[i], item);
      if (!verdict.ok()) {
        if (!rejected) return verdict;
        item.error = verdict;
        item.records.clear();
        rejected->push_back(std::move(item));
        item = ReadItem();
        continue;
      }
      for (Record& record : item.records) records.push_back(std::move(record));
    }
  }
  return records;
}

std::string ImportSummaryLine(const ImportReport& report) {
  char line[512];
  double rate = report.seconds > 0 ? report.records / report.seconds : 0;
  std::snprintf(line, sizeof line,
                "imported %lld records from %d file%s in %.2f s (%.0f records/s): %lld created, "
                "%lld updated, %lld unchanged; %lld row%s rejected",
                static_cast<long long>(report.records), report.files, report.files == 1 ? "" : "s",
                report.seconds, rate, static_cast<long long>(report.created),
                static_cast<long long>(report.updated), static_cast<long long>(report.unchanged),
                static_cast<long long>(report.rejected), report.rejected == 1 ? "" : "s");
  std::string out = line;
  if (report.revoked > 0 || report.revoke_not_found > 0)
    out += "; " + std::to_string(report.revoked) + " revoked by deletes (" +
           std::to_string(report.revoke_not_found) + " not found)";
  if (report.kept_unmapped > 0)
    out += "; " + std::to_string(report.kept_unmapped) +
           " source items kept unmapped (inside their event records)";
  std::string not_stored = NotStoredLine(report);
  if (!not_stored.empty()) out += "; " + not_stored;
  return out;
}

std::string NotStoredLine(const ImportReport& report) {
  if (report.not_stored.empty()) return "";
  std::vector<std::pair<std::string, int64_t>> kinds(report.not_stored.begin(),
                                                     report.not_stored.end());
  std::stable_sort(kinds.begin(), kinds.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  int64_t total = 0;
  std::string list;
  for (const auto& [kind, count] : kinds) {
    total += count;
    list += (list.empty() ? "" : ", ") + std::to_string(count) + " " + kind;
  }
  std::string out = std::to_string(total) + " source item" + (total == 1 ? "" : "s") +
                    " not stored as records: " + list;
  if (!report.not_stored_note.empty()) out += " (" + report.not_stored_note + ")";
  return out;
}

}  // namespace entente::ingest
