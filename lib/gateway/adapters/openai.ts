import type { StreamConverter, TokenUsage, UpstreamRequest, UpstreamTarget, VendorAdapter } from "../types";

// OpenAI and everything that speaks its protocol (Azure OpenAI, DashScope, Hunyuan, Ark, vLLM, SGLang...):
// bodies pass through with the upstream model filled in; only the URL and the auth header differ.

function endpoint(target: UpstreamTarget, path: "chat/completions" | "embeddings"): string {
  if (target.vendor === "azure") {
    const v = encodeURIComponent(target.apiVersion ?? "2024-06-01");
    return `${target.baseUrl}/deployments/${encodeURIComponent(target.upstreamModel)}/${path}?api-version=${v}`;
  }
  return `${target.baseUrl}/${path}`;
}

function headers(target: UpstreamTarget, stream: boolean): Record<string, string> {
  const h: Record<string, string> = { "content-type": "application/json", accept: stream ? "text/event-stream" : "application/json" };
  if (target.apiKey) {
    if (target.vendor === "azure") h["api-key"] = target.apiKey;
    else h.authorization = `Bearer ${target.apiKey}`;
  }
  return h;
}

const int = (v: unknown) => (typeof v === "number" && Number.isFinite(v) && v >= 0 ? Math.floor(v) : 0);

/** OpenAI `usage` -> TokenUsage (null when absent). */
export function openAIUsage(u: unknown): TokenUsage | null {
  if (!u || typeof u !== "object") return null;
  const x = u as Record<string, unknown>;
  if (x.prompt_tokens === undefined && x.completion_tokens === undefined && x.total_tokens === undefined) return null;
  const details = (x.prompt_tokens_details ?? {}) as Record<string, unknown>;
  return { inputTokens: int(x.prompt_tokens), outputTokens: int(x.completion_tokens), cachedTokens: int(details?.cached_tokens) };
}

function errorOf(obj: Record<string, unknown>): { message: string; code?: string } | null {
  const e = obj.error;
  if (!e) return null;
  if (typeof e === "string") return { message: e };
  const x = e as Record<string, unknown>;
  return { message: typeof x.message === "string" ? x.message : "Upstream error", code: typeof x.code === "string" ? x.code : undefined };
}

export const openAIAdapter: VendorAdapter = {
  chatRequest(target, body, { stream }): UpstreamRequest {
    const out: Record<string, unknown> = { ...body, model: target.upstreamModel, stream };
    if (stream) out.stream_options = { ...(body.stream_options as object | undefined), include_usage: true };
    else delete out.stream_options;
    return { url: endpoint(target, "chat/completions"), method: "POST", headers: headers(target, stream), body: JSON.stringify(out) };
  },

  chatResponse(json, ctx) {
    const obj = (json && typeof json === "object" ? json : {}) as Record<string, unknown>;
    return {
      ...obj,
      id: obj.id ?? ctx.id,
      object: obj.object ?? "chat.completion",
      created: obj.created ?? ctx.created,
      model: ctx.requestModel,
    };
  },

  streamConverter(ctx): StreamConverter {
    let usage: TokenUsage | null = null;
    let error: { message: string; code?: string } | null = null;
    let done = false;
    return {
      push({ data }) {
        if (done) return [];
        const trimmed = data.trim();
        if (trimmed === "[DONE]") {
          done = true;
          return [];
        }
        let obj: Record<string, unknown>;
        try {
          obj = JSON.parse(trimmed);
        } catch {
          error = { message: "The upstream sent a malformed stream event" };
          return [];
        }
        if (!obj || typeof obj !== "object") return [];
        const err = errorOf(obj);
        if (err) {
          error = err;
          return [];
        }
        const u = openAIUsage(obj.usage);
        if (u) usage = u;
        return [{ ...obj, id: obj.id ?? ctx.id, created: obj.created ?? ctx.created, model: ctx.requestModel }];
      },
      usage: () => usage,
      error: () => error,
      done: () => done,
    };
  },

  embeddingsRequest(target, body): UpstreamRequest {
    const out = { ...body, model: target.upstreamModel };
    return { url: endpoint(target, "embeddings"), method: "POST", headers: headers(target, false), body: JSON.stringify(out) };
  },

  embeddingsResponse(json, ctx) {
    const obj = (json && typeof json === "object" ? json : {}) as Record<string, unknown>;
    return { ...obj, object: obj.object ?? "list", model: ctx.requestModel };
  },
};
