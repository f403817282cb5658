// The intelligence store: entities and relationships, versioned, with a change feed.
//
// Every write of a record that is new or whose content changed creates a new version and takes
// the next change sequence number (change_seq): a monotonic, gap-free-per-commit counter over
// the whole store. "What changed since N" (ChangesSince) is an indexed range scan; it drives the
// match index, continuous screening, TAXII added_after and partner sync. Writing a record whose
// content is identical to its current version changes nothing (re-imports are idempotent).
// Earlier versions are kept (History).
//
// Writers serialize: a Writer holds the database's write transaction from BeginWrite() to
// Commit(); readers are not blocked (WAL). All of a Writer's records become visible at once or
// not at all; destroying a Writer without Commit() rolls back.
//
// Markings are not checked here: this is the trusted layer. The server and exchange apply
// MayRead() (model/entity.h) before anything leaves.
//
// Thread-safety: one RecordStore per Database connection, used from one thread at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/status.h"
#include "model/codec.h"
#include "model/entity.h"
#include "store/database.h"

namespace entente {

enum class ChangeKind { kCreated, kUpdated, kRevoked };
std::string_view ChangeKindName(ChangeKind kind);  // "created", "updated", "revoked"

// One entry of the change feed: a record version.
struct Change {
  int64_t seq = 0;
  ChangeKind kind = ChangeKind::kCreated;
  Record record;  // the record as of this version
};

// What a Put() did.
struct PutOutcome {
  enum class Effect { kCreated, kUpdated, kUnchanged } effect = Effect::kCreated;
  int version = 0;
  int64_t change_seq = 0;  // 0 when unchanged
};

struct WriteSummary {
  int64_t created = 0;
  int64_t updated = 0;
  int64_t unchanged = 0;
  int64_t revoked = 0;
  int64_t last_change_seq = 0;
};

struct StoreStats {
  int64_t records = 0;  // current, not revoked
  int64_t revoked = 0;
  int64_t versions = 0;
  int64_t max_change_seq = 0;
  std::vector<std::pair<std::string, int64_t>> by_type;      // "person" -> n
  std::vector<std::pair<std::string, int64_t>> by_category;  // "terrorism" -> n
  std::vector<std::pair<std::string, int64_t>> by_source;    // "ofac-sdn" -> n
  std::vector<std::pair<std::string, int64_t>> by_service;   // "DGSN-DGST" -> n
};

// Restricts scans and searches. Empty fields do not filter.
struct RecordFilter {
  std::vector<std::string> types;  // "person", "organization", ..., "relationship"
  std::optional<ThreatCategory> category;
  std::string service;
  std::string source;
  bool include_revoked = false;
};

class RecordStore {
 public:
  // Decides whether a record may be written over its current version (nullptr: new). Set on a
  // Writer by callers that write on someone's behalf (auth/scoped_store.h makes one from the
  // policy); an error refuses the record.
  using WriteGuard = std::function<Status(const RecordMeta* current, const Record& proposed)>;

  // REQUIRES: `db` outlives the store. Call Migrate() once per database first.
  explicit RecordStore(Database* db) : db_(db) {}
  static Status Migrate(Database& db);
  Database& database() { return *db_; }

  class Writer {
   public:
    ~Writer();
    Writer(const Writer&) = delete;
    Writer& operator=(const Writer&) = delete;
    // Validates and writes one record. Fills in version, created/modified and change_seq;
    // created/modified default to now when empty. InvalidArgument (naming the field) on an
    // invalid record; nothing is written for it.
    Result<PutOutcome> Put(const Record& record);
    // Whether PutBatch() validates the records (kAlreadyValidated: the caller ran
    // ValidateEntity/ValidateRelationship and CheckGuard on each, as the importer does to name
    // the file and line of a refused row).
    enum class Validation { kValidate, kAlreadyValidated };
    // The bulk path: the same as Put() on each record in order, with one lookup and multi-row
    // inserts per batch. Fills `outcomes` (one per record; may be null). InvalidArgument naming
    // the record when one is invalid: then nothing of the batch is written. Any other error
    // (I/O, lock) leaves the Writer unusable: destroy it to roll back.
    Status PutBatch(std::span<const Record> records, std::vector<PutOutcome>* outcomes,
                    Validation validation = Validation::kValidate);
    // Marks the current version revoked (a new version, a new change_seq). NotFound if absent;
    // unchanged when already revoked.
    Result<PutOutcome> Revoke(const std::string& id);
    // Checks every later Put/PutBatch record with `guard` before anything of it is written:
    // a refusal is returned (PutBatch: naming the record) and nothing of the batch is written.
    void SetGuard(WriteGuard guard) { guard_ = std::move(guard); }
    // What the guard answers for `record` over its current version (OK without a guard).
    Status CheckGuard(const Record& record);
    // Makes everything written visible; afterwards the Writer is spent.
    Status Commit();
    const WriteSummary& summary() const { return summary_; }

   private:
    friend class RecordStore;
    struct Scratch;  // per-batch buffers, reused
    explicit Writer(RecordStore* store);
    // Writes records[0..n), all valid. Errors other than validation poison the Writer.
    Status WriteBatch(const Record* const* records, size_t n, PutOutcome* outcomes);
    Status WriteOne(const Record& record, PutOutcome* outcome);
    RecordStore* store_;
    std::unique_ptr<Transaction> tx_;
    std::unique_ptr<Scratch> scratch_;
    int64_t next_seq_ = 0;
    WriteSummary summary_;
    bool committed_ = false;
    WriteGuard guard_;
    Status failed_;  // the error that made the Writer unusable
  };

  // Takes the write lock (waits for another writer up to the busy timeout, then Unavailable).
  Result<std::unique_ptr<Writer>> BeginWrite();

  // What `guard` answers for `record` over the record's current version, read outside any
  // write transaction (the importer's check pass); OK without a guard.
  Status CheckWriteGuard(const WriteGuard& guard, const Record& record);

  // Convenience: one transaction around Put() for each record; all or nothing.
  Result<WriteSummary> PutAll(const std::vector<Record>& records);

  // The current version (revoked ones included, with meta.revoked set). NotFound if absent.
  Result<Record> Get(const std::string& id);
  Result<Entity> GetEntity(const std::string& id);
  // A given version. NotFound if absent.
  Result<Record> GetVersion(const std::string& id, int version);
  // Every version, oldest first.
  Result<std::vector<Record>> History(const std::string& id);

  // The change feed: versions with change_seq > `after_seq`, in order, at most `limit`.
  Result<std::vector<Change>> ChangesSince(int64_t after_seq, int64_t limit);
  // Streams the feed without holding it all in memory; stop by returning false.
  Status ForEachChangeSince(int64_t after_seq, const std::function<bool(const Change&)>& fn);
  int64_t MaxChangeSeq();

  // Streams current records matching `filter` (for index builds, exports, graph loads).
  Status ForEachRecord(const RecordFilter& filter, const std::function<bool(const Record&)>& fn);
  // Relationships touching `entity_id` (either end), current and not revoked.
  Result<std::vector<Relationship>> RelationshipsOf(const std::string& entity_id);
  // Plain-text search over names (case-insensitive substring), current records only.
  // The fuzzy, transliteration-aware search is the match engine's job; this is the fallback.
  Result<std::vector<Entity>> SearchNames(const std::string& text, const RecordFilter& filter,
                                          int64_t limit);
  // Finds the current record with this provenance (source, source_record_id).
  Result<Record> FindBySourceRecord(const std::string& source, const std::string& source_record_id);

  Result<StoreStats> Stats();

 private:
  Database* db_;
};

}  // namespace entente
