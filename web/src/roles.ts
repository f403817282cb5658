// What each role may do, as in src/server/core/roles.cc. Used only to hide controls a role
// may not use; the server still decides and refuses.
import type { Role } from './api/types';

export type Permission =
  | 'stats.read'
  | 'records.read'
  | 'records.write'
  | 'import'
  | 'match'
  | 'screen.run'
  | 'screen.decide'
  | 'exchange'
  | 'users.manage'
  | 'partners.manage'
  | 'audit.read';

const TABLE: Record<Role, Permission[]> = {
  analyst: ['stats.read', 'records.read', 'records.write', 'import', 'match'],
  'screening-officer': ['stats.read', 'records.read', 'match', 'screen.run', 'screen.decide'],
  liaison: ['stats.read', 'records.read', 'match', 'exchange'],
  admin: ['stats.read', 'users.manage', 'partners.manage'],
  auditor: ['stats.read', 'audit.read'],
  partner: [],
};

export function may(role: Role | undefined, permission: Permission): boolean {
  return !!role && (TABLE[role] ?? []).includes(permission);
}

export const TLP_ORDER = ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'] as const;
export const ROLES: Role[] = ['analyst', 'screening-officer', 'liaison', 'admin', 'auditor', 'partner'];
