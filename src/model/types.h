// The closed vocabularies of the intelligence model: record types, relationship types, threat
// categories, TLP 2.0 markings, Admiralty grades, name kinds. Each has a canonical lowercase
// spelling used in files, the API and the store, and a parser that rejects anything else.
// No I/O. Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string_view>

namespace entente {

enum class EntityType {
  kPerson,
  kOrganization,
  kVehicle,
  kIdentityDocument,
  kPhone,
  kLocation,
  kEvent,
};
// "person", "organization", "vehicle", "identity-document", "phone", "location", "event".
std::string_view EntityTypeName(EntityType type);
std::optional<EntityType> ParseEntityType(std::string_view text);

enum class RelationshipType {
  kMemberOf,
  kAssociateOf,
  kFamilyOf,
  kTravelledWith,
  kOwns,
  kUsesPhone,
  kLocatedAt,
  kSightedAt,
};
// "member-of", "associate-of", "family-of", "travelled-with", "owns", "uses-phone",
// "located-at", "sighted-at".
std::string_view RelationshipTypeName(RelationshipType type);
std::optional<RelationshipType> ParseRelationshipType(std::string_view text);

enum class ThreatCategory {
  kTerrorism,
  kOrganizedCrime,
  kNarcotics,
  kIllegalMigration,
  kHumanTrafficking,
  kOther,
};
// "terrorism", "organized-crime", "narcotics", "illegal-migration", "human-trafficking", "other".
std::string_view ThreatCategoryName(ThreatCategory category);
std::optional<ThreatCategory> ParseThreatCategory(std::string_view text);

// TLP 2.0, ordered from least to most restrictive, so `a < b` means a is less restricted.
enum class Tlp { kClear = 0, kGreen = 1, kAmber = 2, kAmberStrict = 3, kRed = 4 };
// "CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED".
std::string_view TlpName(Tlp tlp);
// Accepts the names above in any case, and "TLP:AMBER" forms.
std::optional<Tlp> ParseTlp(std::string_view text);

// Admiralty code. Source reliability A (completely reliable) .. F (cannot be judged);
// information credibility 1 (confirmed) .. 6 (cannot be judged).
struct Grades {
  char reliability = 'F';
  int credibility = 6;
  bool operator==(const Grades&) const = default;
};
bool IsValidReliability(char grade);
bool IsValidCredibility(int grade);

enum class NameKind { kPrimary, kAlias, kWeakAlias, kFormerName };
// "primary", "alias", "weak-alias", "former-name".
std::string_view NameKindName(NameKind kind);
std::optional<NameKind> ParseNameKind(std::string_view text);

enum class Gender { kUnknown, kMale, kFemale };
std::string_view GenderName(Gender gender);  // "", "male", "female"
std::optional<Gender> ParseGender(std::string_view text);

}  // namespace entente
