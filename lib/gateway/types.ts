// Contracts between the parts of the gateway (ARCHITECTURE.md section 3). The request pipeline
// (lib/gateway/pipeline) depends only on these shapes; adapters, limits and metering implement them.

/** The OpenAI error shape every gateway error is answered with. */
export interface OpenAIError {
  error: { message: string; type: string; code: string | null; param?: string | null };
}

export type VendorId = "openai" | "azure" | "anthropic" | "google" | "aliyun" | "tencent" | "bytedance" | "openai-compatible";

/** Where one attempt goes: a platform key or a deployment instance, already chosen. */
export interface UpstreamTarget {
  vendor: VendorId;
  /** Platform base URL or instance URL, without a trailing slash. */
  baseUrl: string;
  apiVersion?: string | null;
  /** The vendor's model id (Azure: the deployment name). */
  upstreamModel: string;
  /** Plaintext key for this one call (absent for keyless self-hosted instances). */
  apiKey?: string;
  /** May reach private addresses (admin-marked internal). */
  internal: boolean;
}

/** An HTTP request an adapter wants sent. The body is already serialised. */
export interface UpstreamRequest {
  url: string;
  method: "POST" | "GET";
  headers: Record<string, string>;
  body?: string;
}

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  cachedTokens: number;
  /** Anthropic cache writes, counted as input at the cache-write price when one exists. */
  cacheWriteTokens?: number;
}

/**
 * Translates between the OpenAI wire format (what callers send and get) and one vendor's format, both ways,
 * streamed and not. Pure functions: no I/O, no clocks.
 */
export interface VendorAdapter {
  /** OpenAI chat.completions body (already validated, `model` replaced by the upstream model) -> vendor request. */
  chatRequest(target: UpstreamTarget, body: Record<string, unknown>, opts: { stream: boolean }): UpstreamRequest;
  /** Vendor JSON answer -> OpenAI chat.completion object (with `usage`). */
  chatResponse(json: unknown, ctx: { requestModel: string; id: string; created: number }): Record<string, unknown>;
  /**
   * A stateful converter for the vendor's streamed events. Feed it each parsed SSE event (`event` name and
   * `data` text); it returns zero or more OpenAI chat.completion.chunk objects to send, and collects usage.
   * `error` is set when the vendor sent an in-band error event.
   */
  streamConverter(ctx: { requestModel: string; id: string; created: number }): StreamConverter;
  /** OpenAI embeddings body -> vendor request, and the answer back (absent when the vendor has none). */
  embeddingsRequest?(target: UpstreamTarget, body: Record<string, unknown>): UpstreamRequest;
  /** `request` is the caller's body: its `input` (for estimating usage a vendor does not report) and `encoding_format`. */
  embeddingsResponse?(
    json: unknown,
    ctx: { requestModel: string; request?: Record<string, unknown> },
  ): Record<string, unknown> | Promise<Record<string, unknown>>;
  /** The vendor reports no embedding token counts: the usage in embeddingsResponse is our estimate. */
  embeddingUsageEstimated?: boolean;
}

export interface StreamConverter {
  push(event: { event?: string; data: string }): Record<string, unknown>[];
  /** Usage seen so far (final once the stream ended). */
  usage(): TokenUsage | null;
  /** Set when the vendor reported an error inside the stream. */
  error(): { message: string; code?: string } | null;
  /** True once the vendor signalled the end of the answer. */
  done(): boolean;
}

/**
 * An amount of USD as the gateway holds it against budgets: a decimal string is taken exactly (what costOf and
 * Prisma's Decimal give), a number is read at 8 decimal places (lib/gateway/limits.ts).
 */
export type Usd = string | number;

/** Per-key limits, checked before a call and settled after it (reserve, then reconcile). */
export interface KeyLimits {
  rpm?: number | null;
  tpm?: number | null;
  monthlyBudgetUsd?: number | null;
}

export type LimitDecision =
  { ok: true; reservation: Reservation } | { ok: false; limit: "rpm" | "tpm" | "budget"; retryAfterSeconds: number; message: string };

export interface Reservation {
  keyId: string;
  tokens: number;
  /** The spend held, in units of 1e-8 USD (lib/gateway/limits.ts). */
  cost: bigint;
  /** When the hold was taken (epoch ms): reconcile adjusts the window it was taken in. */
  at?: number;
}

export interface LimitsStore {
  /** Counts the request and holds `estTokens` / `estCostUsd` against the key's limits, atomically. */
  reserve(keyId: string, limits: KeyLimits, estTokens: number, estCostUsd: Usd, now?: number): Promise<LimitDecision>;
  /** Replaces the held estimate with what the call actually used (zero when it failed). */
  reconcile(reservation: Reservation, actualTokens: number, actualCostUsd: Usd, now?: number): Promise<void>;
}

/** One attempt at one upstream, as recorded in the usage record's route trace. */
export interface AttemptTrace {
  targetType: "platform" | "deployment";
  targetId: string;
  targetName: string;
  upstreamModel: string;
  /** Platform key id or instance id that was used. */
  via: string;
  status: number | null;
  error: string | null;
  latencyMs: number;
}

/** What metering receives once per request (the pipeline never waits for the database). */
export interface UsageEvent {
  requestId: string;
  at: Date;
  workspaceId: string;
  virtualKeyId: string | null;
  userId: string | null;
  agentId: string | null;
  model: string;
  modelId: string | null;
  platformId: string | null;
  deploymentId: string | null;
  upstreamModel: string | null;
  endpoint: "chat.completions" | "embeddings" | "messages";
  status: number;
  outcome: "success" | "error" | "partial" | "client_aborted";
  errorCode: string | null;
  attempts: AttemptTrace[];
  usage: TokenUsage;
  estimated: boolean;
  costUsd: number;
  latencyMs: number;
  ttftMs: number | null;
  streamed: boolean;
}

export interface UsageSink {
  /** Queues the event; never throws, never blocks on I/O. */
  record(event: UsageEvent): void;
  /** Writes everything queued (called on an interval and at shutdown). */
  flush(): Promise<void>;
}

/**
 * "The client went away", as the gateway reads it: an AbortSignal (the route-handler binding), or ClientGone
 * (the node:http binding, which needs no AbortController per request).
 */
export interface ClientSignal {
  readonly aborted: boolean;
  addEventListener(type: "abort", listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: "abort", listener: () => void): void;
}

export class ClientGone implements ClientSignal {
  aborted = false;
  private listeners: (() => void)[] | null = null;
  addEventListener(_type: "abort", listener: () => void): void {
    if (this.aborted) return;
    (this.listeners ??= []).push(listener);
  }
  removeEventListener(_type: "abort", listener: () => void): void {
    const i = this.listeners?.indexOf(listener) ?? -1;
    if (i >= 0) this.listeners!.splice(i, 1);
  }
  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    const ls = this.listeners;
    this.listeners = null;
    if (ls) for (const l of ls) l();
  }
}
