// Commands of src/screen: jobs (list, start, resume, errors), hits, decide, rescreen, alerts,
// report. Owned by the screen subsystem. Thin: parse flags, call src/screen, print.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>

#include "cli/cli_context.h"
#include "common/csv.h"
#include "screen/screen.h"

namespace entente::cli {
namespace {

using namespace entente::screen;

constexpr int kMaxPrintedRowErrors = 100;

// Prints rejected rows and warnings on stderr, up to a limit.
struct RowErrorPrinter {
  int printed = 0;
  int64_t suppressed = 0;
  void operator()(const RowError& error) {
    if (printed >= kMaxPrintedRowErrors) {
      ++suppressed;
      return;
    }
    ++printed;
    std::fprintf(stderr, "%s: %s\n", error.kind == "warning" ? "warning" : "skipped",
                 error.ToString().c_str());
  }
  void Finish(JobId job_id) const {
    if (suppressed > 0) {
      std::fprintf(stderr, "... and %lld more (entente jobs errors %lld)\n",
                   static_cast<long long>(suppressed), static_cast<long long>(job_id));
    }
  }
};

void PrintJobLine(const JobInfo& job) {
  std::printf(
      "job %lld (list '%s'): %s, %lld of %lld rows screened, %lld hits, %lld rows rejected, "
      "%lld not screened, threshold %.4f, chunks %lld done/%lld leased/%lld pending\n",
      static_cast<long long>(job.id), job.list_name.c_str(), job.DisplayStatus().c_str(),
      static_cast<long long>(job.rows_done), static_cast<long long>(job.rows_total),
      static_cast<long long>(job.hits), static_cast<long long>(job.rows_rejected),
      static_cast<long long>(job.rows_failed), job.threshold,
      static_cast<long long>(job.chunks_done), static_cast<long long>(job.chunks_leased),
      static_cast<long long>(job.chunks_pending));
}

Result<OutputFormat> FormatFlag(const std::string& text) {
  auto format = ParseOutputFormat(text);
  if (!format) return InvalidArgument("--format: '" + text + "' is not table, csv or jsonl");
  return *format;
}

struct JobFlags {
  std::string list_name;
  std::string input;
  double threshold = -1.0;
  int top = 10;
  int threads = 0;
  int batch = 2000;
  int pause_ms = 0;
  bool queue = false;
  std::string format = "table";
  int64_t job_id = 0;
};

}  // namespace

void StartScreeningJob(CliContext& ctx, const StoredListScreening& request) {
  auto db = ctx.OpenOrReport();
  if (!db) return;
  if (!ctx.Check(server::AuditLog::Migrate(*db))) return;
  RowErrorPrinter printer;
  ScreeningOptions options;
  options.threshold = request.threshold;
  options.top = request.top;
  options.threads = request.threads;
  options.batch_rows = request.batch;
  options.user = ctx.user;
  options.pause_ms_per_batch = request.pause_ms;
  options.on_row_error = [&printer](const RowError& error) { printer(error); };
  auto created =
      CreateScreeningJob(*db, ScreenListInput{request.list_name, request.input}, options);
  if (!created.ok()) {
    ctx.exit_code = ReportError(created.status());
    return;
  }
  auto audited = server::AuditLog::AppendAlone(
      *db, ctx.LocalAuditEvent("screen.job.start", "job:" + std::to_string(created->id),
                               {{"list", created->list_name},
                                {"rows", std::to_string(created->rows_total)},
                                {"file", request.input}}));
  if (!ctx.Check(audited.status())) return;
  std::fprintf(stderr, "job %lld: list '%s' stored, %lld rows (%lld rejected)\n",
               static_cast<long long>(created->id), created->list_name.c_str(),
               static_cast<long long>(created->rows_total),
               static_cast<long long>(created->rows_rejected));
  if (request.queue) {
    PrintJobLine(*created);
    return;
  }
  ProgressBar bar("screening", static_cast<uint64_t>(created->rows_total));
  auto job = ResumeScreening(*db, created->id, options, &bar);
  bar.Finish();
  printer.Finish(created->id);
  if (!job.ok()) {
    ctx.exit_code = ReportError(job.status());
    std::fprintf(stderr, "resume with: entente jobs resume %lld\n",
                 static_cast<long long>(created->id));
    return;
  }
  PrintJobLine(*job);
}

namespace {

void RegisterJobs(CLI::App& app, CliContext& ctx) {
  auto flags = std::make_shared<JobFlags>();
  CLI::App* jobs = app.add_subcommand(
      "jobs", "Screening jobs: list them with progress, start one over a list, resume one");
  jobs->require_subcommand(0, 1);
  jobs->add_option("--format", flags->format, "table, csv or jsonl (default table)");
  jobs->callback([&ctx, flags, jobs] {
    if (!jobs->get_subcommands().empty()) return;
    auto db = ctx.OpenOrReport();
    if (!db) return;
    auto format = FormatFlag(flags->format);
    auto list = format.ok() ? ListJobs(*db) : Result<std::vector<JobInfo>>(format.status());
    if (!list.ok()) {
      ctx.exit_code = ReportError(list.status());
      return;
    }
    WriteJobs(std::cout, *format, *list);
  });

  CLI::App* start = jobs->add_subcommand(
      "start", "Store a list under a name and screen it against the watchlist (resumable)");
  start->add_option("--list", flags->list_name, "Name to store the list under (unique)")
      ->required();
  start->add_option("--input", flags->input, "List CSV: id,name[,birth_date,nationality,id_number]")
      ->required();
  start->add_option("--threshold", flags->threshold,
                    "Store hits scoring at least this (default: the calibrated threshold)");
  start->add_option("--top", flags->top, "At most this many hits per row (default 10)");
  start->add_option("--threads", flags->threads, "Matching threads (default: one per core)");
  start->add_option("--batch", flags->batch,
                    "Rows per chunk, committed together and leased to one worker (default 2000)");
  start->add_option("--pause-ms", flags->pause_ms)->group("");  // fault-injection tests only
  start->add_flag("--queue", flags->queue,
                  "Only store the list and the job; `entente worker` processes screen it");
  start->callback([&ctx, flags] {
    StartScreeningJob(
        ctx, StoredListScreening{flags->list_name, flags->input, flags->threshold, flags->top,
                                 flags->threads, flags->batch, flags->pause_ms, flags->queue});
  });

  CLI::App* resume = jobs->add_subcommand(
      "resume", "Continue a job that was interrupted (killed, failed) after its last batch");
  resume->add_option("id", flags->job_id, "Job id (see entente jobs)")->required();
  resume->add_option("--threads", flags->threads, "Matching threads (default: one per core)");
  resume->add_option("--batch", flags->batch, "Rows per committed batch (default 2000)");
  resume->add_option("--pause-ms", flags->pause_ms)->group("");
  resume->callback([&ctx, flags] {
    auto db = ctx.OpenOrReport();
    if (!db) return;
    RowErrorPrinter printer;
    ScreeningOptions options;
    options.threads = flags->threads;
    options.batch_rows = flags->batch;
    options.user = ctx.user;
    options.pause_ms_per_batch = flags->pause_ms;
    options.on_row_error = [&printer](const RowError& error) { printer(error); };
    auto before = GetJob(*db, flags->job_id);
    if (!before.ok()) {
      ctx.exit_code = ReportError(before.status());
      return;
    }
    if (!ctx.Check(server::AuditLog::Migrate(*db))) return;
    auto audited = server::AuditLog::AppendAlone(
        *db, ctx.LocalAuditEvent(
                 "screen.job.resume", "job:" + std::to_string(flags->job_id),
                 {{"list", before->list_name}, {"rows_done", std::to_string(before->rows_done)}}));
    if (!ctx.Check(audited.status())) return;
    ProgressBar bar("screening", static_cast<uint64_t>(before->rows_total));
    auto job = ResumeScreening(*db, flags->job_id, options, &bar);
    bar.Finish();
    printer.Finish(flags->job_id);
    if (!job.ok()) {
      ctx.exit_code = ReportError(job.status());
      return;
    }
    PrintJobLine(*job);
  });

  CLI::App* errors = jobs->add_subcommand(
      "errors", "Rows of a job's list that were rejected, screened with a warning or refused");
  errors->add_option("id", flags->job_id, "Job id")->required();
  errors->callback([&ctx, flags] {
    auto db = ctx.OpenOrReport();
    if (!db) return;
    auto job = GetJob(*db, flags->job_id);
    auto rows =
        job.ok() ? ListRowErrors(*db, job->list_id) : Result<std::vector<RowError>>(job.status());
    if (!rows.ok()) {
      ctx.exit_code = ReportError(rows.status());
      return;
    }
    std::cout << "file,line,row_id,kind,reason\n";
    for (const RowError& e : *rows) {
      std::cout << CsvField(e.source_file) << ',' << e.line << ',' << CsvField(e.row_id) << ','
                << e.kind << ',' << CsvField(e.reason) << '\n';
    }
  });
}

void RegisterHits(CLI::App& app, CliContext& ctx) {
  auto filter = std::make_shared<HitFilter>();
  auto format = std::make_shared<std::string>("table");
  CLI::App* hits = app.add_subcommand("hits", "The review queue: hits of screening jobs");
  hits->add_option("--list", filter->list_name, "Only this list");
  hits->add_option("--status", filter->status,
                   "open, match, no-match, refer (also superseded, withdrawn)");
  hits->add_option("--job", filter->job_id, "Only hits found by this job");
  hits->add_option("--limit", filter->limit, "At most this many");
  hits->add_option("--format", *format,
                   "table, csv (query_id,entity_id,source_id,score,matched_name,explanation,"
                   "hit_id,status) or jsonl");
  hits->callback([&ctx, filter, format] {
    auto parsed = FormatFlag(*format);
    if (!parsed.ok()) {
      ctx.exit_code = ReportError(parsed.status());
      return;
    }
    auto db = ctx.OpenOrReport();
    if (!db) return;
    HitWriter writer(std::cout, *parsed);
    Status s = ForEachHit(*db, *filter, [&writer](const HitInfo& hit) {
      writer.Write(hit);
      return true;
    });
    if (!s.ok()) {
      ctx.exit_code = ReportError(s);
      return;
    }
    writer.Finish();
  });
}

void RegisterDecide(CLI::App& app, CliContext& ctx) {
  struct Flags {
    int64_t hit_id = 0;
    std::string decision;
    std::string reason;
    bool force = false;
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* decide = app.add_subcommand(
      "decide",
      "Decide a hit: match, no-match or refer, with a reason (recorded with who and when)");
  decide->add_option("hit_id", flags->hit_id, "Hit id (see entente hits)")->required();
  decide->add_option("decision", flags->decision, "match, no-match or refer")->required();
  decide->add_option("--reason", flags->reason, "Why (required)")->required();
  decide->add_flag("--force", flags->force, "Overwrite another officer's decision");
  decide->callback([&ctx, flags] {
    auto decision = ParseDecision(flags->decision);
    if (!decision) {
      ctx.exit_code = ReportError(
          InvalidArgument("decision: '" + flags->decision + "' is not match, no-match or refer"));
      return;
    }
    auto db = ctx.OpenOrReport();
    if (!db) return;
    if (!ctx.Check(server::AuditLog::Migrate(*db))) return;
    DecideRequest request{.hit_id = flags->hit_id,
                          .decision = *decision,
                          .reason = flags->reason,
                          .user = ctx.user,
                          .force = flags->force};
    request.in_transaction = [&ctx](Database& tx_db, const HitInfo& decided) {
      return server::AuditLog::Append(
                 tx_db,
                 ctx.LocalAuditEvent("screen.decide", "hit:" + std::to_string(decided.hit_id),
                                     {{"decision", decided.decision},
                                      {"list", decided.list_name},
                                      {"row", decided.row_id},
                                      {"entity", decided.entity_id}}))
          .status();
    };
    auto hit = Decide(*db, request);
    if (!hit.ok()) {
      ctx.exit_code = ReportError(hit.status());
      return;
    }
    std::printf("hit %lld (%s row %s ~ %s %s): %s by %s at %s\n",
                static_cast<long long>(hit->hit_id), hit->list_name.c_str(), hit->row_id.c_str(),
                hit->source_id.c_str(), hit->matched_name.c_str(), hit->decision.c_str(),
                hit->decided_by.c_str(), hit->decided_at.c_str());
  });
}

void RegisterRescreen(CLI::App& app, CliContext& ctx) {
  struct Flags {
    std::string list_name;
    int threads = 0;
    double wait_seconds = 30;
    std::string strategy = "auto";
    int pause_ms = 0;
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* rescreen = app.add_subcommand(
      "rescreen",
      "Re-check every stored list against the entities changed since it was last checked; "
      "new hits become alerts");
  rescreen->add_option("--list", flags->list_name, "Only this list");
  rescreen->add_option("--threads", flags->threads, "Matching threads (default: one per core)");
  rescreen->add_option(
      "--wait", flags->wait_seconds,
      "Seconds to wait for a re-screening already running (default 30; 0 refuses)");
  rescreen->add_option("--strategy", flags->strategy,
                       "auto, index-list (index the rows, look up the changes) or index-changes");
  rescreen->add_option("--pause-ms", flags->pause_ms)->group("");
  rescreen->callback([&ctx, flags] {
    RescreenOptions options;
    if (flags->strategy == "index-list") {
      options.strategy = RescreenStrategy::kIndexList;
    } else if (flags->strategy == "index-changes") {
      options.strategy = RescreenStrategy::kIndexChanges;
    } else if (flags->strategy != "auto") {
      ctx.exit_code = ReportError(InvalidArgument("--strategy: '" + flags->strategy +
                                                  "' is not auto, index-list or index-changes"));
      return;
    }
    auto db = ctx.OpenOrReport();
    if (!db) return;
    options.list_name = flags->list_name;
    options.threads = flags->threads;
    options.user = ctx.user;
    options.wait_ms = static_cast<int64_t>(std::max(0.0, flags->wait_seconds) * 1000);
    options.pause_ms_per_list = flags->pause_ms;
    ProgressBar bar("rescreen", 0);
    auto summary = Rescreen(*db, options, &bar);
    bar.Finish();
    if (!summary.ok()) {
      ctx.exit_code = ReportError(summary.status());
      return;
    }
    std::printf("%s\n", summary->ToString().c_str());
  });
}

void RegisterAlerts(CLI::App& app, CliContext& ctx) {
  auto filter = std::make_shared<AlertFilter>();
  auto format = std::make_shared<std::string>("table");
  CLI::App* alerts =
      app.add_subcommand("alerts", "Alerts raised by re-screening: list, row, entity and why");
  alerts->add_option("--list", filter->list_name, "Only this list");
  alerts->add_option("--kind", filter->kind, "new-hit, raised-again or withdrawn");
  alerts->add_option("--after", filter->after_id, "Only alerts with a larger id");
  alerts->add_option("--format", *format, "table, csv or jsonl");
  alerts->callback([&ctx, filter, format] {
    auto parsed = FormatFlag(*format);
    if (!parsed.ok()) {
      ctx.exit_code = ReportError(parsed.status());
      return;
    }
    auto db = ctx.OpenOrReport();
    if (!db) return;
    auto list = ListAlerts(*db, *filter);
    if (!list.ok()) {
      ctx.exit_code = ReportError(list.status());
      return;
    }
    WriteAlerts(std::cout, *parsed, *list);
  });
}

void RegisterReport(CLI::App& app, CliContext& ctx) {
  struct Flags {
    int64_t job_id = 0;
    std::string format = "json";
    std::string output;
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* report = app.add_subcommand(
      "report",
      "A job's summary: rows, hits by score band, by category, by decision (export the hits "
      "themselves with entente hits --job ID --format csv|jsonl)");
  report->add_option("job_id", flags->job_id, "Job id")->required();
  report->add_option("--format", flags->format, "json or csv (default json)");
  report->add_option("--output", flags->output, "Write to this file instead of stdout");
  report->callback([&ctx, flags] {
    if (flags->format != "json" && flags->format != "csv") {
      ctx.exit_code =
          ReportError(InvalidArgument("--format: '" + flags->format + "' is not json or csv"));
      return;
    }
    auto db = ctx.OpenOrReport();
    if (!db) return;
    auto built = BuildJobReport(*db, flags->job_id);
    if (!built.ok()) {
      ctx.exit_code = ReportError(built.status());
      return;
    }
    std::string text = flags->format == "json" ? JobReportToJson(*built) : JobReportToCsv(*built);
    if (flags->output.empty()) {
      std::cout << text;
      return;
    }
    std::ofstream out(flags->output, std::ios::binary);
    out << text;
    if (!out) ctx.exit_code = ReportError(IOError(flags->output + ": cannot write"));
  });
}

}  // namespace

void RegisterScreenCommands(CLI::App& app, CliContext& ctx) {
  RegisterJobs(app, ctx);
  RegisterHits(app, ctx);
  RegisterDecide(app, ctx);
  RegisterRescreen(app, ctx);
  RegisterAlerts(app, ctx);
  RegisterReport(app, ctx);
}

}  // namespace entente::cli
