#include "ingest/eu_fsf_reader.h"

#include <algorithm>
#include <filesystem>
#include <functional>
#include <pugixml.hpp>
#include <sstream>
#include <unordered_map>

#include "common/csv.h"
#include "common/text.h"
#include "ingest/list_support.h"
#include "ingest/programs.h"
#include "ingest/reader_support.h"
#include "model/country.h"

namespace entente::ingest {
namespace {

// A field of one sub-item, by its CSV column name or its XML attribute name.
using Get = std::function<std::string_view(std::string_view csv, std::string_view xml)>;

// One listed subject while its rows (or its element's children) are read; key is the
// Entity_LogicalId.
struct Pending : PendingEntity {
  std::string first_publication;
};

std::string DocumentType(std::string_view code) {
  std::string type = ToLowerAscii(Trim(code));
  if (type == "id") return "national-id";
  if (type.empty()) return "other";
  return type;
}

class EuAssembler {
 public:
  explicit EuAssembler(const ImportDefaults& defaults) : defaults_(defaults) {}

  // The entity with this logical id, created (at this file and line) when first seen.
  Pending* Find(const std::string& logical_id, const std::string& file, int64_t line,
                std::string_view raw) {
    auto [it, inserted] = by_id_.try_emplace(logical_id, nullptr);
    if (!inserted) return it->second;
    order_.push_back(std::make_unique<Pending>());
    Pending* p = order_.back().get();
    p->key = logical_id;
    p->file = file;
    p->line = line;
    p->raw = std::string(raw);
    it->second = p;
    return p;
  }

  // A row or element that cannot belong to any entity.
  void Reject(Status error, const std::string& file, int64_t line, std::string_view raw) {
    ReadItem item;
    item.file = file;
    item.line = line;
    item.raw = std::string(raw);
    item.error = std::move(error);
    orphans_.push_back(std::move(item));
  }

  void Subject(Pending* p, const Get& get) {
    std::string code = ToLowerAscii(get("Entity_SubjectType", "code"));
    std::string classification =
        ToLowerAscii(get("Entity_SubjectType_ClassificationCode", "classificationCode"));
    for (const std::string& v : {code, classification}) {
      if (v == "person" || v == "p") p->type = EntityType::kPerson;
      if (v == "enterprise" || v == "e") p->type = EntityType::kOrganization;
    }
  }

  void EntityFields(Pending* p, const Get& get) {
    Entity& e = p->entity;
    AddAttribute(&e, "eu_reference_number", get("Entity_EU_ReferenceNumber", "euReferenceNumber"));
    AddAttribute(&e, "un_reference", get("Entity_UnitedNationId", "unitedNationId"));
    std::string_view designated = get("Entity_DesignationDate", "designationDate");
    if (!designated.empty()) e.attributes["listed_on"] = std::string(designated);
    AddAttribute(&e, "designation_details", get("Entity_DesignationDetails", "designationDetails"));
    AddAttribute(&e, "remarks", get("Entity_Remark", ""));
  }

  void Regulation(Pending* p, const Get& get) {
    std::string_view programme = get("Entity_Regulation_Programme", "programme");
    if (!programme.empty() &&
        std::find(p->programs.begin(), p->programs.end(), programme) == p->programs.end())
      p->programs.emplace_back(programme);
    AddAttribute(&p->entity, "regulation", get("Entity_Regulation_NumberTitle", "numberTitle"));
    std::string published(get("Entity_Regulation_PublicationDate", "publicationDate"));
    if (!published.empty() && (p->first_publication.empty() || published < p->first_publication))
      p->first_publication = published;
  }

  void NameAlias(Pending* p, const Get& get) {
    std::string whole(get("NameAlias_WholeName", "wholeName"));
    if (whole.empty()) {
      std::vector<std::string> parts;
      for (auto [csv, xml] : {std::pair{"NameAlias_FirstName", "firstName"},
                              {"NameAlias_MiddleName", "middleName"},
                              {"NameAlias_LastName", "lastName"}})
        if (auto v = get(csv, xml); !v.empty()) parts.emplace_back(v);
      whole = Join(parts, " ");
    }
    if (whole.empty()) return;
    bool weak = ToLowerAscii(get("NameAlias_Strong", "strong")) == "false";
    NameKind kind = p->entity.names.empty() ? NameKind::kPrimary
                    : weak                  ? NameKind::kWeakAlias
                                            : NameKind::kAlias;
    AddName(&p->entity, whole, kind);
    std::string gender = ToLowerAscii(get("NameAlias_Gender", "gender"));
    if (gender == "m") p->entity.gender = Gender::kMale;
    if (gender == "f") p->entity.gender = Gender::kFemale;
    AddAttribute(&p->entity, "title", get("NameAlias_Title", "title"));
    AddAttribute(&p->entity, "position", get("NameAlias_Function", "function"));
  }

  Status BirthDate(Pending* p, const Get& get, const std::string& file, int64_t line) {
    std::string_view full = get("BirthDate_BirthDate", "birthdate");
    std::string why;
    std::optional<PartialDate> date;
    if (!full.empty()) {
      date = PartialDate::Parse(full, &why);
      if (!date)
        return RowError(file, line, "BirthDate_BirthDate", "\"" + std::string(full) + "\": " + why);
    } else {
      date =
          DateFromParts(get("BirthDate_Day", "dayOfMonth"), get("BirthDate_Month", "monthOfYear"),
                        get("BirthDate_Year", "year"), &why);
      if (!date && !why.empty())
        return RowError(file, line, "BirthDate_Year",
                        "day \"" + std::string(get("BirthDate_Day", "dayOfMonth")) +
                            "\", month \"" + std::string(get("BirthDate_Month", "monthOfYear")) +
                            "\", year \"" + std::string(get("BirthDate_Year", "year")) +
                            "\": " + why);
    }
    if (date) AddDate(&p->entity, *date);
    std::vector<std::string> place;
    for (auto [csv, xml] : {std::pair{"BirthDate_Place", "place"},
                            {"BirthDate_City", "city"},
                            {"BirthDate_Region", "region"},
                            {"BirthDate_CountryDescription", "countryDescription"}})
      AddText(&place, get(csv, xml));
    AddText(&p->entity.birth_places, Join(place, ", "));
    if (ToLowerAscii(get("BirthDate_Circa", "circa")) == "true" && date)
      AddAttribute(&p->entity, "birth_date_circa", date->ToString());
    return Status::Ok();
  }

  void Citizen(Pending* p, const Get& get) {
    std::string code = NormalizeCountryCode(get("Citizenship_CountryIso2Code", "countryIso2Code"));
    if (!code.empty()) AddText(&p->entity.nationalities, code);
  }

  void Identification(Pending* p, const Get& get) {
    std::string_view number = get("Identification_Number", "number");
    if (number.empty()) return;
    IdentityDocumentInfo document;
    std::string_view code = get("Identification_TypeCode", "identificationTypeCode");
    document.type = DocumentType(code);
    // The flat CSV writes "488555 (passport-National passport) (issued ...)": the number,
    // then the type and remarks in parentheses.
    if (!code.empty()) {
      size_t suffix = number.find(" (" + std::string(code) + "-");
      if (suffix != std::string_view::npos) number = Trim(number.substr(0, suffix));
    }
    document.number = std::string(number);
    document.country =
        NormalizeCountryCode(get("Identification_CountryIso2Code", "countryIso2Code"));
    for (const IdentityDocumentInfo& d : p->entity.documents)
      if (d.number == document.number && d.type == document.type) return;
    p->entity.documents.push_back(std::move(document));
  }

  void Address(Pending* p, const Get& get) {
    std::vector<std::string> parts;
    for (auto [csv, xml] : {std::pair{"Address_Street", "street"},
                            {"Address_PoBox", "poBox"},
                            {"Address_ZipCode", "zipCode"},
                            {"Address_City", "city"},
                            {"Address_Place", "place"},
                            {"Address_Region", "region"},
                            {"Address_CountryDescription", "countryDescription"}})
      AddText(&parts, get(csv, xml));
    AddText(&p->entity.addresses, Join(parts, ", "));
  }

  // Every entity (and every orphan row), in the order first seen.
  std::vector<ReadItem> Finish() {
    std::vector<ReadItem> items = std::move(orphans_);
    for (auto& owned : order_) items.push_back(Build(*owned));
    return items;
  }

 private:
  ReadItem Build(Pending& p) {
    if (!p.type)
      p.Fail(RowError(p.file, p.line, "Entity_SubjectType",
                      "no row of entity " + p.key + " says person or enterprise"));
    if (p.entity.names.empty())
      p.Fail(RowError(p.file, p.line, "NameAlias_WholeName", "entity " + p.key + " has no name"));
    ReadItem item = p.StartItem();
    if (!item.error.ok()) return item;
    Entity& e = p.entity;
    e.type = *p.type;
    ThreatCategory category = CategoryForPrograms(p.programs, FallbackCategory(defaults_));
    StampMeta(&e.meta, IdPrefixFor(e.type), defaults_, p.key, category);
    if (!p.programs.empty()) e.attributes["programs"] = Join(p.programs, "|");
    if (!e.attributes.count("listed_on") && !p.first_publication.empty())
      e.attributes["listed_on"] = p.first_publication;
    if (e.type != EntityType::kPerson) {
      e.birth_dates.clear();
      e.gender = Gender::kUnknown;
    }
    item.records.emplace_back(std::move(e));
    return item;
  }

  const ImportDefaults& defaults_;
  std::vector<std::unique_ptr<Pending>> order_;
  std::unordered_map<std::string, Pending*> by_id_;
  std::vector<ReadItem> orphans_;
};

bool AnyOf(const Get& get, std::initializer_list<const char*> columns) {
  for (const char* column : columns)
    if (!get(column, "").empty()) return true;
  return false;
}

// One CSV file's rows into the assembler.
Status ReadCsv(const std::string& data, const std::string& name, EuAssembler* assembler) {
  auto csv = CsvReader::FromString(data, name, DetectDelimiter(data));
  std::vector<std::string> header;
  Status error;
  if (!csv->Next(&header, &error) || !error.ok())
    return InvalidArgument(name + ": not an EU FSF CSV file: no header row");
  HeaderIndex index(header);
  if (!index.Has("Entity_LogicalId"))
    return InvalidArgument(name +
                           " line 1: not an EU FSF CSV file: no Entity_LogicalId column in the "
                           "header");
  std::vector<std::string> row;
  while (csv->Next(&row, &error)) {
    int64_t line = csv->line();
    std::string raw = CsvLine(row);
    if (!error.ok()) {
      assembler->Reject(RowError(name, line, "", error.message()), name, line, raw);
      continue;
    }
    Status utf8 = CheckUtf8(name, line, "", raw);
    std::string logical_id(IntegerText(index.Get(row, "Entity_LogicalId")));
    if (row.size() > index.size()) {
      assembler->Reject(RowError(name, line, "",
                                 std::to_string(row.size()) + " cells, the header has " +
                                     std::to_string(index.size())),
                        name, line, raw);
      continue;
    }
    if (logical_id.empty()) {
      assembler->Reject(RowError(name, line, "Entity_LogicalId", "missing"), name, line, raw);
      continue;
    }
    Pending* p = assembler->Find(logical_id, name, line, raw);
    if (!utf8.ok()) {
      p->Fail(utf8);
      continue;
    }
    Get get = [&](std::string_view column, std::string_view) { return index.Get(row, column); };
    assembler->Subject(p, get);
    assembler->EntityFields(p, get);
    if (AnyOf(get, {"Entity_Regulation_Programme", "Entity_Regulation_PublicationDate",
                    "Entity_Regulation_NumberTitle"}))
      assembler->Regulation(p, get);
    if (AnyOf(get, {"NameAlias_WholeName", "NameAlias_FirstName", "NameAlias_LastName"}))
      assembler->NameAlias(p, get);
    if (AnyOf(get, {"BirthDate_BirthDate", "BirthDate_Year", "BirthDate_Month", "BirthDate_Day",
                    "BirthDate_City", "BirthDate_Place", "BirthDate_CountryDescription"})) {
      p->Fail(assembler->BirthDate(p, get, name, line));
    }
    if (AnyOf(get, {"Citizenship_CountryIso2Code"})) assembler->Citizen(p, get);
    if (AnyOf(get, {"Identification_Number"})) assembler->Identification(p, get);
    if (AnyOf(get, {"Address_Street", "Address_City", "Address_ZipCode", "Address_PoBox",
                    "Address_Place", "Address_CountryDescription"}))
      assembler->Address(p, get);
  }
  return Status::Ok();
}

std::string_view LocalName(const pugi::xml_node& node) {
  std::string_view name = node.name();
  size_t colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

std::string CollapsedText(const pugi::xml_node& node) {
  std::string out;
  for (char c : std::string_view(node.child_value())) {
    bool space = c == ' ' || c == '\n' || c == '\r' || c == '\t';
    if (space && (out.empty() || out.back() == ' ')) continue;
    out.push_back(space ? ' ' : c);
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

Status CheckElementUtf8(const pugi::xml_node& node, const std::string& name, int64_t line) {
  for (pugi::xml_attribute a : node.attributes())
    ENTENTE_RETURN_IF_ERROR(CheckUtf8(name, line, a.name(), a.value()));
  for (pugi::xml_node child : node.children()) {
    if (child.type() == pugi::node_pcdata)
      ENTENTE_RETURN_IF_ERROR(CheckUtf8(name, line, node.name(), child.value()));
    else if (child.type() == pugi::node_element)
      ENTENTE_RETURN_IF_ERROR(CheckElementUtf8(child, name, line));
  }
  return Status::Ok();
}

void ReadSanctionEntity(const pugi::xml_node& node, const std::string& name, const LineIndex& lines,
                        EuAssembler* assembler) {
  int64_t line = lines.LineOf(node.offset_debug());
  std::ostringstream raw;
  node.print(raw, "", pugi::format_raw);
  std::string logical_id = node.attribute("logicalId").value();
  if (logical_id.empty()) {
    assembler->Reject(RowError(name, line, "sanctionEntity@logicalId", "missing"), name, line,
                      raw.str());
    return;
  }
  Pending* p = assembler->Find(logical_id, name, line, raw.str());
  if (Status utf8 = CheckElementUtf8(node, name, line); !utf8.ok()) {
    p->Fail(utf8);
    return;
  }
  auto attributes_of = [](const pugi::xml_node& n) {
    return [n](std::string_view, std::string_view xml) -> std::string_view {
      if (xml.empty()) return {};
      return Trim(n.attribute(std::string(xml).c_str()).value());
    };
  };
  assembler->EntityFields(p, attributes_of(node));
  for (pugi::xml_node child : node.children()) {
    std::string_view kind = LocalName(child);
    Get get = attributes_of(child);
    int64_t child_line = lines.LineOf(child.offset_debug());
    if (kind == "remark") {
      AddAttribute(&p->entity, "remarks", CollapsedText(child));
    } else if (kind == "subjectType") {
      assembler->Subject(p, get);
    } else if (kind == "regulation") {
      assembler->Regulation(p, get);
    } else if (kind == "nameAlias") {
      assembler->NameAlias(p, get);
    } else if (kind == "birthdate") {
      p->Fail(assembler->BirthDate(p, get, name, child_line));
    } else if (kind == "citizen") {
      assembler->Citizen(p, get);
    } else if (kind == "identification") {
      assembler->Identification(p, get);
    } else if (kind == "address") {
      assembler->Address(p, get);
    }
  }
}

Status ReadXml(const std::string& data, const std::string& name, EuAssembler* assembler) {
  pugi::xml_document document;
  LineIndex lines(data);
  pugi::xml_parse_result parsed =
      document.load_buffer(data.data(), data.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!parsed)
    return InvalidArgument(name + " line " + std::to_string(lines.LineOf(parsed.offset)) +
                           ": not an EU FSF XML file: " + parsed.description());
  pugi::xml_node root = document.document_element();
  if (!root || LocalName(root) != "export")
    return InvalidArgument(name + ": not an EU FSF XML file: the root element is <" +
                           std::string(root ? root.name() : "") + ">, expected <export>");
  for (pugi::xml_node node : root.children())
    if (LocalName(node) == "sanctionEntity") ReadSanctionEntity(node, name, lines, assembler);
  return Status::Ok();
}

Status ReadOne(std::string data, const std::string& name, EuAssembler* assembler) {
  data = StripBom(std::move(data));
  std::string_view start = Trim(data);
  if (start.empty()) return InvalidArgument(name + ": the file is empty");
  if (start.front() == '<') return ReadXml(data, name, assembler);
  return ReadCsv(data, name, assembler);
}

}  // namespace

Result<std::unique_ptr<RecordReader>> EuFsfReaderFromString(std::string data,
                                                            const std::string& name,
                                                            const ImportDefaults& defaults) {
  EuAssembler assembler(defaults);
  ENTENTE_RETURN_IF_ERROR(ReadOne(std::move(data), name, &assembler));
  return std::unique_ptr<RecordReader>(std::make_unique<PreparedReader>(assembler.Finish()));
}

Result<std::unique_ptr<RecordReader>> OpenEuFsfReader(const std::string& path,
                                                      const ImportDefaults& defaults) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<std::string> files;
  if (fs::is_directory(path, ec)) {
    for (const fs::directory_entry& entry : fs::directory_iterator(path, ec)) {
      std::string ext = entry.path().extension().string();
      if (entry.is_regular_file() && (ext == ".csv" || ext == ".xml"))
        files.push_back(entry.path().string());
    }
    std::sort(files.begin(), files.end());
    if (files.empty()) return InvalidArgument(path + ": no .csv or .xml file in the folder");
  } else {
    files.push_back(path);
  }
  EuAssembler assembler(defaults);
  for (const std::string& file : files) {
    ENTENTE_ASSIGN_OR_RETURN(std::string data, ReadInputFile(file));
    ENTENTE_RETURN_IF_ERROR(ReadOne(std::move(data), file, &assembler));
  }
  return std::unique_ptr<RecordReader>(std::make_unique<PreparedReader>(assembler.Finish()));
}

}  // namespace entente::ingest
