// The server's own routes. Each Mount* adds its routes to the router; the server calls them
// all through MountAllRoutes (api/mount_all.h).
#pragma once

#include <string>

#include "auth/user_store.h"
#include "common/status.h"
#include "http/router.h"
#include "http/server_config.h"

namespace entente::server {

class MatchService;
class ImportJobs;

class DbPool;

struct BuiltinDeps {
  const Router* router = nullptr;  // for the OpenAPI document
  const ServerConfig* config = nullptr;
  const TokenKey* token_key = nullptr;
  MatchService* match = nullptr;
  ImportJobs* imports = nullptr;
  DbPool* pool = nullptr;  // the store, for state every server shares (the sign-in throttle)
};

Status MountSystemRoutes(Router& router, const BuiltinDeps& deps);       // health, openapi
Status MountEntityRoutes(Router& router, const BuiltinDeps& deps);       // entities, stats
Status MountUserRoutes(Router& router, const BuiltinDeps& deps);         // users, tokens
Status MountAuditRoutes(Router& router, const BuiltinDeps& deps);        // audit trail
Status MountMatchRoutes(Router& router, const BuiltinDeps& deps);        // match
Status MountImportRoutes(Router& router, const BuiltinDeps& deps);       // imports
Status MountSessionRoutes(Router& router, const BuiltinDeps& deps);      // browser sign-in
Status MountYenteRoutes(Router& router, const BuiltinDeps& deps);        // POST /match/{dataset}
Status MountReconcileRoutes(Router& router, const BuiltinDeps& deps);    // /reconcile (W3C)
Status MountExchangeRoutes(Router& router, const BuiltinDeps& deps);     // agreements, sync
Status MountHitNoHitAskRoutes(Router& router, const BuiltinDeps& deps);  // ask, outgoing

// The OpenAPI 3 document of every route in `router`.
std::string BuildOpenApiDocument(const Router& router, const std::string& server_url);

}  // namespace entente::server
