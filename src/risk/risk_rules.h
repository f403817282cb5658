// Risk rules: the weights, neutral points and thresholds of risk assessment, read from a TOML
// file (config/risk_rules.toml is the documented default, also compiled into the binary).
//
//   score = base + sum(contribution), clamped to [0, 100]
//   contribution = weight * (value - neutral); a factor with nothing to go on contributes 0.
//
// Parsing is strict: a syntax error, a missing or unknown key, a wrong type or a value out of
// range is InvalidArgument naming the file, the line and the key.
// Thread-safety: RiskRules is a plain value.
#pragma once

#include <array>
#include <map>
#include <string>
#include <string_view>

#include "common/status.h"
#include "model/types.h"

namespace entente::risk {

struct FactorRule {
  double weight = 0.0;
  double neutral = 0.0;
};

enum class RiskLevel { kLow, kMedium, kHigh, kCritical };
std::string_view RiskLevelName(RiskLevel level);  // "low", "medium", "high", "critical"

struct RiskRules {
  std::string origin;  // the file read, or "built-in defaults"
  double base = 20.0;
  double medium = 30.0;
  double high = 55.0;
  double critical = 80.0;

  FactorRule match_confidence;
  FactorRule category_severity;
  std::array<double, 6> severity{};  // by ThreatCategory

  FactorRule source_reliability;
  std::map<char, double> reliability_values;  // 'A'..'E'; absent grades are missing
  FactorRule information_credibility;
  std::map<int, double> credibility_values;  // 1..5

  FactorRule recency;
  double half_life_days = 730;

  FactorRule network_proximity;
  int max_hops = 3;
  uint32_t max_degree = 200;
  double flagged_min_severity = 0.5;
  std::array<double, 8> strength{};  // by RelationshipType

  FactorRule open_alerts;
  double alerts_saturation = 3;

  double decision_match = 25.0;
  double decision_refer = 5.0;
  double decision_no_match = -40.0;

  double Severity(ThreatCategory category) const { return severity[static_cast<int>(category)]; }
  double Strength(RelationshipType type) const { return strength[static_cast<int>(type)]; }
  RiskLevel LevelOf(double score) const;
};

// Parses rules from TOML text; `origin` names the text in errors ("rules.toml").
Result<RiskRules> ParseRiskRules(std::string_view text, const std::string& origin);
// Reads and parses a file. IOError when it cannot be read.
Result<RiskRules> LoadRiskRules(const std::string& path);
// The built-in copy of config/risk_rules.toml.
const char* DefaultRiskRulesText();
Result<RiskRules> DefaultRiskRules();
// `path` when not empty, else $ENTENTE_RISK_RULES when set, else the built-in defaults.
Result<RiskRules> ResolveRiskRules(const std::string& path);

}  // namespace entente::risk
