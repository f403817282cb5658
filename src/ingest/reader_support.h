// Small pieces every reader shares: reading an input file with the right errors, building the
// "file line N, field F: reason" messages, and stamping a record's meta (keyed id,
// provenance, grades, category, marking) from the import's defaults.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"
#include "ingest/record_reader.h"
#include "model/entity.h"

namespace entente::ingest {

// Reads a whole input file. NotFound when it does not exist, IOError when it cannot be read
// (or is a folder), InvalidArgument "<file>: the file is empty" when it holds nothing but
// white space.
Result<std::string> ReadInputFile(const std::string& path);

// InvalidArgument("<file> line <line>, field <field>: <reason>"); the field part is left out
// when `field` is empty and the line part when `line` is 0.
Status RowError(std::string_view file, int64_t line, std::string_view field,
                std::string_view reason);

// InvalidArgument naming the field when `value` is not valid UTF-8.
Status CheckUtf8(std::string_view file, int64_t line, std::string_view field,
                 std::string_view value);

// The id of the record with this type, owning service, source and source record id: KeyedId
// under defaults.id_key, or DeterministicId (which has no service) when the import has no key.
std::string RecordIdFor(const ImportDefaults& defaults, std::string_view id_type,
                        std::string_view service, std::string_view source,
                        std::string_view source_record_id);
inline std::string RecordIdFor(const ImportDefaults& defaults, std::string_view id_type,
                               std::string_view source_record_id) {
  return RecordIdFor(defaults, id_type, defaults.service, defaults.source, source_record_id);
}

// Sets id = RecordIdFor(defaults, id_type, source_record_id), the provenance
// (service, source, source_record_id), grades, category and marking (TLP, releasability).
// REQUIRES: defaults.grades and defaults.tlp are set (the importer resolves them).
void StampMeta(RecordMeta* meta, std::string_view id_type, const ImportDefaults& defaults,
               const std::string& source_record_id, ThreatCategory category);

// The category a record gets when its data says nothing: --category, else other.
inline ThreatCategory FallbackCategory(const ImportDefaults& defaults) {
  return defaults.category.value_or(ThreatCategory::kOther);
}

}  // namespace entente::ingest
