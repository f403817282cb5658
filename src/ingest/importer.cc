#include "ingest/importer.h"

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <fstream>
#include <functional>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "common/crash_point.h"
#include "common/csv.h"
#include "common/progress.h"
#include "ingest/format_registry.h"

namespace entente::ingest {
namespace {

struct OpenedInput {
  std::string path;
  std::string source;  // the provenance source its records get
  std::unique_ptr<RecordReader> reader;
};

Result<std::vector<OpenedInput>> OpenInputs(const ImportOptions& options) {
  if (options.paths.empty()) return InvalidArgument("import: no input file given");
  ENTENTE_ASSIGN_OR_RETURN(ReaderFormat format,
                           FormatRegistry::Global().FindReader(options.format));
  std::vector<OpenedInput> inputs;
  for (const std::string& path : options.paths) {
    ImportDefaults defaults = options.defaults;
    if (defaults.source.empty()) defaults.source = format.default_source(path);
    if (!defaults.grades) defaults.grades = format.default_grades;
    if (!defaults.tlp) defaults.tlp = format.default_tlp;
    if (defaults.service.empty()) defaults.service = "local";
    ENTENTE_ASSIGN_OR_RETURN(auto reader, format.open(path, defaults));
    inputs.push_back({path, defaults.source, std::move(reader)});
  }
  return inputs;
}

Status ValidateRecord(const Record& record, const ReadItem& item) {
  Status status = std::holds_alternative<Entity>(record)
                      ? ValidateEntity(std::get<Entity>(record))
                      : ValidateRelationship(std::get<Relationship>(record));
  if (status.ok()) return status;
  std::string where = item.file;
  if (item.line > 0) where += " line " + std::to_string(item.line);
  return status.WithContext(where);
}

// The --skip-bad file: CSV with a header, one line per rejected row.
class RejectFile {
 public:
  Status Open(const std::string& path) {
    path_ = path;
    out_.open(path, std::ios::binary | std::ios::trunc);
    if (!out_) return IOError(path + ": cannot create the file for rejected rows");
    out_ << "file,line,reason,row\n";
    return Status::Ok();
  }
  bool is_open() const { return out_.is_open(); }
  Status Add(const ReadItem& item, const Status& reason) {
    out_ << CsvField(item.file, true) << ',' << item.line << ',' << CsvField(reason.message(), true)
         << ',' << CsvField(item.raw, true) << '\n';
    if (!out_) return IOError(path_ + ": write failed");
    return Status::Ok();
  }
  Status Close() {
    if (!out_.is_open()) return Status::Ok();
    out_.close();
    if (!out_) return IOError(path_ + ": write failed");
    return Status::Ok();
  }

 private:
  std::string path_;
  std::ofstream out_;
};

// Remembers which row each record id came from, to reject a second row with the same id.
// Keys are 64-bit hashes of the ids (a collision, about 1 in 10^7 at 10^6 records, would
// reject a good row with a clear message; it cannot write a wrong record).
class DuplicateCheck {
 public:
  // OK, or the location of the earlier row that produced `id`.
  Status See(const std::string& id, const ReadItem& item) {
    if (files_.empty() || files_.back() != item.file) files_.push_back(item.file);
    uint64_t key = std::hash<std::string>{}(id);
    auto [it, inserted] =
        seen_.try_emplace(key, Where{static_cast<uint32_t>(files_.size() - 1), item.line});
    if (inserted) return Status::Ok();
    std::string where = files_[it->second.file];
    if (it->second.line > 0) where += " line " + std::to_string(it->second.line);
    std::string here = item.file;
    if (item.line > 0) here += " line " + std::to_string(item.line);
    return InvalidArgument(here + ", field id: duplicate of the record at " + where + " (" + id +
                           ")");
  }

 private:
  struct Where {
    uint32_t file;
    int64_t line;
  };
  std::vector<std::string> files_;
  std::unordered_map<uint64_t, Where> seen_;
};

// Validated records on their way to the store: the reading thread fills a batch, the writing
// thread stores it with one Writer::PutBatch (a lookup and a few multi-row inserts per batch
// instead of several statements per record).
constexpr size_t kRecordsPerBatch = 512;
constexpr size_t kBatchesInFlight = 4;

struct Batch {
  std::vector<Record> records;
  std::string first;  // "file line N" of the batch's first row, for messages
  int64_t last_line = 0;
  // Each record's row, for a refusal by the write guard: its line and its file (an index into
  // file_names, which holds each file of the batch once).
  std::vector<int64_t> lines;
  std::vector<uint32_t> file_of;
  std::vector<std::string> file_names;
  // Delete rows: the source record ids to revoke (after this batch's records are written),
  // each with its row for messages.
  struct Revocation {
    std::string source;
    std::string source_record_id;
    std::string where;
  };
  std::vector<Revocation> revocations;
};

// A bounded hand-over from one producer (reading) to one consumer (writing). Either side can
// stop the other: the producer by Close() (with its error, if any), the consumer by Cancel().
class BatchQueue {
 public:
  // Blocks while the queue is full. False when the consumer cancelled: stop reading.
  bool Push(Batch batch) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return cancelled_ || batches_.size() < kBatchesInFlight; });
    if (cancelled_) return false;
    batches_.push_back(std::move(batch));
    changed_.notify_all();
    return true;
  }
  void Close(Status status) {
    std::lock_guard lock(mutex_);
    closed_ = true;
    status_ = std::move(status);
    changed_.notify_all();
  }
  // Blocks until a batch is there (true) or the producer closed and all were taken (false).
  bool Pop(Batch* batch) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return closed_ || !batches_.empty(); });
    if (batches_.empty()) return false;
    *batch = std::move(batches_.front());
    batches_.pop_front();
    changed_.notify_all();
    return true;
  }
  void Cancel() {
    std::lock_guard lock(mutex_);
    cancelled_ = true;
    changed_.notify_all();
  }
  // The producer's final status. REQUIRES: Pop() returned false or the producer was joined.
  Status status() {
    std::lock_guard lock(mutex_);
    return status_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Batch> batches_;
  bool closed_ = false;
  bool cancelled_ = false;
  Status status_;
};

// The reading side of an import: every input's rows, validated and checked for duplicate ids;
// good records go to `queue` in batches, rejected rows to `rejects` (or, without --skip-bad,
// the first one ends the import as the returned error).
class RowReader {
 public:
  RowReader(std::vector<OpenedInput>* inputs, RejectFile* rejects, ProgressBar* progress,
            BatchQueue* queue)
      : inputs_(inputs), rejects_(rejects), progress_(progress), queue_(queue) {}

  Status Run() {
    ReadItem item;
    uint64_t done_before = 0;
    for (OpenedInput& input : *inputs_) {
      RecordReader& reader = *input.reader;
      while (true) {
        ENTENTE_ASSIGN_OR_RETURN(bool more, reader.Next(&item));
        if (!more) break;
        ++rows_;
        Status verdict = item.error;
        if (verdict.ok()) {
          for (const Record& record : item.records) {
            verdict = ValidateRecord(record, item);
            if (!verdict.ok()) break;
            verdict = duplicates_.See(MetaOf(record).id, item);
            if (!verdict.ok()) break;
          }
        }
        if (!verdict.ok()) {
          if (!rejects_->is_open()) return verdict;
          ENTENTE_RETURN_IF_ERROR(rejects_->Add(item, verdict));
          ++rejected_;
          continue;
        }
        kept_unmapped_ += item.kept_unmapped;
        for (const std::string& id : item.revoke_source_ids) {
          batch_.revocations.push_back(
              {input.source, id, item.file + " line " + std::to_string(item.line)});
          ++revoke_rows_;
        }
        if (batch_.records.empty()) batch_.first = item.file + " line " + std::to_string(item.line);
        batch_.last_line = item.line;
        if (batch_.file_names.empty() || batch_.file_names.back() != item.file) {
          batch_.file_names.push_back(item.file);
        }
        for (Record& record : item.records) {
          batch_.records.push_back(std::move(record));
          batch_.lines.push_back(item.line);
          batch_.file_of.push_back(static_cast<uint32_t>(batch_.file_names.size() - 1));
        }
        if (batch_.records.size() >= kRecordsPerBatch && !Send()) return Status::Ok();
        if (progress_ && (rows_ & 1023) == 0)
          progress_->Update(done_before + reader.progress_done());
      }
      if (!Send()) return Status::Ok();
      done_before += reader.progress_total();
    }
    return rejects_->Close();
  }

  int64_t rows() const { return rows_; }
  int64_t rejected() const { return rejected_; }
  int64_t revoke_rows() const { return revoke_rows_; }
  int64_t kept_unmapped() const { return kept_unmapped_; }

 private:
  // Hands the current batch over; false when the writing side has stopped.
  bool Send() {
    if (batch_.records.empty() && batch_.revocations.empty()) return true;
    bool accepted = queue_->Push(std::move(batch_));
    batch_ = Batch();
    batch_.records.reserve(kRecordsPerBatch + 16);
    return accepted;
  }

  std::vector<OpenedInput>* inputs_;
  RejectFile* rejects_;
  ProgressBar* progress_;
  BatchQueue* queue_;
  DuplicateCheck duplicates_;
  Batch batch_;
  int64_t rows_ = 0;
  int64_t rejected_ = 0;
  int64_t revoke_rows_ = 0;
  int64_t kept_unmapped_ = 0;
};

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
    ENTENTE_RETURN_IF_ERROR(writer.CheckGuard(revoked_version).WithContext(r.where));
    Result<PutOutcome> outcome = writer.Revoke(MetaOf(*current).id);
    if (!outcome.ok()) return outcome.status().WithContext(r.where);
    ++*revoked;
  }
  return Status::Ok();
}

Status WriteBatch(RecordStore::Writer& writer, const Batch& batch) {
  // Every record was validated when its row was read (to route bad rows to --skip-bad); the
  // write guard is asked here, where the store is, and a refusal names the row.
  for (size_t record_idx = 0; record_idx < batch.records.size(); ++record_idx) {
    Status allowed = writer.CheckGuard(batch.records[record_idx]);
    if (!allowed.ok()) {
      return allowed.WithContext(batch.file_names[batch.file_of[record_idx]] + " line " +
                                 std::to_string(batch.lines[record_idx]));
    }
  }
  if (batch.records.empty()) return Status::Ok();
  Status status =
      writer.PutBatch(batch.records, nullptr, RecordStore::Writer::Validation::kAlreadyValidated);
  if (!status.ok())
    return status.WithContext("writing the rows from " + batch.first + " to line " +
                              std::to_string(batch.last_line));
  return Status::Ok();
}

}  // namespace

Result<ImportReport> RunImport(RecordStore& store, const ImportOptions& options,
                               const BeforeImportCommit& before_commit) {
  auto started = std::chrono::steady_clock::now();
  ENTENTE_ASSIGN_OR_RETURN(std::vector<OpenedInput> inputs, OpenInputs(options));
  RejectFile rejects;
  if (!options.skip_bad_path.empty()) ENTENTE_RETURN_IF_ERROR(rejects.Open(options.skip_bad_path));

  uint64_t total = 0;
  for (const OpenedInput& input : inputs) total += input.reader->progress_total();
  std::unique_ptr<ProgressBar> progress;
  if (options.progress) progress = std::make_unique<ProgressBar>("import", total);

  ImportReport report;
  report.files = static_cast<int>(inputs.size());
  ENTENTE_ASSIGN_OR_RETURN(std::unique_ptr<RecordStore::Writer> writer, store.BeginWrite());
  if (options.write_guard) writer->SetGuard(options.write_guard);

  // Reading (parse, build, validate) runs on a second thread beside the writing (encode, SQL):
  // on two cores the import takes about the longer of the two instead of their sum.
  BatchQueue queue;
  RowReader row_reader(&inputs, &rejects, progress.get(), &queue);
  std::thread reading([&] { queue.Close(row_reader.Run()); });
  Status written;
  Batch batch;
  while (queue.Pop(&batch)) {
    written = WriteBatch(*writer, batch);
    if (written.ok())
      written = RevokeBatch(store, *writer, batch, &report.revoked, &report.revoke_not_found);
    if (!written.ok()) {
      queue.Cancel();
      break;
    }
    CrashPoint("import.batch_written");
  }
  reading.join();
  ENTENTE_RETURN_IF_ERROR(queue.status());  // a bad row or unreadable input: roll back
  ENTENTE_RETURN_IF_ERROR(written);
  const WriteSummary& summary = writer->summary();
  report.rows = row_reader.rows();
  report.rejected = row_reader.rejected();
  report.kept_unmapped = row_reader.kept_unmapped();
  report.records = summary.created + summary.updated + summary.revoked + summary.unchanged;
  report.created = summary.created;
  report.updated = summary.updated + summary.revoked;
  report.unchanged = summary.unchanged;
  report.last_change_seq = summary.last_change_seq;
  if (before_commit) ENTENTE_RETURN_IF_ERROR(before_commit(store.database(), report));
  CrashPoint("import.before_commit");
  ENTENTE_RETURN_IF_ERROR(writer->Commit());
  CrashPoint("import.after_commit");
  if (progress) progress->Finish();
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
  return out;
}

}  // namespace entente::ingest
