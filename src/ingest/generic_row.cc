#include "ingest/generic_row.h"

#include <algorithm>
#include <cctype>
#include <unordered_set>

#include "common/text.h"
#include "ingest/programs.h"
#include "ingest/reader_support.h"
#include "model/country.h"
#include "model/partial_date.h"

namespace entente::ingest {
namespace {

constexpr std::string_view kColumnNames[] = {
    "id",   "name",   "aliases",     "birth_date", "nationality", "id_number",  "category",
    "type", "gender", "birth_place", "address",    "id_type",     "id_country",
};
static_assert(std::size(kColumnNames) == static_cast<size_t>(GenericColumn::kCount));

// Words that mark a name as an organization's: legal forms and corporate nouns, written
// without dots ("S.A." is compared as "SA"). Kept to words that are not also common surnames.
const std::unordered_set<std::string_view>& OrganizationWords() {
  static const auto* words = new std::unordered_set<std::string_view>{
      "LTD",
      "LIMITED",
      "LLC",
      "INC",
      "INCORPORATED",
      "CO",
      "COMPANY",
      "CORP",
      "CORPORATION",
      "BANK",
      "BANCO",
      "BANQUE",
      "SA",
      "SAS",
      "SARL",
      "SRL",
      "SRO",
      "GMBH",
      "AG",
      "PLC",
      "JSC",
      "OJSC",
      "PJSC",
      "CJSC",
      "OOO",
      "ZAO",
      "OAO",
      "AO",
      "TOV",
      "LLP",
      "FZE",
      "FZCO",
      "FZC",
      "DMCC",
      "SAL",
      "LTDA",
      "CIA",
      "KK",
      "CV",
      "SC",
      "SAC",
      "CA",
      "AIRLINES",
      "AIRWAYS",
      "AIR",
      "GROUP",
      "GRUPO",
      "HOLDING",
      "HOLDINGS",
      "TRADING",
      "INDUSTRIES",
      "INDUSTRY",
      "INDUSTRIAL",
      "ENTERPRISE",
      "ENTERPRISES",
      "FOUNDATION",
      "ORGANIZATION",
      "ORGANISATION",
      "ASSOCIATION",
      "ASOCIACION",
      "INSTITUTE",
      "MINISTRY",
      "COMMITTEE",
      "FRONT",
      "ARMY",
      "BRIGADE",
      "BRIGADES",
      "MOVEMENT",
      "PARTY",
      "SHIPPING",
      "LINES",
      "SERVICES",
      "INTERNATIONAL",
      "CENTER",
      "CENTRE",
      "UNIVERSITY",
      "FUND",
      "AGENCY",
      "AUTHORITY",
      "FACTORY",
      "PLANT",
      "FEDERATION",
      "COOPERATIVE",
      "SOCIETY",
      "SOCIEDAD",
      "ANONIMA",
      "TRUST",
      "PARTNERS",
      "CONSORTIUM",
      "CONSORCIO",
      "NETWORK",
      "ELECTRONICS",
      "TECHNOLOGY",
      "TECHNOLOGIES",
      "ENGINEERING",
      "CONSTRUCTION",
      "PETROLEUM",
      "OIL",
      "GAS",
      "ENERGY",
      "MARINE",
      "MARITIME",
      "LOGISTICS",
      "EXCHANGE",
      "INVESTMENT",
      "INVESTMENTS",
      "INVERSIONES",
      "CAPITAL",
      "FINANCE",
      "FINANCIAL",
      "INSURANCE",
      "ESTABLISHMENT",
      "BUREAU",
      "COUNCIL",
      "CORPS",
      "GUARD",
      "FORCE",
      "FORCES",
      "HOTEL",
      "CLUB",
  };
  return *words;
}

bool HasOrganizationWord(std::string_view name) {
  const auto& words = OrganizationWords();
  std::string token;
  auto flush = [&]() {
    bool hit = !token.empty() && words.count(token) > 0;
    token.clear();
    return hit;
  };
  for (char c : name) {
    if (c == '.' || c == '\'' || c == '"') continue;  // "S.A." -> "SA", "CO." -> "CO"
    if (std::isalnum(static_cast<unsigned char>(c)) || (c & 0x80)) {
      token.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    } else if (flush()) {
      return true;
    }
  }
  return flush();
}

bool HasLowercase(std::string_view text) {
  // ASCII lower case, or any multi-byte letter, which we cannot case-test cheaply: a
  // multi-byte sequence counts as lower case only if the ASCII letters around it are.
  return std::any_of(text.begin(), text.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

bool HasUppercaseAndNoLowercase(std::string_view text) {
  bool upper = std::any_of(text.begin(), text.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
  return upper && !HasLowercase(text);
}

// Splits a '|' list, trims, drops empties.
std::vector<std::string> SplitList(std::string_view value) { return SplitNonEmpty(value, '|'); }

}  // namespace

GenericColumn GenericColumnForName(std::string_view header) {
  std::string lowered = ToLowerAscii(Trim(header));
  // A UTF-8 byte-order mark in front of the first header.
  if (lowered.rfind("\xef\xbb\xbf", 0) == 0) lowered.erase(0, 3);
  for (size_t i = 0; i < std::size(kColumnNames); ++i)
    if (lowered == kColumnNames[i]) return static_cast<GenericColumn>(i);
  return GenericColumn::kCount;
}

std::string_view GenericColumnName(GenericColumn column) {
  return column == GenericColumn::kCount ? "" : kColumnNames[static_cast<size_t>(column)];
}

EntityType InferEntityType(std::string_view name) {
  if (HasOrganizationWord(name)) return EntityType::kOrganization;
  size_t comma = name.find(',');
  if (comma != std::string_view::npos && HasLowercase(name.substr(comma + 1)))
    return EntityType::kPerson;
  if (HasUppercaseAndNoLowercase(name)) return EntityType::kOrganization;
  return EntityType::kPerson;
}

Result<Entity> EntityFromGenericRow(const GenericRow& row, const ImportDefaults& defaults,
                                    std::string_view file, int64_t line) {
  using C = GenericColumn;
  // Every value must be UTF-8 before anything looks at it.
  for (size_t i = 0; i < row.values.size(); ++i)
    ENTENTE_RETURN_IF_ERROR(CheckUtf8(file, line, kColumnNames[i], row.values[i]));
  for (const auto& [key, value] : row.extra) {
    ENTENTE_RETURN_IF_ERROR(CheckUtf8(file, line, "header", key));
    ENTENTE_RETURN_IF_ERROR(CheckUtf8(file, line, key, value));
  }

  std::string id(Trim(row.Get(C::kId)));
  if (id.empty()) return RowError(file, line, "id", "empty; every row needs its own id");
  std::string_view name = Trim(row.Get(C::kName));
  if (name.empty()) return RowError(file, line, "name", "empty");

  Entity entity;
  // Birth dates first: they decide the type when no type column says.
  for (const std::string& text : SplitList(row.Get(C::kBirthDate))) {
    std::string why;
    auto date = PartialDate::Parse(text, &why);
    if (!date) return RowError(file, line, "birth_date", "\"" + text + "\": " + why);
    entity.birth_dates.push_back(*date);
  }
  std::string_view gender_text = Trim(row.Get(C::kGender));
  if (!gender_text.empty()) {
    auto gender = ParseGender(gender_text);
    if (!gender)
      return RowError(file, line, "gender",
                      "unknown gender \"" + std::string(gender_text) + "\" (male or female)");
    entity.gender = *gender;
  }

  std::string_view type_text = Trim(row.Get(C::kType));
  if (!type_text.empty()) {
    auto type = ParseEntityType(ToLowerAscii(type_text));
    if (!type)
      return RowError(file, line, "type",
                      "unknown entity type \"" + std::string(type_text) +
                          "\" (person, organization, vehicle, identity-document, phone, "
                          "location, event)");
    entity.type = *type;
  } else if (!entity.birth_dates.empty() || entity.gender != Gender::kUnknown) {
    entity.type = EntityType::kPerson;
  } else {
    entity.type = InferEntityType(name);
  }

  // Category: a category name, or programme codes, or nothing.
  ThreatCategory category = FallbackCategory(defaults);
  std::string_view category_text = Trim(row.Get(C::kCategory));
  if (!category_text.empty()) {
    if (auto parsed = ParseThreatCategory(ToLowerAscii(category_text))) {
      category = *parsed;
    } else if (LooksLikeProgramCodes(category_text)) {
      std::vector<std::string> programs = SplitList(category_text);
      category = CategoryForPrograms(programs, category);
      entity.attributes["programs"] = Join(programs, "|");
    } else {
      return RowError(file, line, "category",
                      "unknown category \"" + std::string(category_text) +
                          "\" (terrorism, organized-crime, narcotics, illegal-migration, "
                          "human-trafficking, other, or upper-case programme codes)");
    }
  }
  StampMeta(&entity.meta, IdPrefixFor(entity.type), defaults, id, category);

  entity.names.push_back({std::string(name), NameKind::kPrimary, ""});
  for (std::string& alias : SplitList(row.Get(C::kAliases)))
    entity.names.push_back({std::move(alias), NameKind::kAlias, ""});

  for (const std::string& code : SplitList(row.Get(C::kNationality))) {
    std::string normalized = NormalizeCountryCode(code);
    if (normalized.empty())
      return RowError(file, line, "nationality",
                      "\"" + code + "\" is not an ISO 3166 alpha-2 country code");
    if (std::find(entity.nationalities.begin(), entity.nationalities.end(), normalized) ==
        entity.nationalities.end())
      entity.nationalities.push_back(std::move(normalized));
  }

  std::string id_country;
  std::string_view id_country_text = Trim(row.Get(C::kIdCountry));
  if (!id_country_text.empty()) {
    id_country = NormalizeCountryCode(id_country_text);
    if (id_country.empty())
      return RowError(
          file, line, "id_country",
          "\"" + std::string(id_country_text) + "\" is not an ISO 3166 alpha-2 country code");
  }
  std::string id_type(Trim(row.Get(C::kIdType)));
  for (std::string& number : SplitList(row.Get(C::kIdNumber))) {
    IdentityDocumentInfo document;
    document.type = id_type.empty() ? "other" : ToLowerAscii(id_type);
    document.number = std::move(number);
    document.country = id_country;
    entity.documents.push_back(std::move(document));
  }
  for (std::string& place : SplitList(row.Get(C::kBirthPlace)))
    entity.birth_places.push_back(std::move(place));
  for (std::string& address : SplitList(row.Get(C::kAddress)))
    entity.addresses.push_back(std::move(address));

  for (const auto& [key, value] : row.extra) {
    std::string_view trimmed = Trim(value);
    std::string_view header = Trim(key);
    if (!trimmed.empty() && !header.empty()) entity.attributes[std::string(header)] = trimmed;
  }
  return entity;
}

}  // namespace entente::ingest
