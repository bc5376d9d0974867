import crypto from "node:crypto";
import type { Tx } from "../db/types";
import type { Actor } from "../auth/actor";
import { isInstanceAdmin } from "../auth/actor";
import { recordAudit, REDACTED } from "../audit/record";
import { createCredentialIn } from "../credentials/create-credential";
import { updateCredentialIn } from "../credentials/update-credential";
import { attachCredentialUsage, releaseCredential } from "../credentials/use-credential";
import { secretEquals } from "../connectors/secrets";
import { AppError, forbidden, isAppError, notFound } from "../errors";
import { checkOutboundUrl } from "../outbound/fetch";
import type { RoleName } from "../schemas/workspaces";
import type { DeliveryDto, DeliverySettingsInput } from "../schemas/webhook-delivery";

// A worker's or workflow's delivery settings: the URL its webhook events are forwarded to, whether an Admin let
// it reach private addresses, and the Standard Webhooks signing secret of the forwards (a workspace Credential
// used by the target, generated as whsec_<base64> and shown once, or given by a config file as ${env:NAME}).

export type DeliveryKind = "worker" | "workflow";
export const DELIVERY_OWNER: Record<DeliveryKind, string> = { worker: "worker-delivery", workflow: "workflow-delivery" };

interface TargetRow {
  id: string;
  name: string;
  workspaceId: string;
  deliveryUrl: string | null;
  deliveryInternal: boolean;
  deliverySecretId: string | null;
}

const select = { id: true, name: true, workspaceId: true, deliveryUrl: true, deliveryInternal: true, deliverySecretId: true } as const;

async function readTarget(tx: Tx, kind: DeliveryKind, id: string, workspaceId: string): Promise<TargetRow> {
  const where = { id, workspaceId };
  const row = kind === "worker" ? await tx.worker.findFirst({ where, select }) : await tx.workflow.findFirst({ where, select });
  if (!row) throw notFound(kind === "worker" ? "Worker" : "Workflow");
  return row;
}

async function writeTarget(tx: Tx, kind: DeliveryKind, row: TargetRow, data: Partial<TargetRow>) {
  // registry-neutral: workers and workflows are not in the gateway's routing snapshot
  if (kind === "worker") await tx.worker.update({ where: { id: row.id, workspaceId: row.workspaceId }, data, select: { id: true } });
  // registry-neutral: as above
  else await tx.workflow.update({ where: { id: row.id, workspaceId: row.workspaceId }, data, select: { id: true } });
}

/** A new Standard Webhooks secret: whsec_ and 32 random bytes in base64. */
export const generateSigningSecret = () => `whsec_${crypto.randomBytes(32).toString("base64")}`;

/** Only Admins may let forwards reach private addresses, or move an internal target's URL. */
export const mayDeliverInternally = (actor: Actor, role: RoleName) => role === "ADMIN" || isInstanceAdmin(actor);

function checkDeliveryUrl(url: string, internal: boolean) {
  try {
    checkOutboundUrl(url, internal);
  } catch (e) {
    if (!isAppError(e)) throw e;
    const message = internal ? e.message : `${e.message}; an Admin can mark the delivery internal to allow private addresses`;
    throw new AppError("validation_failed", "The delivery URL is not allowed; nothing was saved", {
      fields: [{ path: "deliveryUrl", message }],
    });
  }
}

export const credentialBase = (kind: DeliveryKind, name: string) =>
  `delivery:${kind}:${name}`
    .replace(/[^\p{L}\p{N} ._:/-]+/gu, "-")
    .slice(0, 74)
    .trim();

/** Stores `value` as the target's signing secret (replacing the stored one's value, or creating its credential). */
async function storeSecret(
  tx: Tx,
  o: { actor: Actor; kind: DeliveryKind; row: TargetRow; value: string; source?: string; requestId?: string },
): Promise<string> {
  const { row } = o;
  if (row.deliverySecretId) {
    if (!(await secretEquals(tx, row.workspaceId, row.deliverySecretId, o.value)))
      await updateCredentialIn(tx, {
        actor: o.actor,
        workspaceId: row.workspaceId,
        credentialId: row.deliverySecretId,
        input: { value: o.value },
        requestId: o.requestId,
      });
    return row.deliverySecretId;
  }
  const base = credentialBase(o.kind, row.name);
  // An exported configuration lists this secret in `credentials` too: take over that unused credential.
  const adopt =
    o.source === "config"
      ? await tx.credential.findFirst({
          where: { workspaceId: row.workspaceId, name: { equals: base, mode: "insensitive" }, usages: { none: {} } },
          select: { id: true },
        })
      : null;
  if (adopt) {
    if (!(await secretEquals(tx, row.workspaceId, adopt.id, o.value)))
      await updateCredentialIn(tx, {
        actor: o.actor,
        workspaceId: row.workspaceId,
        credentialId: adopt.id,
        input: { value: o.value },
        requestId: o.requestId,
      });
    await attachCredentialUsage(tx, { credentialId: adopt.id, ownerType: DELIVERY_OWNER[o.kind], ownerId: row.id, label: row.name });
    await writeTarget(tx, o.kind, row, { deliverySecretId: adopt.id });
    return adopt.id;
  }
  let name = base;
  for (
    let i = 2;
    await tx.credential.findFirst({
      where: { workspaceId: row.workspaceId, name: { equals: name, mode: "insensitive" } },
      select: { id: true },
    });
    i++
  )
    name = `${base}-${i}`;
  const cred = await createCredentialIn(tx, {
    actor: o.actor,
    workspaceId: row.workspaceId,
    input: { name, kind: "webhook-secret", value: o.value, description: `Signs the webhook forwards to ${o.kind} ${row.name}` },
    source: o.source,
    requestId: o.requestId,
  });
  await attachCredentialUsage(tx, { credentialId: cred.id, ownerType: DELIVERY_OWNER[o.kind], ownerId: row.id, label: row.name });
  await writeTarget(tx, o.kind, row, { deliverySecretId: cred.id });
  return cred.id;
}

/**
 * Applies delivery settings inside `tx` (the caller checked integrations.manage and passes the actor's role).
 * A first URL gets a generated signing secret unless `secretValue` gives one; returns the generated secret (to
 * show once) and whether anything changed. Audited as `<kind>.delivery.update`.
 */
export async function applyDeliverySettingsIn(
  tx: Tx,
  o: {
    actor: Actor;
    role: RoleName;
    kind: DeliveryKind;
    id: string;
    workspaceId: string;
    input: DeliverySettingsInput;
    secretValue?: string;
    source?: string;
    requestId?: string;
  },
): Promise<{ secret: string | null; changed: boolean }> {
  const before = await readTarget(tx, o.kind, o.id, o.workspaceId);
  const url = o.input.deliveryUrl !== undefined ? o.input.deliveryUrl : before.deliveryUrl;
  const internal = o.input.deliveryInternal ?? before.deliveryInternal;
  const admin = mayDeliverInternally(o.actor, o.role);
  if (internal !== before.deliveryInternal && !admin) throw forbidden("Only an Admin can let webhook forwards reach private addresses");
  if (internal && before.deliveryInternal && url !== before.deliveryUrl && url !== null && !admin)
    throw forbidden("Only an Admin can change the delivery URL of an internal target");
  if (url) checkDeliveryUrl(url, internal);
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  if (url !== before.deliveryUrl) changes.deliveryUrl = { from: before.deliveryUrl, to: url };
  if (internal !== before.deliveryInternal) changes.deliveryInternal = { from: before.deliveryInternal, to: internal };
  if (Object.keys(changes).length) await writeTarget(tx, o.kind, before, { deliveryUrl: url, deliveryInternal: internal });
  let secret: string | null = null;
  if (o.secretValue !== undefined) {
    const hadSecret = before.deliverySecretId;
    const same = hadSecret ? await secretEquals(tx, before.workspaceId, hadSecret, o.secretValue) : false;
    if (!same) {
      await storeSecret(tx, { ...o, row: before, value: o.secretValue });
      changes.deliverySecret = { from: hadSecret ? REDACTED : null, to: REDACTED };
    }
  } else if (url && !before.deliverySecretId) {
    secret = generateSigningSecret();
    await storeSecret(tx, { ...o, row: before, value: secret });
    changes.deliverySecret = { from: null, to: REDACTED };
  }
  if (Object.keys(changes).length)
    await recordAudit(tx, {
      actor: o.actor,
      action: `${o.kind}.delivery.update`,
      targetType: o.kind,
      targetId: before.id,
      targetLabel: before.name,
      workspaceId: before.workspaceId,
      changes,
      requestId: o.requestId,
    });
  return { secret, changed: Object.keys(changes).length > 0 };
}

/** Replaces the signing secret with a new generated one (creating it when there is none); returns it to show once. */
export async function rotateDeliverySecretIn(
  tx: Tx,
  o: { actor: Actor; kind: DeliveryKind; id: string; workspaceId: string; requestId?: string },
): Promise<string> {
  const row = await readTarget(tx, o.kind, o.id, o.workspaceId);
  const secret = generateSigningSecret();
  await storeSecret(tx, { ...o, row, value: secret });
  await recordAudit(tx, {
    actor: o.actor,
    action: `${o.kind}.delivery.rotate_secret`,
    targetType: o.kind,
    targetId: row.id,
    targetLabel: row.name,
    workspaceId: row.workspaceId,
    changes: { deliverySecret: { from: row.deliverySecretId ? REDACTED : null, to: REDACTED } },
    requestId: o.requestId,
  });
  return secret;
}

/** Drops the target's signing secret credential (the target is being deleted). */
export async function releaseDeliverySecretIn(
  tx: Tx,
  o: { actor: Actor; kind: DeliveryKind; id: string; workspaceId: string; requestId?: string },
) {
  const row = await readTarget(tx, o.kind, o.id, o.workspaceId).catch(() => null);
  if (!row?.deliverySecretId) return;
  await releaseCredential(tx, {
    credentialId: row.deliverySecretId,
    ownerType: DELIVERY_OWNER[o.kind],
    ownerId: row.id,
    workspaceId: row.workspaceId,
    actor: o.actor,
    requestId: o.requestId,
  });
}

/** The settings as answers show them (never the secret). */
export async function deliveryDtos(
  tx: Tx,
  rows: { id: string; deliveryUrl: string | null; deliveryInternal: boolean; deliverySecretId: string | null; workspaceId: string }[],
) {
  const ids = rows.map((r) => r.deliverySecretId).filter((v): v is string => !!v);
  const creds = ids.length
    ? await tx.credential.findMany({ where: { id: { in: ids } }, select: { id: true, mask: true, workspaceId: true } })
    : [];
  const masks = new Map(creds.map((c) => [c.id, c]));
  return new Map<string, DeliveryDto>(
    rows.map((r) => {
      const cred = r.deliverySecretId ? masks.get(r.deliverySecretId) : undefined;
      const ok = cred && cred.workspaceId === r.workspaceId;
      return [r.id, { url: r.deliveryUrl, internal: r.deliveryInternal, secretSet: !!ok, secretMask: ok ? cred.mask : null }];
    }),
  );
}
