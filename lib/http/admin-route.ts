import type { z } from "zod";
import { actorFromRequest } from "../auth/request-actor";
import { requireInstancePermission, type Actor } from "../auth/actor";
import { checkResponses } from "../env";
import { AppError } from "../errors";
import { zodProblems } from "../schemas/zod";
import { assertDeclaredResponse, mediaType } from "./check-response";
import type { DeclaredHandler, OperationSpec } from "./operation";
import { problemResponse } from "./problem";
import { requestIdFrom } from "./request-id";
import { readCapped } from "./read-capped";
import { depthProblem } from "./json-depth";

export type { DeclaredHandler, OperationSpec } from "./operation";

type Infer<S> = S extends z.ZodType ? z.output<S> : undefined;
type InferParams<S> = S extends z.ZodType ? z.output<S> : Record<string, string>;

export interface RouteContext<B, Q, P = Record<string, string>> {
  req: Request;
  actor: Actor;
  body: B;
  query: Q;
  params: P;
  requestId: string;
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
  if (host !== (req.headers.get("x-forwarded-host") ?? req.headers.get("host")))
    throw new AppError("forbidden", "Cross-site request refused");
}

/** A JSON result with a status other than 200 (e.g. 201 Created). */
export class Result {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {}
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
 * query parsing with zod, and errors as problem documents. Handlers authorize through lib/ calls (instance-wide
 * access declared in the spec is checked here). The spec is the operation's one declaration: the OpenAPI
 * document is generated from it (lib/openapi/generate.ts), and outside production every answer is parsed with
 * its declared response schema, so a drift fails loudly (500 and a log line) instead of reaching clients.
 */
export function adminRoute<
  BS extends z.ZodType | undefined = undefined,
  QS extends z.ZodType | undefined = undefined,
  PS extends z.ZodType | undefined = undefined,
>(
  spec: OperationSpec<BS, QS, PS>,
  handler: (ctx: RouteContext<Infer<BS>, Infer<QS>, InferParams<PS>>) => Promise<unknown>,
): DeclaredHandler {
  const route = async (req: Request, routeCtx?: { params?: Promise<Record<string, string | string[]>> }): Promise<Response> => {
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
      const flatParams = Object.fromEntries(Object.entries(rawParams).map(([k, v]) => [k, Array.isArray(v) ? v.join("/") : v]));
      const params = spec.params ? parseWith(spec.params, flatParams, "path") : flatParams;
      if (spec.access && "instance" in spec.access) requireInstancePermission(actor, spec.access.instance);
      const out = await handler({
        req,
        actor,
        body: body as Infer<BS>,
        query: query as Infer<QS>,
        params: params as InferParams<PS>,
        requestId,
      });
      const where = `${req.method} ${url.pathname}`;
      if (out instanceof Response) {
        if (checkResponses)
          assertDeclaredResponse(
            spec,
            { status: out.status, contentType: out.body ? mediaType(out.headers.get("content-type")) : null },
            where,
          );
        out.headers.set("x-request-id", requestId);
        return out;
      }
      if (out === undefined) {
        if (checkResponses) assertDeclaredResponse(spec, { status: 204, contentType: null }, where);
        return new Response(null, { status: 204, headers: { "x-request-id": requestId } });
      }
      const status = out instanceof Result ? out.status : 200;
      const payload = JSON.stringify(out instanceof Result ? out.body : out);
      if (checkResponses) assertDeclaredResponse(spec, { status, contentType: "application/json", json: JSON.parse(payload) }, where);
      return new Response(payload, {
        status,
        headers: { "content-type": "application/json", "x-request-id": requestId, "cache-control": "no-store" },
      });
    } catch (e) {
      return problemResponse(e, { requestId, instance: url.pathname });
    }
  };
  return Object.assign(route, { operation: spec as OperationSpec });
}

/** A handler outside adminRoute (no authentication: the OpenAPI document itself) that still declares itself. */
export function declaredRoute(spec: OperationSpec, handler: () => Response): DeclaredHandler {
  return Object.assign(async () => handler(), { operation: spec });
}
