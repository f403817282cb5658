// Imports uploaded through the API: the body is saved under a name the server makes (never the
// client's file name, so no path traversal), then imported by src/ingest's RunImport on one
// background thread, one job at a time (the store has one writer). Jobs live in memory for the
// life of the process; their start and end are in the audit trail.
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
#include "common/status.h"
#include "model/types.h"

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
  // `upload_dir` empty: a folder under the system temp directory.
  ImportJobs(DbPool* pool, std::string upload_dir);
  ~ImportJobs();

  // Saves `body` and queues the job. InvalidArgument for an unknown format or bad file name;
  // IOError when the file cannot be saved.
  Result<ImportJob> Submit(const Principal& principal, const ImportRequest& request,
                           const std::string& body);
  // NotFound when absent.
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
  void RunOne(const Queued& queued);
  void Finish(const std::string& job_id, const ImportJob& update);
  DbPool* pool_;
  std::string upload_dir_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::map<std::string, ImportJob> jobs_;
  std::deque<Queued> queue_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace entente::server
