// Screening facts for risk assessment, read from the screen subsystem's tables: the hits of a
// screened list (match score, latest decision, open alerts), or the open alerts raised on the
// hits about one entity.
//
// An alert is "open" while it announces a hit (kind new-hit or raised-again) that is still
// open (no decision yet). Withdrawn and superseded hits are not assessed.
//
// Thread-safety: uses the caller's Database (one thread at a time).
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "risk/risk_engine.h"
#include "store/database.h"

namespace entente::risk {

// One subject per live hit of the list (rows without hits are counted in `rows_without_hits`).
// NotFound for an unknown list.
struct ListSubjects {
  std::vector<RiskSubject> subjects;
  std::vector<int64_t> row_of;  // parallel to subjects: the hit's row index
  int64_t rows = 0;
  int64_t rows_without_hits = 0;
};
Result<ListSubjects> SubjectsOfList(Database& db, const std::string& list_name);

// The subject for assessing a known entity: its id and the open alerts about it.
Result<RiskSubject> SubjectForEntity(Database& db, const std::string& entity_id);

// Keeps each row's riskiest assessment (a row may hit several entities), ranked.
std::vector<RiskAssessment> BestPerRow(const std::vector<RiskAssessment>& ranked,
                                       const std::vector<RiskSubject>& subjects,
                                       const std::vector<int64_t>& row_of);

}  // namespace entente::risk
