// The `entente` command: a thin shell over the entente libraries. Each subsystem registers its
// commands; this file parses the global flags and maps errors to exit codes.
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>

#include "cli/cli_context.h"

int main(int argc, char** argv) {
  using namespace entente::cli;
  CLI::App app{"entente: intelligence exchange, screening and risk assessment between services"};
  app.require_subcommand(1);
  app.set_help_all_flag("--help-all", "Show help for every command");
  CliContext ctx;
  const char* env_db = std::getenv("ENTENTE_DB");
  ctx.db_target = env_db && *env_db ? env_db : "entente.db";
  const char* env_user = std::getenv("ENTENTE_USER");
  const char* unix_user = std::getenv("USER");
  ctx.user = env_user && *env_user ? env_user : (unix_user && *unix_user ? unix_user : "local");
  const char* env_service = std::getenv("ENTENTE_SERVICE");
  ctx.service = env_service && *env_service ? env_service : "local";
  app.add_option(
      "--db", ctx.db_target,
      "Store: a SQLite file (default $ENTENTE_DB or ./entente.db) or a postgresql:// URI");
  app.add_option("--user", ctx.user,
                 "Who is acting, for the audit trail (default $ENTENTE_USER or $USER)");
  app.add_option("--service", ctx.service,
                 "This node's service name (default $ENTENTE_SERVICE or 'local')");

  RegisterStoreCommands(app, ctx);
  RegisterIngestCommands(app, ctx);
  RegisterMatchCommands(app, ctx);
  RegisterScreenCommands(app, ctx);
  RegisterGraphCommands(app, ctx);
  RegisterRiskCommands(app, ctx);
  RegisterExchangeCommands(app, ctx);
  RegisterServerCommands(app, ctx);
  RegisterHitNoHitCommands(app, ctx);
  RegisterDemoCommand(app, ctx);
  RegisterWorkerCommand(app, ctx);
  RegisterMigrateCommand(app, ctx);

  // "entente NO-SUCH-COMMAND --help" must name the unknown command, not print the main help
  // and succeed: the first word that is not a global option must be a command.
  for (int arg_idx = 1; arg_idx < argc; ++arg_idx) {
    std::string_view arg = argv[arg_idx];
    if (arg == "--db" || arg == "--user" || arg == "--service") {
      ++arg_idx;  // the option's value
      continue;
    }
    if (arg.starts_with("-")) continue;
    bool known = true;
    try {
      (void)app.get_subcommand(std::string(arg));
    } catch (const CLI::OptionNotFound&) {
      known = false;
    }
    if (!known) {
      std::fprintf(stderr, "error: unknown command '%s' (entente --help lists the commands)\n",
                   argv[arg_idx]);
      return 2;
    }
    break;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
  return ctx.exit_code;
}
