import dns from "node:dns";
import net from "node:net";
import { Agent, fetch as undiciFetch, type Dispatcher } from "undici";
import { env } from "../env";
import { AppError } from "../errors";
import { processSingleton } from "../db/global";
import { addressAllowed, parseAllowList, portAllowed, type AllowList } from "./address-policy";

// The one guard for every outbound request (vendor base URLs, deployment instances, OpenAPI documents,
// connector calls, MCP servers, webhook forwards, OAuth endpoints): http(s) only, the resolved address checked
// at connect time (so DNS rebinding cannot slip past a check done earlier), every redirect re-checked, and
// credentials never carried to another origin.

export class OutboundBlockedError extends AppError {
  constructor(message = "The destination is not allowed") {
    super("forbidden", message);
    this.name = "AppError";
  }
}

export interface OutboundOptions {
  /** The object was marked internal by an admin: private and loopback addresses are allowed. */
  allowPrivate?: boolean;
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** Whole request, including redirects. */
  timeoutMs?: number;
  maxRedirects?: number;
  signal?: AbortSignal;
  /** TCP/TLS connect timeout (default 10 s). */
  connectTimeoutMs?: number;
  /**
   * What a redirect to another origin does: by default it is followed without credentials; "refuse" throws
   * (connector tool calls may only reach their base URL's host).
   */
  crossOriginRedirects?: "strip-credentials" | "refuse";
}

const allowList = (): AllowList => processSingleton("outboundAllow", () => parseAllowList(env.SWITCHBOARD_OUTBOUND_ALLOW));

function guardedLookup(hostname: string, allowPrivate: boolean): net.LookupFunction {
  return (host, options, callback) => {
    dns.lookup(host, { ...options, all: true }, (err, addresses) => {
      if (err) return (callback as (e: Error) => void)(err);
      const list = addresses as dns.LookupAddress[];
      const ok = list.filter((a) => addressAllowed(a.address, { hostname, allowPrivate, allow: allowList() }));
      if (!ok.length || ok.length !== list.length) {
        return (callback as (e: Error) => void)(new OutboundBlockedError());
      }
      if ((options as dns.LookupOptions).all) (callback as (e: null, a: dns.LookupAddress[]) => void)(null, ok);
      else (callback as (e: null, a: string, f: number) => void)(null, ok[0].address, ok[0].family);
    });
  };
}

const agents = new Map<string, Dispatcher>();
function agentFor(hostname: string, allowPrivate: boolean, connectTimeoutMs = 10_000): Dispatcher {
  // A pool per connect timeout: undici sets it per pool, and gateway routes may each choose their own.
  const key = `${allowPrivate ? "p" : "-"}:${hostname}${connectTimeoutMs === 10_000 ? "" : `:${connectTimeoutMs}`}`;
  let agent = agents.get(key);
  if (!agent) {
    agent = new Agent({ connect: { lookup: guardedLookup(hostname, allowPrivate), timeout: connectTimeoutMs }, keepAliveTimeout: 10_000 });
    if (agents.size > 500) agents.clear();
    agents.set(key, agent);
  }
  return agent;
}

/** Throws OutboundBlockedError unless the URL may be requested at all (scheme, credentials, port, literal IP). */
export function checkOutboundUrl(raw: string, allowPrivate = false): URL {
  if (typeof raw !== "string" || raw !== raw.trim() || /[\r\n\t]/.test(raw)) throw new OutboundBlockedError("The URL is malformed");
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new OutboundBlockedError("The URL is malformed");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new OutboundBlockedError("Only http and https URLs are allowed");
  if (url.username || url.password) throw new OutboundBlockedError("URLs with credentials are not allowed");
  const port = Number(url.port || (url.protocol === "https:" ? 443 : 80));
  if (!portAllowed(port, allowPrivate)) throw new OutboundBlockedError("The port is not allowed");
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (net.isIP(host) && !addressAllowed(host, { hostname: host, allowPrivate, allow: allowList() })) throw new OutboundBlockedError();
  if (!allowPrivate && /(^|\.)(localhost|internal|local)$/i.test(host) && !allowList().hosts.has(host.toLowerCase())) {
    throw new OutboundBlockedError();
  }
  return url;
}

const SENSITIVE_HEADERS = /^(authorization|cookie|proxy-authorization|api-key|x-api-key|x-goog-api-key)$/i;

/** fetch() through the guard. Redirects are followed by hand so each hop is checked again. */
export async function outboundFetch(rawUrl: string, opts: OutboundOptions = {}): Promise<Response> {
  const allowPrivate = !!opts.allowPrivate;
  const maxRedirects = opts.maxRedirects ?? 3;
  const timeout = AbortSignal.timeout(opts.timeoutMs ?? 15_000);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
  let url = checkOutboundUrl(rawUrl, allowPrivate);
  let headers = { ...opts.headers };
  let method = opts.method ?? "GET";
  let body = opts.body;
  for (let hop = 0; ; hop++) {
    const res = (await undiciFetch(url, {
      method,
      headers,
      body,
      redirect: "manual",
      signal,
      dispatcher: agentFor(url.hostname, allowPrivate, opts.connectTimeoutMs),
    }).catch((e: unknown) => {
      for (let c: unknown = e, i = 0; c && i < 5; c = (c as { cause?: unknown }).cause, i++) {
        if (c instanceof OutboundBlockedError) throw c;
      }
      throw e;
    })) as unknown as Response;
    if (res.status < 300 || res.status >= 400 || !res.headers.get("location")) return res;
    await res.body?.cancel();
    if (hop >= maxRedirects) throw new OutboundBlockedError("Too many redirects");
    const next = checkOutboundUrl(new URL(res.headers.get("location")!, url).toString(), allowPrivate);
    if (url.protocol === "https:" && next.protocol === "http:") throw new OutboundBlockedError("Redirect from https to http refused");
    if (next.origin !== url.origin && opts.crossOriginRedirects === "refuse") {
      throw new OutboundBlockedError(`Redirect to another host (${next.host}) refused`);
    }
    if (next.origin !== url.origin) headers = Object.fromEntries(Object.entries(headers).filter(([k]) => !SENSITIVE_HEADERS.test(k)));
    if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === "POST")) {
      method = "GET";
      body = undefined;
    }
    url = next;
  }
}

/**
 * The pooled, guarded connection pool for a URL (the gateway's hot path sends through it with undici's
 * `request`): the same connect-time address check as outboundFetch, without per-call setup. The URL must have
 * passed checkOutboundUrl; redirects are not followed.
 */
export function guardedDispatcher(url: URL, allowPrivate: boolean, connectTimeoutMs?: number): Dispatcher {
  return agentFor(url.hostname, allowPrivate, connectTimeoutMs);
}
