import type { IncomingMessage, ServerResponse } from "node:http";
import { authenticate, fetchBinding, nodeBinding, type GwRequest } from "../gateway/handler";
import { GatewayError, invalidRequest } from "../gateway/errors";
import type { GwResponse } from "../gateway/pipeline";
import { touchVirtualKey } from "../gateway/snapshot";
import { sendJson } from "../dataplane/call-handler";
import { isDatabaseUnavailable } from "../db/errors";
import { isAppError } from "../errors";
import { logger } from "../log";
import { depthProblem, MAX_JSON_DEPTH } from "../http/json-depth";
import { eventQueueQuerySchema, eventResultSchema } from "../schemas/webhook-delivery";
import { zodProblems } from "../schemas/zod";
import { findQueueTarget } from "./queue-target";
import { receiveEventsWaiting } from "./queue-wait";
import { ackEvent, nackEvent } from "./queue-ack";
import { postEventResult } from "./event-result";

// The pull queue of webhook events, a lean data-plane handler (node:http under the custom server, and
// app/api/v1 under `next dev`) authorised by a workspace key and bounded by its workspace:
//   GET  /api/v1/events?worker=<id|name>|workflow=<id|name>&wait=&limit=&visibility=
//   POST /api/v1/events/{id}/ack | /nack | /result
// Errors use the gateway's shape `{ error: { message, type, code, param } }`.

export const EVENTS_PATH = "/api/v1/events";
export const EVENTS_PREFIX = "/api/v1/events/";
const MAX_RESULT_BYTES = 1024 * 1024;

type Action = "ack" | "nack" | "result";

function eventAction(pathname: string): { id: string; action: Action } | null {
  const m = /^\/api\/v1\/events\/([^/]{1,128})\/(ack|nack|result)\/?$/.exec(pathname);
  if (!m) return null;
  try {
    return { id: decodeURIComponent(m[1]), action: m[2] as Action };
  } catch {
    return null;
  }
}

function queryObject(search: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of search) {
    if (k in out) throw invalidRequest(`The query parameter ${k} is given more than once.`, "invalid_query", k);
    out[k] = v;
  }
  return out;
}

function badInput(error: import("zod").ZodError, what: string): GatewayError {
  const [first] = zodProblems(error);
  const param = first.path === "(root)" ? null : first.path;
  const message = first.message.startsWith("Unknown field")
    ? `${first.message.replace("Unknown field", `Unknown ${what}`)}.`
    : param && !first.message.startsWith(param)
      ? `${param}: ${first.message}.`
      : `${first.message}.`;
  return invalidRequest(message, what === "query parameter" ? "invalid_query" : "invalid_body", param);
}

async function readResult(req: GwRequest) {
  if (Number(req.header("content-length") ?? "0") > MAX_RESULT_BYTES) throw tooLarge();
  const buf = await req.readBody(MAX_RESULT_BYTES);
  if (buf === null) throw tooLarge();
  let input: unknown;
  try {
    input = JSON.parse(buf.toString("utf8"));
  } catch {
    throw invalidRequest("We could not parse the JSON body of your request: send { status?, body }.", "invalid_json");
  }
  const deep = depthProblem(input);
  if (deep)
    throw invalidRequest(`The result is nested more than ${MAX_JSON_DEPTH} levels deep at '${deep.path}'.`, "nesting_too_deep", deep.path);
  const parsed = eventResultSchema.safeParse(input);
  if (!parsed.success) throw badInput(parsed.error, "field");
  return parsed.data;
}

const tooLarge = () =>
  new GatewayError(413, "invalid_request_error", "request_too_large", `The result is larger than ${MAX_RESULT_BYTES / 1024 / 1024} MB.`);

function mapAppError(e: unknown): GatewayError | null {
  if (!isAppError(e)) return null;
  if (e.code === "not_found") return new GatewayError(404, "invalid_request_error", "not_found", `${e.message}.`);
  if (e.code === "conflict") return new GatewayError(409, "invalid_request_error", "conflict", `${e.message}.`);
  return null;
}

export async function handleEvents(req: GwRequest, res: GwResponse, search: URLSearchParams): Promise<void> {
  try {
    const action = req.pathname === EVENTS_PATH || req.pathname === `${EVENTS_PATH}/` ? null : eventAction(req.pathname);
    if (!action && req.pathname !== EVENTS_PATH && req.pathname !== `${EVENTS_PATH}/`)
      throw new GatewayError(404, "invalid_request_error", "unknown_url", `Unknown request URL: ${req.method} ${req.pathname}.`);
    const method = action ? "POST" : "GET";
    if (req.method !== method)
      throw new GatewayError(405, "invalid_request_error", "method_not_allowed", `Use ${method} for ${req.pathname}.`);
    const { key } = await authenticate(req);
    touchVirtualKey(key.id);
    const workspaceId = key.workspaceId;
    if (!action) {
      const parsed = eventQueueQuerySchema.safeParse(queryObject(search));
      if (!parsed.success) throw badInput(parsed.error, "query parameter");
      const q = parsed.data;
      const target = await findQueueTarget(workspaceId, q.worker !== undefined ? "worker" : "workflow", (q.worker ?? q.workflow)!);
      const data = await receiveEventsWaiting({
        workspaceId,
        target,
        limit: q.limit,
        visibilitySeconds: q.visibility,
        waitSeconds: q.wait,
        signal: req.signal,
      });
      return sendJson(res, 200, { data }, req.requestId);
    }
    if (action.action === "result") {
      const result = await readResult(req);
      return sendJson(res, 200, await postEventResult({ workspaceId, id: action.id, result }), req.requestId);
    }
    const answer =
      action.action === "ack" ? await ackEvent({ workspaceId, id: action.id }) : await nackEvent({ workspaceId, id: action.id });
    sendJson(res, 200, answer, req.requestId);
  } catch (e) {
    const mapped = e instanceof GatewayError ? e : mapAppError(e);
    if (mapped) return sendJson(res, mapped.status, mapped.toJSON(), req.requestId);
    if (isDatabaseUnavailable(e)) {
      const down = new GatewayError(503, "service_unavailable", "database_unavailable", "Events cannot be read right now. Retry shortly.");
      return sendJson(res, 503, down.toJSON(), req.requestId, { "retry-after": "5" });
    }
    logger.error("webhook event queue request failed", { requestId: req.requestId, error: e });
    sendJson(
      res,
      500,
      new GatewayError(500, "server_error", "internal_error", "The request could not be handled.").toJSON(),
      req.requestId,
    );
  }
}

/** The custom server's lean route (lib/dataplane/router.ts). */
export const eventsNodeHandler = (req: IncomingMessage, res: ServerResponse, ctx: { requestId: string; pathname: string }) => {
  const search = new URL(req.url ?? "/", "http://localhost").searchParams;
  return nodeBinding((gw, r) => handleEvents(gw, r, search))(req, res, ctx);
};

/** The same for `next dev` (app/api/v1/[...path]/route.ts). */
export const eventsFetchHandler = (request: Request) => {
  const search = new URL(request.url).searchParams;
  return fetchBinding((gw, r) => handleEvents(gw, r, search))(request);
};
