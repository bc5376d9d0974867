"use client";

import { useQuery } from "@tanstack/react-query";
import { Wrench } from "lucide-react";
import type { ToolList } from "@/lib/schemas/agents";
import { api } from "@/components/api/client";
import { ErrorBanner } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { CopyButton } from "@/components/ui/copy-button";
import { EmptyState } from "@/components/ui/empty-state";
import { SectionHeader } from "@/components/ui/page-header";
import { ListRows, Table, Td, Th, THead, Tr } from "@/components/ui/table";
import { agentKeys } from "./keys";

/** What `GET /api/v1/tools` answers here: the tools a model is handed, and where each one is called. */
export function ToolsPreview({ base, query }: { base: string; query: string }) {
  const tools = useQuery({ queryKey: agentKeys.tools(base), queryFn: () => api<ToolList>(`${base}/tools`) });
  const json = tools.data ? JSON.stringify(tools.data.tools, null, 2) : "";
  return (
    <section>
      <SectionHeader
        title="Tools"
        description={
          <>
            What a program gets from <code className="font-mono text-xs">GET /api/v1/tools?{query}</code> with a key of this workspace, in
            OpenAI&apos;s tools format.
          </>
        }
        actions={tools.data && tools.data.tools.length > 0 && <CopyButton value={json} label="Copy tools JSON" />}
      />
      <ErrorBanner error={tools.error} className="mb-3" />
      <Table label="Tools">
        <THead>
          <Th>Tool name</Th>
          <Th>Calls</Th>
          <Th>Description</Th>
        </THead>
        <tbody>
          <ListRows
            pending={tools.isPending}
            items={tools.data?.data.map((d, i) => ({ ...d, id: d.name, description: tools.data!.tools[i].function.description }))}
            columns={3}
            empty={
              <EmptyState icon={Wrench} title="No tools here yet" className="border-0">
                <p>Assign a connector or an MCP server to give this place tools.</p>
              </EmptyState>
            }
          >
            {(t) => (
              <Tr key={t.id}>
                <Td className="font-mono text-xs text-slate-800">{t.name}</Td>
                <Td className="whitespace-nowrap">
                  {t.kind === "connector" ? (
                    <>
                      <Badge tone="slate">{t.method}</Badge> <span className="font-mono text-xs text-slate-600">{t.path}</span>
                    </>
                  ) : (
                    <>
                      <Badge tone="violet">MCP</Badge>{" "}
                      <span className="font-mono text-xs text-slate-600">
                        {t.serverName} / {t.tool}
                      </span>
                    </>
                  )}
                </Td>
                <Td className="max-w-md truncate text-slate-600">{t.description}</Td>
              </Tr>
            )}
          </ListRows>
        </tbody>
      </Table>
    </section>
  );
}
