import { db } from "../db/client";
import type { Actor } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { notFound } from "../errors";
import { OutboundBlockedError, outboundFetch } from "../outbound/fetch";
import { describeOutboundFailure } from "../outbound/describe-failure";
import type { ConnectionTestDto, ConnectorStatus } from "../schemas/connectors";
import { requireConnectorAccess } from "./access";
import { applyConnectorAuth, type ConnectorAuthSource } from "./auth/apply";
import type { OutgoingAuthTarget } from "./auth/types";

// "Test connection": one real request with the connector's credentials, judged as follows.
//   2xx, and 3xx (not followed: the credentials stay with the base URL's host)  -> active
//   401, 403 (the API refused the credentials)                                  -> needs_reauth
//   404 on an operation of the provider (the base URL is probably wrong)        -> failing
//   404 on the base URL itself (many APIs have nothing there; the server answered) -> active
//   other 4xx (the API answered and did not refuse the credentials: 400, 405, 429) -> active, with the status
//   5xx, no answer, a refused (private) address                                  -> failing
// The request is a GET operation of the provider that needs no parameters the connector cannot fill, else the base URL.

const TIMEOUT_MS = 10_000;

/** The connector's credentials on an empty request (the same code tool calls use). */
async function authTarget(row: ConnectorAuthSource, endUserId: string | null): Promise<OutgoingAuthTarget> {
  const target: OutgoingAuthTarget = { headers: {}, query: [], cookies: [] };
  await applyConnectorAuth(row, target, { endUserId });
  return target;
}

/** A cheap GET operation: no required parameters beyond the path ones the connector's params fill. */
async function probePath(providerId: string, params: Record<string, string>): Promise<string | null> {
  const ops = await db.providerOperation.findMany({
    where: { providerId, enabled: true, method: "GET" },
    select: { path: true, parameters: true },
    orderBy: { position: "asc" },
    take: 500,
  });
  for (const op of ops) {
    const list = Array.isArray(op.parameters) ? (op.parameters as { name?: string; in?: string; required?: boolean }[]) : [];
    if (list.some((p) => p.required && !(p.in === "path" && p.name && params[p.name] !== undefined))) continue;
    const path = op.path.replace(/\{([^}]+)\}/g, (m, name: string) => (params[name] !== undefined ? encodeURIComponent(params[name]) : m));
    if (!path.includes("{")) return path;
  }
  return null;
}

function judge(httpStatus: number, onOperation: boolean, what: string): { status: ConnectorStatus; reason: string } {
  if (httpStatus === 401 || httpStatus === 403)
    return { status: "needs_reauth", reason: `The API refused the credentials (HTTP ${httpStatus} on ${what})` };
  if (httpStatus >= 500) return { status: "failing", reason: `The API answered HTTP ${httpStatus} on ${what}` };
  if (httpStatus === 404 && onOperation)
    return { status: "failing", reason: `HTTP 404 on ${what}, an operation of the provider: check the base URL` };
  if (httpStatus < 400) return { status: "active", reason: `HTTP ${httpStatus} on ${what}` };
  return { status: "active", reason: `Reached the API: HTTP ${httpStatus} on ${what}` };
}

function refusal(e: OutboundBlockedError): string {
  if (e.message === "Too many redirects") return "";
  if (e.message === "The destination is not allowed")
    return "Refused: the base URL's host is a private, loopback or internal address. An Admin can mark the connector internal, or the operator can list the host in SWITCHBOARD_OUTBOUND_ALLOW.";
  return `Refused: ${e.message}`;
}

export async function testConnection(opts: { actor: Actor; connectorId: string; requestId?: string }): Promise<ConnectionTestDto> {
  const scope = await requireConnectorAccess(opts.actor, opts.connectorId, "integrations.manage");
  const row = await db.connector.findFirst({
    where: scope.where,
    select: {
      id: true,
      name: true,
      workspaceId: true,
      providerId: true,
      baseUrl: true,
      params: true,
      internal: true,
      authMode: true,
      authSettings: true,
      status: true,
    },
  });
  if (!row) throw notFound("Connector");
  const params = (row.params ?? {}) as Record<string, string>;
  const path = await probePath(row.providerId, params);
  const what = path ? `GET ${path}` : "the base URL";
  // OAuth connectors are tested with the tester's own connection (end user id = their email), if they have one.
  const target = await authTarget(row, opts.actor.type === "user" ? opts.actor.email : null);
  const url = new URL(path ? `${row.baseUrl.replace(/\/+$/, "")}${path}` : row.baseUrl);
  for (const [k, v] of target.query) url.searchParams.append(k, v);
  const headers: Record<string, string> = { accept: "application/json", ...target.headers };
  if (target.cookies.length) headers.cookie = target.cookies.map(([k, v]) => `${k}=${v}`).join("; ");

  const started = performance.now();
  let result: { status: ConnectorStatus; reason: string; httpStatus: number | null; latencyMs: number | null };
  try {
    const res = await outboundFetch(url.toString(), { allowPrivate: row.internal, headers, timeoutMs: TIMEOUT_MS, maxRedirects: 0 });
    const latencyMs = Math.round(performance.now() - started);
    await res.body?.cancel().catch(() => undefined);
    result = { ...judge(res.status, !!path, what), httpStatus: res.status, latencyMs };
  } catch (e) {
    const latencyMs = Math.round(performance.now() - started);
    if (e instanceof OutboundBlockedError && e.message === "Too many redirects") {
      result = { status: "active", reason: `The API answered ${what} with a redirect (not followed)`, httpStatus: null, latencyMs };
    } else if (e instanceof OutboundBlockedError) {
      result = { status: "failing", reason: refusal(e), httpStatus: null, latencyMs: null };
    } else {
      result = { status: "failing", reason: `${describeOutboundFailure(e, TIMEOUT_MS)} (${what})`, httpStatus: null, latencyMs };
    }
  }
  const checkedAt = new Date();
  await db.$transaction(async (tx) => {
    // registry-neutral: connectors are not in the gateway's routing snapshot.
    await tx.connector.update({
      where: { id: row.id, workspaceId: row.workspaceId },
      data: { status: result.status, statusReason: result.reason, statusAt: checkedAt },
      select: { id: true },
    });
    await recordAudit(tx, {
      actor: opts.actor,
      action: "connector.test",
      targetType: "connector",
      targetId: row.id,
      targetLabel: row.name,
      workspaceId: row.workspaceId,
      changes: {
        status: { from: row.status, to: result.status },
        ...(result.httpStatus ? { httpStatus: { from: null, to: result.httpStatus } } : {}),
      },
      requestId: opts.requestId,
    });
  });
  return { ...result, checkedAt: checkedAt.toISOString() };
}
