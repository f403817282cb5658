// Reader for MISP events (format "misp"): the MISP core format JSON (draft-dulaunoy-misp-core-
// format), one event per item, from
//   - a file holding {"Event": {...}}, an array of those, or a MISP search response
//     {"response": [{"Event": {...}}, ...]};
//   - a MISP feed folder: manifest.json (event uuid -> event summary) and one <uuid>.json
//     event file per manifest entry (hashes.csv, if present, is not needed to read).
//
// Each event becomes an entente `event` record (name: info; source_record_id: the event uuid;
// attributes misp_event_uuid, misp_date, misp_threat_level_id, misp_analysis, misp_org,
// misp_org_uuid, misp_tags, misp_published, misp_timestamp) and
//   - Object "person" -> person (first-name, middle-name, last-name, full-name, alias,
//     date-of-birth, place-of-birth, nationality, gender, passport-number / -country /
//     -expiration, identity-card-number, phone-number, e-mail, address, title, role, text;
//     any other relation kept as attribute misp_<relation>);
//   - Object "organization" -> organization (name, alias, address, phone-number, e-mail,
//     VAT, role, type-of-organizarion, date-of-inception, description);
//   - Object "passport" -> a document of the person it is referenced with, else an
//     identity-document record;
//   - Attribute "phone-number" -> phone, "passport-number" -> identity-document, "full-name"
//     -> person, "threat-actor" -> organization;
//   - Galaxy "threat-actor" clusters -> organization (value; synonyms as aliases);
//   - every mapped record is linked to its event (sighted-at), and ObjectReferences between
//     mapped objects become relationships (ingest/misp_common.h).
// Source record ids are the MISP uuids, so re-importing a feed changes nothing and a second
// event naming the same galaxy cluster links to one record. Markings and categories come
// from tags and distribution (ingest/misp_common.h), per attribute or object where they have
// their own, else the event's. Everything else (network indicators, files, other objects,
// references to them) is KEPT, as its MISP JSON, in the event record's attribute
// misp_unmapped (a JSON array) and counted (ImportReport::kept_unmapped); the feed writer
// puts it back unchanged, so MISP -> entente -> MISP loses nothing.
//
// Fatal: missing or empty file, malformed JSON, a file with no event, a feed folder without
// manifest.json or missing an event file the manifest lists. Rejected events (file, the
// element's path, reason: "feed/5f1c...json: Event.Object[2] (person 5f1d...): no
// first-name, last-name, full-name or alias"): no uuid or info, a value of the wrong JSON
// type, a person or organization object without a name, an impossible date-of-birth,
// invalid UTF-8. Thread-safety: one reader per thread.
#pragma once

#include <memory>
#include <string>

#include "common/status.h"
#include "ingest/record_reader.h"

namespace entente::ingest {

Result<std::unique_ptr<RecordReader>> OpenMispReader(const std::string& path,
                                                     const ImportDefaults& defaults);
Result<std::unique_ptr<RecordReader>> MispReaderFromString(std::string data,
                                                           const std::string& name,
                                                           const ImportDefaults& defaults);

}  // namespace entente::ingest
