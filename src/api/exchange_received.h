// The exchange page's routes for collections and received records (liaison officers):
//
//   GET /api/v1/exchange/collections        the TAXII collections this node serves: id, title,
//                                           agreement, who may read and write, and how many of
//                                           their records the caller may read
//   GET /api/v1/exchange/received           records received from partners, newest first, with
//                                           their provenance (partner, collection, received at,
//                                           signature: verified / unsigned / failed), filtered
//                                           and paged by an opaque cursor
//   GET /api/v1/exchange/received/{id}      one received record with its provenance chain
//   GET /api/v1/exchange/keys               (admin) partners' signing keys and certificates,
//                                           and this node's
//
// Everything is filtered through ctx.records (the policy): a record the caller may not read is
// neither listed nor counted, and a refused object whose id names such a record is left out.
#pragma once

#include <string>

#include "common/status.h"
#include "http/router.h"
#include "http/server_config.h"

namespace entente::server {

Status MountExchangeReceivedRoutes(Router& router);    // received, received/{id}

// Whether a refused object's id names a record the caller may not read: such a refusal is left
// out of every list (its id alone would tell that the record exists).
bool RefusalNamesHiddenRecord(RequestContext& ctx, const std::string& object_id);
Status MountExchangeCollectionRoutes(Router& router);  // collections
// keys (admin): api/exchange_keys_routes.cc; `config` may be null (no certificates shown).
Status MountExchangeKeyRoutes(Router& router, const ServerConfig* config);

}  // namespace entente::server
