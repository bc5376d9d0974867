import type { OpenAIError } from "./types";

// Every gateway answer that is not a success: OpenAI's error shape with the matching status.
export class GatewayError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly code: string,
    message: string,
    readonly opts: { param?: string | null; retryAfterSeconds?: number; body?: OpenAIError } = {},
  ) {
    super(message);
    this.name = "GatewayError";
  }

  toJSON(): OpenAIError {
    return this.opts.body ?? { error: { message: this.message, type: this.type, code: this.code, param: this.opts.param ?? null } };
  }
}

export const invalidRequest = (message: string, code = "invalid_request_error", param: string | null = null) =>
  new GatewayError(400, "invalid_request_error", code, message, { param });
export const badKey = () =>
  new GatewayError(
    401,
    "invalid_request_error",
    "invalid_api_key",
    "Incorrect API key provided. Use a valid Switchboard key as `Authorization: Bearer <key>`.",
  );
export const modelNotFound = (model: string) =>
  new GatewayError(
    404,
    "invalid_request_error",
    "model_not_found",
    `The model \`${model}\` does not exist or you do not have access to it.`,
    { param: "model" },
  );
export const modelNotAllowed = (model: string) =>
  new GatewayError(403, "permission_error", "model_not_allowed", `This key may not use the model \`${model}\`.`, { param: "model" });

const KEY_LIKE = /\b(sk|pk|rk|sess|key)-[A-Za-z0-9_-]{8,}|\bBearer\s+[A-Za-z0-9._~+/=-]{8,}|\bAIza[0-9A-Za-z_-]{20,}/g;

/** Removes anything that looks like a key (and the key that was used) from an upstream message. */
export function redact(text: string, secret?: string): string {
  let out = text;
  if (secret && secret.length >= 4) out = out.split(secret).join("[redacted]");
  return out.replace(KEY_LIKE, "[redacted]").slice(0, 2000);
}

/** An upstream error body reduced to OpenAI's shape (and redacted), or null when it is not one. */
export function upstreamOpenAIError(text: string, secret?: string): OpenAIError | null {
  let j: unknown;
  try {
    j = JSON.parse(text);
  } catch {
    return null;
  }
  const e = (j as { error?: unknown } | null)?.error;
  if (!e || typeof e !== "object") return null;
  const x = e as Record<string, unknown>;
  if (typeof x.message !== "string") return null;
  return {
    error: {
      message: redact(x.message, secret),
      type: typeof x.type === "string" ? x.type : "invalid_request_error",
      code: typeof x.code === "string" || typeof x.code === "number" ? String(x.code) : null,
      param: typeof x.param === "string" ? x.param : null,
    },
  };
}
