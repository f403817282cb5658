// The TAXII API roots this node serves (`entente taxii roots add/list`). Every node has the
// default root, `entente` (/taxii2/entente/): the agreement collections live there, and so
// does every configured collection added without --root, so existing partners and agreements
// see nothing change. A node may add more roots, for instance one per community it serves;
// each configured collection belongs to exactly one root (taxii_collections.h), discovery lists
// every root, and a root's /collections/ lists only its own.
//
// A root's name is its URL segment (/taxii2/<name>/): 1 to 64 characters of [a-z0-9._-],
// starting with a letter or digit.
//
// Table (migration component "exchange", step 3): taxii_api_roots. The default root is not
// stored: it always exists.
//
// Thread-safety: functions over the Database passed in; one thread per connection.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "store/database.h"

namespace entente::exchange {

inline constexpr char kDefaultApiRoot[] = "entente";

struct ApiRoot {
  std::string name;  // the URL segment
  std::string title;
  std::string description;
};

// "/taxii2/<name>/", as discovery lists it.
std::string ApiRootPath(std::string_view name);

// InvalidArgument naming the name and the rule when it is not a valid root name.
Status CheckApiRootName(std::string_view name);

// Adds a root. InvalidArgument for a bad name or an empty title; Conflict for a taken name
// (the default one included).
Status AddApiRoot(Database& db, const ApiRoot& root);
// The default root first, then the added ones in the order they were added.
Result<std::vector<ApiRoot>> ListApiRoots(Database& db);
// NotFound ("no API root NAME") for a root this node does not serve.
Result<ApiRoot> GetApiRoot(Database& db, std::string_view name);

}  // namespace entente::exchange
