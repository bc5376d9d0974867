import { z } from "./zod";

// What a caller may send to the OpenAI-compatible endpoint: an allow-list of OpenAI's fields. Anything that
// would let a caller pick a host, credential or header (LiteLLM-style `api_base`, `api_key`, `extra_headers`...)
// is refused wherever it appears, and unknown top-level fields are refused by name.

export const FORBIDDEN_KEYS = new Set([
  "api_base",
  "base_url",
  "baseurl",
  "api_key",
  "apikey",
  "api_version",
  "api_type",
  "extra_headers",
  "extra_query",
  "extra_body",
  "headers",
  "user_config",
  "custom_llm_provider",
  "organization",
  "deployment_id",
  "azure_ad_token",
  "aws_access_key_id",
  "aws_secret_access_key",
  "vertex_credentials",
  "litellm_params",
  "mock_response",
  "proxy",
  "endpoint",
  "url_override",
]);

/** The path of the first forbidden key anywhere in `value`, or null. */
export function findForbiddenKey(value: unknown, path = "", depth = 0): string | null {
  if (depth > 64 || value === null || typeof value !== "object") return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const hit = findForbiddenKey(value[i], `${path}[${i}]`, depth + 1);
      if (hit) return hit;
    }
    return null;
  }
  for (const [k, v] of Object.entries(value)) {
    const p = path ? `${path}.${k}` : k;
    if (FORBIDDEN_KEYS.has(k.toLowerCase())) return p;
    const hit = findForbiddenKey(v, p, depth + 1);
    if (hit) return hit;
  }
  return null;
}

const message = z.looseObject({
  role: z.enum(["system", "developer", "user", "assistant", "tool", "function"]),
  content: z.union([z.string(), z.array(z.looseObject({ type: z.string() })), z.null()]).optional(),
  name: z.string().max(256).optional(),
  tool_calls: z.array(z.looseObject({})).optional(),
  tool_call_id: z.string().optional(),
});

const stop = z.union([z.string(), z.array(z.string()).max(4), z.null()]);

export const chatCompletionSchema = z.strictObject({
  model: z.string().min(1).max(256),
  messages: z.array(message).min(1),
  stream: z.boolean().nullish(),
  stream_options: z.strictObject({ include_usage: z.boolean().optional(), include_obfuscation: z.boolean().optional() }).nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  top_k: z.number().int().nullish(),
  min_p: z.number().nullish(),
  repetition_penalty: z.number().nullish(),
  n: z.number().int().min(1).max(128).nullish(),
  stop: stop.optional(),
  max_tokens: z.number().int().min(1).nullish(),
  max_completion_tokens: z.number().int().min(1).nullish(),
  presence_penalty: z.number().min(-2).max(2).nullish(),
  frequency_penalty: z.number().min(-2).max(2).nullish(),
  logit_bias: z.record(z.string(), z.number()).nullish(),
  logprobs: z.boolean().nullish(),
  top_logprobs: z.number().int().min(0).max(20).nullish(),
  user: z.string().max(256).nullish(),
  tools: z.array(z.looseObject({ type: z.string() })).nullish(),
  tool_choice: z.union([z.string(), z.looseObject({})]).nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  functions: z.array(z.looseObject({})).nullish(),
  function_call: z.union([z.string(), z.looseObject({})]).nullish(),
  response_format: z.looseObject({ type: z.string() }).nullish(),
  seed: z.number().int().nullish(),
  service_tier: z.string().nullish(),
  store: z.boolean().nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
  modalities: z.array(z.string()).nullish(),
  audio: z.looseObject({}).nullish(),
  prediction: z.looseObject({}).nullish(),
  reasoning_effort: z.string().nullish(),
  verbosity: z.string().nullish(),
  web_search_options: z.looseObject({}).nullish(),
  prompt_cache_key: z.string().nullish(),
  safety_identifier: z.string().nullish(),
});
export type ChatCompletionBody = z.infer<typeof chatCompletionSchema>;

export const embeddingsSchema = z.strictObject({
  model: z.string().min(1).max(256),
  input: z.union([z.string(), z.array(z.string()), z.array(z.number().int()), z.array(z.array(z.number().int()))]),
  encoding_format: z.enum(["float", "base64"]).nullish(),
  dimensions: z.number().int().min(1).nullish(),
  user: z.string().max(256).nullish(),
});
export type EmbeddingsBody = z.infer<typeof embeddingsSchema>;

const anthropicBlocks = z.union([z.string(), z.array(z.looseObject({ type: z.string() }))]);

/**
 * What a caller may send to POST /api/v1/messages (Anthropic's Messages format). Loose beyond the fields the
 * translation reads, because Anthropic adds fields often (unknown ones are dropped, never forwarded); hosts and
 * credentials are refused at any depth by findForbiddenKey like on every gateway endpoint.
 */
export const messagesSchema = z.looseObject({
  model: z.string().min(1).max(256),
  max_tokens: z.number().int().min(1),
  messages: z.array(z.looseObject({ role: z.enum(["user", "assistant"]), content: anthropicBlocks })).min(1),
  system: anthropicBlocks.optional(),
  stream: z.boolean().optional(),
  temperature: z.number().min(0).max(1).optional(),
  top_p: z.number().min(0).max(1).optional(),
  top_k: z.number().int().optional(),
  stop_sequences: z.array(z.string()).optional(),
  tools: z.array(z.looseObject({ name: z.string() })).optional(),
  tool_choice: z.looseObject({ type: z.string() }).optional(),
  metadata: z.looseObject({ user_id: z.string().max(256).nullish() }).optional(),
});
