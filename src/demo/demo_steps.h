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

// Runs every step; stops at the first failure and returns it.
Status RunDemo(const DemoOptions& options);

}  // namespace entente::demo
