// The demo's exchange step (issue 6): Morocco's node shares under its agreement with France,
// France pulls over TAXII 2.1 with mutual TLS and checks every signature, then screens the
// accreditation applicants against its own records and what it received, and traces a hit back
// to the Moroccan record with its markings and provenance.
//
// Prints (each figure computed):
//   "DGSN-DGST holds N records; under the agreement S are shared with DGSI and H held back"
//   "France received R records from DGSN-DGST ..."
//   "T hit(s) trace back to DGSN-DGST records"  and  "traced to DGSN-DGST: <description>"
//
// Thread-safety: one thread.
#pragma once

#include <string>

#include "common/status.h"
#include "demo/sample_data.h"
#include "demo/two_nodes.h"

namespace entente::demo {

struct ExchangeStepInput {
  const SampleData* data = nullptr;
  std::string applicants_path;  // the applicants CSV written by the first step
  std::string user;             // the French officer running the screening
};

// REQUIRES: `nodes` started. Errors: the exchange's, the server's and the store's.
Status RunExchangeStep(TwoNodes& nodes, const ExchangeStepInput& input);

}  // namespace entente::demo
