#include "screen/screen_lock.h"

#include <chrono>
#include <thread>

#include "common/ids.h"
#include "common/time.h"
#include "screen/process_owner.h"

namespace entente::screen {

Result<std::unique_ptr<DbLock>> DbLock::Acquire(Database& db, const std::string& name,
                                                int64_t wait_ms) {
  const int64_t deadline = NowMillis() + std::max<int64_t>(0, wait_ms);
  const std::string token = RandomHex(16);
  while (true) {
    {
      Transaction tx(&db);
      ENTENTE_RETURN_IF_ERROR(tx.status());
      ENTENTE_ASSIGN_OR_RETURN(auto rows,
                               db.Query("SELECT owner_host, owner_pid, heartbeat_ms, acquired FROM"
                                        " screen_locks WHERE name = ?",
                                        {name}));
      std::string holder;
      if (!rows.empty() && OwnerAlive(rows[0].Text(0), rows[0].Int(1), rows[0].Int(2))) {
        holder =
            "process " + rows[0].Text(1) + " on " + rows[0].Text(0) + " since " + rows[0].Text(3);
      }
      if (holder.empty()) {
        ENTENTE_RETURN_IF_ERROR(db.Execute("DELETE FROM screen_locks WHERE name = ?", {name}));
        ENTENTE_RETURN_IF_ERROR(db.Execute(
            "INSERT INTO screen_locks (name, token, owner_host, owner_pid, acquired, heartbeat_ms)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            {name, token, ThisHost(), ThisPid(), NowTimestamp(), NowMillis()}));
        ENTENTE_RETURN_IF_ERROR(tx.Commit());
        return std::unique_ptr<DbLock>(new DbLock(&db, name, token));
      }
      if (NowMillis() >= deadline) {
        return Unavailable("another " + name + " is running (" + holder +
                           "); try again when it has finished");
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

DbLock::~DbLock() {
  if (db_->InTransaction()) (void)db_->Rollback();
  (void)db_->Execute("DELETE FROM screen_locks WHERE name = ? AND token = ?", {name_, token_});
}

Status DbLock::Confirm() {
  ENTENTE_RETURN_IF_ERROR(
      db_->Execute("UPDATE screen_locks SET heartbeat_ms = ? WHERE name = ? AND token = ?",
                   {NowMillis(), name_, token_}));
  if (db_->ChangedRows() == 0) {
    return Conflict("the " + name_ + " lock was taken over by another process");
  }
  return Status::Ok();
}

}  // namespace entente::screen
