// Helpers shared by the ingest tests: a temporary folder, files written into it, and a real
// SQLite store in it.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "../test_store_target.h"
#include "ingest/ingest.h"
#include "store/database.h"
#include "store/record_store.h"

namespace entente::ingest::testing {

class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "entente-ingest-XXXXXX").string();
    path_ = mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }
  std::string Write(const std::string& name, const std::string& content) const {
    std::string p = File(name);
    std::filesystem::create_directories(std::filesystem::path(p).parent_path());
    std::ofstream(p, std::ios::binary) << content;
    return p;
  }

 private:
  std::string path_;
};

// A migrated SQLite store in `dir`.
struct TestStore {
  std::unique_ptr<Database> db;
  std::unique_ptr<RecordStore> store;

  explicit TestStore(const std::string& path) {
    auto opened = Database::Open(::entente::testing::StoreTarget(path));
    EXPECT_TRUE(opened.ok()) << opened.status().ToString();
    db = std::move(opened).value();
    Status migrated = RecordStore::Migrate(*db);
    EXPECT_TRUE(migrated.ok()) << migrated.ToString();
    store = std::make_unique<RecordStore>(db.get());
  }
  int64_t Records() {
    auto stats = store->Stats();
    EXPECT_TRUE(stats.ok()) << stats.status().ToString();
    return stats.ok() ? stats->records : -1;
  }
  int64_t MaxSeq() { return store->MaxChangeSeq(); }
};

inline ImportOptions Options(const std::string& format, const std::string& path) {
  ImportOptions options;
  options.format = format;
  options.paths = {path};
  options.defaults.service = "DGSI";
  options.progress = false;
  return options;
}

inline std::string SharedDir() { return ENTENTE_SHARED_DIR; }
inline bool SharedExists(const std::string& relative) {
  return std::filesystem::exists(SharedDir() + "/" + relative);
}

}  // namespace entente::ingest::testing
