// Fuzz target: risk rules TOML (risk/risk_rules.h, ParseRiskRules).
//
// Seeds: config/risk_rules.toml and fuzz/seeds/risk_rules/.
// Invariants: an error has a message; rules parsed classify scores across [0, 100] without
// going down a level as the score rises (LevelOf is monotonic), and name every level.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "risk/risk_rules.h"

namespace {

void Fail(const char* what, const std::string& detail = "") {
  std::fprintf(stderr, "risk_rules_fuzz invariant broken: %s %s\n", what, detail.c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto rules = entente::risk::ParseRiskRules(text, "fuzz.toml");
  if (!rules.ok()) {
    if (rules.status().message().empty()) Fail("error without a message");
    return 0;
  }
  int last = -1;
  for (int score = 0; score <= 100; ++score) {
    entente::risk::RiskLevel level = rules->LevelOf(score);
    if (static_cast<int>(level) < last) Fail("LevelOf goes down as the score rises");
    last = static_cast<int>(level);
    if (entente::risk::RiskLevelName(level).empty()) Fail("a level without a name");
  }
  return 0;
}
