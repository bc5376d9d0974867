// The LLM vendors a platform can be: where each one lives by default, how a key authenticates, and how its
// model listing is asked for and read. Pure data and functions, shared by the domain, the forms and the tests.

export const VENDOR_IDS = ["openai", "anthropic", "google", "azure", "aliyun", "tencent", "bytedance", "openai-compatible"] as const;
export type VendorId = (typeof VENDOR_IDS)[number];

/** How a key is presented to the vendor. */
export type KeyAuth = "bearer" | "azure-api-key" | "anthropic-x-api-key" | "google-api-key";

/** The shape of the vendor's model listing response. */
export type ListingShape = "openai" | "anthropic" | "gemini";

export interface Vendor {
  id: VendorId;
  label: string;
  /** Empty when every account has its own address (Azure resources, self-hosted or other OpenAI-compatible services). */
  defaultBaseUrl: string;
  /** What to type when there is no default. */
  baseUrlHint: string;
  /** Azure needs `api-version` on every call; Anthropic sends `anthropic-version` (optional, defaulted). */
  apiVersion: { required: boolean; default: string; label: string } | null;
  auth: KeyAuth;
  listing: ListingShape;
  /** What the platform's model names mean, when it is not the vendor's model id. */
  modelNames?: string;
  /** A caveat about the listing, shown next to Test connection results. */
  listingNote?: string;
}

export const VENDORS: Record<VendorId, Vendor> = {
  openai: {
    id: "openai",
    label: "OpenAI",
    defaultBaseUrl: "https://api.openai.com/v1",
    baseUrlHint: "https://api.openai.com/v1",
    apiVersion: null,
    auth: "bearer",
    listing: "openai",
  },
  anthropic: {
    id: "anthropic",
    label: "Anthropic",
    defaultBaseUrl: "https://api.anthropic.com/v1",
    baseUrlHint: "https://api.anthropic.com/v1",
    apiVersion: { required: false, default: "2023-06-01", label: "anthropic-version" },
    auth: "anthropic-x-api-key",
    listing: "anthropic",
  },
  google: {
    id: "google",
    label: "Google (Gemini)",
    defaultBaseUrl: "https://generativelanguage.googleapis.com/v1beta",
    baseUrlHint: "https://generativelanguage.googleapis.com/v1beta",
    apiVersion: null,
    auth: "google-api-key",
    listing: "gemini",
  },
  azure: {
    id: "azure",
    label: "Azure OpenAI",
    defaultBaseUrl: "",
    baseUrlHint: "https://<resource>.openai.azure.com/openai",
    apiVersion: { required: true, default: "2024-06-01", label: "API version" },
    auth: "azure-api-key",
    listing: "openai",
    modelNames: "On Azure a route's upstream model is the deployment name you chose in Azure, not the model id.",
    listingNote: "Azure lists the base models the resource can deploy; routes use your deployment names.",
  },
  aliyun: {
    id: "aliyun",
    label: "Aliyun (DashScope)",
    defaultBaseUrl: "https://dashscope.aliyuncs.com/compatible-mode/v1",
    baseUrlHint: "https://dashscope.aliyuncs.com/compatible-mode/v1",
    apiVersion: null,
    auth: "bearer",
    listing: "openai",
  },
  tencent: {
    id: "tencent",
    label: "Tencent (Hunyuan)",
    defaultBaseUrl: "https://api.hunyuan.cloud.tencent.com/v1",
    baseUrlHint: "https://api.hunyuan.cloud.tencent.com/v1",
    apiVersion: null,
    auth: "bearer",
    listing: "openai",
    listingNote: "Hunyuan's OpenAI-compatible endpoint may not list models on every account; a 404 leaves the key unverified.",
  },
  bytedance: {
    id: "bytedance",
    label: "ByteDance (Volcengine Ark)",
    defaultBaseUrl: "https://ark.cn-beijing.volces.com/api/v3",
    baseUrlHint: "https://ark.cn-beijing.volces.com/api/v3",
    apiVersion: null,
    auth: "bearer",
    listing: "openai",
    modelNames: "On Ark a route's upstream model may be an endpoint id (ep-...) or a model id.",
  },
  "openai-compatible": {
    id: "openai-compatible",
    label: "OpenAI-compatible",
    defaultBaseUrl: "",
    baseUrlHint: "https://llm.example.com/v1",
    apiVersion: null,
    auth: "bearer",
    listing: "openai",
    listingNote: "Services without GET /models answer 404; the key then stays unverified.",
  },
};

export const vendorLabel = (id: string) => VENDORS[id as VendorId]?.label ?? id;

/** The API version a platform sends: the one given, or the vendor's default when it has one. */
export function effectiveApiVersion(vendor: VendorId, apiVersion: string | null | undefined): string | null {
  const v = VENDORS[vendor].apiVersion;
  if (!v) return null;
  return apiVersion || v.default;
}

/** Problems with a vendor / API version combination, as field problems (shared by the schema and updates). */
export function apiVersionProblem(vendor: VendorId, apiVersion: string | null | undefined): string | null {
  const v = VENDORS[vendor].apiVersion;
  if (!v && apiVersion) return `${VENDORS[vendor].label} does not use an API version`;
  return null;
}

export function authHeaders(vendor: VendorId, key: string, apiVersion: string | null): Record<string, string> {
  switch (VENDORS[vendor].auth) {
    case "bearer":
      return { authorization: `Bearer ${key}` };
    case "azure-api-key":
      return { "api-key": key };
    case "anthropic-x-api-key":
      return { "x-api-key": key, "anthropic-version": apiVersion ?? "2023-06-01" };
    case "google-api-key":
      return { "x-goog-api-key": key };
  }
}

/** The model listing request for one key. The key goes in a header, never in the URL. */
export function listingRequest(
  p: { vendor: VendorId; baseUrl: string; apiVersion: string | null },
  key: string,
): { url: string; headers: Record<string, string> } {
  const base = p.baseUrl.replace(/\/+$/, "");
  const version = effectiveApiVersion(p.vendor, p.apiVersion);
  const url = new URL(`${base}/models`);
  if (p.vendor === "azure" && version) url.searchParams.set("api-version", version);
  if (p.vendor === "anthropic") url.searchParams.set("limit", "1000");
  if (p.vendor === "google") url.searchParams.set("pageSize", "1000");
  return { url: url.toString(), headers: { accept: "application/json", ...authHeaders(p.vendor, key, version) } };
}

const ids = (list: unknown, field: string): string[] =>
  Array.isArray(list)
    ? list
        .map((m) => (m && typeof m === "object" ? (m as Record<string, unknown>)[field] : undefined))
        .filter((v): v is string => typeof v === "string" && v.length > 0)
    : [];

/** Model ids from a listing response body; null when the body is not the vendor's listing shape. */
export function parseModelListing(vendor: VendorId, body: unknown): string[] | null {
  if (!body || typeof body !== "object") return null;
  const b = body as Record<string, unknown>;
  switch (VENDORS[vendor].listing) {
    case "openai":
    case "anthropic":
      // OpenAI: { object: "list", data: [{ id }] }; Anthropic: { data: [{ id, type: "model" }], has_more }.
      if (!Array.isArray(b.data)) return null;
      return [...new Set(ids(b.data, "id"))];
    case "gemini":
      // { models: [{ name: "models/gemini-1.5-pro", ... }], nextPageToken }
      if (!Array.isArray(b.models)) return null;
      return [...new Set(ids(b.models, "name").map((n) => n.replace(/^models\//, "")))];
  }
}

/** The human part of a vendor's error body (OpenAI, Azure, Anthropic and Gemini all nest it in `error`). */
export function vendorErrorMessage(body: unknown, fallback: string): string {
  if (body && typeof body === "object") {
    const b = body as Record<string, unknown>;
    const e = b.error;
    if (e && typeof e === "object" && typeof (e as Record<string, unknown>).message === "string")
      return (e as Record<string, string>).message;
    if (typeof e === "string") return e;
    if (typeof b.message === "string") return b.message;
    if (typeof b.detail === "string") return b.detail;
  }
  return fallback;
}

/**
 * Removes a key from a message a vendor sent back. Vendors echo keys (OpenAI: "Incorrect API key provided:
 * sk-proj-****abcd"), so besides the key itself any word made of key characters that shares a prefix or a
 * tail of four or more with it is removed too.
 */
export function redactKey(message: string, key: string): string {
  let out = key ? message.split(key).join("[redacted]") : message;
  if (key.length >= 8) {
    out = out.replace(/[A-Za-z0-9_\-*.]{6,}/g, (word) => {
      const core = word.replace(/\.+$/, "");
      const visible = core.split(/\*+/).filter(Boolean);
      const hit = visible.some(
        (part) => part.length >= 4 && (key.startsWith(part) || key.endsWith(part) || (part.length >= 8 && key.includes(part))),
      );
      return hit ? "[redacted]" + word.slice(core.length) : word;
    });
  }
  return out.length > 300 ? `${out.slice(0, 297)}...` : out;
}
