// The JSON Canonicalization Scheme (JCS, RFC 8785): the one byte form of a JSON value that
// signatures are computed over. Implemented here (no library in Debian 12 offers it).
//
//   - object members sorted by their names compared as UTF-16 code units;
//   - no insignificant whitespace;
//   - strings: only '"', '\\' and control characters below U+0020 escaped (\b \t \n \f \r, else
//     \u00xx in lower-case hex); everything else, non-ASCII included, written as UTF-8;
//   - numbers: the ECMAScript Number-to-String form of the IEEE 754 double (shortest digits that
//     round-trip; exponent form below 1e-6 and from 1e21); integers beyond 2^53 are first
//     rounded to a double, as the RFC requires.
//
// Thread-safety: pure function.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "common/status.h"

namespace entente::exchange {

// InvalidArgument for values JSON cannot carry canonically (NaN, infinity, invalid UTF-8).
Result<std::string> CanonicalJson(const nlohmann::json& value);

// The ECMAScript shortest form of a double ("1e+21", "0.000001", "1e-7", "-0" -> "0").
std::string EcmaNumberToString(double value);

}  // namespace entente::exchange
