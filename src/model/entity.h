// The records of the intelligence store: entities (people, organizations, vehicles, documents,
// phones, locations, events) and the relationships between them. Every record carries its
// provenance, Admiralty grades, threat category and handling marking.
//
// Plain values: no I/O, no store. Codecs live in model/codec.h; validation in Validate*().
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "model/partial_date.h"
#include "model/types.h"

namespace entente {

// Where a record came from. `service` is the owning intelligence service ("DGSN-DGST",
// "DGSI"); `source` the list or system it was read from ("ofac-sdn", "demo-ma-registry");
// `source_record_id` that source's own key ("SDN-36"). Timestamps are RFC 3339 UTC.
struct Provenance {
  std::string service;
  std::string source;
  std::string source_record_id;
  std::string first_seen;
  std::string last_seen;
  bool operator==(const Provenance&) const = default;
};

// Handling: TLP 2.0 plus releasability. An empty `releasable_to` means "no restriction beyond
// TLP" for CLEAR, GREEN and AMBER, and "the owning service only" for AMBER+STRICT and RED;
// otherwise only the services listed (and the owning service) may receive the record.
struct Marking {
  Tlp tlp = Tlp::kAmber;
  std::vector<std::string> releasable_to;
  bool operator==(const Marking&) const = default;
};

// Everything a record carries besides its content. `version` counts from 1; `change_seq` is the
// store's change sequence number of this version (0 until stored).
struct RecordMeta {
  std::string id;  // STIX form: "person--<uuid>"
  Provenance provenance;
  Grades grades;
  ThreatCategory category = ThreatCategory::kOther;
  Marking marking;
  int version = 0;
  std::string created;
  std::string modified;
  bool revoked = false;
  int64_t change_seq = 0;
  bool operator==(const RecordMeta&) const = default;
};

struct Name {
  std::string full;  // as written in the source ("EL IDRISSI, Mohammed", "محمد الإدريسي")
  NameKind kind = NameKind::kPrimary;
  std::string script;  // ISO 15924 code ("Latn", "Arab", "Cyrl"); empty when unknown
  bool operator==(const Name&) const = default;
};

struct IdentityDocumentInfo {
  std::string type;        // "passport", "national-id", "residence-permit", ...
  std::string number;      // as written
  std::string country;     // issuing country, ISO alpha-2; may be empty
  std::string valid_from;  // YYYY-MM-DD or empty
  std::string valid_until;
  bool operator==(const IdentityDocumentInfo&) const = default;
};

struct Entity {
  RecordMeta meta;
  EntityType type = EntityType::kPerson;
  std::vector<Name> names;                 // the first primary name is the display name
  std::vector<PartialDate> birth_dates;    // persons
  std::vector<std::string> birth_places;   // free text
  std::vector<std::string> nationalities;  // ISO alpha-2
  Gender gender = Gender::kUnknown;
  std::vector<IdentityDocumentInfo> documents;
  std::vector<std::string> addresses;  // free text
  // Anything else the source said, kept by name ("programs", "title", "phone_number", ...).
  std::map<std::string, std::string> attributes;
  bool operator==(const Entity&) const = default;

  // The display name: first primary name, else first name, else the id.
  const std::string& DisplayName() const;
};

struct Relationship {
  RecordMeta meta;  // id "relationship--<uuid>"
  RelationshipType type = RelationshipType::kAssociateOf;
  std::string source_id;  // the entity the relationship goes from ("A member-of B": A)
  std::string target_id;
  std::string start;  // optional dates, YYYY-MM-DD
  std::string stop;
  std::string description;
  bool operator==(const Relationship&) const = default;
};

// STIX type used in ids for an entity type: person->"person", organization->"organization",
// identity-document->"identity-document", location->"location", ...
std::string_view IdPrefixFor(EntityType type);

// Checks the invariants every stored record must hold: a valid id whose prefix matches the
// type, at least one non-empty name for persons and organizations, valid grades, valid country
// codes, valid UTF-8 in every text. Returns InvalidArgument naming the field.
Status ValidateEntity(const Entity& entity);
Status ValidateRelationship(const Relationship& relationship);

// Whether a reader with `clearance` from service `reader_service` may see a record marked
// `marking` owned by `owner_service`: TLP at or below clearance, and either the reader belongs
// to the owner, or releasability names the reader's service, or releasability is empty and the
// TLP is below AMBER+STRICT.
bool MayRead(const Marking& marking, const std::string& owner_service, Tlp clearance,
             const std::string& reader_service);

}  // namespace entente
