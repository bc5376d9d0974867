"use client";

import { useQuery } from "@tanstack/react-query";
import { useState, useSyncExternalStore } from "react";
import type { AgentDto } from "@/lib/schemas/agents";
import { api, type Page } from "@/components/api/client";
import { ErrorBanner } from "@/components/ui/alert";
import { CopyButton } from "@/components/ui/copy-button";
import { Field, Select } from "@/components/ui/field";
import { SectionHeader } from "@/components/ui/page-header";

// Where an agent connects to Switchboard as an MCP server: the workspace's aggregated endpoint (every enabled tool
// of its connectors and MCP servers) or a worker's virtual server (exactly its assigned tools), with a workspace key.

const noSubscribe = () => () => {};
/** This console's origin (empty while rendering on the server, so the first client render matches it). */
export function useOrigin(): string {
  return useSyncExternalStore(
    noSubscribe,
    () => window.location.origin,
    () => "",
  );
}

/** The URL with a Copy button, and how an MCP client is configured to connect to it. */
export function EndpointSnippet({ url, label, testId }: { url: string; label: string; testId: string }) {
  const config = JSON.stringify(
    {
      mcpServers: {
        switchboard: {
          type: "http",
          url,
          headers: { Authorization: "Bearer ${SWITCHBOARD_KEY}", "X-User-Id": "<your end user's id (optional)>" },
        },
      },
    },
    null,
    2,
  );
  const curl = [
    `curl -X POST ${url} \\`,
    `  -H "Authorization: Bearer $SWITCHBOARD_KEY" \\`,
    `  -H "Content-Type: application/json" -H "Accept: application/json, text/event-stream" \\`,
    `  -d '{"jsonrpc":"2.0","id":1,"method":"tools/list"}'`,
  ].join("\n");
  return (
    <div className="space-y-2">
      <div className="flex items-center gap-2 rounded-md bg-slate-50 p-2 ring-1 ring-slate-200">
        <code data-testid={testId} className="min-w-0 flex-1 truncate font-mono text-xs text-slate-800">
          {url}
        </code>
        <CopyButton value={url} label={label} />
      </div>
      <details className="text-sm">
        <summary className="cursor-pointer text-slate-600">How an agent connects</summary>
        <p className="mt-2 text-xs text-slate-600">
          Streamable HTTP (stateless), authorised by a key of this workspace as <code className="font-mono">Authorization: Bearer</code>.
          The key never reaches the tools&apos; servers: Switchboard calls them with their own credentials. Send{" "}
          <code className="font-mono">X-User-Id</code> to act for one of your end users.
        </p>
        <div className="mt-2 flex items-center justify-between">
          <p className="text-xs font-medium text-slate-700">MCP client configuration</p>
          <CopyButton value={config} label="Copy configuration" />
        </div>
        <pre className="mt-1 overflow-x-auto rounded-md bg-slate-900 p-3 font-mono text-xs text-slate-100">{config}</pre>
        <div className="mt-2 flex items-center justify-between">
          <p className="text-xs font-medium text-slate-700">List the tools with curl</p>
          <CopyButton value={curl} label="Copy command" />
        </div>
        <pre className="mt-1 overflow-x-auto rounded-md bg-slate-900 p-3 font-mono text-xs text-slate-100">{curl}</pre>
      </details>
    </div>
  );
}

/** The workspace's MCP endpoints, on the MCP servers page. */
export function McpEndpointCard({ workspaceId }: { workspaceId: string }) {
  const origin = useOrigin();
  const [workerId, setWorkerId] = useState("");
  const workers = useQuery({
    queryKey: ["mcp-endpoint-workers", workspaceId],
    queryFn: () => api<Page<AgentDto>>("/workers", { query: { workspaceId, limit: 100 } }),
  });
  return (
    <section className="mt-8 space-y-4">
      <SectionHeader
        title="Connect an agent"
        description="Switchboard is itself an MCP server: one endpoint offers every enabled tool of this workspace — its MCP servers' tools and its connectors' operations, named <server or connector>__<tool> — and each worker has one with exactly its assigned tools."
      />
      <div className="space-y-1.5">
        <p className="text-sm font-medium text-slate-700">Every tool of this workspace</p>
        <EndpointSnippet url={`${origin}/api/v1/mcp`} label="Copy URL" testId="mcp-endpoint-url" />
      </div>
      <div className="space-y-1.5">
        <ErrorBanner error={workers.error} />
        <Field label="A worker's tools only" htmlFor="mcp-endpoint-worker">
          <Select id="mcp-endpoint-worker" value={workerId} onChange={(e) => setWorkerId(e.target.value)} className="max-w-sm">
            <option value="">{workers.isPending ? "Loading…" : workers.data?.data.length ? "Choose a worker" : "No workers yet"}</option>
            {workers.data?.data.map((w) => (
              <option key={w.id} value={w.id}>
                {w.name}
              </option>
            ))}
          </Select>
        </Field>
        {workerId && (
          <EndpointSnippet url={`${origin}/api/v1/mcp/workers/${workerId}`} label="Copy worker URL" testId="mcp-worker-endpoint-url" />
        )}
      </div>
    </section>
  );
}
