// A wake-up call for followers of the change feed (the server's match index): on PostgreSQL a
// connection of its own that LISTENs on the channel the store NOTIFYs on every commit that adds
// to the change feed, so a change committed by any process (another server, a worker, the CLI)
// wakes every follower at once. The change feed stays the truth: a follower always catches up
// from the feed, a lost notification only delays it to its next poll. SQLite has no
// notifications; there the signal never fires and followers keep polling.
//
//   auto signal = ChangeSignal::Listen(target);       // Unavailable when PostgreSQL is down
//   while (running) if ((*signal)->Wait(250ms)) catch_up();
//
// Thread-safety: one thread at a time per ChangeSignal.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "common/status.h"

namespace entente {

// The channel the store's change-feed trigger notifies (record_store.cc).
inline constexpr const char* kChangeChannel = "entente_changes";

class ChangeSignal {
 public:
  virtual ~ChangeSignal() = default;

  // A signal for the store at `target` (store_target.h). PostgreSQL: connects and LISTENs;
  // Unavailable naming the target when it cannot. SQLite: a signal that never fires.
  static Result<std::unique_ptr<ChangeSignal>> Listen(const std::string& target);

  // False for SQLite: Wait() only sleeps, so followers must poll.
  virtual bool wakes() const = 0;
  // Waits up to `timeout` for a change. True when one was notified, or when the connection was
  // lost and made again (notifications sent meanwhile are gone: catch up to be sure). False on
  // timeout. After a lost connection it retries at each call and never throws or blocks longer.
  virtual bool Wait(std::chrono::milliseconds timeout) = 0;
};

}  // namespace entente
