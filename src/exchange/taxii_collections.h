// Configured TAXII collections (`entente taxii collections add/list/grant`), beside the two
// collections every agreement makes (exchange_store.h). A configured collection has its own
// id, title, description and media types, grants (who may read, who may write: decided by
// auth/collection_access.h), and optionally the agreement of a partner:
//
//   with an agreement  it publishes what that agreement shares (the partner's outbound
//                      behaviour) and the objects written to it become records with the
//                      partner's service as provenance (its inbound behaviour);
//   without            it is a plain TAXII collection: objects written to it are validated and
//                      kept as they came, and served back; no record is made from them.
//
// Each belongs to one API root (taxii_roots.h; the default one unless --root says otherwise).
//
// Tables (migration component "exchange", steps 2 and 3): taxii_collections,
// taxii_collection_grants.
//
// Thread-safety: functions over the Database passed in; one thread per connection.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "exchange/taxii_roots.h"
#include "store/database.h"

namespace entente::exchange {

struct StoredGrant {
  std::string grantee;  // "user:NAME" or "role:ROLE" (auth/collection_access.h parses it)
  bool can_read = false;
  bool can_write = false;
};

struct ConfiguredCollection {
  std::string id;  // a UUID (TAXII collection ids are UUIDs)
  std::string title;
  std::string description;
  std::vector<std::string> media_types;    // default {application/stix+json;version=2.1}
  std::string agreement;                   // a partner name; empty: none
  std::vector<StoredGrant> grants;
  std::string api_root = kDefaultApiRoot;  // the API root it is served under
};

// Adds a collection. An empty id gets a random UUID (written back). InvalidArgument for an id
// that is not a UUID, an empty title, a media type that is not STIX 2.1 JSON, or an agreement
// or an API root that does not exist; Conflict for a taken id (in any root: a collection id
// is unique on the node).
Status AddConfiguredCollection(Database& db, ConfiguredCollection* collection);
Result<std::vector<ConfiguredCollection>> ListConfiguredCollections(Database& db);
// NotFound when there is none with this id.
Result<ConfiguredCollection> GetConfiguredCollection(Database& db, const std::string& id);
// Sets (or replaces) one grantee's access; neither read nor write removes the grant.
// NotFound for an unknown collection.
Status GrantConfiguredCollection(Database& db, const std::string& id, const StoredGrant& grant);

}  // namespace entente::exchange
