// Country names as public lists write them ("Korea, North", "Syrian Arab Republic", "Russian
// Federation", "Cote d Ivoire", "Iran (Islamic Republic of)", "Türkiye") mapped to ISO 3166-1
// alpha-2 codes. The SDN remarks, the UN list and FollowTheMoney all name countries this way.
//
// Matching ignores case, punctuation, accents on the few names that carry them, a leading or
// trailing "the", and the order of "X, Republic of the" inversions. Thread-safety: pure.
#pragma once

#include <string>
#include <string_view>

namespace entente::ingest {

// The ISO alpha-2 code for a country name (or for an alpha-2/alpha-3 code given as is), or
// empty when the name is not known. Regions that are not countries ("Region: Crimea",
// "former Soviet Union", "undetermined") return empty; "West Bank", "Gaza" and "Palestinian"
// return "PS", "Kosovo" "XK".
std::string CountryCodeForName(std::string_view name);

// "Morocco" for "MA"; empty when unknown.
std::string_view CountryNameForCode(std::string_view code);

}  // namespace entente::ingest
