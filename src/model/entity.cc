#include "model/entity.h"

#include <algorithm>

#include "common/ids.h"
#include "common/text.h"
#include "model/country.h"

namespace entente {

const std::string& Entity::DisplayName() const {
  for (const Name& n : names)
    if (n.kind == NameKind::kPrimary && !n.full.empty()) return n.full;
  for (const Name& n : names)
    if (!n.full.empty()) return n.full;
  return meta.id;
}

std::string_view IdPrefixFor(EntityType type) { return EntityTypeName(type); }

namespace {

Status CheckText(std::string_view field, std::string_view text) {
  size_t offset = 0;
  if (!IsValidUtf8(text, &offset))
    return InvalidArgument("field " + std::string(field) + ": invalid UTF-8 at byte " +
                           std::to_string(offset));
  return Status::Ok();
}

Status ValidateMeta(const RecordMeta& meta, std::string_view expected_prefix) {
  if (!IsValidStixId(meta.id))
    return InvalidArgument("field id: \"" + meta.id + "\" is not of the form <type>--<uuid>");
  if (StixIdType(meta.id) != expected_prefix)
    return InvalidArgument("field id: \"" + meta.id + "\" should start with \"" +
                           std::string(expected_prefix) + "--\"");
  if (!IsValidReliability(meta.grades.reliability))
    return InvalidArgument(std::string("field reliability: \"") + meta.grades.reliability +
                           "\" is not an Admiralty grade A-F");
  if (!IsValidCredibility(meta.grades.credibility))
    return InvalidArgument("field credibility: " + std::to_string(meta.grades.credibility) +
                           " is not an Admiralty grade 1-6");
  ENTENTE_RETURN_IF_ERROR(CheckText("service", meta.provenance.service));
  ENTENTE_RETURN_IF_ERROR(CheckText("source", meta.provenance.source));
  ENTENTE_RETURN_IF_ERROR(CheckText("source_record_id", meta.provenance.source_record_id));
  return Status::Ok();
}

}  // namespace

Status ValidateEntity(const Entity& e) {
  ENTENTE_RETURN_IF_ERROR(ValidateMeta(e.meta, IdPrefixFor(e.type)));
  bool needs_name = e.type == EntityType::kPerson || e.type == EntityType::kOrganization;
  bool has_name = std::any_of(e.names.begin(), e.names.end(),
                              [](const Name& n) { return !Trim(n.full).empty(); });
  if (needs_name && !has_name) return InvalidArgument("field name: a name is required");
  for (const Name& n : e.names) ENTENTE_RETURN_IF_ERROR(CheckText("name", n.full));
  for (const std::string& c : e.nationalities)
    if (!IsValidCountryCode(c))
      return InvalidArgument("field nationality: \"" + c + "\" is not an ISO 3166 alpha-2 code");
  for (const IdentityDocumentInfo& d : e.documents) {
    ENTENTE_RETURN_IF_ERROR(CheckText("id_number", d.number));
    if (!d.country.empty() && !IsValidCountryCode(d.country))
      return InvalidArgument("field document country: \"" + d.country +
                             "\" is not an ISO 3166 alpha-2 code");
  }
  for (const auto& [key, value] : e.attributes) {
    ENTENTE_RETURN_IF_ERROR(CheckText(key, key));
    ENTENTE_RETURN_IF_ERROR(CheckText(key, value));
  }
  for (const std::string& p : e.birth_places) ENTENTE_RETURN_IF_ERROR(CheckText("birth_place", p));
  for (const std::string& a : e.addresses) ENTENTE_RETURN_IF_ERROR(CheckText("address", a));
  return Status::Ok();
}

Status ValidateRelationship(const Relationship& r) {
  ENTENTE_RETURN_IF_ERROR(ValidateMeta(r.meta, "relationship"));
  if (!IsValidStixId(r.source_id))
    return InvalidArgument("field source_id: \"" + r.source_id + "\" is not a record id");
  if (!IsValidStixId(r.target_id))
    return InvalidArgument("field target_id: \"" + r.target_id + "\" is not a record id");
  return CheckText("description", r.description);
}

bool MayRead(const Marking& marking, const std::string& owner_service, Tlp clearance,
             const std::string& reader_service) {
  if (marking.tlp > clearance) return false;
  if (reader_service == owner_service) return true;
  // TLP 2.0: AMBER+STRICT stays inside the owning organization and RED goes only to named
  // recipients, so without an explicit releasability list they never reach another service.
  if (marking.releasable_to.empty()) return marking.tlp < Tlp::kAmberStrict;
  return std::find(marking.releasable_to.begin(), marking.releasable_to.end(), reader_service) !=
         marking.releasable_to.end();
}

}  // namespace entente
