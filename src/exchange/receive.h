// Applying STIX objects received from a partner (pulled by sync, or POSTed to its inbound
// collection) to the store: validated against the MUST rules, signature verified against the
// partner's public key from the agreement, mapped to records that keep the partner's
// provenance and markings, and written as new records, new versions or revocations.
//
// Refused: an invalid object, an unsigned object or one whose signature does not verify
// (audited as "exchange.reject" with outcome "denied"), an object that would overwrite a
// record this node owns, an older version than the one stored. Objects entente has no
// equivalent for are skipped. Everything happens in the caller's RecordStore::Writer
// transaction, so a pull's records, its cursor and its audit entries commit together.
//
// Thread-safety: one call per Database connection at a time.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/status.h"
#include "exchange/agreement.h"
#include "store/record_store.h"

namespace entente::exchange {

struct ReceivedOutcome {
  std::string id;
  std::string version;
  bool ok = true;       // applied, unchanged or skipped (no equivalent)
  std::string message;  // why it was refused, or what happened
};

struct ReceiveSummary {
  int64_t created = 0;
  int64_t updated = 0;
  int64_t revoked = 0;
  int64_t unchanged = 0;
  int64_t skipped = 0;
  int64_t rejected = 0;
  std::vector<ReceivedOutcome> outcomes;  // one per object, in order
};

// Who acts, for the audit entries written.
struct ReceiveActor {
  std::string actor;  // the local user (sync) or the partner (POST)
  std::string role;
  std::string service;
};

// Applies `objects` through `writer` (its transaction holds everything). `own_service` is this
// node's service. Errors: only database failures; refused objects are counted and audited.
Result<ReceiveSummary> ApplyReceivedObjects(RecordStore::Writer& writer, Database& db,
                                            const std::string& own_service,
                                            const Agreement& agreement,
                                            const std::vector<nlohmann::json>& objects,
                                            const ReceiveActor& actor);

// True for the objects every entente collection carries (TLP marking-definitions, the entente
// identity and extension-definition, releasability statements): accepted without signature and
// never stored as records.
bool IsSupportObject(const nlohmann::json& object);

}  // namespace entente::exchange
