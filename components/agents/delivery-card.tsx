"use client";

import { useQueryClient } from "@tanstack/react-query";
import { AlertTriangle } from "lucide-react";
import { updateTargetSchema, type AgentDto } from "@/lib/schemas/agents";
import { z } from "@/lib/schemas/zod";
import { api } from "@/components/api/client";
import { FormDialog } from "@/components/forms/form-dialog";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { CopyButton, OneTimeValue } from "@/components/ui/copy-button";
import { Field, Input } from "@/components/ui/field";
import { SectionHeader } from "@/components/ui/page-header";
import { agentKeys, KIND_INFO } from "./keys";

// A worker's or workflow's webhook delivery: where verified events are forwarded (signed with Standard Webhooks),
// its signing secret (shown once when generated or rotated), and how a program consumes the events.

const rotateSchema = z.object({});

function SecretShownOnce({ secret }: { secret: string }) {
  return (
    <>
      <div className="flex gap-2.5 rounded-md bg-amber-50 px-3 py-2.5 text-sm text-amber-900 ring-1 ring-amber-200">
        <AlertTriangle className="mt-0.5 size-4 shrink-0" aria-hidden />
        <p>Copy this signing secret now and give it to the receiving service. Switchboard keeps it encrypted and will not show it again.</p>
      </div>
      <OneTimeValue value={secret} testId="delivery-secret" />
    </>
  );
}

function EditDeliveryDialog({ agent, canMarkInternal }: { agent: AgentDto; canMarkInternal: boolean }) {
  const qc = useQueryClient();
  const info = KIND_INFO[agent.kind];
  const d = agent.delivery;
  return (
    <FormDialog
      schema={updateTargetSchema}
      toInput={(f) => {
        const url = String(f.get("deliveryUrl") ?? "").trim();
        return { deliveryUrl: url || null, ...(canMarkInternal ? { deliveryInternal: f.get("deliveryInternal") === "on" } : {}) };
      }}
      mutationFn={(input) => api<AgentDto>(`/${info.plural}/${agent.id}`, { method: "PATCH", body: input })}
      onSuccess={(a) => {
        const { deliverySecret: _shownOnce, ...rest } = a;
        qc.setQueryData(agentKeys.one(agent.kind, agent.id), rest);
        void qc.invalidateQueries({ queryKey: agentKeys.all(agent.kind, agent.workspaceId) });
      }}
      result={{
        render: (a) =>
          a.deliverySecret ? (
            <SecretShownOnce secret={a.deliverySecret} />
          ) : (
            <p className="text-sm text-slate-600" role="status">
              {a.delivery?.url ? `Events are forwarded to ${a.delivery.url}.` : "Forwarding is off: events wait in the pull queue."}
            </p>
          ),
        heading: { title: "Delivery saved" },
      }}
      title="Webhook delivery"
      description={`Verified webhook events for this ${info.label} are POSTed to this URL, signed with Standard Webhooks. Leave it empty to only pull them.`}
      trigger={<Button variant="secondary">{d?.url ? "Edit delivery" : "Set delivery URL"}</Button>}
      submitLabel="Save"
      autoComplete="off"
    >
      {(errors) => (
        <div className="space-y-4">
          <Field
            label="Delivery URL"
            htmlFor="delivery-url"
            error={errors.deliveryUrl}
            hint="https://… of the service that runs this agent"
          >
            <Input
              id="delivery-url"
              name="deliveryUrl"
              type="url"
              defaultValue={d?.url ?? ""}
              placeholder="https://agents.example.com/webhooks"
              maxLength={2000}
              invalid={!!errors.deliveryUrl}
            />
          </Field>
          {canMarkInternal && (
            <label className="flex items-start gap-2 text-sm text-slate-700">
              <input type="checkbox" name="deliveryInternal" className="mt-0.5" defaultChecked={d?.internal ?? false} />
              <span>
                Internal: allow private and loopback addresses
                <span className="block text-xs text-slate-500">For services inside your network; only Admins can set this.</span>
              </span>
            </label>
          )}
        </div>
      )}
    </FormDialog>
  );
}

function RotateSecretDialog({ agent }: { agent: AgentDto }) {
  const qc = useQueryClient();
  const info = KIND_INFO[agent.kind];
  return (
    <FormDialog
      schema={rotateSchema}
      toInput={() => ({})}
      mutationFn={() => api<{ secret: string }>(`/${info.plural}/${agent.id}/rotate-delivery-secret`, { method: "POST" })}
      onSuccess={() => void qc.invalidateQueries({ queryKey: agentKeys.one(agent.kind, agent.id) })}
      result={{ render: (r) => <SecretShownOnce secret={r.secret} />, heading: { title: "New signing secret" } }}
      title="Rotate signing secret?"
      description="A new secret is generated and every forward from now on is signed with it; the old one stops at once. Update the receiving service right after."
      trigger={<Button variant="secondary">{agent.delivery?.secretSet ? "Rotate signing secret" : "Generate signing secret"}</Button>}
      submitLabel="Rotate secret"
    >
      {() => null}
    </FormDialog>
  );
}

function Snippet({ label, code, testId }: { label: string; code: string; testId: string }) {
  return (
    <div className="space-y-1.5">
      <div className="flex items-center justify-between gap-2">
        <p className="text-sm font-medium text-slate-700">{label}</p>
        <CopyButton value={code} label="Copy" />
      </div>
      <pre data-testid={testId} className="overflow-x-auto rounded-md bg-slate-900 p-3 font-mono text-xs leading-relaxed text-slate-100">
        {code}
      </pre>
    </div>
  );
}

export function DeliveryCard({
  agent,
  origin,
  canManage,
  canMarkInternal,
}: {
  agent: AgentDto;
  origin: string;
  canManage: boolean;
  canMarkInternal: boolean;
}) {
  const d = agent.delivery ?? { url: null, internal: false, secretSet: false, secretMask: null };
  const query = `${agent.kind}=${encodeURIComponent(agent.name)}`;
  const auth = `-H "Authorization: Bearer $SWITCHBOARD_KEY"`;
  const pull = [
    `# Wait up to 20 s for up to 10 events; each is hidden for 30 s (visibility=) until acknowledged`,
    `curl -s "${origin}/api/v1/events?${query}&wait=20" ${auth}`,
    ``,
    `# Done with an event: it is never handed out again`,
    `curl -s -X POST "${origin}/api/v1/events/EVENT_ID/ack" ${auth}`,
    ``,
    `# A sync-mode endpoint's sender waits for this answer`,
    `curl -s -X POST "${origin}/api/v1/events/EVENT_ID/result" ${auth} \\`,
    `  -H "Content-Type: application/json" -d '{"status":200,"body":{"ok":true}}'`,
  ].join("\n");
  const verify = [
    `import { Webhook } from "standardwebhooks";`,
    ``,
    `// rawBody: the request body exactly as received; headers: webhook-id, webhook-timestamp, webhook-signature`,
    `const event = new Webhook(process.env.SWITCHBOARD_WEBHOOK_SECRET).verify(rawBody, headers);`,
    `// Answer 2xx to acknowledge (a sync event's JSON answer is its result); anything else is retried with backoff.`,
  ].join("\n");
  return (
    <section>
      <SectionHeader
        title="Webhook delivery"
        description="How this agent receives the verified events of the webhook endpoints that target it: forwarded to its URL, or pulled from its queue with a workspace key."
        actions={
          canManage && (
            <div className="flex gap-2">
              <EditDeliveryDialog agent={agent} canMarkInternal={canMarkInternal} />
              {(d.url || d.secretSet) && <RotateSecretDialog agent={agent} />}
            </div>
          )
        }
      />
      <dl className="grid gap-x-6 gap-y-2 rounded-lg bg-white p-4 text-sm ring-1 ring-slate-200 sm:grid-cols-[10rem_1fr]">
        <dt className="text-slate-500">Forwarded to</dt>
        <dd className="min-w-0 break-all text-slate-800" data-testid="delivery-url">
          {d.url ? (
            <>
              <span className="font-mono text-xs">{d.url}</span> {d.internal && <Badge tone="amber">Internal</Badge>}
            </>
          ) : (
            <span className="text-slate-500">Not forwarded: events wait in the pull queue</span>
          )}
        </dd>
        <dt className="text-slate-500">Signing secret</dt>
        <dd className="text-slate-800" data-testid="delivery-secret-mask">
          {d.secretSet ? <span className="font-mono text-xs">{d.secretMask}</span> : <span className="text-slate-500">None yet</span>}
        </dd>
      </dl>
      <div className="mt-4 space-y-4">
        <Snippet label="Pull events with a key of this workspace" code={pull} testId="delivery-pull-snippet" />
        {d.url && <Snippet label="Verify a forward in the receiving service" code={verify} testId="delivery-verify-snippet" />}
      </div>
    </section>
  );
}
