// The demo walkthrough: each step prints what it did in words an officer reads.
#pragma once

#include <string>

#include "common/status.h"
#include "demo/sample_data.h"

namespace entente::demo {

struct DemoOptions {
  std::string workdir = ".demo";  // files the demo writes
  std::string db_target;          // the main (Moroccan) node's store
  std::string user = "demo";
  SampleOptions sample;
};

// Runs every step (1-6 on the main store: data, import, matching, screening, review,
// re-screening; 7 link analysis and risk on the main store; 8-9 two nodes under
// <workdir>/nodes: TAXII exchange, then hit/no-hit and a follow-up, see two_nodes.h); stops at
// the first failure and returns it. Morocco's server is stopped on every path out.
Status RunDemo(const DemoOptions& options);

}  // namespace entente::demo
