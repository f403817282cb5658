#include "api/taxii_routes_access.h"

#include <algorithm>

#include "auth/collection_access.h"
#include "auth/policy.h"
#include "exchange/stix_mapping.h"
#include "exchange/taxii_collections.h"
#include "exchange/wire.h"
#include "model/types.h"

namespace entente::exchange {
namespace {

using server::RequestContext;

// Only a partner account acts for a sharing agreement; every other role reaches collections
// through their grants alone.
std::optional<Agreement> CallerAgreement(RequestContext& ctx, Status* error) {
  if (ctx.principal.role != server::Role::kPartner) return std::nullopt;
  ExchangeStore xs(&ctx.db);
  auto a =
      xs.AgreementForPrincipal(ctx.principal.user, ctx.principal.partner, ctx.principal.service);
  if (a.ok()) return std::move(*a);
  if (a.status().code() != StatusCode::kNotFound) *error = a.status();
  return std::nullopt;
}

TaxiiAccess FromAgreementCollection(const CollectionInfo& c, const Agreement& a) {
  TaxiiAccess access;
  access.collection = c;
  access.media_types = {kStixMediaType};
  access.agreement = a;
  access.publishes = c.direction == "out";
  access.owner = a.partner.name;
  access.api_root = kDefaultApiRoot;
  return access;
}

Result<TaxiiAccess> FromConfigured(RequestContext& ctx, const ConfiguredCollection& c) {
  std::vector<server::CollectionGrant> grants;
  for (const StoredGrant& g : c.grants) {
    auto parsed = server::ParseCollectionGrant(g.grantee, "none");
    if (!parsed.ok()) continue;  // a grantee this version does not know names nobody
    parsed->can_read = g.can_read;
    parsed->can_write = g.can_write;
    grants.push_back(std::move(*parsed));
  }
  server::CollectionRights rights = server::DecideCollectionAccess(ctx.principal, grants);
  TaxiiAccess access;
  access.configured = true;
  access.collection = {c.id,          c.agreement,     "configured",    c.title,
                       c.description, rights.can_read, rights.can_write};
  access.media_types = c.media_types;
  access.owner = "user:" + ctx.principal.user;
  access.api_root = c.api_root;
  if (!c.agreement.empty()) {
    ENTENTE_ASSIGN_OR_RETURN(Agreement a, ExchangeStore(&ctx.db).GetAgreement(c.agreement));
    access.agreement = std::move(a);
    access.publishes = true;
  }
  return access;
}

}  // namespace

std::vector<std::string> StatusOwners(RequestContext& ctx) {
  std::vector<std::string> owners = {"user:" + ctx.principal.user};
  Status error;
  if (auto a = CallerAgreement(ctx, &error)) owners.push_back(a->partner.name);
  return owners;
}

Result<std::vector<TaxiiAccess>> VisibleCollections(RequestContext& ctx, const std::string& root) {
  std::vector<TaxiiAccess> out;
  Status error;
  std::optional<Agreement> agreement = CallerAgreement(ctx, &error);
  ENTENTE_RETURN_IF_ERROR(error);
  if (agreement && root == kDefaultApiRoot) {
    ENTENTE_ASSIGN_OR_RETURN(auto all, ExchangeStore(&ctx.db).ListCollections());
    for (const CollectionInfo& c : all)
      if (c.partner == agreement->partner.name)
        out.push_back(FromAgreementCollection(c, *agreement));
  }
  ENTENTE_ASSIGN_OR_RETURN(auto configured, ListConfiguredCollections(ctx.db));
  for (const ConfiguredCollection& c : configured) {
    if (c.api_root != root) continue;
    ENTENTE_ASSIGN_OR_RETURN(TaxiiAccess access, FromConfigured(ctx, c));
    if (access.collection.can_read || access.collection.can_write) out.push_back(std::move(access));
  }
  return out;
}

// A collection the caller may not see answers exactly as one that does not exist: neither the
// status nor the text tells them apart (collection ids of agreements are derived from partner
// names, so a 403 would confirm an agreement to anyone who can compute one).
static Status NoCollection(const std::string& root, const std::string& id) {
  return NotFound("no collection " + id + " in API root " + root);
}

Result<TaxiiAccess> ResolveCollection(RequestContext& ctx, const std::string& root,
                                      const std::string& id) {
  auto home = RootOfCollection(ctx.db, id);
  if (!home.ok() && home.status().code() != StatusCode::kNotFound) return home.status();
  if (!home.ok() || *home != root) return NoCollection(root, id);
  auto configured = GetConfiguredCollection(ctx.db, id);
  if (configured.ok()) {
    ENTENTE_ASSIGN_OR_RETURN(TaxiiAccess access, FromConfigured(ctx, *configured));
    if (!access.collection.can_read && !access.collection.can_write) return NoCollection(root, id);
    return access;
  }
  if (configured.status().code() != StatusCode::kNotFound) return configured.status();
  auto collection = ExchangeStore(&ctx.db).GetCollection(id);
  if (!collection.ok()) return NoCollection(root, id);
  Status error;
  std::optional<Agreement> agreement = CallerAgreement(ctx, &error);
  ENTENTE_RETURN_IF_ERROR(error);
  if (!agreement || collection->partner != agreement->partner.name) return NoCollection(root, id);
  return FromAgreementCollection(*collection, *agreement);
}

Result<TaxiiAccess> CollectionFor(RequestContext& ctx, const std::string& root,
                                  const std::string& id, bool write) {
  ENTENTE_ASSIGN_OR_RETURN(TaxiiAccess access, ResolveCollection(ctx, root, id));
  if (write ? !access.collection.can_write : !access.collection.can_read)
    return PermissionDenied("collection " + id + " is not " + (write ? "writable" : "readable") +
                            " for " + ctx.principal.user);
  return access;
}

Result<std::string> RootOfCollection(Database& db, const std::string& id) {
  auto configured = GetConfiguredCollection(db, id);
  if (configured.ok()) return configured->api_root;
  if (configured.status().code() != StatusCode::kNotFound) return configured.status();
  if (!ExchangeStore(&db).GetCollection(id).ok()) return NotFound("no collection " + id);
  return std::string(kDefaultApiRoot);
}

namespace {

// A string member of `parent` into *out ("" when absent or null); false when it is another type.
bool StringField(const nlohmann::json& parent, const char* key, std::string* out) {
  auto it = parent.find(key);
  if (it == parent.end() || it->is_null()) return true;
  if (!it->is_string()) return false;
  *out = it->get<std::string>();
  return true;
}

}  // namespace

std::optional<RecordMeta> RecordAccessMeta(const nlohmann::json& object) {
  const nlohmann::json* ext = EntenteExtension(object);
  if (ext == nullptr || !ext->is_object()) return std::nullopt;
  RecordMeta meta;
  if (auto it = ext->find("provenance"); it != ext->end() && !it->is_null()) {
    if (!it->is_object() || !StringField(*it, "service", &meta.provenance.service))
      return std::nullopt;
  }
  if (auto it = ext->find("marking"); it != ext->end() && !it->is_null()) {
    if (!it->is_object()) return std::nullopt;
    std::string tlp;
    if (!StringField(*it, "tlp", &tlp)) return std::nullopt;
    if (!tlp.empty()) {
      auto parsed = ParseTlp(tlp);
      if (!parsed) return std::nullopt;
      meta.marking.tlp = *parsed;
    }
    if (auto rel = it->find("releasable_to"); rel != it->end() && !rel->is_null()) {
      if (!rel->is_array()) return std::nullopt;
      for (const nlohmann::json& v : *rel) {
        if (!v.is_string()) return std::nullopt;
        meta.marking.releasable_to.push_back(v.get<std::string>());
      }
    }
  }
  // The TLP marking on the object is authoritative when stricter than the payload's.
  if (auto refs = object.find("object_marking_refs"); refs != object.end()) {
    if (!refs->is_array()) return std::nullopt;
    for (const nlohmann::json& ref : *refs) {
      if (!ref.is_string()) return std::nullopt;
      if (auto tlp = TlpFromMarkingId(ref.get<std::string>()))
        meta.marking.tlp = std::max(meta.marking.tlp, *tlp);
    }
  }
  return meta;
}

bool MayReadObject(const server::Principal& principal, const nlohmann::json& object) {
  server::Policy policy(principal);
  if (!policy.CanReadMarking(HighestTlpOf(object))) return false;
  if (EntenteExtension(object) == nullptr) return true;
  // An entente record: its provenance service and releasability decide, as for the record.
  std::optional<RecordMeta> meta = RecordAccessMeta(object);
  return meta && policy.CanRead(*meta);
}

}  // namespace entente::exchange
