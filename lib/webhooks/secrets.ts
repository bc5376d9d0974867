import crypto from "node:crypto";
import type { Tx } from "../db/types";
import type { Actor } from "../auth/actor";
import { createCredentialIn } from "../credentials/create-credential";
import { attachCredentialUsage, releaseCredential } from "../credentials/use-credential";
import type { WebhookScheme } from "../schemas/webhooks";
import { secretEquals } from "../connectors/secrets";

// An endpoint's signing secrets are workspace credentials (kind webhook-secret) named `webhook:<endpoint>`,
// `webhook:<endpoint>-2`, ... and used by ("webhook", endpoint id); WebhookSecret rows say which are valid until when.

export const WEBHOOK_OWNER = "webhook";

/**
 * A new secret in the form the scheme's senders expect: Standard Webhooks `whsec_` + base64 of 24 random bytes;
 * the others a 32-byte random base64url string (HMAC keys and shared secrets alike).
 */
export function generateWebhookSecret(scheme: WebhookScheme): string {
  if (scheme === "standard-webhooks") return `whsec_${crypto.randomBytes(24).toString("base64")}`;
  return crypto.randomBytes(32).toString("base64url");
}

export const secretCredentialBase = (endpointName: string) =>
  `webhook:${endpointName}`
    .replace(/[^\p{L}\p{N} ._:/-]+/gu, "-")
    .slice(0, 72)
    .trim();

interface Ctx {
  actor: Actor;
  workspaceId: string;
  endpoint: { id: string; name: string };
  source: string;
  requestId?: string;
}

/** Stores a secret value as a new credential used by the endpoint (configuration files adopt an unused one of the same name). */
export async function storeWebhookSecret(tx: Tx, ctx: Ctx, value: string): Promise<string> {
  const base = secretCredentialBase(ctx.endpoint.name);
  let credentialId: string | null = null;
  if (ctx.source === "config") {
    // An exported file lists the endpoint's credential in `credentials` too: take over that unused one.
    const adopt = await tx.credential.findFirst({
      where: { workspaceId: ctx.workspaceId, name: { equals: base, mode: "insensitive" }, usages: { none: {} } },
      select: { id: true },
    });
    if (adopt) {
      if (await secretEquals(tx, ctx.workspaceId, adopt.id, value)) credentialId = adopt.id;
    }
  }
  if (!credentialId) {
    let name = base;
    for (
      let i = 2;
      await tx.credential.findFirst({
        where: { workspaceId: ctx.workspaceId, name: { equals: name, mode: "insensitive" } },
        select: { id: true },
      });
      i++
    )
      name = `${base}-${i}`;
    const cred = await createCredentialIn(tx, {
      actor: ctx.actor,
      workspaceId: ctx.workspaceId,
      input: { name, kind: "webhook-secret", value, description: `Signing secret of webhook ${ctx.endpoint.name}` },
      source: ctx.source,
      requestId: ctx.requestId,
    });
    credentialId = cred.id;
  }
  await attachCredentialUsage(tx, { credentialId, ownerType: WEBHOOK_OWNER, ownerId: ctx.endpoint.id, label: ctx.endpoint.name });
  return credentialId;
}

/** Drops a secret row and its credential when nothing else uses it. */
export async function dropWebhookSecret(tx: Tx, ctx: Omit<Ctx, "source">, secret: { id: string; credentialId: string }) {
  await tx.webhookSecret.deleteMany({ where: { id: secret.id, endpointId: ctx.endpoint.id } });
  await releaseCredential(tx, {
    credentialId: secret.credentialId,
    ownerType: WEBHOOK_OWNER,
    ownerId: ctx.endpoint.id,
    workspaceId: ctx.workspaceId,
    actor: ctx.actor,
    requestId: ctx.requestId,
  });
}

/** Removes the endpoint's secrets whose grace period is over (their credentials too); returns how many. */
export async function dropExpiredSecrets(tx: Tx, ctx: Omit<Ctx, "source">, now = new Date()): Promise<number> {
  const expired = await tx.webhookSecret.findMany({
    where: { endpointId: ctx.endpoint.id, expiresAt: { not: null, lte: now } },
    select: { id: true, credentialId: true },
  });
  for (const s of expired) await dropWebhookSecret(tx, ctx, s);
  return expired.length;
}
