#include "ingest/import_rows.h"

#include "common/csv.h"
#include "ingest/format_registry.h"

namespace entente::ingest {

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

Status RejectFile::Open(const std::string& path) {
  path_ = path;
  out_.open(path, std::ios::binary | std::ios::trunc);
  if (!out_) return IOError(path + ": cannot create the file for rejected rows");
  out_ << "file,line,reason,row\n";
  return Status::Ok();
}

Status RejectFile::Add(const ReadItem& item, const Status& reason) {
  if (discard_) return Status::Ok();
  out_ << CsvField(item.file, true) << ',' << item.line << ',' << CsvField(reason.message(), true)
       << ',' << CsvField(item.raw, true) << '\n';
  if (!out_) return IOError(path_ + ": write failed");
  return Status::Ok();
}

Status RejectFile::Close() {
  if (!out_.is_open()) return Status::Ok();
  out_.close();
  if (!out_) return IOError(path_ + ": write failed");
  return Status::Ok();
}

Status DuplicateCheck::See(const std::string& id, const ReadItem& item) {
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

bool BatchQueue::Push(Batch batch) {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return cancelled_ || batches_.size() < kBatchesInFlight; });
  if (cancelled_) return false;
  batches_.push_back(std::move(batch));
  changed_.notify_all();
  return true;
}

void BatchQueue::Close(Status status) {
  std::lock_guard lock(mutex_);
  closed_ = true;
  status_ = std::move(status);
  changed_.notify_all();
}

bool BatchQueue::Pop(Batch* batch) {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return closed_ || !batches_.empty(); });
  if (batches_.empty()) return false;
  *batch = std::move(batches_.front());
  batches_.pop_front();
  changed_.notify_all();
  return true;
}

void BatchQueue::Cancel() {
  std::lock_guard lock(mutex_);
  cancelled_ = true;
  changed_.notify_all();
}

Status BatchQueue::status() {
  std::lock_guard lock(mutex_);
  return status_;
}

Status RowReader::Run() {
  ReadItem item;
  uint64_t done_before = 0;
  for (OpenedInput& input : *inputs_) {
    RecordReader& reader = *input.reader;
    while (true) {
      ENTENTE_ASSIGN_OR_RETURN(bool more, reader.Next(&item));
      if (!more) break;
      ++rows_;
      Status verdict = item.error;
      for (size_t i = 0; verdict.ok() && i < item.records.size(); ++i) {
        verdict = ValidateRecord(item.records[i], item);
        if (verdict.ok()) verdict = duplicates_.See(MetaOf(item.records[i]).id, item);
      }
      if (!verdict.ok()) {
        if (!rejects_->accepts_rows()) return verdict;
        ENTENTE_RETURN_IF_ERROR(rejects_->Add(item, verdict));
        ++rejected_;
        continue;
      }
      Take(input, item);
      if (batch_.records.size() >= kRecordsPerBatch && !Send()) return Status::Ok();
      if (progress_ && (rows_ & 1023) == 0) progress_->Update(done_before + reader.progress_done());
    }
    if (!Send()) return Status::Ok();
    done_before += reader.progress_total();
  }
  return rejects_->Close();
}

void RowReader::Take(const OpenedInput& input, ReadItem& item) {
  kept_unmapped_ += item.kept_unmapped;
  if (!item.not_stored.empty()) {
    ++not_stored_[item.not_stored];
    if (not_stored_note_.empty()) not_stored_note_ = item.not_stored_note;
  }
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
}

bool RowReader::Send() {
  if (batch_.records.empty() && batch_.revocations.empty()) return true;
  bool accepted = queue_->Push(std::move(batch_));
  batch_ = Batch();
  batch_.records.reserve(kRecordsPerBatch + 16);
  return accepted;
}

}  // namespace entente::ingest
