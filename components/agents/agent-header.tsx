"use client";

import { ArrowLeft } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import type { AgentDto } from "@/lib/schemas/agents";
import { Button } from "@/components/ui/button";
import { DeleteAgentButton, EditAgentDialog } from "./agent-dialogs";
import { KIND_INFO } from "./keys";

export function AgentHeader({ agent, ws, canManage }: { agent: AgentDto; ws: string; canManage: boolean }) {
  const router = useRouter();
  const info = KIND_INFO[agent.kind];
  return (
    <>
      <Link href={`/w/${ws}${info.path}`} className="inline-flex items-center gap-1 text-sm text-slate-500 hover:text-slate-800">
        <ArrowLeft className="size-3.5" aria-hidden /> All {info.plural}
      </Link>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0 max-w-3xl">
          <h2 className="text-lg font-semibold text-slate-900" data-testid="agent-name">
            {agent.name}
          </h2>
          <p className="text-sm text-slate-500">
            {info.label[0].toUpperCase() + info.label.slice(1)} · {agent.connectorCount} connector{agent.connectorCount === 1 ? "" : "s"}
            {agent.source === "config" ? " · from a configuration file" : ""}
          </p>
          {agent.description && <p className="mt-2 text-sm whitespace-pre-line text-slate-600">{agent.description}</p>}
        </div>
        {canManage && (
          <div className="flex gap-2">
            <EditAgentDialog agent={agent} trigger={<Button variant="secondary">Rename</Button>} />
            <DeleteAgentButton agent={agent} onDeleted={() => router.push(`/w/${ws}${info.path}`)} />
          </div>
        )}
      </div>
    </>
  );
}
