import type { z } from "zod";
import type { InstancePermission, Permission } from "../auth/permissions";

/**
 * Who may call an operation. `instance` is enforced by adminRoute itself (after parsing, before the handler);
 * workspace permissions are checked by the lib/ call, in the query, because only it knows the workspace.
 */
export type Access =
  | { instance: InstancePermission }
  /** A role with this permission in the addressed workspace. */
  | { workspace: Permission }
  /** A role with this permission in some workspace (instance-wide data such as the model registry). */
  | { anyWorkspace: Permission }
  /** Any signed-in person or admin token. */
  | { signedIn: true };

/**
 * One declared response: a zod schema for a JSON body, null for no body (204), or other media types (CSV, YAML)
 * with a description and, when one of them is JSON, its schema.
 */
export type ResponseSpec = z.ZodType | null | { description: string; contentTypes: readonly string[]; schema?: z.ZodType };

export interface OperationSpec<BS = z.ZodType | undefined, QS = z.ZodType | undefined, PS = z.ZodType | undefined> {
  summary: string;
  description?: string;
  tags: readonly string[];
  access?: Access;
  /** Path parameters; without a schema they are strings named by the route's folders ([id] -> id). */
  params?: PS;
  query?: QS;
  /** A JSON body, parsed before the handler runs. */
  body?: BS;
  /** A body the handler reads itself (YAML configuration): its media types and the schema of its JSON form. */
  rawBody?: { contentTypes: readonly string[]; schema?: z.ZodType; description: string };
  /** Bytes; bodies above it are refused with 413 before parsing. */
  maxBodyBytes?: number;
  responses: Readonly<Record<number, ResponseSpec>>;
  /** Error statuses beyond 401/403 and those implied by inputs (404 for path params, 422, 400/413/415 for a body). */
  errors?: readonly number[];
  /** Served without authentication (the document itself). */
  public?: boolean;
}

/** A route handler as Next calls it, carrying its declaration for the OpenAPI document. */
export type DeclaredHandler = ((
  req: Request,
  ctx?: { params?: Promise<Record<string, string | string[]>> },
) => Promise<Response> | Response) & {
  readonly operation: OperationSpec;
};

export interface NormalResponse {
  description?: string;
  contentTypes: readonly string[];
  schema?: z.ZodType;
}

export function normalResponse(r: ResponseSpec): NormalResponse {
  if (r === null) return { contentTypes: [] };
  if ("_zod" in r) return { contentTypes: ["application/json"], schema: r };
  return r;
}

export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export function isDeclaredHandler(v: unknown): v is DeclaredHandler {
  return typeof v === "function" && typeof (v as Partial<DeclaredHandler>).operation === "object";
}
