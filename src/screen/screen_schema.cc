#include "screen/screen_schema.h"

#include <string>
#include <vector>

#include "store/migrations.h"
#include "store/record_store.h"

namespace entente::screen {
namespace {

const std::vector<std::string> kScreenSchema = {
    R"sql(
CREATE TABLE screen_lists (
  list_id {{SERIAL_PK}},
  name TEXT NOT NULL UNIQUE,
  created TEXT NOT NULL,
  created_by TEXT NOT NULL,
  row_count BIGINT NOT NULL DEFAULT 0,
  rejected_count BIGINT NOT NULL DEFAULT 0,
  warning_count BIGINT NOT NULL DEFAULT 0,
  checked_seq BIGINT NOT NULL DEFAULT -1
);
CREATE TABLE screen_list_rows (
  list_id BIGINT NOT NULL,
  row_idx BIGINT NOT NULL,
  row_id TEXT NOT NULL,
  source_file TEXT NOT NULL,
  line BIGINT NOT NULL,
  name TEXT NOT NULL,
  birth_date TEXT NOT NULL DEFAULT '',
  nationality TEXT NOT NULL DEFAULT '',
  id_number TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (list_id, row_idx)
);
CREATE UNIQUE INDEX screen_list_rows_by_id ON screen_list_rows (list_id, row_id);
CREATE TABLE screen_row_errors (
  list_id BIGINT NOT NULL,
  source_file TEXT NOT NULL,
  line BIGINT NOT NULL,
  row_id TEXT NOT NULL DEFAULT '',
  kind TEXT NOT NULL,
  reason TEXT NOT NULL
);
CREATE INDEX screen_row_errors_by_list ON screen_row_errors (list_id, line);
CREATE TABLE screen_jobs (
  job_id {{SERIAL_PK}},
  list_id BIGINT NOT NULL,
  status TEXT NOT NULL,
  threshold DOUBLE PRECISION NOT NULL,
  top_k INTEGER NOT NULL,
  rows_total BIGINT NOT NULL DEFAULT 0,
  rows_done BIGINT NOT NULL DEFAULT 0,
  rows_failed BIGINT NOT NULL DEFAULT 0,
  hit_count BIGINT NOT NULL DEFAULT 0,
  watch_seq BIGINT NOT NULL DEFAULT 0,
  started_by TEXT NOT NULL,
  started TEXT NOT NULL,
  updated TEXT NOT NULL,
  finished TEXT NOT NULL DEFAULT '',
  runs INTEGER NOT NULL DEFAULT 0,
  owner_host TEXT NOT NULL DEFAULT '',
  owner_pid BIGINT NOT NULL DEFAULT 0,
  message TEXT NOT NULL DEFAULT ''
);
CREATE INDEX screen_jobs_by_list ON screen_jobs (list_id);
CREATE TABLE screen_hits (
  hit_id {{SERIAL_PK}},
  list_id BIGINT NOT NULL,
  job_id BIGINT NOT NULL DEFAULT 0,
  row_idx BIGINT NOT NULL,
  row_id TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  entity_version INTEGER NOT NULL,
  source_id TEXT NOT NULL DEFAULT '',
  matched_name TEXT NOT NULL DEFAULT '',
  score DOUBLE PRECISION NOT NULL,
  explanation TEXT NOT NULL DEFAULT '',
  category TEXT NOT NULL DEFAULT '',
  origin TEXT NOT NULL,
  changed TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT 'open',
  decision TEXT NOT NULL DEFAULT '',
  decided_by TEXT NOT NULL DEFAULT '',
  decided_at TEXT NOT NULL DEFAULT '',
  raised TEXT NOT NULL
);
CREATE UNIQUE INDEX screen_hits_key ON screen_hits (list_id, row_id, entity_id, entity_version);
CREATE INDEX screen_hits_by_entity ON screen_hits (list_id, entity_id);
CREATE INDEX screen_hits_by_status ON screen_hits (status);
CREATE TABLE screen_decisions (
  decision_id {{SERIAL_PK}},
  hit_id BIGINT NOT NULL,
  decision TEXT NOT NULL,
  reason TEXT NOT NULL,
  decided_by TEXT NOT NULL,
  decided_at TEXT NOT NULL,
  previous TEXT NOT NULL DEFAULT '',
  forced INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX screen_decisions_by_hit ON screen_decisions (hit_id);
CREATE TABLE screen_alerts (
  alert_id {{SERIAL_PK}},
  list_id BIGINT NOT NULL,
  hit_id BIGINT NOT NULL,
  kind TEXT NOT NULL,
  why TEXT NOT NULL,
  change_seq BIGINT NOT NULL,
  raised TEXT NOT NULL
);
CREATE UNIQUE INDEX screen_alerts_key ON screen_alerts (hit_id, kind);
CREATE TABLE screen_locks (
  name TEXT PRIMARY KEY,
  token TEXT NOT NULL,
  owner_host TEXT NOT NULL,
  owner_pid BIGINT NOT NULL,
  acquired TEXT NOT NULL,
  heartbeat_ms BIGINT NOT NULL
);
)sql",
    // v2: the chunks of a job that workers lease (job_chunks.h).
    R"sql(
CREATE TABLE screen_job_chunks (
  job_id BIGINT NOT NULL,
  chunk_no BIGINT NOT NULL,
  row_from BIGINT NOT NULL,
  row_to BIGINT NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending',
  lease_owner TEXT NOT NULL DEFAULT '',
  lease_host TEXT NOT NULL DEFAULT '',
  lease_pid BIGINT NOT NULL DEFAULT 0,
  lease_deadline_ms BIGINT NOT NULL DEFAULT 0,
  attempts INTEGER NOT NULL DEFAULT 0,
  hits BIGINT NOT NULL DEFAULT 0,
  done_at TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (job_id, chunk_no)
);
CREATE INDEX screen_job_chunks_by_state ON screen_job_chunks (state, job_id, chunk_no);
)sql",
};

}  // namespace

Status MigrateScreen(Database& db) {
  ENTENTE_RETURN_IF_ERROR(RecordStore::Migrate(db));
  return ApplyMigrations(db, "screen", kScreenSchema);
}

}  // namespace entente::screen
