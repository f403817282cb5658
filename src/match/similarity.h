// String similarities for short name parts, allocation-free. The edit distances and the
// Jaro-Winkler matching are bit-parallel: the first string's letters are bit masks in one 64-bit
// word (a per-thread table, cleared after each call), and each letter of the second updates all
// positions at once; the results are those of the usual row-by-row algorithms.
// Thread-safety: pure functions (each thread has its own mask table).
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

// An edit distance in which the edits that transliteration makes are cheap, so that a spelling
// error on top of another transliteration still reads as close ("javjden" / "javidan"):
//   vowel for vowel (a e i o u y)                          0.45
//   c/k/q, v/w, i/y/j                                      0.35
//   c/s, s/z, f/p, d/t, b/p, g/j, g/k                      0.6
//   a vowel or an "h" added or dropped (kh/k, sh/s)        0.5
//   a letter doubled or undoubled ("ss" / "s")             0.3
//   any other letter changed, added or dropped, or two adjacent letters swapped: 1.
// Folded Latin input (lower-case a-z). Gives up (returning a value above max_cost) once every
// path costs more than max_cost. Strings longer than 32 bytes are compared on their first 32.
double TransliterationDistance(std::string_view a, std::string_view b, double max_cost);

}  // namespace entente::match
