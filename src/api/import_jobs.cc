#include "api/import_jobs.h"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <fstream>

#include "audit/audit_log.h"
#include "auth/scoped_store.h"
#include "common/ids.h"
#include "common/time.h"
#include "http/db_pool.h"
#include "ingest/format_registry.h"
#include "ingest/importer.h"

namespace entente::server {

ImportJobs::ImportJobs(DbPool* pool, std::string upload_dir)
    : pool_(pool), upload_dir_(std::move(upload_dir)) {
  if (upload_dir_.empty()) {
    upload_dir_ =
        (std::filesystem::temp_directory_path() / ("entente-uploads-" + RandomHex(6))).string();
  }
}

ImportJobs::~ImportJobs() { Stop(); }

std::string ImportJobs::SafeBaseName(const std::string& name) {
  std::string base = name;
  size_t slash = base.find_last_of("/\\");
  if (slash != std::string::npos) base = base.substr(slash + 1);
  std::string safe;
  for (char c : base) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-';
    if (ok) safe.push_back(c);
  }
  while (!safe.empty() && safe.front() == '.') safe.erase(safe.begin());
  if (safe.size() > 100) safe.resize(100);
  return safe;
}

Result<ImportJob> ImportJobs::Submit(const Principal& principal, const ImportRequest& request,
                                     const std::string& body) {
  auto format = ingest::FormatRegistry::Global().FindReader(request.format);
  if (!format.ok()) return InvalidArgument("field format: " + format.status().message());
  std::string safe_name = SafeBaseName(request.file_name);
  if (safe_name.empty()) safe_name = "upload";
  ImportJob job;
  job.id = "import--" + RandomHex(8);
  job.state = "queued";
  job.format = request.format;
  job.file_name = safe_name;
  job.user = principal.user;
  job.service = principal.service;
  job.created = NowTimestamp();
  std::error_code error;
  std::filesystem::create_directories(upload_dir_, error);
  std::filesystem::permissions(upload_dir_, std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::replace, error);
  std::string path = upload_dir_ + "/" + job.id + "-" + safe_name;
  {
    std::ofstream out(path, std::ios::binary);
    out.write(body.data(), static_cast<std::streamsize>(body.size()));
    if (!out) return IOError("cannot save the upload for " + job.id);
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_) return Unavailable("server is stopping");
    jobs_[job.id] = job;
    queue_.push_back({job.id, request, principal, path});
    if (!thread_.joinable()) thread_ = std::thread([this] { Run(); });
  }
  wake_.notify_one();
  return job;
}

Result<ImportJob> ImportJobs::Get(const std::string& id) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = jobs_.find(id);
  if (it == jobs_.end()) return NotFound("import job " + id + " not found");
  return it->second;
}

void ImportJobs::Stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    for (const Queued& queued : queue_) {
      jobs_[queued.job_id].state = "failed";
      jobs_[queued.job_id].error = "server stopped before the job ran";
      std::error_code error;
      std::filesystem::remove(queued.path, error);
    }
    queue_.clear();
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void ImportJobs::Run() {
  while (true) {
    Queued queued;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;
      queued = std::move(queue_.front());
      queue_.pop_front();
      jobs_[queued.job_id].state = "running";
    }
    RunOne(queued);
    std::error_code error;
    std::filesystem::remove(queued.path, error);
  }
}

void ImportJobs::RunOne(const Queued& queued) {
  ImportJob update;
  auto lease = pool_->Acquire();
  if (!lease.ok()) {
    update.state = "failed";
    update.error = lease.status().message();
    Finish(queued.job_id, update);
    return;
  }
  ingest::ImportOptions options;
  options.format = queued.request.format;
  options.paths = {queued.path};
  options.defaults.service = queued.principal.service;
  options.defaults.source = queued.request.source;
  options.defaults.tlp = queued.request.tlp;
  options.defaults.releasable_to = queued.request.releasable_to;
  options.progress = false;
  // The uploader's rights decide every row (a CSV row may carry the id of a record the uploader
  // cannot read; a JSON line may carry its own marking and provenance).
  options.write_guard = ScopedStore::WriteGuardFor(queued.principal);
  AuditEvent event{queued.principal.user,
                   std::string(RoleName(queued.principal.role)),
                   queued.principal.service,
                   "import.finish",
                   queued.job_id,
                   "ok",
                   {}};
  auto details = [&options](const ingest::ImportReport& r) -> AuditDetail {
    return {{"format", options.format},
            {"records", std::to_string(r.records)},
            {"created", std::to_string(r.created)},
            {"updated", std::to_string(r.updated)},
            {"last_change_seq", std::to_string(r.last_change_seq)}};
  };
  // On success the audit entry commits with the import itself.
  auto report =
      ingest::RunImport((*lease)->store(), options,
                        [&event, &details](Database& db, const ingest::ImportReport& so_far) {
                          AuditEvent finished = event;
                          finished.detail = details(so_far);
                          return AuditLog::Append(db, finished).status();
                        });
  if (report.ok()) {
    update.state = "done";
    update.rows = report->rows;
    update.records = report->records;
    update.created_records = report->created;
    update.updated_records = report->updated;
    update.unchanged_records = report->unchanged;
  } else {
    update.state = "failed";
    // The reader names the file by its server-side path; show the client's name instead.
    std::string message = report.status().message();
    for (size_t at = message.find(queued.path); at != std::string::npos;
         at = message.find(queued.path)) {
      message.replace(at, queued.path.size(), ImportJobs::SafeBaseName(queued.request.file_name));
    }
    update.error = message;
    event.outcome = "failed";
    event.detail = {{"format", options.format}, {"error", message}};
    auto audited = AuditLog::AppendAlone((*lease)->db(), event);
    if (!audited.ok()) spdlog::error("audit write failed: {}", audited.status().message());
  }
  Finish(queued.job_id, update);
}

void ImportJobs::Finish(const std::string& job_id, const ImportJob& update) {
  std::lock_guard<std::mutex> lock(mutex_);
  ImportJob& job = jobs_[job_id];
  job.state = update.state;
  job.error = update.error;
  job.rows = update.rows;
  job.records = update.records;
  job.created_records = update.created_records;
  job.updated_records = update.updated_records;
  job.unchanged_records = update.unchanged_records;
  job.finished = NowTimestamp();
}

}  // namespace entente::server
