// The node's record-id key as imports use it: where its file is, and how the ids issued before
// the key (legacy, unkeyed ids: common/ids.h) keep working.
//
// A record imported before the key has the id DeterministicId(type, source, source id); the
// same row imported now gets KeyedId(key, type, owning service, source, source id). So that
// re-importing it updates the old record instead of making a second one, the store keeps an
// alias table: keyed id -> legacy id, one row per legacy-id record, made by one scan of the
// store the first time a key meets it (RecordIdAliases::Prepare), and the importer renames every
// id of a batch (record ids and relationship ends) that has an alias before writing it. Records
// received from partners keep their ids (they are written as received, not derived here), and their
// aliases carry their service, so a local row never maps onto one of them.
//
// The store remembers the fingerprint of every key that met it (record_id_keys). A key it does
// not know, while it knows others, is refused (a lost key file, or a process reading another
// file): re-imports would silently make second copies of every record. `entente import
// --new-id-key` starts a new key knowingly.
//
// Thread-safety: RecordIdAliases is immutable after Prepare and is used with the caller's
// Database connection.
#pragma once

#include <string>
#include <vector>

#include "common/ids.h"
#include "common/status.h"
#include "model/entity.h"
#include "store/database.h"
#include "store/record_store.h"

namespace entente::ingest {

// The key file of a store when none is configured: $ENTENTE_ID_KEY_FILE when set, else
// "<db path>.id-key" beside a SQLite file; empty for PostgreSQL (no default: a path relative to
// the working directory would give each process started elsewhere a key of its own). Every
// process importing into one store (each server, `entente import`) must use the same file.
std::string DefaultRecordIdKeyPath(const std::string& db_target);

// LoadOrCreate of `configured` (serve: [server] id_key_file; import: --id-key-file, or the
// id_key_file of --config), else of DefaultRecordIdKeyPath(db_target). InvalidArgument when
// both are empty (PostgreSQL without a configured file).
Result<RecordIdKey> LoadRecordIdKey(const std::string& db_target, const std::string& configured);

class RecordIdAliases {
 public:
  // Creates the alias tables (migration component "record_ids"). Prepare does it too.
  static Status Migrate(Database& db);

  // Brings the alias table up to date for `key`: the first time, scans the store for records
  // whose id is the legacy id of their (type, source, source id) and stores their aliases, in
  // one transaction; later, one read. FailedPrecondition, naming the key file and both
  // fingerprints, when the store already knows other keys and not this one (a lost or wrong
  // key file: its re-imports would duplicate records), unless `allow_new_key` (then
  // started_new_key() is true). Other errors: the store's.
  static Result<RecordIdAliases> Prepare(RecordStore& store, const RecordIdKey& key,
                                         bool allow_new_key = false);

  // Renames in `records` every record id and relationship end that is the keyed id of a
  // legacy-id record to that legacy id. Nothing to do (no query) when the store held no
  // legacy-id record.
  Status Resolve(Database& db, std::vector<Record>* records) const;

  // Legacy-id records of the store (those with an alias).
  int64_t legacy_records() const { return legacy_records_; }
  // True when this Prepare registered a key beside other ones (allow_new_key).
  bool started_new_key() const { return started_new_key_; }
  const std::string& fingerprint() const { return fingerprint_; }

 private:
  std::string fingerprint_;
  bool started_new_key_ = false;
  int64_t legacy_records_ = 0;
};

}  // namespace entente::ingest
