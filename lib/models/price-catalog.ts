import type { Modality, ModelFeature } from "../schemas/models";

/**
 * The date of the figures below: public list prices (standard tier, pay as you go, no batch or volume
 * discounts, in USD per million tokens), context windows and output limits as the vendors and hosts published
 * them around this date. They only prefill a new model; admins override them with their contract price, and a
 * price change is recorded as a new price row, never an edit of this file's history.
 */
export const CATALOG_DATE = "2025-06-30";

export interface CatalogEntry {
  /** The vendor's model id, used as the suggested logical name and upstream model. */
  id: string;
  label: string;
  /** Who you pay: the vendor, or the host serving an open-weights model. */
  provider: string;
  /** The platform vendor it is usually reached through (lib Platform.vendor values). */
  vendor: "openai" | "anthropic" | "google" | "aliyun" | "openai-compatible";
  contextWindow: number;
  maxOutputTokens: number;
  inputPerMillion: number;
  outputPerMillion: number;
  cachedInputPerMillion?: number;
  features: ModelFeature[];
  modalities: Modality[];
  /** A caveat about the figures (tiered prices, undocumented limits). */
  note?: string;
}

const chat: ModelFeature[] = ["streaming", "function-calling", "structured-output"];

export const PRICE_CATALOG: CatalogEntry[] = [
  // OpenAI
  { id: "gpt-4o", label: "GPT-4o", provider: "OpenAI", vendor: "openai", contextWindow: 128_000, maxOutputTokens: 16_384, inputPerMillion: 2.5, outputPerMillion: 10, cachedInputPerMillion: 1.25, features: [...chat, "fine-tuning", "predicted-outputs"], modalities: ["text", "image"] },
  { id: "gpt-4o-mini", label: "GPT-4o mini", provider: "OpenAI", vendor: "openai", contextWindow: 128_000, maxOutputTokens: 16_384, inputPerMillion: 0.15, outputPerMillion: 0.6, cachedInputPerMillion: 0.075, features: [...chat, "fine-tuning", "predicted-outputs"], modalities: ["text", "image"] },
  { id: "gpt-4-turbo", label: "GPT-4 Turbo", provider: "OpenAI", vendor: "openai", contextWindow: 128_000, maxOutputTokens: 4_096, inputPerMillion: 10, outputPerMillion: 30, features: chat, modalities: ["text", "image"], note: "Structured output here means JSON mode." },
  { id: "gpt-4.1", label: "GPT-4.1", provider: "OpenAI", vendor: "openai", contextWindow: 1_047_576, maxOutputTokens: 32_768, inputPerMillion: 2, outputPerMillion: 8, cachedInputPerMillion: 0.5, features: [...chat, "fine-tuning", "predicted-outputs"], modalities: ["text", "image"] },
  { id: "gpt-4.1-mini", label: "GPT-4.1 mini", provider: "OpenAI", vendor: "openai", contextWindow: 1_047_576, maxOutputTokens: 32_768, inputPerMillion: 0.4, outputPerMillion: 1.6, cachedInputPerMillion: 0.1, features: [...chat, "fine-tuning", "predicted-outputs"], modalities: ["text", "image"] },
  { id: "gpt-4.1-nano", label: "GPT-4.1 nano", provider: "OpenAI", vendor: "openai", contextWindow: 1_047_576, maxOutputTokens: 32_768, inputPerMillion: 0.1, outputPerMillion: 0.4, cachedInputPerMillion: 0.025, features: [...chat, "fine-tuning"], modalities: ["text", "image"] },
  { id: "o1", label: "o1", provider: "OpenAI", vendor: "openai", contextWindow: 200_000, maxOutputTokens: 100_000, inputPerMillion: 15, outputPerMillion: 60, cachedInputPerMillion: 7.5, features: ["reasoning", ...chat], modalities: ["text", "image"] },
  { id: "o3", label: "o3", provider: "OpenAI", vendor: "openai", contextWindow: 200_000, maxOutputTokens: 100_000, inputPerMillion: 2, outputPerMillion: 8, cachedInputPerMillion: 0.5, features: ["reasoning", ...chat], modalities: ["text", "image"] },
  { id: "o3-mini", label: "o3-mini", provider: "OpenAI", vendor: "openai", contextWindow: 200_000, maxOutputTokens: 100_000, inputPerMillion: 1.1, outputPerMillion: 4.4, cachedInputPerMillion: 0.55, features: ["reasoning", ...chat], modalities: ["text"] },
  { id: "o4-mini", label: "o4-mini", provider: "OpenAI", vendor: "openai", contextWindow: 200_000, maxOutputTokens: 100_000, inputPerMillion: 1.1, outputPerMillion: 4.4, cachedInputPerMillion: 0.275, features: ["reasoning", ...chat], modalities: ["text", "image"] },

  // Anthropic (cached input = cache read; cache writes cost 1.25x input)
  { id: "claude-opus-4-20250514", label: "Claude Opus 4", provider: "Anthropic", vendor: "anthropic", contextWindow: 200_000, maxOutputTokens: 32_000, inputPerMillion: 15, outputPerMillion: 75, cachedInputPerMillion: 1.5, features: ["reasoning", "streaming", "function-calling"], modalities: ["text", "image"] },
  { id: "claude-sonnet-4-20250514", label: "Claude Sonnet 4", provider: "Anthropic", vendor: "anthropic", contextWindow: 200_000, maxOutputTokens: 64_000, inputPerMillion: 3, outputPerMillion: 15, cachedInputPerMillion: 0.3, features: ["reasoning", "streaming", "function-calling"], modalities: ["text", "image"] },
  { id: "claude-3-7-sonnet-20250219", label: "Claude 3.7 Sonnet", provider: "Anthropic", vendor: "anthropic", contextWindow: 200_000, maxOutputTokens: 64_000, inputPerMillion: 3, outputPerMillion: 15, cachedInputPerMillion: 0.3, features: ["reasoning", "streaming", "function-calling"], modalities: ["text", "image"] },
  { id: "claude-3-5-sonnet-20241022", label: "Claude 3.5 Sonnet", provider: "Anthropic", vendor: "anthropic", contextWindow: 200_000, maxOutputTokens: 8_192, inputPerMillion: 3, outputPerMillion: 15, cachedInputPerMillion: 0.3, features: ["streaming", "function-calling"], modalities: ["text", "image"] },
  { id: "claude-3-5-haiku-20241022", label: "Claude 3.5 Haiku", provider: "Anthropic", vendor: "anthropic", contextWindow: 200_000, maxOutputTokens: 8_192, inputPerMillion: 0.8, outputPerMillion: 4, cachedInputPerMillion: 0.08, features: ["streaming", "function-calling"], modalities: ["text"] },
  { id: "claude-3-opus-20240229", label: "Claude 3 Opus", provider: "Anthropic", vendor: "anthropic", contextWindow: 200_000, maxOutputTokens: 4_096, inputPerMillion: 15, outputPerMillion: 75, cachedInputPerMillion: 1.5, features: ["streaming", "function-calling"], modalities: ["text", "image"] },
  { id: "claude-3-haiku-20240307", label: "Claude 3 Haiku", provider: "Anthropic", vendor: "anthropic", contextWindow: 200_000, maxOutputTokens: 4_096, inputPerMillion: 0.25, outputPerMillion: 1.25, cachedInputPerMillion: 0.03, features: ["streaming", "function-calling"], modalities: ["text", "image"] },

  // Google (Gemini API)
  { id: "gemini-2.5-pro", label: "Gemini 2.5 Pro", provider: "Google", vendor: "google", contextWindow: 1_048_576, maxOutputTokens: 65_536, inputPerMillion: 1.25, outputPerMillion: 10, cachedInputPerMillion: 0.31, features: ["reasoning", ...chat], modalities: ["text", "image", "audio"], note: "Prompts up to 200K tokens; longer prompts cost 2.50 / 15.00." },
  { id: "gemini-2.5-flash", label: "Gemini 2.5 Flash", provider: "Google", vendor: "google", contextWindow: 1_048_576, maxOutputTokens: 65_536, inputPerMillion: 0.3, outputPerMillion: 2.5, cachedInputPerMillion: 0.075, features: ["reasoning", ...chat], modalities: ["text", "image", "audio"], note: "Text, image and video input; audio input costs 1.00." },
  { id: "gemini-2.0-flash", label: "Gemini 2.0 Flash", provider: "Google", vendor: "google", contextWindow: 1_048_576, maxOutputTokens: 8_192, inputPerMillion: 0.1, outputPerMillion: 0.4, cachedInputPerMillion: 0.025, features: chat, modalities: ["text", "image", "audio"], note: "Text, image and video input; audio input costs 0.70." },
  { id: "gemini-2.0-flash-lite", label: "Gemini 2.0 Flash-Lite", provider: "Google", vendor: "google", contextWindow: 1_048_576, maxOutputTokens: 8_192, inputPerMillion: 0.075, outputPerMillion: 0.3, features: chat, modalities: ["text", "image", "audio"] },
  { id: "gemini-1.5-pro", label: "Gemini 1.5 Pro", provider: "Google", vendor: "google", contextWindow: 2_097_152, maxOutputTokens: 8_192, inputPerMillion: 1.25, outputPerMillion: 5, cachedInputPerMillion: 0.3125, features: chat, modalities: ["text", "image", "audio"], note: "Prompts up to 128K tokens; longer prompts cost 2.50 / 10.00." },
  { id: "gemini-1.5-flash", label: "Gemini 1.5 Flash", provider: "Google", vendor: "google", contextWindow: 1_048_576, maxOutputTokens: 8_192, inputPerMillion: 0.075, outputPerMillion: 0.3, cachedInputPerMillion: 0.01875, features: [...chat, "fine-tuning"], modalities: ["text", "image", "audio"], note: "Prompts up to 128K tokens; longer prompts cost 0.15 / 0.60." },

  // Qwen on Alibaba Cloud Model Studio (DashScope, international)
  { id: "qwen-max", label: "Qwen-Max", provider: "Qwen", vendor: "aliyun", contextWindow: 32_768, maxOutputTokens: 8_192, inputPerMillion: 1.6, outputPerMillion: 6.4, features: chat, modalities: ["text"] },
  { id: "qwen-plus", label: "Qwen-Plus", provider: "Qwen", vendor: "aliyun", contextWindow: 131_072, maxOutputTokens: 8_192, inputPerMillion: 0.4, outputPerMillion: 1.2, features: chat, modalities: ["text"] },
  { id: "qwen-turbo", label: "Qwen-Turbo", provider: "Qwen", vendor: "aliyun", contextWindow: 1_000_000, maxOutputTokens: 8_192, inputPerMillion: 0.05, outputPerMillion: 0.2, features: chat, modalities: ["text"] },

  // DeepSeek (standard hours; cached input = cache hit)
  { id: "deepseek-chat", label: "DeepSeek-V3", provider: "DeepSeek", vendor: "openai-compatible", contextWindow: 65_536, maxOutputTokens: 8_192, inputPerMillion: 0.27, outputPerMillion: 1.1, cachedInputPerMillion: 0.07, features: chat, modalities: ["text"] },
  { id: "deepseek-reasoner", label: "DeepSeek-R1", provider: "DeepSeek", vendor: "openai-compatible", contextWindow: 65_536, maxOutputTokens: 8_192, inputPerMillion: 0.55, outputPerMillion: 2.19, cachedInputPerMillion: 0.14, features: ["reasoning", "streaming"], modalities: ["text"] },

  // Mistral (La Plateforme); Mistral does not publish a separate output limit, so 8,192 is a conservative default.
  { id: "mistral-large-latest", label: "Mistral Large", provider: "Mistral", vendor: "openai-compatible", contextWindow: 131_072, maxOutputTokens: 8_192, inputPerMillion: 2, outputPerMillion: 6, features: chat, modalities: ["text"] },
  { id: "mistral-medium-latest", label: "Mistral Medium 3", provider: "Mistral", vendor: "openai-compatible", contextWindow: 131_072, maxOutputTokens: 8_192, inputPerMillion: 0.4, outputPerMillion: 2, features: chat, modalities: ["text", "image"] },
  { id: "mistral-small-latest", label: "Mistral Small 3.1", provider: "Mistral", vendor: "openai-compatible", contextWindow: 131_072, maxOutputTokens: 8_192, inputPerMillion: 0.1, outputPerMillion: 0.3, features: chat, modalities: ["text", "image"] },
  { id: "codestral-latest", label: "Codestral", provider: "Mistral", vendor: "openai-compatible", contextWindow: 256_000, maxOutputTokens: 8_192, inputPerMillion: 0.3, outputPerMillion: 0.9, features: ["streaming", "function-calling"], modalities: ["text"] },

  // Llama on common hosts
  { id: "meta-llama/Llama-3.3-70B-Instruct-Turbo", label: "Llama 3.3 70B (Together AI)", provider: "Together AI", vendor: "openai-compatible", contextWindow: 131_072, maxOutputTokens: 8_192, inputPerMillion: 0.88, outputPerMillion: 0.88, features: ["streaming", "function-calling", "structured-output"], modalities: ["text"] },
  { id: "meta-llama/Meta-Llama-3.1-405B-Instruct-Turbo", label: "Llama 3.1 405B (Together AI)", provider: "Together AI", vendor: "openai-compatible", contextWindow: 130_815, maxOutputTokens: 8_192, inputPerMillion: 3.5, outputPerMillion: 3.5, features: ["streaming", "function-calling", "structured-output"], modalities: ["text"] },
  { id: "meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo", label: "Llama 3.1 8B (Together AI)", provider: "Together AI", vendor: "openai-compatible", contextWindow: 131_072, maxOutputTokens: 8_192, inputPerMillion: 0.18, outputPerMillion: 0.18, features: ["streaming", "function-calling", "structured-output"], modalities: ["text"] },
  { id: "llama-3.3-70b-versatile", label: "Llama 3.3 70B (Groq)", provider: "Groq", vendor: "openai-compatible", contextWindow: 131_072, maxOutputTokens: 32_768, inputPerMillion: 0.59, outputPerMillion: 0.79, features: ["streaming", "function-calling", "structured-output"], modalities: ["text"] },
  { id: "llama-3.1-8b-instant", label: "Llama 3.1 8B (Groq)", provider: "Groq", vendor: "openai-compatible", contextWindow: 131_072, maxOutputTokens: 8_192, inputPerMillion: 0.05, outputPerMillion: 0.08, features: ["streaming", "function-calling", "structured-output"], modalities: ["text"] },
];

export function catalogEntry(id: string): CatalogEntry | undefined {
  const key = id.trim().toLowerCase();
  return PRICE_CATALOG.find((e) => e.id.toLowerCase() === key);
}

/** The create-model input a catalog entry prefills (name = the vendor's id). */
export function catalogToModelInput(e: CatalogEntry) {
  return {
    name: e.id,
    provider: e.provider,
    description: e.note ?? "",
    features: [...e.features],
    modalities: [...e.modalities],
    contextWindow: e.contextWindow,
    maxOutputTokens: e.maxOutputTokens,
    pricing: {
      inputPerMillion: e.inputPerMillion,
      outputPerMillion: e.outputPerMillion,
      ...(e.cachedInputPerMillion !== undefined ? { cachedInputPerMillion: e.cachedInputPerMillion } : {}),
    },
  };
}
