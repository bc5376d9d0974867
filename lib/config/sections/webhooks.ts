import { z } from "../../schemas/zod";
import { createWebhookSchema } from "../../schemas/webhooks";
import { agentNameSchema } from "../../schemas/agents";
import { workspaceNameSchema } from "../../schemas/workspaces";
import { AppError, isAppError } from "../../errors";
import { secretEquals } from "../../connectors/secrets";
import { createWebhookIn } from "../../webhooks/create-endpoint";
import { updateWebhookIn } from "../../webhooks/update-endpoint";
import { rotateWebhookSecretIn } from "../../webhooks/rotate-secret";
import { clearWebhookCache } from "../../webhooks/endpoint-cache";
import type { ConfigChange, ConfigSection } from "../types";
import { secretEnvName } from "./credentials";

// `webhooks: [{ name, workspace, scheme, secret: "${env:NAME}", target: { worker: <name> } | { workflow: <name> },
// mode?, options?, description?, syncTimeoutMs?, redactFields?, retentionDays?, maxBodyBytes?, enabled? }]`: an
// incoming webhook endpoint of a workspace, matched by workspace and name (any case). The target names a worker or
// workflow of the same workspace (this section applies after `workers` and `workflows`). The file is the whole
// declaration: a field left out takes its default. A secret different from the current one rotates it (the
// previous one stays valid for 24 h, as a rotation in the console); an equal one changes nothing.

const ROTATION_GRACE_SECONDS = 86_400;

const targetRef = z.union([z.strictObject({ worker: agentNameSchema }), z.strictObject({ workflow: agentNameSchema })], {
  error: "Give { worker: <name> } or { workflow: <name> }",
});

const item = createWebhookSchema.omit({ secret: true, target: true }).extend({
  workspace: workspaceNameSchema,
  secret: z.string().min(8, "Must be at least 8 characters").max(512).regex(/^\S+$/, "No spaces"),
  target: targetRef,
});
type Item = z.infer<typeof item>;

const targetOf = (t: Item["target"]) =>
  "worker" in t ? { type: "worker" as const, id: t.worker } : { type: "workflow" as const, id: t.workflow };

function atItem(e: unknown, i: number, name: string): unknown {
  if (!isAppError(e)) return e;
  const fields = (e.fields?.length ? e.fields : [{ path: "", message: e.message }]).map((f) => ({
    path: `webhooks[${i}]${f.path ? `.${f.path.replace(/^target\.id$/, "target")}` : ""}`,
    message: `${name}: ${f.message}`,
  }));
  return new AppError(e.code, `Webhook ${name}: ${e.message}`, { fields });
}

export const webhooksSection: ConfigSection<Item> = {
  key: "webhooks",
  item,
  identity: (w) => `${w.workspace.toLowerCase()}/${w.name.toLowerCase()}`,
  secretFields: ["secret"],
  async apply(items, { tx, actor, requestId, dryRun }) {
    const changes: ConfigChange[] = [];
    for (const [i, w] of items.entries()) {
      const label = `${w.workspace}/${w.name}`;
      const ws = await tx.workspace.findFirst({ where: { name: { equals: w.workspace, mode: "insensitive" } }, select: { id: true } });
      if (!ws) {
        if (dryRun) {
          changes.push({ section: "webhooks", name: label, action: "create" });
          continue;
        }
        throw new AppError("validation_failed", `Webhook ${w.name}: no workspace named ${w.workspace}`, {
          fields: [{ path: `webhooks[${i}].workspace`, message: `${w.name}: No workspace named ${w.workspace}` }],
        });
      }
      const existing = await tx.webhookEndpoint.findFirst({
        where: { workspaceId: ws.id, name: { equals: w.name, mode: "insensitive" } },
        select: { id: true, secrets: { where: { expiresAt: null }, select: { credentialId: true } } },
      });
      const { workspace: _ws, secret, target, ...rest } = w;
      try {
        if (!existing) {
          changes.push({ section: "webhooks", name: label, action: "create" });
          if (dryRun) continue;
          await createWebhookIn(tx, {
            actor,
            workspaceId: ws.id,
            input: { ...rest, secret, target: targetOf(target) },
            source: "config",
            requestId,
          });
          continue;
        }
        const current = existing.secrets[0];
        const sameSecret = current ? await secretEquals(tx, ws.id, current.credentialId, secret) : false;
        let fields: string[];
        if (dryRun) {
          fields = [];
          const row = await tx.webhookEndpoint.findUniqueOrThrow({ where: { id: existing.id } });
          for (const k of Object.keys(rest) as (keyof typeof rest)[])
            if (JSON.stringify(rest[k]) !== JSON.stringify((row as Record<string, unknown>)[k])) fields.push(k);
        } else {
          fields = await updateWebhookIn(tx, {
            actor,
            endpointId: existing.id,
            workspaceId: ws.id,
            input: { ...rest, target: targetOf(target) },
            // A new secret is rotated in below, checked against the new scheme there.
            secretReplaced: !sameSecret,
            requestId,
          });
        }
        if (!sameSecret) {
          fields.push("secret");
          if (!dryRun)
            await rotateWebhookSecretIn(tx, {
              actor,
              endpointId: existing.id,
              workspaceId: ws.id,
              input: { graceSeconds: ROTATION_GRACE_SECONDS, secret },
              source: "config",
              requestId,
            });
        }
        changes.push(
          fields.length
            ? { section: "webhooks", name: label, action: "update", fields }
            : { section: "webhooks", name: label, action: "unchanged" },
        );
      } catch (e) {
        throw atItem(e, i, w.name);
      }
    }
    return changes;
  },
  afterCommit(changes) {
    if (changes.some((c) => c.action !== "unchanged")) clearWebhookCache();
  },
  async export(tx) {
    const rows = await tx.webhookEndpoint.findMany({
      select: {
        name: true,
        description: true,
        scheme: true,
        options: true,
        targetType: true,
        worker: { select: { name: true } },
        workflow: { select: { name: true } },
        mode: true,
        syncTimeoutMs: true,
        redactFields: true,
        retentionDays: true,
        maxBodyBytes: true,
        enabled: true,
        workspace: { select: { name: true } },
        secrets: { where: { expiresAt: null }, select: { credentialId: true }, orderBy: { createdAt: "desc" }, take: 1 },
      },
      orderBy: [{ workspace: { name: "asc" } }, { name: "asc" }],
    });
    const credIds = rows.flatMap((r) => r.secrets.map((s) => s.credentialId));
    const credNames = new Map(
      (await tx.credential.findMany({ where: { id: { in: credIds } }, select: { id: true, name: true } })).map((c) => [c.id, c.name]),
    );
    return rows.map((r) => {
      const cred = r.secrets[0] ? credNames.get(r.secrets[0].credentialId) : undefined;
      const options = (r.options && typeof r.options === "object" && !Array.isArray(r.options) ? r.options : {}) as Record<string, unknown>;
      return {
        name: r.name,
        workspace: r.workspace.name,
        ...(r.description ? { description: r.description } : {}),
        scheme: r.scheme,
        ...(Object.keys(options).length ? { options } : {}),
        // The variable the credentials section names for this secret, so one variable feeds both.
        secret: `\${env:${secretEnvName(r.workspace.name, cred ?? `webhook:${r.name}`)}}`,
        target: r.targetType === "workflow" ? { workflow: r.workflow?.name ?? "" } : { worker: r.worker?.name ?? "" },
        mode: r.mode,
        ...(r.mode === "sync" ? { syncTimeoutMs: r.syncTimeoutMs } : {}),
        ...(r.redactFields.length ? { redactFields: r.redactFields } : {}),
        retentionDays: r.retentionDays,
        maxBodyBytes: r.maxBodyBytes,
        ...(r.enabled ? {} : { enabled: false }),
      };
    });
  },
};
