import { request, type Dispatcher } from "undici";
import { checkOutboundUrl, guardedDispatcher, OutboundBlockedError } from "../outbound/fetch";
import type { UpstreamRequest } from "./types";

// One upstream HTTP call through the outbound guard's pooled connections, with the three timeouts: connect
// (the pool's), first byte (response headers) and total (an abort signal). Redirects are never followed.

export interface Timeouts {
  /** TCP/TLS connect (the pool's default, 10 s, when absent). */
  connectMs?: number;
  firstByteMs: number;
  totalMs: number;
}

export const DEFAULT_TIMEOUTS: Timeouts = { firstByteMs: 60_000, totalMs: 600_000 };

export type FailureKind = "connect" | "timeout" | "blocked" | "aborted";

export class UpstreamFailure extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
  ) {
    super(message);
  }
}

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Dispatcher.ResponseData["body"];
}

function classify(e: unknown, client: AbortSignal, total: { readonly aborted: boolean }): UpstreamFailure {
  if (client.aborted) return new UpstreamFailure("aborted", "client disconnected");
  for (let c: unknown = e, i = 0; c && i < 5; c = (c as { cause?: unknown }).cause, i++) {
    if (c instanceof OutboundBlockedError) return new UpstreamFailure("blocked", "destination not allowed");
  }
  const code = (e as { code?: string })?.code ?? "";
  if (total.aborted || code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_BODY_TIMEOUT" || code === "UND_ERR_CONNECT_TIMEOUT") {
    return new UpstreamFailure("timeout", code === "UND_ERR_CONNECT_TIMEOUT" ? "connect timeout" : code === "UND_ERR_HEADERS_TIMEOUT" ? "first byte timeout" : "timeout");
  }
  return new UpstreamFailure("connect", code ? `connection failed (${code})` : "connection failed");
}

export async function sendUpstream(
  req: UpstreamRequest,
  opts: { allowPrivate: boolean; signal: AbortSignal; timeouts: Timeouts },
): Promise<UpstreamResponse & { signal: AbortSignal }> {
  let url: URL;
  try {
    url = checkOutboundUrl(req.url, opts.allowPrivate);
  } catch {
    throw new UpstreamFailure("blocked", "destination not allowed");
  }
  const { signal, total, release } = attemptSignal(opts.signal, opts.timeouts.totalMs);
  try {
    const res = await request(url, {
      method: req.method,
      headers: req.headers,
      body: req.body,
      signal,
      dispatcher: guardedDispatcher(url, opts.allowPrivate, opts.timeouts.connectMs),
      headersTimeout: opts.timeouts.firstByteMs,
      bodyTimeout: opts.timeouts.firstByteMs,
    });
    // The timer and the listener on the client's signal go when the body is done (read, dumped or destroyed).
    res.body.once("close", release);
    return { status: res.statusCode, headers: res.headers, body: res.body, signal };
  } catch (e) {
    release();
    throw classify(e, opts.signal, total);
  }
}

/**
 * One signal for an attempt: aborted when the client goes or when the total timeout passes. One controller and
 * one timer, where AbortSignal.any([client, AbortSignal.timeout()]) cost two signals, a timer and weak
 * references per call on the hot path.
 */
function attemptSignal(client: AbortSignal, totalMs: number) {
  const ac = new AbortController();
  const total = { aborted: false };
  const onClient = () => ac.abort(client.reason);
  const timer = setTimeout(() => {
    total.aborted = true;
    ac.abort(new DOMException("The upstream did not answer in time", "TimeoutError"));
  }, totalMs);
  timer.unref();
  if (client.aborted) onClient();
  else client.addEventListener("abort", onClient, { once: true });
  const release = () => {
    clearTimeout(timer);
    client.removeEventListener("abort", onClient);
  };
  return { signal: ac.signal, total, release };
}

/** Reads a whole upstream body (capped); failures are classified like the call itself. */
export async function readBody(res: UpstreamResponse & { signal: AbortSignal }, client: AbortSignal, cap = 32 * 1024 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const c of res.body) {
      size += (c as Buffer).length;
      if (size > cap) throw new UpstreamFailure("connect", "upstream answer too large");
      chunks.push(c as Buffer);
    }
  } catch (e) {
    if (e instanceof UpstreamFailure) throw e;
    throw classify(e, client, res.signal);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export function retryAfterMs(headers: UpstreamResponse["headers"]): number | null {
  const raw = headers["retry-after"];
  const v = Array.isArray(raw) ? raw[0] : raw;
  if (!v) return null;
  const s = Number(v);
  if (Number.isFinite(s)) return Math.max(0, s * 1000);
  const d = Date.parse(v);
  return Number.isFinite(d) ? Math.max(0, d - Date.now()) : null;
}
