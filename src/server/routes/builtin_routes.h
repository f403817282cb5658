// The server's own routes. Each Mount* adds its routes to the router; the server calls them
// all from Start(). Routes of other subsystems come from server/module_routes.h.
#pragma once

#include <string>

#include "common/status.h"
#include "server/auth/user_store.h"
#include "server/core/router.h"
#include "server/server_config.h"

namespace entente::server {

class MatchService;
class ImportJobs;

struct BuiltinDeps {
  const Router* router = nullptr;  // for the OpenAPI document
  const ServerConfig* config = nullptr;
  const TokenKey* token_key = nullptr;
  MatchService* match = nullptr;
  ImportJobs* imports = nullptr;
};

Status MountSystemRoutes(Router& router, const BuiltinDeps& deps);  // health, openapi
Status MountEntityRoutes(Router& router, const BuiltinDeps& deps);  // entities, stats
Status MountUserRoutes(Router& router, const BuiltinDeps& deps);    // users, tokens
Status MountAuditRoutes(Router& router, const BuiltinDeps& deps);   // audit trail
Status MountMatchRoutes(Router& router, const BuiltinDeps& deps);   // match
Status MountImportRoutes(Router& router, const BuiltinDeps& deps);  // imports

// The OpenAPI 3 document of every route in `router`.
std::string BuildOpenApiDocument(const Router& router, const std::string& server_url);

inline Status MountBuiltinRoutes(Router& router, const BuiltinDeps& deps) {
  ENTENTE_RETURN_IF_ERROR(MountSystemRoutes(router, deps));
  ENTENTE_RETURN_IF_ERROR(MountEntityRoutes(router, deps));
  ENTENTE_RETURN_IF_ERROR(MountUserRoutes(router, deps));
  ENTENTE_RETURN_IF_ERROR(MountAuditRoutes(router, deps));
  ENTENTE_RETURN_IF_ERROR(MountMatchRoutes(router, deps));
  return MountImportRoutes(router, deps);
}

}  // namespace entente::server
