// Calls the route mounts of the subsystems whose src/<sub>/http_routes.h exists; the
// ENTENTE_HAVE_<SUB>_ROUTES definitions come from src/server/CMakeLists.txt.
#include "server/module_routes.h"

#if defined(ENTENTE_HAVE_SCREEN_ROUTES)
#include "screen/http_routes.h"
#endif
#if defined(ENTENTE_HAVE_EXCHANGE_ROUTES)
#include "exchange/http_routes.h"
#endif
#if defined(ENTENTE_HAVE_RISK_ROUTES)
#include "risk/http_routes.h"
#endif
#if defined(ENTENTE_HAVE_GRAPH_ROUTES)
#include "graph/http_routes.h"
#endif

namespace entente::server {

Status MountModuleRoutes(Router& router) {
#if defined(ENTENTE_HAVE_SCREEN_ROUTES)
  ENTENTE_RETURN_IF_ERROR(entente::screen::MountHttpRoutes(router).WithContext("screen routes"));
#endif
#if defined(ENTENTE_HAVE_EXCHANGE_ROUTES)
  ENTENTE_RETURN_IF_ERROR(
      entente::exchange::MountHttpRoutes(router).WithContext("exchange routes"));
#endif
#if defined(ENTENTE_HAVE_RISK_ROUTES)
  ENTENTE_RETURN_IF_ERROR(entente::risk::MountHttpRoutes(router).WithContext("risk routes"));
#endif
#if defined(ENTENTE_HAVE_GRAPH_ROUTES)
  ENTENTE_RETURN_IF_ERROR(entente::graph::MountHttpRoutes(router).WithContext("graph routes"));
#endif
  (void)router;
  return Status::Ok();
}

}  // namespace entente::server
