// The matching engine over the store: built from the current records, then caught up with
// the change feed (screen/store_index.h).
#include "screen/store_index.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "../match/test_entities.h"
#include "../test_store_target.h"
#include "common/ids.h"
#include "store/database.h"
#include "store/record_store.h"

namespace entente {
namespace {

using match_test::Person;

class MatchIndexStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("entente_match_test_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(MatchIndexStoreTest, BuildsFromStoreAndCatchesUp) {
  auto db = Database::Open(::entente::testing::StoreTarget((dir_ / "store.db").string()));
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  ASSERT_TRUE(RecordStore::Migrate(**db).ok());
  RecordStore store(db->get());
  ASSERT_TRUE(
      store.PutAll({Person("S1", {"HADDAD, Youssef"}, PartialDate{1970, 5, 5}, "LB")}).ok());
  auto index = screen::BuildMatchIndex(store, RecordFilter{});
  ASSERT_TRUE(index.ok()) << index.status().ToString();
  EXPECT_EQ((*index)->Stats().entities, 1);
  EXPECT_EQ((*index)->Stats().applied_seq, store.MaxChangeSeq());

  ASSERT_TRUE(store.PutAll({Person("S2", {"KHOURY, Yusuf"})}).ok());
  ASSERT_TRUE(screen::CatchUpMatchIndex(**index, store).ok());
  EXPECT_EQ((*index)->Stats().entities, 2);
  MatchQuery query;
  query.name = "Yusuf Haddad";
  Result<std::vector<MatchResult>> results = (*index)->Match(query);
  ASSERT_TRUE(results.ok());
  ASSERT_FALSE(results->empty());
  EXPECT_EQ(results->front().source_record_id, "S1");

  auto writer = store.BeginWrite();
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE((*writer)->Revoke(DeterministicId("person", "test", "S1")).ok());
  ASSERT_TRUE((*writer)->Commit().ok());
  ASSERT_TRUE(screen::CatchUpMatchIndex(**index, store).ok());
  EXPECT_EQ((*index)->Stats().entities, 1);
}

}  // namespace
}  // namespace entente
