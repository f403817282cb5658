// The risk HTTP API, mounted by the server (api/mount_all.cc):
//
//   GET /api/v1/risk/entities/{id}       one person's assessment (risk_views.h JSON)
//   GET /api/v1/risk/lists/{name}?top=N  a screened list's rows ranked by risk
//
// Rules: $ENTENTE_RISK_RULES when set, else the built-in defaults. Records the caller may not
// read appear as restricted evidence; an entity the caller may not read is 404. Audited.
#pragma once

#include "common/status.h"
#include "http/router.h"

namespace entente::risk {

Status MountHttpRoutes(entente::server::Router& router);

}  // namespace entente::risk
