import { describe, expect, it } from "vitest";
import { zodProblems } from "./zod";
import { configKeySchema, createVirtualKeySchema, updateVirtualKeySchema, virtualKeyQuerySchema } from "./virtual-keys";

const problems = (schema: { safeParse: (v: unknown) => { success: boolean; error?: unknown } }, v: unknown) => {
  const r = schema.safeParse(v);
  return r.success ? [] : zodProblems(r.error as never);
};

describe("virtual key schemas", () => {
  it("fills defaults and normalises budget and expiry", () => {
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const r = createVirtualKeySchema.parse({ name: " bot ", monthlyBudgetUsd: 100, expiresAt: tomorrow });
    expect(r).toEqual({ name: "bot", owner: "", allowedModels: [], monthlyBudgetUsd: "100", expiresAt: `${tomorrow}T23:59:59.999Z` });
    expect(createVirtualKeySchema.parse({ name: "bot", monthlyBudgetUsd: "0.123456" }).monthlyBudgetUsd).toBe("0.123456");
  });

  it("refuses out-of-range limits, bad budgets, past expiry and duplicate models with field paths", () => {
    expect(
      problems(createVirtualKeySchema, {
        name: "b",
        rpm: 0,
        tpm: 1.5,
        monthlyBudgetUsd: "-1",
        expiresAt: "2001-01-01",
        allowedModels: ["a", "A"],
      }),
    ).toEqual([
      { path: "name", message: "Must be at least 2 characters" },
      { path: "allowedModels[1]", message: '"A" is listed twice' },
      { path: "rpm", message: "Requests per minute must be at least 1" },
      { path: "tpm", message: "Tokens per minute must be a whole number" },
      { path: "monthlyBudgetUsd", message: "Enter a budget of 0 or more in USD, e.g. 100" },
      { path: "expiresAt", message: "Must be in the future" },
    ]);
    expect(
      problems(createVirtualKeySchema, { name: "ok", rpm: 1_000_001, tpm: 1_000_000_001, monthlyBudgetUsd: "1.1234567" }).map(
        (p) => p.message,
      ),
    ).toEqual([
      "Requests per minute must be at most 1,000,000",
      "Tokens per minute must be at most 1,000,000,000",
      "Use at most 6 decimal places",
    ]);
    expect(problems(createVirtualKeySchema, { name: "ok", expiresAt: "tomorrow" })[0].message).toMatch(/Enter a date/);
    expect(problems(createVirtualKeySchema, { name: "ok", value: "sbk_x" })[0].message).toBe("Unknown field: value");
  });

  it("lets an update clear limits with null and leave others alone", () => {
    expect(updateVirtualKeySchema.parse({ rpm: null, monthlyBudgetUsd: null })).toEqual({ rpm: null, monthlyBudgetUsd: null });
    expect(updateVirtualKeySchema.parse({})).toEqual({});
  });

  it("config keys need a long value and may keep a past expiry", () => {
    expect(problems(configKeySchema, { name: "k", value: "short" }).map((p) => p.path)).toEqual(["name", "value"]);
    expect(configKeySchema.parse({ name: "kk", value: "x".repeat(30), expiresAt: "2001-01-01" }).expiresAt).toBe(
      "2001-01-01T23:59:59.999Z",
    );
  });

  it("list queries need a workspace and a known status", () => {
    expect(problems(virtualKeyQuerySchema, { status: "paused" }).map((p) => p.path)).toEqual(["workspaceId", "status"]);
  });
});
