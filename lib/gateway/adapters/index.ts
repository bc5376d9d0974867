import { AppError } from "../../errors";
import type { VendorAdapter, VendorId } from "../types";
import { openAIAdapter } from "./openai";
import { anthropicAdapter } from "./anthropic";
import { geminiAdapter } from "./gemini";

// One adapter per vendor wire format. A vendor missing here is refused per attempt, and the route fails over.
export const ADAPTERS: Partial<Record<VendorId, VendorAdapter>> = {
  openai: openAIAdapter,
  azure: openAIAdapter,
  aliyun: openAIAdapter,
  tencent: openAIAdapter,
  bytedance: openAIAdapter,
  "openai-compatible": openAIAdapter,
  anthropic: anthropicAdapter,
  google: geminiAdapter,
};

export class VendorNotSupportedError extends AppError {
  constructor(vendor: string) {
    super("unavailable", `Vendor ${vendor} is not supported by this build`);
  }
}

export function adapterFor(vendor: VendorId | string): VendorAdapter {
  const a = ADAPTERS[vendor as VendorId];
  if (!a) throw new VendorNotSupportedError(vendor);
  return a;
}
