// Shared fixtures of the screen tests: a temporary folder with a SQLite store, and helpers to
// add watchlist persons and write list files.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "../test_store_target.h"
#include "common/ids.h"
#include "model/entity.h"
#include "screen/screen_schema.h"
#include "store/database.h"
#include "store/record_store.h"

namespace entente::screen::testing {

class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "entente-screen-XXXXXX").string();
    path_ = mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  std::string File(const std::string& name) const { return path_ + "/" + name; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

inline std::unique_ptr<Database> OpenDb(const std::string& path) {
  auto db = Database::Open(::entente::testing::StoreTarget(path));
  EXPECT_TRUE(db.ok()) << db.status().ToString();
  EXPECT_TRUE(RecordStore::Migrate(**db).ok());
  EXPECT_TRUE(MigrateScreen(**db).ok());
  return std::move(db).value();
}

inline Entity Person(const std::string& key, const std::vector<std::string>& names,
                     const std::string& birth_date = "",
                     ThreatCategory category = ThreatCategory::kTerrorism) {
  Entity entity;
  entity.meta.id = DeterministicId("person", "test-watchlist", key);
  entity.meta.provenance = Provenance{"DGSN-DGST", "test-watchlist", key, "", ""};
  entity.meta.grades = Grades{'B', 2};
  entity.meta.category = category;
  entity.type = EntityType::kPerson;
  for (size_t i = 0; i < names.size(); ++i) {
    entity.names.push_back(Name{names[i], i == 0 ? NameKind::kPrimary : NameKind::kAlias, ""});
  }
  if (!birth_date.empty()) entity.birth_dates.push_back(*PartialDate::Parse(birth_date));
  return entity;
}

inline void Put(Database& db, const std::vector<Entity>& entities) {
  RecordStore store(&db);
  std::vector<Record> records(entities.begin(), entities.end());
  auto written = store.PutAll(records);
  ASSERT_TRUE(written.ok()) << written.status().ToString();
}

inline void Revoke(Database& db, const std::string& id) {
  RecordStore store(&db);
  auto writer = store.BeginWrite();
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE((*writer)->Revoke(id).ok());
  ASSERT_TRUE((*writer)->Commit().ok());
}

inline void WriteText(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

}  // namespace entente::screen::testing
