// Commands of src/ingest. Owned by the ingest subsystem.
#include "cli/cli_context.h"

namespace entente::cli {

void RegisterIngestCommands(CLI::App& app, CliContext& ctx) {}

}  // namespace entente::cli
