#include "ingest/programs.h"

#include "common/text.h"

namespace entente::ingest {
namespace {

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

int Rank(ThreatCategory category) {
  switch (category) {
    case ThreatCategory::kTerrorism:
      return 0;
    case ThreatCategory::kNarcotics:
      return 1;
    case ThreatCategory::kOrganizedCrime:
      return 2;
    case ThreatCategory::kHumanTrafficking:
      return 3;
    case ThreatCategory::kIllegalMigration:
      return 4;
    case ThreatCategory::kOther:
      return 5;
  }
  return 5;
}

}  // namespace

std::optional<ThreatCategory> CategoryForProgram(std::string_view program) {
  std::string code = ToUpperAscii(Trim(program));
  if (code.empty()) return std::nullopt;
  if (StartsWith(code, "SDGT") || code == "SDT" || StartsWith(code, "FTO") || code == "NS-SDGT" ||
      code == "HIZBALLAH" || code == "HAMAS" || code == "AL-QAIDA" || code == "TALIBAN" ||
      StartsWith(code, "ISIL") || code == "DA'ESH" || code == "TAQA" || code == "TERR" ||
      StartsWith(code, "THE ISIL") || code.find("TERRORIS") != std::string::npos ||
      code.find("AL-QAIDA") != std::string::npos)
    return ThreatCategory::kTerrorism;
  if (code == "SDNTK" || code == "SDNT" || StartsWith(code, "ILLICIT-DRUGS") || code == "NARCOTICS")
    return ThreatCategory::kNarcotics;
  if (code == "TCO") return ThreatCategory::kOrganizedCrime;
  if (StartsWith(code, "TRAFFICKING") || code == "HT" || code == "HUMAN-TRAFFICKING")
    return ThreatCategory::kHumanTrafficking;
  return std::nullopt;
}

ThreatCategory CategoryForPrograms(const std::vector<std::string>& programs,
                                   ThreatCategory fallback) {
  std::optional<ThreatCategory> best;
  for (const std::string& program : programs) {
    auto category = CategoryForProgram(program);
    if (category && (!best || Rank(*category) < Rank(*best))) best = category;
  }
  return best.value_or(fallback);
}

bool LooksLikeProgramCodes(std::string_view text) {
  bool has_letter = false;
  for (char c : text) {
    if (c >= 'A' && c <= 'Z') {
      has_letter = true;
      continue;
    }
    if ((c >= '0' && c <= '9') || c == '-' || c == '_' || c == ' ' || c == '|') continue;
    return false;
  }
  return has_letter;
}

}  // namespace entente::ingest
