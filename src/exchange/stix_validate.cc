#include "exchange/stix_validate.h"

#include <map>
#include <set>
#include <vector>

#include "common/ids.h"
#include "common/text.h"
#include "common/time.h"

namespace entente::exchange {
namespace {

using nlohmann::json;

Status Broken(std::string_view rule, std::string_view section, const std::string& detail) {
  return InvalidArgument("rule " + std::string(rule) + " (STIX 2.1 \xc2\xa7" +
                         std::string(section) + "): " + detail);
}

const std::set<std::string, std::less<>>& SdoTypes() {
  static const std::set<std::string, std::less<>> kTypes = {
      "attack-pattern", "campaign",      "course-of-action", "grouping",
      "identity",       "incident",      "indicator",        "infrastructure",
      "intrusion-set",  "location",      "malware",          "malware-analysis",
      "note",           "observed-data", "opinion",          "report",
      "threat-actor",   "tool",          "vulnerability"};
  return kTypes;
}

const std::set<std::string, std::less<>>& ScoTypes() {
  static const std::set<std::string, std::less<>> kTypes = {"artifact",
                                                            "autonomous-system",
                                                            "directory",
                                                            "domain-name",
                                                            "email-addr",
                                                            "email-message",
                                                            "file",
                                                            "ipv4-addr",
                                                            "ipv6-addr",
                                                            "mac-addr",
                                                            "mutex",
                                                            "network-traffic",
                                                            "process",
                                                            "software",
                                                            "url",
                                                            "user-account",
                                                            "windows-registry-key",
                                                            "x509-certificate"};
  return kTypes;
}

bool IsSro(std::string_view type) { return type == "relationship" || type == "sighting"; }
bool IsSmo(std::string_view type) {
  return type == "marking-definition" || type == "language-content" ||
         type == "extension-definition";
}

// STIX 2.1 §3.1: type names are 3-250 characters of a-z, 0-9 and '-', not starting with a
// hyphen... and MUST NOT contain "--".
bool IsValidTypeName(std::string_view type) {
  if (type.size() < 3 || type.size() > 250) return false;
  if (type.front() == '-' || type.back() == '-') return false;
  if (type.find("--") != std::string_view::npos) return false;
  for (char c : type)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  return true;
}

// §3.1: property names are ASCII letters, digits and underscore, 3-250 characters (the
// specification's own two-letter "id" excepted).
bool IsValidPropertyName(std::string_view name) {
  if (name == "id") return true;
  if (name.size() < 3 || name.size() > 250) return false;
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'))
      return false;
  return true;
}

std::string Quote(const json& value) {
  std::string text = value.dump();
  if (text.size() > 80) text = text.substr(0, 77) + "...";
  return text;
}

// RFC 4122 UUIDs are case-insensitive on input (the OASIS examples hold upper-case digits).
bool IsIdentifier(const json& value) {
  if (!value.is_string()) return false;
  const std::string& id = value.get_ref<const std::string&>();
  size_t pos = id.find("--");
  if (pos == std::string::npos) return false;
  return IsValidStixId(id.substr(0, pos + 2) + ToLowerAscii(id.substr(pos + 2)));
}

Status CheckIdentifier(const json& value, std::string_view property, std::string_view rule,
                       std::string_view expected_type = {}) {
  if (!IsIdentifier(value))
    return Broken(rule, "2.9",
                  "property " + std::string(property) + " " + Quote(value) +
                      " is not an identifier <type>--<UUID>");
  if (!expected_type.empty() && StixIdType(value.get<std::string>()) != expected_type)
    return Broken(rule, "2.9",
                  "property " + std::string(property) + " " + Quote(value) + " must reference a " +
                      std::string(expected_type));
  return Status::Ok();
}

Status CheckTimestamp(const json& object, std::string_view property, bool required,
                      std::string_view rule) {
  auto it = object.find(std::string(property));
  if (it == object.end()) {
    if (required)
      return Broken(rule, "3.2", "required property " + std::string(property) + " is missing");
    return Status::Ok();
  }
  if (!it->is_string() || !IsStixTimestamp(it->get<std::string>()))
    return Broken("stix21.common.timestamp-format", "2.14",
                  "property " + std::string(property) + " " + Quote(*it) +
                      " is not an RFC 3339 UTC timestamp ending in Z");
  return Status::Ok();
}

Status RequireString(const json& object, std::string_view property, std::string_view type) {
  auto it = object.find(std::string(property));
  if (it == object.end())
    return Broken("stix21." + std::string(type) + ".required-" + std::string(property), "4",
                  std::string(type) + " requires property " + std::string(property));
  if (!it->is_string() || it->get<std::string>().empty())
    return Broken("stix21." + std::string(type) + ".required-" + std::string(property), "4",
                  "property " + std::string(property) + " must be a non-empty string");
  return Status::Ok();
}

Status RequireList(const json& object, std::string_view property, std::string_view type,
                   bool refs) {
  auto it = object.find(std::string(property));
  std::string rule = "stix21." + std::string(type) + ".required-" + std::string(property);
  if (it == object.end())
    return Broken(rule, "4", std::string(type) + " requires property " + std::string(property));
  if (!it->is_array() || it->empty())
    return Broken(rule, "4", "property " + std::string(property) + " must be a non-empty list");
  if (refs)
    for (const json& ref : *it)
      ENTENTE_RETURN_IF_ERROR(CheckIdentifier(ref, property, "stix21.common.reference-format"));
  return Status::Ok();
}

Status Require(const json& object, std::string_view property, std::string_view type) {
  if (!object.contains(std::string(property)))
    return Broken("stix21." + std::string(type) + ".required-" + std::string(property), "4",
                  std::string(type) + " requires property " + std::string(property));
  return Status::Ok();
}

Status CheckCommon(const json& o, const std::string& type) {
  bool sco = ScoTypes().count(type) > 0;
  // spec_version: required on SDOs, SROs and SMOs (and optional on SCOs), and "2.1".
  auto sv = o.find("spec_version");
  if (sv == o.end()) {
    if (!sco)
      return Broken("stix21.common.spec-version-required", "3.2",
                    "property spec_version is required and must be \"2.1\"");
  } else if (!sv->is_string() || *sv != "2.1") {
    return Broken("stix21.common.spec-version-value", "3.2",
                  "spec_version " + Quote(*sv) + " is not \"2.1\"");
  }
  bool needs_times = !sco && type != "marking-definition" && type != "extension-definition" &&
                     type != "language-content";
  if (type == "language-content" || type == "extension-definition") needs_times = true;
  ENTENTE_RETURN_IF_ERROR(CheckTimestamp(o, "created", needs_times || type == "marking-definition",
                                         "stix21.common.created-required"));
  ENTENTE_RETURN_IF_ERROR(
      CheckTimestamp(o, "modified", needs_times, "stix21.common.modified-required"));
  if (o.contains("created") && o.contains("modified")) {
    int64_t created = 0, modified = 0;
    ParseTimestamp(o["created"].get<std::string>(), &created);
    ParseTimestamp(o["modified"].get<std::string>(), &modified);
    if (modified < created)
      return Broken(
          "stix21.common.modified-after-created", "3.2",
          "modified " + Quote(o["modified"]) + " is earlier than created " + Quote(o["created"]));
  }
  if (auto it = o.find("created_by_ref"); it != o.end())
    ENTENTE_RETURN_IF_ERROR(CheckIdentifier(*it, "created_by_ref",
                                            "stix21.common.created-by-ref-identity", "identity"));
  if (auto it = o.find("revoked"); it != o.end() && !it->is_boolean())
    return Broken("stix21.common.revoked-boolean", "3.2", "revoked must be true or false");
  if (auto it = o.find("labels"); it != o.end()) {
    if (!it->is_array())
      return Broken("stix21.common.labels-list", "3.2", "labels must be a list of strings");
    for (const json& l : *it)
      if (!l.is_string())
        return Broken("stix21.common.labels-list", "3.2", "labels must be a list of strings");
  }
  if (auto it = o.find("confidence"); it != o.end()) {
    if (!it->is_number_integer() || it->get<int64_t>() < 0 || it->get<int64_t>() > 100)
      return Broken("stix21.common.confidence-range", "3.2",
                    "confidence " + Quote(*it) + " is not an integer 0-100");
  }
  if (auto it = o.find("lang"); it != o.end() && !it->is_string())
    return Broken("stix21.common.lang-string", "3.2", "lang must be a string");
  if (auto it = o.find("external_references"); it != o.end()) {
    if (!it->is_array())
      return Broken("stix21.common.external-references-list", "2.5",
                    "external_references must be a list");
    for (const json& ref : *it) {
      if (!ref.is_object() || !ref.contains("source_name") || !ref["source_name"].is_string())
        return Broken("stix21.external-reference.source-name-required", "2.5",
                      "an external reference requires source_name");
    }
  }
  if (auto it = o.find("object_marking_refs"); it != o.end()) {
    if (!it->is_array())
      return Broken("stix21.common.object-marking-refs-list", "7.2.2",
                    "object_marking_refs must be a list of marking-definition ids");
    for (const json& ref : *it)
      ENTENTE_RETURN_IF_ERROR(CheckIdentifier(ref, "object_marking_refs",
                                              "stix21.common.object-marking-refs-type",
                                              "marking-definition"));
  }
  if (auto it = o.find("granular_markings"); it != o.end()) {
    if (!it->is_array())
      return Broken("stix21.granular-marking.list", "7.2.3", "granular_markings must be a list");
    for (const json& gm : *it) {
      if (!gm.is_object())
        return Broken("stix21.granular-marking.object", "7.2.3", "a granular marking is an object");
      bool has_ref = gm.contains("marking_ref"), has_lang = gm.contains("lang");
      if (has_ref == has_lang)
        return Broken("stix21.granular-marking.ref-or-lang", "7.2.3",
                      "a granular marking needs exactly one of marking_ref and lang");
      if (has_ref)
        ENTENTE_RETURN_IF_ERROR(CheckIdentifier(gm["marking_ref"], "marking_ref",
                                                "stix21.granular-marking.marking-ref-type",
                                                "marking-definition"));
      auto sel = gm.find("selectors");
      if (sel == gm.end() || !sel->is_array() || sel->empty())
        return Broken("stix21.granular-marking.selectors-required", "7.2.3",
                      "a granular marking needs a non-empty list of selectors");
    }
  }
  if (auto it = o.find("extensions"); it != o.end()) {
    if (!it->is_object())
      return Broken("stix21.common.extensions-dictionary", "3.2",
                    "extensions must be a dictionary");
    for (const auto& [key, value] : it->items()) {
      if (!value.is_object())
        return Broken("stix21.common.extensions-dictionary", "3.2",
                      "extension " + key + " must be an object");
      if (key.rfind("extension-definition--", 0) == 0) {
        if (!IsValidStixId(key))
          return Broken("stix21.extension.key-format", "7.3",
                        "extension key " + key + " is not an extension-definition id");
        auto et = value.find("extension_type");
        if (et != value.end() &&
            (!et->is_string() ||
             (*et != "property-extension" && *et != "toplevel-property-extension" &&
              *et != "new-sdo" && *et != "new-sco" && *et != "new-sro")))
          return Broken("stix21.extension.extension-type", "7.3",
                        "extension_type " + Quote(*et) + " is not a STIX 2.1 extension type");
      }
    }
  }
  for (const auto& [key, value] : o.items())
    if (!IsValidPropertyName(key))
      return Broken("stix21.common.property-name", "3.1",
                    "property name \"" + key + "\" must be 3-250 characters of a-z A-Z 0-9 _");
  return Status::Ok();
}

Status CheckTypeSpecific(const json& o, const std::string& type) {
  if (type == "identity" || type == "threat-actor" || type == "campaign" ||
      type == "intrusion-set" || type == "attack-pattern" || type == "tool" ||
      type == "course-of-action" || type == "infrastructure" || type == "vulnerability" ||
      type == "incident")
    return RequireString(o, "name", type);
  if (type == "location") {
    bool region = o.contains("region"), country = o.contains("country");
    bool lat = o.contains("latitude"), lon = o.contains("longitude");
    if (lat != lon)
      return Broken("stix21.location.latitude-longitude-pair", "4.10",
                    "latitude and longitude must be given together");
    if (!region && !country && !lat)
      return Broken("stix21.location.required-region-country-or-coordinates", "4.10",
                    "a location needs region, country, or latitude and longitude");
    if (lat && (!o["latitude"].is_number() || o["latitude"].get<double>() < -90 ||
                o["latitude"].get<double>() > 90))
      return Broken("stix21.location.latitude-range", "4.10", "latitude must be -90.0..90.0");
    if (lon && (!o["longitude"].is_number() || o["longitude"].get<double>() < -180 ||
                o["longitude"].get<double>() > 180))
      return Broken("stix21.location.longitude-range", "4.10", "longitude must be -180.0..180.0");
    return Status::Ok();
  }
  if (type == "indicator") {
    ENTENTE_RETURN_IF_ERROR(RequireString(o, "pattern", type));
    ENTENTE_RETURN_IF_ERROR(RequireString(o, "pattern_type", type));
    return CheckTimestamp(o, "valid_from", true, "stix21.indicator.required-valid_from");
  }
  if (type == "malware") {
    auto it = o.find("is_family");
    if (it == o.end() || !it->is_boolean())
      return Broken("stix21.malware.required-is_family", "4.11",
                    "malware requires is_family (true or false)");
    if (it->get<bool>()) return RequireString(o, "name", type);
    return Status::Ok();
  }
  if (type == "report") {
    ENTENTE_RETURN_IF_ERROR(RequireString(o, "name", type));
    ENTENTE_RETURN_IF_ERROR(
        CheckTimestamp(o, "published", true, "stix21.report.required-published"));
    return RequireList(o, "object_refs", type, true);
  }
  if (type == "grouping") {
    ENTENTE_RETURN_IF_ERROR(RequireString(o, "context", type));
    return RequireList(o, "object_refs", type, true);
  }
  if (type == "note") {
    ENTENTE_RETURN_IF_ERROR(RequireString(o, "content", type));
    return RequireList(o, "object_refs", type, true);
  }
  if (type == "opinion") {
    ENTENTE_RETURN_IF_ERROR(RequireString(o, "opinion", type));
    return RequireList(o, "object_refs", type, true);
  }
  if (type == "observed-data") {
    ENTENTE_RETURN_IF_ERROR(
        CheckTimestamp(o, "first_observed", true, "stix21.observed-data.required-first_observed"));
    ENTENTE_RETURN_IF_ERROR(
        CheckTimestamp(o, "last_observed", true, "stix21.observed-data.required-last_observed"));
    auto n = o.find("number_observed");
    if (n == o.end() || !n->is_number_integer() || n->get<int64_t>() < 1 ||
        n->get<int64_t>() > 999999999)
      return Broken("stix21.observed-data.number-observed-range", "4.14",
                    "number_observed must be an integer 1..999,999,999");
    if (!o.contains("object_refs") && !o.contains("objects"))
      return Broken("stix21.observed-data.object-refs-required", "4.14",
                    "observed-data needs object_refs");
    if (o.contains("object_refs")) return RequireList(o, "object_refs", type, true);
    return Status::Ok();
  }
  if (type == "malware-analysis") {
    ENTENTE_RETURN_IF_ERROR(RequireString(o, "product", type));
    if (!o.contains("result") && !o.contains("analysis_sco_refs"))
      return Broken("stix21.malware-analysis.result-or-refs", "4.12",
                    "malware-analysis needs result or analysis_sco_refs");
    return Status::Ok();
  }
  if (type == "relationship") {
    auto rt = o.find("relationship_type");
    if (rt == o.end() || !rt->is_string() || !IsValidTypeName(rt->get<std::string>()))
      return Broken("stix21.relationship.required-relationship_type", "5.1",
                    "relationship_type is required: a-z, 0-9 and hyphens");
    for (const char* end : {"source_ref", "target_ref"}) {
      auto it = o.find(end);
      if (it == o.end())
        return Broken(std::string("stix21.relationship.required-") + end, "5.1",
                      std::string("relationship requires ") + end);
      ENTENTE_RETURN_IF_ERROR(CheckIdentifier(*it, end, "stix21.relationship.ref-format"));
      std::string_view ref_type = StixIdType(it->get_ref<const std::string&>());
      if (IsSro(ref_type) || IsSmo(ref_type) || ref_type == "bundle")
        return Broken(
            "stix21.relationship.ref-to-sdo-or-sco", "5.1",
            std::string(end) + " must reference an SDO or SCO, not a " + std::string(ref_type));
    }
    ENTENTE_RETURN_IF_ERROR(CheckTimestamp(o, "start_time", false, ""));
    ENTENTE_RETURN_IF_ERROR(CheckTimestamp(o, "stop_time", false, ""));
    if (o.contains("start_time") && o.contains("stop_time") &&
        o["stop_time"].get<std::string>() <= o["start_time"].get<std::string>())
      return Broken("stix21.relationship.stop-after-start", "5.1",
                    "stop_time must be later than start_time");
    return Status::Ok();
  }
  if (type == "sighting") {
    auto it = o.find("sighting_of_ref");
    if (it == o.end())
      return Broken("stix21.sighting.required-sighting_of_ref", "5.2",
                    "sighting requires sighting_of_ref");
    ENTENTE_RETURN_IF_ERROR(CheckIdentifier(*it, "sighting_of_ref", "stix21.sighting.ref-format"));
    if (!SdoTypes().count(StixIdType(it->get_ref<const std::string&>())) &&
        StixIdType(it->get_ref<const std::string&>()).substr(0, 2) != "x-")
      return Broken("stix21.sighting.sighting-of-sdo", "5.2",
                    "sighting_of_ref must reference an SDO");
    if (auto w = o.find("where_sighted_refs"); w != o.end()) {
      if (!w->is_array())
        return Broken("stix21.sighting.where-sighted-list", "5.2",
                      "where_sighted_refs must be a list");
      for (const json& ref : *w) {
        ENTENTE_RETURN_IF_ERROR(
            CheckIdentifier(ref, "where_sighted_refs", "stix21.sighting.ref-format"));
        std::string_view t = StixIdType(ref.get_ref<const std::string&>());
        if (t != "identity" && t != "location")
          return Broken("stix21.sighting.where-sighted-identity-or-location", "5.2",
                        "where_sighted_refs must reference identity or location objects");
      }
    }
    if (auto c = o.find("count");
        c != o.end() &&
        (!c->is_number_integer() || c->get<int64_t>() < 0 || c->get<int64_t>() > 999999999))
      return Broken("stix21.sighting.count-range", "5.2", "count must be 0..999,999,999");
    ENTENTE_RETURN_IF_ERROR(CheckTimestamp(o, "first_seen", false, ""));
    ENTENTE_RETURN_IF_ERROR(CheckTimestamp(o, "last_seen", false, ""));
    return Status::Ok();
  }
  if (type == "marking-definition") {
    bool has_ext = o.contains("extensions");
    bool has_type = o.contains("definition_type"), has_def = o.contains("definition");
    if (!has_ext && !(has_type && has_def))
      return Broken("stix21.marking-definition.definition-required", "7.2.1",
                    "a marking-definition needs definition_type and definition, or extensions");
    if (has_type != has_def)
      return Broken("stix21.marking-definition.definition-pair", "7.2.1",
                    "definition_type and definition go together");
    if (has_type && o["definition_type"] == "statement" &&
        (!o["definition"].is_object() || !o["definition"].contains("statement")))
      return Broken("stix21.marking-definition.statement", "7.2.1.3",
                    "a statement marking needs definition.statement");
    if (has_type && o["definition_type"] == "tlp" &&
        (!o["definition"].is_object() || !o["definition"].contains("tlp")))
      return Broken("stix21.marking-definition.tlp", "7.2.1.4",
                    "a TLP marking needs definition.tlp");
    return Status::Ok();
  }
  if (type == "extension-definition") {
    ENTENTE_RETURN_IF_ERROR(RequireString(o, "name", type));
    ENTENTE_RETURN_IF_ERROR(RequireString(o, "schema", type));
    ENTENTE_RETURN_IF_ERROR(RequireString(o, "version", type));
    ENTENTE_RETURN_IF_ERROR(RequireList(o, "extension_types", type, false));
    if (!o.contains("created_by_ref"))
      return Broken("stix21.extension-definition.required-created_by_ref", "7.3",
                    "extension-definition requires created_by_ref");
    return Status::Ok();
  }
  if (type == "language-content") {
    ENTENTE_RETURN_IF_ERROR(Require(o, "object_ref", type));
    return Require(o, "contents", type);
  }
  return Status::Ok();
}

}  // namespace

bool IsStixTimestamp(std::string_view text) {
  int64_t millis = 0;
  return ParseTimestamp(text, &millis);
}

bool IsStandardStixType(std::string_view type) {
  return SdoTypes().count(type) || ScoTypes().count(type) || IsSro(type) || IsSmo(type) ||
         type == "bundle";
}

Status ValidateStixObject(const json& o) {
  if (!o.is_object())
    return Broken("stix21.object.is-object", "2", "a STIX object is a JSON object");
  auto t = o.find("type");
  if (t == o.end() || !t->is_string())
    return Broken("stix21.common.type-required", "3.2", "property type is required");
  std::string type = t->get<std::string>();
  if (!IsValidTypeName(type))
    return Broken("stix21.common.type-format", "3.1",
                  "type \"" + type + "\" must be 3-250 characters of a-z, 0-9 and single hyphens");
  if (type == "bundle")
    return Broken("stix21.bundle.not-nested", "8", "a bundle cannot be an object of a bundle");
  auto id = o.find("id");
  if (id == o.end()) return Broken("stix21.common.id-required", "3.2", "property id is required");
  if (!IsIdentifier(*id))
    return Broken("stix21.common.id-format", "2.9",
                  "id " + Quote(*id) + " is not of the form <type>--<UUID>");
  if (StixIdType(id->get_ref<const std::string&>()) != type)
    return Broken("stix21.common.id-type-match", "2.9",
                  "id " + Quote(*id) + " does not start with the object's type \"" + type + "--\"");
  ENTENTE_RETURN_IF_ERROR(CheckCommon(o, type));
  return CheckTypeSpecific(o, type);
}

Status ValidateStixBundle(const json& bundle, size_t max_objects) {
  if (!bundle.is_object())
    return Broken("stix21.bundle.is-object", "8", "a bundle is a JSON object");
  if (bundle.value("type", json()) != "bundle")
    return Broken("stix21.bundle.type", "8", "property type must be \"bundle\"");
  auto id = bundle.find("id");
  if (id == bundle.end() || !id->is_string() || !IsValidStixId(id->get<std::string>()) ||
      StixIdType(id->get_ref<const std::string&>()) != "bundle")
    return Broken("stix21.bundle.id-format", "8", "bundle id must be bundle--<UUID>");
  auto objects = bundle.find("objects");
  if (objects == bundle.end()) return Status::Ok();
  if (!objects->is_array())
    return Broken("stix21.bundle.objects-list", "8", "objects must be a list");
  if (objects->size() > max_objects)
    return ResourceExhausted("bundle holds " + std::to_string(objects->size()) +
                             " objects; the limit is " + std::to_string(max_objects));
  for (size_t i = 0; i < objects->size(); ++i) {
    Status s = ValidateStixObject((*objects)[i]);
    if (!s.ok()) {
      std::string id_text = (*objects)[i].is_object() ? (*objects)[i].value("id", std::string("?"))
                                                      : std::string("?");
      return s.WithContext("object " + std::to_string(i + 1) + " (" + id_text + ")");
    }
  }
  return Status::Ok();
}

}  // namespace entente::exchange
