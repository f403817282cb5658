// Reader for FollowTheMoney entities as JSON lines (format "ftm"), the OpenSanctions data
// model: one {"id","schema","properties":{...}} object per line, or a delta operation
// {"op":"ADD"|"MOD"|"DEL","entity":{...}} (a delta file, as OpenSanctions and yente publish
// them). ADD and MOD write the entity (MOD replaces the stored version: a new version, so the
// change feed and re-screening see it); DEL revokes the record imported from that FtM id
// (ReadItem::revoke_source_ids; one the store does not hold is counted, not an error).
//
// Schemas and what they become:
//   Person -> person; Organization, Company, LegalEntity, PublicBody -> organization;
//   Vessel, Airplane, Vehicle -> vehicle; Address -> location; Event -> event.
//   Ownership (owner -> asset) -> owns; Family (person -> relative) -> family-of;
//   Associate (person -> associate) -> associate-of; Membership (member -> organization),
//   Directorship (director -> organization), Employment (employee -> employer) -> member-of;
//   UnknownLink (subject -> object) -> associate-of. A link whose ends are not in the file is
//   skipped.
//   Passport / Identification (holder) -> a document of the holder; Sanction (entity) -> the
//   sanctioned entity's attributes "programs" and "sanction_authority";
//   addressEntity -> the Address's full text in the entity's addresses.
//   Other schemas are skipped (counted as rows without records).
// Properties: name (the caption is the primary name, the others aliases), alias, weakAlias,
// previousName, birthDate, birthPlace, nationality + citizenship (ISO codes; non-ISO codes
// such as "suhh" kept in attribute nationality_text), gender, idNumber, passportNumber,
// taxNumber, innCode, registrationNumber, ogrnCode, address, country, position, notes,
// topics. Topics decide the category: crime.terror -> terrorism, crime.traffick.drug ->
// narcotics, crime.traffick.human -> human-trafficking, crime.boss / crime -> organized-crime;
// else --category, else other. source_record_id is the FtM id; first_seen/last_seen are kept.
//
// Fatal: missing or empty file, a first line that is not an FtM object ("not a
// FollowTheMoney JSON lines file"). Rejected lines: malformed JSON, no id or schema, an
// unknown op, a DEL without an entity id, an impossible birthDate, invalid UTF-8. Thread-safety:
// one reader per thread.
#pragma once

#include <memory>
#include <string>

#include "common/status.h"
#include "ingest/record_reader.h"

namespace entente::ingest {

Result<std::unique_ptr<RecordReader>> OpenFtmReader(const std::string& path,
                                                    const ImportDefaults& defaults);
Result<std::unique_ptr<RecordReader>> FtmReaderFromString(std::string data, const std::string& name,
                                                          const ImportDefaults& defaults);

}  // namespace entente::ingest
