// Reader for the EU consolidated list of financial sanctions, the "Financial Sanctions Files"
// (format "eu-fsf"), as the European Commission publishes it, in either form:
//
//   - XML (schema 1.1): root <export> with one <sanctionEntity logicalId euReferenceNumber
//     unitedNationId designationDate> per listed subject, holding <remark>, <regulation
//     programme publicationDate numberTitle>, <subjectType code classificationCode>,
//     <nameAlias wholeName firstName middleName lastName strong gender title function>,
//     <citizen countryIso2Code>, <birthdate birthdate dayOfMonth monthOfYear year city place
//     region countryDescription circa>, <identification number identificationTypeCode
//     countryIso2Code> and <address street city zipCode poBox region place
//     countryDescription>. A namespace prefix on the elements is ignored.
//   - CSV (schema 1.1): ';'-separated (',' also accepted), a header of Entity_*,
//     NameAlias_*, BirthDate_*, Citizenship_*, Identification_* and Address_* columns, and
//     one row per entity and sub-item: an entity's rows repeat its Entity_* columns and are
//     merged on Entity_LogicalId. Files holding column subsets of the flat file (one file per
//     section, as found in ../shared/data/eu_fsf/) are joined the same way when the path is a
//     folder: every *.csv and *.xml file in it, in name order.
//
// Mapping: subject type person / P -> person, enterprise / E -> organization; the first name
// alias is the primary name, the others aliases (strong="false" -> weak-alias), scripts
// detected; birth dates full or partial (day, month, year parts; "1937.0" read as 1937);
// citizenships and document countries as ISO codes ("00" = unknown is dropped); documents by
// type code (passport, id -> national-id, others as published), the number without the
// " (passport-National passport)" suffix the flat CSV appends; addresses and birth places
// as text. source_record_id is Entity_LogicalId; attributes eu_reference_number,
// un_reference, programs (regulation programmes, which decide the category: TAQA, TERR ->
// terrorism), listed_on (designation date, else the earliest regulation publication date),
// regulation, remarks, title, position, birth_date_circa.
//
// Fatal: missing or empty file, an empty folder, XML that is not well formed or whose root is
// not <export>, a CSV without an Entity_LogicalId column. Rejected (with the file and line of
// the entity's first row or element): a row with more cells than the header, a row or element
// without a logical id, no subject type, no name, an impossible birth date, invalid UTF-8.
// Re-importing the same list changes nothing (ids derive from the logical id).
// Thread-safety: one reader per thread.
#pragma once

#include <memory>
#include <string>

#include "common/status.h"
#include "ingest/record_reader.h"

namespace entente::ingest {

Result<std::unique_ptr<RecordReader>> OpenEuFsfReader(const std::string& path,
                                                      const ImportDefaults& defaults);
// One file's content (XML or CSV, told apart by its first character); `name` in messages.
Result<std::unique_ptr<RecordReader>> EuFsfReaderFromString(std::string data,
                                                            const std::string& name,
                                                            const ImportDefaults& defaults);

}  // namespace entente::ingest
