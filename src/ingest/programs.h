// Sanctions programme codes (OFAC "SDGT", "SDNTK", "RUSSIA-EO14024"; UN "Al-Qaida", "Taliban")
// and the threat category each one implies. Real watchlists put these codes where a generic
// file has its category, so the generic readers and the SDN and UN readers share this table.
//
// Mapping (first match wins, in this order of precedence):
//   terrorism:        SDGT* and NS-SDGT, SDT, FTO*, HIZBALLAH, HAMAS,
//                     UN Al-Qaida, Taliban, ISIL (Da'esh); EU TAQA, TERR; any name holding
//                     "terroris" or "Al-Qaida" (UK Counter-Terrorism regimes, "The ISIL
//                     (Da'esh) and Al-Qaida organisations")
//   narcotics:        SDNTK, SDNT, ILLICIT-DRUGS*, NARCOTICS
//   organized-crime:  TCO
//   human-trafficking: TRAFFICKING*, HT
//   otherwise:        the caller's fallback (--category, else "other").
// Thread-safety: pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/types.h"

namespace entente::ingest {

// The category one programme code implies, or nullopt when it implies none (e.g. "CUBA").
// Case-insensitive.
std::optional<ThreatCategory> CategoryForProgram(std::string_view program);

// The category for a set of codes: the most specific one any code implies (terrorism before
// narcotics before organized-crime before human-trafficking), else `fallback`.
ThreatCategory CategoryForPrograms(const std::vector<std::string>& programs,
                                   ThreatCategory fallback);

// True when `text` looks like a list of programme codes rather than a category: upper-case
// letters, digits, '-', '_', ' ', '|' and at least one letter ("SDGT|IFSR", "RUSSIA-EO14024").
bool LooksLikeProgramCodes(std::string_view text);

}  // namespace entente::ingest
