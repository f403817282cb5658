#include "store/record_store.h"

#include <algorithm>
#include <functional>
#include <iterator>
#include <unordered_map>
#include <unordered_set>

#include "common/ids.h"
#include "common/text.h"
#include "common/time.h"
#include "store/migrations.h"
#include "store/multi_row_sql.h"
#include "store/record_encoding.h"

namespace entente {
namespace {

// records: the current version of each record (one row per id), with the columns that filters
// and lookups need. record_versions: every version, keyed by its change_seq: the change feed.
const std::vector<std::string> kRecordStoreSchema = {
    R"sql(
CREATE TABLE records (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  version INTEGER NOT NULL,
  change_seq BIGINT NOT NULL,
  content_hash TEXT NOT NULL,
  revoked INTEGER NOT NULL DEFAULT 0,
  service TEXT NOT NULL DEFAULT '',
  source TEXT NOT NULL DEFAULT '',
  source_record_id TEXT NOT NULL DEFAULT '',
  category TEXT NOT NULL DEFAULT 'other',
  tlp INTEGER NOT NULL DEFAULT 2,
  source_id TEXT,
  target_id TEXT,
  created TEXT NOT NULL,
  modified TEXT NOT NULL
);
CREATE INDEX records_by_source ON records (source, source_record_id);
CREATE INDEX records_by_rel_source ON records (source_id);
CREATE INDEX records_by_rel_target ON records (target_id);
CREATE INDEX records_by_kind ON records (kind);
CREATE TABLE record_versions (
  change_seq BIGINT PRIMARY KEY,
  id TEXT NOT NULL,
  version INTEGER NOT NULL,
  change_kind TEXT NOT NULL,
  body TEXT NOT NULL
);
CREATE UNIQUE INDEX record_versions_by_id ON record_versions (id, version);
CREATE TABLE record_names (
  id TEXT NOT NULL,
  name TEXT NOT NULL
);
CREATE INDEX record_names_by_id ON record_names (id);
CREATE TABLE change_counter (
  singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
  value BIGINT NOT NULL
);
INSERT INTO change_counter (singleton, value) VALUES (1, 0);
)sql",
    // v2, for the bulk write path (fewer B-tree inserts per record):
    // - the searchable names move into records.names (lowercased, one per line), so a person
    //   with four names costs no extra rows;
    // - record_versions is keyed by change_seq itself (SQLite: the rowid), one index less;
    // - the relationship end indexes only hold relationships.
    R"sql(
ALTER TABLE records ADD COLUMN names TEXT NOT NULL DEFAULT '';
UPDATE records SET names = COALESCE((SELECT {{STRING_AGG}}(n.name, '
') FROM record_names n WHERE n.id = records.id), '');
DROP TABLE record_names;
CREATE TABLE record_versions_v2 (
  change_seq {{INT64_PK}},
  id TEXT NOT NULL,
  version INTEGER NOT NULL,
  change_kind TEXT NOT NULL,
  body TEXT NOT NULL
);
INSERT INTO record_versions_v2 (change_seq, id, version, change_kind, body)
  SELECT change_seq, id, version, change_kind, body FROM record_versions;
DROP TABLE record_versions;
ALTER TABLE record_versions_v2 RENAME TO record_versions;
CREATE UNIQUE INDEX record_versions_by_id ON record_versions (id, version);
DROP INDEX records_by_rel_source;
DROP INDEX records_by_rel_target;
CREATE INDEX records_by_rel_source ON records (source_id) WHERE source_id IS NOT NULL;
CREATE INDEX records_by_rel_target ON records (target_id) WHERE target_id IS NOT NULL;
)sql",
};

// Separates the lowercased names in records.names.
constexpr char kNameSeparator = '\n';

// The content hash of store versions before RecordEncoder (the codec's JSON with the volatile
// bookkeeping cleared). Only compared against stored hashes without kContentHashTag, so that
// re-importing into an older database still changes nothing.
std::string LegacyContentHash(Record record) {
  RecordMeta& m = MetaOf(record);
  m.version = 0;
  m.created.clear();
  m.modified.clear();
  m.change_seq = 0;
  m.provenance.last_seen.clear();
  m.provenance.first_seen.clear();
  return Blake2bHex(RecordToJson(record));
}

Status ValidateRecord(const Record& record) {
  if (auto* e = std::get_if<Entity>(&record)) return ValidateEntity(*e);
  return ValidateRelationship(std::get<Relationship>(record));
}

std::string LowerName(std::string_view name) { return ToLowerAscii(Trim(name)); }

Result<Record> ParseBody(const std::string& body) {
  auto r = RecordFromJson(body);
  if (!r.ok()) return Corruption("stored record does not parse: " + r.status().message());
  return r;
}

void AppendFilter(const RecordFilter& f, std::string* sql, std::vector<SqlValue>* params) {
  if (!f.types.empty()) {
    *sql += " AND r.kind IN (";
    for (size_t i = 0; i < f.types.size(); ++i) {
      *sql += i ? ",?" : "?";
      params->push_back(f.types[i]);
    }
    *sql += ")";
  }
  if (f.category) {
    *sql += " AND r.category = ?";
    params->push_back(std::string(ThreatCategoryName(*f.category)));
  }
  if (!f.service.empty()) {
    *sql += " AND r.service = ?";
    params->push_back(f.service);
  }
  if (!f.source.empty()) {
    *sql += " AND r.source = ?";
    params->push_back(f.source);
  }
  if (!f.include_revoked) *sql += " AND r.revoked = 0";
}

}  // namespace

std::string_view ChangeKindName(ChangeKind kind) {
  switch (kind) {
    case ChangeKind::kCreated:
      return "created";
    case ChangeKind::kUpdated:
      return "updated";
    case ChangeKind::kRevoked:
      return "revoked";
  }
  return "created";
}

// PostgreSQL only: every statement that adds to the change feed, whoever runs it (a bulk
// write, COPY, another process), notifies the change channel when its transaction commits
// (change_signal.h). PostgreSQL folds the repeats of one transaction into one notification.
const std::vector<std::string> kChangeNotifySchema = {
    R"sql(
CREATE FUNCTION entente_notify_change() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
  PERFORM pg_notify('entente_changes', '');  -- kChangeChannel (change_signal.h)
  RETURN NULL;
END
$body$;
CREATE TRIGGER record_versions_notify AFTER INSERT ON record_versions
  FOR EACH STATEMENT EXECUTE FUNCTION entente_notify_change();
)sql",
};

Status RecordStore::Migrate(Database& db) {
  ENTENTE_RETURN_IF_ERROR(ApplyMigrations(db, "records", kRecordStoreSchema));
  if (db.backend() != DatabaseBackend::kPostgres) return Status::Ok();
  return ApplyMigrations(db, "records_notify", kChangeNotifySchema);
}

// ---- The write path ----
//
// A batch of records is written with a fixed number of statements whatever its size: a lookup
// of the current versions, then the new versions appended to record_versions and the new
// records to records (Database::InsertRows: one COPY each on PostgreSQL, multi-row INSERTs on
// SQLite), and the records that had a version updated with a multi-row upsert. Row counts of
// multi-row statements are split into powers of two up to kMaxRowsPerStatement so that only a
// handful of SQL texts exist (each prepared once).
//
// The lookup: on SQLite `id IN (...)` in statements of up to 64 ids; on PostgreSQL one
// statement per batch, `id = ANY(array)`. A Writer that began on a store holding no record at
// all skips it for every id it has not written itself (Scratch::written_ids): a fresh import
// costs no lookups.

namespace {

constexpr std::string_view kVersionColumns[] = {"change_seq", "id", "version", "change_kind",
                                                 "body"};
constexpr std::string_view kRecordColumnNames[] = {
    "id",     "kind",   "version",          "change_seq", "content_hash", "revoked",
    "service", "source", "source_record_id", "category",   "tlp",          "source_id",
    "target_id", "created", "modified",      "names"};
constexpr int kRecordColumns = std::size(kRecordColumnNames);
const MultiRowSql& UpsertRecordsSql() {
  static const MultiRowSql sql(
      "INSERT INTO records (id, kind, version, change_seq, content_hash, revoked, service, source,"
      " source_record_id, category, tlp, source_id, target_id, created, modified, names) VALUES ",
      kRecordColumns,
      " ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, version = excluded.version,"
      " change_seq = excluded.change_seq, content_hash = excluded.content_hash,"
      " revoked = excluded.revoked, service = excluded.service, source = excluded.source,"
      " source_record_id = excluded.source_record_id, category = excluded.category,"
      " tlp = excluded.tlp, source_id = excluded.source_id, target_id = excluded.target_id,"
      " modified = excluded.modified, names = excluded.names");
  return sql;
}

// "... WHERE id IN (?,?,...)" with one placeholder per id, per shape.
const MultiRowSql& LookupSql() {
  static const MultiRowSql sql(
      "SELECT id, version, content_hash, created FROM records WHERE id IN (", 1, ")");
  return sql;
}
// PostgreSQL: the whole batch's ids as one array parameter.
constexpr std::string_view kLookupAnySql =
    "SELECT id, version, content_hash, created FROM records WHERE id = ANY(?::text[])";

// Appends `id` to *out, the text form of a PostgreSQL text[] being built: {"a","b"}, with
// backslash and double quote escaped. Close it with '}'.
void AppendArrayElement(std::string_view id, std::string* out) {
  out->push_back(out->empty() ? '{' : ',');
  out->push_back('"');
  for (char c : id) {
    if (c == '"' || c == '\\') out->push_back('\\');
    out->push_back(c);
  }
  out->push_back('"');
}
// Records per WriteBatch: one importer batch (ingest/import_rows.h) in one lookup and one COPY
// per table on PostgreSQL.
constexpr size_t kRecordsPerWrite = 512;

// Up to this many ids of records a Writer wrote are remembered (as hashes) to skip the lookup
// on a fresh store; past it the Writer looks up every id again.
constexpr size_t kMaxRememberedIds = size_t{1} << 22;

// records.names: the entity's non-empty names, trimmed and lowercased, one per line.
void JoinLowerNames(const Record& record, std::string* out) {
  out->clear();
  const Entity* e = std::get_if<Entity>(&record);
  if (!e) return;
  for (const Name& name : e->names) {
    std::string_view trimmed = Trim(name.full);
    if (trimmed.empty()) continue;
    if (!out->empty()) out->push_back(kNameSeparator);
    for (char c : trimmed)
      out->push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  }
}

std::string_view KindView(const Record& record) {
  if (auto* e = std::get_if<Entity>(&record)) return EntityTypeName(e->type);
  return "relationship";
}

}  // namespace

// What the Writer keeps between batches so that a batch allocates little.
struct RecordStore::Writer::Scratch {
  struct Slot {
    RecordEncoder encoder;
    bool exists = false;
    int existing_version = 0;
    std::string existing_hash;
    std::string existing_created;
    ChangeKind kind = ChangeKind::kCreated;
    std::string created, modified;  // as written
    std::string names;              // records.names
  };
  std::vector<Slot> slots;
  std::unordered_map<std::string_view, size_t> index;  // id -> slot
  std::vector<SqlParam> params;
  std::vector<size_t> written;   // slots that get a new version
  std::vector<size_t> created;   // of those, the records that are new
  std::vector<size_t> updated;   // and those that had a version
  std::vector<size_t> rehashed;  // unchanged slots whose stored hash is of the legacy form
  std::vector<size_t> pending;   // slots to look up
  std::string ids_array;         // PostgreSQL: the looked-up ids as one text[]
  std::string now;
  // The Writer began on a store that held no record: only ids it wrote itself can exist.
  // Their hashes (a collision costs one needless lookup, never a wrong answer).
  bool fresh_store = false;
  std::unordered_set<size_t> written_ids;

  // The steps of WriteBatch. The current versions of the batch's ids, into the slots.
  Status LookUpCurrent(Database& db, const Record* const* records, size_t n);
  Status LookUpPending(Database& db, const Record* const* records,
                       const std::function<bool(const SqlRow&)>& on_found);
  // Remembers the ids of `written` for a fresh store's lookups.
  void RememberWritten(const Record* const* records);
  // Decides what record i does (unchanged, created, updated, revoked), counts it in `summary`
  // and, when it gets a new version, takes the next change_seq and finishes its body.
  void Decide(size_t i, const Record& record, PutOutcome* outcome, int64_t* next_seq,
              WriteSummary* summary);
  // Writes the new versions (record_versions) and the current rows (records) of `written`.
  Status InsertVersions(Database& db, const Record* const* records, const PutOutcome* outcomes);
  Status WriteRecords(Database& db, const Record* const* records, const PutOutcome* outcomes);
  // Appends the records table's values of slot i to *p (kRecordColumnNames, in order).
  void BindRecord(size_t i, const Record& record, const PutOutcome& outcome,
                  std::vector<SqlParam>* p) const;
};

RecordStore::Writer::Writer(RecordStore* store) : store_(store), scratch_(new Scratch) {}

Result<std::unique_ptr<RecordStore::Writer>> RecordStore::BeginWrite() {
  std::unique_ptr<Writer> writer(new Writer(this));
  writer->tx_ = std::make_unique<Transaction>(db_);
  ENTENTE_RETURN_IF_ERROR(writer->tx_->status());
  // Touching the counter row takes its lock on PostgreSQL; SQLite already holds the write lock.
  ENTENTE_ASSIGN_OR_RETURN(auto rows,
                           db_->Query("UPDATE change_counter SET value = value WHERE singleton = 1 "
                                      "RETURNING value"));
  if (rows.empty()) return Corruption("change_counter row is missing");
  writer->next_seq_ = rows[0].Int(0) + 1;
  // Nothing was ever written (every write takes a change_seq), and other writers wait for this
  // one's lock: the store holds no record but the ones this Writer writes.
  writer->scratch_->fresh_store = rows[0].Int(0) == 0;
  return writer;
}

RecordStore::Writer::~Writer() = default;

Result<PutOutcome> RecordStore::Writer::Put(const Record& record) {
  PutOutcome outcome;
  ENTENTE_RETURN_IF_ERROR(WriteOne(record, &outcome));
  return outcome;
}

Status RecordStore::Writer::WriteOne(const Record& record, PutOutcome* outcome) {
  if (committed_) return Internal("writer already committed");
  if (!failed_.ok()) return failed_;
  ENTENTE_RETURN_IF_ERROR(ValidateRecord(record));
  ENTENTE_RETURN_IF_ERROR(CheckGuard(record));
  const Record* one = &record;
  return WriteBatch(&one, 1, outcome);
}

Status RecordStore::Writer::CheckGuard(const Record& record) {
  return store_->CheckWriteGuard(guard_, record);
}

Status RecordStore::CheckWriteGuard(const WriteGuard& guard, const Record& record) {
  if (!guard) return Status::Ok();
  Result<Record> current = Get(MetaOf(record).id);
  if (current.ok()) return guard(&MetaOf(*current), record);
  if (current.status().code() != StatusCode::kNotFound) return current.status();
  return guard(nullptr, record);
}

Status RecordStore::Writer::PutBatch(std::span<const Record> records,
                                     std::vector<PutOutcome>* outcomes, Validation validation) {
  if (committed_) return Internal("writer already committed");
  if (!failed_.ok()) return failed_;
  for (size_t i = 0; validation == Validation::kValidate && i < records.size(); ++i) {
    Status valid = ValidateRecord(records[i]);
    if (!valid.ok())
      return valid.WithContext("record " + std::to_string(i + 1) + " (" + MetaOf(records[i]).id +
                               ")");
  }
  for (size_t i = 0; guard_ && validation == Validation::kValidate && i < records.size(); ++i) {
    Status allowed = CheckGuard(records[i]);
    if (!allowed.ok()) {
      return allowed.WithContext("record " + std::to_string(i + 1) + " (" + MetaOf(records[i]).id +
                                 ")");
    }
  }
  std::vector<const Record*> pointers(records.size());
  for (size_t i = 0; i < records.size(); ++i) pointers[i] = &records[i];
  std::vector<PutOutcome> local;
  std::vector<PutOutcome>& out = outcomes ? *outcomes : local;
  out.assign(records.size(), PutOutcome());
  for (size_t start = 0; start < records.size();) {
    size_t n = std::min(records.size() - start, kRecordsPerWrite);
    ENTENTE_RETURN_IF_ERROR(WriteBatch(pointers.data() + start, n, out.data() + start));
    start += n;
  }
  return Status::Ok();
}

Status RecordStore::Writer::Scratch::LookUpCurrent(Database& db, const Record* const* records,
                                                   size_t n) {
  pending.clear();
  for (size_t i = 0; i < n; ++i) {
    std::string_view id = MetaOf(*records[i]).id;
    if (fresh_store && !written_ids.contains(std::hash<std::string_view>{}(id))) continue;
    pending.push_back(i);
  }
  if (pending.empty()) return Status::Ok();
  return LookUpPending(db, records, [&](const SqlRow& found) {
    auto it = index.find(found.Text(0));
    if (it == index.end()) return true;
    Slot& slot = slots[it->second];
    slot.exists = true;
    slot.existing_version = static_cast<int>(found.Int(1));
    slot.existing_hash = found.Text(2);
    slot.existing_created = found.Text(3);
    return true;
  });
}

Status RecordStore::Writer::Scratch::LookUpPending(
    Database& db, const Record* const* records,
    const std::function<bool(const SqlRow&)>& on_found) {
  if (db.backend() == DatabaseBackend::kPostgres) {
    ids_array.clear();
    for (size_t i : pending) AppendArrayElement(MetaOf(*records[i]).id, &ids_array);
    ids_array.push_back('}');
    SqlParam array[] = {std::string_view(ids_array)};
    return db.QueryEachView(kLookupAnySql, array, on_found);
  }
  for (size_t row = 0; row < pending.size();) {
    size_t rows = ChunkRows(pending.size() - row);
    params.clear();
    for (size_t r = 0; r < rows; ++r)
      params.push_back(std::string_view(MetaOf(*records[pending[row + r]]).id));
    ENTENTE_RETURN_IF_ERROR(db.QueryEachView(LookupSql().For(rows), params, on_found));
    row += rows;
  }
  return Status::Ok();
}

void RecordStore::Writer::Scratch::RememberWritten(const Record* const* records) {
  if (!fresh_store) return;
  for (size_t i : written)
    written_ids.insert(std::hash<std::string_view>{}(MetaOf(*records[i]).id));
  if (written_ids.size() > kMaxRememberedIds) {
    fresh_store = false;
    written_ids = {};
  }
}

void RecordStore::Writer::Scratch::Decide(size_t i, const Record& record, PutOutcome* outcome_out,
                                          int64_t* next_seq, WriteSummary* summary) {
  Slot& slot = slots[i];
  const RecordMeta& meta = MetaOf(record);
  PutOutcome& outcome = *outcome_out;
  outcome = PutOutcome();
  if (slot.exists) {
    bool same = slot.existing_hash == slot.encoder.content_hash();
    if (!same && !slot.existing_hash.starts_with(kContentHashTag) &&
        slot.existing_hash == LegacyContentHash(record)) {
      same = true;
      rehashed.push_back(i);
    }
    if (same) {
      outcome.effect = PutOutcome::Effect::kUnchanged;
      outcome.version = slot.existing_version;
      ++summary->unchanged;
      return;
    }
    outcome.effect = PutOutcome::Effect::kUpdated;
    outcome.version = slot.existing_version + 1;
    slot.created = slot.existing_created;
    slot.kind = meta.revoked ? ChangeKind::kRevoked : ChangeKind::kUpdated;
  } else {
    outcome.version = 1;
    slot.created = meta.created.empty() ? now : meta.created;
    slot.kind = ChangeKind::kCreated;
  }
  // A given modified time is kept (partner data keeps the partner's); otherwise now.
  slot.modified = meta.modified.empty() || meta.modified < slot.created ? now : meta.modified;
  outcome.change_seq = (*next_seq)++;
  VolatileFields fields;
  fields.first_seen = meta.provenance.first_seen.empty() ? std::string_view(slot.created)
                                                         : meta.provenance.first_seen;
  fields.last_seen = meta.provenance.last_seen.empty() ? std::string_view(slot.modified)
                                                       : meta.provenance.last_seen;
  fields.version = outcome.version;
  fields.created = slot.created;
  fields.modified = slot.modified;
  fields.change_seq = outcome.change_seq;
  slot.encoder.Finish(fields);
  JoinLowerNames(record, &slot.names);
  written.push_back(i);
  summary->last_change_seq = outcome.change_seq;
  if (outcome.effect == PutOutcome::Effect::kCreated) {
    ++summary->created;
  } else if (slot.kind == ChangeKind::kRevoked) {
    ++summary->revoked;
  } else {
    ++summary->updated;
  }
}

Status RecordStore::Writer::Scratch::InsertVersions(Database& db, const Record* const* records,
                                                    const PutOutcome* outcomes) {
  return db.InsertRows("record_versions", kVersionColumns, written.size(),
                       [&](size_t w, std::vector<SqlParam>* p) {
                         size_t i = written[w];
                         const PutOutcome& outcome = outcomes[i];
                         p->push_back(outcome.change_seq);
                         p->push_back(std::string_view(MetaOf(*records[i]).id));
                         p->push_back(int64_t{outcome.version});
                         p->push_back(ChangeKindName(slots[i].kind));
                         p->push_back(slots[i].encoder.body());
                       });
}

void RecordStore::Writer::Scratch::BindRecord(size_t i, const Record& record,
                                              const PutOutcome& outcome,
                                              std::vector<SqlParam>* p) const {
  const RecordMeta& meta = MetaOf(record);
  const Slot& slot = slots[i];
  const Relationship* rel = std::get_if<Relationship>(&record);
  p->push_back(std::string_view(meta.id));
  p->push_back(KindView(record));
  p->push_back(int64_t{outcome.version});
  p->push_back(outcome.change_seq);
  p->push_back(std::string_view(slot.encoder.content_hash()));
  p->push_back(int64_t{meta.revoked ? 1 : 0});
  p->push_back(std::string_view(meta.provenance.service));
  p->push_back(std::string_view(meta.provenance.source));
  p->push_back(std::string_view(meta.provenance.source_record_id));
  p->push_back(ThreatCategoryName(meta.category));
  p->push_back(int64_t{static_cast<int>(meta.marking.tlp)});
  p->push_back(rel ? SqlParam(std::string_view(rel->source_id)) : SqlParam());
  p->push_back(rel ? SqlParam(std::string_view(rel->target_id)) : SqlParam());
  p->push_back(std::string_view(slot.created));
  p->push_back(std::string_view(slot.modified));
  p->push_back(std::string_view(slot.names));
}

// New records are appended (InsertRows); records that had a version are upserted.
Status RecordStore::Writer::Scratch::WriteRecords(Database& db, const Record* const* records,
                                                  const PutOutcome* outcomes) {
  created.clear();
  updated.clear();
  for (size_t i : written)
    (outcomes[i].effect == PutOutcome::Effect::kCreated ? created : updated).push_back(i);
  ENTENTE_RETURN_IF_ERROR(db.InsertRows("records", kRecordColumnNames, created.size(),
                                        [&](size_t c, std::vector<SqlParam>* p) {
                                          size_t i = created[c];
                                          BindRecord(i, *records[i], outcomes[i], p);
                                        }));
  return ExecuteChunked(
      db, updated.size(),
      [](size_t rows) -> const std::string& { return UpsertRecordsSql().For(rows); },
      [&](size_t u, std::vector<SqlParam>* p) {
        size_t i = updated[u];
        BindRecord(i, *records[i], outcomes[i], p);
      },
      &params);
}

Status RecordStore::Writer::WriteBatch(const Record* const* records, size_t n,
                                       PutOutcome* outcomes) {
  Scratch& s = *scratch_;
  // The same id twice in one batch: the second must see the first, so go one by one.
  s.index.clear();
  for (size_t i = 0; i < n; ++i) {
    if (!s.index.emplace(MetaOf(*records[i]).id, i).second) {
      for (size_t k = 0; k < n; ++k)
        ENTENTE_RETURN_IF_ERROR(WriteBatch(records + k, 1, outcomes + k));
      return Status::Ok();
    }
  }
  Database& db = *store_->db_;
  auto poison = [this](Status status) {
    failed_ = status;
    return status;
  };
  if (s.slots.size() < n) s.slots.resize(n);
  for (size_t i = 0; i < n; ++i) {
    Scratch::Slot& slot = s.slots[i];
    slot.exists = false;
    slot.encoder.EncodeContent(*records[i]);
  }
  Status status = s.LookUpCurrent(db, records, n);
  if (!status.ok()) return poison(status);
  // Decide each record's effect and finish its body.
  s.written.clear();
  s.rehashed.clear();
  s.now = NowTimestamp();
  for (size_t i = 0; i < n; ++i) s.Decide(i, *records[i], &outcomes[i], &next_seq_, &summary_);
  for (size_t i : s.rehashed) {
    SqlParam params[] = {std::string_view(s.slots[i].encoder.content_hash()),
                         std::string_view(MetaOf(*records[i]).id)};
    status = db.ExecuteView("UPDATE records SET content_hash = ? WHERE id = ?", params);
    if (!status.ok()) return poison(status);
  }
  if (s.written.empty()) return Status::Ok();
  status = s.InsertVersions(db, records, outcomes);
  if (!status.ok()) return poison(status);
  status = s.WriteRecords(db, records, outcomes);
  if (!status.ok()) return poison(status);
  s.RememberWritten(records);
  return Status::Ok();
}

Result<PutOutcome> RecordStore::Writer::Revoke(const std::string& id) {
  ENTENTE_ASSIGN_OR_RETURN(Record current, store_->Get(id));
  if (MetaOf(current).revoked) {
    PutOutcome unchanged;
    unchanged.effect = PutOutcome::Effect::kUnchanged;
    unchanged.version = MetaOf(current).version;
    return unchanged;
  }
  MetaOf(current).revoked = true;
  MetaOf(current).modified.clear();
  return Put(current);
}

Status RecordStore::Writer::Commit() {
  if (committed_) return Internal("writer already committed");
  if (!failed_.ok()) return failed_.WithContext("not committed after an earlier write failed");
  Database& db = *store_->db_;
  ENTENTE_RETURN_IF_ERROR(
      db.Execute("UPDATE change_counter SET value = ? WHERE singleton = 1", {next_seq_ - 1}));
  ENTENTE_RETURN_IF_ERROR(tx_->Commit());
  committed_ = true;
  return Status::Ok();
}

Result<WriteSummary> RecordStore::PutAll(const std::vector<Record>& records) {
  ENTENTE_ASSIGN_OR_RETURN(auto writer, BeginWrite());
  ENTENTE_RETURN_IF_ERROR(writer->PutBatch(records, nullptr));
  ENTENTE_RETURN_IF_ERROR(writer->Commit());
  return writer->summary();
}

Result<Record> RecordStore::Get(const std::string& id) {
  ENTENTE_ASSIGN_OR_RETURN(auto rows,
                           db_->Query("SELECT rv.body FROM records r JOIN record_versions rv"
                                      " ON rv.change_seq = r.change_seq WHERE r.id = ?",
                                      {id}));
  if (rows.empty()) return NotFound("no record " + id);
  return ParseBody(rows[0].Text(0));
}

Result<Entity> RecordStore::GetEntity(const std::string& id) {
  ENTENTE_ASSIGN_OR_RETURN(Record record, Get(id));
  if (auto* e = std::get_if<Entity>(&record)) return std::move(*e);
  return InvalidArgument(id + " is a relationship, not an entity");
}

Result<Record> RecordStore::GetVersion(const std::string& id, int version) {
  ENTENTE_ASSIGN_OR_RETURN(
      auto rows, db_->Query("SELECT body FROM record_versions WHERE id = ? AND version = ?",
                            {id, int64_t{version}}));
  if (rows.empty()) return NotFound("no version " + std::to_string(version) + " of " + id);
  return ParseBody(rows[0].Text(0));
}

Result<std::vector<Record>> RecordStore::History(const std::string& id) {
  ENTENTE_ASSIGN_OR_RETURN(
      auto rows,
      db_->Query("SELECT body FROM record_versions WHERE id = ? ORDER BY version", {id}));
  if (rows.empty()) return NotFound("no record " + id);
  std::vector<Record> out;
  for (const SqlRow& row : rows) {
    ENTENTE_ASSIGN_OR_RETURN(Record r, ParseBody(row.Text(0)));
    out.push_back(std::move(r));
  }
  return out;
}

namespace {

// The change feed after `after_seq`, oldest first, at most `limit` entries when given.
// `fn` may move from the change it is given.
Status ScanChanges(Database& db, int64_t after_seq, std::optional<int64_t> limit,
                   const std::function<bool(Change&)>& fn) {
  std::vector<SqlValue> params{after_seq};
  std::string sql =
      "SELECT change_seq, change_kind, body FROM record_versions WHERE change_seq > ?"
      " ORDER BY change_seq";
  if (limit) {
    sql += " LIMIT ?";
    params.push_back(*limit);
  }
  Status inner;
  Status s = db.QueryEach(sql, params, [&](const SqlRow& row) {
    auto record = ParseBody(row.Text(2));
    if (!record.ok()) {
      inner = record.status();
      return false;
    }
    Change change{row.Int(0), ChangeKind::kCreated, std::move(record).value()};
    std::string kind = row.Text(1);
    if (kind == "updated") change.kind = ChangeKind::kUpdated;
    if (kind == "revoked") change.kind = ChangeKind::kRevoked;
    return fn(change);
  });
  ENTENTE_RETURN_IF_ERROR(s);
  return inner;
}

}  // namespace

Status RecordStore::ForEachChangeSince(int64_t after_seq,
                                       const std::function<bool(const Change&)>& fn) {
  return ScanChanges(*db_, after_seq, std::nullopt, [&fn](Change& change) { return fn(change); });
}

Result<std::vector<Change>> RecordStore::ChangesSince(int64_t after_seq, int64_t limit) {
  std::vector<Change> out;
  ENTENTE_RETURN_IF_ERROR(ScanChanges(*db_, after_seq, limit, [&out](Change& change) {
    out.push_back(std::move(change));
    return true;
  }));
  return out;
}

int64_t RecordStore::MaxChangeSeq() {
  auto rows = db_->Query("SELECT value FROM change_counter WHERE singleton = 1");
  if (!rows.ok() || rows->empty()) return 0;
  return (*rows)[0].Int(0);
}

Status RecordStore::ForEachRecord(const RecordFilter& filter,
                                  const std::function<bool(const Record&)>& fn) {
  std::string sql =
      "SELECT rv.body FROM records r JOIN record_versions rv ON rv.change_seq = r.change_seq"
      " WHERE 1 = 1";
  std::vector<SqlValue> params;
  AppendFilter(filter, &sql, &params);
  sql += " ORDER BY r.change_seq";
  Status inner;
  Status s = db_->QueryEach(sql, params, [&](const SqlRow& row) {
    auto record = ParseBody(row.Text(0));
    if (!record.ok()) {
      inner = record.status();
      return false;
    }
    return fn(*record);
  });
  ENTENTE_RETURN_IF_ERROR(s);
  return inner;
}

Result<std::vector<Relationship>> RecordStore::RelationshipsOf(const std::string& entity_id) {
  ENTENTE_ASSIGN_OR_RETURN(
      auto rows,
      db_->Query("SELECT rv.body FROM records r JOIN record_versions rv ON rv.change_seq ="
                 " r.change_seq WHERE r.kind = 'relationship' AND r.revoked = 0 AND"
                 " (r.source_id = ? OR r.target_id = ?) ORDER BY r.id",
                 {entity_id, entity_id}));
  std::vector<Relationship> out;
  for (const SqlRow& row : rows) {
    ENTENTE_ASSIGN_OR_RETURN(Record r, ParseBody(row.Text(0)));
    if (auto* rel = std::get_if<Relationship>(&r)) out.push_back(std::move(*rel));
  }
  return out;
}

Result<std::vector<Entity>> RecordStore::SearchNames(const std::string& text,
                                                     const RecordFilter& filter, int64_t limit) {
  std::string needle = LowerName(text);
  if (needle.empty()) return InvalidArgument("field text: the search text is empty");
  std::string escaped;
  for (char c : needle) {
    if (c == '%' || c == '_' || c == '\\') escaped.push_back('\\');
    escaped.push_back(c);
  }
  std::string sql =
      "SELECT rv.body FROM records r JOIN record_versions rv ON rv.change_seq = r.change_seq"
      " WHERE r.names LIKE ? ESCAPE '\\'";
  std::vector<SqlValue> params{"%" + escaped + "%"};
  AppendFilter(filter, &sql, &params);
  sql += " ORDER BY r.id LIMIT ?";
  params.push_back(limit);
  ENTENTE_ASSIGN_OR_RETURN(auto rows, db_->Query(sql, params));
  std::vector<Entity> out;
  for (const SqlRow& row : rows) {
    ENTENTE_ASSIGN_OR_RETURN(Record r, ParseBody(row.Text(0)));
    if (auto* e = std::get_if<Entity>(&r)) out.push_back(std::move(*e));
  }
  return out;
}

Result<Record> RecordStore::FindBySourceRecord(const std::string& source,
                                               const std::string& source_record_id) {
  ENTENTE_ASSIGN_OR_RETURN(auto rows,
                           db_->Query("SELECT rv.body FROM records r JOIN record_versions rv ON"
                                      " rv.change_seq = r.change_seq WHERE r.source = ? AND"
                                      " r.source_record_id = ? ORDER BY r.revoked, r.id LIMIT 1",
                                      {source, source_record_id}));
  if (rows.empty()) return NotFound("no record from " + source + " with id " + source_record_id);
  return ParseBody(rows[0].Text(0));
}

Result<StoreStats> RecordStore::Stats() {
  StoreStats stats;
  ENTENTE_ASSIGN_OR_RETURN(
      auto totals, db_->Query("SELECT COALESCE(SUM(CASE WHEN revoked = 0 THEN 1 ELSE 0 END), 0),"
                              " COALESCE(SUM(revoked), 0) FROM records"));
  stats.records = totals[0].Int(0);
  stats.revoked = totals[0].Int(1);
  ENTENTE_ASSIGN_OR_RETURN(auto versions, db_->Query("SELECT COUNT(*) FROM record_versions"));
  stats.versions = versions[0].Int(0);
  stats.max_change_seq = MaxChangeSeq();
  auto group = [&](const char* column,
                   std::vector<std::pair<std::string, int64_t>>* out) -> Status {
    std::string sql = std::string("SELECT ") + column +
                      ", COUNT(*) FROM records WHERE revoked = 0"
                      " GROUP BY " +
                      column + " ORDER BY COUNT(*) DESC, " + column;
    ENTENTE_ASSIGN_OR_RETURN(auto rows, db_->Query(sql));
    for (const SqlRow& row : rows) out->emplace_back(row.Text(0), row.Int(1));
    return Status::Ok();
  };
  ENTENTE_RETURN_IF_ERROR(group("kind", &stats.by_type));
  ENTENTE_RETURN_IF_ERROR(group("category", &stats.by_category));
  ENTENTE_RETURN_IF_ERROR(group("source", &stats.by_source));
  ENTENTE_RETURN_IF_ERROR(group("service", &stats.by_service));
  return stats;
}

}  // namespace entente
