// EngineFollower (exchange/hitnohit/engine_follower.h) on a real store (PostgreSQL in the pg:
// run, a SQLite file otherwise): the answer engine catches up with a record written on another
// connection without any query or Refresh call (then both a plaintext and a private query hit).
// On PostgreSQL the poll is a minute, so only the change notification explains it, and
// keeps_current() is true once it listens; on SQLite the 100 ms poll does, and keeps_current()
// stays false (each request then catches up itself).
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <thread>

#include "../temp_dir.h"
#include "../test_store_target.h"
#include "exchange/hitnohit/answer_engine.h"
#include "exchange/hitnohit/engine_follower.h"
#include "server_test_util.h"
#include "store/database.h"
#include "store/record_store.h"

namespace entente::exchange::hitnohit {
namespace {

using std::chrono::milliseconds;

bool WaitFor(const std::function<bool()>& done, std::chrono::seconds limit) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(milliseconds(20));
  }
  return true;
}

TEST(EngineFollowerTest, CatchesUpWithAWriteOnAnotherConnectionWithoutAQuery) {
  const std::string dir = entente::testing::MakeTempDir("entente-hnh-follower");
  const std::string target = entente::testing::StoreTarget(dir + "/ma.db");
  const bool pg = entente::testing::TestStoreIsPostgres();
  auto db = Database::Open(target);
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  ASSERT_TRUE(RecordStore::Migrate(**db).ok());
  RecordStore store(db->get());
  ASSERT_TRUE(store.PutAll({server::testing::MakePerson("Youssef El Idrissi", Tlp::kGreen)}).ok());

  auto keys = PrivacyKeys::Derive("a shared secret of the follower test");
  ASSERT_TRUE(keys.ok());
  PrivateQuery query;
  query.id = "1";
  query.name = EncodeNameParts(*keys, *EncodableNameParts("Samira Benkirane"));
  SearchScope scope;
  scope.everything = true;

  auto engine = std::make_shared<AnswerEngine>();
  {
    EngineFollower follower(engine, target, milliseconds(pg ? 60000 : 100));
    follower.Start();
    ASSERT_TRUE(WaitFor([&] { return engine->applied_seq() >= store.MaxChangeSeq(); },
                        std::chrono::seconds(30)));
    EXPECT_EQ(engine->entity_count(), 1);
    EXPECT_FALSE(engine->AnswerPrivate(*keys, {query}, scope, kDefaultPrivacyThreshold)[0].hit);
    if (pg) {
      ASSERT_TRUE(WaitFor([&] { return follower.keeps_current(); }, std::chrono::seconds(10)));
    }

    auto other = Database::Open(target);  // another writer (another server, the CLI)
    ASSERT_TRUE(other.ok());
    ASSERT_TRUE(RecordStore(other->get())
                    .PutAll({server::testing::MakePerson("Samira Benkirane", Tlp::kGreen)})
                    .ok());
    const int64_t head = store.MaxChangeSeq();
    EXPECT_TRUE(WaitFor([&] { return engine->applied_seq() >= head; }, std::chrono::seconds(10)))
        << "applied " << engine->applied_seq() << " of " << head;
    EXPECT_EQ(engine->entity_count(), 2);
    EXPECT_TRUE(engine->AnswerPlain({{"1", MatchQuery{.name = "Samira Benkirane"}}}, scope, 0.8)[0]
                    .hit);
    EXPECT_TRUE(engine->AnswerPrivate(*keys, {query}, scope, kDefaultPrivacyThreshold)[0].hit);
    EXPECT_EQ(follower.keeps_current(), pg);
  }
  // Stopped with its owner: no catch-up after that.
  const int64_t applied = engine->applied_seq();
  ASSERT_TRUE(store.PutAll({server::testing::MakePerson("Pierre Lambert", Tlp::kGreen)}).ok());
  std::this_thread::sleep_for(milliseconds(300));
  EXPECT_EQ(engine->applied_seq(), applied);
}

}  // namespace
}  // namespace entente::exchange::hitnohit
