// The one typed fetch helper for the admin API from the browser (the session cookie authenticates).

export interface FieldError {
  path: string;
  message: string;
}

/** A problem document from the admin API, as an Error that forms and banners can read. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly code: string,
    readonly requestId: string | undefined,
    readonly errors: FieldError[] = [],
  ) {
    super(detail || title);
    this.name = "ApiError";
  }

  /** Field errors keyed by path ("password", "workspaces[1].name"). */
  fieldErrors(): Record<string, string> {
    return Object.fromEntries(this.errors.map((e) => [e.path, e.message]));
  }
}

type Query = Record<string, string | number | boolean | null | undefined>;

export interface RequestOptions {
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  query?: Query;
  /** Sent as JSON unless `contentType` says otherwise (then it must be a string). */
  body?: unknown;
  contentType?: string;
  signal?: AbortSignal;
}

export function apiUrl(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null && v !== "") params.set(k, String(v));
  const qs = params.toString();
  return `/api/admin${path}${qs ? `?${qs}` : ""}`;
}

export async function api<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  let body: BodyInit | undefined;
  if (opts.body !== undefined) {
    headers["content-type"] = opts.contentType ?? "application/json";
    body = opts.contentType ? String(opts.body) : JSON.stringify(opts.body);
  }
  const res = await fetch(apiUrl(path, opts.query), {
    method: opts.method ?? "GET",
    headers,
    body,
    signal: opts.signal,
    credentials: "same-origin",
  });
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let json: unknown = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    // A proxy's HTML error page: reported below with the status alone.
  }
  if (!res.ok) {
    const p = (json ?? {}) as Partial<{ title: string; detail: string; code: string; requestId: string; errors: FieldError[] }>;
    throw new ApiError(
      res.status,
      p.title ?? res.statusText,
      p.detail ?? `The server answered ${res.status}`,
      p.code ?? "unknown",
      p.requestId ?? res.headers.get("x-request-id") ?? undefined,
      Array.isArray(p.errors) ? p.errors : [],
    );
  }
  return json as T;
}

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}
