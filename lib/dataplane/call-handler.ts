import { authenticate, type GwRequest } from "../gateway/handler";
import { GatewayError, invalidRequest } from "../gateway/errors";
import type { GwResponse } from "../gateway/pipeline";
import { touchVirtualKey } from "../gateway/snapshot";
import type { SnapVirtualKey } from "../gateway/snapshot";
import { depthProblem, MAX_JSON_DEPTH } from "../http/json-depth";
import { isDatabaseUnavailable } from "../db/errors";
import { logger } from "../log";

// The shape every "call something for a workspace key" data-plane handler shares (connector tool calls, MCP tool
// calls): POST only, the gateway's key, attribution headers (`X-User-Id`, `X-Agent-Id`) and error shape, a JSON
// object body, the client going away aborting the upstream call, and 503 with Retry-After while the database
// (where the callee is read from) is down.

const MAX_INPUT_BYTES = 4 * 1024 * 1024;

export function sendJson(res: GwResponse, status: number, body: unknown, requestId: string, extra: Record<string, string> = {}) {
  const data = JSON.stringify(body);
  res.head(status, {
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(data)),
    "cache-control": "no-store",
    "x-request-id": requestId,
    ...extra,
  });
  res.end(data);
}

/** The body as a JSON object; an empty body is `{}` (a callee without parameters may be called with none). */
async function readJsonObject(req: GwRequest, names: { body: string; nested: string }): Promise<Record<string, unknown>> {
  const tooLarge = () =>
    new GatewayError(
      413,
      "invalid_request_error",
      "request_too_large",
      `The request body is larger than ${MAX_INPUT_BYTES / 1024 / 1024} MB.`,
    );
  if (Number(req.header("content-length") ?? "0") > MAX_INPUT_BYTES) throw tooLarge();
  const buf = await req.readBody(MAX_INPUT_BYTES);
  if (buf === null) throw tooLarge();
  if (!buf.length) return {};
  let input: unknown;
  try {
    input = JSON.parse(buf.toString("utf8"));
  } catch {
    throw invalidRequest("We could not parse the JSON body of your request.", "invalid_json");
  }
  if (!input || typeof input !== "object" || Array.isArray(input))
    throw invalidRequest(`The request body must be a JSON object: ${names.body}.`, "invalid_json");
  const deep = depthProblem(input);
  if (deep)
    throw invalidRequest(
      `The ${names.nested} nested more than ${MAX_JSON_DEPTH} levels deep at '${deep.path}'.`,
      "nesting_too_deep",
      deep.path,
    );
  return input as Record<string, unknown>;
}

export interface CallContext<Target> {
  key: SnapVirtualKey;
  target: Target;
  input: Record<string, unknown>;
  endUserId: string | null;
  agent: string | null;
  signal: AbortSignal;
}

export function callHandler<Target>(spec: {
  /** The path's parameters, or null when the path is not this handler's. */
  target: (pathname: string) => Target | null;
  /** How the body is named in errors: `{ body: "the tool's arguments", nested: "arguments are" }`. */
  names: { body: string; nested: string };
  /** Said with 503 while the database is down, e.g. "Connectors cannot be read right now. Retry shortly." */
  unavailable: string;
  /** The log message of an unexpected failure. */
  failure: string;
  /** A callee's own error as the answer to send, or null to handle it as unexpected. */
  mapError?: (e: unknown) => GatewayError | null;
  call: (ctx: CallContext<Target>) => Promise<unknown>;
}): (req: GwRequest, res: GwResponse) => Promise<void> {
  return async (req, res) => {
    try {
      const target = spec.target(req.pathname);
      if (!target)
        throw new GatewayError(404, "invalid_request_error", "unknown_url", `Unknown request URL: ${req.method} ${req.pathname}.`);
      if (req.method !== "POST") throw new GatewayError(405, "invalid_request_error", "method_not_allowed", "Use POST to call a tool.");
      const { key } = await authenticate(req);
      const input = await readJsonObject(req, spec.names);
      touchVirtualKey(key.id);
      // The client going away aborts the upstream call too.
      const abort = new AbortController();
      const onGone = () => abort.abort();
      req.signal.addEventListener("abort", onGone, { once: true });
      try {
        const answer = await spec.call({
          key,
          target,
          input,
          endUserId: req.header("x-user-id") || null,
          agent: req.header("x-agent-id") || null,
          signal: abort.signal,
        });
        sendJson(res, 200, answer, req.requestId);
      } finally {
        req.signal.removeEventListener("abort", onGone);
      }
    } catch (e) {
      const mapped = e instanceof GatewayError ? e : (spec.mapError?.(e) ?? null);
      if (mapped) return sendJson(res, mapped.status, mapped.toJSON(), req.requestId);
      // Unlike inference, these read their callee from the database: while that is down, say so.
      if (isDatabaseUnavailable(e)) {
        const down = new GatewayError(503, "service_unavailable", "database_unavailable", spec.unavailable);
        return sendJson(res, 503, down.toJSON(), req.requestId, { "retry-after": "5" });
      }
      logger.error(spec.failure, { requestId: req.requestId, error: e });
      sendJson(
        res,
        500,
        new GatewayError(500, "server_error", "internal_error", "The tool call could not be handled.").toJSON(),
        req.requestId,
      );
    }
  };
}
