#include "match/matcher.h"

#include <cstdio>

namespace entente {

double MatchIndex::DefaultThreshold() { return 0.75; }

std::string MatchResult::Explanation() const {
  std::string out;
  for (const MatchFactor& factor : factors) {
    if (!out.empty()) out += "; ";
    char value[32];
    if (factor.factor == "name") {
      std::snprintf(value, sizeof(value), "%.2f", factor.contribution);
    } else {
      std::snprintf(value, sizeof(value), "%+.2f", factor.contribution);
    }
    out += factor.factor + " " + value;
    if (!factor.detail.empty()) out += " (" + factor.detail + ")";
  }
  return out;
}

}  // namespace entente
