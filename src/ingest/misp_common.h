// What the MISP reader and the MISP feed writer agree on: how MISP tags, distribution levels
// and object-reference types translate to entente's markings, categories and relationship
// types, and back. MISP core format: draft-dulaunoy-misp-core-format; object templates:
// MISP/misp-objects ("person", "organization").
//
//   TLP         tag "tlp:clear" / "tlp:white" / "tlp:green" / "tlp:amber" / "tlp:amber+strict"
//               / "tlp:red" <-> the record's TLP. Without a TLP tag, distribution decides:
//               0 (your organisation only) and 4 (sharing group) -> AMBER+STRICT, 1 and 2
//               (community, connected communities) -> AMBER, 3 (all communities) -> GREEN;
//               5 (inherit) and absent -> the event's (else the import's default).
//   category    tag "entente:category=\"terrorism\"" (what the writer puts) or a tag naming
//               the threat: "terror" -> terrorism, "narco" / "drug" -> narcotics, "human-
//               trafficking" -> human-trafficking, "migra" / "smuggl" -> illegal-migration,
//               "organized-crime" / "organised-crime" -> organized-crime.
//   references  ObjectReference relationship_type "member-of" -> member-of, "owns" / "owner-of"
//               -> owns, "uses" / "uses-phone" / "has-phone" -> uses-phone, "family-of" /
//               "relative-of" -> family-of, "located-at" / "located-in" -> located-at,
//               "travelled-with" -> travelled-with, anything else -> associate-of (the MISP
//               type kept in the relationship's description).
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "model/types.h"

namespace entente::ingest::misp {

// The TLP a MISP tag names, or nullopt when it is not a TLP tag.
std::optional<Tlp> TlpFromTag(std::string_view tag);
// "tlp:amber+strict" for AMBER+STRICT, "tlp:clear" for CLEAR, ...
std::string TagForTlp(Tlp tlp);
// The TLP a distribution level implies (nullopt for 5 "inherit" and unknown levels).
std::optional<Tlp> TlpFromDistribution(int distribution);
// The distribution level a TLP maps to in an exported feed: 3, 1 or 0.
int DistributionForTlp(Tlp tlp);
// The category a tag names, or nullopt.
std::optional<ThreatCategory> CategoryFromTag(std::string_view tag);
// "entente:category=\"terrorism\""
std::string TagForCategory(ThreatCategory category);
RelationshipType RelationshipFromReference(std::string_view relationship_type);
// The reference type the writer uses for an entente relationship ("member-of", "owns", ...).
std::string ReferenceForRelationship(RelationshipType type);

// True for a UUID in 8-4-4-4-12 hex form.
bool IsUuid(std::string_view text);

}  // namespace entente::ingest::misp
