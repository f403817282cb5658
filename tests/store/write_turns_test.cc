// Write turns (store/sqlite/write_turns.h): writers of one process take the SQLite write lock in
// the order they asked, so a writer that commits and begins again at once cannot starve the
// others.
#include "store/sqlite/write_turns.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

namespace entente {
namespace {

using std::chrono::milliseconds;

TEST(WriteTurns, AWriterThatBeginsAgainQueuesBehindTheOneWaiting) {
  auto turns = WriteTurns::For("/tmp/entente-write-turns-test.db");
  ASSERT_NE(turns, nullptr);
  std::mutex order_mutex;
  std::vector<char> order;
  auto note = [&](char who) {
    std::lock_guard lock(order_mutex);
    order.push_back(who);
  };
  ASSERT_TRUE(turns->Take(milliseconds(1000)));  // the importer holds the lock
  std::atomic<bool> waiting{false};
  std::thread request([&] {
    waiting = true;
    ASSERT_TRUE(turns->Take(milliseconds(5000)));
    note('R');
    turns->Give();
  });
  while (!waiting) std::this_thread::yield();
  std::this_thread::sleep_for(milliseconds(50));  // the request is in the queue by now
  turns->Give();                                  // the importer commits...
  ASSERT_TRUE(turns->Take(milliseconds(5000)));   // ...and begins its next batch at once
  note('I');
  turns->Give();
  request.join();
  ASSERT_EQ(order.size(), 2u);
  EXPECT_EQ(order[0], 'R') << "the waiting request must go before the importer's next batch";
}

TEST(WriteTurns, AWaiterGivesUpAfterItsTimeoutAndTheNextOneStillGetsItsTurn) {
  auto turns = WriteTurns::For("/tmp/entente-write-turns-test-2.db");
  ASSERT_TRUE(turns->Take(milliseconds(1000)));
  std::atomic<bool> late_gave_up{false};
  std::thread late([&] { late_gave_up = !turns->Take(milliseconds(30)); });
  late.join();
  EXPECT_TRUE(late_gave_up);
  turns->Give();
  EXPECT_TRUE(turns->Take(milliseconds(100))) << "a timed-out waiter must not block the queue";
  turns->Give();
}

TEST(WriteTurns, OneFileSharesItsTurnsAndMemoryDatabasesHaveNone) {
  auto a = WriteTurns::For("/tmp/entente-write-turns-test-3.db");
  auto b = WriteTurns::For("/tmp/./entente-write-turns-test-3.db");
  EXPECT_EQ(a.get(), b.get()) << "two spellings of one path are one file";
  EXPECT_EQ(WriteTurns::For(":memory:"), nullptr);
  EXPECT_EQ(WriteTurns::For(""), nullptr);
}

}  // namespace
}  // namespace entente
