#include "api/import_jobs.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "api/import_job_table.h"
#include "audit/audit_log.h"
#include "auth/scoped_store.h"
#include "common/background_priority.h"
#include "common/ids.h"
#include "common/time.h"
#include "http/db_pool.h"
#include "ingest/format_registry.h"
#include "ingest/importer.h"

namespace entente::server {

namespace {

constexpr auto kHeartbeatEvery = std::chrono::seconds(5);

AuditEvent FinishEvent(const Principal& principal, const std::string& job_id) {
  return {principal.user,
          std::string(RoleName(principal.role)),
          principal.service,
          "import.finish",
          job_id,
          "ok",
          {}};
}

}  // namespace

ImportJobs::ImportJobs(DbPool* pool, std::string upload_dir, RecordIdKey id_key)
    : pool_(pool),
      upload_dir_(std::move(upload_dir)),
      id_key_(id_key),
      owner_(import_table::NewOwner()) {
  if (upload_dir_.empty()) {
    upload_dir_ =
        (std::filesystem::temp_directory_path() / ("entente-uploads-" + RandomHex(6))).string();
  }
  heartbeat_ = std::thread([this] { Beat(); });
}

ImportJobs::~ImportJobs() { Stop(); }

Status ImportJobs::Migrate(Database& db) {
  ENTENTE_RETURN_IF_ERROR(import_table::Migrate(db));
  return import_table::MarkAbandoned(db).status();
}

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
    ENTENTE_ASSIGN_OR_RETURN(auto lease, pool_->Acquire());
    Status saved = import_table::Insert(lease->db(), job, owner_);
    if (!saved.ok()) {
      std::filesystem::remove(path, error);
      return saved;
    }
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_) return Unavailable("server is stopping");
    queue_.push_back({job.id, request, principal, path});
    if (!thread_.joinable()) thread_ = std::thread([this] { Run(); });
  }
  wake_.notify_all();  // the heartbeat thread waits on it too
  return job;
}

Result<ImportJob> ImportJobs::Get(const std::string& id) const {
  ENTENTE_ASSIGN_OR_RETURN(auto lease, pool_->Acquire());
  ENTENTE_ASSIGN_OR_RETURN(ImportJob job, import_table::Get(lease->db(), id));
  if (job.state != "queued" && job.state != "running") return job;
  // Unfinished: if its server is gone, say so now rather than "running" for ever.
  ENTENTE_RETURN_IF_ERROR(import_table::MarkAbandoned(lease->db()).status());
  return import_table::Get(lease->db(), id);
}

void ImportJobs::Stop() {
  std::deque<Queued> dropped;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    dropped.swap(queue_);
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  if (heartbeat_.joinable()) heartbeat_.join();
  for (const Queued& queued : dropped) {
    FinishFailed(queued, "server stopped before the job ran");
    std::error_code error;
    std::filesystem::remove(queued.path, error);
  }
}

void ImportJobs::Beat() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!wake_.wait_for(lock, kHeartbeatEvery, [this] { return stopping_; })) {
    lock.unlock();
    {
      auto lease = pool_->Acquire();
      Status beat = lease.ok() ? import_table::Heartbeat((*lease)->db(), owner_) : lease.status();
      if (!beat.ok()) spdlog::warn("import jobs heartbeat: {}", beat.message());
    }
    lock.lock();
  }
}

void ImportJobs::Run() {
  RunThisThreadInTheBackground();  // requests first: an import may take a few seconds longer
  while (true) {
    Queued queued;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;
      queued = std::move(queue_.front());
      queue_.pop_front();
    }
    RunOne(queued);
    std::error_code error;
    std::filesystem::remove(queued.path, error);
  }
}

void ImportJobs::RunOne(const Queued& queued) {
  auto lease = pool_->Acquire();
  if (!lease.ok()) {
    FinishFailed(queued, lease.status().message());
    return;
  }
  Status running = import_table::SetState((*lease)->db(), queued.job_id, "running");
  if (!running.ok()) spdlog::warn("import {}: {}", queued.job_id, running.message());
  ingest::ImportOptions options;
  options.format = queued.request.format;
  options.paths = {queued.path};
  options.defaults.service = queued.principal.service;
  options.defaults.source = queued.request.source;
  options.defaults.tlp = queued.request.tlp;
  options.defaults.releasable_to = queued.request.releasable_to;
  options.defaults.id_key = id_key_;
  options.progress = false;
  // Written in transactions of a few thousand records, so that audited requests and other
  // writers do not wait for the whole import (it was checked in full before the first write).
  options.commit_every = ingest::kDefaultCommitEvery;
  // The uploader's rights decide every row (a CSV row may carry the id of a record the uploader
  // cannot read; a JSON line may carry its own marking and provenance).
  options.write_guard = ScopedStore::WriteGuardFor(queued.principal);
  // On success the job's "done" row and the audit entry commit with the import itself.
  auto before_commit = [&](Database& db, const ingest::ImportReport& r) -> Status {
    AuditEvent finished = FinishEvent(queued.principal, queued.job_id);
    finished.detail = {{"format", options.format},
                       {"records", std::to_string(r.records)},
                       {"created", std::to_string(r.created)},
                       {"updated", std::to_string(r.updated)},
                       {"last_change_seq", std::to_string(r.last_change_seq)}};
    ENTENTE_RETURN_IF_ERROR(AuditLog::Append(db, finished).status());
    ImportJob done;
    done.id = queued.job_id;
    done.state = "done";
    done.finished = NowTimestamp();
    done.rows = r.rows;
    done.records = r.records;
    done.created_records = r.created;
    done.updated_records = r.updated;
    done.unchanged_records = r.unchanged;
    done.not_stored = r.not_stored;
    done.not_stored_summary = ingest::NotStoredLine(r);
    return import_table::Finish(db, done);
  };
  auto report = ingest::RunImport((*lease)->store(), options, before_commit);
  if (report.ok()) return;
  // The reader names the file by its server-side path; show the client's name instead.
  std::string message = report.status().message();
  for (size_t at = message.find(queued.path); at != std::string::npos;
       at = message.find(queued.path)) {
    message.replace(at, queued.path.size(), ImportJobs::SafeBaseName(queued.request.file_name));
  }
  lease->reset();  // FinishFailed takes a connection of its own
  FinishFailed(queued, message);
}

void ImportJobs::FinishFailed(const Queued& queued, const std::string& error) {
  auto write = [&]() -> Status {
    ENTENTE_ASSIGN_OR_RETURN(auto lease, pool_->Acquire());
    Database& db = lease->db();
    Transaction tx(&db);
    ENTENTE_RETURN_IF_ERROR(tx.status());
    ImportJob failed;
    failed.id = queued.job_id;
    failed.state = "failed";
    failed.error = error;
    failed.finished = NowTimestamp();
    ENTENTE_RETURN_IF_ERROR(import_table::Finish(db, failed));
    AuditEvent event = FinishEvent(queued.principal, queued.job_id);
    event.outcome = "failed";
    event.detail = {{"format", queued.request.format}, {"error", error}};
    ENTENTE_RETURN_IF_ERROR(AuditLog::Append(db, event).status());
    return tx.Commit();
  };
  Status written = write();
  if (!written.ok()) spdlog::error("import {}: {}", queued.job_id, written.message());
}

}  // namespace entente::server
