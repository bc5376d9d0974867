"use client";

import * as Menu from "@radix-ui/react-dropdown-menu";
import Link from "next/link";
import { Check, ChevronsUpDown, Plus } from "lucide-react";
import type { RoleName } from "@/lib/schemas/workspaces";
import type { WorkspaceDto } from "@/lib/workspaces/workspace-dto";
import { RoleBadge } from "@/components/ui/badge";

function Initial({ name }: { name: string }) {
  return (
    <span
      aria-hidden
      className="flex size-7 shrink-0 items-center justify-center rounded-md bg-gradient-to-br from-brand-500 to-violet-500 text-xs font-semibold text-white"
    >
      {name.slice(0, 1).toUpperCase()}
    </span>
  );
}

export function WorkspaceSwitcher({
  current,
  role,
  workspaces,
  instanceAdmin,
}: {
  current: { slug: string; name: string };
  role: RoleName;
  workspaces: WorkspaceDto[];
  instanceAdmin: boolean;
}) {
  return (
    <Menu.Root>
      <Menu.Trigger
        aria-label={`Workspace: ${current.name}. Switch workspace`}
        className="flex w-full items-center gap-2.5 rounded-lg bg-white px-2 py-1.5 text-left shadow-sm ring-1 ring-slate-200 hover:bg-slate-50 max-lg:justify-center max-lg:px-1"
      >
        <Initial name={current.name} />
        <span className="min-w-0 flex-1 max-lg:sr-only">
          <span className="block truncate text-sm font-medium text-slate-900">{current.name}</span>
          <span className="block text-xs text-slate-500">{{ ADMIN: "Admin", BUILDER: "Builder", MEMBER: "Member" }[role]}</span>
        </span>
        <ChevronsUpDown className="size-4 text-slate-400 max-lg:hidden" aria-hidden />
      </Menu.Trigger>
      <Menu.Portal>
        <Menu.Content
          align="start"
          sideOffset={6}
          className="z-50 max-h-96 w-72 overflow-y-auto rounded-lg bg-white p-1 shadow-lg ring-1 ring-slate-200"
        >
          <Menu.Label className="px-2 py-1.5 text-xs font-medium text-slate-500">Workspaces</Menu.Label>
          {workspaces.map((w) => (
            <Menu.Item key={w.id} asChild>
              <Link
                href={`/w/${w.slug}`}
                className="flex items-center gap-2.5 rounded-md px-2 py-1.5 text-sm text-slate-700 outline-none data-[highlighted]:bg-slate-100"
              >
                <Initial name={w.name} />
                <span className="min-w-0 flex-1 truncate">{w.name}</span>
                {w.role && <RoleBadge role={w.role} />}
                {w.slug === current.slug ? <Check className="size-4 text-brand-600" aria-label="Current" /> : <span className="size-4" />}
              </Link>
            </Menu.Item>
          ))}
          {instanceAdmin && (
            <>
              <Menu.Separator className="my-1 h-px bg-slate-200" />
              <Menu.Item asChild>
                <Link
                  href={`/w/${current.slug}/settings/workspaces?create=1`}
                  className="flex items-center gap-2.5 rounded-md px-2 py-1.5 text-sm text-slate-700 outline-none data-[highlighted]:bg-slate-100"
                >
                  <span className="flex size-7 items-center justify-center rounded-md border border-dashed border-slate-300">
                    <Plus className="size-4 text-slate-500" aria-hidden />
                  </span>
                  Create workspace
                </Link>
              </Menu.Item>
            </>
          )}
        </Menu.Content>
      </Menu.Portal>
    </Menu.Root>
  );
}
