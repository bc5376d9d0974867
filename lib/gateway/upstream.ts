import type { IncomingHttpHeaders } from "node:http";
import type { Dispatcher } from "undici";
import { checkOutboundUrl, guardedDispatcher, OutboundBlockedError } from "../outbound/fetch";
import type { ClientSignal, UpstreamRequest } from "./types";
import { now as clockNow } from "../runtime/clock";

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

/**
 * An upstream answer's body, read without a Node stream: the gateway either takes it whole (`text`) or relays it
 * chunk by chunk (`pipe`, which pauses the upstream connection while the client is slow).
 */
export interface UpstreamBody {
  /** The whole body (at most `cap` bytes; more fails the call). Failures are classified like the call itself. */
  text(cap?: number): Promise<string>;
  /** Hands each chunk to `onChunk` (a returned promise pauses reading until it settles); resolves at the end. */
  pipe(onChunk: (chunk: Buffer) => void | Promise<void>): Promise<void>;
  /** Stops reading: the rest is discarded as it arrives, so the connection can be reused. */
  discard(): void;
  /** Aborts the call (closes the connection). */
  destroy(): void;
}

export interface UpstreamResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: UpstreamBody;
  /** Whether the total timeout ended the call. */
  readonly timedOut: boolean;
}

const CONNECT_TIMEOUT = "connect timeout";

/** The upstream could not be reached at all: connection refused, reset or unreachable before an answer, or a connect timeout. */
export const isConnectFailure = (e: unknown): boolean =>
  e instanceof UpstreamFailure && (e.kind === "connect" || e.message === CONNECT_TIMEOUT);

const ABORTED_BY_CALLER = new Error("aborted by the gateway");

function classify(e: unknown, client: ClientSignal, total: { readonly timedOut: boolean }): UpstreamFailure {
  if (client.aborted) return new UpstreamFailure("aborted", "client disconnected");
  for (let c: unknown = e, i = 0; c && i < 5; c = (c as { cause?: unknown }).cause, i++) {
    if (c instanceof OutboundBlockedError) return new UpstreamFailure("blocked", "destination not allowed");
  }
  const code = (e as { code?: string })?.code ?? "";
  if (total.timedOut || code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_BODY_TIMEOUT" || code === "UND_ERR_CONNECT_TIMEOUT") {
    return new UpstreamFailure(
      "timeout",
      code === "UND_ERR_CONNECT_TIMEOUT" ? CONNECT_TIMEOUT : code === "UND_ERR_HEADERS_TIMEOUT" ? "first byte timeout" : "timeout",
    );
  }
  return new UpstreamFailure("connect", code ? `connection failed (${code})` : "connection failed");
}

/**
 * One upstream call as an undici dispatch handler: no Readable, no abort controller and no promise per chunk
 * (undici's `request` cost about 25 us more per call here). The call settles `started` at the response head;
 * the body then goes to whichever consumer attaches (text or pipe), buffered until one does.
 */
class Call implements Dispatcher.DispatchHandler, UpstreamResponse, UpstreamBody {
  status = 0;
  headers: IncomingHttpHeaders = {};
  timedOut = false;
  readonly started: Promise<UpstreamResponse>;
  private resolveStart!: (r: UpstreamResponse) => void;
  private rejectStart!: (e: unknown) => void;
  private controller: Dispatcher.DispatchController | null = null;
  private abortReason: Error | null = null;
  private timer: NodeJS.Timeout;
  private headDone = false;
  private finished = false;
  private failure: unknown = null;
  private chunks: Buffer[] = [];
  private size = 0;
  private cap = Infinity;
  private sink: ((chunk: Buffer) => void | Promise<void>) | null = null;
  private discarding = false;
  private settle: { resolve: () => void; reject: (e: unknown) => void } | null = null;
  private readonly onClientAbort = () => this.abort(ABORTED_BY_CALLER);

  constructor(
    private readonly client: ClientSignal,
    totalMs: number,
  ) {
    this.started = new Promise((resolve, reject) => {
      this.resolveStart = resolve;
      this.rejectStart = reject;
    });
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.abort(new UpstreamFailure("timeout", "timeout"));
    }, totalMs);
    this.timer.unref();
    if (client.aborted) this.abortReason = ABORTED_BY_CALLER;
    else client.addEventListener("abort", this.onClientAbort, { once: true });
  }

  get body(): UpstreamBody {
    return this;
  }

  private abort(reason: Error) {
    if (this.finished) return;
    this.abortReason ??= reason;
    this.controller?.abort(reason);
  }

  private release() {
    clearTimeout(this.timer);
    this.client.removeEventListener("abort", this.onClientAbort);
  }

  onRequestStart(controller: Dispatcher.DispatchController) {
    this.controller = controller;
    if (this.abortReason) controller.abort(this.abortReason);
  }

  onResponseStart(_c: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders) {
    if (statusCode < 200) return; // 1xx informational
    this.status = statusCode;
    this.headers = headers;
    this.headDone = true;
    this.resolveStart(this);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer) {
    if (this.discarding) return;
    if (this.sink) {
      let w: void | Promise<void>;
      try {
        w = this.sink(chunk);
      } catch (e) {
        return this.fail(e);
      }
      if (w) {
        controller.pause();
        w.then(
          () => controller.resume(),
          (e) => this.fail(e),
        );
      }
      return;
    }
    this.size += chunk.length;
    if (this.size > this.cap) return this.fail(new UpstreamFailure("connect", "upstream answer too large"));
    this.chunks.push(chunk);
  }

  onResponseEnd() {
    this.finished = true;
    this.release();
    const s = this.settle;
    this.settle = null;
    s?.resolve();
  }

  onResponseError(_c: Dispatcher.DispatchController, error: Error) {
    this.finished = true;
    this.release();
    const e = this.classify(error);
    this.failure = e;
    if (!this.headDone) return this.rejectStart(e);
    const s = this.settle;
    this.settle = null;
    s?.reject(e);
  }

  private fail(e: unknown) {
    this.abort(e instanceof Error ? e : new Error(String(e)));
    if (this.finished) {
      const s = this.settle;
      this.settle = null;
      s?.reject(e);
    }
  }

  private classify(error: Error): UpstreamFailure {
    if (this.abortReason === ABORTED_BY_CALLER || this.client.aborted) return new UpstreamFailure("aborted", "client disconnected");
    if (this.abortReason instanceof UpstreamFailure) return this.abortReason;
    return classify(this.abortReason ?? error, this.client, this);
  }

  private wait(): Promise<void> {
    if (this.discarding) return Promise.resolve();
    if (this.failure) return Promise.reject(this.failure);
    if (this.finished) return Promise.resolve();
    return new Promise((resolve, reject) => (this.settle = { resolve, reject }));
  }

  async text(cap = 32 * 1024 * 1024): Promise<string> {
    this.cap = cap;
    if (this.size > cap) {
      const e = new UpstreamFailure("connect", "upstream answer too large");
      this.fail(e);
      throw e;
    }
    await this.wait();
    const all = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
    this.chunks = [];
    return all.toString("utf8");
  }

  async pipe(onChunk: (chunk: Buffer) => void | Promise<void>): Promise<void> {
    const buffered = this.chunks;
    this.chunks = [];
    for (const c of buffered) {
      if (this.discarding) break;
      const w = onChunk(c);
      if (w) await w;
    }
    if (!this.discarding) this.sink = onChunk;
    await this.wait();
  }

  discard() {
    this.discarding = true;
    this.sink = null;
    this.chunks = [];
    // Whoever waits for the end (a pipe that stopped early) is let go now.
    const s = this.settle;
    this.settle = null;
    s?.resolve();
  }

  destroy() {
    this.discard();
    this.abort(ABORTED_BY_CALLER_INTERNAL);
  }
}

// Our own early stop (the stream is done or failed): not a client disconnect.
const ABORTED_BY_CALLER_INTERNAL = new UpstreamFailure("connect", "stopped by the gateway");

// Checked URLs by string: the adapters build the same few URLs again and again (bounded). URLs with a query
// are checked each time, so nothing that might carry a credential is kept.
const checkedUrls = new Map<string, URL>();
function checkedUrl(raw: string, allowPrivate: boolean): URL {
  if (raw.includes("?")) return checkOutboundUrl(raw, allowPrivate);
  const k = `${allowPrivate ? "p" : "-"}${raw}`;
  let url = checkedUrls.get(k);
  if (!url) {
    url = checkOutboundUrl(raw, allowPrivate);
    if (checkedUrls.size > 1000) checkedUrls.clear();
    checkedUrls.set(k, url);
  }
  return url;
}

export async function sendUpstream(
  req: UpstreamRequest,
  opts: { allowPrivate: boolean; signal: ClientSignal; timeouts: Timeouts },
): Promise<UpstreamResponse> {
  let url: URL;
  try {
    url = checkedUrl(req.url, opts.allowPrivate);
  } catch {
    throw new UpstreamFailure("blocked", "destination not allowed");
  }
  const call = new Call(opts.signal, opts.timeouts.totalMs);
  try {
    guardedDispatcher(url, opts.allowPrivate, opts.timeouts.connectMs).dispatch(
      {
        origin: url.origin,
        path: url.pathname + url.search,
        method: req.method,
        headers: req.headers,
        body: req.body,
        headersTimeout: opts.timeouts.firstByteMs,
        bodyTimeout: opts.timeouts.firstByteMs,
      },
      call,
    );
  } catch (e) {
    call.onResponseError(null as unknown as Dispatcher.DispatchController, e as Error);
  }
  return call.started;
}

export function retryAfterMs(headers: UpstreamResponse["headers"]): number | null {
  const raw = headers["retry-after"];
  const v = Array.isArray(raw) ? raw[0] : raw;
  if (!v) return null;
  const s = Number(v);
  if (Number.isFinite(s)) return Math.max(0, s * 1000);
  const d = Date.parse(v);
  return Number.isFinite(d) ? Math.max(0, d - clockNow()) : null;
}
