"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { FileText } from "lucide-react";
import { useState } from "react";
import type { McpResourceDto, McpResourceTemplateDto } from "@/lib/schemas/mcp";
import { api } from "@/components/api/client";
import { ErrorBanner } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { SearchInput } from "@/components/ui/search-input";
import { ListRows, Table, Td, Th, THead, Tr } from "@/components/ui/table";
import { mcpKeys } from "./keys";

type Contents = { contents: Record<string, unknown>[] };

/** Shows a resource's contents: text as is, binary as its size. */
function ReadResourceDialog({ serverId, uri, label }: { serverId: string; uri: string; label: string }) {
  const [open, setOpen] = useState(false);
  const read = useMutation({
    mutationFn: () => api<Contents>(`/mcp-servers/${serverId}/resources/read`, { method: "POST", body: { uri } }),
  });
  return (
    <Dialog
      open={open}
      onOpenChange={(o) => {
        setOpen(o);
        if (o) read.mutate();
        else read.reset();
      }}
      trigger={
        <Button variant="secondary" size="sm">
          Read
        </Button>
      }
      title={`Read ${label}`}
      description={uri}
    >
      <ErrorBanner error={read.error} />
      {read.isPending && <p className="text-sm text-slate-500">Reading…</p>}
      {read.data && (
        <pre
          data-testid="resource-contents"
          className="max-h-96 overflow-auto rounded-md bg-slate-50 p-3 text-xs whitespace-pre-wrap text-slate-800 ring-1 ring-slate-200"
        >
          {read.data.contents
            .map((c) =>
              typeof c.text === "string"
                ? c.text
                : typeof c.blob === "string"
                  ? `(binary, ${Math.floor((c.blob.length * 3) / 4)} bytes${c.mimeType ? `, ${String(c.mimeType)}` : ""})`
                  : JSON.stringify(c, null, 2),
            )
            .join("\n\n") || "(empty)"}
        </pre>
      )}
    </Dialog>
  );
}

/** The server's resources and resource templates at its last discovery; read one. */
export function McpResources({ serverId, canManage }: { serverId: string; canManage: boolean }) {
  const [q, setQ] = useState("");
  const list = useQuery({
    queryKey: mcpKeys.resources(serverId),
    queryFn: () => api<{ data: McpResourceDto[]; templates: McpResourceTemplateDto[] }>(`/mcp-servers/${serverId}/resources`),
  });
  const needle = q.trim().toLowerCase();
  const match = (r: { name: string; description?: string; title?: string }, key: string) =>
    !needle || [r.name, r.title ?? "", r.description ?? "", key].some((t) => t.toLowerCase().includes(needle));
  const resources = list.data?.data.filter((r) => match(r, r.uri));
  const templates = list.data?.templates.filter((t) => match(t, t.uriTemplate)) ?? [];
  return (
    <div className="space-y-3">
      <SearchInput label="Search resources" value={q} onChange={setQ} />
      <ErrorBanner error={list.error} />
      <Table label="Resources">
        <THead>
          <Th>Resource</Th>
          <Th>Type</Th>
          <Th />
        </THead>
        <tbody>
          <ListRows
            pending={list.isPending}
            items={resources}
            columns={3}
            empty={
              <EmptyState icon={FileText} title={needle ? "No resource matches" : "No resources"} className="border-0">
                {!needle && (
                  <p>The server offered no resources at its last discovery{templates.length ? " (it offers templates, below)" : ""}.</p>
                )}
              </EmptyState>
            }
          >
            {(r) => (
              <Tr key={r.uri}>
                <Td>
                  <span className="font-medium text-slate-800">{r.title ?? r.name}</span>
                  <span className="block font-mono text-xs text-slate-500">{r.uri}</span>
                  {r.description && <span className="block max-w-2xl text-xs text-slate-500">{r.description}</span>}
                </Td>
                <Td className="text-xs text-slate-600">{r.mimeType ?? "—"}</Td>
                <Td className="text-right">{canManage && <ReadResourceDialog serverId={serverId} uri={r.uri} label={r.name} />}</Td>
              </Tr>
            )}
          </ListRows>
        </tbody>
      </Table>
      {templates.length > 0 && (
        <Table label="Resource templates">
          <THead>
            <Th>Template</Th>
            <Th>Type</Th>
          </THead>
          <tbody>
            {templates.map((t) => (
              <Tr key={t.uriTemplate}>
                <Td>
                  <span className="font-medium text-slate-800">{t.title ?? t.name}</span>
                  <span className="block font-mono text-xs text-slate-500">{t.uriTemplate}</span>
                  {t.description && <span className="block max-w-2xl text-xs text-slate-500">{t.description}</span>}
                </Td>
                <Td className="text-xs text-slate-600">{t.mimeType ?? "—"}</Td>
              </Tr>
            ))}
          </tbody>
        </Table>
      )}
    </div>
  );
}
