import type { IncomingMessage, ServerResponse } from "node:http";
import { db } from "../db/client";
import { logger } from "../log";
import { now } from "../runtime/clock";
import { requestIdFrom } from "../http/request-id";
import { depthProblem } from "../http/json-depth";
import { CLIENT_ADDRESS_HEADER } from "../auth/client-address";
import { REQUEST_PATH_HEADER } from "../http/stamped-headers";
import { ingressEndpoint, type IngressEndpoint } from "./endpoint-cache";
import { newEventId } from "./events";
import { writeEvent, type EventInsert } from "./event-writer";
import { formToObject, redactPayload } from "./redact";
import { externalEventId, signatureHeaders, verifyWebhook } from "./schemes";
import { webhookSignals } from "./signals";
import { waitForResult } from "./sync-wait";

// POST /api/webhooks/{endpointId}: the ingress, a lean data-plane handler (node:http under the custom server, the
// app route app/api/webhooks/[id] under `next dev`). No key: the sender proves itself with the endpoint's scheme.
//
//   unknown endpoint            404, nothing written
//   disabled endpoint           403 endpoint_disabled (logged)
//   body over maxBodyBytes      413 too_large (logged without the body; reading stops there)
//   verification fails          401 {error: {code: <reason>, message}} (logged with the reason)
//   not JSON / form             415 unsupported_content_type; malformed JSON 400 invalid_json, nested over 200
//                               levels 400 too_deep (logged)
//   Slack url_verification      200 {challenge} once verified (logged, not handed on)
//   duplicate sender event id   200 {id, duplicate: true} (logged as a duplicate, not handed on)
//   accepted, async             202 {id}: queued for the target
//   accepted, sync              the result the target posts (status and JSON body), or 504 after syncTimeoutMs

export const WEBHOOK_PREFIX = "/api/webhooks/";

export interface HookRequest {
  pathname: string;
  requestId: string;
  /** Lower-cased names, one value each. */
  headers: Record<string, string>;
  /** The body, or null when it is larger than `limit` (reading stops there). */
  readBody(limit: number): Promise<Buffer | null>;
  /** Aborts when the sender hangs up (ends a sync wait). */
  signal?: AbortSignal;
}

export interface HookAnswer {
  status: number;
  body: unknown;
}

const MESSAGES: Record<string, string> = {
  endpoint_disabled: "This webhook endpoint is disabled",
  too_large: "The body is larger than this endpoint accepts",
  unsupported_content_type: "Send the body as application/json or application/x-www-form-urlencoded",
  invalid_json: "The body is not valid JSON",
  too_deep: "The body is nested too deeply",
};
const MAX_PAYLOAD_DEPTH = 200;

const error = (status: number, code: string, message: string): HookAnswer => ({ status, body: { error: { code, message } } });

/** The endpoint id of /api/webhooks/{id}; null for any other path. */
export function webhookEndpointId(pathname: string): string | null {
  if (!pathname.startsWith(WEBHOOK_PREFIX)) return null;
  const id = pathname.slice(WEBHOOK_PREFIX.length).replace(/\/$/, "");
  return id.length <= 64 && /^[A-Za-z0-9_-]+$/.test(id) ? id : null;
}

const MASK = "[redacted]";
const DROP = new Set(["authorization", "proxy-authorization", "cookie", "set-cookie", CLIENT_ADDRESS_HEADER, REQUEST_PATH_HEADER]);
const MAX_HEADERS = 60;
/** Header names that carry secrets or signatures whatever the scheme. */
const ALWAYS_MASKED = [
  "x-webhook-secret",
  "x-api-key",
  "x-signature",
  "x-hub-signature",
  "x-hub-signature-256",
  "stripe-signature",
  "x-slack-signature",
  "webhook-signature",
];
const MAX_HEADER_VALUE = 1000;

/** The request headers kept in the log: no credentials, signature and secret headers masked, bounded. */
function loggedHeaders(ep: IngressEndpoint, headers: Record<string, string>): Record<string, string> {
  const masked = new Set([...signatureHeaders(ep.scheme, ep.options), ...ALWAYS_MASKED]);
  // A sender may put a secret in another header than the configured one (an old header name, a default): any value
  // holding one of the endpoint's secrets is masked too.
  const secrets = ep.secrets.map((s) => s.value).filter((v) => v.length >= 8);
  const out: Record<string, string> = {};
  let n = 0;
  for (const [k, v] of Object.entries(headers)) {
    if (DROP.has(k)) continue;
    if (++n > MAX_HEADERS) break;
    const secret = masked.has(k) || secrets.some((x) => v.includes(x));
    out[k] = secret ? MASK : v.length > MAX_HEADER_VALUE ? `${v.slice(0, MAX_HEADER_VALUE)}...` : v;
  }
  return out;
}

type Kind = "json" | "form" | null;
function bodyKind(contentType: string): Kind {
  const t = contentType.split(";")[0].trim().toLowerCase();
  if (t === "application/json" || /^application\/[a-z0-9.+-]+\+json$/.test(t)) return "json";
  if (t === "application/x-www-form-urlencoded") return "form";
  return null;
}

export async function handleWebhook(req: HookRequest): Promise<HookAnswer> {
  const t0 = now();
  const endpointId = webhookEndpointId(req.pathname);
  if (!endpointId) return error(404, "not_found", "Unknown webhook endpoint");
  let ep: IngressEndpoint | null;
  try {
    ep = await ingressEndpoint(endpointId);
  } catch (e) {
    logger.error("webhook endpoint lookup failed", { requestId: req.requestId, error: e });
    return error(503, "unavailable", "Webhooks cannot be received right now. Retry shortly.");
  }
  if (!ep) return error(404, "not_found", "Unknown webhook endpoint");

  const contentType = (req.headers["content-type"] ?? "").slice(0, 200);
  const headers = loggedHeaders(ep, req.headers);
  const base = {
    workspaceId: ep.workspaceId,
    endpointId: ep.id,
    contentType,
    headers,
    targetType: null,
    targetId: null,
    pushes: false,
    dedupe: false,
  } as const;
  // Refusals are logged (so the event log shows them) and answered once written.
  const refuse = async (status: number, reason: string, message: string, extra: Partial<EventInsert> = {}): Promise<HookAnswer> => {
    const row: EventInsert = {
      ...base,
      id: newEventId(),
      receivedAt: new Date(t0),
      externalId: null,
      verified: false,
      reason,
      responseStatus: status,
      latencyMs: now() - t0,
      sizeBytes: 0,
      body: null,
      payload: null,
      ...extra,
    };
    await writeEvent(row);
    return error(status, reason, message);
  };

  if (!ep.enabled) return refuse(403, "endpoint_disabled", MESSAGES.endpoint_disabled);
  const declared = Number(req.headers["content-length"] ?? "0");
  if (declared > ep.maxBodyBytes) return refuse(413, "too_large", MESSAGES.too_large, { sizeBytes: Math.min(declared, 2 ** 31 - 1) });
  const body = await req.readBody(ep.maxBodyBytes);
  if (!body) return refuse(413, "too_large", MESSAGES.too_large);

  const t = now();
  const secrets = ep.secrets.filter((s) => s.expiresAt === null || s.expiresAt > t).map((s) => s.value);
  const verdict = verifyWebhook(ep.scheme, { headers: req.headers, body, secrets, options: ep.options, nowMs: t });
  // Not from the sender: logged with its size and reason only, neither parsed nor stored (anyone can post here).
  if (!verdict.ok) return refuse(401, verdict.reason, verdict.message, { sizeBytes: body.length });
  const kind = bodyKind(contentType);
  let payload: unknown = null;
  let parseError: string | null = null;
  if (kind === "form") payload = formToObject(body.toString("utf8"));
  else if (kind === "json" && body.length) {
    try {
      payload = JSON.parse(body.toString("utf8"));
      // Redaction and storage walk the payload recursively: a hostile nesting is refused before they overflow.
      // A body shorter than twice the limit cannot nest deeper, so the walk is skipped for the usual event.
      if (body.length > 2 * MAX_PAYLOAD_DEPTH && depthProblem(payload, MAX_PAYLOAD_DEPTH)) {
        payload = null;
        parseError = "too_deep";
      }
    } catch {
      parseError = "invalid_json";
    }
  }
  const logged = payload === null ? null : redactPayload(payload, ep.redactFields);
  const sized = { sizeBytes: body.length, payload: logged };
  if (!kind) return refuse(415, "unsupported_content_type", MESSAGES.unsupported_content_type, { ...sized, verified: true });
  if (parseError) return refuse(400, parseError, MESSAGES[parseError], { ...sized, verified: true });

  const externalId = externalEventId(ep.scheme, req.headers, payload);
  // Slack checks the endpoint with a signed url_verification request: answered with its challenge, not run.
  const slackChallenge =
    ep.scheme === "slack" && payload && typeof payload === "object" && (payload as { type?: unknown }).type === "url_verification"
      ? (payload as { challenge?: unknown }).challenge
      : undefined;
  if (slackChallenge !== undefined) {
    await writeEvent({
      ...base,
      ...sized,
      id: newEventId(),
      receivedAt: new Date(t0),
      externalId,
      verified: true,
      reason: "url_verification",
      responseStatus: 200,
      latencyMs: now() - t0,
      body,
    });
    return { status: 200, body: { challenge: typeof slackChallenge === "string" ? slackChallenge : String(slackChallenge) } };
  }

  const id = newEventId();
  const written = await writeEvent({
    ...base,
    ...sized,
    id,
    receivedAt: new Date(t0),
    externalId,
    verified: true,
    reason: null,
    dedupe: externalId !== null,
    responseStatus: 202,
    latencyMs: now() - t0,
    body,
    targetType: ep.targetType,
    targetId: ep.targetId,
    pushes: ep.targetPushes,
  });
  if (written.duplicate) return { status: 200, body: { id, duplicate: true } };
  webhookSignals.queued({ targetType: ep.targetType, targetId: ep.targetId, eventId: id });
  if (ep.mode === "async") return { status: 202, body: { id } };

  const result = await waitForResult(id, ep.syncTimeoutMs, req.signal);
  const answer: HookAnswer = result
    ? { status: result.status, body: result.body }
    : error(504, "timed_out", `The ${ep.targetType} posted no result within ${ep.syncTimeoutMs} ms`);
  // registry-neutral: webhook events are not in the gateway's routing snapshot.
  // A timeout answers the sender only: the event stays with its target (forwards go on, a puller still gets it), and a
  // result posted later is refused because responseStatus says the sender was answered 504.
  await db.webhookEvent
    .updateMany({
      where: result ? { id } : { id, completedAt: null },
      data: { responseStatus: answer.status, latencyMs: now() - t0 },
    })
    .catch((e: unknown) => logger.warn("webhook sync outcome not recorded", { requestId: req.requestId, error: e }));
  return answer;
}

// ---- bindings ----

function send(res: ServerResponse, a: HookAnswer, requestId: string, extra: Record<string, string> = {}) {
  if (res.headersSent || res.destroyed) return;
  const data = a.body === undefined || a.body === null ? "" : JSON.stringify(a.body);
  res.writeHead(a.status, {
    ...(data ? { "content-type": "application/json" } : {}),
    "content-length": String(Buffer.byteLength(data)),
    "cache-control": "no-store",
    "x-request-id": requestId,
    ...extra,
  });
  res.end(data);
}

/** The node:http binding (lib/dataplane/router.ts). */
export async function webhookNodeHandler(req: IncomingMessage, res: ServerResponse, ctx: { requestId: string; pathname: string }) {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(", ") : v;
  const gone = new AbortController();
  res.on("close", () => {
    if (!res.writableFinished) gone.abort();
  });
  let overflow = false;
  const readBody = (limit: number) =>
    new Promise<Buffer | null>((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const onData = (c: Buffer) => {
        size += c.length;
        if (size > limit) {
          // Stop reading: the answer closes the connection instead of draining the rest.
          overflow = true;
          req.off("data", onData);
          req.pause();
          resolve(null);
          return;
        }
        chunks.push(c);
      };
      req.on("data", onData);
      req.on("end", () => !overflow && resolve(Buffer.concat(chunks)));
      req.on("error", reject);
    });
  let answer: HookAnswer;
  try {
    answer = await handleWebhook({ pathname: ctx.pathname, requestId: ctx.requestId, headers, readBody, signal: gone.signal });
  } catch (e) {
    logger.error("webhook request failed", { requestId: ctx.requestId, error: e });
    answer = error(503, "unavailable", "The event could not be recorded. Retry shortly.");
  }
  send(res, answer, ctx.requestId, {
    ...(overflow || answer.status === 413 ? { connection: "close" } : {}),
    ...(answer.status === 503 ? { "retry-after": "1" } : {}),
  });
}

/** The Web Request/Response binding (app/api/webhooks/[id] under `next dev`). */
export async function webhookFetchHandler(request: Request): Promise<Response> {
  const requestId = requestIdFrom(request.headers);
  const headers: Record<string, string> = {};
  request.headers.forEach((v, k) => (headers[k] = v));
  const readBody = async (limit: number) => {
    if (!request.body) return Buffer.alloc(0);
    const reader = request.body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > limit) {
        await reader.cancel().catch(() => {});
        return null;
      }
      chunks.push(value);
    }
    return Buffer.concat(chunks);
  };
  let answer: HookAnswer;
  try {
    answer = await handleWebhook({ pathname: new URL(request.url).pathname, requestId, headers, readBody, signal: request.signal });
  } catch (e) {
    logger.error("webhook request failed", { requestId, error: e });
    answer = error(503, "unavailable", "The event could not be recorded. Retry shortly.");
  }
  return new Response(JSON.stringify(answer.body), {
    status: answer.status,
    headers: { "content-type": "application/json", "cache-control": "no-store", "x-request-id": requestId },
  });
}
