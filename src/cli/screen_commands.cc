// Commands of src/screen. Owned by the screen subsystem.
#include "cli/cli_context.h"

namespace entente::cli {

void RegisterScreenCommands(CLI::App& app, CliContext& ctx) {}

}  // namespace entente::cli
