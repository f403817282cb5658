// Applying STIX objects received from a partner (pulled by sync, or POSTed to its inbound
// collection) to the store: validated against the MUST rules, signature verified against the
// partner's public key from the agreement, mapped to records that keep the partner's
// provenance and markings, and written as new records, new versions or revocations.
//
// Refused: an invalid object, one whose signature does not verify (audited as
// "exchange.reject" with outcome "denied"), an unsigned object unless the ReceivePolicy accepts
// them, an object that would overwrite a record this node owns, an older version than the one
// stored.
//
// Unsigned objects (a standard STIX producer has no entente signature): when the policy
// accepts them (a POST by an authenticated client into a collection that takes them), they are
// mapped with the partner's service, provenance source "taxii:<partner>:unsigned" and the
// policy's grades; an entente extension they carry is ignored (its provenance and grades are
// claims nobody signed). A signed object is always verified, whatever the policy. Objects entente
// has no equivalent for are skipped. Everything happens in the caller's RecordStore::Writer
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

// How objects without entente's signature are treated.
struct ReceivePolicy {
  bool accept_unsigned = false;
  Grades unsigned_grades{'F', 6};  // Admiralty: reliability and credibility cannot be judged
};

// The provenance source given to unsigned objects received from `partner`.
std::string UnsignedSource(const std::string& partner);

// Applies `objects` through `writer` (its transaction holds everything). `own_service` is this
// node's service. Errors: only database failures; refused objects are counted and audited.
Result<ReceiveSummary> ApplyReceivedObjects(RecordStore::Writer& writer, Database& db,
                                            const std::string& own_service,
                                            const Agreement& agreement,
                                            const std::vector<nlohmann::json>& objects,
                                            const ReceiveActor& actor,
                                            const ReceivePolicy& policy = {});

// True for the objects every entente collection carries (TLP marking-definitions, the entente
// identity and extension-definition, releasability statements): accepted without signature and
// never stored as records.
bool IsSupportObject(const nlohmann::json& object);

}  // namespace entente::exchange
