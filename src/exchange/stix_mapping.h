// The STIX 2.1 form of entente's records, both ways.
//
//   Person / Organization  -> "identity" (identity_class individual / organization), or
//                             "threat-actor" when the record is a threat actor: its threat
//                             category is not "other", or it came in as a threat-actor.
//   Location               -> "location" (country / region / coordinates), else the custom
//                             SDO "x-entente-location" when none of those is known.
//   Vehicle, IdentityDocument, Phone, Event
//                          -> custom SDOs "x-entente-vehicle", "x-entente-identity-document",
//                             "x-entente-phone", "x-entente-event" (extension_type new-sdo).
//   Relationship           -> "relationship" with the same relationship_type; a sighted-at
//                             relationship to a location becomes a "sighting".
//   Marking                -> object_marking_refs: the standard TLP 2.0 marking-definitions,
//                             plus a statement marking "REL TO: A, B" for releasability.
//
// What STIX lacks (name variants with script, partial birth dates, nationalities, identity
// documents, Admiralty grades, threat category, provenance, releasability as a list) travels in
// a property extension defined by the published extension-definition kEntenteExtensionId; the
// payload is the record's own JSON (model/codec.h) less the STIX common properties, so two
// entente nodes exchange records without loss. Objects from other producers map from their
// standard properties; properties entente has no field for are kept in the record's attributes
// as "stix:<property>" (JSON text) and restored on export, so a foreign object round-trips.
//
// STIX ids keep the record's UUID: person--U <-> identity--U or threat-actor--U.
// Thread-safety: pure functions.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "model/codec.h"
#include "model/entity.h"

namespace entente::exchange {

// The extension-definition that carries entente's properties, and the identity that
// publishes it (both included in every bundle and collection entente serves).
inline constexpr char kEntenteExtensionId[] =
    "extension-definition--5b0c8e0e-7c1f-4f4e-9c84-0f6f3c2b7a11";
inline constexpr char kEntenteIdentityId[] = "identity--0c2b1b6e-5d7a-4e59-8f0e-3a9d6e1c4b22";
inline constexpr char kEntenteExtensionSchema[] =
    "https://entente.example/docs/EXCHANGE.md#the-entente-extension";

// The STIX 2.1 TLP 2.0 marking-definition ids (OASIS TLP 2.0 extension).
std::string_view TlpMarkingId(Tlp tlp);
// Accepts TLP 2.0 ids and the STIX 2.1 TLP 1.0 ids (WHITE is read as CLEAR).
std::optional<Tlp> TlpFromMarkingId(std::string_view id);
// The highest TLP among an object's object_marking_refs; CLEAR when it carries none.
Tlp HighestTlpOf(const nlohmann::json& object);
// The standard marking-definition object for `tlp`.
nlohmann::json TlpMarkingDefinition(Tlp tlp);
nlohmann::json EntenteExtensionDefinition();
nlohmann::json EntenteIdentity();
// A statement marking "REL TO: A, B" (services sorted); its id is derived from the list.
nlohmann::json ReleasabilityMarking(const std::vector<std::string>& services);
// Parses "REL TO: A, B" back; nullopt when the statement is not of that form.
std::optional<std::vector<std::string>> ParseReleasabilityStatement(std::string_view statement);

// The STIX type and id a record is exported under.
std::string StixTypeFor(const Entity& entity);
std::string StixIdFor(const Record& record);
// The model id a STIX object maps to ("person--U" for identity--U of class individual), or
// empty when entente has no equivalent for it.
std::string ModelIdForStix(const nlohmann::json& object);

// Maps a model id ("person--U") to the STIX id of that record ("threat-actor--U"). The default
// guesses from the prefix (person/organization -> identity); exporters pass a better one.
using ExportRefResolver = std::function<std::string(const std::string& model_id)>;
std::string GuessStixId(const std::string& model_id);

// Record -> STIX object (with the entente extension). Never fails for a valid record.
nlohmann::json RecordToStix(const Record& record, const ExportRefResolver& resolve = GuessStixId);

// Defaults for objects from other producers (entente's own objects carry their own).
struct StixImportContext {
  std::string service = "local";
  std::string source = "stix";
  Grades grades{'F', 6};
  std::optional<ThreatCategory> category;
  Tlp tlp = Tlp::kAmber;
  std::vector<std::string> releasable_to;
  // STIX id -> model id, for relationship ends not carried by our extension. Returns empty
  // when unknown.
  std::function<std::string(const std::string& stix_id)> resolve;
  // Statement marking-definitions seen so far (id -> services), for releasability.
  std::function<std::optional<std::vector<std::string>>(const std::string& marking_id)>
      releasability;
};

// STIX object -> Record. REQUIRES: ValidateStixObject(object) passed.
// Returns nullopt (with the reason in *skipped_because) for a valid object entente has no
// equivalent for (an indicator, a relationship type outside the model, a marking-definition);
// InvalidArgument naming the property when the object maps but a value does not fit the model
// (an unknown threat category in the extension, a bad partial date).
Result<std::optional<Record>> StixToRecord(const nlohmann::json& object,
                                           const StixImportContext& context,
                                           std::string* skipped_because = nullptr);

// The entente extension payload of `object`, or nullptr when absent.
const nlohmann::json* EntenteExtension(const nlohmann::json& object);

}  // namespace entente::exchange
