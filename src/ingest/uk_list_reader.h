// Readers for the two UK sanctions lists, as published as CSV:
//
//   "uk-fcdo"  the FCDO "UK Sanctions List": one row per designation, keyed by "Unique ID"
//              ("AFG0001"), with "OFSI Group ID", "Regime Name", "Type" (Individual, Entity,
//              Ship), "Designation source", "Date Designated" (DD-MM-YYYY) and "Sanctions
//              Imposed". The summary sheet has one "Name" column (primary names only); the
//              full list's "Name 1".."Name 6", "Name type" (Primary name / Alias) and "Alias
//              strength" columns, with its several rows per designation, are read too.
//   "uk-hmt"   HM Treasury / OFSI's consolidated list "ConList.csv": one row per alias (and
//              per date of birth), keyed by "Group ID", names in "Name 1".."Name 5" plus the
//              surname "Name 6", "Alias Type" (Prime Alias / AKA / FKA), "DOB" (dd/mm/yyyy,
//              "00" for an unknown part), "Town of Birth", "Country of Birth", "Nationality"
//              ("1) Saudi Arabia 2) Qatar"), "Passport Details", "NI Number", "Position",
//              "Address 1".."Address 6", "Post/Zip Code", "Country", "Other Information",
//              "Group Type", "Regime", "Listed On", "Last Updated".
//
// Rows of one key are merged into one entity: Individual -> person, Entity -> organization,
// Ship -> vehicle. Columns are found by name, without case; the same column under the other
// list's spelling is read too ("DOB" / "D.O.B", "Regime" / "Regime Name", ...). Quirks handled:
// a title line before the header ("Last Updated,01/04/2020", "Report Date: ..."); a header
// with one more cell than the rows whose first cell is empty (a re-saved file's index column,
// as in ../shared/data/uk_hmt_conlist_sample); Windows-1252 text (the ConList's encoding) when
// the file is not UTF-8; names and ids wrapped in line breaks and runs of spaces.
// Attributes: programs (regimes; they decide the category), listed_on (YYYY-MM-DD),
// last_updated, designation_source, sanctions_imposed, ofsi_group_id, un_reference, title,
// position, remarks, passport_details, national_id_details, nationality_text.
//
// Fatal: missing or empty file, a header without the key column. Rejected (file, line of the
// entity's first row, reason): no key, no name, an impossible date of birth, an unknown
// Type, invalid UTF-8. Re-import is idempotent (ids derive from the key).
// Thread-safety: one reader per thread.
#pragma once

#include <memory>
#include <string>

#include "common/status.h"
#include "ingest/record_reader.h"

namespace entente::ingest {

Result<std::unique_ptr<RecordReader>> OpenUkFcdoReader(const std::string& path,
                                                       const ImportDefaults& defaults);
Result<std::unique_ptr<RecordReader>> OpenUkHmtReader(const std::string& path,
                                                      const ImportDefaults& defaults);

enum class UkList { kFcdo, kHmt };
Result<std::unique_ptr<RecordReader>> UkListReaderFromString(UkList list, std::string data,
                                                             const std::string& name,
                                                             const ImportDefaults& defaults);

}  // namespace entente::ingest
