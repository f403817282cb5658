#include "model/types.h"

#include <array>
#include <string>

#include "common/text.h"

namespace entente {
namespace {

template <typename Enum, size_t N>
std::optional<Enum> Lookup(const std::array<std::string_view, N>& names, std::string_view text) {
  std::string lowered = ToLowerAscii(text);
  for (size_t i = 0; i < N; ++i)
    if (names[i] == lowered) return static_cast<Enum>(i);
  return std::nullopt;
}

constexpr std::array<std::string_view, 7> kEntityTypes = {
    "person", "organization", "vehicle", "identity-document", "phone", "location", "event"};
constexpr std::array<std::string_view, 8> kRelationshipTypes = {
    "member-of", "associate-of", "family-of",  "travelled-with",
    "owns",      "uses-phone",   "located-at", "sighted-at"};
constexpr std::array<std::string_view, 6> kCategories = {
    "terrorism", "organized-crime", "narcotics", "illegal-migration", "human-trafficking", "other"};
constexpr std::array<std::string_view, 5> kTlps = {"clear", "green", "amber", "amber+strict",
                                                   "red"};
constexpr std::array<std::string_view, 5> kTlpNames = {"CLEAR", "GREEN", "AMBER", "AMBER+STRICT",
                                                       "RED"};
constexpr std::array<std::string_view, 4> kNameKinds = {"primary", "alias", "weak-alias",
                                                        "former-name"};

}  // namespace

std::string_view EntityTypeName(EntityType t) { return kEntityTypes[static_cast<size_t>(t)]; }
std::optional<EntityType> ParseEntityType(std::string_view text) {
  if (ToLowerAscii(text) == "organisation") return EntityType::kOrganization;
  return Lookup<EntityType>(kEntityTypes, text);
}

std::string_view RelationshipTypeName(RelationshipType t) {
  return kRelationshipTypes[static_cast<size_t>(t)];
}
std::optional<RelationshipType> ParseRelationshipType(std::string_view text) {
  return Lookup<RelationshipType>(kRelationshipTypes, text);
}

std::string_view ThreatCategoryName(ThreatCategory c) {
  return kCategories[static_cast<size_t>(c)];
}
std::optional<ThreatCategory> ParseThreatCategory(std::string_view text) {
  return Lookup<ThreatCategory>(kCategories, text);
}

std::string_view TlpName(Tlp tlp) { return kTlpNames[static_cast<size_t>(tlp)]; }
std::optional<Tlp> ParseTlp(std::string_view text) {
  std::string lowered = ToLowerAscii(Trim(text));
  if (lowered.rfind("tlp:", 0) == 0) lowered = lowered.substr(4);
  if (lowered == "white") return Tlp::kClear;  // TLP 1.0 spelling
  return Lookup<Tlp>(kTlps, lowered);
}

bool IsValidReliability(char g) { return g >= 'A' && g <= 'F'; }
bool IsValidCredibility(int g) { return g >= 1 && g <= 6; }

std::string_view NameKindName(NameKind k) { return kNameKinds[static_cast<size_t>(k)]; }
std::optional<NameKind> ParseNameKind(std::string_view text) {
  return Lookup<NameKind>(kNameKinds, text);
}

std::string_view GenderName(Gender g) {
  switch (g) {
    case Gender::kMale:
      return "male";
    case Gender::kFemale:
      return "female";
    default:
      return "";
  }
}
std::optional<Gender> ParseGender(std::string_view text) {
  std::string lowered = ToLowerAscii(Trim(text));
  if (lowered.empty() || lowered == "unknown") return Gender::kUnknown;
  if (lowered == "male" || lowered == "m") return Gender::kMale;
  if (lowered == "female" || lowered == "f") return Gender::kFemale;
  return std::nullopt;
}

}  // namespace entente
