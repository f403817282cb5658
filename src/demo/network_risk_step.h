// The demo's link-analysis and risk step (issue 8), on the main store (both services' records):
// names the central figures of the two planted networks (the smuggling and the trafficking
// ring, each spanning DGSN-DGST and DGSI records), then assesses the applicant whose only tie
// to crime is a phone that the partner service recorded for the smuggling ring, and shows the
// same assessment without the partner's records to make the point.
//
// Prints (each figure computed):
//   "smuggling ring: N entities ... central figures: 1. NAME ..."
//   "planted leader found first: yes|no"
//   the risk assessment's text (risk::AssessmentToText), then
//   "linked applicant APP-LINKED: <level> <score> with the partner's records; <level> <score>
//   without"
//
// Thread-safety: one thread.
#pragma once

#include <string>

#include "common/status.h"
#include "demo/sample_data.h"
#include "store/database.h"

namespace entente::demo {

struct NetworkRiskStepInput {
  const SampleData* data = nullptr;
  std::string list_name;  // the screened applicant list (its hits give the match facts)
  std::string service = kMoroccanService;  // whose officer looks (markings)
};

// Errors: the store's, the graph's and the risk rules'.
Status RunNetworkRiskStep(Database& db, const NetworkRiskStepInput& input);

}  // namespace entente::demo
