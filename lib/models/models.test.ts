import { describe, expect, it } from "vitest";
import { addPriceSchema, createModelSchema, routeInputSchema, setRoutesSchema, updateModelSchema } from "../schemas/models";
import { zodProblems } from "../schemas/zod";
import { orderRoutes } from "./route-order";
import { pickPriceAt } from "./price-at";
import { CATALOG_DATE, PRICE_CATALOG, catalogEntry, catalogToModelInput } from "./price-catalog";
import { modelsSection } from "../config/sections/models";

const base = { name: "gpt-4-turbo", contextWindow: 128_000, maxOutputTokens: 4_096 };
const problems = (r: { success: boolean; error?: unknown }) => (r.success ? [] : zodProblems(r.error as never));

describe("model schemas", () => {
  it("accepts the seed's gpt-4-turbo and keeps prices as exact decimal strings", () => {
    const r = createModelSchema.parse({
      ...base,
      pricing: { inputPerMillion: 10, outputPerMillion: "30", cachedInputPerMillion: 0.075 },
      features: ["streaming"],
      modalities: ["text", "image"],
    });
    expect(r.pricing).toEqual({ inputPerMillion: "10", outputPerMillion: "30", cachedInputPerMillion: "0.075" });
  });

  it("refuses prices with more than 6 decimals instead of rounding them, and negative prices", () => {
    const r = createModelSchema.safeParse({ ...base, pricing: { inputPerMillion: "0.0000001", outputPerMillion: -1 } });
    expect(problems(r)).toEqual([
      { path: "pricing.inputPerMillion", message: "Use at most 6 decimal places" },
      { path: "pricing.outputPerMillion", message: expect.stringMatching(/0 or more/) },
    ]);
  });

  it("requires positive whole token counts and defaults within the maxima", () => {
    expect(problems(createModelSchema.safeParse({ name: "m", contextWindow: 0, maxOutputTokens: 1.5 })).map((p) => p.path)).toEqual([
      "contextWindow",
      "maxOutputTokens",
    ]);
    expect(problems(createModelSchema.safeParse({ ...base, defaultContext: 200_000, defaultMaxOutput: 8_192 }))).toEqual([
      { path: "defaultContext", message: "Must not exceed the context window (128,000)" },
      { path: "defaultMaxOutput", message: "Must not exceed the maximum output (4,096)" },
    ]);
    expect(problems(createModelSchema.safeParse({ ...base, maxOutputTokens: 200_000 })).map((p) => p.path)).toEqual(["maxOutputTokens"]);
    expect(problems(updateModelSchema.safeParse({ contextWindow: 1000, defaultContext: 2000 })).map((p) => p.path)).toEqual([
      "defaultContext",
    ]);
  });

  it("takes features and modalities only from the fixed lists, each once", () => {
    expect(problems(createModelSchema.safeParse({ ...base, features: ["telepathy"] }))[0].path).toBe("features[0]");
    expect(problems(createModelSchema.safeParse({ ...base, modalities: ["video"] }))[0].path).toBe("modalities[0]");
    expect(problems(createModelSchema.safeParse({ ...base, features: ["streaming", "streaming"] }))[0].message).toBe(
      "Each value may appear once",
    );
    expect(problems(createModelSchema.safeParse({ ...base, modalities: [] }))[0].message).toBe("Choose at least one modality");
  });

  it("refuses names with spaces and unknown fields", () => {
    expect(problems(createModelSchema.safeParse({ ...base, name: "gpt 4" }))[0].path).toBe("name");
    expect(problems(createModelSchema.safeParse({ ...base, price: 1 }))[0].message).toBe("Unknown field: price");
  });

  it("a route names exactly one platform or deployment, with priority >= 1 and weight 1-100", () => {
    expect(routeInputSchema.parse({ platformId: "p1" })).toEqual({
      platformId: "p1",
      upstreamModel: "",
      priority: 1,
      weight: 1,
      enabled: true,
    });
    expect(problems(routeInputSchema.safeParse({}))).toEqual([
      { path: "platformId", message: "Choose a platform or a deployment (exactly one)" },
    ]);
    expect(problems(routeInputSchema.safeParse({ platformId: "p", deploymentId: "d" }))[0].path).toBe("platformId");
    expect(problems(setRoutesSchema.safeParse({ routes: [{ platformId: "p", priority: 0, weight: 101 }] })).map((p) => p.path)).toEqual([
      "routes[0].priority",
      "routes[0].weight",
    ]);
  });

  it("a price change takes an optional effective date", () => {
    const r = addPriceSchema.parse({ inputPerMillion: "8", outputPerMillion: "24", effectiveFrom: "2025-07-01T00:00:00Z" });
    expect(r.effectiveFrom?.toISOString()).toBe("2025-07-01T00:00:00.000Z");
    expect(problems(addPriceSchema.safeParse({ inputPerMillion: "8", outputPerMillion: "24", effectiveFrom: "soon" }))[0].path).toBe(
      "effectiveFrom",
    );
  });
});

describe("pickPriceAt", () => {
  const p = (id: string, iso: string) => ({ id, effectiveFrom: new Date(iso) });
  const prices = [p("new", "2025-03-01T00:00:00Z"), p("old", "2025-01-01T00:00:00Z"), p("future", "2026-01-01T00:00:00Z")];

  it("bills a call with the price in force when it was made, across a price change", () => {
    expect(pickPriceAt(prices, new Date("2024-12-31T23:59:59Z"))).toBeNull();
    expect(pickPriceAt(prices, new Date("2025-01-01T00:00:00Z"))?.id).toBe("old");
    expect(pickPriceAt(prices, new Date("2025-02-28T23:59:59.999Z"))?.id).toBe("old");
    expect(pickPriceAt(prices, new Date("2025-03-01T00:00:00Z"))?.id).toBe("new");
    expect(pickPriceAt(prices, new Date("2025-12-31T00:00:00Z"))?.id).toBe("new");
    expect(pickPriceAt(prices, new Date("2026-06-01T00:00:00Z"))?.id).toBe("future");
  });
});

describe("orderRoutes", () => {
  it("orders by priority, then heavier weight, keeping the given order for ties", () => {
    const routes = [
      { id: "self-hosted", priority: 3, weight: 1 },
      { id: "azure", priority: 2, weight: 1 },
      { id: "openai-b", priority: 1, weight: 1 },
      { id: "openai-a", priority: 1, weight: 5 },
      { id: "openai-c", priority: 1, weight: 1 },
    ];
    expect(orderRoutes(routes).map((r) => r.id)).toEqual(["openai-a", "openai-b", "openai-c", "azure", "self-hosted"]);
    expect(routes[0].id).toBe("self-hosted");
  });
});

describe("price catalog", () => {
  it("is dated and every entry is a valid model for the create form and the config file", () => {
    expect(CATALOG_DATE).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(PRICE_CATALOG.length).toBeGreaterThanOrEqual(30);
    expect(new Set(PRICE_CATALOG.map((e) => e.id.toLowerCase())).size).toBe(PRICE_CATALOG.length);
    for (const e of PRICE_CATALOG) {
      const input = catalogToModelInput(e);
      expect(problems(createModelSchema.safeParse(input)), e.id).toEqual([]);
      expect(problems(modelsSection.item.safeParse(input)), e.id).toEqual([]);
      expect(e.outputPerMillion, e.id).toBeGreaterThanOrEqual(e.inputPerMillion * 0.5);
      if (e.cachedInputPerMillion !== undefined) expect(e.cachedInputPerMillion, e.id).toBeLessThan(e.inputPerMillion);
    }
  });

  it("covers the widely used families", () => {
    for (const id of [
      "gpt-4o",
      "gpt-4-turbo",
      "o3-mini",
      "claude-3-7-sonnet-20250219",
      "gemini-2.5-pro",
      "qwen-max",
      "deepseek-chat",
      "deepseek-reasoner",
      "mistral-large-latest",
      "llama-3.3-70b-versatile",
    ]) {
      expect(catalogEntry(id), id).toBeDefined();
    }
    expect(catalogEntry("GPT-4O")?.inputPerMillion).toBe(2.5);
  });
});

describe("models config item", () => {
  it("a route names a platform or a deployment by name", () => {
    const r = modelsSection.item.safeParse({ ...base, routes: [{ platform: "OpenAI US-West", priority: 1 }, { priority: 2 }] });
    expect(problems(r)).toEqual([{ path: "routes[1].platform", message: "Give either platform or deployment (by name)" }]);
  });
});
