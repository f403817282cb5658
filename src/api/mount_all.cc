#include "api/mount_all.h"

#include "api/graph_routes.h"
#include "api/risk_routes.h"
#include "api/screen_routes.h"
#include "api/taxii_routes.h"

namespace entente::server {

Status MountAllRoutes(Router& router, const BuiltinDeps& deps) {
  ENTENTE_RETURN_IF_ERROR(MountSystemRoutes(router, deps).WithContext("system routes"));
  ENTENTE_RETURN_IF_ERROR(MountEntityRoutes(router, deps).WithContext("entity routes"));
  ENTENTE_RETURN_IF_ERROR(MountUserRoutes(router, deps).WithContext("user routes"));
  ENTENTE_RETURN_IF_ERROR(MountAuditRoutes(router, deps).WithContext("audit routes"));
  ENTENTE_RETURN_IF_ERROR(MountMatchRoutes(router, deps).WithContext("match routes"));
  ENTENTE_RETURN_IF_ERROR(MountImportRoutes(router, deps).WithContext("import routes"));
  ENTENTE_RETURN_IF_ERROR(MountSessionRoutes(router, deps).WithContext("session routes"));
  ENTENTE_RETURN_IF_ERROR(MountYenteRoutes(router, deps).WithContext("yente routes"));
  ENTENTE_RETURN_IF_ERROR(MountReconcileRoutes(router, deps).WithContext("reconcile routes"));
  ENTENTE_RETURN_IF_ERROR(MountExchangeRoutes(router, deps).WithContext("exchange page routes"));
  ENTENTE_RETURN_IF_ERROR(MountHitNoHitAskRoutes(router, deps).WithContext("hit/no-hit asking"));
  ENTENTE_RETURN_IF_ERROR(entente::screen::MountHttpRoutes(router).WithContext("screen routes"));
  ENTENTE_RETURN_IF_ERROR(
      entente::exchange::MountHttpRoutes(router).WithContext("exchange routes"));
  ENTENTE_RETURN_IF_ERROR(entente::risk::MountHttpRoutes(router).WithContext("risk routes"));
  return entente::graph::MountHttpRoutes(router).WithContext("graph routes");
}

}  // namespace entente::server
