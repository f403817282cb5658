// Reader for the UN Security Council consolidated sanctions list XML (format "un"): root
// CONSOLIDATED_LIST with INDIVIDUALS/INDIVIDUAL and ENTITIES/ENTITY.
//
// INDIVIDUAL -> person, ENTITY -> organization; source_record_id is REFERENCE_NUMBER
// ("QDi.001"; DATAID when absent). The name is FIRST_NAME .. FOURTH_NAME joined by spaces;
// NAME_ORIGINAL_SCRIPT becomes an alias with its ISO 15924 script ("Arab", "Cyrl", "Hang",
// ...); aliases: QUALITY Good / a.k.a. -> alias, Low -> weak-alias, f.k.a. -> former-name.
// Birth dates: DATE (YYYY-MM-DD), YEAR, or FROM_YEAR..TO_YEAR (every year of a span up to ten
// years, else both ends). NATIONALITY and document countries are country names mapped by
// ingest/country_names.h (unknown names kept in attribute nationality_text). UN_LIST_TYPE
// (Al-Qaida, Taliban, DPRK, ...) goes to attribute "programs" and decides the category.
//
// Fatal: missing or empty file, not well-formed XML, a root other than CONSOLIDATED_LIST.
// Rejected entries (with the line of their element): no name, an impossible DATE, invalid
// UTF-8. Thread-safety: one reader per thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"
#include "ingest/record_reader.h"

namespace entente::ingest {

Result<std::unique_ptr<RecordReader>> OpenUnReader(const std::string& path,
                                                   const ImportDefaults& defaults);
Result<std::unique_ptr<RecordReader>> UnReaderFromString(std::string data, const std::string& name,
                                                         const ImportDefaults& defaults);

// ISO 15924 code of the first letter that is not ASCII in `text` ("Arab", "Cyrl", "Grek",
// "Hebr", "Hang", "Hani", ...), "Latn" when all letters are Latin.
std::string DetectScript(std::string_view text);

}  // namespace entente::ingest
