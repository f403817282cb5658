// The one path by which every import format reaches the store: opens a reader per input,
// writes what they produce through RecordStore::Writer, and reports.
//
// All or nothing for bad input: the first rejected row (or a row the write guard refuses)
// stops the import before anything of it is written. With `skip_bad_path` set, good rows go in
// and every rejected row is written to that file as CSV (file,line,reason,row). Ids are
// deterministic (source + source record id, keyed with the node's record-id key when
// `defaults.id_key` is set), so importing the same input twice changes nothing; a row whose
// record was stored under the legacy unkeyed id updates that record (ingest/record_ids.h). Two rows of one import that map to the same record id are a rejected row
// ("duplicate of line N").
//
// Transactions: with `commit_every` = 0 the whole import is ONE transaction (also safe against
// kill -9: it never commits), but it holds the store's write lock from start to end, and on
// SQLite every other writer (an audited request, a hit) waits for it. With `commit_every` = N
// the inputs are read and checked in full first (a check pass: nothing is written when a row
// is bad), then written in transactions of about N records each, so other writers wait for one
// batch at most. A process killed in the writing pass leaves the batches committed so far;
// running the same import again finishes it without doubling anything (the ids are the same),
// and the caller's audit entry (BeforeImportCommit) is in the last transaction.
//
// Speed: rows are read, built and validated on a second thread while the calling thread
// writes the previous batch (RecordStore::Writer::PutBatch, 512 records at a time). The check
// pass reads every input a second time.
//
// Thread-safety: uses `store` from the calling thread only; the readers run on the helper
// thread, which ends before RunImport returns.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "common/status.h"
#include "ingest/record_reader.h"
#include "store/record_store.h"

namespace entente::ingest {

// Records per transaction of a batched import: about 50 ms of writing on SQLite, the longest
// another writer waits while a large import runs.
constexpr int64_t kDefaultCommitEvery = 512;

struct ImportOptions {
  std::string format;              // a registered reader format: csv, jsonl, sdn, un, ftm, ...
  std::vector<std::string> paths;  // files (or, for sdn, a folder)
  ImportDefaults defaults;         // service, source, grades, category, TLP, releasability
  std::string skip_bad_path;       // empty: all or nothing
  bool progress = true;            // a progress bar on stderr when it is a terminal
  // Who may write what, when importing on someone's behalf (the API: the uploader's policy,
  // auth/scoped_store.h). A refused row fails the import, naming its file and line; without
  // a guard (the CLI: the local operator) every row is written.
  RecordStore::WriteGuard write_guard;
  // 0: one transaction. N > 0: check every row first, then commit about every N records (see
  // the header comment). kDefaultCommitEvery is what the CLI and the server use.
  int64_t commit_every = 0;
  // Accept a record-id key the store has not seen although it knows others (ingest/record_ids.h
  // RecordIdAliases::Prepare): `entente import --new-id-key`.
  bool new_id_key = false;
};

struct ImportReport;

// Called inside the import's (last) transaction, after every record is written and before the
// commit, with the report so far (all but `seconds`): the caller's audit entry goes here, so the
// import and its audit commit or roll back together. An error rolls the import back.
using BeforeImportCommit = std::function<Status(Database&, const ImportReport&)>;

struct ImportReport {
  int64_t rows = 0;      // source rows read (good and rejected)
  int64_t records = 0;   // records written (entities and relationships)
  int64_t rejected = 0;  // rows rejected (only with skip_bad_path)
  int64_t created = 0;
  int64_t updated = 0;
  int64_t unchanged = 0;
  int64_t revoked = 0;           // records revoked by delete rows (also counted in `updated`)
  int64_t revoke_not_found = 0;  // delete rows naming a record the store does not hold
  int64_t kept_unmapped = 0;     // source items kept inside another record (ReadItem)
  // Good rows that became no record and are not kept, by kind (ReadItem::not_stored), and
  // what the format stores instead (ReadItem::not_stored_note).
  std::map<std::string, int64_t> not_stored;
  std::string not_stored_note;
  int64_t last_change_seq = 0;
  double seconds = 0;
  int files = 0;
  // Set when this import started a new record-id key (new_id_key): its fingerprint.
  std::string new_id_key_fingerprint;
};

// Runs an import. Errors: InvalidArgument for an unknown format or the first bad row (naming
// file, line, field and reason), NotFound for a missing input, IOError for an unreadable one
// or an unwritable skip file, Unavailable when another writer holds the store too long.
// On a bad row nothing was written; on an error in a batched import's writing pass (a store
// error, the write lock not obtained in time), the message says which rows stay written.
Result<ImportReport> RunImport(RecordStore& store, const ImportOptions& options,
                               const BeforeImportCommit& before_commit = nullptr);

// Reads without writing: every record the inputs hold, for tests and tools. Rejected rows
// are returned in *rejected when given, else the first one is the error.
Result<std::vector<Record>> ReadAll(const ImportOptions& options,
                                    std::vector<ReadItem>* rejected = nullptr);

// "imported 14965 records from 1 file in 2.31 s (6478/s): 14965 created, 0 updated,
// 0 unchanged; 0 rows rejected", and "; 2 revoked by deletes (1 not found)" when the input
// held delete rows, "; 12 source items kept unmapped (inside their event records)" when
// some were, and "; 296 source items not stored as records: 120 indicator, 80 malware, ...
// (<the format's note>)" when rows became no record (kinds by count, largest first).
std::string ImportSummaryLine(const ImportReport& report);

// "296 source items not stored as records: 120 indicator, 80 malware (<note>)"; empty when
// every row was stored. The summary line's last part, and the API import job's
// `not_stored_summary`.
std::string NotStoredLine(const ImportReport& report);

}  // namespace entente::ingest
