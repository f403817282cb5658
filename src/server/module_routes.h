// Routes of other subsystems. A subsystem that wants endpoints on `entente serve` adds
//
//   src/<sub>/http_routes.h:
//     #include "server/core/router.h"
//     namespace entente::<sub> {
//     Status MountHttpRoutes(entente::server::Router& router);
//     }
//
// and links entente_server_core (src/<sub>/CMakeLists.txt). The build notices the header
// (src/server/CMakeLists.txt) and MountModuleRoutes() calls it; nothing in src/server needs
// editing. Subsystems known today: screen, exchange, risk, graph.
#pragma once

#include "common/status.h"
#include "server/core/router.h"

namespace entente::server {

// Calls each present subsystem's MountHttpRoutes. Errors: the first one's, prefixed with
// the subsystem's name.
Status MountModuleRoutes(Router& router);

}  // namespace entente::server
