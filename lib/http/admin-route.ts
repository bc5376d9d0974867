import type { z } from "zod";
import { actorFromRequest } from "../auth/request-actor";
import type { Actor } from "../auth/actor";
import { AppError } from "../errors";
import { zodProblems } from "../schemas/zod";
import { problemResponse } from "./problem";
import { requestIdFrom } from "./request-id";
import { readCapped } from "./read-capped";
import { depthProblem } from "./json-depth";

type Infer<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteContext<B, Q> {
  req: Request;
  actor: Actor;
  body: B;
  query: Q;
  params: Record<string, string>;
  requestId: string;
}

export interface RouteSpec<BS, QS> {
  body?: BS;
  query?: QS;
  /** Bytes; bodies above it are refused with 413 before parsing. */
  maxBodyBytes?: number;
}

const DEFAULT_MAX_BODY = 1024 * 1024;
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Cookie-authenticated writes must come from our own pages (defence in depth on top of SameSite=Lax). */
function assertSameOrigin(req: Request) {
  const origin = req.headers.get("origin");
  if (!origin) return;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    throw new AppError("forbidden", "Cross-site request refused");
  }
  if (host !== (req.headers.get("x-forwarded-host") ?? req.headers.get("host"))) throw new AppError("forbidden", "Cross-site request refused");
}

/** A JSON result with a status other than 200 (e.g. 201 Created). */
export class Result {
  constructor(readonly status: number, readonly body: unknown) {}
}
export const created = (body: unknown) => new Result(201, body);

export async function readBodyText(req: Request, max: number): Promise<string> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > max) throw new AppError("payload_too_large", `Body is larger than ${Math.round(max / 1024)} KiB`);
  return readCapped(req.body, max, "throw");
}

function parseWith<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const r = schema.safeParse(input);
  if (!r.success) throw new AppError("validation_failed", `The ${what} is invalid`, { fields: zodProblems(r.error) });
  return r.data;
}

/**
 * The wrapper every admin API handler runs in: request id, authentication (session or admin token), body and
 * query parsing with zod, and errors as problem documents. Handlers authorize through lib/ calls.
 */
export function adminRoute<BS extends z.ZodType | undefined = undefined, QS extends z.ZodType | undefined = undefined>(
  spec: RouteSpec<BS, QS>,
  handler: (ctx: RouteContext<Infer<BS>, Infer<QS>>) => Promise<unknown>,
) {
  return async (req: Request, routeCtx?: { params?: Promise<Record<string, string | string[]>> }): Promise<Response> => {
    const requestId = requestIdFrom(req.headers);
    const url = new URL(req.url);
    try {
      const actor = await actorFromRequest(req);
      if (actor.type === "user" && !SAFE_METHODS.has(req.method)) assertSameOrigin(req);
      let body: unknown = undefined;
      if (spec.body) {
        const type = req.headers.get("content-type") ?? "";
        if (!/^application\/(.+\+)?json\b/i.test(type)) {
          throw new AppError("unsupported_media_type", "Send the body as application/json");
        }
        const text = await readBodyText(req, spec.maxBodyBytes ?? DEFAULT_MAX_BODY);
        let json: unknown;
        try {
          json = text ? JSON.parse(text) : {};
        } catch {
          throw new AppError("bad_request", "The body is not valid JSON");
        }
        const deep = depthProblem(json);
        if (deep) throw new AppError("bad_request", "The body is nested too deeply", { fields: [deep] });
        body = parseWith(spec.body, json, "request body");
      }
      const query = spec.query ? parseWith(spec.query, Object.fromEntries(url.searchParams), "query") : undefined;
      const rawParams = (await routeCtx?.params) ?? {};
      const params = Object.fromEntries(Object.entries(rawParams).map(([k, v]) => [k, Array.isArray(v) ? v.join("/") : v]));
      const out = await handler({ req, actor, body: body as Infer<BS>, query: query as Infer<QS>, params, requestId });
      if (out instanceof Response) {
        out.headers.set("x-request-id", requestId);
        return out;
      }
      if (out === undefined) return new Response(null, { status: 204, headers: { "x-request-id": requestId } });
      const status = out instanceof Result ? out.status : 200;
      const payload = out instanceof Result ? out.body : out;
      return new Response(JSON.stringify(payload), {
        status,
        headers: { "content-type": "application/json", "x-request-id": requestId, "cache-control": "no-store" },
      });
    } catch (e) {
      return problemResponse(e, { requestId, instance: url.pathname });
    }
  };
}
