// The TAXII 2.1 server inside `entente serve`, mounted through the server's route API
// (api/mount_all.cc calls MountHttpRoutes). Endpoints, all under /taxii2; {root} is an API
// root (exchange/taxii_roots.h: `entente` by default, more with `entente taxii roots add`):
//
//   GET    /taxii2/                                              discovery (every API root)
//   GET    /taxii2/{root}/                                       API root
//   GET    /taxii2/{root}/collections/                           the caller's collections of
//                                                                this root
//   GET    /taxii2/{root}/collections/{id}/                      one collection
//   GET    /taxii2/{root}/collections/{id}/objects/              envelope; match[id|type|version|
//                                                                spec_version], added_after,
//                                                                limit, next
//   POST   /taxii2/{root}/collections/{id}/objects/              envelope in, status out (202)
//   GET    /taxii2/{root}/collections/{id}/objects/{object}/     one object's versions (envelope)
//   DELETE /taxii2/{root}/collections/{id}/objects/{object}/     writable collections; one
//                                                                version with match[version]
//   GET    /taxii2/{root}/collections/{id}/objects/{object}/versions/
//   GET    /taxii2/{root}/collections/{id}/manifest/
//   GET    /taxii2/{root}/status/{id}/
//   any other path or method under /taxii2                       a TAXII error (404 / 405)
//
// An unknown root answers a 404 TAXII error on every path under it; a collection asked under
// a root it does not belong to is unknown there (404), and so is a status resource.
//
// Authentication: HTTP Basic (user name and API token), bearer tokens, or a client certificate
// mapped to a partner (mutual TLS); the server checks them before a handler runs. Which
// collections a caller sees, reads and writes: taxii_routes_access.h (agreement collections and
// configured ones with grants); what it is served inside them is cut to its clearance.
// Unsigned objects posted by an authenticated client are stored and marked unsigned
// (exchange/receive.h). Responses are application/taxii+json;version=2.1; every error is a
// TAXII error message with the HTTP status. Every read of a collection and every POST is
// audited.
//
// Thread-safety: handlers run concurrently, each on its own database connection.
#pragma once

#include "common/status.h"
#include "exchange/wire.h"
#include "http/router.h"

namespace entente::exchange {

Status MountHttpRoutes(entente::server::Router& router);

}  // namespace entente::exchange
