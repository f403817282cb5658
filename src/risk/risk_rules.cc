#include "risk/risk_rules.h"

#include <toml++/toml.h>

#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

namespace entente::risk {
namespace {

std::string LineOf(const std::string& origin, const toml::source_region& region) {
  return origin + " line " + std::to_string(region.begin.line);
}

std::string Fmt(double value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

// Reads one table's keys, remembering which were used so that unknown ones are reported.
class TableReader {
 public:
  TableReader(const toml::table& table, std::string path, const std::string& origin)
      : table_(table), path_(std::move(path)), origin_(origin) {}

  std::string Where(const toml::node* node) const {
    return LineOf(origin_, node ? node->source() : table_.source());
  }
  std::string Key(std::string_view key) const {
    return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
  }

  Result<double> Number(std::string_view key, double lo, double hi) {
    used_.insert(std::string(key));
    const toml::node* node = table_.get(key);
    if (!node) {
      return InvalidArgument(Where(nullptr) + ": " +
                             (path_.empty() ? "top level" : "[" + path_ + "]") + ": missing key " +
                             std::string(key));
    }
    std::optional<double> value;
    if (auto as_float = node->value_exact<double>()) value = *as_float;
    if (auto as_int = node->value_exact<int64_t>()) value = static_cast<double>(*as_int);
    if (!value) return InvalidArgument(Where(node) + ": " + Key(key) + ": must be a number");
    if (*value < lo || *value > hi) {
      return InvalidArgument(Where(node) + ": " + Key(key) + ": must be between " + Fmt(lo) +
                             " and " + Fmt(hi) + ", got " + Fmt(*value));
    }
    return *value;
  }

  Result<const toml::table*> Table(std::string_view key) {
    used_.insert(std::string(key));
    const toml::node* node = table_.get(key);
    if (!node) {
      return InvalidArgument(Where(nullptr) + ": missing table [" + Key(key) + "]");
    }
    if (!node->is_table())
      return InvalidArgument(Where(node) + ": " + Key(key) + ": must be a table");
    return node->as_table();
  }

  Result<FactorRule> Factor(double weight_lo = -100, double weight_hi = 100) {
    FactorRule rule;
    ENTENTE_ASSIGN_OR_RETURN(rule.weight, Number("weight", weight_lo, weight_hi));
    ENTENTE_ASSIGN_OR_RETURN(rule.neutral, Number("neutral", 0, 1));
    return rule;
  }

  Status CheckNoUnknown() const {
    for (const auto& [key, node] : table_) {
      if (!used_.count(std::string(key.str()))) {
        return InvalidArgument(LineOf(origin_, node.source()) + ": unknown key " + Key(key.str()));
      }
    }
    return Status::Ok();
  }

 private:
  const toml::table& table_;
  std::string path_;
  const std::string& origin_;
  std::set<std::string> used_;
};

// A table of name -> number in [0, 1] where every name must be known; `required` names must
// all be present.
template <typename Parse>
Status ReadValueMap(const toml::table& table, const std::string& path, const std::string& origin,
                    Parse parse, const std::vector<std::string>& required) {
  std::set<std::string> seen;
  for (const auto& [key, node] : table) {
    std::string name(key.str());
    std::optional<double> value;
    if (auto as_float = node.template value_exact<double>()) value = *as_float;
    if (auto as_int = node.template value_exact<int64_t>()) value = static_cast<double>(*as_int);
    if (!value || *value < 0 || *value > 1) {
      return InvalidArgument(LineOf(origin, node.source()) + ": " + path + "." + name +
                             ": must be a number between 0 and 1");
    }
    if (!parse(name, *value)) {
      return InvalidArgument(LineOf(origin, node.source()) + ": " + path + ": unknown key " + name);
    }
    seen.insert(name);
  }
  for (const std::string& name : required) {
    if (!seen.count(name)) {
      return InvalidArgument(LineOf(origin, table.source()) + ": [" + path + "]: missing key " +
                             name);
    }
  }
  return Status::Ok();
}

Result<RiskRules> FromTable(const toml::table& root, const std::string& origin) {
  RiskRules rules;
  rules.origin = origin;
  TableReader top(root, "", origin);
  ENTENTE_ASSIGN_OR_RETURN(double version, top.Number("version", 1, 1));
  (void)version;
  ENTENTE_ASSIGN_OR_RETURN(rules.base, top.Number("base", 0, 100));

  ENTENTE_ASSIGN_OR_RETURN(const toml::table* levels_table, top.Table("levels"));
  TableReader levels(*levels_table, "levels", origin);
  ENTENTE_ASSIGN_OR_RETURN(rules.medium, levels.Number("medium", 0, 100));
  ENTENTE_ASSIGN_OR_RETURN(rules.high, levels.Number("high", 0, 100));
  ENTENTE_ASSIGN_OR_RETURN(rules.critical, levels.Number("critical", 0, 100));
  ENTENTE_RETURN_IF_ERROR(levels.CheckNoUnknown());
  if (!(rules.medium < rules.high && rules.high < rules.critical)) {
    return InvalidArgument(LineOf(origin, levels_table->source()) +
                           ": [levels]: need medium < high < critical");
  }

  ENTENTE_ASSIGN_OR_RETURN(const toml::table* factors_table, top.Table("factors"));
  ENTENTE_RETURN_IF_ERROR(top.CheckNoUnknown());
  TableReader factors(*factors_table, "factors", origin);

  {  // match_confidence
    ENTENTE_ASSIGN_OR_RETURN(const toml::table* table, factors.Table("match_confidence"));
    TableReader reader(*table, "factors.match_confidence", origin);
    ENTENTE_ASSIGN_OR_RETURN(rules.match_confidence, reader.Factor());
    ENTENTE_RETURN_IF_ERROR(reader.CheckNoUnknown());
  }
  {  // category_severity
    ENTENTE_ASSIGN_OR_RETURN(const toml::table* table, factors.Table("category_severity"));
    TableReader reader(*table, "factors.category_severity", origin);
    ENTENTE_ASSIGN_OR_RETURN(rules.category_severity, reader.Factor());
    ENTENTE_ASSIGN_OR_RETURN(const toml::table* severity, reader.Table("severity"));
    ENTENTE_RETURN_IF_ERROR(reader.CheckNoUnknown());
    std::vector<std::string> all;
    for (int category = 0; category < 6; ++category) {
      all.emplace_back(ThreatCategoryName(static_cast<ThreatCategory>(category)));
    }
    ENTENTE_RETURN_IF_ERROR(ReadValueMap(
        *severity, "factors.category_severity.severity", origin,
        [&](const std::string& name, double value) {
          auto category = ParseThreatCategory(name);
          if (!category) return false;
          rules.severity[static_cast<int>(*category)] = value;
          return true;
        },
        all));
  }
  {  // source_reliability
    ENTENTE_ASSIGN_OR_RETURN(const toml::table* table, factors.Table("source_reliability"));
    TableReader reader(*table, "factors.source_reliability", origin);
    ENTENTE_ASSIGN_OR_RETURN(rules.source_reliability, reader.Factor());
    ENTENTE_ASSIGN_OR_RETURN(const toml::table* grades, reader.Table("grades"));
    ENTENTE_RETURN_IF_ERROR(reader.CheckNoUnknown());
    ENTENTE_RETURN_IF_ERROR(ReadValueMap(*grades, "factors.source_reliability.grades", origin,
                                         [&](const std::string& name, double value) {
                                           if (name.size() != 1 || !IsValidReliability(name[0]))
                                             return false;
                                           rules.reliability_values[name[0]] = value;
                                           return true;
                                         },
                                         {}));
  }
  {  // information_credibility
    ENTENTE_ASSIGN_OR_RETURN(const toml::table* table, factors.Table("information_credibility"));
    TableReader reader(*table, "factors.information_credibility", origin);
    ENTENTE_ASSIGN_OR_RETURN(rules.information_credibility, reader.Factor());
    ENTENTE_ASSIGN_OR_RETURN(const toml::table* grades, reader.Table("grades"));
    ENTENTE_RETURN_IF_ERROR(reader.CheckNoUnknown());
    ENTENTE_RETURN_IF_ERROR(ReadValueMap(*grades, "factors.information_credibility.grades", origin,
                                         [&](const std::string& name, double value) {
                                           if (name.size() != 1 || name[0] < '1' || name[0] > '6')
                                             return false;
                                           rules.credibility_values[name[0] - '0'] = value;
                                           return true;
                                         },
                                         {}));
  }
  {  // recency
    ENTENTE_ASSIGN_OR_RETURN(const toml::table* table, factors.Table("recency"));
    TableReader reader(*table, "factors.recency", origin);
    ENTENTE_ASSIGN_OR_RETURN(rules.recency, reader.Factor());
    ENTENTE_ASSIGN_OR_RETURN(rules.half_life_days, reader.Number("half_life_days", 1, 36500));
    ENTENTE_RETURN_IF_ERROR(reader.CheckNoUnknown());
  }
  {  // network_proximity
    ENTENTE_ASSIGN_OR_RETURN(const toml::table* table, factors.Table("network_proximity"));
    TableReader reader(*table, "factors.network_proximity", origin);
    ENTENTE_ASSIGN_OR_RETURN(rules.network_proximity, reader.Factor());
    ENTENTE_ASSIGN_OR_RETURN(double hops, reader.Number("max_hops", 1, 6));
    rules.max_hops = static_cast<int>(hops);
    ENTENTE_ASSIGN_OR_RETURN(double degree, reader.Number("max_degree", 0, 1e9));
    rules.max_degree = static_cast<uint32_t>(degree);
    ENTENTE_ASSIGN_OR_RETURN(rules.flagged_min_severity,
                             reader.Number("flagged_min_severity", 0, 1));
    ENTENTE_ASSIGN_OR_RETURN(const toml::table* strength, reader.Table("strength"));
    ENTENTE_RETURN_IF_ERROR(reader.CheckNoUnknown());
    std::vector<std::string> all;
    for (int type = 0; type < 8; ++type) {
      all.emplace_back(RelationshipTypeName(static_cast<RelationshipType>(type)));
    }
    ENTENTE_RETURN_IF_ERROR(ReadValueMap(
        *strength, "factors.network_proximity.strength", origin,
        [&](const std::string& name, double value) {
          auto type = ParseRelationshipType(name);
          if (!type) return false;
          rules.strength[static_cast<int>(*type)] = value;
          return true;
        },
        all));
  }
  {  // open_alerts
    ENTENTE_ASSIGN_OR_RETURN(const toml::table* table, factors.Table("open_alerts"));
    TableReader reader(*table, "factors.open_alerts", origin);
    ENTENTE_ASSIGN_OR_RETURN(rules.open_alerts, reader.Factor());
    ENTENTE_ASSIGN_OR_RETURN(rules.alerts_saturation, reader.Number("saturation", 1, 1000));
    ENTENTE_RETURN_IF_ERROR(reader.CheckNoUnknown());
  }
  {  // decisions
    ENTENTE_ASSIGN_OR_RETURN(const toml::table* table, factors.Table("decisions"));
    TableReader reader(*table, "factors.decisions", origin);
    ENTENTE_ASSIGN_OR_RETURN(rules.decision_match, reader.Number("match", -100, 100));
    ENTENTE_ASSIGN_OR_RETURN(rules.decision_refer, reader.Number("refer", -100, 100));
    ENTENTE_ASSIGN_OR_RETURN(rules.decision_no_match, reader.Number("no_match", -100, 100));
    ENTENTE_RETURN_IF_ERROR(reader.CheckNoUnknown());
  }
  ENTENTE_RETURN_IF_ERROR(factors.CheckNoUnknown());
  return rules;
}

}  // namespace

std::string_view RiskLevelName(RiskLevel level) {
  switch (level) {
    case RiskLevel::kLow:
      return "low";
    case RiskLevel::kMedium:
      return "medium";
    case RiskLevel::kHigh:
      return "high";
    case RiskLevel::kCritical:
      return "critical";
  }
  return "low";
}

RiskLevel RiskRules::LevelOf(double score) const {
  if (score >= critical) return RiskLevel::kCritical;
  if (score >= high) return RiskLevel::kHigh;
  if (score >= medium) return RiskLevel::kMedium;
  return RiskLevel::kLow;
}

Result<RiskRules> ParseRiskRules(std::string_view text, const std::string& origin) {
  try {
    toml::table root = toml::parse(text, origin);
    return FromTable(root, origin);
  } catch (const toml::parse_error& error) {
    return InvalidArgument(LineOf(origin, error.source()) + ": " +
                           std::string(error.description()));
  }
}

Result<RiskRules> LoadRiskRules(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return IOError("risk rules " + path + ": cannot open the file");
  std::stringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return IOError("risk rules " + path + ": read failed");
  return ParseRiskRules(buffer.str(), path);
}

Result<RiskRules> DefaultRiskRules() {
  return ParseRiskRules(DefaultRiskRulesText(), "built-in defaults (config/risk_rules.toml)");
}

Result<RiskRules> ResolveRiskRules(const std::string& path) {
  if (!path.empty()) return LoadRiskRules(path);
  const char* env = std::getenv("ENTENTE_RISK_RULES");
  if (env && *env) return LoadRiskRules(env);
  return DefaultRiskRules();
}

}  // namespace entente::risk
