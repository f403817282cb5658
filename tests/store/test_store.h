// Helpers for store tests: a temporary SQLite file and sample records.
#pragma once

#include <filesystem>
#include <string>

#include "common/ids.h"
#include "model/entity.h"

namespace entente::testing {

// A fresh directory under the system temp dir, removed at destruction.
class TempDir {
 public:
  TempDir() {
    path_ = std::filesystem::temp_directory_path() / ("entente-test-" + RandomHex(6));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string File(const std::string& name) const { return (path_ / name).string(); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline Entity SamplePerson(const std::string& source_id, const std::string& name) {
  Entity e;
  e.type = EntityType::kPerson;
  e.meta.id = DeterministicId("person", "test", source_id);
  e.meta.provenance = {"DGSN-DGST", "test", source_id, "", ""};
  e.meta.grades = {'B', 2};
  e.meta.category = ThreatCategory::kTerrorism;
  e.names.push_back({name, NameKind::kPrimary, "Latn"});
  return e;
}

}  // namespace entente::testing
