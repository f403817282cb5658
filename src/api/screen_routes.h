// The screening API, mounted by the server (api/mount_all.cc). Every route needs
// Permission::kScreenRun, except decisions (kScreenDecide).
//
//   POST /api/v1/screening/lists?name=NAME[&threshold=T&top=N]   body: the list as CSV
//        (text/csv, the columns of `entente screen`: id,name[,birth_date,nationality,id_number])
//        stores the list and starts its job in the background: 202 with the job (progress 0);
//        400 bad parameter or no acceptable row (the reason names the line), 409 a list of
//        that name exists, 413 larger than 256 MiB
//   GET  /api/v1/screening/jobs?cursor=C&limit=N                 jobs with their progress
//   GET  /api/v1/screening/jobs/{job}                            one job: status, progress, counts
//   POST /api/v1/screening/jobs/{job}/resume                     queue an interrupted job again
//   GET  /api/v1/screening/jobs/{job}/report                     summary by band, category, status
//   GET  /api/v1/screening/jobs/{job}/errors                     rejected and refused rows
//   GET  /api/v1/screening/hits?list=&status=&job=&cursor=&limit=   the review queue
//   GET  /api/v1/screening/hits/{hit}                            one hit and its decisions
//   POST /api/v1/screening/hits/{hit}/decision                   {"decision": "match" |
//        "no-match" | "refer", "reason": "...", "force": false}; 409 when another officer
//        decided it (force overrides, recorded)
//   GET  /api/v1/screening/alerts?list=&kind=&cursor=&limit=     what re-screening raised
//   POST /api/v1/screening/rescreen                              {"list": optional}: re-check
//        lists against what changed since; returns the summary (cheap when nothing changed)
//
// Lists are cursor-paginated like the rest of the API: {"items": [...], "next_cursor": C}, where
// C (null on the last page) is passed back as ?cursor=C; limit defaults to 100, at most 1000.
//
// Markings: a hit or alert on a record the caller may not read (above their clearance, or not
// released to their service) is shown only as existing, with the service to ask; its name,
// explanation and entity are left out, and deciding it is refused (403).
// Audit: starting and resuming jobs, reading hits and alerts, decisions (in the decision's own
// transaction) and re-screening are in the audit trail.
#pragma once

#include "common/status.h"
#include "http/router.h"

namespace entente::screen {

Status MountHttpRoutes(entente::server::Router& router);

}  // namespace entente::screen
