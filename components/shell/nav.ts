import {
  Activity,
  Bot,
  Boxes,
  Brain,
  Cable,
  Cloud,
  FileCog,
  GitFork,
  Globe,
  KeyRound,
  LayoutDashboard,
  Library,
  ListTree,
  LockKeyhole,
  ScrollText,
  Server,
  Settings,
  Sparkles,
  SlidersHorizontal,
  Users,
  Wallet,
  Webhook,
  Workflow,
  type LucideIcon,
} from "lucide-react";
import { canOpenPage, type ConsolePage } from "@/lib/auth/permissions";
import type { RoleName } from "@/lib/schemas/workspaces";

export interface NavItem {
  page: ConsolePage;
  label: string;
  /** Relative to /w/[ws]. */
  href: string;
  icon: LucideIcon;
}

export const OVERVIEW: NavItem = { page: "overview", label: "Overview", href: "", icon: LayoutDashboard };

export const PROVIDER_TABS: NavItem[] = [
  { page: "connectors", label: "Your Connectors", href: "/providers/connectors", icon: Cable },
  { page: "api-providers", label: "Your API Providers", href: "/providers/api-providers", icon: Globe },
  { page: "models", label: "LLM Models", href: "/providers/models", icon: Brain },
  { page: "mcp", label: "MCP Servers", href: "/providers/mcp", icon: Server },
  { page: "webhooks", label: "Incoming Webhooks", href: "/providers/webhooks", icon: Webhook },
];

export const AGENT_SECTIONS: NavItem[] = [
  { page: "agents.workers", label: "Workers", href: "/agents/workers", icon: Bot },
  { page: "agents.workflows", label: "Workflows", href: "/agents/workflows", icon: GitFork },
  { page: "agents.skills", label: "Skills", href: "/agents/skills", icon: Sparkles },
];

export const SECTIONS: NavItem[] = [
  { page: "platforms", label: "Platforms", href: "/platforms", icon: Cloud },
  { page: "deployments", label: "Deployments", href: "/deployments", icon: Boxes },
  { page: "usage", label: "Usage", href: "/usage", icon: Activity },
  { page: "budgets", label: "Budgets", href: "/budgets", icon: Wallet },
  { page: "keys", label: "API keys", href: "/keys", icon: KeyRound },
  { page: "logs", label: "Logs", href: "/logs", icon: ListTree },
  { page: "catalog", label: "Central repository", href: "/catalog", icon: Library },
];

export const SETTINGS: NavItem = { page: "settings.general", label: "Settings", href: "/settings", icon: Settings };

export const SETTINGS_TABS: NavItem[] = [
  { page: "settings.general", label: "General", href: "/settings", icon: SlidersHorizontal },
  { page: "settings.members", label: "Members", href: "/settings/members", icon: Users },
  { page: "settings.credentials", label: "Credentials", href: "/settings/credentials", icon: LockKeyhole },
  { page: "settings.tokens", label: "Admin tokens", href: "/settings/tokens", icon: KeyRound },
  { page: "settings.audit", label: "Audit log", href: "/settings/audit", icon: ScrollText },
  { page: "settings.workspaces", label: "Workspaces", href: "/settings/workspaces", icon: Workflow },
  { page: "settings.config", label: "Configuration", href: "/settings/config", icon: FileCog },
];

export interface Viewer {
  role: RoleName | null;
  instanceAdmin: boolean;
}

export const visible = (items: NavItem[], viewer: Viewer) => items.filter((i) => canOpenPage(i.page, viewer));

/** Which console page a path shows (for the refusal page), longest match first. */
export function pageForPath(pathname: string): ConsolePage | null {
  const m = /^\/w\/[^/]+(\/.*)?$/.exec(pathname);
  if (!m) return null;
  const rest = (m[1] ?? "").replace(/\/$/, "");
  const all = [...PROVIDER_TABS, ...AGENT_SECTIONS, ...SECTIONS, ...SETTINGS_TABS, OVERVIEW].sort((a, b) => b.href.length - a.href.length);
  return all.find((i) => (i.href === "" ? rest === "" : rest === i.href || rest.startsWith(`${i.href}/`)))?.page ?? null;
}
