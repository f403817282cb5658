// Commands of src/graph. Owned by the graph subsystem.
#include "cli/cli_context.h"

namespace entente::cli {

void RegisterGraphCommands(CLI::App& app, CliContext& ctx) {}

}  // namespace entente::cli
