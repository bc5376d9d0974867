"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { KeyRound } from "lucide-react";
import { useState } from "react";
import { rotateWebhookSecretSchema, type WebhookDto, type WebhookWithSecretDto } from "@/lib/schemas/webhooks";
import { zodProblems } from "@/lib/schemas/zod";
import { api } from "@/components/api/client";
import { ErrorBanner } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Dialog, DialogFooter } from "@/components/ui/dialog";
import { Field, Input, Select } from "@/components/ui/field";
import { formatDateTime } from "@/components/ui/format";
import { Table, Td, Th, THead, Tr } from "@/components/ui/table";
import { webhookKeys } from "./keys";
import { senderIssuesSecret } from "./schemes";
import { SecretReveal } from "./secret-reveal";

const GRACE_CHOICES = [
  [0, "End it now"],
  [3600, "1 hour"],
  [86_400, "24 hours"],
  [7 * 86_400, "7 days"],
  [30 * 86_400, "30 days"],
] as const;

/** "3 h 20 min left": the grace period's remainder, precise enough to plan the sender's switch. */
function timeLeft(ms: number): string {
  const min = Math.max(1, Math.round(ms / 60_000));
  if (min < 60) return `${min} min left`;
  const h = Math.floor(min / 60);
  if (h < 48) return `${h} h ${min % 60} min left`;
  return `${Math.round(h / 24)} days left`;
}

function SecretState({ expiresAt, now }: { expiresAt: string | null; now: number }) {
  if (!expiresAt) return <Badge tone="green">Current</Badge>;
  if (Date.parse(expiresAt) <= now) return <Badge tone="slate">Expired</Badge>;
  return (
    <span title={`Valid until ${formatDateTime(expiresAt)}`}>
      <Badge tone="amber">Expiring</Badge>
      <span className="ml-1.5 text-xs text-slate-600">{timeLeft(Date.parse(expiresAt) - now)}</span>
    </span>
  );
}

/** The secrets that verify requests now (several during a rotation's grace period), and Rotate. */
export function WebhookSecrets({ w, origin, canManage }: { w: WebhookDto; origin: string; canManage: boolean }) {
  const [now] = useState(() => Date.now());
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <p className="max-w-2xl text-sm text-slate-500">
          A request is accepted when it verifies with any secret listed here. Rotating keeps the old secret valid for the grace period you
          choose, so the sender can switch without refused events.
        </p>
        {canManage && <RotateDialog w={w} origin={origin} />}
      </div>
      <Table label="Secrets">
        <THead>
          <Th>Secret</Th>
          <Th>State</Th>
          <Th>Created</Th>
        </THead>
        <tbody>
          {w.secrets.map((s) => (
            <Tr key={s.id}>
              <Td className="font-mono text-xs">{s.mask}</Td>
              <Td>
                <SecretState expiresAt={s.expiresAt} now={now} />
              </Td>
              <Td className="text-slate-600">{formatDateTime(s.createdAt)}</Td>
            </Tr>
          ))}
        </tbody>
      </Table>
    </div>
  );
}

function RotateDialog({ w, origin }: { w: WebhookDto; origin: string }) {
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [grace, setGrace] = useState("86400");
  const [source, setSource] = useState<"generate" | "sender">(senderIssuesSecret(w.scheme) ? "sender" : "generate");
  const [secret, setSecret] = useState("");
  const [error, setError] = useState<string | undefined>();
  const rotate = useMutation({
    mutationFn: (body: unknown) => api<WebhookWithSecretDto>(`/webhooks/${w.id}/rotate-secret`, { method: "POST", body }),
    onSuccess: (next) => {
      const { secret: _shownOnce, ...dto } = next;
      qc.setQueryData(webhookKeys.one(w.id), dto);
      void qc.invalidateQueries({ queryKey: webhookKeys.all(w.workspaceId) });
    },
  });
  const close = () => {
    setOpen(false);
    setSecret("");
    setError(undefined);
    rotate.reset();
  };
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const parsed = rotateWebhookSecretSchema.safeParse({ graceSeconds: Number(grace), ...(source === "sender" ? { secret } : {}) });
    if (!parsed.success) {
      setError(zodProblems(parsed.error).find((p) => p.path === "secret")?.message ?? zodProblems(parsed.error)[0]?.message);
      return;
    }
    setError(undefined);
    rotate.mutate(parsed.data);
  };
  const done = rotate.data;
  return (
    <Dialog
      open={open}
      onOpenChange={(o) => (o ? setOpen(true) : close())}
      trigger={
        <Button variant="secondary">
          <KeyRound className="size-4" aria-hidden /> Rotate secret
        </Button>
      }
      title={done ? "Secret rotated" : "Rotate the signing secret"}
      description={
        done
          ? "Give the sender the new secret. The previous one keeps working until its grace period ends."
          : "A new secret becomes current; the current one stays valid for the grace period."
      }
    >
      {done ? (
        <>
          <SecretReveal url={`${origin}${done.path}`} secret={done.secret} scheme={done.scheme} options={done.options} withHint={false} />
          <DialogFooter>
            <Button onClick={close}>Done</Button>
          </DialogFooter>
        </>
      ) : (
        <form onSubmit={submit} noValidate className="space-y-4">
          <Field label="Keep the current secret valid for" htmlFor="wh-grace">
            <Select id="wh-grace" value={grace} onChange={(e) => setGrace(e.target.value)}>
              {GRACE_CHOICES.map(([s, label]) => (
                <option key={s} value={s}>
                  {label}
                </option>
              ))}
            </Select>
          </Field>
          <div className="space-y-2">
            <label className="flex items-center gap-2 text-sm text-slate-700">
              <input type="radio" name="wh-rotate-source" checked={source === "generate"} onChange={() => setSource("generate")} />
              Generate a new secret (shown once)
            </label>
            <label className="flex items-center gap-2 text-sm text-slate-700">
              <input type="radio" name="wh-rotate-source" checked={source === "sender"} onChange={() => setSource("sender")} />
              Paste the sender&apos;s new secret
            </label>
          </div>
          {source === "sender" && (
            <Field label="New secret" htmlFor="wh-new-secret" error={error}>
              <Input
                id="wh-new-secret"
                type="password"
                autoComplete="off"
                value={secret}
                invalid={!!error}
                onChange={(e) => setSecret(e.target.value)}
              />
            </Field>
          )}
          {source === "generate" && error && <ErrorBanner error={{ message: error }} />}
          <ErrorBanner error={rotate.error} />
          <DialogFooter>
            <Button type="submit" pending={rotate.isPending}>
              Rotate secret
            </Button>
          </DialogFooter>
        </form>
      )}
    </Dialog>
  );
}
