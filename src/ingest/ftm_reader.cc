#include "ingest/ftm_reader.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "common/ids.h"
#include "common/text.h"
#include "ingest/country_names.h"
#include "ingest/jsonl_reader.h"
#include "ingest/programs.h"
#include "ingest/reader_support.h"
#include "model/country.h"

namespace entente::ingest {
namespace {

using Json = nlohmann::json;

enum class Role { kEntity, kLink, kDocument, kSanction, kSkip };

struct SchemaInfo {
  Role role = Role::kSkip;
  EntityType type = EntityType::kPerson;
  RelationshipType link = RelationshipType::kAssociateOf;
  const char* from = "";  // property naming the link's source (or the document's holder)
  const char* to = "";
};

SchemaInfo InfoFor(std::string_view schema) {
  SchemaInfo info;
  auto entity = [&](EntityType type) {
    info.role = Role::kEntity;
    info.type = type;
  };
  auto link = [&](RelationshipType type, const char* from, const char* to) {
    info.role = Role::kLink;
    info.link = type;
    info.from = from;
    info.to = to;
  };
  if (schema == "Person")
    entity(EntityType::kPerson);
  else if (schema == "Organization" || schema == "Company" || schema == "LegalEntity" ||
           schema == "PublicBody")
    entity(EntityType::kOrganization);
  else if (schema == "Vessel" || schema == "Airplane" || schema == "Vehicle")
    entity(EntityType::kVehicle);
  else if (schema == "Address")
    entity(EntityType::kLocation);
  else if (schema == "Event")
    entity(EntityType::kEvent);
  else if (schema == "Ownership")
    link(RelationshipType::kOwns, "owner", "asset");
  else if (schema == "Family")
    link(RelationshipType::kFamilyOf, "person", "relative");
  else if (schema == "Associate")
    link(RelationshipType::kAssociateOf, "person", "associate");
  else if (schema == "Membership")
    link(RelationshipType::kMemberOf, "member", "organization");
  else if (schema == "Directorship")
    link(RelationshipType::kMemberOf, "director", "organization");
  else if (schema == "Employment")
    link(RelationshipType::kMemberOf, "employee", "employer");
  else if (schema == "UnknownLink")
    link(RelationshipType::kAssociateOf, "subject", "object");
  else if (schema == "Passport" || schema == "Identification") {
    info.role = Role::kDocument;
    info.from = "holder";
  } else if (schema == "Sanction") {
    info.role = Role::kSanction;
    info.from = "entity";
  }
  return info;
}

std::vector<std::string> Strings(const Json& properties, const char* key) {
  std::vector<std::string> out;
  auto it = properties.find(key);
  if (it == properties.end()) return out;
  if (it->is_string()) {
    out.push_back(it->get<std::string>());
  } else if (it->is_array()) {
    for (const Json& v : *it)
      if (v.is_string() && !Trim(v.get<std::string>()).empty()) out.push_back(v.get<std::string>());
  }
  return out;
}

std::string First(const Json& properties, const char* key) {
  auto values = Strings(properties, key);
  return values.empty() ? std::string() : values.front();
}

// "2023-04-20T18:00:25" -> "2023-04-20T18:00:25.000Z" (the store's RFC 3339 form).
std::string Timestamp(const Json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return "";
  std::string text = it->get<std::string>();
  if (text.size() == 19 && text[10] == 'T') return text + ".000Z";
  return text;
}

struct Line {
  int64_t number = 0;
  std::string_view text;
  Json entity;  // the FtM entity (the "entity" of a delta op)
  Status error;
  std::string deleted_id;  // a DEL op: the FtM id of the entity it deletes
};

class FtmReader : public RecordReader {
 public:
  FtmReader(std::string data, std::string name, ImportDefaults defaults)
      : data_(std::move(data)), name_(std::move(name)), defaults_(std::move(defaults)) {}

  Status Load() {
    LineCursor cursor(&data_);
    std::string_view text;
    int64_t number = 0;
    bool first = true;
    while (cursor.Next(&text, &number)) {
      Line line;
      line.number = number;
      line.text = text;
      line.error = Parse(text, number, &line);
      if (first) {
        first = false;
        if (!line.error.ok() || (!line.entity.is_object() && line.deleted_id.empty()))
          return InvalidArgument(name_ + " line " + std::to_string(number) +
                                 ": not a FollowTheMoney JSON lines file (expected one "
                                 "{\"id\",\"schema\",\"properties\"} object per line)" +
                                 (line.error.ok() ? "" : ": " + line.error.message()));
      }
      if (line.error.ok() && line.deleted_id.empty()) Index(line);
      lines_.push_back(std::move(line));
    }
    return Status::Ok();
  }

  Result<bool> Next(ReadItem* item) override {
    item->Clear();
    while (next_ < lines_.size()) {
      Line& line = lines_[next_++];
      item->file = name_;
      item->line = line.number;
      if (line.error.ok() && !line.deleted_id.empty()) {
        item->revoke_source_ids.push_back(line.deleted_id);
        item->raw = std::string(line.text);
        return true;
      }
      Status status = line.error.ok() ? Build(line, item) : line.error;
      if (!status.ok()) {
        item->records.clear();
        item->error = status;
        item->raw = std::string(line.text);
      }
      return true;
    }
    return false;
  }

  uint64_t progress_done() const override { return next_; }
  uint64_t progress_total() const override { return lines_.size(); }

 private:
  Status Parse(std::string_view text, int64_t number, Line* line) {
    ENTENTE_RETURN_IF_ERROR(CheckUtf8(name_, number, "", text));
    Json object;
    try {
      object = Json::parse(text);
    } catch (const Json::exception& e) {
      return RowError(name_, number, "", std::string("malformed JSON: ") + e.what());
    }
    if (!object.is_object()) return RowError(name_, number, "", "expected a JSON object");
    if (object.contains("op")) {
      std::string op = object["op"].is_string() ? object["op"].get<std::string>() : "";
      if (op == "DEL") {
        const Json* entity = object.contains("entity") ? &object["entity"] : nullptr;
        if (!entity || !entity->is_object() || !entity->contains("id") ||
            !(*entity)["id"].is_string() || (*entity)["id"].get<std::string>().empty())
          return RowError(name_, number, "entity.id", "a DEL op without the id it deletes");
        line->deleted_id = (*entity)["id"].get<std::string>();
        return Status::Ok();
      }
      if (op != "ADD" && op != "MOD")
        return RowError(name_, number, "op", "unknown delta op \"" + op + "\"");
      if (!object.contains("entity") || !object["entity"].is_object())
        return RowError(name_, number, "entity", "missing");
      object = object["entity"];
    }
    if (!object.contains("id") || !object["id"].is_string() ||
        object["id"].get<std::string>().empty())
      return RowError(name_, number, "id", "missing");
    if (!object.contains("schema") || !object["schema"].is_string())
      return RowError(name_, number, "schema", "missing");
    if (object.contains("properties") && !object["properties"].is_object())
      return RowError(name_, number, "properties", "expected an object");
    line->entity = std::move(object);
    return Status::Ok();
  }

  const Json& Properties(const Json& entity) {
    static const Json kEmpty = Json::object();
    auto it = entity.find("properties");
    return it == entity.end() ? kEmpty : *it;
  }

  // First pass: the type of every entity, the full text of addresses, and what documents and
  // sanctions say about their subjects.
  void Index(const Line& line) {
    const Json& e = line.entity;
    std::string id = e["id"].get<std::string>();
    std::string schema = e["schema"].get<std::string>();
    SchemaInfo info = InfoFor(schema);
    const Json& p = Properties(e);
    if (info.role == Role::kEntity) {
      types_[id] = info.type;
      if (info.type == EntityType::kLocation) {
        std::string full = First(p, "full");
        if (full.empty()) full = Join(Strings(p, "street"), " ") + " " + First(p, "city");
        address_text_[id] = std::string(Trim(full));
      }
    } else if (info.role == Role::kDocument) {
      for (const std::string& holder : Strings(p, info.from)) {
        IdentityDocumentInfo document;
        document.type = schema == "Passport" ? "passport" : "national-id";
        document.number = First(p, "number");
        if (document.number.empty()) continue;
        document.country = NormalizeCountryCode(First(p, "country"));
        document.valid_from = First(p, "startDate");
        document.valid_until = First(p, "endDate");
        if (document.valid_from.size() != 10) document.valid_from.clear();
        if (document.valid_until.size() != 10) document.valid_until.clear();
        documents_[holder].push_back(document);
      }
    } else if (info.role == Role::kSanction) {
      for (const std::string& target : Strings(p, info.from)) {
        for (const std::string& program : Strings(p, "programId"))
          programs_[target].push_back(program);
        for (const std::string& authority : Strings(p, "authority"))
          authorities_[target].push_back(authority);
      }
    }
  }

  std::string EntityId(const std::string& ftm_id) {
    auto it = types_.find(ftm_id);
    return RecordIdFor(defaults_, IdPrefixFor(it->second), ftm_id);
  }

  Status Build(const Line& line, ReadItem* item) {
    const Json& e = line.entity;
    std::string id = e["id"].get<std::string>();
    SchemaInfo info = InfoFor(e["schema"].get<std::string>());
    const Json& p = Properties(e);
    if (info.role == Role::kLink) return BuildLink(e, p, id, info, item);
    if (info.role != Role::kEntity) return Status::Ok();  // folded into other records

    Entity entity;
    entity.type = info.type;
    std::vector<std::string> topics = Strings(p, "topics");
    ThreatCategory category = FallbackCategory(defaults_);
    int best = 99;
    for (const std::string& topic : topics) {
      int rank = 99;
      ThreatCategory c = category;
      if (topic == "crime.terror")
        rank = 0, c = ThreatCategory::kTerrorism;
      else if (topic == "crime.traffick.drug")
        rank = 1, c = ThreatCategory::kNarcotics;
      else if (topic == "crime.traffick.human")
        rank = 2, c = ThreatCategory::kHumanTrafficking;
      else if (topic == "crime.boss" || topic == "crime")
        rank = 3, c = ThreatCategory::kOrganizedCrime;
      if (rank < best) best = rank, category = c;
    }
    std::vector<std::string> programs = programs_[id];
    if (best == 99) category = CategoryForPrograms(programs, category);
    StampMeta(&entity.meta, IdPrefixFor(entity.type), defaults_, id, category);
    entity.meta.provenance.first_seen = Timestamp(e, "first_seen");
    entity.meta.provenance.last_seen = Timestamp(e, "last_seen");

    // Names: the caption first, then every other name form.
    std::string caption =
        e.contains("caption") && e["caption"].is_string() ? e["caption"].get<std::string>() : "";
    std::vector<std::string> names =
        Strings(p, entity.type == EntityType::kLocation ? "full" : "name");
    if (caption.empty() && !names.empty()) caption = names.front();
    if (entity.type == EntityType::kLocation && caption.empty()) caption = address_text_[id];
    auto add_name = [&](const std::string& full, NameKind kind) {
      std::string_view trimmed = Trim(full);
      if (trimmed.empty()) return;
      for (const Name& n : entity.names)
        if (n.full == trimmed) return;
      entity.names.push_back({std::string(trimmed), kind, ""});
    };
    add_name(caption, NameKind::kPrimary);
    for (const std::string& n : names) add_name(n, NameKind::kAlias);
    for (const std::string& n : Strings(p, "alias")) add_name(n, NameKind::kAlias);
    for (const std::string& n : Strings(p, "weakAlias")) add_name(n, NameKind::kWeakAlias);
    for (const std::string& n : Strings(p, "previousName")) add_name(n, NameKind::kFormerName);
    if (entity.names.empty() &&
        (entity.type == EntityType::kPerson || entity.type == EntityType::kOrganization))
      return RowError(name_, line.number, "properties.name", "no name");

    for (const std::string& text : Strings(p, "birthDate")) {
      std::string why;
      auto date = PartialDate::Parse(text.substr(0, 10), &why);
      if (!date)
        return RowError(name_, line.number, "properties.birthDate", "\"" + text + "\": " + why);
      if (std::find(entity.birth_dates.begin(), entity.birth_dates.end(), *date) ==
          entity.birth_dates.end())
        entity.birth_dates.push_back(*date);
    }
    entity.birth_places = Strings(p, "birthPlace");
    std::vector<std::string> unknown;
    for (const char* key : {"nationality", "citizenship"}) {
      for (const std::string& code : Strings(p, key)) {
        std::string iso = NormalizeCountryCode(code);
        if (iso.empty()) iso = CountryCodeForName(code);
        if (iso.empty()) {
          unknown.push_back(code);
        } else if (std::find(entity.nationalities.begin(), entity.nationalities.end(), iso) ==
                   entity.nationalities.end()) {
          entity.nationalities.push_back(iso);
        }
      }
    }
    if (!unknown.empty()) entity.attributes["nationality_text"] = Join(unknown, "|");
    std::string gender = First(p, "gender");
    if (auto g = ParseGender(gender)) entity.gender = *g;

    auto add_documents = [&](const char* key, const char* type) {
      for (const std::string& number : Strings(p, key))
        entity.documents.push_back({type, number, "", "", ""});
    };
    add_documents("passportNumber", "passport");
    add_documents("idNumber", "other");
    add_documents("taxNumber", "tax-id");
    add_documents("innCode", "tax-id");
    add_documents("registrationNumber", "registration-number");
    add_documents("ogrnCode", "registration-number");
    if (auto it = documents_.find(id); it != documents_.end())
      for (const IdentityDocumentInfo& d : it->second) {
        bool known =
            std::any_of(entity.documents.begin(), entity.documents.end(),
                        [&](const IdentityDocumentInfo& x) { return x.number == d.number; });
        if (!known) entity.documents.push_back(d);
      }
    for (const std::string& a : Strings(p, "address")) entity.addresses.push_back(a);
    for (const std::string& ref : Strings(p, "addressEntity")) {
      auto it = address_text_.find(ref);
      if (it != address_text_.end() && !it->second.empty() &&
          std::find(entity.addresses.begin(), entity.addresses.end(), it->second) ==
              entity.addresses.end())
        entity.addresses.push_back(it->second);
    }

    auto set = [&](const char* key, const std::vector<std::string>& values) {
      if (!values.empty()) entity.attributes[key] = Join(values, "|");
    };
    set("programs", programs);
    set("sanction_authority", authorities_[id]);
    set("topics", topics);
    set("country", Strings(p, "country"));
    set("jurisdiction", Strings(p, "jurisdiction"));
    set("position", Strings(p, "position"));
    set("remarks", Strings(p, "notes"));
    set("legal_form", Strings(p, "legalForm"));
    set("incorporation_date", Strings(p, "incorporationDate"));
    set("ftm_schema", {e["schema"].get<std::string>()});
    if (e.contains("datasets") && e["datasets"].is_array()) {
      std::vector<std::string> datasets;
      for (const Json& d : e["datasets"])
        if (d.is_string()) datasets.push_back(d.get<std::string>());
      set("datasets", datasets);
    }
    item->records.emplace_back(std::move(entity));
    return Status::Ok();
  }

  Status BuildLink(const Json& e, const Json& p, const std::string& id, const SchemaInfo& info,
                   ReadItem* item) {
    std::string from = First(p, info.from);
    std::string to = First(p, info.to);
    if (from.empty() || to.empty() || !types_.count(from) || !types_.count(to)) {
      ++unresolved_links_;
      return Status::Ok();
    }
    Relationship link;
    link.type = info.link;
    StampMeta(&link.meta, "relationship", defaults_, id, FallbackCategory(defaults_));
    link.meta.provenance.first_seen = Timestamp(e, "first_seen");
    link.meta.provenance.last_seen = Timestamp(e, "last_seen");
    link.source_id = EntityId(from);
    link.target_id = EntityId(to);
    std::string start = First(p, "startDate"), stop = First(p, "endDate");
    if (start.size() == 10) link.start = start;
    if (stop.size() == 10) link.stop = stop;
    std::vector<std::string> description = {e["schema"].get<std::string>()};
    for (const char* key : {"role", "relationship", "percentage"})
      for (const std::string& v : Strings(p, key)) description.push_back(v);
    link.description = Join(description, "; ");
    item->records.emplace_back(std::move(link));
    return Status::Ok();
  }

  std::string data_;
  std::string name_;
  ImportDefaults defaults_;
  std::vector<Line> lines_;
  size_t next_ = 0;
  std::unordered_map<std::string, EntityType> types_;
  std::unordered_map<std::string, std::string> address_text_;
  std::unordered_map<std::string, std::vector<IdentityDocumentInfo>> documents_;
  std::unordered_map<std::string, std::vector<std::string>> programs_;
  std::unordered_map<std::string, std::vector<std::string>> authorities_;
  int64_t unresolved_links_ = 0;
};

}  // namespace

Result<std::unique_ptr<RecordReader>> FtmReaderFromString(std::string data, const std::string& name,
                                                          const ImportDefaults& defaults) {
  if (Trim(data).empty()) return InvalidArgument(name + ": the file is empty");
  auto reader = std::make_unique<FtmReader>(std::move(data), name, defaults);
  ENTENTE_RETURN_IF_ERROR(reader->Load());
  return std::unique_ptr<RecordReader>(std::move(reader));
}

Result<std::unique_ptr<RecordReader>> OpenFtmReader(const std::string& path,
                                                    const ImportDefaults& defaults) {
  ENTENTE_ASSIGN_OR_RETURN(std::string data, ReadInputFile(path));
  return FtmReaderFromString(std::move(data), path, defaults);
}

}  // namespace entente::ingest
