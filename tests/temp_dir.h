// A fresh folder under the system temp directory for one test (the caller removes it).
#pragma once

#include <filesystem>
#include <string>

#include "common/ids.h"

namespace entente::testing {

// "<tmp>/<stem>-<12 random hex digits>", created.
inline std::string MakeTempDir(const std::string& stem) {
  std::string dir = (std::filesystem::temp_directory_path() / (stem + "-" + RandomHex(6))).string();
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace entente::testing
