"use client";

import * as Menu from "@radix-ui/react-dropdown-menu";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Bell } from "lucide-react";
import Link from "next/link";
import { api, type Page } from "@/components/api/client";
import { Button } from "@/components/ui/button";
import { formatRelative } from "@/components/ui/format";
import type { BudgetAlertDto } from "@/lib/schemas/budgets";
import { alertTitle, usd } from "./format";
import { budgetKeys } from "./keys";

type AlertPage = Page<BudgetAlertDto> & { unread: number };

/** The header's notification bell: unread budget alerts, the latest few, and "mark all read". */
export function AlertBell({ workspaceId, workspaceSlug }: { workspaceId: string; workspaceSlug: string }) {
  const qc = useQueryClient();
  const recent = useQuery({
    queryKey: budgetKeys.alertPage(workspaceId, undefined, 5),
    queryFn: () => api<AlertPage>("/alerts", { query: { workspaceId, limit: 5 } }),
    refetchInterval: 30_000,
  });
  const markAll = useMutation({
    mutationFn: () => api<{ unread: number }>("/alerts/read", { method: "POST", query: { workspaceId }, body: {} }),
    onSuccess: () => qc.invalidateQueries({ queryKey: budgetKeys.all(workspaceId) }),
  });
  const unread = recent.data?.unread ?? 0;
  return (
    <Menu.Root>
      <Menu.Trigger asChild>
        <button
          type="button"
          aria-label={unread ? `Notifications: ${unread} unread` : "Notifications"}
          className="relative rounded-md p-2 text-slate-500 hover:bg-slate-100 hover:text-slate-900"
        >
          <Bell className="size-5" aria-hidden />
          {unread > 0 && (
            <span
              data-testid="alert-count"
              className="absolute -top-0.5 -right-0.5 min-w-5 rounded-full bg-red-600 px-1 text-center text-[11px] leading-5 font-semibold text-white"
            >
              {unread > 99 ? "99+" : unread}
            </span>
          )}
        </button>
      </Menu.Trigger>
      <Menu.Portal>
        <Menu.Content align="end" sideOffset={6} className="z-50 w-96 rounded-lg bg-white p-3 shadow-lg ring-1 ring-slate-200">
          <div className="mb-2 flex items-center justify-between">
            <p className="text-sm font-semibold text-slate-900">Budget alerts</p>
            {unread > 0 && (
              <Menu.Item asChild onSelect={(e) => (e.preventDefault(), markAll.mutate())}>
                <Button variant="ghost" size="sm" pending={markAll.isPending}>
                  Mark all read
                </Button>
              </Menu.Item>
            )}
          </div>
          {recent.data?.data.length ? (
            <ul className="divide-y divide-slate-100">
              {recent.data.data.map((a) => (
                <li key={a.id} className="py-2 text-sm">
                  <p className={a.read ? "text-slate-600" : "font-medium text-slate-900"}>{alertTitle(a)}</p>
                  <p className="text-xs text-slate-500">
                    {usd(a.spentUsd)} of {usd(a.budgetUsd)} · {formatRelative(a.createdAt)}
                  </p>
                </li>
              ))}
            </ul>
          ) : (
            <p className="py-2 text-sm text-slate-500">{recent.isPending ? "Loading…" : "No alerts yet."}</p>
          )}
          <Menu.Item asChild>
            <Link href={`/w/${workspaceSlug}/budgets`} className="mt-2 block text-sm font-medium text-brand-700 hover:underline">
              Open Budgets
            </Link>
          </Menu.Item>
        </Menu.Content>
      </Menu.Portal>
    </Menu.Root>
  );
}
