// `entente demo`: builds its own sample data and walks through the capabilities.
#include "cli/cli_context.h"

namespace entente::cli {

void RegisterDemoCommand(CLI::App& app, CliContext& ctx) {}

}  // namespace entente::cli
