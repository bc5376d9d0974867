import { db } from "../db/client";
import type { Actor } from "../auth/actor";
import { rotateDeliverySecretIn, type DeliveryKind } from "../webhooks/target-delivery";
import { requireAgentAccess } from "./access";

/** A new signing secret for a worker's or workflow's webhook forwards; the old one stops signing at once. */
export async function rotateDeliverySecret(opts: {
  actor: Actor;
  kind: DeliveryKind;
  id: string;
  requestId?: string;
}): Promise<{ secret: string }> {
  const { row } = await requireAgentAccess(opts.actor, opts.kind, opts.id, "integrations.manage");
  const secret = await db.$transaction((tx) =>
    rotateDeliverySecretIn(tx, { actor: opts.actor, kind: opts.kind, id: row.id, workspaceId: row.workspaceId, requestId: opts.requestId }),
  );
  return { secret };
}
