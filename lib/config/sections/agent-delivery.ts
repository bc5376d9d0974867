import { z } from "../../schemas/zod";
import { deliveryUrlSchema } from "../../schemas/webhook-delivery";
import type { Tx } from "../../db/types";
import { secretEquals } from "../../connectors/secrets";
import { applyDeliverySettingsIn, type DeliveryKind } from "../../webhooks/target-delivery";
import type { ApplyContext } from "../types";
import { secretEnvName } from "./credentials";

// A worker's or workflow's webhook delivery in the config file: `deliveryUrl` (null removes it), `deliveryInternal`
// (private addresses), and `deliverySecret`, the Standard Webhooks signing secret as `${env:NAME}`. Without a
// deliverySecret a first URL gets a generated one (rotate it in the console to see it). Fields left out are kept.

/** whsec_ and base64 of 24 to 64 bytes, as the Standard Webhooks libraries take it. */
export const signingSecretSchema = z
  .string()
  .trim()
  .regex(/^(whsec_)?[A-Za-z0-9+/]{32,88}={0,2}$/, "Must be a Standard Webhooks secret: whsec_ and 24 to 64 bytes in base64");

export const deliveryItemFields = {
  deliveryUrl: deliveryUrlSchema.nullable().optional(),
  deliveryInternal: z.boolean().optional(),
  deliverySecret: signingSecretSchema.optional(),
};

interface DeliveryItem {
  deliveryUrl?: string | null;
  deliveryInternal?: boolean;
  deliverySecret?: string;
}

/** Brings the target's delivery to the item's fields; returns the changed field names. */
export async function reconcileDelivery(
  ctx: ApplyContext,
  o: { kind: DeliveryKind; row: { id: string; workspaceId: string } | null; item: DeliveryItem; at: string },
): Promise<string[]> {
  const { item } = o;
  if (item.deliveryUrl === undefined && item.deliveryInternal === undefined && item.deliverySecret === undefined) return [];
  // A target created by this apply in a dry run does not exist yet: it is reported as created.
  if (!o.row) return [];
  const where = { id: o.row.id, workspaceId: o.row.workspaceId };
  const select = { deliveryUrl: true, deliveryInternal: true, deliverySecretId: true } as const;
  const cur = o.kind === "worker" ? await ctx.tx.worker.findFirst({ where, select }) : await ctx.tx.workflow.findFirst({ where, select });
  if (!cur) return [];
  const fields: string[] = [];
  if (item.deliveryUrl !== undefined && item.deliveryUrl !== cur.deliveryUrl) fields.push("deliveryUrl");
  if (item.deliveryInternal !== undefined && item.deliveryInternal !== cur.deliveryInternal) fields.push("deliveryInternal");
  if (item.deliverySecret !== undefined) {
    const same = cur.deliverySecretId ? await secretEquals(ctx.tx, o.row.workspaceId, cur.deliverySecretId, item.deliverySecret) : false;
    if (!same) fields.push("deliverySecret");
  } else if (item.deliveryUrl && !cur.deliverySecretId) fields.push("deliverySecret");
  if (!fields.length || ctx.dryRun) return fields;
  await applyDeliverySettingsIn(ctx.tx, {
    actor: ctx.actor,
    // Applying a configuration is an instance admin's act (config.apply).
    role: "ADMIN",
    kind: o.kind,
    id: o.row.id,
    workspaceId: o.row.workspaceId,
    input: { deliveryUrl: item.deliveryUrl, deliveryInternal: item.deliveryInternal },
    secretValue: item.deliverySecret,
    source: "config",
    requestId: ctx.requestId,
  });
  return fields;
}

/** The delivery fields an export writes for each row (the secret as the ${env:...} the credentials section names). */
export async function exportDelivery(
  tx: Tx,
  rows: { deliveryUrl: string | null; deliveryInternal: boolean; deliverySecretId: string | null; workspace: { name: string } }[],
): Promise<(r: (typeof rows)[number]) => Record<string, unknown>> {
  const ids = rows.map((r) => r.deliverySecretId).filter((v): v is string => !!v);
  const names = new Map(
    (ids.length ? await tx.credential.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } }) : []).map((c) => [
      c.id,
      c.name,
    ]),
  );
  return (r) => {
    const cred = r.deliverySecretId ? names.get(r.deliverySecretId) : undefined;
    return {
      ...(r.deliveryUrl ? { deliveryUrl: r.deliveryUrl } : {}),
      ...(r.deliveryInternal ? { deliveryInternal: true } : {}),
      ...(cred ? { deliverySecret: `\${env:${secretEnvName(r.workspace.name, cred)}}` } : {}),
    };
  };
}
