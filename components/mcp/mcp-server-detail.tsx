"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ArrowLeft, RefreshCw } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { McpServerDto } from "@/lib/schemas/mcp";
import { api } from "@/components/api/client";
import { ErrorBanner } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { DeleteAction } from "@/components/ui/delete-action";
import { formatRelative } from "@/components/ui/format";
import { mcpKeys } from "./keys";
import { McpActivity } from "./mcp-activity";
import { McpPrompts } from "./mcp-prompts";
import { McpResources } from "./mcp-resources";
import { McpTools } from "./mcp-tools";
import { McpStatus } from "./status";
import { McpOAuthBadge, McpOAuthPanel } from "./mcp-oauth-panel";
import { McpAuthDialog } from "./mcp-auth-dialog";

const TABS = [
  { id: "tools", label: "Tools" },
  { id: "resources", label: "Resources" },
  { id: "prompts", label: "Prompts" },
  { id: "activity", label: "Activity" },
] as const;

const TRANSPORT_LABELS: Record<McpServerDto["transport"], string> = {
  "streamable-http": "Streamable HTTP",
  sse: "HTTP+SSE",
  stdio: "stdio",
};

export function McpServerDetail({ ws, initial, canManage }: { ws: string; initial: McpServerDto; canManage: boolean }) {
  const qc = useQueryClient();
  const router = useRouter();
  const server = useQuery({
    queryKey: mcpKeys.one(initial.id),
    queryFn: () => api<McpServerDto>(`/mcp-servers/${initial.id}`),
    initialData: initial,
  });
  const s = server.data;
  const [tab, setTab] = useState<(typeof TABS)[number]["id"]>("tools");
  const refresh = useMutation({
    mutationFn: () => api<McpServerDto>(`/mcp-servers/${s.id}/refresh`, { method: "POST" }),
    onSuccess: (next) => {
      qc.setQueryData(mcpKeys.one(s.id), next);
      void qc.invalidateQueries({ queryKey: mcpKeys.tools(s.id) });
      void qc.invalidateQueries({ queryKey: mcpKeys.resources(s.id) });
      void qc.invalidateQueries({ queryKey: mcpKeys.prompts(s.id) });
      void qc.invalidateQueries({ queryKey: mcpKeys.all(s.workspaceId) });
    },
  });
  return (
    <div className="space-y-5">
      <Link href={`/w/${ws}/providers/mcp`} className="inline-flex items-center gap-1 text-sm text-slate-500 hover:text-slate-800">
        <ArrowLeft className="size-3.5" aria-hidden /> All MCP servers
      </Link>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0 max-w-3xl">
          <h2 className="flex items-center gap-2 text-lg font-semibold text-slate-900">
            <span data-testid="mcp-server-name">{s.name}</span>
            <McpStatus s={s} />
            <McpOAuthBadge oauth={s.oauth} />
            {s.internal && <Badge tone="amber">Internal</Badge>}
            {s.watched && (
              <span title="The server announces list changes: Switchboard keeps a session open and refreshes at once">
                <Badge tone="green">Live updates</Badge>
              </span>
            )}
          </h2>
          <p className="font-mono text-xs text-slate-500">{s.transport === "stdio" ? [s.command, ...s.args].join(" ") : s.url}</p>
          <p className="text-sm text-slate-500">
            {TRANSPORT_LABELS[s.transport]}
            {s.serverName ? ` · ${s.serverName}${s.serverVersion ? ` ${s.serverVersion}` : ""}` : ""}
            {s.statusAt ? ` · checked ${formatRelative(s.statusAt)}` : ""}
            {s.headers.length ? ` · headers: ${s.headers.map((h) => `${h.name} ${h.mask}`).join(", ")}` : ""}
            {s.env.length ? ` · env: ${s.env.map((h) => `${h.name} ${h.mask}`).join(", ")}` : ""}
          </p>
          {s.status === "failing" && s.lastError && (
            <p role="status" className="mt-2 text-sm text-red-700">
              {s.lastError}
            </p>
          )}
        </div>
        {canManage && (
          <div className="flex gap-2">
            <Button variant="secondary" onClick={() => refresh.mutate()} disabled={refresh.isPending}>
              <RefreshCw className={`size-4 ${refresh.isPending ? "animate-spin" : ""}`} aria-hidden /> Refresh
            </Button>
            {/* Authentication (headers, OAuth) is an HTTP matter: a stdio server takes its secrets as variables. */}
            {s.transport !== "stdio" && (
              <McpAuthDialog
                s={s}
                onSaved={(next) => {
                  qc.setQueryData(mcpKeys.one(s.id), next);
                  void qc.invalidateQueries({ queryKey: mcpKeys.tools(s.id) });
                  void qc.invalidateQueries({ queryKey: mcpKeys.all(s.workspaceId) });
                }}
              />
            )}
            <DeleteAction
              title={`Delete ${s.name}?`}
              description={
                <p>
                  The server, its tools, its call history, its stored header or variable values, its OAuth connection and its assignments to
                  workers, nodes and skills are deleted. Agents lose these tools at once.
                </p>
              }
              confirmLabel="Delete server"
              request={() => api<void>(`/mcp-servers/${s.id}`, { method: "DELETE" })}
              onDeleted={() => {
                void qc.invalidateQueries({ queryKey: mcpKeys.all(s.workspaceId) });
                router.push(`/w/${ws}/providers/mcp`);
              }}
            />
          </div>
        )}
      </div>
      <ErrorBanner error={refresh.error} />
      <McpOAuthPanel s={s} canManage={canManage} />
      <div role="tablist" aria-label="MCP server" className="flex gap-4 border-b border-slate-200">
        {TABS.map((t) => (
          <button
            key={t.id}
            role="tab"
            type="button"
            aria-selected={tab === t.id}
            onClick={() => setTab(t.id)}
            className={`-mb-px border-b-2 px-1 pb-2 text-sm font-medium ${tab === t.id ? "border-brand-600 text-brand-700" : "border-transparent text-slate-500 hover:text-slate-800"}`}
          >
            {t.label}
            {t.id === "tools" ? ` (${s.enabledToolCount}/${s.toolCount})` : ""}
            {t.id === "resources" ? ` (${s.resourceCount})` : ""}
            {t.id === "prompts" ? ` (${s.promptCount})` : ""}
          </button>
        ))}
      </div>
      {tab === "tools" && <McpTools serverId={s.id} workspaceId={s.workspaceId} canManage={canManage} />}
      {tab === "resources" && <McpResources serverId={s.id} canManage={canManage} />}
      {tab === "prompts" && <McpPrompts serverId={s.id} canManage={canManage} />}
      {tab === "activity" && <McpActivity serverId={s.id} />}
    </div>
  );
}
