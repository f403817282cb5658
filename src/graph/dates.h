// Day numbers for graph filters and recency: "YYYY-MM-DD" (or the date part of an RFC 3339
// timestamp) as days since 1970-01-01. Partial dates round to the start ("YYYY" -> Jan 1) or,
// with `round_up`, to the end of the period.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string_view>

namespace entente::graph {

inline constexpr int32_t kUnknownDay = INT32_MIN;

// Days since 1970-01-01 for a civil date (proleptic Gregorian).
int32_t DaysFromCivil(int year, int month, int day);
// kUnknownDay when `text` is empty or not a date.
int32_t ParseDay(std::string_view text, bool round_up = false);
// Today, from the system clock.
int32_t Today();

}  // namespace entente::graph
