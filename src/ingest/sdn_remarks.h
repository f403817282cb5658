// Parses the free-text Remarks field of an OFAC SDN entry into structured facts. Remarks are
// ';'-separated statements; the ones understood are
//   DOB / alt. DOB <date>        10 Dec 1948, Dec 1948, 1948, circa 1948, 1960 to 1962,
//                                01 Jan 1961 to 31 Dec 1963 (a range gives both ends)
//   POB / alt. POB <place>       kept as written
//   nationality / citizen <country name> (and their alt. forms)  -> ISO alpha-2
//   Gender Male|Female
//   Passport / National ID No. / Cedula No. / Tax ID No. / Registration Number / ... <number>
//       [(<country>)] [issued <date>] [expires <date>]  -> identity documents
//   a.k.a. / f.k.a. / n.k.a. '<name>'   weak aliases
//   Linked To: <NAME>            the names of the linked SDN entries
//   Email Address, Website, Phone Number, Vessel Registration Identification IMO, MMSI, ...
//       -> attributes
// Anything else stays only in the full remarks text (attribute "remarks"). A statement that
// looks like one of the above but does not parse (a date "circa 19xx") is kept as text too: the
// remarks are never a reason to reject an entry. Thread-safety: pure.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "model/entity.h"

namespace entente::ingest {

struct SdnRemarks {
  std::vector<PartialDate> birth_dates;
  std::vector<std::string> unparsed_birth_dates;  // as written, when no date could be read
  std::vector<std::string> birth_places;
  std::vector<std::string> nationalities;      // ISO alpha-2, nationality and citizen
  std::vector<std::string> unknown_countries;  // country names not in the table
  Gender gender = Gender::kUnknown;
  std::vector<IdentityDocumentInfo> documents;
  std::vector<std::string> weak_aliases;
  std::vector<std::string> linked_to;
  std::map<std::string, std::string> attributes;  // '|'-joined when repeated
};

SdnRemarks ParseSdnRemarks(std::string_view remarks);

}  // namespace entente::ingest
