import type { IncomingMessage, ServerResponse } from "node:http";
import { db } from "../db/client";
import { isAppError } from "../errors";
import { logger } from "../log";
import { requestIdFrom } from "../http/request-id";
import { findToolTarget, toolListFor } from "../agents/tool-list";
import { authenticate, type GwRequest } from "../gateway/handler";
import { GatewayError } from "../gateway/errors";
import { ClientGone } from "../gateway/types";

// GET /api/v1/tools?worker=|node=|skill= - the tools available there, in OpenAI's `tools` format, for a
// workspace key. The key's workspace bounds every lookup: a worker of another workspace is "not found".

interface Answer {
  status: number;
  body: unknown;
}

const notFoundError = (message: string) => new GatewayError(404, "invalid_request_error", "not_found", message);

export async function answerToolList(
  header: (name: string) => string | undefined,
  search: URLSearchParams,
  requestId: string,
): Promise<Answer> {
  try {
    const req: GwRequest = {
      method: "GET",
      pathname: "/api/v1/tools",
      requestId,
      header,
      readBody: async () => Buffer.alloc(0),
      signal: new ClientGone(),
    };
    const { key } = await authenticate(req);
    const one = (k: string) => search.get(k) ?? undefined;
    let target;
    try {
      target = await findToolTarget(db, key.workspaceId, { worker: one("worker"), node: one("node"), skill: one("skill") });
    } catch (e) {
      if (isAppError(e) && e.code === "not_found") throw notFoundError(e.message);
      if (isAppError(e) && e.code === "bad_request") throw new GatewayError(400, "invalid_request_error", "invalid_target", e.message);
      throw e;
    }
    return { status: 200, body: await toolListFor(db, target) };
  } catch (e) {
    if (e instanceof GatewayError) return { status: e.status, body: e.toJSON() };
    logger.error("tool list failed", { requestId, error: e });
    return { status: 500, body: new GatewayError(500, "server_error", "internal_error", "The tool list could not be made.").toJSON() };
  }
}

export async function toolListNodeHandler(req: IncomingMessage, res: ServerResponse, ctx: { requestId: string }): Promise<void> {
  const search = new URL(req.url ?? "/", "http://localhost").searchParams;
  const answer = await answerToolList(
    (n) => {
      const v = req.headers[n];
      return Array.isArray(v) ? v[0] : v;
    },
    search,
    ctx.requestId,
  );
  const data = JSON.stringify(answer.body);
  res.writeHead(answer.status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(data),
    "cache-control": "no-store",
    "x-request-id": ctx.requestId,
  });
  res.end(req.method === "HEAD" ? undefined : data);
}

/** The same for `next dev` (app/api/v1/[...path]/route.ts). */
export async function toolListFetchHandler(request: Request): Promise<Response> {
  const requestId = requestIdFrom(request.headers);
  const answer = await answerToolList((n) => request.headers.get(n) ?? undefined, new URL(request.url).searchParams, requestId);
  return Response.json(answer.body, { status: answer.status, headers: { "cache-control": "no-store", "x-request-id": requestId } });
}
