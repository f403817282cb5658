// yente's data routes beside its matching API (yente_routes.cc), so a tool written for yente
// finds the rest of what it expects:
//
//   GET /search/{dataset}?q=...&schema=Person&countries=ma&limit=10&offset=0
//       -> {"results": [entity...], "facets": {"countries": ..., "topics": ..., "datasets":
//           ...}, "total": {"value": n, "relation": "eq"|"gte"}, "limit": 10, "offset": 0}
//   GET /entities/{id}  -> one entity {"id", "caption", "schema", "properties", "datasets",
//                          "referents", "target", "first_seen", "last_seen", "last_change"}
//   GET /catalog        -> {"datasets": [{"name": "default", ...}], "current": ["default"],
//                          "outdated": [], "index_stale": false}
//
// Everything goes through the caller's ScopedStore (auth/policy.h): a record the caller may
// not read never appears in a result, a count or a facet, and /entities/{id} answers an
// unreadable id exactly as a missing one (404, the same body).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "api/builtin_routes.h"
#include "common/status.h"
#include "http/route.h"
#include "http/router.h"
#include "model/entity.h"

namespace entente::server {

// yente's error body {"detail": "..."}, with entente's error object beside it (the error
// formatter of every yente route).
HttpResponse YenteError(int status, std::string_view code, std::string_view message,
                        std::string_view field);

// The entity in yente's EntityResponse shape (no score: /match adds its own fields).
nlohmann::json YenteEntityJson(const Entity& entity, const std::string& dataset);

// GET /search/{dataset}, GET /entities/{id}, GET /catalog.
Status MountYenteDataRoutes(Router& router, const BuiltinDeps& deps);

}  // namespace entente::server
