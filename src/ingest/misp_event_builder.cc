#include "ingest/misp_event_builder.h"

#include "common/ids.h"
#include "common/text.h"
#include "common/time.h"
#include "ingest/misp_common.h"

namespace entente::ingest::misp {
namespace {

using Json = nlohmann::json;

constexpr const char* kPersonTemplate = "a15b0477-e9d1-4b9c-9546-abe78a4f4248";
constexpr const char* kOrganizationTemplate = "f750e12b-127a-432c-b022-b3f9153c4e2a";

std::string UuidOf(std::string_view stix_id) {
  size_t dashes = stix_id.find("--");
  return std::string(dashes == std::string_view::npos ? stix_id : stix_id.substr(dashes + 2));
}

std::string DerivedUuid(const std::string& key) {
  return UuidOf(DeterministicId("misp", "entente-misp-export", key));
}

std::string Attr(const Entity& e, const std::string& key) {
  auto it = e.attributes.find(key);
  return it == e.attributes.end() ? "" : it->second;
}

std::vector<std::string> AttrList(const Entity& e, const std::string& key) {
  return SplitNonEmpty(Attr(e, key), '|');
}

// Epoch seconds of an RFC 3339 time, as MISP writes timestamps ("1700000000").
std::string EpochSeconds(const std::string& rfc3339) {
  int64_t millis = 0;
  if (!ParseTimestamp(rfc3339, &millis)) millis = NowMillis();
  return std::to_string(millis / 1000);
}

// "SURNAME, Given" -> {Given, SURNAME}; "Given Middle Surname" -> {Given Middle, Surname}.
std::pair<std::string, std::string> SplitName(const std::string& full) {
  size_t comma = full.find(", ");
  if (comma != std::string::npos) return {full.substr(comma + 2), full.substr(0, comma)};
  size_t space = full.rfind(' ');
  if (space == std::string::npos) return {"", full};
  return {full.substr(0, space), full.substr(space + 1)};
}

}  // namespace

std::string MispUuid(const Entity& entity) {
  std::string own =
      Attr(entity, entity.type == EntityType::kEvent ? "misp_event_uuid" : "misp_uuid");
  return IsUuid(own) ? own : UuidOf(entity.meta.id);
}

EventBuilder::EventBuilder(const Entity* event, const std::string& source) : event_(event) {
  if (event) {
    uuid_ = MispUuid(*event);
    info_ = event->DisplayName();
    timestamp_ = Attr(*event, "misp_timestamp");
    if (timestamp_.empty()) timestamp_ = EpochSeconds(event->meta.modified);
  } else {
    uuid_ = DerivedUuid("event:" + source);
    info_ = "entente export: " + source;
    timestamp_ = EpochSeconds(NowTimestamp());
  }
  std::string date = event ? Attr(*event, "misp_date") : "";
  if (date.empty()) date = (event ? event->meta.modified : NowTimestamp()).substr(0, 10);
  if (date.size() != 10) date = NowTimestamp().substr(0, 10);
  std::string org = event ? Attr(*event, "misp_org") : "";
  if (org.empty()) org = event ? event->meta.provenance.service : "entente";
  std::string org_uuid = event ? Attr(*event, "misp_org_uuid") : "";
  if (!IsUuid(org_uuid)) org_uuid = DerivedUuid("org:" + org);
  Tlp tlp = event ? event->meta.marking.tlp : Tlp::kClear;
  std::string level = event ? Attr(*event, "misp_threat_level_id") : "";
  std::string analysis = event ? Attr(*event, "misp_analysis") : "";
  header_ = {{"uuid", uuid_},
             {"info", info_},
             {"date", date},
             {"threat_level_id", level.empty() ? "4" : level},
             {"analysis", analysis.empty() ? "2" : analysis},
             {"published", true},
             {"timestamp", timestamp_},
             {"publish_timestamp", timestamp_},
             {"distribution", std::to_string(DistributionForTlp(tlp))},
             {"Orgc", {{"name", org}, {"uuid", org_uuid}}}};
  if (event) {
    header_["Tag"] = Tags(event->meta, Attr(*event, "misp_tags"));
  } else {
    header_["Tag"] = Json::array({Json{{"name", TagForTlp(tlp)}}});
  }
}

Json EventBuilder::Tags(const RecordMeta& meta, const std::string& extra) const {
  Json tags = Json::array();
  tags.push_back({{"name", TagForTlp(meta.marking.tlp)}});
  if (meta.category != ThreatCategory::kOther)
    tags.push_back({{"name", TagForCategory(meta.category)}});
  for (const std::string& tag : SplitNonEmpty(extra, '|'))
    if (!TlpFromTag(tag) && !ToLowerAscii(tag).starts_with("entente:category"))
      tags.push_back({{"name", tag}});
  return tags;
}

Json EventBuilder::ObjectAttribute(const std::string& object_uuid, const std::string& relation,
                                   const std::string& type, const std::string& value) const {
  std::string category = type == "text" ? "Other" : "Person";
  if (type == "email-src") category = "Payload delivery";
  return {{"uuid", DerivedUuid(object_uuid + "|" + relation + "|" + value)},
          {"object_relation", relation},
          {"type", type},
          {"category", category},
          {"value", value},
          {"to_ids", false},
          {"distribution", "5"},
          {"timestamp", timestamp_},
          {"disable_correlation", false}};
}

Json EventBuilder::PersonObject(const Entity& p) const {
  std::string uuid = MispUuid(p);
  Json attributes = Json::array();
  auto add = [&](const std::string& relation, const std::string& type, const std::string& v) {
    if (!v.empty()) attributes.push_back(ObjectAttribute(uuid, relation, type, v));
  };
  std::string first = Attr(p, "first_name"), middle = Attr(p, "middle_name"),
              last = Attr(p, "last_name");
  if (first.empty() && last.empty()) std::tie(first, last) = SplitName(p.DisplayName());
  add("first-name", "first-name", first);
  add("middle-name", "middle-name", middle);
  add("last-name", "last-name", last);
  for (const Name& n : p.names)
    if (n.full != p.DisplayName()) add("alias", "text", n.full);
  for (const PartialDate& d : p.birth_dates) add("date-of-birth", "date-of-birth", d.ToString());
  for (const std::string& place : p.birth_places) add("place-of-birth", "place-of-birth", place);
  for (const std::string& n : p.nationalities) add("nationality", "nationality", n);
  if (p.gender != Gender::kUnknown)
    add("gender", "gender", p.gender == Gender::kMale ? "Male" : "Female");
  for (const IdentityDocumentInfo& d : p.documents) {
    if (d.type == "passport") {
      add("passport-number", "passport-number", d.number);
      add("passport-country", "passport-country", d.country);
      add("passport-expiration", "passport-expiration", d.valid_until);
    } else {
      add("identity-card-number", "identity-card-number", d.number);
    }
  }
  for (const std::string& phone : AttrList(p, "phone_numbers"))
    add("phone-number", "phone-number", phone);
  for (const std::string& mail : AttrList(p, "email")) add("e-mail", "email-src", mail);
  for (const std::string& a : p.addresses) add("address", "text", a);
  for (const char* key : {"title", "role"})
    for (const std::string& v : AttrList(p, key)) add(key, "text", v);
  for (const std::string& v : AttrList(p, "remarks")) add("text", "text", v);
  return {{"uuid", uuid},
          {"name", "person"},
          {"meta-category", "misc"},
          {"description", "An object which describes a person or an identity."},
          {"template_uuid", kPersonTemplate},
          {"template_version", "8"},
          {"distribution", std::to_string(DistributionForTlp(p.meta.marking.tlp))},
          {"timestamp", timestamp_},
          {"comment", Attr(p, "misp_comment")},
          {"Tag", Tags(p.meta, "")},
          {"Attribute", attributes},
          {"ObjectReference", Json::array()}};
}

Json EventBuilder::OrganizationObject(const Entity& o) const {
  std::string uuid = MispUuid(o);
  Json attributes = Json::array();
  auto add = [&](const std::string& relation, const std::string& type, const std::string& v) {
    if (!v.empty()) attributes.push_back(ObjectAttribute(uuid, relation, type, v));
  };
  add("name", "text", o.DisplayName());
  for (const Name& n : o.names)
    if (n.full != o.DisplayName()) add("alias", "text", n.full);
  for (const std::string& a : o.addresses) add("address", "text", a);
  for (const std::string& phone : AttrList(o, "phone_numbers"))
    add("phone-number", "phone-number", phone);
  for (const std::string& mail : AttrList(o, "email")) add("e-mail", "email-src", mail);
  for (const IdentityDocumentInfo& d : o.documents) add("VAT", "text", d.number);
  for (const std::string& v : AttrList(o, "role")) add("role", "text", v);
  add("type-of-organizarion", "text", Attr(o, "organization_type"));
  add("date-of-inception", "date-of-birth", Attr(o, "incorporation_date"));
  std::string comment = Attr(o, "misp_comment");
  if (comment.empty()) comment = Attr(o, "remarks");
  return {{"uuid", uuid},
          {"name", "organization"},
          {"meta-category", "misc"},
          {"description", "An object which describes an organization."},
          {"template_uuid", kOrganizationTemplate},
          {"template_version", "3"},
          {"distribution", std::to_string(DistributionForTlp(o.meta.marking.tlp))},
          {"timestamp", timestamp_},
          {"comment", comment},
          {"Tag", Tags(o.meta, "")},
          {"Attribute", attributes},
          {"ObjectReference", Json::array()}};
}

Json EventBuilder::GalaxyCluster(const Entity& actor) const {
  Json synonyms = Json::array();
  for (const Name& n : actor.names)
    if (n.full != actor.DisplayName()) synonyms.push_back(n.full);
  std::string tag = Attr(actor, "misp_galaxy_tag");
  if (tag.empty()) tag = "misp-galaxy:threat-actor=\"" + actor.DisplayName() + "\"";
  return {{"uuid", MispUuid(actor)},
          {"type", "threat-actor"},
          {"value", actor.DisplayName()},
          {"tag_name", tag},
          {"description", Attr(actor, "remarks")},
          {"meta", {{"synonyms", synonyms}}}};
}

void EventBuilder::AddMember(const Entity& e) {
  auto attribute = [&](const std::string& type, const std::string& category,
                       const std::string& comment) {
    std::string c = Attr(e, "misp_comment");
    attributes_.push_back({{"uuid", MispUuid(e)},
                           {"type", type},
                           {"category", category},
                           {"value", e.DisplayName()},
                           {"to_ids", false},
                           {"distribution", std::to_string(DistributionForTlp(e.meta.marking.tlp))},
                           {"timestamp", timestamp_},
                           {"comment", c.empty() ? comment : c},
                           {"disable_correlation", false},
                           {"Tag", Tags(e.meta, "")}});
  };
  switch (e.type) {
    case EntityType::kPerson:
      if (Attr(e, "misp_attribute_type") == "full-name")
        attribute("full-name", "Person", "");
      else
        objects_.push_back(PersonObject(e));
      break;
    case EntityType::kOrganization:
      if (Attr(e, "misp_galaxy") == "threat-actor")
        clusters_.push_back(GalaxyCluster(e));
      else if (Attr(e, "misp_attribute_type") == "threat-actor")
        attribute("threat-actor", "Attribution", "");
      else
        objects_.push_back(OrganizationObject(e));
      break;
    case EntityType::kPhone:
      attribute("phone-number", "Person", "");
      break;
    case EntityType::kIdentityDocument:
      attribute("passport-number", "Person", "");
      break;
    case EntityType::kVehicle:
    case EntityType::kLocation:
    case EntityType::kEvent:
      attribute("text", "Other", "entente " + std::string(EntityTypeName(e.type)));
      break;
  }
}

void EventBuilder::AddReference(const Relationship& r, const std::string& from_uuid,
                                const std::string& to_uuid) {
  for (Json& object : objects_) {
    if (object["uuid"] != from_uuid) continue;
    object["ObjectReference"].push_back({{"uuid", UuidOf(r.meta.id)},
                                         {"object_uuid", from_uuid},
                                         {"referenced_uuid", to_uuid},
                                         {"relationship_type", ReferenceForRelationship(r.type)},
                                         {"comment", r.description},
                                         {"timestamp", timestamp_}});
    return;
  }
}

void EventBuilder::RestoreUnmapped(Json* event) const {
  if (!event_) return;
  std::string kept = Attr(*event_, "misp_unmapped");
  if (kept.empty()) return;
  Json items = Json::parse(kept, nullptr, false);
  if (!items.is_array()) return;
  for (const Json& item : items) {
    if (item.contains("ObjectReference")) {
      for (Json& object : (*event)["Object"])
        if (object["uuid"] == item.value("object_uuid", ""))
          object["ObjectReference"].push_back(item["ObjectReference"]);
    } else if (item.contains("Galaxy")) {
      (*event)["Galaxy"].push_back(item["Galaxy"]);
    } else if (item.contains("type")) {
      (*event)["Attribute"].push_back(item);
    } else {
      (*event)["Object"].push_back(item);
    }
  }
}

Json EventBuilder::Build() const {
  Json event = header_;
  event["Attribute"] = attributes_;
  event["Object"] = objects_;
  event["Galaxy"] = Json::array();
  if (!clusters_.empty()) {
    event["Galaxy"].push_back({{"type", "threat-actor"},
                               {"name", "Threat Actor"},
                               {"uuid", "698774c7-8022-42c4-917f-8d6e4f06ada3"},
                               {"GalaxyCluster", clusters_}});
    // MISP attaches galaxy clusters to an event by their tags.
    for (const Json& cluster : clusters_) {
      bool tagged = false;
      for (const Json& tag : event["Tag"]) tagged |= tag["name"] == cluster["tag_name"];
      if (!tagged) event["Tag"].push_back({{"name", cluster["tag_name"]}});
    }
  }
  RestoreUnmapped(&event);
  return {{"Event", event}};
}

Json EventBuilder::ManifestEntry() const {
  Json entry;
  for (const char* key :
       {"Orgc", "Tag", "info", "date", "analysis", "threat_level_id", "timestamp"})
    entry[key] = header_[key];
  return entry;
}

}  // namespace entente::ingest::misp
