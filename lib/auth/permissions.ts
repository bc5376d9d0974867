import type { RoleName } from "../schemas/workspaces";

// One table serves the server guard and the UI (which hides what a role may not do).
export const PERMISSIONS = {
  "workspace.read": ["ADMIN", "BUILDER", "MEMBER"],
  "workspace.update": ["ADMIN"],
  "workspace.delete": ["ADMIN"],
  "members.read": ["ADMIN", "BUILDER"],
  "members.manage": ["ADMIN"],
  "audit.read": ["ADMIN"],
  "integrations.manage": ["ADMIN", "BUILDER"],
  "models.read": ["ADMIN", "BUILDER"],
  "models.manage": ["ADMIN"],
  "usage.read": ["ADMIN", "BUILDER"],
} as const satisfies Record<string, readonly RoleName[]>;

export type Permission = keyof typeof PERMISSIONS;

/** Instance-wide operations: the instance admin (and admin tokens) only. */
export type InstancePermission = "workspaces.create" | "tokens.manage" | "config.apply" | "config.export" | "audit.readAll";

export function roleAllows(role: RoleName | null | undefined, permission: Permission): boolean {
  return !!role && (PERMISSIONS[permission] as readonly RoleName[]).includes(role);
}

export const ROLE_LABELS: Record<RoleName, string> = { ADMIN: "Admin", BUILDER: "Builder", MEMBER: "Member" };
