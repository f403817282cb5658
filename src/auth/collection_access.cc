#include "auth/collection_access.h"

#include "auth/roles.h"

namespace entente::server {
namespace {

bool Names(const CollectionGrant& grant, const Principal& principal) {
  if (grant.kind == CollectionGrant::Kind::kRole) return grant.grantee == RoleName(principal.role);
  return grant.grantee == principal.user ||
         (!principal.partner.empty() && grant.grantee == principal.partner);
}

bool ValidUserName(std::string_view name) {
  if (name.empty() || name.size() > 128) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
              c == '-' || c == '@';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

CollectionRights DecideCollectionAccess(const Principal& principal,
                                        const std::vector<CollectionGrant>& grants) {
  CollectionRights rights;
  if (!principal.authenticated) return rights;
  for (const CollectionGrant& grant : grants) {
    if (!Names(grant, principal)) continue;
    rights.can_read |= grant.can_read;
    rights.can_write |= grant.can_write;
  }
  return rights;
}

Result<CollectionGrant> ParseCollectionGrant(std::string_view grantee, std::string_view access) {
  CollectionGrant grant;
  size_t colon = grantee.find(':');
  std::string_view kind = colon == std::string_view::npos ? "" : grantee.substr(0, colon);
  std::string_view name = colon == std::string_view::npos ? "" : grantee.substr(colon + 1);
  if (kind == "user") {
    if (!ValidUserName(name))
      return InvalidArgument("grantee \"" + std::string(grantee) +
                             "\": a user name is [a-z0-9._@-], 1 to 128 characters");
    grant.kind = CollectionGrant::Kind::kUser;
  } else if (kind == "role") {
    if (!ParseRole(name))
      return InvalidArgument("grantee \"" + std::string(grantee) +
                             "\": unknown role (analyst, screening-officer, liaison, admin, "
                             "auditor, partner)");
    grant.kind = CollectionGrant::Kind::kRole;
  } else {
    return InvalidArgument("grantee \"" + std::string(grantee) +
                           "\": expected user:NAME or role:ROLE");
  }
  grant.grantee = std::string(name);
  if (access == "read") {
    grant.can_read = true;
  } else if (access == "write") {
    grant.can_write = true;
  } else if (access == "read-write") {
    grant.can_read = grant.can_write = true;
  } else if (access != "none") {
    return InvalidArgument("access \"" + std::string(access) +
                           "\": expected read, write, read-write or none");
  }
  return grant;
}

std::string GranteeText(const CollectionGrant& grant) {
  return (grant.kind == CollectionGrant::Kind::kRole ? "role:" : "user:") + grant.grantee;
}

std::string AccessText(const CollectionGrant& grant) {
  if (grant.can_read && grant.can_write) return "read-write";
  if (grant.can_read) return "read";
  if (grant.can_write) return "write";
  return "none";
}

}  // namespace entente::server
