// Writer of a MISP feed folder (export format "misp-feed"), the layout a MISP instance adds
// as a feed ("MISP Feed" type, by URL or local path): manifest.json (event uuid -> Orgc, Tag,
// info, date, analysis, threat_level_id, timestamp), hashes.csv (one "md5 of an attribute
// value,event uuid" line per attribute) and one <event uuid>.json file per event, in the MISP
// core format ({"Event": {...}}).
//
// Events: each entente `event` record is one MISP event (its misp_* attributes, when it came
// from MISP, restore uuid, date, threat level, analysis, Orgc and tags); records linked to an
// event record (a relationship with the event at either end) go into that event; every other
// record goes into one event per provenance source ("entente export: ofac-sdn"). Contents:
// person -> Object "person" (first/middle/last name, alias, date-of-birth, place-of-birth,
// nationality, gender, passport-number/-country/-expiration, identity-card-number,
// phone-number, e-mail, address, title, role, text), organization -> Object "organization",
// threat-actor organizations (misp_galaxy) -> a threat-actor Galaxy cluster, phone ->
// Attribute phone-number, identity-document -> Attribute passport-number, vehicle and
// location -> Attribute text; relationships between two records of an event -> an
// ObjectReference on the source's object. What an imported event kept unmapped
// (misp_unmapped) is written back as it came. Uuids are the MISP uuids a record came with,
// else its entente id's uuid, so a feed re-exported is the same feed. Markings: each event
// and item gets its record's TLP as a tlp: tag and distribution (ingest/misp_common.h), and
// the category as an entente:category tag; the exporter has already withheld what the
// recipient may not see.
//
// The folder is written beside the target and renamed into place on Close (a feed a MISP
// instance polls is never seen half written); an existing folder at the path is replaced.
// Errors: IOError naming the path. Thread-safety: one writer per thread.
#pragma once

#include <memory>
#include <string>

#include "common/status.h"
#include "ingest/record_writer.h"

namespace entente::ingest {

Result<std::unique_ptr<RecordWriter>> OpenMispFeedWriter(const std::string& path);

}  // namespace entente::ingest
