#include "model/codec.h"

#include <nlohmann/json.hpp>

namespace entente {
namespace {

using json = nlohmann::json;

json MetaToJson(const RecordMeta& m) {
  json j;
  j["id"] = m.id;
  j["provenance"] = {{"service", m.provenance.service},
                     {"source", m.provenance.source},
                     {"source_record_id", m.provenance.source_record_id},
                     {"first_seen", m.provenance.first_seen},
                     {"last_seen", m.provenance.last_seen}};
  j["reliability"] = std::string(1, m.grades.reliability);
  j["credibility"] = m.grades.credibility;
  j["category"] = ThreatCategoryName(m.category);
  j["marking"] = {{"tlp", TlpName(m.marking.tlp)}, {"releasable_to", m.marking.releasable_to}};
  j["version"] = m.version;
  j["created"] = m.created;
  j["modified"] = m.modified;
  if (m.revoked) j["revoked"] = true;
  if (m.change_seq) j["change_seq"] = m.change_seq;
  return j;
}

// Reads an optional string field; InvalidArgument when present with another type.
Status GetString(const json& j, const char* key, std::string* out) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return Status::Ok();
  if (!it->is_string()) return InvalidArgument(std::string("field ") + key + ": expected a string");
  *out = it->get<std::string>();
  return Status::Ok();
}

Status GetStringList(const json& j, const char* key, std::vector<std::string>* out) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return Status::Ok();
  if (!it->is_array())
    return InvalidArgument(std::string("field ") + key + ": expected an array of strings");
  for (const json& v : *it) {
    if (!v.is_string())
      return InvalidArgument(std::string("field ") + key + ": expected an array of strings");
    out->push_back(v.get<std::string>());
  }
  return Status::Ok();
}

Status MetaFromJson(const json& j, RecordMeta* m) {
  ENTENTE_RETURN_IF_ERROR(GetString(j, "id", &m->id));
  if (auto it = j.find("provenance"); it != j.end() && !it->is_null()) {
    if (!it->is_object()) return InvalidArgument("field provenance: expected an object");
    ENTENTE_RETURN_IF_ERROR(GetString(*it, "service", &m->provenance.service));
    ENTENTE_RETURN_IF_ERROR(GetString(*it, "source", &m->provenance.source));
    ENTENTE_RETURN_IF_ERROR(GetString(*it, "source_record_id", &m->provenance.source_record_id));
    ENTENTE_RETURN_IF_ERROR(GetString(*it, "first_seen", &m->provenance.first_seen));
    ENTENTE_RETURN_IF_ERROR(GetString(*it, "last_seen", &m->provenance.last_seen));
  }
  std::string reliability;
  ENTENTE_RETURN_IF_ERROR(GetString(j, "reliability", &reliability));
  if (!reliability.empty()) {
    if (reliability.size() != 1 || !IsValidReliability(reliability[0]))
      return InvalidArgument("field reliability: \"" + reliability + "\" is not A-F");
    m->grades.reliability = reliability[0];
  }
  if (auto it = j.find("credibility"); it != j.end() && !it->is_null()) {
    if (!it->is_number_integer() || !IsValidCredibility(it->get<int>()))
      return InvalidArgument("field credibility: expected an integer 1-6");
    m->grades.credibility = it->get<int>();
  }
  std::string category;
  ENTENTE_RETURN_IF_ERROR(GetString(j, "category", &category));
  if (!category.empty()) {
    auto c = ParseThreatCategory(category);
    if (!c) return InvalidArgument("field category: unknown threat category \"" + category + "\"");
    m->category = *c;
  }
  if (auto it = j.find("marking"); it != j.end() && !it->is_null()) {
    if (!it->is_object()) return InvalidArgument("field marking: expected an object");
    std::string tlp;
    ENTENTE_RETURN_IF_ERROR(GetString(*it, "tlp", &tlp));
    if (!tlp.empty()) {
      auto t = ParseTlp(tlp);
      if (!t) return InvalidArgument("field marking.tlp: unknown TLP \"" + tlp + "\"");
      m->marking.tlp = *t;
    }
    ENTENTE_RETURN_IF_ERROR(GetStringList(*it, "releasable_to", &m->marking.releasable_to));
  }
  if (auto it = j.find("version"); it != j.end() && it->is_number_integer()) m->version = *it;
  ENTENTE_RETURN_IF_ERROR(GetString(j, "created", &m->created));
  ENTENTE_RETURN_IF_ERROR(GetString(j, "modified", &m->modified));
  if (auto it = j.find("revoked"); it != j.end() && it->is_boolean()) m->revoked = *it;
  if (auto it = j.find("change_seq"); it != j.end() && it->is_number_integer()) m->change_seq = *it;
  return Status::Ok();
}

template <typename F>
auto Guard(F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const json::exception& e) {
    return InvalidArgument(std::string("malformed JSON: ") + e.what());
  }
}

}  // namespace

std::string EntityToJson(const Entity& e) {
  json j = MetaToJson(e.meta);
  j["type"] = EntityTypeName(e.type);
  json names = json::array();
  for (const Name& n : e.names) {
    json nj = {{"full", n.full}, {"kind", NameKindName(n.kind)}};
    if (!n.script.empty()) nj["script"] = n.script;
    names.push_back(nj);
  }
  j["names"] = names;
  if (!e.birth_dates.empty()) {
    json dates = json::array();
    for (const PartialDate& d : e.birth_dates) dates.push_back(d.ToString());
    j["birth_dates"] = dates;
  }
  if (!e.birth_places.empty()) j["birth_places"] = e.birth_places;
  if (!e.nationalities.empty()) j["nationalities"] = e.nationalities;
  if (e.gender != Gender::kUnknown) j["gender"] = GenderName(e.gender);
  if (!e.documents.empty()) {
    json docs = json::array();
    for (const IdentityDocumentInfo& d : e.documents) {
      json dj = {{"type", d.type}, {"number", d.number}};
      if (!d.country.empty()) dj["country"] = d.country;
      if (!d.valid_from.empty()) dj["valid_from"] = d.valid_from;
      if (!d.valid_until.empty()) dj["valid_until"] = d.valid_until;
      docs.push_back(dj);
    }
    j["documents"] = docs;
  }
  if (!e.addresses.empty()) j["addresses"] = e.addresses;
  if (!e.attributes.empty()) j["attributes"] = e.attributes;
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string RelationshipToJson(const Relationship& r) {
  json j = MetaToJson(r.meta);
  j["type"] = "relationship";
  j["relationship_type"] = RelationshipTypeName(r.type);
  j["source_id"] = r.source_id;
  j["target_id"] = r.target_id;
  if (!r.start.empty()) j["start"] = r.start;
  if (!r.stop.empty()) j["stop"] = r.stop;
  if (!r.description.empty()) j["description"] = r.description;
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<Entity> EntityFromJson(std::string_view text) {
  return Guard([&]() -> Result<Entity> {
    json j = json::parse(text);
    if (!j.is_object()) return InvalidArgument("expected a JSON object");
    Entity e;
    ENTENTE_RETURN_IF_ERROR(MetaFromJson(j, &e.meta));
    std::string type = "person";
    ENTENTE_RETURN_IF_ERROR(GetString(j, "type", &type));
    auto t = ParseEntityType(type);
    if (!t) return InvalidArgument("field type: unknown entity type \"" + type + "\"");
    e.type = *t;
    if (auto it = j.find("names"); it != j.end() && !it->is_null()) {
      if (!it->is_array()) return InvalidArgument("field names: expected an array");
      for (const json& nj : *it) {
        Name n;
        if (nj.is_string()) {
          n.full = nj.get<std::string>();
        } else if (nj.is_object()) {
          ENTENTE_RETURN_IF_ERROR(GetString(nj, "full", &n.full));
          std::string kind;
          ENTENTE_RETURN_IF_ERROR(GetString(nj, "kind", &kind));
          if (!kind.empty()) {
            auto k = ParseNameKind(kind);
            if (!k) return InvalidArgument("field names.kind: unknown name kind \"" + kind + "\"");
            n.kind = *k;
          }
          ENTENTE_RETURN_IF_ERROR(GetString(nj, "script", &n.script));
        } else {
          return InvalidArgument("field names: expected strings or objects");
        }
        e.names.push_back(std::move(n));
      }
    }
    std::vector<std::string> dates;
    ENTENTE_RETURN_IF_ERROR(GetStringList(j, "birth_dates", &dates));
    for (const std::string& d : dates) {
      std::string why;
      auto pd = PartialDate::Parse(d, &why);
      if (!pd) return InvalidArgument("field birth_dates: " + why);
      e.birth_dates.push_back(*pd);
    }
    ENTENTE_RETURN_IF_ERROR(GetStringList(j, "birth_places", &e.birth_places));
    ENTENTE_RETURN_IF_ERROR(GetStringList(j, "nationalities", &e.nationalities));
    std::string gender;
    ENTENTE_RETURN_IF_ERROR(GetString(j, "gender", &gender));
    auto g = ParseGender(gender);
    if (!g) return InvalidArgument("field gender: unknown gender \"" + gender + "\"");
    e.gender = *g;
    if (auto it = j.find("documents"); it != j.end() && !it->is_null()) {
      if (!it->is_array()) return InvalidArgument("field documents: expected an array");
      for (const json& dj : *it) {
        if (!dj.is_object()) return InvalidArgument("field documents: expected objects");
        IdentityDocumentInfo d;
        ENTENTE_RETURN_IF_ERROR(GetString(dj, "type", &d.type));
        ENTENTE_RETURN_IF_ERROR(GetString(dj, "number", &d.number));
        ENTENTE_RETURN_IF_ERROR(GetString(dj, "country", &d.country));
        ENTENTE_RETURN_IF_ERROR(GetString(dj, "valid_from", &d.valid_from));
        ENTENTE_RETURN_IF_ERROR(GetString(dj, "valid_until", &d.valid_until));
        e.documents.push_back(std::move(d));
      }
    }
    ENTENTE_RETURN_IF_ERROR(GetStringList(j, "addresses", &e.addresses));
    if (auto it = j.find("attributes"); it != j.end() && !it->is_null()) {
      if (!it->is_object()) return InvalidArgument("field attributes: expected an object");
      for (auto& [key, value] : it->items()) {
        if (!value.is_string())
          return InvalidArgument("field attributes." + key + ": expected a string");
        e.attributes[key] = value.get<std::string>();
      }
    }
    return e;
  });
}

Result<Relationship> RelationshipFromJson(std::string_view text) {
  return Guard([&]() -> Result<Relationship> {
    json j = json::parse(text);
    if (!j.is_object()) return InvalidArgument("expected a JSON object");
    Relationship r;
    ENTENTE_RETURN_IF_ERROR(MetaFromJson(j, &r.meta));
    std::string type;
    ENTENTE_RETURN_IF_ERROR(GetString(j, "relationship_type", &type));
    auto t = ParseRelationshipType(type);
    if (!t) return InvalidArgument("field relationship_type: unknown type \"" + type + "\"");
    r.type = *t;
    ENTENTE_RETURN_IF_ERROR(GetString(j, "source_id", &r.source_id));
    ENTENTE_RETURN_IF_ERROR(GetString(j, "target_id", &r.target_id));
    ENTENTE_RETURN_IF_ERROR(GetString(j, "start", &r.start));
    ENTENTE_RETURN_IF_ERROR(GetString(j, "stop", &r.stop));
    ENTENTE_RETURN_IF_ERROR(GetString(j, "description", &r.description));
    return r;
  });
}

const RecordMeta& MetaOf(const Record& record) {
  return std::visit([](const auto& r) -> const RecordMeta& { return r.meta; }, record);
}
RecordMeta& MetaOf(Record& record) {
  return std::visit([](auto& r) -> RecordMeta& { return r.meta; }, record);
}

std::string RecordToJson(const Record& record) {
  if (auto* e = std::get_if<Entity>(&record)) return EntityToJson(*e);
  return RelationshipToJson(std::get<Relationship>(record));
}

Result<Record> RecordFromJson(std::string_view text) {
  bool is_relationship = text.find("\"relationship_type\"") != std::string_view::npos;
  if (is_relationship) {
    auto r = RelationshipFromJson(text);
    if (!r.ok()) return r.status();
    return Record(std::move(r).value());
  }
  auto e = EntityFromJson(text);
  if (!e.ok()) return e.status();
  return Record(std::move(e).value());
}

}  // namespace entente
