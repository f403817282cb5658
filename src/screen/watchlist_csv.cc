#include "screen/watchlist_csv.h"

#include <unordered_map>

#include "common/csv.h"
#include "common/ids.h"
#include "common/text.h"
#include "match/normalize.h"
#include "model/country.h"

namespace entente::match {

EntityType InferEntityType(const std::string& name, bool has_birth_date) {
  Result<NormalizedName> normalized = NormalizeName(name);
  if (normalized.ok()) {
    for (const NameToken& token : normalized->tokens) {
      if (token.role == TokenRole::kLegalForm) return EntityType::kOrganization;
    }
  }
  if (has_birth_date) return EntityType::kPerson;
  return name.find(',') != std::string::npos ? EntityType::kPerson : EntityType::kOrganization;
}

Result<WatchlistCsv> LoadWatchlistCsv(const std::string& path, const std::string& source) {
  ENTENTE_ASSIGN_OR_RETURN(std::unique_ptr<CsvReader> reader, CsvReader::Open(path));
  std::vector<std::string> fields;
  Status error;
  if (!reader->Next(&fields, &error)) return InvalidArgument(path + ": empty file, no header");
  ENTENTE_RETURN_IF_ERROR(error);
  std::unordered_map<std::string, size_t> column;
  for (size_t i = 0; i < fields.size(); ++i) column[ToLowerAscii(Trim(fields[i]))] = i;
  for (const char* required : {"id", "name"}) {
    if (!column.count(required)) {
      return InvalidArgument(path + " line 1: missing column '" + std::string(required) + "'");
    }
  }
  auto get = [&](const char* name) -> std::string {
    auto it = column.find(name);
    if (it == column.end() || it->second >= fields.size()) return "";
    return std::string(Trim(fields[it->second]));
  };
  WatchlistCsv out;
  while (reader->Next(&fields, &error)) {
    const std::string where = path + " line " + std::to_string(reader->line());
    if (!error.ok()) {
      out.skipped.push_back(where + ": skipped: " + error.message());
      error = Status::Ok();
      continue;
    }
    std::string id = get("id");
    std::string name = get("name");
    if (id.empty() || name.empty()) {
      out.skipped.push_back(where + ": skipped: empty " + std::string(id.empty() ? "id" : "name"));
      continue;
    }
    if (!IsValidUtf8(name)) {
      out.skipped.push_back(where + ": skipped: name is not valid UTF-8");
      continue;
    }
    Entity entity;
    for (const std::string& text : SplitNonEmpty(get("birth_date"), '|')) {
      std::string why;
      std::optional<PartialDate> date = PartialDate::Parse(text, &why);
      if (!date) date = PartialDate::ParseLoose(text, &why);
      if (date) {
        entity.birth_dates.push_back(*date);
      } else {
        out.warnings.push_back(where + ": birth_date '" + text + "' ignored: " + why);
      }
    }
    std::string type_text = ToLowerAscii(get("type"));
    if (type_text == "person" || type_text == "individual") {
      entity.type = EntityType::kPerson;
    } else if (type_text == "organization" || type_text == "entity") {
      entity.type = EntityType::kOrganization;
    } else {
      entity.type = InferEntityType(name, !entity.birth_dates.empty());
    }
    entity.meta.id = DeterministicId(IdPrefixFor(entity.type), source, id);
    entity.meta.version = 1;
    entity.meta.provenance.source = source;
    entity.meta.provenance.source_record_id = id;
    entity.names.push_back({name, NameKind::kPrimary, ""});
    for (const std::string& alias : SplitNonEmpty(get("aliases"), '|')) {
      if (IsValidUtf8(alias)) entity.names.push_back({alias, NameKind::kAlias, ""});
    }
    for (const std::string& code : SplitNonEmpty(get("nationality"), '|')) {
      std::string normalized = NormalizeCountryCode(code);
      if (normalized.empty()) {
        out.warnings.push_back(where + ": nationality '" + code +
                               "' ignored: unknown country code");
      } else {
        entity.nationalities.push_back(normalized);
      }
    }
    for (const std::string& number : SplitNonEmpty(get("id_number"), '|')) {
      entity.documents.push_back({"id", number, "", "", ""});
    }
    std::string category = get("category");
    if (!category.empty()) entity.attributes["programs"] = category;
    out.entities.push_back(std::move(entity));
  }
  if (!error.ok()) out.skipped.push_back(path + ": " + error.message());
  return out;
}

}  // namespace entente::match
