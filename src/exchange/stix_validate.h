// Validation of incoming STIX 2.1 content against the specification's MUST rules.
//
// Every object a partner sends, and every object in a bundle being imported, goes through
// ValidateStixObject() before anything else looks at it. A failure names the rule broken
// (a stable rule id such as "stix21.common.id-format", the section of STIX 2.1 it comes from,
// the property and the value), so that a partner's engineer can fix the producer.
//
// Checked (STIX 2.1 CS02/OS): type name syntax; id "<type>--<UUID>" with the type matching;
// spec_version "2.1" on SDOs, SROs and SMOs; created/modified present on SDOs and SROs, RFC 3339
// UTC timestamps ending in "Z", modified >= created; property-name syntax; created_by_ref to an
// identity; object_marking_refs to marking-definitions; granular_markings shape; revoked,
// labels, confidence, lang, external_references shape; the required properties of each STIX
// 2.1 object type; relationship/sighting reference types; extension-definition shape.
// Custom object types (e.g. "x-mitre-tactic") and custom properties are allowed, as the
// specification allows them, provided their names are well-formed.
//
// Thread-safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "common/status.h"

namespace entente::exchange {

// True for a STIX 2.1 timestamp: "YYYY-MM-DDTHH:MM:SS[.s+]Z".
bool IsStixTimestamp(std::string_view text);

// Checks one top-level STIX object. InvalidArgument "rule <id> (STIX 2.1 §<n>): <detail>".
Status ValidateStixObject(const nlohmann::json& object);

// Checks a bundle's envelope (type, id, objects array) and then every object; the message
// names the object's index and id. `max_objects` bounds the size (ResourceExhausted beyond).
Status ValidateStixBundle(const nlohmann::json& bundle, size_t max_objects = 1000000);

// Whether `type` is one of the object types STIX 2.1 defines (SDO, SRO, SCO, SMO, bundle).
bool IsStandardStixType(std::string_view type);

}  // namespace entente::exchange
