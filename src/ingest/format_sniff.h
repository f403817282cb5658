// Which import format a file or folder is in, by its content, for `entente import PATH`
// without --format. The name alone never decides (a renamed file is still recognised; a
// ".json" that is neither STIX, MISP nor FtM is refused).
//
//   folder                  sdn.csv in it -> sdn; manifest.json -> misp (a MISP feed);
//                           EU FSF CSV/XML parts -> eu-fsf
//   XML                     root <CONSOLIDATED_LIST> -> un; <export> -> eu-fsf
//   JSON (whole document)   "type": "bundle" -> stix; "Event", "response" or a list of
//                           {"Event"} -> misp; "Publications" -> fr-gels; a MISP feed
//                           manifest (event uuid -> {"info", ...}) -> misp
//   JSON lines              {"schema", "properties"} or {"op", "entity"} -> ftm; entente's
//                           record JSON or a generic row {"id", "name"} -> jsonl
//   CSV                     Entity_LogicalId -> eu-fsf; "Unique ID" + "OFSI Group ID" ->
//                           uk-fcdo; "Group ID" + "Name 6" (after ConList's title line) ->
//                           uk-hmt; OFAC SDN rows (ent_num, "NAME", ...) -> sdn; "id" + "name"
//                           -> csv
//
// Anything else is refused with InvalidArgument naming the path and what was seen there
// ("XML whose root is <sdnList>: ..."), so the user knows which --format to give, if any.
// Thread-safety: pure function over the file system.
#pragma once

#include <string>

#include "common/status.h"

namespace entente::ingest {

struct SniffedFormat {
  std::string format;    // a reader name of format_registry.h ("stix", "misp", ...)
  std::string evidence;  // what decided it ("a JSON object with \"type\": \"bundle\"")
};

// NotFound for a missing path; InvalidArgument as above.
Result<SniffedFormat> SniffFormat(const std::string& path);

}  // namespace entente::ingest
