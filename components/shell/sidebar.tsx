"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { signOut } from "next-auth/react";
import { clsx } from "clsx";
import { LogOut } from "lucide-react";
import type { RoleName } from "@/lib/schemas/workspaces";
import type { WorkspaceDto } from "@/lib/workspaces/workspace-dto";
import { Logo } from "./logo";
import { WorkspaceSwitcher } from "./workspace-switcher";
import { AGENT_SECTIONS, OVERVIEW, PROVIDER_TABS, SECTIONS, SETTINGS, visible, type NavItem } from "./nav";

export interface ShellProps {
  workspace: { slug: string; name: string };
  role: RoleName;
  instanceAdmin: boolean;
  workspaces: WorkspaceDto[];
  user: { name: string; email: string };
}

function NavLink({ item, base, exact }: { item: NavItem; base: string; exact?: boolean }) {
  const pathname = usePathname();
  const href = `${base}${item.href}`;
  const active = exact ? pathname === href : pathname === href || pathname.startsWith(`${href}/`);
  const Icon = item.icon;
  return (
    <Link
      href={href}
      aria-current={active ? "page" : undefined}
      title={item.label}
      className={clsx(
        "flex items-center gap-2.5 rounded-md px-2.5 py-1.5 text-sm font-medium transition-colors max-lg:justify-center",
        active ? "bg-white text-slate-900 shadow-sm ring-1 ring-slate-200" : "text-slate-600 hover:bg-slate-200/60 hover:text-slate-900",
      )}
    >
      <Icon className={clsx("size-4 shrink-0", active ? "text-brand-600" : "text-slate-400")} aria-hidden />
      <span className="max-lg:sr-only">{item.label}</span>
    </Link>
  );
}

function Group({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="space-y-0.5">
      <p className="px-2.5 pt-4 pb-1 text-[11px] font-semibold tracking-wider text-slate-400 uppercase max-lg:sr-only">{label}</p>
      {children}
    </div>
  );
}

export function Sidebar({ workspace, role, instanceAdmin, workspaces, user }: ShellProps) {
  const base = `/w/${workspace.slug}`;
  const viewer = { role, instanceAdmin };
  const providers = visible(PROVIDER_TABS, viewer);
  const agents = visible(AGENT_SECTIONS, viewer);
  const sections = visible(SECTIONS, viewer);
  return (
    <aside className="sticky top-0 flex h-screen w-16 shrink-0 flex-col border-r border-slate-200 bg-slate-100/70 lg:w-64">
      <div className="flex items-center gap-2 px-4 pt-4 pb-3 max-lg:justify-center max-lg:px-2">
        <Logo className="size-7 shrink-0" />
        <span className="text-[15px] font-semibold tracking-tight max-lg:sr-only">Switchboard</span>
      </div>
      <div className="px-3 max-lg:px-2">
        <WorkspaceSwitcher current={workspace} role={role} workspaces={workspaces} instanceAdmin={instanceAdmin} />
      </div>
      <nav aria-label="Main" className="mt-2 flex-1 overflow-y-auto px-3 pb-4 max-lg:px-2">
        <div className="space-y-0.5 pt-2">
          <NavLink item={OVERVIEW} base={base} exact />
        </div>
        {providers.length > 0 && (
          <Group label="Providers">
            {providers.map((i) => (
              <NavLink key={i.page} item={i} base={base} />
            ))}
          </Group>
        )}
        {agents.length > 0 && (
          <Group label="Agents">
            {agents.map((i) => (
              <NavLink key={i.page} item={i} base={base} />
            ))}
          </Group>
        )}
        {sections.length > 0 && (
          <Group label="Infrastructure">
            {sections.map((i) => (
              <NavLink key={i.page} item={i} base={base} />
            ))}
          </Group>
        )}
        <Group label="Workspace">
          <NavLink item={SETTINGS} base={base} />
        </Group>
      </nav>
      <div className="border-t border-slate-200 p-3 max-lg:px-2">
        <div className="flex items-center gap-2.5 max-lg:flex-col">
          <span
            aria-hidden
            className="flex size-8 shrink-0 items-center justify-center rounded-full bg-slate-800 text-xs font-semibold text-white"
          >
            {(user.name || user.email).slice(0, 1).toUpperCase()}
          </span>
          <div className="min-w-0 flex-1 max-lg:sr-only">
            <p className="truncate text-sm font-medium text-slate-800">{user.name}</p>
            <p className="truncate text-xs text-slate-500">{user.email}</p>
          </div>
          <button
            type="button"
            onClick={() => signOut({ callbackUrl: "/login" })}
            className="rounded-md p-1.5 text-slate-500 hover:bg-slate-200 hover:text-slate-900"
            aria-label="Sign out"
            title="Sign out"
          >
            <LogOut className="size-4" aria-hidden />
          </button>
        </div>
      </div>
    </aside>
  );
}
