// Commands of src/server. Owned by the server subsystem.
#include "cli/cli_context.h"

namespace entente::cli {

void RegisterServerCommands(CLI::App& app, CliContext& ctx) {}

}  // namespace entente::cli
