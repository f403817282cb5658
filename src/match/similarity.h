// String similarities for short name parts, allocation-free (fixed stack buffers).
// Thread-safety: pure functions.
#pragma once

#include <string_view>

namespace entente::match {

// Jaro-Winkler similarity in [0, 1] (prefix scale 0.1, prefix up to 4). Strings longer than
// 64 bytes are compared on their first 64 bytes.
double JaroWinkler(std::string_view a, std::string_view b);

// Levenshtein distance, giving up (returning max_distance + 1) once it exceeds max_distance.
int BoundedLevenshtein(std::string_view a, std::string_view b, int max_distance);

// Optimal-string-alignment distance: Levenshtein plus the swap of two adjacent letters as one
// edit ("atnon" / "anton" is 1), giving up (returning max_distance + 1) once it exceeds
// max_distance. Strings longer than 64 bytes are compared on their first 64 bytes.
int BoundedOsa(std::string_view a, std::string_view b, int max_distance);

}  // namespace entente::match
