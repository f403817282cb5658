#include "exchange/exchange_store.h"

#include "audit/audit_log.h"
#include "common/ids.h"
#include "common/time.h"
#include "store/migrations.h"

namespace entente::exchange {
namespace {

const std::vector<std::string> kSchema = {
    R"sql(
CREATE TABLE exchange_node_key (
  singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
  public_key TEXT NOT NULL,
  secret_key TEXT NOT NULL,
  created TEXT NOT NULL
);
CREATE TABLE exchange_agreements (
  partner TEXT PRIMARY KEY,
  toml TEXT NOT NULL,
  hash TEXT NOT NULL,
  updated TEXT NOT NULL
);
CREATE TABLE exchange_collections (
  id TEXT PRIMARY KEY,
  partner TEXT NOT NULL,
  direction TEXT NOT NULL,
  title TEXT NOT NULL,
  description TEXT NOT NULL
);
CREATE TABLE exchange_objects (
  collection TEXT NOT NULL,
  seq BIGINT NOT NULL,
  object_id TEXT NOT NULL,
  object_type TEXT NOT NULL,
  version TEXT NOT NULL,
  date_added TEXT NOT NULL,
  source_change_seq BIGINT NOT NULL DEFAULT 0,
  body TEXT NOT NULL,
  PRIMARY KEY (collection, seq)
);
CREATE INDEX exchange_objects_by_id ON exchange_objects (collection, object_id, seq);
CREATE INDEX exchange_objects_by_added ON exchange_objects (collection, date_added);
CREATE TABLE exchange_shared (
  collection TEXT NOT NULL,
  record_id TEXT NOT NULL,
  object_id TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  modified TEXT NOT NULL,
  revoked INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (collection, record_id)
);
CREATE TABLE exchange_publish (
  collection TEXT PRIMARY KEY,
  change_seq BIGINT NOT NULL,
  agreement_hash TEXT NOT NULL,
  last_seq BIGINT NOT NULL,
  last_date_added TEXT NOT NULL
);
CREATE TABLE exchange_cursors (
  partner TEXT PRIMARY KEY,
  added_after TEXT NOT NULL,
  objects BIGINT NOT NULL,
  rejected BIGINT NOT NULL,
  updated TEXT NOT NULL
);
CREATE TABLE exchange_status (
  id TEXT PRIMARY KEY,
  collection TEXT NOT NULL,
  partner TEXT NOT NULL,
  created TEXT NOT NULL,
  body TEXT NOT NULL
);
CREATE TABLE exchange_rejections (
  id {{SERIAL_PK}},
  partner TEXT NOT NULL,
  object_id TEXT NOT NULL,
  reason TEXT NOT NULL,
  at TEXT NOT NULL
);
)sql",
    R"sql(
CREATE TABLE taxii_collections (
  id TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  description TEXT NOT NULL,
  media_types TEXT NOT NULL,
  agreement TEXT NOT NULL,
  created TEXT NOT NULL
);
CREATE TABLE taxii_collection_grants (
  collection TEXT NOT NULL,
  grantee TEXT NOT NULL,
  can_read INTEGER NOT NULL,
  can_write INTEGER NOT NULL,
  PRIMARY KEY (collection, grantee)
);
)sql",
    // Several TAXII API roots (taxii_roots.h): configured collections belong to one; those
    // made before belong to the default root.
    R"sql(
CREATE TABLE taxii_api_roots (
  name TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  description TEXT NOT NULL,
  created TEXT NOT NULL
);
ALTER TABLE taxii_collections ADD COLUMN api_root TEXT NOT NULL DEFAULT 'entente';
)sql",
};

Result<Agreement> FromRow(const SqlRow& row) {
  auto a = ParseAgreement(row.Text(1), "stored agreement " + row.Text(0));
  if (!a.ok()) return Corruption(a.status().message());
  return a;
}

}  // namespace

Status ExchangeStore::Migrate(Database& db) {
  // Pulls and POSTs write audit entries in their own transactions: the audit tables too.
  ENTENTE_RETURN_IF_ERROR(server::AuditLog::Migrate(db));
  return ApplyMigrations(db, "exchange", kSchema);
}

Result<SigningKey> ExchangeStore::NodeKey() {
  ENTENTE_ASSIGN_OR_RETURN(auto rows,
                           db_->Query("SELECT public_key, secret_key FROM exchange_node_key"));
  if (rows.empty()) return NotFound("this node has no signing key yet (entente share keygen)");
  return SigningKey{rows[0].Text(0), rows[0].Text(1)};
}

Result<SigningKey> ExchangeStore::EnsureNodeKey() {
  auto existing = NodeKey();
  if (existing.ok() || existing.status().code() != StatusCode::kNotFound) return existing;
  SigningKey key = GenerateSigningKey();
  Status s = db_->Execute(
      "INSERT INTO exchange_node_key (singleton, public_key, secret_key, created) VALUES (1,?,?,?)"
      " ON CONFLICT (singleton) DO NOTHING",
      {key.public_key, key.secret_key, NowTimestamp()});
  ENTENTE_RETURN_IF_ERROR(s);
  return NodeKey();
}

std::string ExchangeStore::OutboundCollectionId(const std::string& partner) {
  std::string id = DeterministicId("collection", "entente-out", partner);
  return id.substr(id.find("--") + 2);
}

std::string ExchangeStore::InboundCollectionId(const std::string& partner) {
  std::string id = DeterministicId("collection", "entente-in", partner);
  return id.substr(id.find("--") + 2);
}

Status ExchangeStore::EnsureCollections(const Agreement& a) {
  const std::string& p = a.partner.name;
  ENTENTE_RETURN_IF_ERROR(db_->Execute(
      "INSERT INTO exchange_collections (id, partner, direction, title, description)"
      " VALUES (?,?,?,?,?) ON CONFLICT (id) DO NOTHING",
      {OutboundCollectionId(p), p, std::string("out"), "Shared with " + p,
       "Records this node shares with " + a.partner.service + " under the agreement"}));
  return db_->Execute(
      "INSERT INTO exchange_collections (id, partner, direction, title, description)"
      " VALUES (?,?,?,?,?) ON CONFLICT (id) DO NOTHING",
      {InboundCollectionId(p), p, std::string("in"), "Contributions from " + p,
       "Objects " + a.partner.service + " sends to this node (when the agreement allows writing)"});
}

Status ExchangeStore::PutAgreement(const Agreement& a) {
  bool own_tx = !db_->InTransaction();
  if (own_tx) ENTENTE_RETURN_IF_ERROR(db_->BeginWrite());
  Status s = db_->Execute(
      "INSERT INTO exchange_agreements (partner, toml, hash, updated) VALUES (?,?,?,?)"
      " ON CONFLICT (partner) DO UPDATE SET toml = excluded.toml, hash = excluded.hash,"
      " updated = excluded.updated",
      {a.partner.name, a.toml, a.hash, NowTimestamp()});
  if (s.ok()) s = EnsureCollections(a);
  if (own_tx) {
    if (!s.ok()) {
      (void)db_->Rollback();
      return s;
    }
    return db_->Commit();
  }
  return s;
}

Status ExchangeStore::DeleteAgreement(const std::string& partner) {
  ENTENTE_RETURN_IF_ERROR(
      db_->Execute("DELETE FROM exchange_agreements WHERE partner = ?", {partner}));
  if (db_->ChangedRows() == 0) return NotFound("no agreement with partner " + partner);
  return Status::Ok();
}

Result<Agreement> ExchangeStore::GetAgreement(const std::string& partner) {
  ENTENTE_ASSIGN_OR_RETURN(
      auto rows,
      db_->Query("SELECT partner, toml FROM exchange_agreements WHERE partner = ?", {partner}));
  if (rows.empty()) return NotFound("no agreement with partner " + partner);
  return FromRow(rows[0]);
}

Result<std::vector<Agreement>> ExchangeStore::ListAgreements() {
  ENTENTE_ASSIGN_OR_RETURN(
      auto rows, db_->Query("SELECT partner, toml FROM exchange_agreements ORDER BY partner"));
  std::vector<Agreement> out;
  for (const SqlRow& row : rows) {
    ENTENTE_ASSIGN_OR_RETURN(Agreement a, FromRow(row));
    out.push_back(std::move(a));
  }
  return out;
}

Result<Agreement> ExchangeStore::AgreementForPrincipal(const std::string& user,
                                                       const std::string& partner,
                                                       const std::string& service) {
  ENTENTE_ASSIGN_OR_RETURN(auto all, ListAgreements());
  for (Agreement& a : all)
    if (ActsFor(a, user, partner, service)) return std::move(a);
  return NotFound("no agreement names " + (partner.empty() ? user : partner));
}

Result<std::vector<CollectionInfo>> ExchangeStore::ListCollections() {
  ENTENTE_ASSIGN_OR_RETURN(
      auto rows,
      db_->Query(
          "SELECT c.id, c.partner, c.direction, c.title, c.description FROM exchange_collections c"
          " JOIN exchange_agreements a ON a.partner = c.partner ORDER BY c.partner, c.direction "
          "DESC"));
  std::vector<CollectionInfo> out;
  for (const SqlRow& row : rows) {
    CollectionInfo c{row.Text(0), row.Text(1), row.Text(2), row.Text(3), row.Text(4)};
    if (c.direction == "out") {
      c.can_read = true;
    } else {
      // The partner reads back what it wrote (and what it wrote only).
      auto a = GetAgreement(c.partner);
      c.can_read = true;
      c.can_write = a.ok() && a->may_write;
    }
    out.push_back(std::move(c));
  }
  return out;
}

Result<CollectionInfo> ExchangeStore::GetCollection(const std::string& id) {
  ENTENTE_ASSIGN_OR_RETURN(auto all, ListCollections());
  for (CollectionInfo& c : all)
    if (c.id == id) return std::move(c);
  return NotFound("no collection " + id);
}

Result<SyncCursor> ExchangeStore::GetCursor(const std::string& partner) {
  ENTENTE_ASSIGN_OR_RETURN(
      auto rows, db_->Query("SELECT added_after, objects, rejected, updated FROM exchange_cursors"
                            " WHERE partner = ?",
                            {partner}));
  SyncCursor c;
  c.partner = partner;
  if (!rows.empty()) {
    c.added_after = rows[0].Text(0);
    c.objects = rows[0].Int(1);
    c.rejected = rows[0].Int(2);
    c.updated = rows[0].Text(3);
  }
  return c;
}

Status ExchangeStore::PutCursor(const SyncCursor& c) {
  return db_->Execute(
      "INSERT INTO exchange_cursors (partner, added_after, objects, rejected, updated)"
      " VALUES (?,?,?,?,?) ON CONFLICT (partner) DO UPDATE SET added_after = excluded.added_after,"
      " objects = excluded.objects, rejected = excluded.rejected, updated = excluded.updated",
      {c.partner, c.added_after, c.objects, c.rejected, NowTimestamp()});
}

Status ExchangeStore::AddRejection(const std::string& partner, const std::string& object_id,
                                   const std::string& reason) {
  return db_->Execute(
      "INSERT INTO exchange_rejections (partner, object_id, reason, at) VALUES (?,?,?,?)",
      {partner, object_id, reason, NowTimestamp()});
}

Result<int64_t> ExchangeStore::CountRejections(const std::string& partner) {
  ENTENTE_ASSIGN_OR_RETURN(
      auto rows,
      db_->Query("SELECT COUNT(*) FROM exchange_rejections WHERE partner = ?", {partner}));
  return rows.empty() ? 0 : rows[0].Int(0);
}

}  // namespace entente::exchange
