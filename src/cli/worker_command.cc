// `entente worker`: a screening worker process. It takes chunks of the running screening jobs
// of the store (any number of workers and servers share them), screens them and commits their
// hits until SIGTERM/SIGINT, which stops it after the chunk in progress.
#include <signal.h>

#include <csignal>
#include <cstdio>
#include <memory>
#include <string>

#include "cli/cli_context.h"
#include "screen/chunk_worker.h"

namespace entente::cli {
namespace {

volatile std::sig_atomic_t g_stop = 0;

void OnStopSignal(int) { g_stop = 1; }

struct WorkerFlags {
  std::string store;
  int threads = 0;
  int64_t lease_ms = 30000;
  int poll_ms = 1000;
  bool exit_when_idle = false;
  bool quiet = false;
};

void RunWorkerCommand(CliContext& ctx, const WorkerFlags& flags) {
  if (!flags.store.empty()) ctx.db_target = flags.store;
  if (flags.lease_ms < 100) {
    ctx.exit_code = ReportError(InvalidArgument("--lease-ms: must be at least 100"));
    return;
  }
  auto db = ctx.OpenOrReport();
  if (!db) return;
  std::signal(SIGTERM, OnStopSignal);
  std::signal(SIGINT, OnStopSignal);
  screen::WorkerOptions options;
  options.threads = flags.threads;
  options.lease_ms = flags.lease_ms;
  options.poll_ms = flags.poll_ms;
  options.exit_when_idle = flags.exit_when_idle;
  options.should_stop = [] { return g_stop != 0; };
  if (!flags.quiet) {
    options.log = [](const std::string& line) { std::fprintf(stderr, "%s\n", line.c_str()); };
  }
  auto stats = screen::RunWorker(*db, options);
  if (!stats.ok()) {
    ctx.exit_code = ReportError(stats.status());
    return;
  }
  std::printf("worker: %lld chunks, %lld rows, %lld hits, %lld chunks lost to another worker\n",
              static_cast<long long>(stats->chunks), static_cast<long long>(stats->rows),
              static_cast<long long>(stats->hits), static_cast<long long>(stats->lost));
}

}  // namespace

void RegisterWorkerCommand(CLI::App& app, CliContext& ctx) {
  auto flags = std::make_shared<WorkerFlags>();
  CLI::App* worker = app.add_subcommand(
      "worker", "Screen chunks of the store's running screening jobs (SIGTERM stops it)");
  worker->add_option("--store", flags->store, "The store (same as the global --db)");
  worker->add_option("--threads", flags->threads, "Matching threads (default: one per core)");
  worker->add_option("--lease-ms", flags->lease_ms,
                     "How long a chunk stays this worker's without a renewal (default 30000)");
  worker->add_option("--poll-ms", flags->poll_ms,
                     "How often to look for work when there is none (default 1000)");
  worker->add_flag("--exit-when-idle", flags->exit_when_idle,
                   "Exit once no running job has a chunk left (batch runs, tests)");
  worker->add_flag("--quiet", flags->quiet, "No line per chunk on stderr");
  worker->callback([&ctx, flags] { RunWorkerCommand(ctx, *flags); });
}

}  // namespace entente::cli
