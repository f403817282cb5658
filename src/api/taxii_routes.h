// The TAXII 2.1 server inside `entente serve`, mounted through the server's route API
// (api/mount_all.cc calls MountHttpRoutes). Endpoints, all under /taxii2:
//
//   GET    /taxii2/                                              discovery
//   GET    /taxii2/entente/                                      API root
//   GET    /taxii2/entente/collections/                          the caller's collections
//   GET    /taxii2/entente/collections/{id}/                     one collection
//   GET    /taxii2/entente/collections/{id}/objects/             envelope; match[id|type|version|
//                                                                spec_version], added_after,
//                                                                limit, next
//   POST   /taxii2/entente/collections/{id}/objects/             envelope in, status out (202)
//   GET    /taxii2/entente/collections/{id}/objects/{object}/    one object's versions (envelope)
//   DELETE /taxii2/entente/collections/{id}/objects/{object}/    inbound collections only
//   GET    /taxii2/entente/collections/{id}/objects/{object}/versions/
//   GET    /taxii2/entente/collections/{id}/manifest/
//   GET    /taxii2/entente/status/{id}/
//
// Authentication: HTTP Basic (user name and API token), bearer tokens, or a client certificate
// mapped to a partner (mutual TLS); the server checks them before a handler runs. A caller
// sees only the collections of the agreement it acts for (403 otherwise). Responses are
// application/taxii+json;version=2.1; errors are TAXII error messages with the HTTP status.
// Every read of a collection and every POST is audited.
//
// Thread-safety: handlers run concurrently, each on its own database connection.
#pragma once

#include "common/status.h"
#include "exchange/wire.h"
#include "http/router.h"

namespace entente::exchange {

Status MountHttpRoutes(entente::server::Router& router);

}  // namespace entente::exchange
