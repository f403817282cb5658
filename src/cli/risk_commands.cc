// Commands of src/risk. Owned by the risk subsystem.
#include "cli/cli_context.h"

namespace entente::cli {

void RegisterRiskCommands(CLI::App& app, CliContext& ctx) {}

}  // namespace entente::cli
