import { describe, expect, it } from "vitest";
import { createPlatformSchema, platformConfigSchema, updatePlatformSchema, newPlatformKeySchema } from "../schemas/platforms";
import { zodProblems } from "../schemas/zod";
import { listingRequest, parseModelListing, redactKey, vendorErrorMessage, VENDOR_IDS, VENDORS } from "./vendors";

const KEY = "sk-test-0123456789abcdefWXYZ";

describe("model listing requests", () => {
  it("OpenAI and the OpenAI-compatible vendors send GET {base}/models with a bearer key", () => {
    for (const vendor of ["openai", "openai-compatible", "aliyun", "tencent", "bytedance"] as const) {
      const base = VENDORS[vendor].defaultBaseUrl || "https://llm.example.com/v1";
      const r = listingRequest({ vendor, baseUrl: `${base}/`, apiVersion: null }, KEY);
      expect(r.url).toBe(`${base}/models`);
      expect(r.headers.authorization).toBe(`Bearer ${KEY}`);
    }
    expect(listingRequest({ vendor: "aliyun", baseUrl: VENDORS.aliyun.defaultBaseUrl, apiVersion: null }, KEY).url).toBe(
      "https://dashscope.aliyuncs.com/compatible-mode/v1/models",
    );
  });

  it("Azure sends the api-key header and the api-version, defaulting to 2024-06-01", () => {
    const r = listingRequest({ vendor: "azure", baseUrl: "https://res.openai.azure.com/openai", apiVersion: null }, KEY);
    expect(r.url).toBe("https://res.openai.azure.com/openai/models?api-version=2024-06-01");
    expect(r.headers["api-key"]).toBe(KEY);
    expect(r.headers.authorization).toBeUndefined();
    expect(
      listingRequest({ vendor: "azure", baseUrl: "https://res.openai.azure.com/openai", apiVersion: "2024-10-21" }, KEY).url,
    ).toContain("api-version=2024-10-21");
  });

  it("Anthropic sends x-api-key and anthropic-version; Gemini sends x-goog-api-key; no key ever in the URL", () => {
    const a = listingRequest({ vendor: "anthropic", baseUrl: VENDORS.anthropic.defaultBaseUrl, apiVersion: null }, KEY);
    expect(a.url.startsWith("https://api.anthropic.com/v1/models")).toBe(true);
    expect(a.headers).toMatchObject({ "x-api-key": KEY, "anthropic-version": "2023-06-01" });
    const g = listingRequest({ vendor: "google", baseUrl: VENDORS.google.defaultBaseUrl, apiVersion: null }, KEY);
    expect(g.url.startsWith("https://generativelanguage.googleapis.com/v1beta/models")).toBe(true);
    expect(g.headers["x-goog-api-key"]).toBe(KEY);
    for (const vendor of VENDOR_IDS) {
      expect(listingRequest({ vendor, baseUrl: "https://x.example.com/v1", apiVersion: null }, KEY).url).not.toContain(KEY);
    }
  });
});

describe("model listing responses", () => {
  it("reads OpenAI, Anthropic and Gemini listings into model ids", () => {
    expect(
      parseModelListing("openai", {
        object: "list",
        data: [{ id: "gpt-4-turbo", object: "model", created: 0, owned_by: "openai" }, { id: "gpt-4o" }],
      }),
    ).toEqual(["gpt-4-turbo", "gpt-4o"]);
    expect(
      parseModelListing("anthropic", {
        data: [{ type: "model", id: "claude-3-5-sonnet-20241022", display_name: "Claude 3.5 Sonnet", created_at: "2024-10-22T00:00:00Z" }],
        has_more: false,
        first_id: "claude-3-5-sonnet-20241022",
        last_id: "claude-3-5-sonnet-20241022",
      }),
    ).toEqual(["claude-3-5-sonnet-20241022"]);
    expect(
      parseModelListing("google", {
        models: [{ name: "models/gemini-1.5-pro", displayName: "Gemini 1.5 Pro" }, { name: "models/text-embedding-004" }],
      }),
    ).toEqual(["gemini-1.5-pro", "text-embedding-004"]);
    expect(parseModelListing("azure", { data: [{ id: "gpt-4o-2024-05-13", status: "succeeded" }], object: "list" })).toEqual([
      "gpt-4o-2024-05-13",
    ]);
  });

  it("refuses bodies that are not a listing", () => {
    expect(parseModelListing("openai", { models: [] })).toBeNull();
    expect(parseModelListing("google", { data: [] })).toBeNull();
    expect(parseModelListing("openai", "<html>")).toBeNull();
  });

  it("takes the vendor's error message and removes any echo of the key", () => {
    const openai = {
      error: {
        message: "Incorrect API key provided: sk-test-****WXYZ. You can find your API key at https://platform.openai.com/account/api-keys.",
        type: "invalid_request_error",
        code: "invalid_api_key",
      },
    };
    const msg = redactKey(vendorErrorMessage(openai, "HTTP 401"), KEY);
    expect(msg).toContain("Incorrect API key provided");
    expect(msg).not.toContain("WXYZ");
    expect(msg).not.toContain("sk-test-");
    expect(redactKey(`bad key ${KEY} here`, KEY)).toBe("bad key [redacted] here");
    expect(vendorErrorMessage({ type: "error", error: { type: "authentication_error", message: "invalid x-api-key" } }, "x")).toBe(
      "invalid x-api-key",
    );
    expect(
      vendorErrorMessage(
        { error: { code: 400, message: "API key not valid. Please pass a valid API key.", status: "INVALID_ARGUMENT" } },
        "x",
      ),
    ).toContain("API key not valid");
    expect(vendorErrorMessage(undefined, "HTTP 502")).toBe("HTTP 502");
  });
});

describe("platform input validation", () => {
  const ok = { name: "OpenAI US-West", vendor: "openai", baseUrl: "https://api.openai.com/v1/" };

  it("accepts a platform with keys and normalises the base URL", () => {
    const r = createPlatformSchema.parse({
      ...ok,
      keys: [
        { value: "sk-a", description: "primary", weight: 3 },
        { value: "sk-b", description: "backup" },
      ],
    });
    expect(r.baseUrl).toBe("https://api.openai.com/v1");
    expect(r.keys[1]).toMatchObject({ weight: 1, enabled: true });
  });

  it("reports each problem on its field", () => {
    const r = createPlatformSchema.safeParse({
      name: "x",
      vendor: "mistral",
      baseUrl: "ftp://example.com",
      keys: [{ value: " ", weight: 101 }],
    });
    expect(r.success).toBe(false);
    const paths = Object.fromEntries(zodProblems(r.error!).map((p) => [p.path, p.message]));
    expect(Object.keys(paths).sort()).toEqual(["baseUrl", "keys[0].value", "keys[0].weight", "name", "vendor"]);
    expect(paths.baseUrl).toBe("Enter an http:// or https:// URL");
    expect(createPlatformSchema.safeParse({ ...ok, vendor: undefined }).error?.issues[0].message).toBe("Required");
  });

  it("an API version only where the vendor has one; key descriptions unique within a platform", () => {
    const r = createPlatformSchema.safeParse({ ...ok, apiVersion: "2024-06-01" });
    expect(zodProblems(r.error!)).toEqual([{ path: "apiVersion", message: "OpenAI does not use an API version" }]);
    expect(
      createPlatformSchema.safeParse({ ...ok, vendor: "azure", baseUrl: "https://r.openai.azure.com/openai", apiVersion: "2024-06-01" })
        .success,
    ).toBe(true);
    const dup = platformConfigSchema.safeParse({
      ...ok,
      keys: [
        { value: "a", description: "Primary" },
        { value: "b", description: "primary" },
      ],
    });
    expect(zodProblems(dup.error!)).toEqual([
      { path: "keys[1].description", message: "Two keys of a platform cannot share a description" },
    ]);
    expect(updatePlatformSchema.safeParse({ vendor: "google", apiVersion: "v1" }).success).toBe(false);
  });

  it("key weight is a whole number from 0 to 100", () => {
    expect(newPlatformKeySchema.safeParse({ value: "k", weight: 0 }).success).toBe(true);
    expect(newPlatformKeySchema.safeParse({ value: "k", weight: 2.5 }).success).toBe(false);
    expect(newPlatformKeySchema.safeParse({ value: "k", weight: -1 }).success).toBe(false);
    expect(newPlatformKeySchema.safeParse({ value: "k", key: "x" }).success).toBe(false);
  });
});
