#include "ingest/record_ids.h"

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <unordered_map>
#include <utility>

#include "model/codec.h"
#include "store/migrations.h"
#include "store/store_target.h"

namespace entente::ingest {
namespace {

const std::vector<std::string> kMigrations = {
    R"sql(
CREATE TABLE record_id_aliases (
  fingerprint TEXT NOT NULL,
  keyed_id TEXT NOT NULL,
  legacy_id TEXT NOT NULL,
  PRIMARY KEY (fingerprint, keyed_id)
);
CREATE TABLE record_id_keys (
  fingerprint TEXT PRIMARY KEY,
  legacy_records BIGINT NOT NULL
);
)sql",
};

// Ids per alias lookup: well under SQLite's and PostgreSQL's parameter limits.
constexpr size_t kIdsPerLookup = 400;

struct Alias {
  std::string keyed;
  std::string legacy;
};

// Every record of the store whose id is the legacy id of its provenance, with its keyed id.
Result<std::vector<Alias>> FindLegacyRecords(Database& db, const RecordIdKey& key) {
  std::vector<Alias> found;
  ENTENTE_RETURN_IF_ERROR(db.QueryEach(
      "SELECT id, source, source_record_id, service FROM records WHERE source_record_id <> ''", {},
      [&](const SqlRow& row) {
        std::string id = row.Text(0);
        std::string type(StixIdType(id));
        std::string source = row.Text(1);
        std::string source_record_id = row.Text(2);
        if (!type.empty() && DeterministicId(type, source, source_record_id) == id)
          found.push_back(
              {KeyedId(key, type, row.Text(3), source, source_record_id), std::move(id)});
        return true;
      }));
  return found;
}

Result<std::optional<int64_t>> KnownKey(Database& db, const std::string& fingerprint) {
  ENTENTE_ASSIGN_OR_RETURN(
      std::vector<SqlRow> rows,
      db.Query("SELECT legacy_records FROM record_id_keys WHERE fingerprint = ?", {fingerprint}));
  if (rows.empty()) return std::optional<int64_t>();
  return std::optional<int64_t>(rows[0].Int(0));
}

// FailedPrecondition when the store's records were keyed with other keys and not with `key`:
// re-importing their rows under a new key would make second copies of them.
Status CheckSameKey(Database& db, const RecordIdKey& key, const std::string& fingerprint) {
  ENTENTE_ASSIGN_OR_RETURN(std::vector<SqlRow> rows,
                           db.Query("SELECT fingerprint FROM record_id_keys ORDER BY fingerprint"));
  if (rows.empty()) return Status::Ok();
  std::string known;
  for (const SqlRow& row : rows) known += (known.empty() ? "" : ", ") + row.Text(0);
  std::string file = key.path().empty() ? std::string("the record-id key") : key.path();
  return Conflict(
      "record-id key " + file + " (fingerprint " + fingerprint +
      ") is not the key this store's records were keyed with (fingerprint " + known +
      "); re-importing would make second copies of them. Restore that key file (from the"
      " backup, or point $ENTENTE_ID_KEY_FILE / [server] id_key_file at it), or, knowingly,"
      " start a new key with `entente import --new-id-key`");
}

// Renames `id` when `aliases` has it.
void Rename(const std::unordered_map<std::string, std::string>& aliases, std::string* id) {
  auto it = aliases.find(*id);
  if (it != aliases.end()) *id = it->second;
}

}  // namespace

std::string DefaultRecordIdKeyPath(const std::string& db_target) {
  const char* env = std::getenv("ENTENTE_ID_KEY_FILE");
  if (env && *env) return env;
  if (IsPostgresTarget(db_target)) return "";
  return StoreSidecarPath(db_target, ".id-key");
}

Result<RecordIdKey> LoadRecordIdKey(const std::string& db_target, const std::string& configured) {
  std::string path = configured.empty() ? DefaultRecordIdKeyPath(db_target) : configured;
  if (path.empty())
    return InvalidArgument(
        "a PostgreSQL store has no default record-id key file (one beside the working directory"
        " would differ between processes): set $ENTENTE_ID_KEY_FILE, or [server] id_key_file"
        " for serve and --id-key-file (or --config) for import, to the same file");
  return RecordIdKey::LoadOrCreate(path);
}

Status RecordIdAliases::Migrate(Database& db) {
  return ApplyMigrations(db, "record_ids", kMigrations);
}

Result<RecordIdAliases> RecordIdAliases::Prepare(RecordStore& store, const RecordIdKey& key,
                                                 bool allow_new_key) {
  Database& db = store.database();
  ENTENTE_RETURN_IF_ERROR(Migrate(db));
  RecordIdAliases aliases;
  aliases.fingerprint_ = key.Fingerprint();
  ENTENTE_ASSIGN_OR_RETURN(std::optional<int64_t> known, KnownKey(db, aliases.fingerprint_));
  if (known) {
    aliases.legacy_records_ = *known;
    return aliases;
  }
  Transaction tx(&db);
  ENTENTE_RETURN_IF_ERROR(tx.status());
  ENTENTE_ASSIGN_OR_RETURN(known, KnownKey(db, aliases.fingerprint_));  // another import did it
  if (!known) {
    Status same = CheckSameKey(db, key, aliases.fingerprint_);
    if (!same.ok() && (same.code() != StatusCode::kConflict || !allow_new_key)) return same;
    aliases.started_new_key_ = !same.ok();
    ENTENTE_ASSIGN_OR_RETURN(std::vector<Alias> found, FindLegacyRecords(db, key));
    for (const Alias& alias : found) {
      ENTENTE_RETURN_IF_ERROR(db.Execute(
          "INSERT INTO record_id_aliases (fingerprint, keyed_id, legacy_id) VALUES (?,?,?)"
          " ON CONFLICT DO NOTHING",
          {aliases.fingerprint_, alias.keyed, alias.legacy}));
    }
    ENTENTE_RETURN_IF_ERROR(
        db.Execute("INSERT INTO record_id_keys (fingerprint, legacy_records) VALUES (?,?)"
                   " ON CONFLICT DO NOTHING",
                   {aliases.fingerprint_, static_cast<int64_t>(found.size())}));
    known = static_cast<int64_t>(found.size());
  }
  ENTENTE_RETURN_IF_ERROR(tx.Commit());
  aliases.legacy_records_ = *known;
  return aliases;
}

Status RecordIdAliases::Resolve(Database& db, std::vector<Record>* records) const {
  if (legacy_records_ == 0 || records->empty()) return Status::Ok();
  std::vector<std::string> ids;
  for (const Record& record : *records) {
    ids.push_back(MetaOf(record).id);
    if (const auto* link = std::get_if<Relationship>(&record)) {
      ids.push_back(link->source_id);
      ids.push_back(link->target_id);
    }
  }
  std::unordered_map<std::string, std::string> aliases;
  for (size_t start = 0; start < ids.size(); start += kIdsPerLookup) {
    size_t end = std::min(ids.size(), start + kIdsPerLookup);
    std::string sql =
        "SELECT keyed_id, legacy_id FROM record_id_aliases WHERE fingerprint = ? AND keyed_id IN (";
    std::vector<SqlValue> params = {fingerprint_};
    for (size_t i = start; i < end; ++i) {
      sql += i == start ? "?" : ",?";
      params.push_back(ids[i]);
    }
    sql += ")";
    ENTENTE_ASSIGN_OR_RETURN(std::vector<SqlRow> rows, db.Query(sql, params));
    for (const SqlRow& row : rows) aliases.emplace(row.Text(0), row.Text(1));
  }
  if (aliases.empty()) return Status::Ok();
  for (Record& record : *records) {
    Rename(aliases, &MetaOf(record).id);
    if (auto* link = std::get_if<Relationship>(&record)) {
      Rename(aliases, &link->source_id);
      Rename(aliases, &link->target_id);
    }
  }
  return Status::Ok();
}

}  // namespace entente::ingest
