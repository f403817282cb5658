// The exchange's own tables (migration component "exchange"), beside the record store in the
// same database so that a pull's records and its cursor commit in one transaction:
//
//   exchange_node_key     this node's Ed25519 key pair (one row)
//   exchange_agreements   one agreement (TOML text) per partner; a change takes effect at once
//   exchange_collections  the TAXII collections: one outbound per partner ("what it may read")
//                         and one inbound per partner ("where it may write")
//   exchange_objects      the objects of each collection, in order: `seq` is the collection's
//                         own position (TAXII `next`), `date_added` strictly increases within a
//                         collection (TAXII `added_after`), `source_change_seq` the store change
//                         that produced the version
//   exchange_shared       per outbound collection and record: the last version given (hash,
//                         STIX id, modified), so updates are sent once and revocations follow
//   exchange_publish      per outbound collection: the store change_seq and agreement hash it
//                         is up to date with
//   exchange_cursors      per partner we pull from: the last date_added applied
//   exchange_status       TAXII status resources of POSTs
//   exchange_rejections   objects refused on pull or POST (bad signature, invalid), with why
//   taxii_collections, taxii_collection_grants   configured collections (taxii_collections.h)
//   taxii_api_roots       the API roots beside the default one (taxii_roots.h)
//
// Thread-safety: one ExchangeStore per Database connection, one thread at a time.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "exchange/agreement.h"
#include "exchange/signing.h"
#include "store/database.h"

namespace entente::exchange {

struct CollectionInfo {
  std::string id;         // a UUID
  std::string partner;    // the agreement's partner name
  std::string direction;  // "out" (the partner reads) or "in" (the partner writes)
  std::string title;
  std::string description;
  bool can_read = false;   // for the partner
  bool can_write = false;  // for the partner
};

struct SyncCursor {
  std::string partner;
  std::string added_after;  // the last date_added applied; empty: from the start
  int64_t objects = 0;      // objects applied so far
  int64_t rejected = 0;
  std::string updated;
};

class ExchangeStore {
 public:
  explicit ExchangeStore(Database* db) : db_(db) {}
  // Creates or upgrades the exchange tables. Idempotent.
  static Status Migrate(Database& db);
  Database& database() { return *db_; }

  // This node's key: NotFound until CreateNodeKey().
  Result<SigningKey> NodeKey();
  // Creates the key when absent (returns the existing one otherwise).
  Result<SigningKey> EnsureNodeKey();

  // Stores (or replaces) the agreement for its partner and creates its collections.
  // InvalidArgument when the text does not parse.
  Status PutAgreement(const Agreement& agreement);
  Status DeleteAgreement(const std::string& partner);
  Result<Agreement> GetAgreement(const std::string& partner);
  Result<std::vector<Agreement>> ListAgreements();
  // The agreement whose partner this principal acts for; NotFound when none.
  Result<Agreement> AgreementForPrincipal(const std::string& user, const std::string& partner,
                                          const std::string& service);

  Result<std::vector<CollectionInfo>> ListCollections();
  Result<CollectionInfo> GetCollection(const std::string& id);
  // The collection ids of a partner (deterministic from this node's key and the partner).
  std::string OutboundCollectionId(const std::string& partner);
  std::string InboundCollectionId(const std::string& partner);

  Result<SyncCursor> GetCursor(const std::string& partner);
  // Writes in the caller's transaction (REQUIRES: one is open).
  Status PutCursor(const SyncCursor& cursor);

  // Records a refused object (in the caller's transaction when one is open).
  Status AddRejection(const std::string& partner, const std::string& object_id,
                      const std::string& reason);
  Result<int64_t> CountRejections(const std::string& partner);

 private:
  Status EnsureCollections(const Agreement& agreement);
  Database* db_;
};

}  // namespace entente::exchange
