// The optional services of the W3C reconciliation API (v0.2) that the /reconcile manifest
// advertises beside matching (reconcile_routes.cc), so OpenRefine offers them:
//
//   suggest  GET /reconcile/suggest/entity?prefix=Kar   -> {"result": [{"id", "name",
//                                                          "description", "notable": [...]}]}
//            GET /reconcile/suggest/type?prefix=Per     -> Person / Organization
//            GET /reconcile/suggest/property?prefix=bi  -> birthDate, birthPlace
//   extend   GET /reconcile/extend/propose?type=Person  -> {"type", "properties": [{"id",
//                                                          "name"}]}
//            POST /reconcile  extend={"ids": [...], "properties": [{"id": "birthDate"}]}
//              -> {"meta": [{"id", "name"}], "rows": {"<id>": {"birthDate": [{"str": ...}]}}}
//
// Records come only through the caller's ScopedStore (auth/policy.h): a suggestion never
// names a record the caller may not read, and an extension row for an unreadable id is the
// same as for a missing one (every property empty).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "api/builtin_routes.h"
#include "common/status.h"
#include "http/route.h"
#include "http/router.h"

namespace entente::server {

// The manifest's "suggest" and "extend" members, with service URLs on the request's host.
nlohmann::json ReconcileServiceManifest(const RequestContext& ctx);

// A data extension request (the `extend` parameter's JSON text) answered. InvalidArgument
// naming the field ("field extend.ids: ...") on bad input.
Result<nlohmann::json> ExtendRows(RequestContext& ctx, const std::string& extend_text);

// GET /reconcile/suggest/{entity,type,property} and GET /reconcile/extend/propose.
Status MountReconcileServiceRoutes(Router& router, const BuiltinDeps& deps);

}  // namespace entente::server
