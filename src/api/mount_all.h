// Every route of `entente serve`, mounted in one place. src/server calls MountAllRoutes once at
// start-up; a new group of routes is one more line in mount_all.cc (and its own
// <group>_routes.cc in this folder).
//
// Thread-safety: call before the server starts; the router is read-only afterwards.
#pragma once

#include "api/builtin_routes.h"
#include "common/status.h"
#include "http/router.h"

namespace entente::server {

// Mounts the system, entity, user, audit, match, import, session, screening, TAXII and hit/no-hit,
// risk and graph routes. Errors: the first failing group's, prefixed with its name.
Status MountAllRoutes(Router& router, const BuiltinDeps& deps);

}  // namespace entente::server
