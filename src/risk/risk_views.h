// Risk assessments for people to read: JSON for the UI and API, and a text report for the CLI.
//
// JSON of one assessment:
//   {"subject":{"id","label","hit_id"},"score":62.4,"level":"high","base":20,
//    "rules":"built-in defaults (...)","summary":"high 62.4: ...",
//    "factors":[{"name","missing","value","contribution","detail",
//                "records":[{"id","label","role"} | {"role","restricted":true}]}]}
// A ranking: {"kind":"risk-ranking","list":NAME,"group":{"max_score","level","counts":{..}},
//             "assessments":[...]}
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include "risk/risk_engine.h"

namespace entente::risk {

std::string AssessmentToJson(const RiskAssessment& assessment);
std::string AssessmentToText(const RiskAssessment& assessment);
std::string RankingToJson(const std::string& list_name, const std::vector<RiskAssessment>& ranked);
// The top `limit` rows as a table (all when 0), then the group summary.
std::string RankingToText(const std::string& list_name, const std::vector<RiskAssessment>& ranked,
                          size_t limit = 0);

}  // namespace entente::risk
