// Which TAXII collections a caller may see, read and write under an API root, for the TAXII
// routes (taxii_routes.cc). Two kinds of collection:
//
//   agreement collections  the two every sharing agreement makes (exchange_store.h): the
//                          partner's principals read the outbound one and read (and, when the
//                          agreement says may_write, write) the inbound one;
//   configured collections `entente taxii collections add` (exchange/taxii_collections.h):
//                          their grants decide, through auth/collection_access.h.
//
// Agreement collections live under the default API root; a configured collection under the
// root it was added to (exchange/taxii_roots.h). Asked under any other root, a collection does
// not exist (404, whatever the caller's grants): a grant on root A opens nothing under root B.
//
// Only partner accounts act for an agreement; every other role that reaches TAXII (analysts,
// screening officers, liaisons: Permission::kCollectionAccess) sees the configured collections
// granted to it, and nothing else. A collection the caller has no grant on (or another
// partner's agreement collection) is not listed and answers exactly as an unknown id (404,
// same text): no existence oracle. A visible collection the caller may not read (write-only
// grant) or write is forbidden (403).
// What is served inside a collection is still filtered by the policy decision point
// (auth/policy.h): the caller's clearance for every object, and for an entente record also its
// service and releasability (MayReadObject).
//
// Thread-safety: functions over the request's own connection.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "exchange/agreement.h"
#include "exchange/exchange_store.h"
#include "http/route.h"
#include "model/entity.h"

namespace entente::exchange {

struct TaxiiAccess {
  CollectionInfo collection;  // can_read / can_write are the caller's
  std::vector<std::string> media_types;
  std::optional<Agreement> agreement;  // the partner agreement it works under, if any
  bool publishes = false;              // bring it up to date from the agreement before a read
  bool configured = false;
  std::string api_root;  // the root it is served under
  std::string owner;     // who its status resources belong to ("user:NAME" or a partner name)
};

// The owner names a status resource may carry for this caller.
std::vector<std::string> StatusOwners(server::RequestContext& ctx);

// Every collection of API root `root` the caller may see (read or write).
Result<std::vector<TaxiiAccess>> VisibleCollections(server::RequestContext& ctx,
                                                    const std::string& root);

// The collection `id` of API root `root` for the caller, with its rights. NotFound for an
// unknown id and for one the caller may not see, alike.
Result<TaxiiAccess> ResolveCollection(server::RequestContext& ctx, const std::string& root,
                                      const std::string& id);

// ResolveCollection, then PermissionDenied unless the caller may read (or write).
Result<TaxiiAccess> CollectionFor(server::RequestContext& ctx, const std::string& root,
                                  const std::string& id, bool write);

// The API root a collection (configured or of an agreement) is served under; NotFound for an
// unknown id.
Result<std::string> RootOfCollection(Database& db, const std::string& id);

// Whether `principal` may be served `object` from a collection it reads: its TLP within the
// clearance; an object carrying the entente extension (a record) also by Policy::CanRead of
// the record's provenance service and releasability. False for an extension whose access
// fields do not decode (fail closed).
bool MayReadObject(const server::Principal& principal, const nlohmann::json& object);

// What Policy::CanRead looks at in a record carried by the entente extension, read from the
// extension alone (no whole record is decoded for every object served): provenance.service,
// marking.tlp (the stricter of it and the object's TLP marking refs) and
// marking.releasable_to, with the defaults of model/entity.h and the field types the record
// codec requires. nullopt without the extension, or when one of those fields has another type
// or an unknown TLP. StixToRecord gives the same values (taxii_access_meta_test checks it).
std::optional<RecordMeta> RecordAccessMeta(const nlohmann::json& object);

}  // namespace entente::exchange
