#include "store/record_store.h"

#include "common/ids.h"
#include "common/text.h"
#include "common/time.h"
#include "store/migrations.h"

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
};

std::string KindOf(const Record& record) {
  if (auto* e = std::get_if<Entity>(&record)) return std::string(EntityTypeName(e->type));
  return "relationship";
}

// Hash of the content that matters: volatile bookkeeping (version, timestamps, sequence,
// last_seen) is cleared first, so re-importing the same data hashes the same.
std::string ContentHash(Record record) {
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
    case ChangeKind::kCreated: return "created";
    case ChangeKind::kUpdated: return "updated";
    case ChangeKind::kRevoked: return "revoked";
  }
  return "created";
}

Status RecordStore::Migrate(Database& db) { return ApplyMigrations(db, "records", kRecordStoreSchema); }

Result<std::unique_ptr<RecordStore::Writer>> RecordStore::BeginWrite() {
  std::unique_ptr<Writer> writer(new Writer(this));
  writer->tx_ = std::make_unique<Transaction>(db_);
  ENTENTE_RETURN_IF_ERROR(writer->tx_->status());
  // Touching the counter row takes its lock on PostgreSQL; SQLite already holds the write lock.
  ENTENTE_ASSIGN_OR_RETURN(
      auto rows, db_->Query("UPDATE change_counter SET value = value WHERE singleton = 1 "
                            "RETURNING value"));
  if (rows.empty()) return Corruption("change_counter row is missing");
  writer->next_seq_ = rows[0].Int(0) + 1;
  return writer;
}

RecordStore::Writer::~Writer() = default;

Result<PutOutcome> RecordStore::Writer::Put(const Record& input) {
  if (committed_) return Internal("writer already committed");
  ENTENTE_RETURN_IF_ERROR(ValidateRecord(input));
  Database& db = *store_->db_;
  Record record = input;
  RecordMeta& meta = MetaOf(record);
  std::string hash = ContentHash(record);
  ENTENTE_ASSIGN_OR_RETURN(
      auto existing,
      db.Query("SELECT version, content_hash, created, revoked FROM records WHERE id = ?",
               {meta.id}));
  PutOutcome outcome;
  std::string now = NowTimestamp();
  ChangeKind kind = ChangeKind::kCreated;
  if (!existing.empty()) {
    if (existing[0].Text(1) == hash) {
      outcome.effect = PutOutcome::Effect::kUnchanged;
      outcome.version = static_cast<int>(existing[0].Int(0));
      ++summary_.unchanged;
      return outcome;
    }
    outcome.effect = PutOutcome::Effect::kUpdated;
    meta.version = static_cast<int>(existing[0].Int(0)) + 1;
    meta.created = existing[0].Text(2);
    kind = meta.revoked ? ChangeKind::kRevoked : ChangeKind::kUpdated;
  } else {
    meta.version = 1;
    if (meta.created.empty()) meta.created = now;
  }
  // A given modified time is kept (partner data keeps the partner's); otherwise now.
  if (meta.modified.empty() || meta.modified < meta.created) meta.modified = now;
  if (meta.provenance.first_seen.empty()) meta.provenance.first_seen = meta.created;
  if (meta.provenance.last_seen.empty()) meta.provenance.last_seen = meta.modified;
  meta.change_seq = next_seq_++;
  std::string body = RecordToJson(record);

  ENTENTE_RETURN_IF_ERROR(db.Execute(
      "INSERT INTO record_versions (change_seq, id, version, change_kind, body) VALUES (?,?,?,?,?)",
      {meta.change_seq, meta.id, int64_t{meta.version}, std::string(ChangeKindName(kind)), body}));
  const Relationship* rel = std::get_if<Relationship>(&record);
  SqlValue source_id = rel ? SqlValue(rel->source_id) : SqlValue();
  SqlValue target_id = rel ? SqlValue(rel->target_id) : SqlValue();
  ENTENTE_RETURN_IF_ERROR(db.Execute(
      "INSERT INTO records (id, kind, version, change_seq, content_hash, revoked, service, source,"
      " source_record_id, category, tlp, source_id, target_id, created, modified)"
      " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
      " ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, version = excluded.version,"
      " change_seq = excluded.change_seq, content_hash = excluded.content_hash,"
      " revoked = excluded.revoked, service = excluded.service, source = excluded.source,"
      " source_record_id = excluded.source_record_id, category = excluded.category,"
      " tlp = excluded.tlp, source_id = excluded.source_id, target_id = excluded.target_id,"
      " modified = excluded.modified",
      {meta.id, KindOf(record), int64_t{meta.version}, meta.change_seq, hash,
       int64_t{meta.revoked ? 1 : 0}, meta.provenance.service, meta.provenance.source,
       meta.provenance.source_record_id, std::string(ThreatCategoryName(meta.category)),
       int64_t{static_cast<int>(meta.marking.tlp)}, source_id, target_id, meta.created,
       meta.modified}));
  if (const Entity* e = std::get_if<Entity>(&record)) {
    if (!existing.empty())
      ENTENTE_RETURN_IF_ERROR(db.Execute("DELETE FROM record_names WHERE id = ?", {meta.id}));
    for (const Name& n : e->names) {
      if (Trim(n.full).empty()) continue;
      ENTENTE_RETURN_IF_ERROR(db.Execute("INSERT INTO record_names (id, name) VALUES (?, ?)",
                                         {meta.id, LowerName(n.full)}));
    }
  }
  outcome.version = meta.version;
  outcome.change_seq = meta.change_seq;
  summary_.last_change_seq = meta.change_seq;
  if (outcome.effect == PutOutcome::Effect::kCreated) {
    ++summary_.created;
  } else if (kind == ChangeKind::kRevoked) {
    ++summary_.revoked;
  } else {
    ++summary_.updated;
  }
  return outcome;
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
  Database& db = *store_->db_;
  ENTENTE_RETURN_IF_ERROR(db.Execute("UPDATE change_counter SET value = ? WHERE singleton = 1",
                                     {next_seq_ - 1}));
  ENTENTE_RETURN_IF_ERROR(tx_->Commit());
  committed_ = true;
  return Status::Ok();
}

Result<WriteSummary> RecordStore::PutAll(const std::vector<Record>& records) {
  ENTENTE_ASSIGN_OR_RETURN(auto writer, BeginWrite());
  for (size_t i = 0; i < records.size(); ++i) {
    auto outcome = writer->Put(records[i]);
    if (!outcome.ok())
      return outcome.status().WithContext("record " + std::to_string(i + 1) + " (" +
                                          MetaOf(records[i]).id + ")");
  }
  ENTENTE_RETURN_IF_ERROR(writer->Commit());
  return writer->summary();
}

Result<Record> RecordStore::Get(const std::string& id) {
  ENTENTE_ASSIGN_OR_RETURN(
      auto rows, db_->Query("SELECT rv.body FROM records r JOIN record_versions rv"
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
      auto rows, db_->Query("SELECT body FROM record_versions WHERE id = ? ORDER BY version", {id}));
  if (rows.empty()) return NotFound("no record " + id);
  std::vector<Record> out;
  for (const SqlRow& row : rows) {
    ENTENTE_ASSIGN_OR_RETURN(Record r, ParseBody(row.Text(0)));
    out.push_back(std::move(r));
  }
  return out;
}

Status RecordStore::ForEachChangeSince(int64_t after_seq,
                                       const std::function<bool(const Change&)>& fn) {
  Status inner;
  Status s = db_->QueryEach(
      "SELECT change_seq, change_kind, body FROM record_versions WHERE change_seq > ?"
      " ORDER BY change_seq",
      {after_seq}, [&](const SqlRow& row) {
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

Result<std::vector<Change>> RecordStore::ChangesSince(int64_t after_seq, int64_t limit) {
  std::vector<Change> out;
  Status inner;
  Status s = db_->QueryEach(
      "SELECT change_seq, change_kind, body FROM record_versions WHERE change_seq > ?"
      " ORDER BY change_seq LIMIT ?",
      {after_seq, limit}, [&](const SqlRow& row) {
        auto record = ParseBody(row.Text(2));
        if (!record.ok()) {
          inner = record.status();
          return false;
        }
        Change change{row.Int(0), ChangeKind::kCreated, std::move(record).value()};
        std::string kind = row.Text(1);
        if (kind == "updated") change.kind = ChangeKind::kUpdated;
        if (kind == "revoked") change.kind = ChangeKind::kRevoked;
        out.push_back(std::move(change));
        return true;
      });
  ENTENTE_RETURN_IF_ERROR(s);
  ENTENTE_RETURN_IF_ERROR(inner);
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
      " WHERE r.id IN (SELECT id FROM record_names WHERE name LIKE ? ESCAPE '\\')";
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
  ENTENTE_ASSIGN_OR_RETURN(
      auto rows, db_->Query("SELECT rv.body FROM records r JOIN record_versions rv ON"
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
    std::string sql = std::string("SELECT ") + column + ", COUNT(*) FROM records WHERE revoked = 0"
                      " GROUP BY " + column + " ORDER BY COUNT(*) DESC, " + column;
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
