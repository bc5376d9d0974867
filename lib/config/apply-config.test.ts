import { describe, expect, it } from "vitest";
import { isAppError, type AppError } from "../errors";
import { validateConfig } from "./apply-config";

const noEnv = () => undefined;

async function problems(doc: unknown, lookup: (n: string) => string | undefined = noEnv): Promise<AppError> {
  try {
    await validateConfig(doc, { lookup });
  } catch (e) {
    if (isAppError(e)) return e;
    throw e;
  }
  throw new Error("expected validateConfig to throw");
}

describe("validateConfig", () => {
  it("returns the typed items of each section", async () => {
    const out = await validateConfig({ workspaces: [{ name: " Team A ", description: "d" }, { name: "Team B" }] }, { lookup: noEnv });
    expect(out.get("workspaces")).toEqual([{ name: "Team A", description: "d" }, { name: "Team B" }]);
  });

  it("lists every bad item at once, by path", async () => {
    const e = await problems({
      workspaces: [{ name: "Fine" }, { description: "no name" }, { name: "x" }, { name: "Ok", colour: "red" }],
      adminTokens: [{ name: "ci", value: "short" }],
    });
    expect(e.code).toBe("validation_failed");
    expect(e.message).toMatch(/nothing was applied/);
    expect(e.fields).toEqual(
      expect.arrayContaining([
        { path: "workspaces[1].name", message: "Required" },
        { path: "workspaces[2].name", message: "Must be at least 2 characters" },
        { path: "workspaces[3]", message: "Unknown field: colour" },
        { path: "adminTokens[0].value", message: expect.stringMatching(/at least 24/) },
      ]),
    );
    expect(e.fields).toHaveLength(4);
  });

  it("refuses an unknown section and names the known ones", async () => {
    const e = await problems({ workspace: [{ name: "Typo" }] });
    expect(e.fields).toEqual([{ path: "workspace", message: expect.stringMatching(/Unknown section.*workspaces.*adminTokens/) }]);
  });

  it("reports a webhook's missing fields by path", async () => {
    const e = await problems({ workspaces: [], webhooks: [{ name: "gh", target: { agent: "x" } }] });
    expect(e.fields).toEqual([
      { path: "webhooks[0].scheme", message: expect.any(String) },
      { path: "webhooks[0].workspace", message: "Required" },
      { path: "webhooks[0].secret", message: "Required" },
      { path: "webhooks[0].target", message: "Give { worker: <name> } or { workflow: <name> }" },
    ]);
  });

  it("reports a platform's problems by path, down to its keys", async () => {
    const e = await problems({
      platforms: [
        { name: "aws", vendor: "azure", baseUrl: "https://r.openai.azure.com/openai", keys: [{ value: "k", weight: 500 }] },
        { name: "x1", vendor: "openai" },
      ],
    });
    expect(e.fields).toEqual([
      { path: "platforms[0].keys[0].weight", message: "Must be at most 100" },
      { path: "platforms[1].baseUrl", message: "Required" },
    ]);
  });

  it("refuses duplicate names, case-insensitively, pointing at the first", async () => {
    const e = await problems({ workspaces: [{ name: "Team" }, { name: "Other" }, { name: "TEAM" }] });
    expect(e.fields).toEqual([{ path: "workspaces[2].name", message: "Duplicate of workspaces[0]" }]);
  });

  it("refuses a root that is not a mapping", async () => {
    for (const doc of [null, [], "workspaces", 42]) {
      const e = await problems(doc);
      expect(e.code).toBe("validation_failed");
      expect(e.fields?.[0].path).toBe("(root)");
    }
  });

  it("refuses a section that is not a list", async () => {
    expect((await problems({ workspaces: { name: "A" } })).fields).toEqual([{ path: "workspaces", message: "Expected a list" }]);
  });

  it("resolves ${env:...} refs before validating", async () => {
    const value = "v".repeat(30);
    const out = await validateConfig(
      { adminTokens: [{ name: "ci", value: "${env:CI_TOKEN}" }] },
      { lookup: (n) => (n === "CI_TOKEN" ? value : undefined) },
    );
    expect(out.get("adminTokens")).toEqual([{ name: "ci", value }]);
  });

  it("reports a missing variable once, and does not echo a resolved secret in any problem", async () => {
    const secret = "s".repeat(10); // resolved but too short: the length problem must not show it
    const e = await problems(
      {
        adminTokens: [
          { name: "ci-a", value: "${env:MISSING}" },
          { name: "ci-b", value: "${env:SHORT}" },
        ],
      },
      (n) => (n === "SHORT" ? secret : undefined),
    );
    expect(e.fields).toEqual([
      { path: "adminTokens[0].value", message: "Environment variable MISSING is not set" },
      { path: "adminTokens[1].value", message: expect.stringMatching(/at least 24/) },
    ]);
    expect(JSON.stringify(e.fields) + e.message).not.toContain(secret);
  });

  it("lets a model the catalog knows, such as gpt-4o, leave out its context window and output limit", async () => {
    const out = await validateConfig({ models: [{ name: "gpt-4o" }, { name: "GPT-4o-mini", contextWindow: 64_000 }] }, { lookup: noEnv });
    expect(out.get("models")).toMatchObject([{ name: "gpt-4o" }, { name: "GPT-4o-mini", contextWindow: 64_000 }]);
    // Checked against the catalog's output limit: 16,384 does not fit a 8,000-token window.
    expect((await problems({ models: [{ name: "gpt-4o", contextWindow: 8_000 }] })).fields).toEqual([
      { path: "models[0].maxOutputTokens", message: "Must not exceed the context window" },
    ]);
  });
});
