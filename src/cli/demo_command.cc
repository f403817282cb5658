// `entente demo`: builds its own sample data (two services, a few thousand people, two
// cross-border networks, an applicant list) and walks through what entente does with it.
// It needs nothing outside the binary; every file it writes goes to --workdir.
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "cli/cli_context.h"
#include "demo/demo_steps.h"

namespace entente::cli {

void RegisterDemoCommand(CLI::App& app, CliContext& ctx) {
  auto* demo = app.add_subcommand(
      "demo",
      "Build sample data for two services and walk through import, matching, screening, "
      "re-screening, link analysis and risk, a two-node TAXII exchange over mutual TLS, and "
      "hit/no-hit with a follow-up");
  static std::string workdir = ".demo";
  static int persons = 1500;
  static int applicants = 2000;
  demo->add_option("--workdir", workdir, "Folder for the files the demo writes (default .demo)");
  demo->add_option("--persons", persons, "People per service (default 1500)")
      ->check(CLI::Range(50, 200000));
  demo->add_option("--applicants", applicants, "Accreditation applicants (default 2000)")
      ->check(CLI::Range(100, 1000000));
  demo->callback([&ctx] {
    demo::DemoOptions options;
    options.workdir = workdir;
    options.db_target = ctx.db_target;
    options.sample.persons_per_service = persons;
    options.sample.applicants = applicants;
    options.user = ctx.user;
    Status s = demo::RunDemo(options);
    if (!s.ok()) ctx.exit_code = ReportError(s);
  });
}

}  // namespace entente::cli
