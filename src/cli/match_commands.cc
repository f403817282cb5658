// Commands of src/match. Owned by the match subsystem.
#include "cli/cli_context.h"

namespace entente::cli {

void RegisterMatchCommands(CLI::App& app, CliContext& ctx) {}

}  // namespace entente::cli
