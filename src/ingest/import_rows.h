// The reading side of an import (importer.h runs it): opens every input with its registered
// reader, validates each row's records, rejects a second row with the same record id, and hands
// the good records over in batches, with each record's file and line for messages.
//
// Thread-safety: a RowReader runs on one thread (the importer's reading thread) and talks to
// the writing thread through a BatchQueue only.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/progress.h"
#include "common/status.h"
#include "ingest/importer.h"
#include "ingest/record_reader.h"
#include "model/entity.h"

namespace entente::ingest {

// One input file (or SDN folder) opened with its format's reader.
struct OpenedInput {
  std::string path;
  std::string source;  // the provenance source its records get
  std::unique_ptr<RecordReader> reader;
};

// Opens every path of `options` with the reader of `options.format`. Errors: InvalidArgument
// for an unknown format or no path, NotFound / IOError for an input that cannot be opened.
Result<std::vector<OpenedInput>> OpenInputs(const ImportOptions& options);

// ValidateEntity / ValidateRelationship, the error naming the item's file and line.
Status ValidateRecord(const Record& record, const ReadItem& item);

// Where rejected rows go. Closed (the default): nowhere, the first rejected row ends the import.
// Open on a path (--skip-bad): a CSV with a header, file,line,reason,row per rejected row.
// Discarding: rows are rejected and counted, but written nowhere (the importer's check pass,
// which the writing pass repeats with the real file).
class RejectFile {
 public:
  Status Open(const std::string& path);
  void Discard() { discard_ = true; }
  bool accepts_rows() const { return discard_ || out_.is_open(); }
  Status Add(const ReadItem& item, const Status& reason);
  Status Close();

 private:
  std::string path_;
  std::ofstream out_;
  bool discard_ = false;
};

// Remembers which row each record id came from, to reject a second row with the same id.
// Keys are 64-bit hashes of the ids (a collision, about 1 in 10^7 at 10^6 records, would
// reject a good row with a clear message; it cannot write a wrong record).
class DuplicateCheck {
 public:
  // OK, or InvalidArgument naming this row and the earlier row that produced `id`.
  Status See(const std::string& id, const ReadItem& item);

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

  // "FILE line N" of the record at `index`.
  std::string WhereIs(size_t index) const {
    return file_names[file_of[index]] + " line " + std::to_string(lines[index]);
  }
};

// A bounded hand-over from one producer (reading) to one consumer (writing). Either side can
// stop the other: the producer by Close() (with its error, if any), the consumer by Cancel().
class BatchQueue {
 public:
  // Blocks while the queue is full. False when the consumer cancelled: stop reading.
  bool Push(Batch batch);
  // The producer is done; `status` is its error, if any.
  void Close(Status status);
  // Blocks until a batch is there (true) or the producer closed and all were taken (false).
  bool Pop(Batch* batch);
  void Cancel();
  // The producer's final status. REQUIRES: Pop() returned false or the producer was joined.
  Status status();

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Batch> batches_;
  bool closed_ = false;
  bool cancelled_ = false;
  Status status_;
};

// Every input's rows, validated and checked for duplicate ids; good records go to `queue` in
// batches, rejected rows to `rejects` (or, when it accepts no rows, the first one ends the
// import as Run()'s error). `progress` may be null.
class RowReader {
 public:
  RowReader(std::vector<OpenedInput>* inputs, RejectFile* rejects, ProgressBar* progress,
            BatchQueue* queue)
      : inputs_(inputs), rejects_(rejects), progress_(progress), queue_(queue) {}

  Status Run();

  int64_t rows() const { return rows_; }
  int64_t rejected() const { return rejected_; }
  int64_t revoke_rows() const { return revoke_rows_; }
  int64_t kept_unmapped() const { return kept_unmapped_; }
  const std::map<std::string, int64_t>& not_stored() const { return not_stored_; }
  const std::string& not_stored_note() const { return not_stored_note_; }

 private:
  // Adds one good row's records and delete rows to the current batch.
  void Take(const OpenedInput& input, ReadItem& item);
  // Hands the current batch over; false when the writing side has stopped.
  bool Send();

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
  std::map<std::string, int64_t> not_stored_;
  std::string not_stored_note_;
};

}  // namespace entente::ingest
