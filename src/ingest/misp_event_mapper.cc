#include "ingest/misp_event_mapper.h"

#include <map>
#include <unordered_map>

#include "common/ids.h"
#include "common/text.h"
#include "ingest/country_names.h"
#include "ingest/list_support.h"
#include "ingest/misp_common.h"
#include "ingest/reader_support.h"
#include "model/country.h"

namespace entente::ingest::misp {
namespace {

using Json = nlohmann::json;

std::string Str(const Json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end()) return "";
  if (it->is_string()) return std::string(Trim(it->get<std::string>()));
  if (it->is_number() || it->is_boolean()) return it->dump();
  return "";
}

int Int(const Json& object, const char* key, int fallback) {
  std::string text = Str(object, key);
  if (text.empty()) return fallback;
  try {
    return std::stoi(text);
  } catch (...) {
    return fallback;
  }
}

std::vector<std::string> TagNames(const Json& object) {
  std::vector<std::string> tags;
  auto it = object.find("Tag");
  if (it == object.end() || !it->is_array()) return tags;
  for (const Json& tag : *it)
    if (tag.is_object() && !Str(tag, "name").empty()) tags.push_back(Str(tag, "name"));
  return tags;
}

// The marking and category a MISP item's tags and distribution give, over its parent's.
struct Handling {
  Tlp tlp = Tlp::kAmber;
  ThreatCategory category = ThreatCategory::kOther;

  Handling Refined(const Json& object) const {
    Handling out = *this;
    std::optional<Tlp> tagged;
    for (const std::string& tag : TagNames(object)) {
      if (auto tlp = TlpFromTag(tag)) tagged = tlp;
      if (auto category = CategoryFromTag(tag)) out.category = *category;
    }
    if (tagged) {
      out.tlp = *tagged;
    } else if (auto by_distribution = TlpFromDistribution(Int(object, "distribution", 5))) {
      out.tlp = *by_distribution;
    }
    return out;
  }
};

// The values of one object, by object_relation, in order.
using Relations = std::multimap<std::string, std::string>;

std::vector<std::string> All(const Relations& r, const std::string& key) {
  std::vector<std::string> out;
  auto [from, to] = r.equal_range(key);
  for (auto it = from; it != to; ++it) out.push_back(it->second);
  return out;
}

std::string One(const Relations& r, const std::string& key) {
  auto it = r.find(key);
  return it == r.end() ? "" : it->second;
}

std::string Country(std::string_view text) {
  std::string code = NormalizeCountryCode(text);
  return code.empty() ? CountryCodeForName(text) : code;
}

class Mapping {
 public:
  Mapping(const ImportDefaults& defaults, const std::string& file, std::set<std::string>* emitted)
      : defaults_(defaults), file_(file), emitted_(emitted) {}

  Status Run(const Json& event, const std::string& where, ReadItem* item);

 private:
  Status Error(const std::string& where, const std::string& reason) const {
    return InvalidArgument(file_ + ": " + where + ": " + reason);
  }
  Status ReadRelations(const Json& object, const std::string& where, Relations* out) const;
  Status MapObject(const Json& object, const std::string& where, const Handling& parent);
  Status MapPerson(const Relations& r, Entity* e, const std::string& where);
  void MapOrganization(const Relations& r, Entity* e);
  Status MapAttribute(const Json& attribute, const std::string& where, const Handling& parent);
  Status MapGalaxies(const Json& event, const std::string& where, const Handling& handling);
  void MapReferences(const Json& object);
  void Keep(const Json& raw) { unmapped_.push_back(raw); }
  // Stamps and adds an entity made from MISP item `uuid`, linked to the event.
  void Add(Entity entity, const std::string& uuid, const Handling& handling);
  void Link(const std::string& from_uuid, const std::string& to_uuid, RelationshipType type,
            const std::string& description);

  ImportDefaults WithTlp(Tlp tlp) const {
    ImportDefaults d = defaults_;
    d.tlp = tlp;
    return d;
  }

  const ImportDefaults& defaults_;
  const std::string& file_;
  std::set<std::string>* emitted_;
  std::string event_uuid_;
  std::string event_id_;
  std::vector<Record> records_;
  std::unordered_map<std::string, std::string> record_of_uuid_;      // MISP uuid -> record id
  std::unordered_map<std::string, IdentityDocumentInfo> passports_;  // passport object uuid
  std::vector<Json> unmapped_;
  std::vector<Json> references_;  // (object uuid, ObjectReference) pairs, resolved at the end
};

Status Mapping::ReadRelations(const Json& object, const std::string& where, Relations* out) const {
  auto attributes = object.find("Attribute");
  if (attributes == object.end()) return Status::Ok();
  if (!attributes->is_array()) return Error(where + ".Attribute", "expected an array");
  for (size_t i = 0; i < attributes->size(); ++i) {
    const Json& a = (*attributes)[i];
    if (!a.is_object())
      return Error(where + ".Attribute[" + std::to_string(i) + "]", "expected an object");
    std::string relation = Str(a, "object_relation");
    if (relation.empty()) relation = Str(a, "type");
    std::string value = Str(a, "value");
    if (!value.empty()) out->emplace(relation, value);
  }
  return Status::Ok();
}

Status Mapping::MapPerson(const Relations& r, Entity* e, const std::string& where) {
  e->type = EntityType::kPerson;
  std::string full = One(r, "full-name");
  std::vector<std::string> parts;
  for (const char* key : {"first-name", "middle-name", "last-name"})
    if (std::string v = One(r, key); !v.empty()) parts.push_back(v);
  if (full.empty()) full = Join(parts, " ");
  std::vector<std::string> aliases = All(r, "alias");
  if (full.empty() && aliases.empty())
    return Error(where, "no first-name, last-name, full-name or alias");
  AddName(e, full.empty() ? aliases.front() : full, NameKind::kPrimary);
  for (const std::string& alias : aliases) AddName(e, alias, NameKind::kAlias);
  AddAttribute(e, "first_name", One(r, "first-name"));
  AddAttribute(e, "middle_name", One(r, "middle-name"));
  AddAttribute(e, "last_name", One(r, "last-name"));
  for (const std::string& dob : All(r, "date-of-birth")) {
    std::string why;
    auto date = PartialDate::Parse(dob.substr(0, 10), &why);
    if (!date) return Error(where + ", date-of-birth", "\"" + dob + "\": " + why);
    AddDate(e, *date);
  }
  for (const std::string& place : All(r, "place-of-birth")) AddText(&e->birth_places, place);
  for (const std::string& n : All(r, "nationality")) {
    std::string code = Country(n);
    if (code.empty())
      AddAttribute(e, "nationality_text", n);
    else
      AddText(&e->nationalities, code);
  }
  std::string gender = ToLowerAscii(One(r, "gender"));
  if (auto g = ParseGender(gender)) e->gender = *g;
  for (const std::string& number : All(r, "passport-number"))
    e->documents.push_back({"passport", number, Country(One(r, "passport-country")), "",
                            One(r, "passport-expiration").substr(0, 10)});
  for (const std::string& number : All(r, "identity-card-number"))
    e->documents.push_back({"national-id", number, "", "", ""});
  return Status::Ok();
}

void Mapping::MapOrganization(const Relations& r, Entity* e) {
  e->type = EntityType::kOrganization;
  std::vector<std::string> aliases = All(r, "alias");
  std::string name = One(r, "name");
  AddName(e, name.empty() ? (aliases.empty() ? "" : aliases.front()) : name, NameKind::kPrimary);
  for (const std::string& alias : aliases) AddName(e, alias, NameKind::kAlias);
  for (const std::string& vat : All(r, "VAT")) e->documents.push_back({"tax-id", vat, "", "", ""});
  AddAttribute(e, "organization_type", One(r, "type-of-organizarion"));
  AddAttribute(e, "incorporation_date", One(r, "date-of-inception"));
}

// The relations every kind keeps the same way; the rest of a person's or organization's
// relations that no field takes are kept as attributes misp_<relation>.
void KeepOtherRelations(const Relations& r, Entity* e) {
  static const std::set<std::string> kTaken = {"full-name",
                                               "first-name",
                                               "middle-name",
                                               "last-name",
                                               "alias",
                                               "date-of-birth",
                                               "place-of-birth",
                                               "nationality",
                                               "gender",
                                               "passport-number",
                                               "passport-country",
                                               "passport-expiration",
                                               "identity-card-number",
                                               "name",
                                               "VAT",
                                               "type-of-organizarion",
                                               "date-of-inception"};
  for (const auto& [relation, value] : r) {
    if (kTaken.count(relation)) continue;
    if (relation == "address") {
      AddText(&e->addresses, value);
    } else if (relation == "phone-number") {
      AddAttribute(e, "phone_numbers", value);
    } else if (relation == "e-mail") {
      AddAttribute(e, "email", value);
    } else if (relation == "title" || relation == "role") {
      AddAttribute(e, relation, value);
    } else if (relation == "text" || relation == "description") {
      AddAttribute(e, "remarks", value);
    } else {
      AddAttribute(e, "misp_" + relation, value);
    }
  }
}

Status Mapping::MapObject(const Json& object, const std::string& where, const Handling& parent) {
  if (!object.is_object()) return Error(where, "expected an object");
  std::string name = Str(object, "name");
  std::string uuid = Str(object, "uuid");
  if (name != "person" && name != "organization" && name != "passport") {
    Keep(object);
    return Status::Ok();
  }
  std::string here = where + " (" + name + " " + uuid + ")";
  if (uuid.empty()) return Error(here, "no uuid");
  Relations relations;
  ENTENTE_RETURN_IF_ERROR(ReadRelations(object, here, &relations));
  Handling handling = parent.Refined(object);
  if (name == "passport") {
    IdentityDocumentInfo passport{"passport", One(relations, "passport-number"),
                                  Country(One(relations, "passport-country")), "",
                                  One(relations, "passport-expiration").substr(0, 10)};
    if (passport.number.empty()) return Error(here, "no passport-number");
    passports_[uuid] = passport;
    Entity document;
    document.type = EntityType::kIdentityDocument;
    AddName(&document, passport.number, NameKind::kPrimary);
    document.documents.push_back(passport);
    Add(std::move(document), uuid, handling);
    MapReferences(object);
    return Status::Ok();
  }
  Entity entity;
  if (name == "person") {
    ENTENTE_RETURN_IF_ERROR(MapPerson(relations, &entity, here));
  } else {
    MapOrganization(relations, &entity);
    if (entity.names.empty()) return Error(here, "no name or alias");
  }
  KeepOtherRelations(relations, &entity);
  AddAttribute(&entity, "misp_comment", Str(object, "comment"));
  Add(std::move(entity), uuid, handling);
  MapReferences(object);
  return Status::Ok();
}

void Mapping::MapReferences(const Json& object) {
  auto refs = object.find("ObjectReference");
  if (refs == object.end() || !refs->is_array()) return;
  for (const Json& ref : *refs)
    if (ref.is_object()) references_.push_back({{"from", Str(object, "uuid")}, {"ref", ref}});
}

Status Mapping::MapAttribute(const Json& attribute, const std::string& where,
                             const Handling& parent) {
  if (!attribute.is_object()) return Error(where, "expected an object");
  std::string type = Str(attribute, "type");
  std::string value = Str(attribute, "value");
  std::string uuid = Str(attribute, "uuid");
  EntityType kind;
  if (type == "phone-number")
    kind = EntityType::kPhone;
  else if (type == "passport-number")
    kind = EntityType::kIdentityDocument;
  else if (type == "full-name")
    kind = EntityType::kPerson;
  else if (type == "threat-actor")
    kind = EntityType::kOrganization;
  else {
    Keep(attribute);
    return Status::Ok();
  }
  if (uuid.empty() || value.empty())
    return Error(where + " (" + type + ")", uuid.empty() ? "no uuid" : "no value");
  Entity entity;
  entity.type = kind;
  AddName(&entity, value, NameKind::kPrimary);
  if (kind == EntityType::kIdentityDocument)
    entity.documents.push_back({"passport", value, "", "", ""});
  AddAttribute(&entity, "misp_attribute_type", type);
  AddAttribute(&entity, "misp_category", Str(attribute, "category"));
  AddAttribute(&entity, "misp_comment", Str(attribute, "comment"));
  Add(std::move(entity), uuid, parent.Refined(attribute));
  return Status::Ok();
}

Status Mapping::MapGalaxies(const Json& event, const std::string& where, const Handling& handling) {
  auto galaxies = event.find("Galaxy");
  if (galaxies == event.end()) return Status::Ok();
  if (!galaxies->is_array()) return Error(where + ".Galaxy", "expected an array");
  for (size_t g = 0; g < galaxies->size(); ++g) {
    const Json& galaxy = (*galaxies)[g];
    if (!galaxy.is_object() || Str(galaxy, "type") != "threat-actor") {
      Keep(Json{{"Galaxy", galaxy}});
      continue;
    }
    auto clusters = galaxy.find("GalaxyCluster");
    if (clusters == galaxy.end() || !clusters->is_array()) continue;
    for (size_t c = 0; c < clusters->size(); ++c) {
      const Json& cluster = (*clusters)[c];
      std::string at =
          where + ".Galaxy[" + std::to_string(g) + "].GalaxyCluster[" + std::to_string(c) + "]";
      if (!cluster.is_object()) return Error(at, "expected an object");
      std::string uuid = Str(cluster, "uuid");
      std::string value = Str(cluster, "value");
      if (uuid.empty() || value.empty()) return Error(at, uuid.empty() ? "no uuid" : "no value");
      Entity actor;
      actor.type = EntityType::kOrganization;
      AddName(&actor, value, NameKind::kPrimary);
      auto meta = cluster.find("meta");
      if (meta != cluster.end() && meta->is_object() && meta->contains("synonyms") &&
          (*meta)["synonyms"].is_array())
        for (const Json& synonym : (*meta)["synonyms"])
          if (synonym.is_string()) AddName(&actor, synonym.get<std::string>(), NameKind::kAlias);
      AddAttribute(&actor, "remarks", Str(cluster, "description"));
      AddAttribute(&actor, "misp_galaxy", "threat-actor");
      AddAttribute(&actor, "misp_galaxy_tag", Str(cluster, "tag_name"));
      Add(std::move(actor), uuid, handling);
    }
  }
  return Status::Ok();
}

void Mapping::Add(Entity entity, const std::string& uuid, const Handling& handling) {
  ImportDefaults d = WithTlp(handling.tlp);
  StampMeta(&entity.meta, IdPrefixFor(entity.type), d, uuid, handling.category);
  entity.attributes["misp_uuid"] = uuid;
  std::string id = entity.meta.id;
  record_of_uuid_[uuid] = id;
  if (emitted_->insert(id).second) records_.emplace_back(std::move(entity));
  Link(uuid, event_uuid_, RelationshipType::kSightedAt, "in MISP event " + event_uuid_);
}

void Mapping::Link(const std::string& from_uuid, const std::string& to_uuid, RelationshipType type,
                   const std::string& description) {
  auto from = record_of_uuid_.find(from_uuid);
  auto to = record_of_uuid_.find(to_uuid);
  if (from == record_of_uuid_.end() || to == record_of_uuid_.end()) return;
  Relationship link;
  link.type = type;
  std::string key = from_uuid + ">" + std::string(RelationshipTypeName(type)) + ">" + to_uuid;
  StampMeta(&link.meta, "relationship", defaults_, key,
            defaults_.category.value_or(ThreatCategory::kOther));
  // A link is as sensitive as the more restricted of its ends: take the event's marking.
  for (const Record& r : records_)
    if (MetaOf(r).id == event_id_) link.meta.marking = MetaOf(r).marking;
  link.source_id = from->second;
  link.target_id = to->second;
  link.description = description;
  if (emitted_->insert(link.meta.id).second) records_.emplace_back(std::move(link));
}

Status Mapping::Run(const Json& event, const std::string& where, ReadItem* item) {
  if (!event.is_object()) return Error(where, "expected an object");
  event_uuid_ = Str(event, "uuid");
  std::string info = Str(event, "info");
  if (event_uuid_.empty()) return Error(where + ".uuid", "missing");
  if (info.empty()) return Error(where + " (" + event_uuid_ + ").info", "missing");
  std::string here = where + " (" + event_uuid_ + ")";
  Handling base{defaults_.tlp.value_or(Tlp::kAmber), FallbackCategory(defaults_)};
  Handling handling = base.Refined(event);

  Entity e;
  e.type = EntityType::kEvent;
  AddName(&e, info, NameKind::kPrimary);
  StampMeta(&e.meta, "event", WithTlp(handling.tlp), event_uuid_, handling.category);
  event_id_ = e.meta.id;
  record_of_uuid_[event_uuid_] = event_id_;
  e.attributes["misp_event_uuid"] = event_uuid_;
  for (auto [key, attribute] : {std::pair{"date", "misp_date"},
                                {"threat_level_id", "misp_threat_level_id"},
                                {"analysis", "misp_analysis"},
                                {"published", "misp_published"},
                                {"timestamp", "misp_timestamp"}})
    AddAttribute(&e, attribute, Str(event, key));
  if (event.contains("Orgc") && event["Orgc"].is_object()) {
    AddAttribute(&e, "misp_org", Str(event["Orgc"], "name"));
    AddAttribute(&e, "misp_org_uuid", Str(event["Orgc"], "uuid"));
  }
  std::vector<std::string> tags = TagNames(event);
  if (!tags.empty()) e.attributes["misp_tags"] = Join(tags, "|");
  records_.emplace_back(std::move(e));
  emitted_->insert(event_id_);

  for (const char* key : {"Object", "Attribute"}) {
    auto list = event.find(key);
    if (list == event.end()) continue;
    if (!list->is_array()) return Error(here + "." + key, "expected an array");
    for (size_t i = 0; i < list->size(); ++i) {
      std::string at = here + "." + key + "[" + std::to_string(i) + "]";
      ENTENTE_RETURN_IF_ERROR(std::string(key) == "Object"
                                  ? MapObject((*list)[i], at, handling)
                                  : MapAttribute((*list)[i], at, handling));
    }
  }
  ENTENTE_RETURN_IF_ERROR(MapGalaxies(event, here, handling));

  // References between mapped objects; a passport referenced with a person becomes the
  // person's document too. References to what was not mapped are kept with it.
  for (const Json& pair : references_) {
    const Json& ref = pair["ref"];
    std::string from = pair["from"].get<std::string>();
    std::string to = Str(ref, "referenced_uuid");
    std::string type = Str(ref, "relationship_type");
    if (!record_of_uuid_.count(from) || !record_of_uuid_.count(to)) {
      Keep(Json{{"ObjectReference", ref}, {"object_uuid", from}});
      continue;
    }
    for (const auto& [a, b] : {std::pair{from, to}, std::pair{to, from}}) {
      auto passport = passports_.find(b);
      if (passport == passports_.end()) continue;
      for (Record& r : records_) {
        Entity* holder = std::get_if<Entity>(&r);
        if (holder && holder->meta.id == record_of_uuid_[a] && holder->type == EntityType::kPerson)
          holder->documents.push_back(passport->second);
      }
    }
    Link(from, to, RelationshipFromReference(type), "MISP reference " + type);
  }

  item->kept_unmapped = static_cast<int64_t>(unmapped_.size());
  if (!unmapped_.empty()) {
    Entity& event_record = std::get<Entity>(records_.front());
    event_record.attributes["misp_unmapped"] = Json(unmapped_).dump();
  }
  // Entities first, then relationships (the importer writes in this order).
  std::stable_partition(records_.begin(), records_.end(),
                        [](const Record& r) { return std::holds_alternative<Entity>(r); });
  for (Record& r : records_) item->records.push_back(std::move(r));
  return Status::Ok();
}

}  // namespace

Status EventMapper::Map(const Json& event, const std::string& file, const std::string& where,
                        ReadItem* item) {
  Mapping mapping(defaults_, file, &emitted_);
  return mapping.Run(event, where, item);
}

}  // namespace entente::ingest::misp
