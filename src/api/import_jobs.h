// Imports uploaded through the API: the body is saved under a name the server makes (never the
// client's file name, so no path traversal), then imported by src/ingest's RunImport on one
// background thread, one job at a time (the store has one writer). Jobs are rows of the store
// (api/import_job_table.h): any server over the same database answers for them, a job's "done"
// row commits with its import and its "import.finish" audit entry, and a job whose server died
// is failed (and audited) by the next server that looks at it, or at start-up.
//
// Thread-safety: all methods may be called concurrently.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "auth/principal.h"
#include "common/ids.h"
#include "common/status.h"
#include "model/types.h"
#include "store/database.h"

namespace entente::server {

class DbPool;

struct ImportJob {
  std::string id;
  std::string state;  // "queued", "running", "done", "failed"
  std::string format;
  std::string file_name;  // as the client named it, reduced to a safe base name
  std::string user;
  std::string service;
  std::string created;
  std::string finished;
  std::string error;  // when failed
  int64_t rows = 0;
  int64_t records = 0;
  int64_t created_records = 0;
  int64_t updated_records = 0;
  int64_t unchanged_records = 0;
  // Rows read but stored as no record, by kind (ingest::ImportReport::not_stored), and the
  // sentence saying so (ingest::NotStoredLine; empty when every row was stored).
  std::map<std::string, int64_t> not_stored;
  std::string not_stored_summary;
};

struct ImportRequest {
  std::string format;
  std::string file_name;
  std::string source;
  std::optional<Tlp> tlp;
  std::vector<std::string> releasable_to;
};

class ImportJobs {
 public:
  // `upload_dir` empty: a folder under the system temp directory. `id_key` is the node's
  // record-id key, which every imported record's id is made with.
  ImportJobs(DbPool* pool, std::string upload_dir, RecordIdKey id_key);
  ~ImportJobs();
  // Creates the jobs table and fails the jobs of servers that are gone.
  static Status Migrate(Database& db);

  // Saves `body` and queues the job. InvalidArgument for an unknown format or bad file name;
  // IOError when the file cannot be saved.
  Result<ImportJob> Submit(const Principal& principal, const ImportRequest& request,
                           const std::string& body);
  // NotFound when absent. Errors: the store's (Unavailable while it is unreachable).
  Result<ImportJob> Get(const std::string& id) const;
  // Waits for the running job, drops the queued ones.
  void Stop();
  // Reduces a client-supplied file name to a safe base name ("../../etc/passwd" -> "passwd");
  // empty when nothing safe is left.
  static std::string SafeBaseName(const std::string& name);

 private:
  struct Queued {
    std::string job_id;
    ImportRequest request;
    Principal principal;
    std::string path;
  };
  void Run();
  void Beat();
  void RunOne(const Queued& queued);
  // Writes the job's end with its audit entry in one transaction.
  void FinishFailed(const Queued& queued, const std::string& error);
  DbPool* pool_;
  std::string upload_dir_;
  RecordIdKey id_key_;
  std::string owner_;  // import_table::NewOwner()
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Queued> queue_;
  bool stopping_ = false;
  std::thread thread_;
  std::thread heartbeat_;
};

}  // namespace entente::server
