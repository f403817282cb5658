#include "api/ftm_view.h"

#include <algorithm>
#include <cctype>
#include <map>

#include "model/country.h"
#include "model/partial_date.h"

namespace entente::server {
namespace {

using nlohmann::json;

void Add(json& properties, const char* key, const std::string& value) {
  if (value.empty()) return;
  if (!properties.contains(key)) properties[key] = json::array();
  for (const json& existing : properties[key])
    if (existing == value) return;
  properties[key].push_back(value);
}

// The values of one property of an example: a string or a list of strings.
Result<std::vector<std::string>> Values(const json& value, const std::string& where) {
  std::vector<std::string> out;
  if (value.is_string()) {
    out.push_back(value.get<std::string>());
  } else if (value.is_array()) {
    for (const json& item : value) {
      if (!item.is_string()) return InvalidArgument(where + ": expected strings");
      out.push_back(item.get<std::string>());
    }
  } else if (!value.is_null()) {
    return InvalidArgument(where + ": expected a string or a list of strings");
  }
  for (const std::string& text : out) {
    if (text.size() > 1000) return InvalidArgument(where + ": a value over 1,000 bytes");
  }
  return out;
}

std::string FirstNonEmpty(const std::vector<std::string>& values) {
  for (const std::string& value : values)
    if (!value.empty()) return value;
  return "";
}

// The name parts joined when the example gives no `name`.
std::string NameFromParts(const std::map<std::string, std::vector<std::string>>& props) {
  std::string joined;
  for (const char* part : {"firstName", "middleName", "lastName"}) {
    auto it = props.find(part);
    if (it == props.end()) continue;
    std::string value = FirstNonEmpty(it->second);
    if (value.empty()) continue;
    if (!joined.empty()) joined += ' ';
    joined += value;
  }
  return joined;
}

}  // namespace

std::string FtmSchemaOf(const Entity& entity) {
  if (entity.type == EntityType::kPerson) return "Person";
  if (entity.type == EntityType::kOrganization) return "Organization";
  return "LegalEntity";
}

json FtmProperties(const Entity& entity) {
  json properties = json::object();
  for (const Name& name : entity.names) {
    Add(properties, name.kind == NameKind::kPrimary ? "name" : "alias", name.full);
  }
  for (const PartialDate& date : entity.birth_dates) Add(properties, "birthDate", date.ToString());
  for (const std::string& place : entity.birth_places) Add(properties, "birthPlace", place);
  for (const std::string& country : entity.nationalities) {
    std::string lower = country;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    Add(properties, "nationality", lower);  // FtM writes country codes in lower case
  }
  for (const IdentityDocumentInfo& document : entity.documents) {
    Add(properties, document.type == "passport" ? "passportNumber" : "idNumber", document.number);
  }
  for (const std::string& address : entity.addresses) Add(properties, "address", address);
  if (entity.gender == Gender::kMale) Add(properties, "gender", "male");
  if (entity.gender == Gender::kFemale) Add(properties, "gender", "female");
  return properties;
}

bool FtmSchemaToType(const std::string& schema, std::optional<EntityType>* type) {
  if (schema == "Person") {
    *type = EntityType::kPerson;
  } else if (schema == "Organization" || schema == "Company") {
    *type = EntityType::kOrganization;
  } else if (schema == "LegalEntity" || schema == "Thing") {
    type->reset();
  } else {
    return false;
  }
  return true;
}

Result<FtmExampleQuery> QueryFromFtmExample(const json& example, const std::string& where) {
  if (!example.is_object()) return InvalidArgument(where + ": expected an object");
  if (!example.contains("schema") || !example["schema"].is_string())
    return InvalidArgument(where +
                           ".schema: required (Person, Organization, Company, "
                           "LegalEntity or Thing)");
  MatchQuery base;
  const std::string schema = example["schema"].get<std::string>();
  if (!FtmSchemaToType(schema, &base.type)) {
    return InvalidArgument(where + ".schema: '" + schema +
                           "' is not one this node matches (Person, Organization, Company, "
                           "LegalEntity or Thing)");
  }
  if (!example.contains("properties") || !example["properties"].is_object())
    return InvalidArgument(where + ".properties: required, an object");
  std::map<std::string, std::vector<std::string>> props;
  for (const auto& [key, value] : example["properties"].items()) {
    ENTENTE_ASSIGN_OR_RETURN(props[key], Values(value, where + ".properties." + key));
  }
  FtmExampleQuery out;
  static const std::vector<std::string> kUsed = {
      "name",           "firstName",          "middleName",  "lastName", "alias",
      "birthDate",      "nationality",        "citizenship", "country",  "idNumber",
      "passportNumber", "registrationNumber", "taxNumber",   "gender"};
  for (const auto& [key, values] : props) {
    if (std::find(kUsed.begin(), kUsed.end(), key) == kUsed.end()) out.ignored.push_back(key);
  }
  for (const std::string& date : props["birthDate"]) {
    if (date.empty()) continue;
    std::string why;
    auto parsed = PartialDate::Parse(date.substr(0, 10), &why);
    if (!parsed) return InvalidArgument(where + ".properties.birthDate: '" + date + "': " + why);
    base.birth_date = parsed;
    break;
  }
  for (const char* key : {"nationality", "citizenship", "country"}) {
    std::string code = FirstNonEmpty(props[key]);
    if (code.empty() || !base.nationality.empty()) continue;
    code = NormalizeCountryCode(code);
    if (!IsValidCountryCode(code))
      return InvalidArgument(where + ".properties." + key + ": not an ISO 3166 alpha-2 code");
    base.nationality = code;
  }
  for (const char* key : {"passportNumber", "idNumber", "registrationNumber", "taxNumber"}) {
    if (base.id_number.empty()) base.id_number = FirstNonEmpty(props[key]);
  }
  if (base.id_number.size() > 64)
    return InvalidArgument(where + ".properties.idNumber: at most 64 characters");
  std::string gender = FirstNonEmpty(props["gender"]);
  if (gender == "male") base.gender = Gender::kMale;
  if (gender == "female") base.gender = Gender::kFemale;
  std::vector<std::string> names = props["name"];
  if (FirstNonEmpty(names).empty()) names = {NameFromParts(props)};
  for (const std::string& alias : props["alias"]) names.push_back(alias);
  for (const std::string& name : names) {
    if (name.empty() || out.queries.size() >= 10) continue;
    if (name.size() > 300) return InvalidArgument(where + ".properties.name: at most 300 bytes");
    MatchQuery query = base;
    query.name = name;
    out.queries.push_back(std::move(query));
  }
  if (out.queries.empty())
    return InvalidArgument(where + ".properties.name: at least one name is required");
  return out;
}

}  // namespace entente::server
