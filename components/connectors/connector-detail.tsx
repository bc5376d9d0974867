"use client";

import { DeleteAction } from "@/components/ui/delete-action";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { ArrowLeft, Pencil } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { ConnectorDto } from "@/lib/schemas/connectors";
import { api } from "@/components/api/client";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConnectorActivity } from "./connector-activity";
import { ConnectorConnections } from "./connector-connections";
import { ConnectorDialog } from "./connector-form";
import { ConnectorOverview } from "./connector-overview";
import { connectorKeys } from "./keys";

const TABS = [
  { id: "overview", label: "Overview" },
  { id: "connections", label: "Connections" },
  { id: "activity", label: "Activity" },
] as const;
const END_USER_MODES = ["oauth-user", "hybrid"];

export function ConnectorDetail({
  ws,
  initial,
  canManage,
  canMarkInternal,
  redirectUri,
  userEmail,
}: {
  ws: string;
  initial: ConnectorDto;
  canManage: boolean;
  canMarkInternal: boolean;
  redirectUri: string;
  /** The signed-in person (their end user id for "Connect my account"). */
  userEmail: string | null;
}) {
  const qc = useQueryClient();
  const connector = useQuery({
    queryKey: connectorKeys.one(initial.id),
    queryFn: () => api<ConnectorDto>(`/connectors/${initial.id}`),
    initialData: initial,
  });
  const c = connector.data;
  const [tab, setTab] = useState<(typeof TABS)[number]["id"]>("overview");
  const saved = (next: ConnectorDto) => {
    qc.setQueryData(connectorKeys.one(c.id), next);
    void qc.invalidateQueries({ queryKey: connectorKeys.all(c.workspaceId) });
  };
  return (
    <div className="space-y-5">
      <Link href={`/w/${ws}/providers/connectors`} className="inline-flex items-center gap-1 text-sm text-slate-500 hover:text-slate-800">
        <ArrowLeft className="size-3.5" aria-hidden /> All connectors
      </Link>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0 max-w-3xl">
          <h2 className="flex items-center gap-2 text-lg font-semibold text-slate-900">
            <span data-testid="connector-name">{c.name}</span>
            {c.public ? <Badge tone="brand">Public</Badge> : <Badge tone="slate">Private</Badge>}
            {c.internal && <Badge tone="amber">Internal</Badge>}
          </h2>
          <p className="text-sm text-slate-500">
            {c.provider.name}
            {c.globalId ? ` · ${c.globalId}` : ""} · {c.auth.label}
          </p>
          {c.description && <p className="mt-2 text-sm whitespace-pre-line text-slate-600">{c.description}</p>}
        </div>
        {canManage && (
          <div className="flex gap-2">
            <ConnectorDialog
              workspaceId={c.workspaceId}
              connector={c}
              canMarkInternal={canMarkInternal}
              redirectUri={redirectUri}
              onSaved={saved}
              trigger={
                <Button variant="secondary">
                  <Pencil className="size-4" aria-hidden /> Edit
                </Button>
              }
            />
            <DeleteConnector c={c} ws={ws} />
          </div>
        )}
      </div>
      <div role="tablist" aria-label="Connector" className="flex gap-4 border-b border-slate-200">
        {TABS.filter((t) => t.id !== "connections" || END_USER_MODES.includes(c.auth.mode)).map((t) => (
          <button
            key={t.id}
            role="tab"
            type="button"
            aria-selected={tab === t.id}
            onClick={() => setTab(t.id)}
            className={`-mb-px border-b-2 px-1 pb-2 text-sm font-medium ${tab === t.id ? "border-brand-600 text-brand-700" : "border-transparent text-slate-500 hover:text-slate-800"}`}
          >
            {t.label}
          </button>
        ))}
      </div>
      {tab === "overview" && (
        <ConnectorOverview c={c} canManage={canManage} onTested={() => void qc.invalidateQueries({ queryKey: connectorKeys.one(c.id) })} />
      )}
      {tab === "connections" && END_USER_MODES.includes(c.auth.mode) && (
        <ConnectorConnections connectorId={c.id} canManage={canManage} userEmail={userEmail} />
      )}
      {tab === "activity" && <ConnectorActivity connectorId={c.id} />}
    </div>
  );
}

function DeleteConnector({ c, ws }: { c: ConnectorDto; ws: string }) {
  const qc = useQueryClient();
  const router = useRouter();
  return (
    <DeleteAction
      title={`Delete ${c.name}?`}
      description={
        <p>
          The connector, its assignments to workers, workflow nodes and skills, its call history and its stored secrets are deleted. Agents
          lose these tools at once. This cannot be undone.
        </p>
      }
      confirmLabel="Delete connector"
      request={() => api<void>(`/connectors/${c.id}`, { method: "DELETE" })}
      onDeleted={() => {
        void qc.invalidateQueries({ queryKey: connectorKeys.all(c.workspaceId) });
        router.push(`/w/${ws}/providers/connectors`);
      }}
    />
  );
}
