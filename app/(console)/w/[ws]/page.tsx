import type { Metadata } from "next";
import Link from "next/link";
import { ArrowRight, Cable, Brain, ScrollText, Settings, Users, type LucideIcon } from "lucide-react";
import { canOpenPage, ROLE_LABELS, type ConsolePage } from "@/lib/auth/permissions";
import { listAudit } from "@/lib/audit/list-audit";
import { RoleBadge } from "@/components/ui/badge";
import { ActionBadge, AuditChanges } from "@/components/audit/changes";
import { SectionHeader } from "@/components/ui/page-header";
import { Table, THead, Th, Td, Tr } from "@/components/ui/table";
import { formatDateTime } from "@/components/ui/format";
import { requirePage } from "@/app/(console)/guard";

export const metadata: Metadata = { title: "Overview" };

const QUICK_LINKS: { page: ConsolePage; href: string; title: string; text: string; icon: LucideIcon }[] = [
  {
    page: "connectors",
    href: "/providers/connectors",
    title: "Providers",
    text: "What your agents reach: outside APIs, tools and events",
    icon: Cable,
  },
  { page: "models", href: "/providers/models", title: "Model routing", text: "Logical models and where their requests go", icon: Brain },
  {
    page: "settings.members",
    href: "/settings/members",
    title: "People",
    text: "Who belongs to this workspace and with which role",
    icon: Users,
  },
  { page: "settings.audit", href: "/settings/audit", title: "Activity", text: "Every change, who made it and when", icon: ScrollText },
  { page: "settings.general", href: "/settings", title: "Workspace details", text: "Name, description and administration", icon: Settings },
];

export default async function WorkspaceOverview({ params }: { params: Promise<{ ws: string }> }) {
  const ctx = await requirePage((await params).ws, "overview");
  const { workspace, role, actor } = ctx;
  const base = `/w/${workspace.slug}`;
  const links = QUICK_LINKS.filter((l) => canOpenPage(l.page, ctx));
  const recent = canOpenPage("settings.audit", ctx) ? await listAudit(actor, { workspaceId: workspace.id, limit: 5 }) : null;
  return (
    <>
      <div className="mb-8 flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0">
          <p className="text-xs font-medium tracking-wider text-slate-400 uppercase">Workspace</p>
          <h1 className="mt-1 text-2xl font-semibold tracking-tight text-slate-900">{workspace.name}</h1>
          <p className="mt-1 max-w-2xl text-sm text-slate-500">{workspace.description || "No description."}</p>
        </div>
      </div>

      <dl className="mb-8 grid grid-cols-1 gap-4 sm:grid-cols-3">
        <div className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
          <dt className="text-xs font-medium text-slate-500">Your role</dt>
          <dd className="mt-2 flex items-center gap-2">
            <RoleBadge role={role} />
            {ctx.instanceAdmin && <span className="text-xs text-slate-500">instance admin</span>}
          </dd>
        </div>
        <div className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
          <dt className="text-xs font-medium text-slate-500">Members</dt>
          <dd className="mt-1 text-2xl font-semibold text-slate-900 tabular-nums">{workspace.memberCount ?? "—"}</dd>
        </div>
        <div className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
          <dt className="text-xs font-medium text-slate-500">Created</dt>
          <dd className="mt-2 text-sm font-medium text-slate-800">{formatDateTime(workspace.createdAt)}</dd>
        </div>
      </dl>

      <SectionHeader title="Quick links" />
      <ul className="mb-10 grid grid-cols-1 gap-3 sm:grid-cols-2 xl:grid-cols-3">
        {links.map((l) => (
          <li key={l.href}>
            <Link
              href={`${base}${l.href}`}
              className="group flex h-full items-start gap-3 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200 transition hover:ring-brand-500"
            >
              <l.icon className="mt-0.5 size-5 shrink-0 text-brand-600" aria-hidden />
              <span className="min-w-0 flex-1">
                <span className="flex items-center gap-1 text-sm font-medium text-slate-900">
                  {l.title}
                  <ArrowRight className="size-3.5 text-slate-400 transition group-hover:translate-x-0.5" aria-hidden />
                </span>
                <span className="mt-0.5 block text-xs text-slate-500">{l.text}</span>
              </span>
            </Link>
          </li>
        ))}
      </ul>

      {recent && (
        <section aria-label="Recent activity">
          <SectionHeader
            title="Recent activity"
            description={`The latest changes in this workspace, visible to ${ROLE_LABELS.ADMIN}s.`}
            actions={
              <Link href={`${base}/settings/audit`} className="text-sm font-medium text-brand-600 hover:underline">
                Open the audit log
              </Link>
            }
          />
          {recent.data.length === 0 ? (
            <p className="rounded-lg bg-white p-6 text-center text-sm text-slate-500 ring-1 ring-slate-200">No activity recorded yet.</p>
          ) : (
            <Table label="Recent activity">
              <THead>
                <Th>Time</Th>
                <Th>Actor</Th>
                <Th>Action</Th>
                <Th>Target</Th>
                <Th>Changes</Th>
              </THead>
              <tbody>
                {recent.data.map((e) => (
                  <Tr key={e.id}>
                    <Td className="whitespace-nowrap text-slate-500">{formatDateTime(e.at)}</Td>
                    <Td>{e.actorLabel}</Td>
                    <Td>
                      <ActionBadge action={e.action} />
                    </Td>
                    <Td>{e.targetLabel ?? e.targetType}</Td>
                    <Td>
                      <AuditChanges changes={e.changes as Record<string, { from: unknown; to: unknown }> | null} />
                    </Td>
                  </Tr>
                ))}
              </tbody>
            </Table>
          )}
        </section>
      )}
    </>
  );
}
