#include "auth/roles.h"

namespace entente::server {

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kAnalyst:
      return "analyst";
    case Role::kScreeningOfficer:
      return "screening-officer";
    case Role::kLiaison:
      return "liaison";
    case Role::kAdmin:
      return "admin";
    case Role::kAuditor:
      return "auditor";
    case Role::kPartner:
      return "partner";
  }
  return "unknown";
}

std::optional<Role> ParseRole(std::string_view text) {
  for (Role role : AllRoles()) {
    if (RoleName(role) == text) return role;
  }
  return std::nullopt;
}

std::vector<Role> AllRoles() {
  return {Role::kAnalyst, Role::kScreeningOfficer, Role::kLiaison,
          Role::kAdmin,   Role::kAuditor,          Role::kPartner};
}

std::string_view PermissionName(Permission permission) {
  switch (permission) {
    case Permission::kPublic:
      return "public";
    case Permission::kStatsRead:
      return "stats.read";
    case Permission::kRecordsRead:
      return "records.read";
    case Permission::kRecordsWrite:
      return "records.write";
    case Permission::kImport:
      return "import";
    case Permission::kMatch:
      return "match";
    case Permission::kScreenRun:
      return "screen.run";
    case Permission::kScreenDecide:
      return "screen.decide";
    case Permission::kExchange:
      return "exchange";
    case Permission::kPartnerAccess:
      return "partner.access";
    case Permission::kCollectionAccess:
      return "collections.access";
    case Permission::kUsersManage:
      return "users.manage";
    case Permission::kPartnersManage:
      return "partners.manage";
    case Permission::kAuditRead:
      return "audit.read";
    case Permission::kDeclassify:
      return "declassify";
  }
  return "unknown";
}

std::vector<Permission> AllPermissions() {
  return {Permission::kPublic,         Permission::kStatsRead,        Permission::kRecordsRead,
          Permission::kRecordsWrite,   Permission::kImport,           Permission::kMatch,
          Permission::kScreenRun,      Permission::kScreenDecide,     Permission::kExchange,
          Permission::kPartnerAccess,  Permission::kCollectionAccess, Permission::kUsersManage,
          Permission::kPartnersManage, Permission::kAuditRead,        Permission::kDeclassify};
}

bool RoleHasPermission(Role role, Permission permission) {
  using P = Permission;
  if (permission == P::kPublic) return true;
  switch (role) {
    case Role::kAnalyst:
      return permission == P::kStatsRead || permission == P::kRecordsRead ||
             permission == P::kRecordsWrite || permission == P::kImport ||
             permission == P::kMatch || permission == P::kCollectionAccess;
    case Role::kScreeningOfficer:
      return permission == P::kStatsRead || permission == P::kRecordsRead ||
             permission == P::kMatch || permission == P::kScreenRun ||
             permission == P::kScreenDecide || permission == P::kCollectionAccess;
    case Role::kLiaison:
      return permission == P::kStatsRead || permission == P::kRecordsRead ||
             permission == P::kMatch || permission == P::kExchange ||
             permission == P::kCollectionAccess;
    case Role::kAdmin:
      // Separation of duties: the administrator manages accounts and partners but reads no
      // intelligence and cannot read (so cannot quietly inspect) the audit trail.
      return permission == P::kStatsRead || permission == P::kUsersManage ||
             permission == P::kPartnersManage;
    case Role::kAuditor:
      return permission == P::kStatsRead || permission == P::kAuditRead;
    case Role::kPartner:
      return permission == P::kPartnerAccess || permission == P::kCollectionAccess;
  }
  return false;
}

}  // namespace entente::server
