import crypto from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { chatCompletionSchema, embeddingsSchema, findForbiddenKey } from "../schemas/gateway";
import { depthProblem, MAX_JSON_DEPTH } from "../http/json-depth";
import { logger } from "../log";
import { requestIdFrom } from "../http/request-id";
import { badKey, GatewayError, invalidRequest, modelNotAllowed, modelNotFound } from "./errors";
import { chatTokens, embeddingTokens, exactChatTokens, exactEmbeddingTokens, exactTextTokens, roughTokens, utf8Bound } from "./estimate";
import { limitsStore } from "./limits-store";
import { reconcileWithWorkspace, reserveWithWorkspace } from "./workspace-budget";
import { costOf, usageSink } from "./metering";
import { captureBodies } from "./bodies";
import { anthropicErrorBody } from "./adapters/anthropic-inbound";
import { messagesResponse, messagesToChat, serveMessages, type MessagesResponse } from "./messages";
import { runAttempts, type GwResponse } from "./pipeline";
import { gatewaySnapshot, refreshOnMiss, touchVirtualKey, type GatewaySnapshot, type SnapModel, type SnapVirtualKey } from "./snapshot";
import { ClientGone, type ClientSignal, type Reservation, type TokenUsage, type UsageEvent } from "./types";
import { now as clockNow, newDate } from "../runtime/clock";

// The OpenAI-compatible endpoint (ARCHITECTURE.md sections 3 and 6). Framework-free: the custom server calls
// it straight from node:http, and app/api/v1 binds the same code to a route handler for `next dev`.

export const MAX_BODY_BYTES = 4 * 1024 * 1024;
const DEFAULT_OUTPUT_ESTIMATE = 1024;

export interface GwRequest {
  method: string;
  pathname: string;
  requestId: string;
  header(name: string): string | undefined;
  /** The body, or null when it is larger than `limit`. */
  readBody(limit: number): Promise<Buffer | null>;
  signal: ClientSignal;
}

function sendError(res: GwResponse, e: GatewayError, requestId: string) {
  const data = JSON.stringify(e.toJSON());
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(data)),
    "x-request-id": requestId,
  };
  if (e.opts.retryAfterSeconds !== undefined) headers["retry-after"] = String(e.opts.retryAfterSeconds);
  res.head(e.status, headers);
  res.end(data);
}

function sendJson(res: GwResponse, body: unknown, requestId: string) {
  const data = JSON.stringify(body);
  res.head(200, { "content-type": "application/json", "content-length": String(Buffer.byteLength(data)), "x-request-id": requestId });
  res.end(data);
}

const BEARER = /^Bearer ([\x21-\x7e]{8,256})$/;

export async function authenticate(req: GwRequest): Promise<{ key: SnapVirtualKey; snap: GatewaySnapshot }> {
  const m = BEARER.exec(req.header("authorization") ?? "");
  if (!m) throw badKey();
  const hash = crypto.createHash("sha256").update(m[1]).digest("hex");
  let snap = await gatewaySnapshot();
  let key = snap.keysByHash.get(hash);
  if (!key) {
    snap = await refreshOnMiss();
    key = snap.keysByHash.get(hash);
  }
  // Unknown, revoked and expired keys get the same answer, so a caller learns nothing about which it was.
  if (!key || key.revoked || (key.expiresAt !== null && key.expiresAt <= clockNow())) throw badKey();
  return { key, snap };
}

async function readJson(req: GwRequest): Promise<Record<string, unknown>> {
  const declared = Number(req.header("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES)
    throw new GatewayError(
      413,
      "invalid_request_error",
      "request_too_large",
      `The request body is larger than ${MAX_BODY_BYTES / 1024 / 1024} MB.`,
    );
  const buf = await req.readBody(MAX_BODY_BYTES);
  if (buf === null)
    throw new GatewayError(
      413,
      "invalid_request_error",
      "request_too_large",
      `The request body is larger than ${MAX_BODY_BYTES / 1024 / 1024} MB.`,
    );
  let body: unknown;
  try {
    body = JSON.parse(buf.toString("utf8"));
  } catch {
    throw invalidRequest("We could not parse the JSON body of your request.", "invalid_json");
  }
  if (!body || typeof body !== "object" || Array.isArray(body))
    throw invalidRequest("The request body must be a JSON object.", "invalid_json");
  const deep = depthProblem(body);
  if (deep)
    throw invalidRequest(
      `The request body is nested more than ${MAX_JSON_DEPTH} levels deep at '${deep.path}'.`,
      "nesting_too_deep",
      deep.path,
    );
  const forbidden = findForbiddenKey(body);
  if (forbidden) throw invalidRequest(`Unrecognized request argument supplied: ${forbidden}`, "unsupported_parameter", forbidden);
  return body as Record<string, unknown>;
}

function parseWith<T>(
  schema: {
    safeParse(
      v: unknown,
    ):
      | { success: true; data: T }
      | { success: false; error: { issues: { path: PropertyKey[]; message: string; code: string; keys?: string[] }[] } };
  },
  body: unknown,
): T {
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  if (issue.code === "unrecognized_keys") {
    const name = issue.keys?.[0] ?? "";
    throw invalidRequest(`Unrecognized request argument supplied: ${name}`, "unsupported_parameter", name);
  }
  const param = issue.path.map(String).join(".");
  if (param === "model") throw invalidRequest("You must provide a model parameter.", "missing_model", "model");
  throw invalidRequest(`Invalid value for '${param}': ${issue.message}`, "invalid_value", param || null);
}

function resolveModel(snap: GatewaySnapshot, key: SnapVirtualKey, name: string): SnapModel | null {
  const model = snap.models.get(name);
  if (!model || !model.active) return null;
  if (key.allowedModels && !key.allowedModels.has(name)) throw modelNotAllowed(name);
  return model;
}

async function findModel(snap: GatewaySnapshot, key: SnapVirtualKey, name: string): Promise<SnapModel> {
  const m = resolveModel(snap, key, name) ?? resolveModel(await refreshOnMiss(), key, name);
  if (!m) throw modelNotFound(name);
  return m;
}

// As the caller sent them: the usage record caps and cleans them (metering.ts toRow), so a cut never splits a character.
/**
 * The response with its end held back until `release()`: the usage record is queued (and journaled, which a
 * process crash does not lose) before the client has the whole answer, so every answered call is billed.
 */
function holdEnd(res: GwResponse): { res: GwResponse; release(): void } {
  let held: { chunk: string | undefined } | null = null;
  let released = false;
  return {
    res: {
      head: (s, h) => res.head(s, h),
      write: (c) => res.write(c),
      end: (c) => {
        if (released) res.end(c);
        else held = { chunk: c };
      },
    },
    release() {
      released = true;
      if (held) res.end(held.chunk);
      held = null;
    },
  };
}

const attribution = (req: GwRequest, bodyUser: unknown) => ({
  userId: (typeof bodyUser === "string" && bodyUser ? bodyUser : req.header("x-user-id")) || null,
  agentId: req.header("x-agent-id") || null,
});

interface Seen {
  raw?: Record<string, unknown>;
  model?: SnapModel;
}

type InferenceKind = "chat" | "embeddings" | "messages";
const ENDPOINTS = { chat: "chat.completions", embeddings: "embeddings", messages: "messages" } as const;

async function handleInference(req: GwRequest, res: GwResponse, kind: InferenceKind) {
  const started = performance.now();
  const at = newDate();
  const { key, snap } = await authenticate(req);
  const seen: Seen = {};
  // Bodies are captured nearest the client (after the Messages translation), only where the workspace asked.
  const bodies = snap.storeBodies?.has(key.workspaceId) ? captureBodies(req, res, { workspaceId: key.workspaceId, at }) : null;
  if (bodies) ({ req, res } = bodies);
  if (kind === "messages") res = messagesResponse(res);
  try {
    await serveInference(req, res, kind, { key, snap, started, at, seen });
  } catch (e) {
    if (bodies && e instanceof GatewayError)
      bodies.answeredWith(kind === "messages" ? anthropicErrorBody(e.status, e.message) : e.toJSON());
    // A refused request of a known key is a request too: it shows in the key's logs with why it was refused.
    if (e instanceof GatewayError) {
      usageSink().record({
        requestId: req.requestId,
        at,
        workspaceId: key.workspaceId,
        virtualKeyId: key.id,
        ...attribution(req, seen.raw?.user),
        model: seen.model?.name ?? String(seen.raw?.model ?? "").slice(0, 256),
        modelId: seen.model?.id ?? null,
        platformId: null,
        deploymentId: null,
        upstreamModel: null,
        endpoint: ENDPOINTS[kind],
        status: e.status,
        outcome: "error",
        errorCode: e.code,
        attempts: [],
        usage: { inputTokens: 0, outputTokens: 0, cachedTokens: 0 },
        estimated: false,
        costUsd: 0,
        latencyMs: performance.now() - started,
        ttftMs: null,
        streamed: seen.raw?.stream === true,
      });
    }
    throw e;
  } finally {
    bodies?.finish();
  }
}

async function serveInference(
  req: GwRequest,
  res: GwResponse,
  kind: InferenceKind,
  { key, snap, started, at, seen }: { key: SnapVirtualKey; snap: GatewaySnapshot; started: number; at: Date; seen: Seen },
) {
  const raw = await readJson(req);
  seen.raw = raw;
  const body = (
    kind === "embeddings"
      ? parseWith(embeddingsSchema, raw)
      : parseWith(chatCompletionSchema, kind === "messages" ? messagesToChat(raw) : raw)
  ) as Record<string, unknown>;
  const api = kind === "embeddings" ? "embeddings" : "chat";
  const model = await findModel(snap, key, body.model as string);
  seen.model = model;

  // The reservation holds a cheap estimate (reconcile replaces it); the tokenizer runs only when needed (estimate.ts).
  let inputTokens: number;
  let exactInput: number | null = null;
  let maxOut = 0;
  if (api === "chat") {
    const asked = (body.max_completion_tokens ?? body.max_tokens ?? null) as number | null;
    if (asked !== null && model.maxOutputTokens !== null && asked > model.maxOutputTokens) {
      throw invalidRequest(
        `max_tokens is too large: ${asked}. This model supports at most ${model.maxOutputTokens} completion tokens.`,
        "context_length_exceeded",
        "max_tokens",
      );
    }
    // Anthropic's message_start announces the input tokens before the upstream reports any.
    if (kind === "messages") exactInput = (res as MessagesResponse).inputTokens = await exactChatTokens(body);
    else if (model.contextWindow !== null && chatTokens(body, utf8Bound) + (asked ?? 0) > model.contextWindow)
      exactInput = await exactChatTokens(body);
    if (model.contextWindow !== null && exactInput !== null && exactInput + (asked ?? 0) > model.contextWindow) {
      throw invalidRequest(
        `This model's maximum context length is ${model.contextWindow} tokens. However, you requested about ${exactInput + (asked ?? 0)} tokens (${exactInput} in the messages, ${asked ?? 0} for the completion).`,
        "context_length_exceeded",
        "messages",
      );
    }
    inputTokens = exactInput ?? chatTokens(body, roughTokens);
    maxOut = asked ?? Math.min(model.maxOutputTokens ?? DEFAULT_OUTPUT_ESTIMATE, DEFAULT_OUTPUT_ESTIMATE);
  } else {
    inputTokens = embeddingTokens(body.input, roughTokens);
  }

  const limits = await limitsStore();
  // Held as the exact decimal (a call cheaper than a micro-dollar still counts against a budget).
  const estCost = costOf({ inputTokens, outputTokens: maxOut, cachedTokens: 0 }, model.prices, at);
  const decision = await reserveWithWorkspace(limits, key, inputTokens + maxOut, estCost);
  if (!decision.ok) {
    throw new GatewayError(
      429,
      decision.limit === "budget" ? "insufficient_quota" : "rate_limit_error",
      decision.limit === "budget" ? "budget_exceeded" : "rate_limit_exceeded",
      decision.message,
      {
        retryAfterSeconds: decision.retryAfterSeconds,
      },
    );
  }
  touchVirtualKey(key.id);
  const reservation: Reservation = decision.reservation;
  const stream = api === "chat" && body.stream === true;
  const { userId, agentId } = attribution(req, body.user);

  let usage: TokenUsage = { inputTokens: 0, outputTokens: 0, cachedTokens: 0 };
  let estimated = false;
  let cost = "0.00000000";
  let event: Omit<UsageEvent, "usage" | "estimated" | "costUsd" | "latencyMs"> | null = null;
  const answer = holdEnd(res);
  try {
    const r = await runAttempts({
      snap,
      model,
      body,
      kind: api,
      stream,
      streamUsage: !!(body.stream_options as { include_usage?: boolean } | null)?.include_usage,
      requestId: req.requestId,
      signal: req.signal,
      res: answer.res,
      started,
      extraHeaders: { "x-request-id": req.requestId },
    });
    if (r.error) sendError(answer.res, r.error, req.requestId);
    if (r.served) {
      if (r.usage) usage = r.usage;
      else {
        estimated = true;
        usage = {
          inputTokens: exactInput ?? (api === "chat" ? await exactChatTokens(body) : await exactEmbeddingTokens(body.input)),
          outputTokens: api === "chat" ? await exactTextTokens(r.outputText) : 0,
          cachedTokens: 0,
        };
      }
      cost = costOf(usage, model.prices, at);
    }
    event = {
      requestId: req.requestId,
      at,
      workspaceId: key.workspaceId,
      virtualKeyId: key.id,
      userId,
      agentId,
      model: model.name,
      modelId: model.id,
      platformId: r.served?.platformId ?? null,
      deploymentId: r.served?.deploymentId ?? null,
      upstreamModel: r.served?.trace.upstreamModel ?? null,
      endpoint: ENDPOINTS[kind],
      status: r.status,
      outcome: r.outcome,
      errorCode: r.errorCode,
      attempts: r.attempts,
      ttftMs: r.ttftMs,
      streamed: stream,
    };
  } finally {
    // Recorded (and journaled) first, then the answer ends; the limits settle after the client has it.
    if (event) usageSink().record({ ...event, usage, estimated, costUsd: Number(cost), latencyMs: performance.now() - started });
    answer.release();
    await reconcileWithWorkspace(limits, reservation, usage.inputTokens + usage.outputTokens, cost).catch((e) =>
      logger.error("limits reconcile failed", { error: e }),
    );
  }
}

async function listModels(req: GwRequest, res: GwResponse) {
  const { key, snap } = await authenticate(req);
  const data = [...snap.models.values()]
    .filter((m) => m.active && m.routes.length && (!key.allowedModels || key.allowedModels.has(m.name)))
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((m) => ({ id: m.name, object: "model", created: m.created, owned_by: "switchboard" }));
  sendJson(res, { object: "list", data }, req.requestId);
}

const ROUTES: Record<string, { method: string; run: (req: GwRequest, res: GwResponse) => Promise<void> }> = {
  "/api/v1/chat/completions": { method: "POST", run: (q, s) => handleInference(q, s, "chat") },
  "/api/v1/embeddings": { method: "POST", run: (q, s) => handleInference(q, s, "embeddings") },
  "/api/v1/messages": { method: "POST", run: (q, s) => serveMessages(q, s, (q2, s2) => handleInference(q2, s2, "messages")) },
  "/api/v1/models": { method: "GET", run: listModels },
};

/** Answers one gateway request; every outcome, including our own failures, is an OpenAI-shaped answer. */
export async function handleGateway(req: GwRequest, res: GwResponse & { readonly sent?: boolean }): Promise<void> {
  const path = req.pathname.replace(/\/+$/, "");
  const route = ROUTES[path];
  let headSent = false;
  const tracked: GwResponse = {
    head: (s, h) => {
      headSent = true;
      res.head(s, h);
    },
    write: (c) => res.write(c),
    end: (c) => res.end(c),
  };
  try {
    if (!route) throw new GatewayError(404, "invalid_request_error", "unknown_url", `Unknown request URL: ${req.method} ${req.pathname}.`);
    if (route.method !== req.method && !(route.method === "GET" && req.method === "HEAD")) {
      throw new GatewayError(405, "invalid_request_error", "method_not_allowed", `Use ${route.method} for ${path}.`);
    }
    await route.run(req, tracked);
  } catch (e) {
    if (headSent) {
      logger.error("gateway request failed after the answer began", { requestId: req.requestId, error: e });
      res.end();
      return;
    }
    if (e instanceof GatewayError) return sendError(tracked, e, req.requestId);
    logger.error("gateway request failed", { requestId: req.requestId, path, error: e });
    sendError(tracked, new GatewayError(500, "server_error", "internal_error", "The gateway failed to handle the request."), req.requestId);
  }
}

// ---- node:http binding (the custom server's lean route) ----

function nodeRequest(req: IncomingMessage, res: ServerResponse, requestId: string, pathname: string): GwRequest {
  const gone = new ClientGone();
  res.on("close", () => {
    if (!res.writableFinished) gone.abort();
  });
  return {
    method: req.method ?? "GET",
    pathname,
    requestId,
    signal: gone,
    header: (n) => {
      const v = req.headers[n];
      return Array.isArray(v) ? v[0] : v;
    },
    readBody: (limit) =>
      new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        let size = 0;
        let over = false;
        req.on("data", (c: Buffer) => {
          if (over) return;
          size += c.length;
          if (size > limit) {
            over = true;
            chunks.length = 0;
            res.setHeader("connection", "close");
            resolve(null);
            return;
          }
          chunks.push(c);
        });
        req.on("end", () => !over && resolve(Buffer.concat(chunks)));
        req.on("error", reject);
      }),
  };
}

function nodeResponse(res: ServerResponse): GwResponse {
  return {
    head: (status, headers) => {
      // No flushHeaders(): every head() is followed at once by a write or end(), which carries the headers
      // in the same packet (a separate flush costs a syscall per response).
      res.writeHead(status, headers);
    },
    write: (chunk) => {
      if (res.destroyed) return;
      if (!res.write(chunk)) {
        return new Promise<void>((resolve) => {
          const done = () => {
            res.off("drain", done);
            res.off("close", done);
            resolve();
          };
          res.on("drain", done);
          res.on("close", done);
        });
      }
    },
    end: (chunk) => {
      if (!res.writableEnded) res.end(chunk);
    },
  };
}

export async function gatewayNodeHandler(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: { requestId: string; pathname: string },
): Promise<void> {
  await handleGateway(nodeRequest(req, res, ctx.requestId, ctx.pathname), nodeResponse(res));
}

// ---- Web Request/Response binding (app/api/v1 route handler, for `next dev`) ----

export async function gatewayFetchHandler(request: Request): Promise<Response> {
  const requestId = requestIdFrom(request.headers);
  const url = new URL(request.url);
  const enc = new TextEncoder();
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  const writer = writable.getWriter();
  let resolveHead!: (h: { status: number; headers: Record<string, string> }) => void;
  const head = new Promise<{ status: number; headers: Record<string, string> }>((r) => (resolveHead = r));
  const res: GwResponse = {
    head: (status, headers) => resolveHead({ status, headers }),
    write: (chunk) => writer.write(enc.encode(chunk)).catch(() => {}),
    end: (chunk) => {
      const close = () => writer.close().catch(() => {});
      if (chunk) void writer.write(enc.encode(chunk)).then(close, close);
      else void close();
    },
  };
  const req: GwRequest = {
    method: request.method,
    pathname: url.pathname,
    requestId,
    signal: request.signal,
    header: (n) => request.headers.get(n) ?? undefined,
    readBody: async (limit) => {
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
    },
  };
  const work = handleGateway(req, res);
  const h = await Promise.race([head, work.then(() => head)]);
  const headers = new Headers(h.headers);
  headers.delete("content-length");
  headers.set("x-request-id", requestId);
  return new Response(h.status === 204 ? null : readable, { status: h.status, headers });
}
