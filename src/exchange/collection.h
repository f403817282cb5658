// TAXII collections as stored objects: publishing the store through an agreement into a
// partner's outbound collection, appending objects a partner posts, and the paged queries the
// TAXII endpoints answer.
//
// Publishing reads the store's change feed from where the collection last stopped (or from 0
// when the agreement changed since: every record is then re-evaluated). For each record it
// evaluates the agreement; a record that is shared and differs from what the partner last got
// is appended as a new, signed STIX version; a record the partner got before and may no longer
// have (revoked, re-marked, or the agreement changed) is appended as a revoked version. Each
// appended object takes the collection's next `seq` and a `date_added` strictly greater than
// the previous one, so `added_after` and `next` page through the collection without skipping
// or repeating an object while writes go on. Publishing holds the write lock, so it is
// serialized with store writers and with itself.
//
// Thread-safety: functions over the Database passed in; one thread per connection.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/status.h"
#include "exchange/agreement.h"
#include "store/database.h"

namespace entente::exchange {

struct PublishSummary {
  bool full = false;       // the whole store was re-evaluated (new or changed agreement)
  int64_t considered = 0;  // records evaluated
  int64_t added = 0;       // new object versions appended
  int64_t revoked = 0;     // revocations appended
};

// Brings the partner's outbound collection up to date. Cheap when nothing changed (no write).
// REQUIRES: no transaction open on `db`; RecordStore and ExchangeStore migrated.
Result<PublishSummary> PublishOutbound(Database& db, const std::string& own_service,
                                       const Agreement& agreement);
// The same into another collection (a configured one that publishes this agreement).
Result<PublishSummary> PublishOutbound(Database& db, const std::string& own_service,
                                       const Agreement& agreement, const std::string& collection);

// Appends `object` to `collection` as received, its JSON kept byte for byte as parsed (every
// property and timestamp a client posted comes back). Its version is its `modified`, else
// its `created`, else (an SCO, a marking-definition without one) the date it was added; the
// same id and version posted again is not appended twice. Returns the version.
// REQUIRES: a write transaction open.
Result<std::string> AppendReceivedObject(Database& db, const std::string& collection,
                                         const nlohmann::json& object);
// The same for several objects, in order, loading and saving the collection's state once (the
// objects of one POST). Returns their versions, in order.
Result<std::vector<std::string>> AppendReceivedObjects(Database& db, const std::string& collection,
                                                       const std::vector<nlohmann::json>& objects);

struct ObjectQuery {
  std::string added_after;  // RFC 3339; empty: no bound
  int64_t after_seq = 0;    // from a `next` token
  int64_t limit = 1000;
  std::vector<std::string> ids;    // match[id]
  std::vector<std::string> types;  // match[type]
  std::vector<std::string>
      versions;  // match[version]: "last" (default), "first", "all", timestamps
  std::vector<std::string> spec_versions;  // match[spec_version]
};

struct StoredObject {
  int64_t seq = 0;
  std::string id;
  std::string type;
  std::string version;  // the object's modified (or created)
  std::string date_added;
  std::string body;  // the object's JSON
};

struct ObjectPage {
  std::vector<StoredObject> objects;
  bool more = false;
  int64_t next_seq = 0;  // the `next` to ask for when `more`
};

// InvalidArgument for a bad match[version] value.
Result<ObjectPage> QueryObjects(Database& db, const std::string& collection,
                                const ObjectQuery& query);
// Deletes versions of `object_id` matching `versions` (default all). NotFound when none.
Result<int64_t> DeleteObjects(Database& db, const std::string& collection,
                              const std::string& object_id,
                              const std::vector<std::string>& versions);

}  // namespace entente::exchange
