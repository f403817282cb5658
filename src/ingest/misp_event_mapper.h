// One MISP event (the object under "Event") -> entente records. The mapping is described in
// ingest/misp_reader.h; this is the part that knows MISP attribute and object names.
// Thread-safety: one mapper per thread.
#pragma once

#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "common/status.h"
#include "ingest/record_reader.h"

namespace entente::ingest::misp {

class EventMapper {
 public:
  explicit EventMapper(const ImportDefaults& defaults) : defaults_(defaults) {}
  // Fills item->records (and item->kept_unmapped) from `event`, or returns InvalidArgument
  // "<file>: <where>...: <reason>". Records already produced by an earlier event of this
  // mapper (a shared galaxy cluster) are linked, not produced again.
  Status Map(const nlohmann::json& event, const std::string& file, const std::string& where,
             ReadItem* item);

 private:
  const ImportDefaults& defaults_;
  std::set<std::string> emitted_;  // record ids produced so far
};

}  // namespace entente::ingest::misp
