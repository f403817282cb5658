#include "risk/risk_views.h"

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>

namespace entente::risk {
namespace {

using nlohmann::json;

json ToJson(const RiskAssessment& assessment) {
  json out;
  out["subject"] = {{"id", assessment.subject_id}, {"label", assessment.subject_label}};
  if (assessment.hit_id) out["subject"]["hit_id"] = assessment.hit_id;
  if (assessment.restricted) {
    out["restricted"] = true;
    out["score"] = nullptr;
    out["level"] = "restricted";
  } else {
    out["score"] = std::round(assessment.score * 10) / 10;
    out["level"] = std::string(RiskLevelName(assessment.level));
  }
  out["base"] = assessment.base;
  out["rules"] = assessment.rules_origin;
  out["summary"] = assessment.Summary();
  out["factors"] = json::array();
  for (const RiskFactor& factor : assessment.factors) {
    json entry;
    entry["name"] = factor.name;
    entry["missing"] = factor.missing;
    entry["value"] = factor.value;
    entry["contribution"] = std::round(factor.contribution * 100) / 100;
    entry["detail"] = factor.detail;
    entry["records"] = json::array();
    for (const RiskEvidence& evidence : factor.records) {
      json record;
      record["role"] = evidence.role;
      if (evidence.restricted) {
        record["restricted"] = true;
      } else {
        record["id"] = evidence.id;
        if (!evidence.label.empty()) record["label"] = evidence.label;
      }
      entry["records"].push_back(std::move(record));
    }
    out["factors"].push_back(std::move(entry));
  }
  return out;
}

std::string Fixed(double value, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%.*f", decimals, value);
  return buffer;
}

std::string Pad(std::string text, size_t width) {
  if (text.size() < width) text.append(width - text.size(), ' ');
  return text;
}

}  // namespace

std::string AssessmentToJson(const RiskAssessment& assessment) {
  return ToJson(assessment).dump(2) + "\n";
}

std::string AssessmentToText(const RiskAssessment& assessment) {
  std::ostringstream text;
  if (assessment.restricted) {
    text << "Risk: withheld (the subject is a record you may not read)\n";
  } else {
    text << "Risk: " << RiskLevelName(assessment.level) << " (" << Fixed(assessment.score, 1)
         << " / 100)\n";
  }
  text << "Subject: "
       << (assessment.subject_label.empty() ? "[restricted]" : assessment.subject_label);
  if (!assessment.subject_id.empty()) text << "  " << assessment.subject_id;
  if (assessment.hit_id) text << "  (hit " << assessment.hit_id << ")";
  text << "\nRules: " << assessment.rules_origin << "\n\n";
  text << Pad("FACTOR", 26) << Pad("POINTS", 9) << "WHY\n";
  text << Pad("base", 26) << Pad(Fixed(assessment.base, 1), 9) << "starting score\n";
  for (const RiskFactor& factor : assessment.factors) {
    std::string points =
        factor.missing ? "0 (n/a)"
                       : (factor.contribution >= 0 ? "+" : "") + Fixed(factor.contribution, 1);
    text << Pad(factor.name, 26) << Pad(points, 9) << factor.detail << "\n";
    for (const RiskEvidence& evidence : factor.records) {
      if (evidence.role == "subject") continue;
      text << Pad("", 35) << "  " << evidence.role << ": "
           << (evidence.restricted      ? "[restricted record]"
               : evidence.label.empty() ? evidence.id
                                        : evidence.label + "  " + evidence.id)
           << "\n";
    }
  }
  return text.str();
}

std::string RankingToJson(const std::string& list_name, const std::vector<RiskAssessment>& ranked) {
  json out;
  out["kind"] = "risk-ranking";
  out["list"] = list_name;
  GroupRisk group = SummarizeGroup(ranked);
  out["group"] = {{"max_score", std::round(group.max_score * 10) / 10},
                  {"level", std::string(RiskLevelName(group.level))},
                  {"counts",
                   {{"low", group.counts[0]},
                    {"medium", group.counts[1]},
                    {"high", group.counts[2]},
                    {"critical", group.counts[3]},
                    {"restricted", group.restricted}}}};
  out["assessments"] = json::array();
  for (const RiskAssessment& assessment : ranked) out["assessments"].push_back(ToJson(assessment));
  return out.dump(2) + "\n";
}

std::string RankingToText(const std::string& list_name, const std::vector<RiskAssessment>& ranked,
                          size_t limit) {
  std::ostringstream text;
  GroupRisk group = SummarizeGroup(ranked);
  text << "List " << list_name << ": " << ranked.size() << " assessed, overall "
       << RiskLevelName(group.level) << " (critical " << group.counts[3] << ", high "
       << group.counts[2] << ", medium " << group.counts[1] << ", low " << group.counts[0]
       << ")\n\n";
  text << Pad("RANK", 6) << Pad("SCORE", 7) << Pad("LEVEL", 10) << Pad("SUBJECT", 40) << "WHY\n";
  const size_t shown = limit ? std::min(limit, ranked.size()) : ranked.size();
  for (size_t idx = 0; idx < shown; ++idx) {
    const RiskAssessment& assessment = ranked[idx];
    std::string summary = assessment.Summary();
    size_t colon = summary.find(':');
    text << Pad(std::to_string(idx + 1), 6)
         << Pad(assessment.restricted ? "-" : Fixed(assessment.score, 1), 7)
         << Pad(assessment.restricted ? "restricted" : std::string(RiskLevelName(assessment.level)),
                10)
         << Pad(assessment.subject_label.substr(0, 38), 40)
         << (colon == std::string::npos ? summary : summary.substr(colon + 2)) << "\n";
  }
  if (shown < ranked.size()) text << "... " << ranked.size() - shown << " more\n";
  return text.str();
}

}  // namespace entente::risk
