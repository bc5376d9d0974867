import type { RoleName } from "../schemas/workspaces";

// One table serves the server guard and the UI (which hides what a role may not do).
export const PERMISSIONS = {
  "workspace.read": ["ADMIN", "BUILDER", "MEMBER"],
  "workspace.update": ["ADMIN"],
  "workspace.delete": ["ADMIN"],
  "members.read": ["ADMIN", "BUILDER"],
  "members.manage": ["ADMIN"],
  "credentials.manage": ["ADMIN"],
  "audit.read": ["ADMIN"],
  "integrations.manage": ["ADMIN", "BUILDER"],
  "models.read": ["ADMIN", "BUILDER"],
  "models.manage": ["ADMIN"],
  "usage.read": ["ADMIN", "BUILDER"],
  // Usage records the database refused, kept whole: Admins only, like the audit log.
  "usage.deadLetters.read": ["ADMIN"],
  "integrations.read": ["ADMIN", "BUILDER"],
  // A person's own OAuth connections (end user id = their email): connect, see and disconnect their own account
  // on the public connectors that act on an end user's behalf (oauth-user, hybrid). Nothing else of a connector.
  "connections.own": ["ADMIN", "BUILDER", "MEMBER"],
  "platforms.read": ["ADMIN"],
  "deployments.read": ["ADMIN"],
  "catalog.read": ["ADMIN", "BUILDER", "MEMBER"],
  "gatewayKeys.read": ["ADMIN", "BUILDER"],
  "gatewayKeys.manage": ["ADMIN"],
  "budgets.read": ["ADMIN", "BUILDER"],
  "budgets.manage": ["ADMIN"],
} as const satisfies Record<string, readonly RoleName[]>;

export type Permission = keyof typeof PERMISSIONS;

/** Instance-wide operations: the instance admin (and admin tokens) only. */
export type InstancePermission =
  | "workspaces.create"
  | "tokens.manage"
  | "config.apply"
  | "config.export"
  | "audit.readAll"
  // The model registry (platforms, deployments, models) is shared by every workspace, so only instance admins
  // change it; workspace Admins and Builders read it.
  | "registry.manage"
  // The central repository of API providers is platform-wide: polling its remote catalog on demand.
  | "catalog.manage";

export function roleAllows(role: RoleName | null | undefined, permission: Permission): boolean {
  return !!role && (PERMISSIONS[permission] as readonly RoleName[]).includes(role);
}

export const ROLE_LABELS: Record<RoleName, string> = { ADMIN: "Admin", BUILDER: "Builder", MEMBER: "Member" };

/**
 * Who may open each console page: a workspace permission, or instance admins only. The server guard and
 * the navigation read this one table, so a link is shown exactly when its page would render.
 */
export type PageAccess = { permission: Permission } | { instanceAdmin: true };

export const PAGE_ACCESS = {
  overview: { permission: "workspace.read" },
  // Members open it too, reduced to the connectors they may connect their own account to (the page decides).
  connectors: { permission: "connections.own" },
  "api-providers": { permission: "integrations.read" },
  models: { permission: "models.read" },
  mcp: { permission: "integrations.read" },
  webhooks: { permission: "integrations.read" },
  // Workers, workflows and skills: Builders and Admins (Members have no access, as with providers and connectors).
  "agents.workers": { permission: "integrations.read" },
  "agents.workflows": { permission: "integrations.read" },
  "agents.skills": { permission: "integrations.read" },
  platforms: { permission: "platforms.read" },
  deployments: { permission: "deployments.read" },
  usage: { permission: "usage.read" },
  logs: { permission: "usage.read" },
  budgets: { permission: "budgets.read" },
  catalog: { permission: "catalog.read" },
  keys: { permission: "gatewayKeys.read" },
  "settings.general": { permission: "workspace.read" },
  "settings.members": { permission: "members.read" },
  "settings.tokens": { instanceAdmin: true },
  "settings.credentials": { permission: "credentials.manage" },
  "settings.audit": { permission: "audit.read" },
  "settings.workspaces": { instanceAdmin: true },
  "settings.config": { instanceAdmin: true },
} as const satisfies Record<string, PageAccess>;

export type ConsolePage = keyof typeof PAGE_ACCESS;

export function canOpenPage(page: ConsolePage, who: { role: RoleName | null | undefined; instanceAdmin: boolean }): boolean {
  const access: PageAccess = PAGE_ACCESS[page];
  if ("instanceAdmin" in access) return who.instanceAdmin;
  return who.instanceAdmin || roleAllows(who.role, access.permission);
}

/** "Admin", "Builder or Admin", "instance admin": what a refusal page tells the person they would need. */
export function requiredRoleFor(page: ConsolePage): string {
  const access: PageAccess = PAGE_ACCESS[page];
  if ("instanceAdmin" in access) return "instance admin";
  const roles = [...(PERMISSIONS[access.permission] as readonly RoleName[])].reverse().map((r) => ROLE_LABELS[r]);
  return roles.join(" or ");
}
