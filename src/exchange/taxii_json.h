// A guard for JSON that TAXII peers send (POST bodies on the server, answers in the client):
// how deeply it nests, checked on the text before parsing. Parsing is iterative, but copying,
// validating and writing JSON back recurse once per level, so a 64 MiB body of "[[[[..." would
// exhaust a thread's stack; no STIX object nests anywhere near the bound.
//
// Thread-safety: pure functions.
#pragma once

#include <string_view>

#include "common/status.h"

namespace entente::exchange {

inline constexpr int kMaxTaxiiJsonDepth = 100;

// InvalidArgument ("JSON nests deeper than N levels (at byte B)") when arrays and objects nest
// deeper than `max_depth` anywhere in `text`; OK otherwise (whether the text parses is for the
// parser to say). Brackets inside strings do not count.
Status CheckJsonDepth(std::string_view text, int max_depth = kMaxTaxiiJsonDepth);

}  // namespace entente::exchange
