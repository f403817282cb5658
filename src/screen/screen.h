// The screen subsystem: bulk screening jobs over stored lists, the hit review queue with
// decisions, continuous re-screening with alerts, and reports. Include this header; the
// pieces are:
//
//   screening_job.h  RunScreening / ResumeScreening / ListJobs: lists and resumable jobs
//   chunk_worker.h   RunWorker: a worker taking chunks of any job (job_chunks.h)
//   hit_review.h     ListHits / Decide: the review queue
//   rescreen.h       Rescreen / ContinuousScreener: re-check lists against changed entities
//   alerts.h         ListAlerts: what re-screening raised
//   job_report.h     BuildJobReport: per-job summary as JSON / CSV
//   screen_output.h  table / CSV / JSON-lines writers used by the CLI and the server
//
// Storage: the "screen" migration component (screen_schema.h), SQLite or PostgreSQL.
#pragma once

#include "screen/alerts.h"
#include "screen/chunk_worker.h"
#include "screen/hit_review.h"
#include "screen/job_report.h"
#include "screen/rescreen.h"
#include "screen/screen_output.h"
#include "screen/screen_schema.h"
#include "screen/screening_job.h"
