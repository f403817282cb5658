// The table that holds import jobs (server_import_jobs), so that a job outlives the process that
// took it and any server over the same database answers GET /imports/{id}.
//
// Each job names its owner: "<host>/<pid>/<random>" of the server process that saved the upload
// and runs it, and a heartbeat the owner renews while the job is unfinished. A queued or running
// job is abandoned when its owner is gone: a process on this host that no longer exists, or a
// heartbeat older than `kStaleAfterMs` (an owner on another host). MarkAbandoned() fails such a
// job, with an "import.finish" audit entry, in one transaction: the import itself never
// committed (it commits with its job's "done" row), so nothing of it is in the store.
//
// Thread-safety: free functions over the Database passed in.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "store/database.h"

namespace entente::server {

struct ImportJob;

namespace import_table {

inline constexpr int64_t kStaleAfterMs = 60 * 1000;

// Creates the table (component "server_import_jobs").
Status Migrate(Database& db);
// "<host>/<pid>/<random hex>" for this process.
std::string NewOwner();
// True when `owner` names a live process: on this host, one that exists; elsewhere, one whose
// heartbeat (`heartbeat_ms`) is recent.
bool OwnerAlive(const std::string& owner, int64_t heartbeat_ms, int64_t now_ms);

Status Insert(Database& db, const ImportJob& job, const std::string& owner);
// NotFound when absent.
Result<ImportJob> Get(Database& db, const std::string& id);
Status SetState(Database& db, const std::string& id, const std::string& state);
// Writes the end of a job (state, counts, error, finished) in the caller's transaction.
Status Finish(Database& db, const ImportJob& job);
// Renews the heartbeat of `owner`'s unfinished jobs.
Status Heartbeat(Database& db, const std::string& owner);
// Fails the unfinished jobs whose owner is gone (each with its audit entry); the ids failed.
Result<std::vector<std::string>> MarkAbandoned(Database& db);

}  // namespace import_table
}  // namespace entente::server
