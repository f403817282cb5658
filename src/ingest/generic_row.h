// The generic watchlist row shared by the CSV and JSON-lines readers, and how it becomes an
// Entity.
//
// Columns, by name (case-insensitive; order free):
//   id            required: the source's own key (becomes provenance.source_record_id)
//   name          required: the primary name
//   aliases       '|'-separated alias names
//   birth_date    '|'-separated dates, YYYY, YYYY-MM or YYYY-MM-DD (impossible dates rejected)
//   nationality   '|'-separated ISO 3166 alpha-2 codes (case-insensitive)
//   id_number     '|'-separated identity document numbers
//   category      a threat category (terrorism, organized-crime, narcotics, illegal-migration,
//                 human-trafficking, other; any case), or UPPER-CASE sanctions programme codes
//                 ('|'-separated: "SDGT|IFSR"), kept in attribute "programs" and mapped by
//                 ingest/programs.h; anything else is rejected ("unknown category")
//   type          optional: person, organization, vehicle, ... (else inferred, see below)
//   gender        optional: male, female, m, f
//   birth_place   optional, '|'-separated;   address  optional, '|'-separated
//   id_type, id_country   optional: the document type and issuing country of id_number
// Any other non-empty column is kept as an attribute under its header name.
//
// Type inference when there is no `type` value, first rule that holds:
//   1. a birth date or a gender                                  -> person
//   2. the name holds a legal-form or corporate word (LTD, LLC, CO., COMPANY, BANK, S.A.,
//      GMBH, AIRLINES, ...; see kOrganizationWords)               -> organization
//   3. the name is "SURNAME, Given names" (a comma)               -> person
//   4. the name is all upper case (how lists write entities)      -> organization
//   5. otherwise (mixed-case free text, "Mohamed El Idrissi")     -> person
// Thread-safety: pure.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "ingest/record_reader.h"
#include "model/entity.h"

namespace entente::ingest {

enum class GenericColumn {
  kId,
  kName,
  kAliases,
  kBirthDate,
  kNationality,
  kIdNumber,
  kCategory,
  kType,
  kGender,
  kBirthPlace,
  kAddress,
  kIdType,
  kIdCountry,
  kCount,
};
// The known column for a header name ("birth_date", "Birth_Date"), or kCount when unknown.
GenericColumn GenericColumnForName(std::string_view header);
std::string_view GenericColumnName(GenericColumn column);

// One row's values, by known column, plus the extra columns by header name.
struct GenericRow {
  std::array<std::string_view, static_cast<size_t>(GenericColumn::kCount)> values{};
  std::vector<std::pair<std::string_view, std::string_view>> extra;

  std::string_view Get(GenericColumn column) const { return values[static_cast<size_t>(column)]; }
  void Set(GenericColumn column, std::string_view value) {
    values[static_cast<size_t>(column)] = value;
  }
};

// Builds the entity a row describes. Errors: InvalidArgument "<file> line <n>, field <f>:
// <reason>" for an empty id or name, an unknown type, category or gender, an impossible date,
// a bad country code, invalid UTF-8.
Result<Entity> EntityFromGenericRow(const GenericRow& row, const ImportDefaults& defaults,
                                    std::string_view file, int64_t line);

// Rules 2-5 above, for a name alone (rule 1 needs the other columns).
EntityType InferEntityType(std::string_view name);

}  // namespace entente::ingest
