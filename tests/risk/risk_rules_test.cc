#include "risk/risk_rules.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>

namespace entente::risk {
namespace {

std::string Defaults() { return DefaultRiskRulesText(); }

// Replaces the first occurrence of `from` in the default rules.
std::string Edited(const std::string& from, const std::string& to) {
  std::string text = Defaults();
  size_t pos = text.find(from);
  EXPECT_NE(pos, std::string::npos) << from;
  return text.replace(pos, from.size(), to);
}

int LineOf(const std::string& text, const std::string& needle) {
  size_t pos = text.find(needle);
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + pos, '\n'));
}

TEST(RiskRules, DefaultsParseAndMatchTheDocumentedFile) {
  auto rules = DefaultRiskRules();
  ASSERT_TRUE(rules.ok()) << rules.status().ToString();
  EXPECT_EQ(rules->base, 20.0);
  EXPECT_EQ(rules->Severity(ThreatCategory::kTerrorism), 1.0);
  EXPECT_EQ(rules->Strength(RelationshipType::kUsesPhone), 0.9);
  EXPECT_EQ(rules->reliability_values.count('F'), 0u);  // cannot be judged: missing
  EXPECT_EQ(rules->credibility_values.at(1), 1.0);
  EXPECT_EQ(rules->LevelOf(29.9), RiskLevel::kLow);
  EXPECT_EQ(rules->LevelOf(30), RiskLevel::kMedium);
  EXPECT_EQ(rules->LevelOf(55), RiskLevel::kHigh);
  EXPECT_EQ(rules->LevelOf(80), RiskLevel::kCritical);

  std::ifstream in(std::string(ENTENTE_SOURCE_DIR) + "/config/risk_rules.toml");
  ASSERT_TRUE(in) << "config/risk_rules.toml missing";
  std::stringstream file;
  file << in.rdbuf();
  EXPECT_EQ(file.str(), Defaults()) << "rebuild: the built-in copy is stale";
}

TEST(RiskRules, LoadsAFileAndReportsAMissingOne) {
  std::string path = ::testing::TempDir() + "/rules_test.toml";
  {
    std::ofstream out(path);
    out << Edited("base = 20.0", "base = 10");
  }
  auto rules = LoadRiskRules(path);
  ASSERT_TRUE(rules.ok()) << rules.status().ToString();
  EXPECT_EQ(rules->base, 10.0);
  EXPECT_EQ(rules->origin, path);
  EXPECT_EQ(LoadRiskRules(path + ".nope").status().code(), StatusCode::kIOError);
}

struct BadCase {
  const char* name;
  std::string from;
  std::string to;
  std::string line_of;  // text on the line the error must name
  std::string message;  // part of the message
};

TEST(RiskRules, BadFilesNameTheLineAndTheKey) {
  const std::vector<BadCase> cases = {
      {"syntax", "base = 20.0", "base = = 20.0", "base = = 20.0", "rules.toml line"},
      {"unknown key", "half_life_days = 730", "half_life_days = 730\nhalf_lfe = 3", "half_lfe",
       "unknown key factors.recency.half_lfe"},
      {"out of range", "max_hops = 3", "max_hops = 9", "max_hops = 9",
       "factors.network_proximity.max_hops: must be between 1 and 6, got 9"},
      {"wrong type", "weight = 20.0", "weight = \"heavy\"", "weight = \"heavy\"",
       "factors.match_confidence.weight: must be a number"},
      {"unknown category", "narcotics = 0.7", "narcotic = 0.7", "narcotic = 0.7",
       "unknown key narcotic"},
      {"severity above 1", "terrorism = 1.0", "terrorism = 1.5", "terrorism = 1.5",
       "must be a number between 0 and 1"},
      {"missing key", "saturation = 3\n", "\n", "[factors.open_alerts]", "missing key saturation"},
      {"levels order", "high = 55.0", "high = 95.0", "[levels]", "medium < high < critical"},
      {"unknown relationship", "sighted-at = 0.4", "seen-at = 0.4", "seen-at",
       "unknown key seen-at"},
  };
  for (const BadCase& bad : cases) {
    std::string text = Edited(bad.from, bad.to);
    auto rules = ParseRiskRules(text, "rules.toml");
    ASSERT_FALSE(rules.ok()) << bad.name;
    EXPECT_EQ(rules.status().code(), StatusCode::kInvalidArgument) << bad.name;
    const std::string message = rules.status().message();
    EXPECT_NE(message.find(bad.message), std::string::npos) << bad.name << ": " << message;
    const std::string line = "rules.toml line " + std::to_string(LineOf(text, bad.line_of)) + ":";
    EXPECT_NE(message.find(line), std::string::npos)
        << bad.name << ": " << message << " (expected " << line << ")";
  }
}

TEST(RiskRules, EmptyAndGarbageInputAreRejected) {
  EXPECT_EQ(ParseRiskRules("", "empty.toml").status().code(), StatusCode::kInvalidArgument);
  auto garbage = ParseRiskRules("\x01\x02[[[", "garbage.toml");
  EXPECT_EQ(garbage.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(garbage.status().message().find("garbage.toml line 1"), std::string::npos);
}

}  // namespace
}  // namespace entente::risk
