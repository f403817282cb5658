// Who may do what on the entente server: the roles a user holds, the permissions a route
// requires, and the one table (RoleHasPermission) that joins them. docs/SECURITY.md prints the
// same matrix; tests/server/role_matrix_test.cc calls every route with every role against it.
//
// Thread-safety: pure functions over constant tables.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace entente::server {

// A user's role. `kPartner` is the machine account of a partner service's node (TAXII,
// hit/no-hit); partners connecting with a client certificate get it too.
enum class Role { kAnalyst, kScreeningOfficer, kLiaison, kAdmin, kAuditor, kPartner };

// "analyst", "screening-officer", "liaison", "admin", "auditor", "partner".
std::string_view RoleName(Role role);
std::optional<Role> ParseRole(std::string_view text);
std::vector<Role> AllRoles();

// What a route requires. kPublic routes need no credentials at all.
enum class Permission {
  kPublic,            // openapi document, health
  kStatsRead,         // store statistics
  kRecordsRead,       // get an entity, its history, search names
  kRecordsWrite,      // create / update entities
  kImport,            // upload a file for import
  kMatch,             // POST /match
  kScreenRun,         // screening lists and jobs, hits
  kScreenDecide,      // decisions on hits
  kExchange,          // partner sync, hit/no-hit questions, follow-up approvals
  kPartnerAccess,     // what a partner node may call (hit/no-hit answers)
  kCollectionAccess,  // reach the TAXII server; each collection's grants then decide
                      // (auth/collection_access.h), bounded by clearance and service
  kUsersManage,       // users, tokens
  kPartnersManage,    // agreements, partner certificates
  kAuditRead,         // read and verify the audit trail
  kDeclassify,        // lower a record's marking (no role holds it: an operator act, CLI only)
};

std::string_view PermissionName(Permission permission);
std::vector<Permission> AllPermissions();

// The role matrix. kPublic is granted to every role (and to anonymous callers).
bool RoleHasPermission(Role role, Permission permission);

}  // namespace entente::server
