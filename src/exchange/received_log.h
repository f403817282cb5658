// The log of objects pulled from partners (migration component "exchange_received"): one row
// per record version a pull applied, with the partner, the partner's collection it came from,
// when it arrived and whether it was signed (a pull verifies every signature and takes no
// unsigned object, so pulled rows are signed and verified). Objects POSTed into this node's
// collections need no log: they are kept in exchange_objects (taxii_collections.h) with the
// collection and date_added, and their signature is in their body.
//
// The exchange page reads it to show each received record's provenance chain.
//
// Thread-safety: functions over the Database passed in; one thread per connection.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/status.h"
#include "exchange/receive.h"
#include "store/database.h"

namespace entente::exchange {

struct ReceivedEntry {
  std::string partner;      // the agreement's partner name
  std::string collection;   // the partner's collection id
  std::string object_id;    // the STIX id as received
  std::string record_id;    // the record it became (ModelIdForStix)
  std::string version;      // the object's modified
  std::string received_at;  // RFC 3339, this node's clock
  bool is_signed = true;
};

// Creates or upgrades the table (after the exchange's own tables: v2 adds the time index of
// exchange_rejections that the received list pages by). Idempotent. REQUIRES: no transaction
// open.
Status MigrateReceivedLog(Database& db);

// Logs the objects of one pull that changed the store (created, updated, revoked), in the
// caller's transaction. `objects` and `summary.outcomes` are in the same order.
Status LogPulledObjects(Database& db, const std::string& partner, const std::string& collection,
                        const std::vector<nlohmann::json>& objects, const ReceiveSummary& summary);

}  // namespace entente::exchange
