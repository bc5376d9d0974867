import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { Webhook } from "standardwebhooks";
import Stripe from "stripe";
import { sign as githubSign } from "@octokit/webhooks-methods";
import { externalEventId, verifyWebhook } from "./schemes";
import type { VerifyInput } from "./schemes/common";
import { generateWebhookSecret } from "./secrets";

// Each scheme against signatures made the senders' way: the senders' own libraries where they publish one
// (standardwebhooks, Stripe's generateTestHeaderString, @octokit/webhooks-methods) and Slack's documented v0 scheme.

const body = Buffer.from(JSON.stringify({ id: "evt_1", type: "order.paid", data: { amount: 1200 } }));
const nowMs = Date.UTC(2030, 0, 1, 12);
const nowS = Math.floor(nowMs / 1000);
const input = (headers: Record<string, string>, secrets: string[], extra: Partial<VerifyInput> = {}): VerifyInput => ({
  headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])),
  body,
  secrets,
  options: {},
  nowMs,
  ...extra,
});
const reason = (r: ReturnType<typeof verifyWebhook>) => (r.ok ? "ok" : r.reason);
const stripe = new Stripe("sk_test_unused");

describe("standard-webhooks", () => {
  const secret = generateWebhookSecret("standard-webhooks");
  const signed = (msgId: string, at: Date, payload = body.toString(), key = secret) => {
    const sig = new Webhook(key).sign(msgId, at, payload);
    return { "webhook-id": msgId, "webhook-timestamp": String(Math.floor(at.getTime() / 1000)), "webhook-signature": sig };
  };
  it("accepts the standardwebhooks package's signature, also among several and with a second (rotated) secret", () => {
    expect(reason(verifyWebhook("standard-webhooks", input(signed("msg_1", new Date(nowMs)), [secret])))).toBe("ok");
    const other = generateWebhookSecret("standard-webhooks");
    const h = signed("msg_1", new Date(nowMs), undefined, other);
    h["webhook-signature"] = `v1,${crypto.randomBytes(32).toString("base64")} ${h["webhook-signature"]}`;
    expect(reason(verifyWebhook("standard-webhooks", input(h, [secret, other])))).toBe("ok");
    expect(reason(verifyWebhook("standard-webhooks", input(h, [secret])))).toBe("bad_signature");
    expect(externalEventId("standard-webhooks", input(h, []).headers, null)).toBe("msg_1");
  });
  it("refuses a changed body, an old or future timestamp, missing headers", () => {
    const h = signed("msg_2", new Date(nowMs));
    expect(reason(verifyWebhook("standard-webhooks", input(h, [secret], { body: Buffer.from(body.toString() + " ") })))).toBe(
      "bad_signature",
    );
    expect(reason(verifyWebhook("standard-webhooks", input(signed("m", new Date(nowMs - 301_000)), [secret])))).toBe("timestamp_expired");
    expect(reason(verifyWebhook("standard-webhooks", input(signed("m", new Date(nowMs + 301_000)), [secret])))).toBe("timestamp_in_future");
    expect(reason(verifyWebhook("standard-webhooks", input(signed("m", new Date(nowMs - 200_000)), [secret])))).toBe("ok");
    expect(reason(verifyWebhook("standard-webhooks", input({ ...h, "webhook-timestamp": "yesterday" }, [secret])))).toBe(
      "timestamp_invalid",
    );
    const { "webhook-signature": _drop, ...missing } = h;
    expect(reason(verifyWebhook("standard-webhooks", input(missing, [secret])))).toBe("missing_signature");
  });
});

describe("stripe", () => {
  const secret = "whsec_test_" + crypto.randomBytes(16).toString("hex");
  const header = (timestamp: number, key = secret, payload = body.toString()) =>
    stripe.webhooks.generateTestHeaderString({ payload, secret: key, timestamp });
  it("accepts Stripe's generateTestHeaderString and takes the event id from the payload", () => {
    expect(reason(verifyWebhook("stripe", input({ "Stripe-Signature": header(nowS) }, [secret])))).toBe("ok");
    expect(externalEventId("stripe", {}, JSON.parse(body.toString()))).toBe("evt_1");
  });
  it("refuses a wrong secret, a changed body, an old or future timestamp (tolerance configurable), a missing header", () => {
    expect(reason(verifyWebhook("stripe", input({ "Stripe-Signature": header(nowS, "whsec_wrong") }, [secret])))).toBe("bad_signature");
    expect(reason(verifyWebhook("stripe", input({ "Stripe-Signature": header(nowS) }, [secret], { body: Buffer.from("{}") })))).toBe(
      "bad_signature",
    );
    expect(reason(verifyWebhook("stripe", input({ "Stripe-Signature": header(nowS - 400) }, [secret])))).toBe("timestamp_expired");
    expect(
      reason(verifyWebhook("stripe", input({ "Stripe-Signature": header(nowS - 400) }, [secret], { options: { toleranceSeconds: 600 } }))),
    ).toBe("ok");
    expect(reason(verifyWebhook("stripe", input({ "Stripe-Signature": header(nowS + 400) }, [secret])))).toBe("timestamp_in_future");
    expect(reason(verifyWebhook("stripe", input({}, [secret])))).toBe("missing_signature");
  });
});

describe("github", () => {
  const secret = "It's a Secret to Everybody";
  it("accepts @octokit/webhooks-methods' sign() and dedupes by X-GitHub-Delivery", async () => {
    const sig = await githubSign(secret, body.toString());
    expect(reason(verifyWebhook("github", input({ "X-Hub-Signature-256": sig }, ["old-secret", secret])))).toBe("ok");
    expect(externalEventId("github", { "x-github-delivery": "72d3162e-cc78-11e3-81ab-4c9367dc0958" }, null)).toBe(
      "72d3162e-cc78-11e3-81ab-4c9367dc0958",
    );
  });
  it("matches GitHub's documented example and refuses a changed body or a wrong secret", async () => {
    // docs.github.com "Validating webhook deliveries": secret "It's a Secret to Everybody", payload "Hello, World!".
    const doc = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
    expect(reason(verifyWebhook("github", input({ "X-Hub-Signature-256": doc }, [secret], { body: Buffer.from("Hello, World!") })))).toBe(
      "ok",
    );
    expect(reason(verifyWebhook("github", input({ "X-Hub-Signature-256": doc }, [secret], { body: Buffer.from("Hello, World?") })))).toBe(
      "bad_signature",
    );
    expect(reason(verifyWebhook("github", input({ "X-Hub-Signature-256": doc }, ["nope"], { body: Buffer.from("Hello, World!") })))).toBe(
      "bad_signature",
    );
    expect(reason(verifyWebhook("github", input({}, [secret])))).toBe("missing_signature");
  });
});

describe("slack", () => {
  const secret = "8f742231b10e8888abcd99yyyzzz85a5";
  // api.slack.com/authentication/verifying-requests-from-slack: v0=hex(HMAC-SHA256(secret, "v0:" + ts + ":" + body)).
  const slackHeaders = (ts: number, payload: Buffer = body, key = secret) => ({
    "X-Slack-Request-Timestamp": String(ts),
    "X-Slack-Signature": "v0=" + crypto.createHmac("sha256", key).update(`v0:${ts}:${payload.toString()}`).digest("hex"),
  });
  it("accepts v0 signatures, form bodies included, within five minutes either way", () => {
    expect(reason(verifyWebhook("slack", input(slackHeaders(nowS), [secret])))).toBe("ok");
    const form = Buffer.from("token=x&team_id=T1&command=%2Fweather&text=94070");
    expect(reason(verifyWebhook("slack", input(slackHeaders(nowS, form), [secret], { body: form })))).toBe("ok");
    expect(reason(verifyWebhook("slack", input(slackHeaders(nowS - 301), [secret])))).toBe("timestamp_expired");
    expect(reason(verifyWebhook("slack", input(slackHeaders(nowS + 301), [secret])))).toBe("timestamp_in_future");
    expect(reason(verifyWebhook("slack", input(slackHeaders(nowS, body, "wrong"), [secret])))).toBe("bad_signature");
    expect(externalEventId("slack", {}, { event_id: "Ev123" })).toBe("Ev123");
  });
});

describe("secret-header and hmac-sha256", () => {
  it("compares the shared secret with a configurable header and prefix", () => {
    const s = generateWebhookSecret("secret-header");
    expect(reason(verifyWebhook("secret-header", input({ "X-Webhook-Secret": s }, [s])))).toBe("ok");
    expect(reason(verifyWebhook("secret-header", input({ "X-Webhook-Secret": s + "x" }, [s])))).toBe("bad_signature");
    expect(reason(verifyWebhook("secret-header", input({}, [s])))).toBe("missing_signature");
    const opts = { options: { header: "Authorization", prefix: "Bearer " } };
    expect(reason(verifyWebhook("secret-header", input({ Authorization: `Bearer ${s}` }, [s], opts)))).toBe("ok");
    expect(reason(verifyWebhook("secret-header", input({ Authorization: s }, [s], opts)))).toBe("bad_signature");
  });
  it("checks an HMAC of the raw body in hex or base64, with a prefix", () => {
    const s = generateWebhookSecret("hmac-sha256");
    const mac = crypto.createHmac("sha256", s).update(body).digest();
    expect(reason(verifyWebhook("hmac-sha256", input({ "X-Signature": mac.toString("hex") }, [s])))).toBe("ok");
    const b64 = { options: { header: "X-Hook-Sig", prefix: "sha256=", encoding: "base64" as const } };
    expect(reason(verifyWebhook("hmac-sha256", input({ "X-Hook-Sig": `sha256=${mac.toString("base64")}` }, [s], b64)))).toBe("ok");
    expect(reason(verifyWebhook("hmac-sha256", input({ "X-Hook-Sig": mac.toString("base64") }, [s], b64)))).toBe("bad_signature");
    expect(reason(verifyWebhook("hmac-sha256", input({ "X-Signature": mac.toString("hex") }, ["other"])))).toBe("bad_signature");
    expect(externalEventId("hmac-sha256", { "idempotency-key": "k-1" }, null)).toBe("k-1");
  });
  it("an endpoint without a valid secret verifies nothing", () => {
    expect(reason(verifyWebhook("secret-header", input({ "X-Webhook-Secret": "x" }, [])))).toBe("no_secret");
  });
});

describe("reasons", () => {
  it("every reason the schemes and the ingress give has a label for the event log", async () => {
    const { WEBHOOK_REASON_LABELS } = await import("../schemas/webhooks");
    const fs = await import("node:fs");
    const sources = ["common.ts", "../ingress.ts"]
      .map((f) => fs.readFileSync(new URL(`./schemes/${f}`, import.meta.url), "utf8"))
      .join("\n");
    const used = new Set([...sources.matchAll(/"([a-z]+(?:_[a-z]+)+)"/g)].map((m) => m[1]).filter((r) => !r.startsWith("not_found")));
    for (const r of ["missing_signature", "bad_signature", "timestamp_expired", "too_large", "endpoint_disabled", "url_verification"])
      expect(used).toContain(r);
    for (const r of used) if (!["timed_out"].includes(r)) expect([r, WEBHOOK_REASON_LABELS[r]]).toEqual([r, expect.any(String)]);
  });
});
