// Who may read and who may write a configured TAXII collection: the policy decision for
// collections, beside the record policy of auth/policy.h (which still decides what a reader
// may see inside a collection: TAXII never serves an object above the reader's clearance).
//
// A collection carries grants; a grant names a user ("user:ana", or the partner name a client
// certificate maps to) or a role ("role:partner") and gives read, write or both. A principal's
// rights are the union of the grants that name it; no grant, no access (and the collection is
// not even listed for it).
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "auth/principal.h"
#include "common/status.h"

namespace entente::server {

struct CollectionGrant {
  enum class Kind { kUser, kRole };
  Kind kind = Kind::kUser;
  std::string grantee;  // a user name, or a role name (auth/roles.h)
  bool can_read = false;
  bool can_write = false;
};

struct CollectionRights {
  bool can_read = false;
  bool can_write = false;
  bool visible() const { return can_read || can_write; }
};

// The union of the grants naming `principal` (none for an unauthenticated one).
CollectionRights DecideCollectionAccess(const Principal& principal,
                                        const std::vector<CollectionGrant>& grants);

// Parses "user:NAME" or "role:ROLE" and an access word ("read", "write", "read-write",
// "none"). InvalidArgument naming the text and what was expected.
Result<CollectionGrant> ParseCollectionGrant(std::string_view grantee, std::string_view access);

// "user:ana" / "role:partner"; "read", "write", "read-write" or "none".
std::string GranteeText(const CollectionGrant& grant);
std::string AccessText(const CollectionGrant& grant);

}  // namespace entente::server
