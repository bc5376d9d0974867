import { exactCounter } from "../estimate";
import type { StreamConverter, TokenUsage, UpstreamRequest, UpstreamTarget, VendorAdapter } from "../types";
import {
  asArray,
  chunk,
  isObject,
  num,
  openAIUsage,
  parseDataUrl,
  parseJson,
  textOf,
  unsupported,
  usageChunk,
  type Loose,
} from "./translate";

// Google Gemini API (https://ai.google.dev/api/generate-content), translated to and from OpenAI's
// chat.completions and embeddings formats.

type Part = Loose;
type Content = { role: "user" | "model"; parts: Part[] };

// Gemini 3 signs its function calls (`thoughtSignature`) and refuses a follow-up turn that does not send the
// signature back. OpenAI's format has nowhere to keep it but the tool call id, which callers echo verbatim.
const SIGNATURE_MARK = "__thought__";

function toolCallId(n: number, part: Loose): string {
  return typeof part.thoughtSignature === "string" && part.thoughtSignature
    ? `call_${n}${SIGNATURE_MARK}${part.thoughtSignature}`
    : `call_${n}`;
}

function modelPath(model: string): string {
  return model
    .replace(/^models\//, "")
    .split("/")
    .map(encodeURIComponent)
    .join("/");
}

const MIME_BY_EXTENSION: Record<string, string> = {
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  png: "image/png",
  webp: "image/webp",
  gif: "image/gif",
  heic: "image/heic",
  heif: "image/heif",
};

function imagePart(part: Loose, path: string): Part {
  const ref = part.image_url;
  const url = typeof ref === "string" ? ref : isObject(ref) && typeof ref.url === "string" ? ref.url : "";
  if (url.startsWith("data:")) {
    const parsed = parseDataUrl(url);
    if (!parsed) throw unsupported(`${path}.image_url.url`, "Image data URLs must be base64-encoded");
    return { inlineData: { mimeType: parsed.mediaType, data: parsed.data } };
  }
  if (/^https?:\/\//i.test(url)) {
    const ext = /\.([a-z0-9]+)(?:[?#]|$)/i.exec(new URL(url).pathname)?.[1]?.toLowerCase() ?? "";
    return { fileData: { mimeType: MIME_BY_EXTENSION[ext] ?? "image/jpeg", fileUri: url } };
  }
  throw unsupported(`${path}.image_url.url`, "Images must be http(s) or base64 data URLs");
}

function contentParts(content: unknown, path: string, allowImages: boolean): Part[] {
  if (typeof content === "string") return content ? [{ text: content }] : [];
  const parts: Part[] = [];
  asArray(content).forEach((p, i) => {
    if (!isObject(p)) return;
    if (p.type === "text" && typeof p.text === "string") {
      if (p.text) parts.push({ text: p.text });
    } else if (p.type === "refusal" && typeof p.refusal === "string") {
      if (p.refusal) parts.push({ text: p.refusal });
    } else if (p.type === "image_url" && allowImages) {
      parts.push(imagePart(p, `${path}[${i}]`));
    } else {
      throw unsupported(`${path}[${i}].type`, `Content part type "${String(p.type)}" is not supported by Gemini models`);
    }
  });
  return parts;
}

function toContents(messages: unknown[]): { system: string[]; contents: Content[] } {
  const system: string[] = [];
  const contents: Content[] = [];
  // Gemini's functionResponse names the function, where OpenAI's tool message names the call.
  const callNames = new Map<string, string>();
  const add = (role: Content["role"], parts: Part[]) => {
    if (parts.length === 0) return;
    const last = contents[contents.length - 1];
    if (last && last.role === role) last.parts.push(...parts);
    else contents.push({ role, parts: [...parts] });
  };
  messages.forEach((raw, i) => {
    const path = `messages[${i}]`;
    if (!isObject(raw)) return;
    switch (raw.role) {
      case "system":
      case "developer": {
        const text = textOf(raw.content);
        if (text) system.push(text);
        break;
      }
      case "user":
        add("user", contentParts(raw.content, `${path}.content`, true));
        break;
      case "assistant": {
        const parts = contentParts(raw.content, `${path}.content`, false);
        for (const call of asArray(raw.tool_calls)) {
          if (!isObject(call) || !isObject(call.function)) continue;
          const name = String(call.function.name ?? "");
          if (typeof call.id === "string") callNames.set(call.id, name);
          const args = typeof call.function.arguments === "string" ? parseJson(call.function.arguments) : undefined;
          const part: Part = { functionCall: { name, args: isObject(args) ? args : {} } };
          const mark = typeof call.id === "string" ? call.id.indexOf(SIGNATURE_MARK) : -1;
          if (mark >= 0) part.thoughtSignature = (call.id as string).slice(mark + SIGNATURE_MARK.length);
          parts.push(part);
        }
        add("model", parts);
        break;
      }
      case "tool": {
        const name = typeof raw.tool_call_id === "string" ? callNames.get(raw.tool_call_id) : undefined;
        if (!name) {
          throw unsupported(`${path}.tool_call_id`, "The tool message answers no tool call of an earlier assistant message");
        }
        add("user", [{ functionResponse: { name, response: { content: textOf(raw.content) } } }]);
        break;
      }
      default:
        throw unsupported(`${path}.role`, `Message role "${String(raw.role)}" is not supported by Gemini models`);
    }
  });
  if (contents.length === 0) throw unsupported("messages", "At least one user or assistant message is required");
  return { system, contents };
}

// JSON Schema keywords Gemini's OpenAPI-subset schema rejects.
const DROPPED_KEYWORDS = new Set([
  "$schema",
  "$id",
  "$comment",
  "$defs",
  "definitions",
  "additionalProperties",
  "unevaluatedProperties",
  "patternProperties",
  "strict",
  "examples",
  "const",
]);

/**
 * A JSON Schema as Gemini accepts it: local `$ref`s inlined, rejected keywords dropped, `type: [X, "null"]`
 * turned into `type: X, nullable: true`.
 */
export function geminiSchema(schema: unknown, root: unknown = schema, depth = 0): unknown {
  if (Array.isArray(schema)) return schema.map((s) => geminiSchema(s, root, depth + 1));
  if (!isObject(schema) || depth > 32) return schema;
  if (typeof schema.$ref === "string") {
    const m = /^#\/(\$defs|definitions)\/(.+)$/.exec(schema.$ref);
    const defs = isObject(root) && m ? root[m[1]] : undefined;
    const target = isObject(defs) && m ? defs[m[2]] : undefined;
    const { $ref: _ref, ...rest } = schema;
    return geminiSchema({ ...(isObject(target) ? target : {}), ...rest }, root, depth + 1);
  }
  const out: Loose = {};
  for (const [key, value] of Object.entries(schema)) {
    if (DROPPED_KEYWORDS.has(key)) continue;
    if (key === "properties" && isObject(value)) {
      // Property names are data, not keywords: a property may well be called "additionalProperties".
      out.properties = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, geminiSchema(v, root, depth + 1)]));
    } else if (key === "type" && Array.isArray(value)) {
      const types = value.filter((t) => t !== "null");
      out.type = types[0] ?? "string";
      if (types.length < value.length) out.nullable = true;
    } else {
      out[key] = geminiSchema(value, root, depth + 1);
    }
  }
  return out;
}

function toolConfig(choice: unknown): Loose | undefined {
  if (choice === undefined || choice === null) return undefined;
  if (choice === "auto") return { functionCallingConfig: { mode: "AUTO" } };
  if (choice === "none") return { functionCallingConfig: { mode: "NONE" } };
  if (choice === "required") return { functionCallingConfig: { mode: "ANY" } };
  if (isObject(choice) && isObject(choice.function) && typeof choice.function.name === "string") {
    return { functionCallingConfig: { mode: "ANY", allowedFunctionNames: [choice.function.name] } };
  }
  throw unsupported("tool_choice", "tool_choice must be auto, none, required or a function");
}

export function geminiChatBody(body: Loose): Loose {
  const { system, contents } = toContents(asArray(body.messages));
  const out: Loose = { contents };
  if (system.length) out.systemInstruction = { parts: [{ text: system.join("\n\n") }] };

  const declarations = asArray(body.tools)
    .filter((t): t is Loose => isObject(t) && t.type === "function" && isObject(t.function))
    .map((t) => {
      const fn = t.function as Loose;
      const decl: Loose = { name: fn.name };
      if (typeof fn.description === "string") decl.description = fn.description;
      if (isObject(fn.parameters) && Object.keys(isObject(fn.parameters.properties) ? fn.parameters.properties : {}).length) {
        decl.parameters = geminiSchema(fn.parameters);
      }
      return decl;
    });
  if (declarations.length) {
    out.tools = [{ functionDeclarations: declarations }];
    const config = toolConfig(body.tool_choice);
    if (config) out.toolConfig = config;
  }

  const gen: Loose = {};
  if (typeof body.temperature === "number") gen.temperature = body.temperature;
  if (typeof body.top_p === "number") gen.topP = body.top_p;
  const maxTokens = num(body.max_completion_tokens) || num(body.max_tokens);
  if (maxTokens) gen.maxOutputTokens = maxTokens;
  const stop = typeof body.stop === "string" ? [body.stop] : asArray(body.stop).filter((s) => typeof s === "string");
  if (stop.length) gen.stopSequences = stop;
  if (num(body.n) > 1) gen.candidateCount = num(body.n);
  if (typeof body.presence_penalty === "number") gen.presencePenalty = body.presence_penalty;
  if (typeof body.frequency_penalty === "number") gen.frequencyPenalty = body.frequency_penalty;
  if (typeof body.seed === "number") gen.seed = body.seed;
  const format = isObject(body.response_format) ? body.response_format : {};
  if (format.type === "json_object") gen.responseMimeType = "application/json";
  if (format.type === "json_schema") {
    gen.responseMimeType = "application/json";
    const spec = isObject(format.json_schema) ? format.json_schema : {};
    if (isObject(spec.schema)) gen.responseSchema = geminiSchema(spec.schema);
  }
  if (Object.keys(gen).length) out.generationConfig = gen;
  return out;
}

const FILTERED = new Set(["SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY"]);

export function mapFinishReason(reason: unknown, hasToolCalls: boolean): string {
  if (reason === "MAX_TOKENS") return "length";
  if (typeof reason === "string" && FILTERED.has(reason)) return "content_filter";
  return hasToolCalls ? "tool_calls" : "stop";
}

function usageOf(meta: unknown): TokenUsage {
  const m = isObject(meta) ? meta : {};
  // Thinking tokens are billed as output.
  return {
    inputTokens: num(m.promptTokenCount),
    outputTokens: num(m.candidatesTokenCount) + num(m.thoughtsTokenCount),
    cachedTokens: num(m.cachedContentTokenCount),
  };
}

function withReasoning(usage: Loose, meta: unknown): Loose {
  const thoughts = isObject(meta) ? num(meta.thoughtsTokenCount) : 0;
  return thoughts ? { ...usage, completion_tokens_details: { reasoning_tokens: thoughts } } : usage;
}

function chatResponse(json: unknown, ctx: { requestModel: string; id: string; created: number }): Loose {
  const res = isObject(json) ? json : {};
  const candidates = asArray(res.candidates).filter(isObject);
  let callNo = 0;
  const choices = candidates.map((cand, position) => {
    const content = isObject(cand.content) ? cand.content : {};
    const texts: string[] = [];
    const toolCalls: Loose[] = [];
    for (const part of asArray(content.parts)) {
      if (!isObject(part) || part.thought === true) continue;
      if (typeof part.text === "string") texts.push(part.text);
      else if (isObject(part.functionCall)) {
        toolCalls.push({
          id: toolCallId(callNo++, part),
          type: "function",
          function: { name: part.functionCall.name, arguments: JSON.stringify(part.functionCall.args ?? {}) },
        });
      }
    }
    const message: Loose = { role: "assistant", content: texts.length ? texts.join("") : toolCalls.length ? null : "", refusal: null };
    if (toolCalls.length) message.tool_calls = toolCalls;
    return {
      index: typeof cand.index === "number" ? cand.index : position,
      message,
      finish_reason: mapFinishReason(cand.finishReason, toolCalls.length > 0),
      logprobs: null,
    };
  });
  if (choices.length === 0) {
    // The prompt itself was blocked (promptFeedback.blockReason): no candidate at all.
    choices.push({ index: 0, message: { role: "assistant", content: "", refusal: null }, finish_reason: "content_filter", logprobs: null });
  }
  return {
    id: ctx.id,
    object: "chat.completion",
    created: ctx.created,
    model: ctx.requestModel,
    choices,
    usage: withReasoning(openAIUsage(usageOf(res.usageMetadata)), res.usageMetadata),
  };
}

function streamConverter(ctx: { requestModel: string; id: string; created: number }): StreamConverter {
  let started = false;
  let finished = false;
  let error: { message: string; code?: string } | null = null;
  let usage: TokenUsage | null = null;
  let callNo = 0;
  // Per candidate: how many tool calls it made so far (their OpenAI index) and whether it finished.
  const calls = new Map<number, number>();
  const ended = new Set<number>();
  const seen = new Set<number>();

  return {
    push({ data }) {
      const out: Loose[] = [];
      if (finished || error) return out;
      const res = parseJson(data);
      if (!isObject(res)) {
        error = { message: "The upstream sent a malformed stream event", code: "bad_upstream_event" };
        return out;
      }
      if (isObject(res.error)) {
        const e = res.error;
        error = {
          message: typeof e.message === "string" ? e.message : "The upstream reported an error",
          code: typeof e.status === "string" ? e.status : e.code !== undefined ? String(e.code) : undefined,
        };
        return out;
      }
      if (isObject(res.usageMetadata)) usage = usageOf(res.usageMetadata);
      if (!started) {
        started = true;
        out.push(chunk(ctx, { role: "assistant", content: "" }));
      }
      const candidates = asArray(res.candidates).filter(isObject);
      candidates.forEach((cand, position) => {
        const index = typeof cand.index === "number" ? cand.index : position;
        seen.add(index);
        const content = isObject(cand.content) ? cand.content : {};
        for (const part of asArray(content.parts)) {
          if (!isObject(part) || part.thought === true) continue;
          if (typeof part.text === "string" && part.text) out.push(chunk(ctx, { content: part.text }, null, index));
          else if (isObject(part.functionCall)) {
            // Gemini sends each call whole, so one chunk carries its id, name and complete arguments.
            const n = calls.get(index) ?? 0;
            calls.set(index, n + 1);
            const call = {
              index: n,
              id: toolCallId(callNo++, part),
              type: "function",
              function: { name: part.functionCall.name, arguments: JSON.stringify(part.functionCall.args ?? {}) },
            };
            out.push(chunk(ctx, { tool_calls: [call] }, null, index));
          }
        }
        if (cand.finishReason) {
          ended.add(index);
          out.push(chunk(ctx, {}, mapFinishReason(cand.finishReason, (calls.get(index) ?? 0) > 0), index));
        }
      });
      const blocked = candidates.length === 0 && isObject(res.promptFeedback) && res.promptFeedback.blockReason;
      if (blocked) out.push(chunk(ctx, {}, "content_filter"));
      if (blocked || (ended.size > 0 && [...seen].every((i) => ended.has(i)))) {
        finished = true;
        if (!usage) usage = usageOf({});
        out.push(usageChunk(ctx, usage));
      }
      return out;
    },
    usage: () => usage,
    error: () => error,
    done: () => finished,
  };
}

function embeddingInputs(input: unknown): string[] {
  if (typeof input === "string") return [input];
  if (Array.isArray(input) && input.every((s) => typeof s === "string")) return input as string[];
  throw unsupported("input", "Gemini embeddings take a string or an array of strings (not token arrays)");
}

function floatsToBase64(values: number[]): string {
  return Buffer.from(new Float32Array(values).buffer).toString("base64");
}

export const geminiAdapter: VendorAdapter = {
  embeddingUsageEstimated: true,
  chatRequest(target: UpstreamTarget, body, opts): UpstreamRequest {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (target.apiKey) headers["x-goog-api-key"] = target.apiKey;
    const action = opts.stream ? "streamGenerateContent?alt=sse" : "generateContent";
    return {
      url: `${target.baseUrl}/models/${modelPath(target.upstreamModel)}:${action}`,
      method: "POST",
      headers,
      body: JSON.stringify(geminiChatBody(body)),
    };
  },
  chatResponse,
  streamConverter,
  embeddingsRequest(target, body): UpstreamRequest {
    const model = `models/${target.upstreamModel.replace(/^models\//, "")}`;
    const dims = num(body.dimensions);
    const requests = embeddingInputs(body.input).map((text) => {
      const r: Loose = { model, content: { parts: [{ text }] } };
      if (dims) r.outputDimensionality = dims;
      return r;
    });
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (target.apiKey) headers["x-goog-api-key"] = target.apiKey;
    return {
      url: `${target.baseUrl}/models/${modelPath(target.upstreamModel)}:batchEmbedContents`,
      method: "POST",
      headers,
      body: JSON.stringify({ requests }),
    };
  },
  async embeddingsResponse(json, ctx): Promise<Loose> {
    const res = isObject(json) ? json : {};
    const base64 = isObject(ctx.request) && ctx.request.encoding_format === "base64";
    const data = asArray(res.embeddings).map((e, index) => {
      const values = isObject(e) ? asArray(e.values).map(num) : [];
      return { object: "embedding", index, embedding: base64 ? floatsToBase64(values) : values };
    });
    // Gemini reports no token counts for embeddings: the prompt tokens are estimated with OpenAI's tokenizer.
    let promptTokens = 0;
    if (isObject(ctx.request)) {
      try {
        const count = await exactCounter();
        promptTokens = embeddingInputs(ctx.request.input).reduce((n, text) => n + count(text), 0);
      } catch {
        promptTokens = 0;
      }
    }
    return { object: "list", data, model: ctx.requestModel, usage: { prompt_tokens: promptTokens, total_tokens: promptTokens } };
  },
};
