// Commands of src/exchange. Owned by the exchange subsystem.
#include "cli/cli_context.h"

namespace entente::cli {

void RegisterExchangeCommands(CLI::App& app, CliContext& ctx) {}

}  // namespace entente::cli
