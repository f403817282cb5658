#include "ingest/reader_support.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "common/csv.h"
#include "common/ids.h"
#include "common/text.h"

namespace entente::ingest {

Result<std::string> ReadInputFile(const std::string& path) {
  struct stat info;
  if (stat(path.c_str(), &info) != 0) {
    if (errno == ENOENT) return NotFound(path + ": no such file");
    return IOError(path + ": " + std::strerror(errno));
  }
  if (S_ISDIR(info.st_mode)) return IOError(path + ": is a folder, expected a file");
  ENTENTE_ASSIGN_OR_RETURN(std::string data, ReadFile(path));
  if (Trim(data).empty()) return InvalidArgument(path + ": the file is empty");
  return data;
}

Status RowError(std::string_view file, int64_t line, std::string_view field,
                std::string_view reason) {
  std::string message(file);
  if (line > 0) message += " line " + std::to_string(line);
  if (!field.empty()) {
    message += ", field ";
    message += field;
  }
  message += ": ";
  message += reason;
  return InvalidArgument(std::move(message));
}

Status CheckUtf8(std::string_view file, int64_t line, std::string_view field,
                 std::string_view value) {
  size_t offset = 0;
  if (IsValidUtf8(value, &offset)) return Status::Ok();
  return RowError(file, line, field, "invalid UTF-8 at byte " + std::to_string(offset));
}

std::string RecordIdFor(const ImportDefaults& defaults, std::string_view id_type,
                        std::string_view service, std::string_view source,
                        std::string_view source_record_id) {
  if (defaults.id_key) return KeyedId(*defaults.id_key, id_type, service, source, source_record_id);
  return DeterministicId(id_type, source, source_record_id);
}

void StampMeta(RecordMeta* meta, std::string_view id_type, const ImportDefaults& defaults,
               const std::string& source_record_id, ThreatCategory category) {
  meta->id = RecordIdFor(defaults, id_type, source_record_id);
  meta->provenance.service = defaults.service;
  meta->provenance.source = defaults.source;
  meta->provenance.source_record_id = source_record_id;
  meta->grades = defaults.grades.value_or(Grades{});
  meta->category = category;
  meta->marking.tlp = defaults.tlp.value_or(Tlp::kAmber);
  meta->marking.releasable_to = defaults.releasable_to;
}

}  // namespace entente::ingest
