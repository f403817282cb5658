#include "exchange/stix_mapping.h"

#include <algorithm>
#include <set>

#include "common/ids.h"
#include "common/text.h"
#include "common/time.h"

namespace entente::exchange {
bool IsStixTimestampLike(std::string_view text);

namespace {

using nlohmann::json;

constexpr char kTlpExtensionId[] = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d";
constexpr char kRawPrefix[] = "stix:";
constexpr char kStixTypeAttribute[] = "stix_type";
constexpr char kIdentityClassAttribute[] = "stix_identity_class";
// Set when the object came with TLP 1.0 marking ids: export keeps that form.
constexpr char kTlp1Attribute[] = "stix_tlp1";

struct TlpIds {
  Tlp tlp;
  const char* v2_id;
  const char* name;
};
constexpr TlpIds kTlpIds[] = {
    {Tlp::kClear, "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487", "clear"},
    {Tlp::kGreen, "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb", "green"},
    {Tlp::kAmber, "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421", "amber"},
    {Tlp::kAmberStrict, "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003", "amber+strict"},
    {Tlp::kRed, "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1", "red"},
};
// STIX 2.1 §7.2.1.4, TLP 1.0.
constexpr std::pair<const char*, Tlp> kTlp1Ids[] = {
    {"marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9", Tlp::kClear},
    {"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da", Tlp::kGreen},
    {"marking-definition--f88d31f6-486f-44da-b317-01333bde0b82", Tlp::kAmber},
    {"marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed", Tlp::kRed},
};

// Properties the mapping writes itself; raw "stix:" attributes never override them.
const std::set<std::string, std::less<>> kProtected = {"type",
                                                       "id",
                                                       "spec_version",
                                                       "created",
                                                       "modified",
                                                       "revoked",
                                                       "extensions",
                                                       "object_marking_refs",
                                                       "source_ref",
                                                       "target_ref",
                                                       "relationship_type",
                                                       "sighting_of_ref",
                                                       "where_sighted_refs"};

// The UUID part, lower-cased (RFC 4122: case-insensitive on input, lower-case on output).
std::string Uuid(std::string_view id) {
  size_t pos = id.find("--");
  return ToLowerAscii(pos == std::string_view::npos ? id : id.substr(pos + 2));
}

std::string OrNow(const std::string& ts) { return ts.empty() ? NowTimestamp() : ts; }

std::string StixTypeForEntityType(EntityType type) {
  switch (type) {
    case EntityType::kPerson:
    case EntityType::kOrganization:
      return "identity";
    case EntityType::kLocation:
      return "location";
    case EntityType::kVehicle:
      return "x-entente-vehicle";
    case EntityType::kIdentityDocument:
      return "x-entente-identity-document";
    case EntityType::kPhone:
      return "x-entente-phone";
    case EntityType::kEvent:
      return "x-entente-event";
  }
  return "identity";
}

const char* ThreatActorTypeFor(ThreatCategory c) {
  switch (c) {
    case ThreatCategory::kTerrorism:
      return "terrorist";
    case ThreatCategory::kOrganizedCrime:
    case ThreatCategory::kNarcotics:
      return "crime-syndicate";
    case ThreatCategory::kIllegalMigration:
    case ThreatCategory::kHumanTrafficking:
      return "criminal";
    case ThreatCategory::kOther:
      return "unknown";
  }
  return "unknown";
}

std::optional<ThreatCategory> CategoryFromThreatActorTypes(const json& types) {
  if (!types.is_array()) return std::nullopt;
  for (const json& t : types) {
    if (t == "terrorist") return ThreatCategory::kTerrorism;
    if (t == "crime-syndicate" || t == "criminal") return ThreatCategory::kOrganizedCrime;
  }
  return std::nullopt;
}

bool HasLocationAnchor(const Entity& e) {
  auto has = [&](const char* k) { return e.attributes.count(k) > 0; };
  return has("country") || !e.nationalities.empty() || has("region") ||
         (has("latitude") && has("longitude"));
}

// The codec JSON of a record less what the STIX common properties already carry.
json ExtensionPayload(const Record& record) {
  json payload = json::parse(RecordToJson(record));
  for (const char* key : {"id", "version", "created", "modified", "revoked", "change_seq"})
    payload.erase(key);
  if (payload.contains("type")) {
    payload["entity_type"] = payload["type"];
    payload.erase("type");
  }
  payload["extension_type"] = std::holds_alternative<Entity>(record) &&
                                      StixTypeFor(std::get<Entity>(record)).rfind("x-", 0) == 0
                                  ? "new-sdo"
                                  : "property-extension";
  return payload;
}

std::string Tlp1Id(Tlp tlp) {
  for (const auto& [v1, level] : kTlp1Ids)
    if (level == tlp) return v1;
  return "";
}

json MarkingRefs(const Marking& marking, bool tlp1 = false) {
  std::string tlp_id = tlp1 ? Tlp1Id(marking.tlp) : "";
  if (tlp_id.empty()) tlp_id = std::string(TlpMarkingId(marking.tlp));
  json refs = json::array({tlp_id});
  if (!marking.releasable_to.empty())
    refs.push_back(ReleasabilityMarking(marking.releasable_to)["id"]);
  return refs;
}

void MergeRawAttributes(const std::map<std::string, std::string>& attributes, json* object) {
  for (const auto& [key, value] : attributes) {
    if (key.rfind(kRawPrefix, 0) != 0) continue;
    std::string property = key.substr(sizeof(kRawPrefix) - 1);
    json parsed = json::parse(value, nullptr, /*allow_exceptions=*/false);
    if (parsed.is_discarded()) continue;
    if (property == "object_marking_refs" && parsed.is_array()) {
      for (const json& ref : parsed) (*object)["object_marking_refs"].push_back(ref);
      continue;
    }
    if (kProtected.count(property)) continue;
    (*object)[property] = parsed;
  }
}

json EntityToStix(const Entity& e) {
  std::string type = StixTypeFor(e);
  json o;
  o["type"] = type;
  o["spec_version"] = "2.1";
  o["id"] = type + "--" + Uuid(e.meta.id);
  o["created"] = OrNow(e.meta.created);
  o["modified"] = OrNow(e.meta.modified.empty() ? e.meta.created : e.meta.modified);
  if (o["modified"].get<std::string>() < o["created"].get<std::string>())
    o["modified"] = o["created"];
  if (e.meta.revoked) o["revoked"] = true;
  bool has_name = !e.names.empty();
  if (has_name || type != "location") o["name"] = e.DisplayName();
  if (auto it = e.attributes.find("description"); it != e.attributes.end())
    o["description"] = it->second;
  if (type == "identity") {
    if (e.type == EntityType::kPerson) {
      o["identity_class"] = "individual";
    } else {
      auto it = e.attributes.find(kIdentityClassAttribute);
      o["identity_class"] = it != e.attributes.end() ? it->second : "organization";
    }
  } else if (type == "threat-actor") {
    json aliases = json::array();
    for (const Name& n : e.names)
      if (n.full != e.DisplayName()) aliases.push_back(n.full);
    if (!aliases.empty()) o["aliases"] = aliases;
    o["threat_actor_types"] = json::array({ThreatActorTypeFor(e.meta.category)});
    o["resource_level"] = e.type == EntityType::kPerson ? "individual" : "organization";
  } else if (type == "location") {
    auto attr = [&](const char* k) -> const std::string* {
      auto it = e.attributes.find(k);
      return it == e.attributes.end() ? nullptr : &it->second;
    };
    if (const std::string* c = attr("country")) {
      o["country"] = *c;
    } else if (!e.nationalities.empty()) {
      o["country"] = e.nationalities.front();
    }
    if (const std::string* r = attr("region")) o["region"] = *r;
    if (const std::string* lat = attr("latitude"); lat && attr("longitude")) {
      o["latitude"] = std::strtod(lat->c_str(), nullptr);
      o["longitude"] = std::strtod(attr("longitude")->c_str(), nullptr);
    }
    if (!e.addresses.empty()) o["street_address"] = e.addresses.front();
  }
  o["object_marking_refs"] = MarkingRefs(e.meta.marking, e.attributes.count(kTlp1Attribute) > 0);
  MergeRawAttributes(e.attributes, &o);
  o["extensions"][kEntenteExtensionId] = ExtensionPayload(e);
  return o;
}

json RelationshipToStixObject(const Relationship& r, const ExportRefResolver& resolve) {
  std::string source = resolve(r.source_id), target = resolve(r.target_id);
  std::string target_type(StixIdType(target));
  bool sighting = r.type == RelationshipType::kSightedAt &&
                  (target_type == "location" || target_type == "identity") &&
                  StixIdType(source).substr(0, 2) != "x-";
  json o;
  o["type"] = sighting ? "sighting" : "relationship";
  o["spec_version"] = "2.1";
  o["id"] = o["type"].get<std::string>() + "--" + Uuid(r.meta.id);
  o["created"] = OrNow(r.meta.created);
  o["modified"] = OrNow(r.meta.modified.empty() ? r.meta.created : r.meta.modified);
  if (o["modified"].get<std::string>() < o["created"].get<std::string>())
    o["modified"] = o["created"];
  if (r.meta.revoked) o["revoked"] = true;
  if (sighting) {
    o["sighting_of_ref"] = source;
    o["where_sighted_refs"] = json::array({target});
    if (IsStixTimestampLike(r.start)) o["first_seen"] = r.start;
    if (IsStixTimestampLike(r.stop)) o["last_seen"] = r.stop;
  } else {
    o["relationship_type"] = RelationshipTypeName(r.type);
    o["source_ref"] = source;
    o["target_ref"] = target;
    if (IsStixTimestampLike(r.start)) o["start_time"] = r.start;
    if (IsStixTimestampLike(r.stop) && r.stop > r.start) o["stop_time"] = r.stop;
  }
  if (!r.description.empty()) o["description"] = r.description;
  o["object_marking_refs"] = MarkingRefs(r.meta.marking);
  o["extensions"][kEntenteExtensionId] = ExtensionPayload(r);
  return o;
}

}  // namespace

std::string_view TlpMarkingId(Tlp tlp) {
  for (const TlpIds& t : kTlpIds)
    if (t.tlp == tlp) return t.v2_id;
  return kTlpIds[2].v2_id;
}

Tlp HighestTlpOf(const nlohmann::json& object) {
  Tlp highest = Tlp::kClear;
  auto refs = object.find("object_marking_refs");
  if (refs == object.end() || !refs->is_array()) return highest;
  for (const nlohmann::json& ref : *refs) {
    if (!ref.is_string()) continue;
    std::optional<Tlp> tlp = TlpFromMarkingId(ref.get<std::string>());
    if (tlp && *tlp > highest) highest = *tlp;
  }
  return highest;
}

std::optional<Tlp> TlpFromMarkingId(std::string_view id) {
  for (const TlpIds& t : kTlpIds)
    if (id == t.v2_id) return t.tlp;
  for (const auto& [v1, tlp] : kTlp1Ids)
    if (id == v1) return tlp;
  return std::nullopt;
}

json TlpMarkingDefinition(Tlp tlp) {
  for (const TlpIds& t : kTlpIds) {
    if (t.tlp != tlp) continue;
    json o = {{"type", "marking-definition"},
              {"spec_version", "2.1"},
              {"id", t.v2_id},
              {"created", "2022-10-01T00:00:00.000Z"},
              {"name", "TLP:" + ToUpperAscii(t.name)}};
    o["extensions"][kTlpExtensionId] = {{"extension_type", "property-extension"},
                                        {"tlp_2_0", t.name}};
    return o;
  }
  return TlpMarkingDefinition(Tlp::kAmber);
}

json EntenteIdentity() {
  return {{"type", "identity"},
          {"spec_version", "2.1"},
          {"id", kEntenteIdentityId},
          {"created", "2026-01-01T00:00:00.000Z"},
          {"modified", "2026-01-01T00:00:00.000Z"},
          {"name", "entente project"},
          {"identity_class", "organization"}};
}

json EntenteExtensionDefinition() {
  return {{"type", "extension-definition"},
          {"spec_version", "2.1"},
          {"id", kEntenteExtensionId},
          {"created_by_ref", kEntenteIdentityId},
          {"created", "2026-01-01T00:00:00.000Z"},
          {"modified", "2026-01-01T00:00:00.000Z"},
          {"name", "entente intelligence record"},
          {"description",
           "Name variants with script, partial birth dates, nationalities, identity documents, "
           "Admiralty grades, threat category, provenance and releasability of an entente "
           "record; also defines the x-entente-* object types."},
          {"schema", kEntenteExtensionSchema},
          {"version", "1.0.0"},
          {"extension_types", json::array({"property-extension", "new-sdo"})}};
}

json ReleasabilityMarking(const std::vector<std::string>& services) {
  std::vector<std::string> sorted = services;
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  std::string statement = "REL TO: " + Join(sorted, ", ");
  return {{"type", "marking-definition"},
          {"spec_version", "2.1"},
          {"id", DeterministicId("marking-definition", "entente-releasability", statement)},
          {"created", "2026-01-01T00:00:00.000Z"},
          {"created_by_ref", kEntenteIdentityId},
          {"definition_type", "statement"},
          {"definition", {{"statement", statement}}}};
}

std::optional<std::vector<std::string>> ParseReleasabilityStatement(std::string_view statement) {
  constexpr std::string_view kPrefix = "REL TO:";
  if (statement.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  return SplitNonEmpty(statement.substr(kPrefix.size()), ',');
}

std::string StixTypeFor(const Entity& e) {
  if (e.type == EntityType::kPerson || e.type == EntityType::kOrganization) {
    auto it = e.attributes.find(kStixTypeAttribute);
    if (it != e.attributes.end() && (it->second == "identity" || it->second == "threat-actor"))
      return it->second;
    return e.meta.category == ThreatCategory::kOther ? "identity" : "threat-actor";
  }
  if (e.type == EntityType::kLocation && !HasLocationAnchor(e)) return "x-entente-location";
  return StixTypeForEntityType(e.type);
}

std::string StixIdFor(const Record& record) {
  if (const Entity* e = std::get_if<Entity>(&record))
    return StixTypeFor(*e) + "--" + Uuid(e->meta.id);
  return RelationshipToStixObject(std::get<Relationship>(record), GuessStixId)["id"];
}

std::string GuessStixId(const std::string& model_id) {
  std::string_view prefix = StixIdType(model_id);
  auto type = ParseEntityType(prefix);
  if (!type) return model_id;
  return StixTypeForEntityType(*type) + "--" + Uuid(model_id);
}

const json* EntenteExtension(const json& object) {
  auto ext = object.find("extensions");
  if (ext == object.end() || !ext->is_object()) return nullptr;
  auto it = ext->find(kEntenteExtensionId);
  if (it == ext->end() || !it->is_object()) return nullptr;
  return &*it;
}

std::string ModelIdForStix(const json& o) {
  std::string type = o.value("type", "");
  std::string uuid = Uuid(o.value("id", ""));
  if (const json* ext = EntenteExtension(o)) {
    if (type == "relationship" || type == "sighting") return "relationship--" + uuid;
    auto et = ParseEntityType(ext->value("entity_type", ""));
    return et ? std::string(EntityTypeName(*et)) + "--" + uuid : "";
  }
  if (type == "identity")
    return (o.value("identity_class", "") == "individual" ? "person--" : "organization--") + uuid;
  if (type == "threat-actor")
    return (o.value("resource_level", "") == "individual" ? "person--" : "organization--") + uuid;
  if (type == "location") return "location--" + uuid;
  if (type == "relationship") {
    return ParseRelationshipType(o.value("relationship_type", "")) ? "relationship--" + uuid : "";
  }
  if (type == "sighting") return "relationship--" + uuid;
  return "";
}

json RecordToStix(const Record& record, const ExportRefResolver& resolve) {
  if (const Entity* e = std::get_if<Entity>(&record)) return EntityToStix(*e);
  return RelationshipToStixObject(std::get<Relationship>(record), resolve);
}

namespace {

// Applies the object's markings (TLP, releasability) and common dates to `meta`.
void ApplyCommon(const json& o, const StixImportContext& ctx, RecordMeta* meta,
                 std::map<std::string, std::string>* attributes) {
  meta->created = o.value("created", "");
  meta->modified = o.value("modified", "");
  meta->revoked = o.value("revoked", false);
  meta->marking.tlp = ctx.tlp;
  meta->marking.releasable_to = ctx.releasable_to;
  json unknown = json::array();
  bool tlp_seen = false;
  if (auto refs = o.find("object_marking_refs"); refs != o.end()) {
    for (const json& ref : *refs) {
      std::string id = ref.get<std::string>();
      if (auto tlp = TlpFromMarkingId(id)) {
        if (attributes && id != TlpMarkingId(*tlp)) (*attributes)[kTlp1Attribute] = "true";
        // Several TLP markings: the most restrictive applies.
        meta->marking.tlp = tlp_seen ? std::max(meta->marking.tlp, *tlp) : *tlp;
        tlp_seen = true;
        continue;
      }
      if (ctx.releasability) {
        if (auto rel = ctx.releasability(id)) {
          meta->marking.releasable_to = *rel;
          continue;
        }
      }
      unknown.push_back(ref);
    }
  }
  if (attributes && !unknown.empty())
    (*attributes)[std::string(kRawPrefix) + "object_marking_refs"] = unknown.dump();
}

void KeepRaw(const json& o, const std::set<std::string, std::less<>>& handled,
             std::map<std::string, std::string>* attributes) {
  for (const auto& [key, value] : o.items()) {
    if (handled.count(key) || kProtected.count(key)) continue;
    (*attributes)[std::string(kRawPrefix) + key] = value.dump();
  }
}

Result<std::optional<Record>> FromEntenteExtension(const json& o, const json& ext,
                                                   const StixImportContext& ctx) {
  json body = ext;
  body.erase("extension_type");
  body.erase("signature");
  std::string type = o["type"];
  std::string model_id = ModelIdForStix(o);
  if (model_id.empty())
    return InvalidArgument("extension " + std::string(kEntenteExtensionId) +
                           ": unknown entity_type " + ext.value("entity_type", std::string("?")));
  body["id"] = model_id;
  if (body.contains("entity_type")) {
    body["type"] = body["entity_type"];
    body.erase("entity_type");
  }
  body["created"] = o.value("created", "");
  body["modified"] = o.value("modified", "");
  if (o.value("revoked", false)) body["revoked"] = true;
  auto record = RecordFromJson(body.dump());
  if (!record.ok()) return record.status().WithContext("entente extension");
  // The TLP marking on the object is authoritative when stricter than the payload's.
  RecordMeta& meta = MetaOf(*record);
  if (auto refs = o.find("object_marking_refs"); refs != o.end())
    for (const json& ref : *refs)
      if (auto tlp = TlpFromMarkingId(ref.get<std::string>()))
        meta.marking.tlp = std::max(meta.marking.tlp, *tlp);
  return std::optional<Record>(std::move(*record));
}

}  // namespace

Result<std::optional<Record>> StixToRecord(const json& o, const StixImportContext& ctx,
                                           std::string* why) {
  auto skip = [&](std::string reason) -> Result<std::optional<Record>> {
    if (why) *why = std::move(reason);
    return std::optional<Record>();
  };
  std::string type = o["type"];
  std::string id = o["id"];
  if (const json* ext = EntenteExtension(o)) return FromEntenteExtension(o, *ext, ctx);

  auto base_meta = [&](RecordMeta* meta) {
    meta->provenance.service = ctx.service;
    meta->provenance.source = ctx.source;
    meta->provenance.source_record_id = id;
    meta->grades = ctx.grades;
    meta->category = ctx.category.value_or(ThreatCategory::kOther);
  };

  if (type == "identity" || type == "threat-actor" || type == "location") {
    Entity e;
    e.meta.id = ModelIdForStix(o);
    base_meta(&e.meta);
    ApplyCommon(o, ctx, &e.meta, &e.attributes);
    std::set<std::string, std::less<>> handled = {"name", "description"};
    if (o.contains("name"))
      e.names.push_back({o["name"].get<std::string>(), NameKind::kPrimary, ""});
    if (o.contains("description") && o["description"].is_string())
      e.attributes["description"] = o["description"];
    if (type == "identity") {
      e.type = o.value("identity_class", "") == "individual" ? EntityType::kPerson
                                                             : EntityType::kOrganization;
      std::string cls = o.value("identity_class", "");
      if (e.type == EntityType::kOrganization && cls != "organization")
        e.attributes[kIdentityClassAttribute] = cls.empty() ? "unknown" : cls;
      handled.insert("identity_class");
      e.attributes[kStixTypeAttribute] = "identity";
    } else if (type == "threat-actor") {
      e.type = o.value("resource_level", "") == "individual" ? EntityType::kPerson
                                                             : EntityType::kOrganization;
      e.attributes[kStixTypeAttribute] = "threat-actor";
      if (auto aliases = o.find("aliases"); aliases != o.end() && aliases->is_array()) {
        for (const json& a : *aliases)
          if (a.is_string() && !a.get<std::string>().empty())
            e.names.push_back({a.get<std::string>(), NameKind::kAlias, ""});
        handled.insert("aliases");
      }
      if (!ctx.category)
        if (auto c = CategoryFromThreatActorTypes(o.value("threat_actor_types", json())))
          e.meta.category = *c;
    } else {
      e.type = EntityType::kLocation;
      if (o.contains("country") && o["country"].is_string()) {
        std::string c = o["country"];
        e.attributes["country"] = c;
        handled.insert("country");
      }
      if (o.contains("region") && o["region"].is_string()) {
        e.attributes["region"] = o["region"];
        handled.insert("region");
      }
      if (o.contains("latitude") && o.contains("longitude")) {
        e.attributes["latitude"] = o["latitude"].dump();
        e.attributes["longitude"] = o["longitude"].dump();
        handled.insert("latitude");
        handled.insert("longitude");
      }
      if (o.contains("street_address") && o["street_address"].is_string()) {
        e.addresses.push_back(o["street_address"]);
        handled.insert("street_address");
      }
    }
    KeepRaw(o, handled, &e.attributes);
    return std::optional<Record>(std::move(e));
  }
  if (type == "relationship" || type == "sighting") {
    Relationship r;
    r.meta.id = "relationship--" + Uuid(id);
    base_meta(&r.meta);
    ApplyCommon(o, ctx, &r.meta, nullptr);
    std::string source_ref, target_ref;
    if (type == "relationship") {
      auto rt = ParseRelationshipType(o.value("relationship_type", ""));
      if (!rt)
        return skip("relationship_type \"" + o.value("relationship_type", "") +
                    "\" has no entente equivalent");
      r.type = *rt;
      source_ref = o["source_ref"];
      target_ref = o["target_ref"];
      r.start = o.value("start_time", "");
      r.stop = o.value("stop_time", "");
    } else {
      r.type = RelationshipType::kSightedAt;
      source_ref = o["sighting_of_ref"];
      auto where = o.find("where_sighted_refs");
      if (where == o.end() || where->empty())
        return skip("sighting without where_sighted_refs has no entente equivalent");
      target_ref = (*where)[0];
      r.start = o.value("first_seen", "");
      r.stop = o.value("last_seen", "");
    }
    r.description = o.value("description", "");
    r.source_id = ctx.resolve ? ctx.resolve(source_ref) : "";
    r.target_id = ctx.resolve ? ctx.resolve(target_ref) : "";
    if (r.source_id.empty())
      return skip(source_ref + " (" + type + " end) is not an object entente keeps");
    if (r.target_id.empty())
      return skip(target_ref + " (" + type + " end) is not an object entente keeps");
    return std::optional<Record>(std::move(r));
  }
  return skip("type " + type + " has no entente equivalent");
}

bool IsStixTimestampLike(std::string_view text) {
  int64_t millis = 0;
  return !text.empty() && ParseTimestamp(text, &millis);
}

}  // namespace entente::exchange
