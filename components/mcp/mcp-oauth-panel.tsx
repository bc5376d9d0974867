"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { KeyRound, Link2 } from "lucide-react";
import { useSearchParams } from "next/navigation";
import type { McpOAuthAuthorizeDto, McpOAuthStatusDto, McpServerDto } from "@/lib/schemas/mcp";
import { api } from "@/components/api/client";
import { ErrorBanner, SuccessNote } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { DeleteAction } from "@/components/ui/delete-action";
import { formatRelative } from "@/components/ui/format";
import { mcpKeys } from "./keys";

const STATUS = {
  not_connected: { tone: "amber", label: "Not connected" },
  active: { tone: "green", label: "Connected" },
  needs_reauth: { tone: "red", label: "Needs reconnect" },
} as const;

/** Why the callback did not connect, as the Admin reads it on returning. */
const RESULTS: Record<string, string> = {
  denied: "The authorization was declined at the authorization server; nothing was stored.",
  expired: "The authorization took longer than 10 minutes; press Connect again.",
  replayed: "This authorization was already used; press Connect again if the server is not connected.",
  invalid_state: "The authorization answer could not be read; press Connect again.",
  exchange_failed: "The authorization server refused to issue tokens; see the last error below and press Connect again.",
};

export function McpOAuthBadge({ oauth }: { oauth: McpOAuthStatusDto | null }) {
  if (!oauth) return null;
  const s = STATUS[oauth.status];
  return (
    <Badge tone={s.tone}>
      <KeyRound className="size-3" aria-hidden /> OAuth: {s.label}
    </Badge>
  );
}

/** The server's OAuth connection: what it is, and Connect / Reconnect / Disconnect for those who manage servers. */
export function McpOAuthPanel({ s, canManage }: { s: McpServerDto; canManage: boolean }) {
  const qc = useQueryClient();
  const params = useSearchParams();
  const result = params.get("oauth");
  const oauth = s.oauth;
  const connect = useMutation({
    mutationFn: () => api<McpOAuthAuthorizeDto>(`/mcp-servers/${s.id}/oauth/authorize`, { method: "POST" }),
    // The authorization server's consent page; the callback brings the browser back here.
    onSuccess: (r) => window.location.assign(r.url),
  });
  if (!oauth) return null;
  const connected = oauth.status === "active";
  return (
    <section aria-label="OAuth connection" className="space-y-3 rounded-lg border border-slate-200 p-4">
      {result === "connected" && connected && (
        <SuccessNote>Connected. The server&apos;s tools were discovered with the new token.</SuccessNote>
      )}
      {result && result !== "connected" && <ErrorBanner error={{ message: RESULTS[result] ?? "The authorization did not complete." }} />}
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="space-y-1 text-sm text-slate-600">
          <h3 className="flex items-center gap-2 font-medium text-slate-900">
            OAuth connection <McpOAuthBadge oauth={oauth} />
          </h3>
          {connected ? (
            <p>
              Connected{oauth.connectedBy ? ` by ${oauth.connectedBy}` : ""}
              {oauth.connectedAt ? ` ${formatRelative(oauth.connectedAt)}` : ""}
              {oauth.expiresAt ? ` · token renewed automatically (current one expires ${formatRelative(oauth.expiresAt)})` : ""}
            </p>
          ) : oauth.status === "needs_reauth" ? (
            <p>The authorization server no longer accepts Switchboard&apos;s grant. Reconnect to call this server again.</p>
          ) : (
            <p>Calls and discovery need the workspace&apos;s account at this server: connect it once for the whole workspace.</p>
          )}
          <p className="text-xs text-slate-500">
            {oauth.scopes.length ? `Scopes: ${oauth.scopes.join(" ")} · ` : "Scopes: as the server asks · "}
            Client:{" "}
            {oauth.clientSource === "configured"
              ? `${oauth.clientId} (configured${oauth.hasClientSecret ? ", with secret" : ""})`
              : oauth.clientSource === "dynamic"
                ? `${oauth.clientId} (registered dynamically)`
                : "registered dynamically on first connect"}
            {oauth.authorizationServer ? ` · Authorization server: ${oauth.authorizationServer}` : ""}
          </p>
          {oauth.lastError && !connected && (
            <p role="status" className="text-xs text-red-700">
              Last error: {oauth.lastError}
            </p>
          )}
        </div>
        {canManage && (
          <div className="flex gap-2">
            <Button onClick={() => connect.mutate()} disabled={connect.isPending} variant={connected ? "secondary" : "primary"}>
              <Link2 className="size-4" aria-hidden />{" "}
              {connect.isPending ? "Opening…" : connected || oauth.status === "needs_reauth" ? "Reconnect" : "Connect"}
            </Button>
            {oauth.status !== "not_connected" && (
              <DeleteAction
                title={`Disconnect ${s.name}?`}
                description={<p>The tokens are deleted; discovery and tool calls fail until someone connects again.</p>}
                confirmLabel="Disconnect"
                request={() => api<McpServerDto>(`/mcp-servers/${s.id}/oauth`, { method: "DELETE" })}
                onDeleted={() => {
                  void qc.invalidateQueries({ queryKey: mcpKeys.one(s.id) });
                  void qc.invalidateQueries({ queryKey: mcpKeys.all(s.workspaceId) });
                }}
                trigger={(open) => (
                  <Button variant="secondary" onClick={open}>
                    Disconnect
                  </Button>
                )}
              />
            )}
          </div>
        )}
      </div>
      <ErrorBanner error={connect.error} />
    </section>
  );
}
