#include "exchange/taxii_collections.h"

#include <algorithm>

#include "common/ids.h"
#include "common/text.h"
#include "common/time.h"
#include "exchange/exchange_store.h"
#include "exchange/wire.h"

namespace entente::exchange {
namespace {

Status CheckCollection(Database& db, const ConfiguredCollection& c) {
  if (!IsValidStixId("x-collection--" + c.id))
    return InvalidArgument("collection id \"" + c.id + "\" is not a UUID");
  if (Trim(c.title).empty()) return InvalidArgument("collection " + c.id + ": the title is empty");
  for (const std::string& m : c.media_types) {
    std::string t = ToLowerAscii(m);
    t.erase(std::remove(t.begin(), t.end(), ' '), t.end());
    if (t != kStixMediaType && t != "application/stix+json")
      return InvalidArgument("collection " + c.id + ": media type \"" + m +
                             "\" is not STIX 2.1 JSON (" + kStixMediaType + ")");
  }
  if (auto root = GetApiRoot(db, c.api_root); !root.ok())
    return InvalidArgument("collection " + c.id + ": " + root.status().message() +
                           " (entente taxii roots list)");
  if (!c.agreement.empty()) {
    auto a = ExchangeStore(&db).GetAgreement(c.agreement);
    if (!a.ok())
      return InvalidArgument("collection " + c.id + ": no agreement with partner \"" + c.agreement +
                             "\" (entente share agreements)");
  }
  return Status::Ok();
}

Result<std::vector<StoredGrant>> GrantsOf(Database& db, const std::string& id) {
  ENTENTE_ASSIGN_OR_RETURN(auto rows, db.Query("SELECT grantee, can_read, can_write FROM"
                                               " taxii_collection_grants WHERE collection = ?"
                                               " ORDER BY grantee",
                                               {id}));
  std::vector<StoredGrant> out;
  for (const SqlRow& row : rows) out.push_back({row.Text(0), row.Int(1) != 0, row.Int(2) != 0});
  return out;
}

Result<ConfiguredCollection> FromRow(Database& db, const SqlRow& row) {
  ConfiguredCollection c;
  c.id = row.Text(0);
  c.title = row.Text(1);
  c.description = row.Text(2);
  c.media_types = SplitNonEmpty(row.Text(3), ',');
  c.agreement = row.Text(4);
  c.api_root = row.Text(5);
  ENTENTE_ASSIGN_OR_RETURN(c.grants, GrantsOf(db, c.id));
  return c;
}

constexpr char kSelect[] =
    "SELECT id, title, description, media_types, agreement, api_root FROM taxii_collections";

}  // namespace

Status AddConfiguredCollection(Database& db, ConfiguredCollection* c) {
  if (c->id.empty()) {
    std::string random = RandomId("x-collection");
    c->id = random.substr(random.find("--") + 2);
  }
  if (c->media_types.empty()) c->media_types = {kStixMediaType};
  ENTENTE_RETURN_IF_ERROR(CheckCollection(db, *c));
  ENTENTE_ASSIGN_OR_RETURN(auto taken,
                           db.Query("SELECT 1 FROM taxii_collections WHERE id = ?", {c->id}));
  ExchangeStore xs(&db);
  bool agreement_owned = xs.GetCollection(c->id).ok();
  if (!taken.empty() || agreement_owned) return Conflict("collection " + c->id + " already exists");
  return db.Execute(
      "INSERT INTO taxii_collections (id, title, description, media_types, agreement, api_root,"
      " created) VALUES (?,?,?,?,?,?,?)",
      {c->id, c->title, c->description, Join(c->media_types, ","), c->agreement, c->api_root,
       NowTimestamp()});
}

Result<std::vector<ConfiguredCollection>> ListConfiguredCollections(Database& db) {
  ENTENTE_ASSIGN_OR_RETURN(auto rows, db.Query(std::string(kSelect) + " ORDER BY created, id"));
  std::vector<ConfiguredCollection> out;
  for (const SqlRow& row : rows) {
    ENTENTE_ASSIGN_OR_RETURN(ConfiguredCollection c, FromRow(db, row));
    out.push_back(std::move(c));
  }
  return out;
}

Result<ConfiguredCollection> GetConfiguredCollection(Database& db, const std::string& id) {
  ENTENTE_ASSIGN_OR_RETURN(auto rows, db.Query(std::string(kSelect) + " WHERE id = ?", {id}));
  if (rows.empty()) return NotFound("no configured collection " + id);
  return FromRow(db, rows[0]);
}

Status GrantConfiguredCollection(Database& db, const std::string& id, const StoredGrant& grant) {
  ENTENTE_ASSIGN_OR_RETURN(auto rows,
                           db.Query("SELECT 1 FROM taxii_collections WHERE id = ?", {id}));
  if (rows.empty())
    return NotFound("no configured collection " + id + " (entente taxii collections list)");
  if (!grant.can_read && !grant.can_write)
    return db.Execute("DELETE FROM taxii_collection_grants WHERE collection = ? AND grantee = ?",
                      {id, grant.grantee});
  return db.Execute(
      "INSERT INTO taxii_collection_grants (collection, grantee, can_read, can_write)"
      " VALUES (?,?,?,?) ON CONFLICT (collection, grantee) DO UPDATE SET"
      " can_read = excluded.can_read, can_write = excluded.can_write",
      {id, grant.grantee, static_cast<int64_t>(grant.can_read),
       static_cast<int64_t>(grant.can_write)});
}

}  // namespace entente::exchange
