import { describe, expect, it } from "vitest";
import type { FieldProblem } from "../errors";
import { ENV_NAMES } from "../env";
import { envAllowList, EXPORT_ENV_PREFIXES, isReservedEnvName, resolveEnvRefs, secretPathTest, type EnvRefPolicy } from "./env-refs";
import { CONFIG_SECTIONS } from "./sections";
import { envNameFor } from "./sections/admin-tokens";
import { secretEnvName } from "./sections/credentials";
import { keyEnvName } from "../virtual-keys/config-keys";
import { budgetSecretEnvName } from "../budgets/config-budget";

const vars: Record<string, string> = { TOKEN_A: "s3cret-value-aaaaaaaaaaaaaaaa", SITE_HOST: "example.test", NESTED: "${env:TOKEN_A}" };
const lookup = (n: string) => (Object.hasOwn(vars, n) ? vars[n] : undefined);
// The mechanics of substitution, with every path taken for a secret one.
const anywhere: EnvRefPolicy = { lookup, isSecretPath: () => true };

describe("resolveEnvRefs", () => {
  it("substitutes ${env:NAME} in every string, nested in lists and mappings", () => {
    const problems: FieldProblem[] = [];
    const out = resolveEnvRefs(
      {
        adminTokens: [{ name: "ci", value: "${env:TOKEN_A}" }],
        url: "https://${env:SITE_HOST}/x/${env:SITE_HOST}",
        n: 3,
        ok: true,
        nil: null,
      },
      anywhere,
      problems,
    );
    expect(problems).toEqual([]);
    expect(out).toEqual({
      adminTokens: [{ name: "ci", value: vars.TOKEN_A }],
      url: "https://example.test/x/example.test",
      n: 3,
      ok: true,
      nil: null,
    });
  });

  it("does not expand a reference found inside a variable's value", () => {
    expect(resolveEnvRefs("${env:NESTED}", anywhere, [])).toBe("${env:TOKEN_A}");
  });

  it("leaves text that only looks like a reference alone", () => {
    expect(resolveEnvRefs("${env:}-${SITE_HOST}-$env:SITE_HOST-${env:1BAD}", anywhere, [])).toBe(
      "${env:}-${SITE_HOST}-$env:SITE_HOST-${env:1BAD}",
    );
  });

  it("reports a missing variable by path and name, never with a value", () => {
    const problems: FieldProblem[] = [];
    resolveEnvRefs({ adminTokens: [{ name: "x" }, { name: "ci", value: "${env:TOKEN_A}:${env:MISSING_ONE}" }] }, anywhere, problems);
    expect(problems).toEqual([{ path: "adminTokens[1].value", message: "Environment variable MISSING_ONE is not set" }]);
    expect(JSON.stringify(problems)).not.toContain(vars.TOKEN_A);
  });

  it("does not modify the caller's document", () => {
    const doc = { a: ["${env:SITE_HOST}"] };
    resolveEnvRefs(doc, anywhere, []);
    expect(doc).toEqual({ a: ["${env:SITE_HOST}"] });
  });

  it("copies a __proto__ key as data without polluting prototypes", () => {
    const doc = JSON.parse('{"__proto__": {"polluted": "${env:SITE_HOST}"}, "ok": 1}');
    const out = resolveEnvRefs(doc, anywhere, []) as Record<string, unknown>;
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(out, "__proto__")?.value).toEqual({ polluted: "example.test" });
    expect((out as { polluted?: unknown }).polluted).toBeUndefined();
  });
});

describe("which variables a configuration may read, and where", () => {
  const isSecretPath = secretPathTest(CONFIG_SECTIONS);
  const server = {
    SWITCHBOARD_ADMIN_TOKEN: "admin-token-canary-1234",
    NEXTAUTH_SECRET: "session-canary",
    SWITCHBOARD_ENCRYPTION_KEYS: "k1:canary",
    OPENAI_KEY: "sk-openai-canary",
  };
  const seen: string[] = [];
  const serverLookup = (n: string) => {
    seen.push(n);
    return server[n as keyof typeof server];
  };
  const run = (doc: unknown, allowed?: (n: string) => boolean) => {
    seen.length = 0;
    const problems: { path: string; message: string }[] = [];
    const out = resolveEnvRefs(doc, { lookup: serverLookup, isSecretPath, allowed }, problems);
    return { out, problems };
  };

  it("refuses a reference outside a secret field by path, and never reads the variable", () => {
    const { out, problems } = run({
      workspaces: [{ name: "w", description: "${env:SWITCHBOARD_ADMIN_TOKEN} ${env:NEXTAUTH_SECRET} ${env:OPENAI_KEY}" }],
    });
    expect(problems.map((p) => p.path)).toEqual(["workspaces[0].description", "workspaces[0].description", "workspaces[0].description"]);
    expect(problems[2].message).toBe("${env:OPENAI_KEY} may only fill a secret field (a key value, a credential, a webhook secret)");
    expect(seen).toEqual([]);
    expect(JSON.stringify(out)).not.toMatch(/canary/);
  });

  it("tells every section's secret fields from the rest", () => {
    expect(isSecretPath(["platforms", 0, "keys", 3, "value"])).toBe(true);
    expect(isSecretPath(["workspaces", 1, "keys", 0, "value"])).toBe(true);
    expect(isSecretPath(["workspaces", 1, "budget", "alertWebhookSecret"])).toBe(true);
    expect(isSecretPath(["credentials", 0, "value"])).toBe(true);
    expect(isSecretPath(["adminTokens", 0, "value"])).toBe(true);
    expect(isSecretPath(["platforms", 0, "notes"])).toBe(false);
    expect(isSecretPath(["platforms", 0, "baseUrl"])).toBe(false);
    expect(isSecretPath(["platforms", 0, "keys", 0, "description"])).toBe(false);
    expect(isSecretPath(["workspaces", 0, "budget", "alertWebhookUrl"])).toBe(false);
    expect(isSecretPath(["models", 0, "description"])).toBe(false);
    expect(isSecretPath(["credentials", "x", "value"])).toBe(false);
  });

  it("never reads Switchboard's own settings, even into a secret field", () => {
    const { problems } = run({
      platforms: [
        {
          name: "p",
          keys: [{ value: "${env:SWITCHBOARD_ENCRYPTION_KEYS}" }, { value: "${env:NEXTAUTH_SECRET}" }, { value: "${env:DATABASE_URL}" }],
        },
      ],
    });
    expect(problems).toEqual([
      {
        path: "platforms[0].keys[0].value",
        message: "SWITCHBOARD_ENCRYPTION_KEYS is one of Switchboard's own settings and cannot be read by a configuration",
      },
      { path: "platforms[0].keys[1].value", message: expect.stringMatching(/^NEXTAUTH_SECRET is one of Switchboard's own settings/) },
      { path: "platforms[0].keys[2].value", message: expect.stringMatching(/^DATABASE_URL is one of Switchboard's own settings/) },
    ]);
    expect(seen).toEqual([]);
  });

  it("lets a start-up file read any other variable, and an API document only allowed ones", () => {
    const doc = { credentials: [{ name: "c", value: "${env:OPENAI_KEY}" }] };
    expect(run(doc)).toEqual({ out: { credentials: [{ name: "c", value: server.OPENAI_KEY }] }, problems: [] });
    const refused = run(doc, envAllowList(""));
    expect(refused.problems).toEqual([{ path: "credentials[0].value", message: expect.stringContaining("SWITCHBOARD_CONFIG_ENV_ALLOW") }]);
    expect(seen).toEqual([]);
    expect(run(doc, envAllowList(" ANTHROPIC_KEY , OPENAI_* ")).problems).toEqual([]);
    // Allowing a reserved name does not make it readable.
    expect(
      run({ credentials: [{ name: "c", value: "${env:SWITCHBOARD_ADMIN_TOKEN}" }] }, envAllowList("SWITCHBOARD_*")).problems[0].message,
    ).toMatch(/own settings/);
  });

  it("reserves every variable lib/env.ts reads, and the SWITCHBOARD_ and NEXTAUTH_ families", () => {
    for (const name of ENV_NAMES) expect(isReservedEnvName(name), name).toBe(true);
    expect(isReservedEnvName("SWITCHBOARD_CONFIG_ENV_ALLOW")).toBe(true);
    expect(isReservedEnvName("SWITCHBOARD_FUTURE_SETTING")).toBe(true);
    expect(isReservedEnvName("NEXTAUTH_ANYTHING")).toBe(true);
    expect(isReservedEnvName("OPENAI_API_KEY")).toBe(false);
  });

  it("keeps the placeholders exports write readable, so an export applies again", () => {
    const written = [
      envNameFor("ci deploy"),
      secretEnvName("Research", "slack token"),
      secretEnvName(null, "openai primary"),
      keyEnvName("Research", "bot"),
      budgetSecretEnvName("Research"),
    ];
    for (const name of written) {
      expect(isReservedEnvName(name), name).toBe(false);
      expect(
        EXPORT_ENV_PREFIXES.some((p) => name.startsWith(p)),
        name,
      ).toBe(true);
    }
  });
});
