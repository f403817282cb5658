// A date that may be known only to the year or to the month: "1987", "1987-03", "1987-03-04".
// Watchlists state birth dates like this; matching compares them part by part.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace entente {

struct PartialDate {
  int year = 0;   // 1..9999
  int month = 0;  // 0 when unknown, else 1..12
  int day = 0;    // 0 when unknown, else 1..days in month (REQUIRES month != 0)

  // Parses "YYYY", "YYYY-MM" or "YYYY-MM-DD". Returns nullopt and a reason in *why for anything
  // else, including impossible dates ("2023-02-30": "no day 30 in February 2023") and year 0.
  static std::optional<PartialDate> Parse(std::string_view text, std::string* why = nullptr);
  // Also accepts common watchlist forms: "04 Mar 1987", "Mar 1987", "04/03/1987" (day first),
  // "circa 1987". Used by readers of public lists; the generic readers use Parse().
  static std::optional<PartialDate> ParseLoose(std::string_view text, std::string* why = nullptr);
  std::string ToString() const;
  bool operator==(const PartialDate&) const = default;
};

int DaysInMonth(int year, int month);

}  // namespace entente
