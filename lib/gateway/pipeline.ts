import { createParser } from "eventsource-parser";
import { openSecretForCall } from "../crypto";
import { sealContext } from "../credentials/create-credential";
import { processSingleton } from "../db/global";
import { pickInstance } from "../deployments/pick-instance";
import { noteRefusedConnection } from "../deployments/passive-health";
import { logger } from "../log";
import { adapterFor } from "./adapters";
import { openAIUsage } from "./adapters/openai";
import { Breakers } from "./breaker";
import { GatewayError, upstreamOpenAIError } from "./errors";
import { candidateOrder, weightedPick } from "./routing";
import type { GatewaySnapshot, SnapInstance, SnapModel, SnapPlatformKey, SnapRoute } from "./snapshot";
import type { AttemptTrace, ClientSignal, TokenUsage, UpstreamRequest, UpstreamTarget, VendorAdapter } from "./types";
import { timeoutsFor } from "./timeouts";
import {
  DEFAULT_TIMEOUTS,
  isConnectFailure,
  retryAfterMs,
  sendUpstream,
  UpstreamFailure,
  type Timeouts,
  type UpstreamResponse,
} from "./upstream";

// The attempt loop: candidates in failover order, one upstream call each, until one answers. Failover happens
// on connection errors, timeouts, 429 and 5xx (and, for a key, on 401/403); client errors go back at once.
// A stream fails over only while nothing has reached the client.

export interface GwResponse {
  head(status: number, headers: Record<string, string>): void;
  /** Resolves when the client can take more (backpressure). */
  write(chunk: string): void | Promise<void>;
  end(chunk?: string): void;
}

const MAX_ATTEMPTS = 6;
const AUTH_COOLDOWN_MS = 60_000;
const RATE_COOLDOWN_MS = 5_000;
// An unproven instance that refused a connection stays out of this process's rotation while the recorded
// failure reaches the snapshot (lib/deployments/passive-health.ts).
const REFUSED_COOLDOWN_MS = 30_000;

export const breakers = () => processSingleton("gatewayBreakers", () => new Breakers());

interface Planned {
  route: SnapRoute;
  trace: Omit<AttemptTrace, "status" | "error" | "latencyMs">;
  target: UpstreamTarget;
  adapter: VendorAdapter;
  platformId: string | null;
  deploymentId: string | null;
  instance: SnapInstance | null;
  /** Breaker ids: the key or instance, and the platform. */
  unitId: string;
  groupId: string;
}

class AttemptError extends Error {
  constructor(
    readonly kind: "retry" | "final",
    readonly status: number | null,
    message: string,
    readonly extra: { retryAfterMs?: number | null; response?: GatewayError; timeout?: boolean; rateLimited?: boolean } = {},
  ) {
    super(message);
  }
}

// A platform key is opened for the one attempt that sends it and never kept in clear (ARCHITECTURE.md section 5);
// lib/crypto keeps it masked between calls (openSecretForCall).
const openedKey = (key: SnapPlatformKey): string =>
  openSecretForCall(key.ciphertext, sealContext(key.credentialId, key.credentialWorkspaceId));

function plan(snap: GatewaySnapshot, route: SnapRoute, tried: Set<string>): Planned | null {
  const b = breakers();
  if (route.platformId) {
    const p = snap.platforms.get(route.platformId);
    if (!p || !p.active || !b.available(p.id)) return null;
    const key = weightedPick(p.keys.filter((k) => !tried.has(k.id) && b.available(k.id)));
    if (!key) return null;
    let adapter: VendorAdapter;
    try {
      adapter = adapterFor(p.vendor);
    } catch {
      return null;
    }
    let apiKey: string;
    try {
      apiKey = openedKey(key);
    } catch {
      b.cooldown(key.id, AUTH_COOLDOWN_MS);
      tried.add(key.id);
      return plan(snap, route, tried);
    }
    return {
      route,
      adapter,
      trace: { targetType: "platform", targetId: p.id, targetName: p.name, upstreamModel: route.upstreamModel, via: key.id },
      target: {
        vendor: p.vendor,
        baseUrl: p.baseUrl,
        apiVersion: p.apiVersion,
        upstreamModel: route.upstreamModel,
        apiKey,
        internal: p.internal,
      },
      platformId: p.id,
      deploymentId: null,
      instance: null,
      unitId: key.id,
      groupId: p.id,
    };
  }
  const d = route.deploymentId ? snap.deployments.get(route.deploymentId) : undefined;
  if (!d) return null;
  const inst = pickInstance(
    d.strategy,
    d.instances.filter((i) => i.inRotation && !tried.has(i.id) && b.available(i.id)),
    d.pick,
  );
  if (!inst) return null;
  return {
    route,
    adapter: adapterFor("openai-compatible"),
    trace: { targetType: "deployment", targetId: d.id, targetName: d.name, upstreamModel: route.upstreamModel, via: inst.id },
    target: { vendor: "openai-compatible", baseUrl: inst.url, apiVersion: null, upstreamModel: route.upstreamModel, internal: d.internal },
    platformId: null,
    deploymentId: d.id,
    instance: inst,
    unitId: inst.id,
    groupId: d.id,
  };
}

export interface RunResult {
  status: number;
  outcome: "success" | "error" | "partial" | "client_aborted";
  errorCode: string | null;
  attempts: AttemptTrace[];
  served: Planned | null;
  usage: TokenUsage | null;
  /** Text the model produced (to estimate output tokens when the upstream reported none). */
  outputText: string;
  ttftMs: number | null;
  /** Set when nothing was sent yet and the caller must answer with this error. */
  error: GatewayError | null;
}

export interface RunOptions {
  snap: GatewaySnapshot;
  model: SnapModel;
  body: Record<string, unknown>;
  kind: "chat" | "embeddings";
  stream: boolean;
  /** Whether the caller asked for usage in the stream (otherwise our added usage chunk is not forwarded). */
  streamUsage: boolean;
  requestId: string;
  signal: ClientSignal;
  res: GwResponse;
  started: number;
  timeouts?: Timeouts;
  extraHeaders?: Record<string, string>;
}

const SSE_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache",
  connection: "keep-alive",
  "x-accel-buffering": "no",
};

function classifyStatus(p: Planned, res: UpstreamResponse, text: string): AttemptError {
  const s = res.status;
  const b = breakers();
  if (s === 429) {
    const ra = retryAfterMs(res.headers);
    b.cooldown(p.unitId, ra ?? RATE_COOLDOWN_MS);
    return new AttemptError("retry", s, "rate limited by upstream", { retryAfterMs: ra, rateLimited: true });
  }
  if (s === 401 || s === 403) {
    b.cooldown(p.unitId, AUTH_COOLDOWN_MS);
    return new AttemptError("retry", s, "upstream refused the key");
  }
  if (s >= 500 || s === 408) {
    b.failure(p.unitId);
    b.failure(p.groupId);
    return new AttemptError("retry", s, `upstream error (HTTP ${s})`, { timeout: s === 504 || s === 408 });
  }
  if (s >= 300 && s < 400) {
    // Redirects are never followed (the outbound guard would have to re-check the new host, and the key would
    // go with it): the caller gets a 502 that says so, never the upstream's 3xx or its Location.
    b.release(p.unitId);
    const err = new GatewayError(
      502,
      "upstream_error",
      "upstream_redirect",
      `The upstream answered with a redirect (HTTP ${s}), which the gateway does not follow.`,
    );
    return new AttemptError("final", s, `upstream redirected (HTTP ${s})`, { response: err });
  }
  // 400, 404, 413, 422 and other client errors: the request itself is wrong; another upstream would say the same.
  b.release(p.unitId);
  const body = upstreamOpenAIError(text, p.target.apiKey);
  const err = new GatewayError(
    s,
    body?.error.type ?? "invalid_request_error",
    body?.error.code ?? "upstream_rejected",
    body?.error.message ?? `The upstream refused the request (HTTP ${s})`,
    {
      body: body ?? undefined,
    },
  );
  return new AttemptError("final", s, `upstream refused the request (HTTP ${s})`, { response: err });
}

function failureOf(e: unknown, p: Planned, signal: ClientSignal): AttemptError {
  const b = breakers();
  if (signal.aborted || (e instanceof UpstreamFailure && e.kind === "aborted")) {
    b.release(p.unitId);
    return new AttemptError("final", null, "client disconnected");
  }
  if (e instanceof AttemptError) return e;
  const f = e instanceof UpstreamFailure ? e : new UpstreamFailure("connect", "connection failed");
  b.failure(p.unitId);
  b.failure(p.groupId);
  return new AttemptError("retry", null, f.message, { timeout: f.kind === "timeout" });
}

function requestFor(o: RunOptions, p: Planned): UpstreamRequest {
  if (o.kind === "embeddings") {
    if (!p.adapter.embeddingsRequest) throw new AttemptError("retry", null, "this upstream has no embeddings endpoint");
    return p.adapter.embeddingsRequest(p.target, o.body);
  }
  return p.adapter.chatRequest(p.target, o.body, { stream: o.stream });
}

function contentOf(obj: Record<string, unknown>, delta: boolean): string {
  const choices = obj.choices;
  if (!Array.isArray(choices)) return "";
  let s = "";
  for (const c of choices) {
    const m = (c as Record<string, unknown>)?.[delta ? "delta" : "message"] as Record<string, unknown> | undefined;
    if (typeof m?.content === "string") s += m.content;
    if (m?.tool_calls) s += JSON.stringify(m.tool_calls);
  }
  return s;
}

export async function runAttempts(o: RunOptions): Promise<RunResult> {
  const attempts: AttemptTrace[] = [];
  const result: RunResult = {
    status: 502,
    outcome: "error",
    errorCode: null,
    attempts,
    served: null,
    usage: null,
    outputText: "",
    ttftMs: null,
    error: null,
  };
  const timeouts = o.timeouts ?? DEFAULT_TIMEOUTS;
  const ctx = { requestModel: o.model.name, id: `chatcmpl-${o.requestId}`, created: Math.floor(o.started / 1000) };
  let last: AttemptError | null = null;
  const tried = new Set<string>();
  const b = breakers();

  outer: for (const route of candidateOrder(o.model.routes)) {
    for (;;) {
      if (attempts.length >= MAX_ATTEMPTS) break outer;
      const p = plan(o.snap, route, tried);
      if (!p) break;
      tried.add(p.unitId);
      if (!b.tryAcquire(p.unitId)) continue;
      const t0 = performance.now();
      // least-inflight needs to know what each instance is serving right now.
      const inFlight = p.deploymentId ? o.snap.deployments.get(p.deploymentId)?.pick.inFlight : undefined;
      inFlight?.set(p.unitId, (inFlight.get(p.unitId) ?? 0) + 1);
      const trace: AttemptTrace = { ...p.trace, status: null, error: null, latencyMs: 0 };
      attempts.push(trace);
      try {
        const req = requestFor(o, p);
        const res = await sendUpstream(req, { allowPrivate: p.target.internal, signal: o.signal, timeouts: timeoutsFor(route, timeouts) });
        trace.status = res.status;
        if (res.status < 200 || res.status >= 300) {
          const text = await res.body.text(1024 * 1024).catch(() => "");
          throw classifyStatus(p, res, text);
        }
        if (o.stream) {
          const sent = await pipeStream(o, p, res, ctx, result);
          trace.latencyMs = Math.round(performance.now() - t0);
          if (sent === "ok") {
            b.success(p.unitId);
            b.success(p.groupId);
            result.served = p;
            result.status = 200;
            result.outcome = "success";
            return result;
          }
          // Something reached the client, then the upstream failed: the stream ends with an error event.
          trace.error = sent.error;
          b.failure(p.unitId);
          b.failure(p.groupId);
          result.served = p;
          result.status = 200;
          result.outcome = "partial";
          result.errorCode = "stream_interrupted";
          return result;
        }
        const text = await res.body.text();
        let json: Record<string, unknown>;
        try {
          json = JSON.parse(text);
        } catch {
          b.failure(p.unitId);
          throw new AttemptError("retry", res.status, "malformed upstream answer");
        }
        if (json && typeof json === "object" && json.error && !json.choices && !json.data) {
          b.failure(p.unitId);
          throw new AttemptError("retry", res.status, "upstream answered with an error");
        }
        const out =
          o.kind === "embeddings"
            ? await p.adapter.embeddingsResponse!(json, { requestModel: o.model.name, request: o.body })
            : p.adapter.chatResponse(json, ctx);
        trace.latencyMs = Math.round(performance.now() - t0);
        b.success(p.unitId);
        b.success(p.groupId);
        // An estimate from the adapter is left to the handler, which counts the same way and marks the record estimated.
        result.usage = o.kind === "embeddings" && p.adapter.embeddingUsageEstimated ? null : openAIUsage(out.usage);
        if (!result.usage && o.kind === "chat") result.outputText = contentOf(out, false);
        const data = JSON.stringify(out);
        o.res.head(200, { "content-type": "application/json", "content-length": String(Buffer.byteLength(data)), ...o.extraHeaders });
        o.res.end(data);
        result.served = p;
        result.status = 200;
        result.outcome = "success";
        return result;
      } catch (e) {
        const f = failureOf(e, p, o.signal);
        if (p.instance && !p.instance.proven && trace.status === null && isConnectFailure(e)) {
          // Passive health: an instance not proven by its probes could not even be reached.
          b.cooldown(p.unitId, REFUSED_COOLDOWN_MS);
          noteRefusedConnection(p.instance.id, f.message);
        }
        trace.latencyMs = Math.round(performance.now() - t0);
        trace.error = f.message;
        trace.status = f.status;
        if (f.message === "client disconnected") {
          result.status = 499;
          result.outcome = "client_aborted";
          result.errorCode = "client_aborted";
          return result;
        }
        if (f.kind === "final") {
          result.status = f.extra.response?.status ?? f.status ?? 502;
          result.errorCode = f.extra.response?.code ?? "upstream_rejected";
          result.error = f.extra.response ?? null;
          return result;
        }
        last = f;
      } finally {
        if (inFlight) inFlight.set(p.unitId, Math.max(0, (inFlight.get(p.unitId) ?? 1) - 1));
      }
    }
  }
  if (!attempts.length) {
    result.status = 503;
    result.errorCode = "no_upstream_available";
    result.error = new GatewayError(
      503,
      "service_unavailable",
      "no_upstream_available",
      `No upstream is available for \`${o.model.name}\` right now.`,
      { retryAfterSeconds: 5 },
    );
  } else if (last?.extra.rateLimited && attempts.every((a) => a.status === 429)) {
    const ra = Math.min(60, Math.max(1, Math.ceil((last.extra.retryAfterMs ?? 1000) / 1000)));
    result.status = 429;
    result.errorCode = "upstream_rate_limited";
    result.error = new GatewayError(
      429,
      "rate_limit_error",
      "upstream_rate_limited",
      "Every upstream for this model is rate limited; retry later.",
      { retryAfterSeconds: ra },
    );
  } else if (last?.extra.timeout) {
    result.status = 504;
    result.errorCode = "upstream_timeout";
    result.error = new GatewayError(504, "timeout_error", "upstream_timeout", "The upstream did not answer in time.");
  } else {
    result.status = 502;
    result.errorCode = "upstream_error";
    result.error = new GatewayError(
      502,
      "upstream_error",
      "upstream_error",
      `Every upstream for \`${o.model.name}\` failed (${attempts.length} attempt${attempts.length === 1 ? "" : "s"}).`,
    );
  }
  return result;
}

/**
 * Relays one upstream stream. Returns "ok" after a clean end ([DONE] written); throws (so the caller fails over)
 * when the upstream failed before anything reached the client; returns the error once the client has bytes.
 */
async function pipeStream(
  o: RunOptions,
  p: Planned,
  res: UpstreamResponse,
  ctx: { requestModel: string; id: string; created: number },
  result: RunResult,
): Promise<"ok" | { error: string }> {
  const conv = p.adapter.streamConverter(ctx);
  let pending: Record<string, unknown>[] = [];
  const parser = createParser({ onEvent: (ev) => pending.push(...conv.push({ event: ev.event, data: ev.data })) });
  const decoder = new TextDecoder();
  let started = false;
  let text = "";
  // The events converted from one upstream read go to the client in one write (one syscall, one packet), as
  // soon as that read is processed: nothing waits for more upstream data. Once the upstream said it is done,
  // the last events are held for the write that ends the stream.
  let held = "";
  const flush = (): void | Promise<void> => {
    const out = pending;
    pending = [];
    let batch = "";
    for (let chunk of out) {
      if (chunk.usage && !o.streamUsage) {
        if (Array.isArray(chunk.choices) && chunk.choices.length === 0) continue;
        chunk = { ...chunk };
        delete chunk.usage;
      }
      if (!started) {
        o.res.head(200, { ...SSE_HEADERS, ...o.extraHeaders });
        started = true;
        result.ttftMs = Math.round(performance.now() - o.started);
      }
      text += contentOf(chunk, true);
      batch += `data: ${JSON.stringify(chunk)}\n\n`;
    }
    if (!batch) return;
    if (conv.done()) {
      held += batch;
      return;
    }
    return o.res.write(batch);
  };
  const interrupted = (message: string): { error: string } => {
    result.usage = conv.usage();
    result.outputText = text;
    res.body.destroy();
    o.res.write(`${held}data: ${JSON.stringify({ error: { message, type: "upstream_error", code: "stream_interrupted" } })}\n\n`);
    o.res.end();
    return { error: message };
  };
  try {
    // Chunks arrive as the upstream sends them; a write the client is slow to take pauses the upstream.
    await res.body.pipe((buf) => {
      parser.feed(decoder.decode(buf, { stream: true }));
      if (conv.error()) return res.body.discard();
      const w = flush();
      if (conv.done()) res.body.discard();
      return w;
    });
    await flush();
  } catch (e) {
    if (o.signal.aborted) throw new UpstreamFailure("aborted", "client disconnected");
    const f =
      e instanceof UpstreamFailure && e.kind !== "connect"
        ? e
        : new UpstreamFailure(res.timedOut ? "timeout" : "connect", res.timedOut ? "timeout" : "upstream stream broke off");
    if (!started) throw f;
    logger.warn("upstream stream broke off", { requestId: o.requestId, target: p.trace.targetName });
    return interrupted("The upstream stream broke off before the answer was complete.");
  }
  const err = conv.error();
  if (err) {
    if (!started) {
      breakers().failure(p.unitId);
      throw new AttemptError("retry", 200, `upstream stream error: ${err.message.slice(0, 200)}`);
    }
    return interrupted("The upstream reported an error in the middle of the answer.");
  }
  if (!started) {
    o.res.head(200, { ...SSE_HEADERS, ...o.extraHeaders });
    result.ttftMs = Math.round(performance.now() - o.started);
  }
  res.body.discard();
  result.usage = conv.usage();
  result.outputText = text;
  o.res.end(`${held}data: [DONE]\n\n`);
  return "ok";
}
