import crypto from "node:crypto";
import { Webhook } from "standardwebhooks";
import { describeOutboundFailure } from "../outbound/describe-failure";
import { outboundFetch } from "../outbound/fetch";
import type { z } from "../schemas/zod";
import type { deliveryResultSchema } from "../schemas/budgets";

// Budget alerts leave as Standard Webhooks: webhook-id, webhook-timestamp and webhook-signature (HMAC-SHA256
// over "id.timestamp.body" with the workspace's whsec_ secret). The secret is used here and nowhere logged.

export const WEBHOOK_TIMEOUT_MS = 5_000;

export const generateWebhookSecret = () => `whsec_${crypto.randomBytes(24).toString("base64")}`;

export interface BudgetWebhookPayload {
  type: "budget.threshold" | "budget.test";
  workspace: { id: string; name: string };
  scope: "workspace" | "key";
  key?: { id: string; name: string };
  month: string;
  threshold: number;
  budgetUsd: string;
  spentUsd: string;
  action: string;
}

export type DeliveryResult = z.output<typeof deliveryResultSchema>;

/** Signs and posts one event; never throws (a failed delivery is a result to record). */
export async function sendSignedWebhook(opts: {
  url: string;
  secret: string;
  id: string;
  payload: unknown;
  now?: Date;
}): Promise<DeliveryResult> {
  try {
    const body = JSON.stringify(opts.payload);
    const at = opts.now ?? new Date();
    const signature = new Webhook(opts.secret).sign(opts.id, at, body);
    const res = await outboundFetch(opts.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "Switchboard-Webhooks/1",
        "webhook-id": opts.id,
        "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
        "webhook-signature": signature,
      },
      body,
      timeoutMs: WEBHOOK_TIMEOUT_MS,
      maxRedirects: 0,
    });
    await res.body?.cancel().catch(() => undefined);
    if (res.status >= 200 && res.status < 300) return { ok: true, status: res.status };
    return { ok: false, error: `The receiver answered ${res.status}` };
  } catch (e) {
    return { ok: false, error: describeOutboundFailure(e, WEBHOOK_TIMEOUT_MS).slice(0, 300) };
  }
}
