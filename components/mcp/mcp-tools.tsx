"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Wrench } from "lucide-react";
import { useState } from "react";
import type { McpToolDto } from "@/lib/schemas/mcp";
import { api } from "@/components/api/client";
import { ErrorBanner } from "@/components/ui/alert";
import { EmptyState } from "@/components/ui/empty-state";
import { SearchInput } from "@/components/ui/search-input";
import { ListRows, Table, Td, Th, THead, Tr } from "@/components/ui/table";
import { mcpKeys } from "./keys";
import { TryToolDialog } from "./try-tool-dialog";

/** The server's tools: search, switch on and off, try one. */
export function McpTools({ serverId, workspaceId, canManage }: { serverId: string; workspaceId: string; canManage: boolean }) {
  const qc = useQueryClient();
  const [q, setQ] = useState("");
  const tools = useQuery({
    queryKey: mcpKeys.tools(serverId),
    queryFn: () => api<{ data: McpToolDto[] }>(`/mcp-servers/${serverId}/tools`),
  });
  const toggle = useMutation({
    mutationFn: (t: { name: string; enabled: boolean }) =>
      api<McpToolDto>(`/mcp-servers/${serverId}/tools/${encodeURIComponent(t.name)}`, { method: "PATCH", body: { enabled: t.enabled } }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: mcpKeys.tools(serverId) });
      void qc.invalidateQueries({ queryKey: mcpKeys.one(serverId), exact: true });
      void qc.invalidateQueries({ queryKey: mcpKeys.all(workspaceId) });
    },
  });
  const needle = q.trim().toLowerCase();
  const shown = tools.data?.data.filter(
    (t) => !needle || t.name.toLowerCase().includes(needle) || t.description.toLowerCase().includes(needle),
  );
  return (
    <div className="space-y-3">
      <SearchInput label="Search tools" value={q} onChange={setQ} />
      <ErrorBanner error={tools.error ?? toggle.error} />
      <Table label="Tools">
        <THead>
          <Th>Tool</Th>
          <Th>Enabled</Th>
          <Th />
        </THead>
        <tbody>
          <ListRows
            pending={tools.isPending}
            items={shown}
            columns={3}
            empty={
              <EmptyState icon={Wrench} title={needle ? "No tool matches" : "No tools discovered"} className="border-0">
                {!needle && <p>Refresh the server to discover its tools; a server that cannot be reached shows its error above.</p>}
              </EmptyState>
            }
          >
            {(t) => (
              <Tr key={t.name}>
                <Td>
                  <span className="font-mono text-sm font-medium text-slate-800">{t.name}</span>
                  {t.description && <span className="block max-w-2xl text-xs text-slate-500">{t.description}</span>}
                </Td>
                <Td>
                  <input
                    type="checkbox"
                    role="switch"
                    aria-label={`Enable ${t.name}`}
                    checked={t.enabled}
                    disabled={!canManage || toggle.isPending}
                    onChange={(e) => toggle.mutate({ name: t.name, enabled: e.target.checked })}
                  />
                </Td>
                <Td className="text-right">
                  {canManage && (
                    <TryToolDialog
                      serverId={serverId}
                      tool={t}
                      onCalled={() => void qc.invalidateQueries({ queryKey: mcpKeys.one(serverId) })}
                    />
                  )}
                </Td>
              </Tr>
            )}
          </ListRows>
        </tbody>
      </Table>
    </div>
  );
}
