#include "ingest/misp_common.h"

#include "common/text.h"

namespace entente::ingest::misp {

std::optional<Tlp> TlpFromTag(std::string_view tag) {
  std::string t = ToLowerAscii(Trim(tag));
  if (t == "tlp:white" || t == "tlp:clear") return Tlp::kClear;
  if (t == "tlp:green") return Tlp::kGreen;
  if (t == "tlp:amber") return Tlp::kAmber;
  if (t == "tlp:amber+strict") return Tlp::kAmberStrict;
  if (t == "tlp:red") return Tlp::kRed;
  return std::nullopt;
}

std::string TagForTlp(Tlp tlp) { return "tlp:" + ToLowerAscii(TlpName(tlp)); }

std::optional<Tlp> TlpFromDistribution(int distribution) {
  switch (distribution) {
    case 0:
    case 4:
      return Tlp::kAmberStrict;
    case 1:
    case 2:
      return Tlp::kAmber;
    case 3:
      return Tlp::kGreen;
    default:
      return std::nullopt;
  }
}

int DistributionForTlp(Tlp tlp) {
  if (tlp <= Tlp::kGreen) return 3;
  if (tlp == Tlp::kAmber) return 1;
  return 0;
}

std::optional<ThreatCategory> CategoryFromTag(std::string_view tag) {
  std::string t = ToLowerAscii(Trim(tag));
  constexpr std::string_view kOwn = "entente:category=";
  if (t.starts_with(kOwn)) {
    std::string value = t.substr(kOwn.size());
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
      value = value.substr(1, value.size() - 2);
    return ParseThreatCategory(value);
  }
  auto has = [&](std::string_view part) { return t.find(part) != std::string::npos; };
  if (has("terror")) return ThreatCategory::kTerrorism;
  if (has("narco") || has("drug")) return ThreatCategory::kNarcotics;
  if (has("human-trafficking") || has("human trafficking"))
    return ThreatCategory::kHumanTrafficking;
  if (has("migra") || has("smuggl")) return ThreatCategory::kIllegalMigration;
  if (has("organized-crime") || has("organised-crime") || has("organized crime"))
    return ThreatCategory::kOrganizedCrime;
  return std::nullopt;
}

std::string TagForCategory(ThreatCategory category) {
  return "entente:category=\"" + std::string(ThreatCategoryName(category)) + "\"";
}

RelationshipType RelationshipFromReference(std::string_view relationship_type) {
  std::string t = ToLowerAscii(Trim(relationship_type));
  if (t == "member-of") return RelationshipType::kMemberOf;
  if (t == "owns" || t == "owner-of") return RelationshipType::kOwns;
  if (t == "uses" || t == "uses-phone" || t == "has-phone") return RelationshipType::kUsesPhone;
  if (t == "family-of" || t == "relative-of") return RelationshipType::kFamilyOf;
  if (t == "located-at" || t == "located-in") return RelationshipType::kLocatedAt;
  if (t == "travelled-with") return RelationshipType::kTravelledWith;
  if (t == "sighted-at") return RelationshipType::kSightedAt;
  return RelationshipType::kAssociateOf;
}

std::string ReferenceForRelationship(RelationshipType type) {
  return std::string(RelationshipTypeName(type));
}

bool IsUuid(std::string_view text) {
  if (text.size() != 36) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!std::isxdigit(static_cast<unsigned char>(c))) {
      return false;
    }
  }
  return true;
}

}  // namespace entente::ingest::misp
