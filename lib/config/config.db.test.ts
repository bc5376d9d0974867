import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { applyConfig } from "./apply-config";
import { parseConfigText } from "./parse";
import { watchEventLoop } from "../testing/event-loop";
import { configToYaml, exportConfig } from "./export-config";
import { envNameFor } from "./sections/admin-tokens";
import { actorFromAdminToken, type Actor } from "../auth/actor";
import { createAdminToken } from "../tokens/admin-tokens";
import { suffix, userInWorkspace } from "../testing/factories";
import { db, rowCounts, tablesContaining, useTestDb } from "../testing/db";
import { expectAppError } from "../testing/errors";

useTestDb();
const actor: Actor = { type: "config", source: "switchboard.yaml" };
const secret = () => `cfg_${crypto.randomBytes(24).toString("base64url")}`;
const envOf = (vars: Record<string, string>) => (n: string) => vars[n];

describe("applyConfig", () => {
  it("creates workspaces and config tokens, then reports everything unchanged and writes nothing on a re-apply", async () => {
    const s = suffix();
    const value = secret();
    const doc = {
      workspaces: [{ name: `Cfg ${s} a`, description: "from file" }, { name: `Cfg ${s} b` }],
      adminTokens: [{ name: `deploy-${s}`, value: "${env:DEPLOY_TOKEN}" }],
    };
    const lookupEnv = envOf({ DEPLOY_TOKEN: value });
    const first = await applyConfig({ actor, doc, lookupEnv });
    expect(first.summary).toEqual({ create: 3, update: 0, unchanged: 0 });
    expect(first.changes.map((c) => [c.section, c.action])).toEqual([
      ["workspaces", "create"],
      ["workspaces", "create"],
      ["adminTokens", "create"],
    ]);
    expect(await db.workspace.findFirstOrThrow({ where: { name: `Cfg ${s} a` } })).toMatchObject({ description: "from file" });
    await expect(actorFromAdminToken(value)).resolves.toMatchObject({ type: "token", name: `deploy-${s}` });
    expect(await db.adminToken.findFirstOrThrow({ where: { name: `deploy-${s}` } })).toMatchObject({ source: "config", createdById: null });
    expect(await db.auditEntry.count({ where: { action: "config.apply", actorType: "config", targetLabel: "3 changes" } })).toBeGreaterThan(
      0,
    );

    const before = await rowCounts();
    const second = await applyConfig({ actor, doc, lookupEnv });
    expect(second.summary).toEqual({ create: 0, update: 0, unchanged: 3 });
    expect(second.changes.every((c) => c.action === "unchanged")).toBe(true);
    expect(await rowCounts()).toEqual(before);
  });

  it("updates a description only when the file gives one", async () => {
    const name = `Desc ${suffix()}`;
    await applyConfig({ actor, doc: { workspaces: [{ name, description: "one" }] } });
    const upd = await applyConfig({ actor, doc: { workspaces: [{ name: name.toUpperCase(), description: "two" }] } });
    expect(upd.changes).toEqual([{ section: "workspaces", name: name.toUpperCase(), action: "update", fields: ["description"] }]);
    const ws = await db.workspace.findFirstOrThrow({ where: { name } });
    expect(ws.description).toBe("two");
    expect(await db.auditEntry.findFirst({ where: { targetId: ws.id, action: "workspace.update" } })).toMatchObject({
      changes: { description: { from: "one", to: "two" } },
    });
    const omitted = await applyConfig({ actor, doc: { workspaces: [{ name }] } });
    expect(omitted.summary.unchanged).toBe(1);
    expect((await db.workspace.findUniqueOrThrow({ where: { id: ws.id } })).description).toBe("two");
  });

  it("applies nothing at all when one item is invalid", async () => {
    const s = suffix();
    const before = await rowCounts();
    const e = await expectAppError(
      applyConfig({
        actor,
        doc: {
          workspaces: [{ name: `Good ${s} 1` }, { name: "!!" }, { name: `Good ${s} 2` }],
          adminTokens: [{ name: `t-${s}`, value: secret() }],
        },
      }),
      "validation_failed",
    );
    expect(e.fields).toEqual([{ path: "workspaces[1].name", message: expect.any(String) }]);
    expect(await rowCounts()).toEqual(before);
  });

  it("rolls back everything when a write fails midway", async () => {
    const s = suffix();
    const console_ = await createAdminToken({ actor: { type: "token", id: null, name: "t" }, input: { name: `console-${s}` } });
    const before = await rowCounts();
    // The token's value is already in use, found only after the workspace was written in the same transaction.
    await expectAppError(
      applyConfig({
        actor,
        doc: { workspaces: [{ name: `Rollback ${s}` }], adminTokens: [{ name: `reuse-${s}`, value: console_.token }] },
      }),
      "conflict",
    );
    expect(await rowCounts()).toEqual(before);
    expect(await db.workspace.count({ where: { name: `Rollback ${s}` } })).toBe(0);
  });

  it("refuses a token value already used by another token with a conflict naming the item, not a 500", async () => {
    const s = suffix();
    const existing = await createAdminToken({ actor: { type: "token", id: null, name: "t" }, input: { name: `taken-${s}` } });
    const before = await rowCounts();
    for (const dryRun of [true, false]) {
      const e = await expectAppError(
        applyConfig({
          actor,
          dryRun,
          doc: { workspaces: [{ name: `Clash ${s}` }], adminTokens: [{ name: `reuse-${s}`, value: existing.token }] },
        }),
        "conflict",
      );
      expect(e.fields).toEqual([{ path: "adminTokens[0].value", message: expect.stringMatching(/already used/) }]);
      expect(JSON.stringify(e) + e.message).not.toContain(existing.token);
    }
    // Two tokens in one file with the same value.
    const shared = secret();
    const e = await expectAppError(
      applyConfig({
        actor,
        doc: {
          adminTokens: [
            { name: `one-${s}`, value: shared },
            { name: `two-${s}`, value: shared },
          ],
        },
      }),
      "conflict",
    );
    expect(e.fields?.[0].path).toBe("adminTokens[1].value");
    expect(await rowCounts()).toEqual(before);
  });

  it("matches config tokens by name case-insensitively, like duplicate detection does", async () => {
    const name = `Case-${suffix()}`;
    const [a, b] = [secret(), secret()];
    await applyConfig({ actor, doc: { adminTokens: [{ name, value: a }] } });
    const out = await applyConfig({ actor, doc: { adminTokens: [{ name: name.toLowerCase(), value: b }] } });
    expect(out.summary).toEqual({ create: 0, update: 1, unchanged: 0 });
    expect(await db.adminToken.count({ where: { source: "config", name: { equals: name, mode: "insensitive" }, revokedAt: null } })).toBe(
      1,
    );
    await expectAppError(actorFromAdminToken(a), "unauthenticated");
    await expect(actorFromAdminToken(b)).resolves.toMatchObject({ type: "token" });
  });

  it("dryRun reports the changes and writes nothing", async () => {
    const s = suffix();
    const before = await rowCounts();
    const out = await applyConfig({
      actor,
      dryRun: true,
      doc: { workspaces: [{ name: `Dry ${s}` }], adminTokens: [{ name: `dry-${s}`, value: secret() }] },
    });
    expect(out).toMatchObject({ dryRun: true, summary: { create: 2, update: 0, unchanged: 0 } });
    expect(await rowCounts()).toEqual(before);
  });

  it("rotates a config token when its value changes, without recording either value", async () => {
    const name = `rotate-${suffix()}`;
    const [oldValue, newValue] = [secret(), secret()];
    const doc = { adminTokens: [{ name, value: "${env:ROTATE_ME}" }] };
    await applyConfig({ actor, doc, lookupEnv: envOf({ ROTATE_ME: oldValue }) });
    const created = await actorFromAdminToken(oldValue);
    const out = await applyConfig({ actor, doc, lookupEnv: envOf({ ROTATE_ME: newValue }) });
    expect(out.changes).toEqual([{ section: "adminTokens", name, action: "update", fields: ["value"] }]);
    await expectAppError(actorFromAdminToken(oldValue), "unauthenticated");
    await expect(actorFromAdminToken(newValue)).resolves.toMatchObject({ type: "token", id: (created as { id: string }).id, name });
    expect(await db.auditEntry.findFirst({ where: { action: "token.rotate", targetLabel: name } })).toMatchObject({
      changes: { value: { from: "[redacted]", to: "[redacted]" } },
    });
    expect(await tablesContaining(oldValue)).toEqual({});
    expect(await tablesContaining(newValue)).toEqual({});
  });

  it("a document sent through the API cannot read the server's settings back, and reads only allowed variables", async () => {
    const tokenActor: Actor = { type: "token", id: null, name: "automation" };
    const server = {
      SWITCHBOARD_ADMIN_TOKEN: secret(),
      NEXTAUTH_SECRET: secret(),
      SWITCHBOARD_ENCRYPTION_KEYS: `k1:${secret()}`,
      TEAM_TOKEN: secret(),
    };
    const name = `Leak ${suffix()}`;
    const before = await rowCounts();
    const e = await expectAppError(
      applyConfig({
        actor: tokenActor,
        lookupEnv: envOf(server),
        doc: {
          workspaces: [{ name, description: "${env:SWITCHBOARD_ADMIN_TOKEN} ${env:NEXTAUTH_SECRET} ${env:SWITCHBOARD_ENCRYPTION_KEYS}" }],
          adminTokens: [
            { name: `leak-${suffix()}`, value: "${env:SWITCHBOARD_ENCRYPTION_KEYS}" },
            { name: `team-${suffix()}`, value: "${env:TEAM_TOKEN}" },
          ],
        },
      }),
      "validation_failed",
    );
    expect(e.fields?.map((f) => f.path)).toEqual([
      "workspaces[0].description",
      "workspaces[0].description",
      "workspaces[0].description",
      "adminTokens[0].value",
      "adminTokens[1].value",
    ]);
    expect(e.fields?.[4].message).toMatch(/SWITCHBOARD_CONFIG_ENV_ALLOW/);
    for (const v of Object.values(server)) expect(JSON.stringify(e) + e.message).not.toContain(v);
    expect(await rowCounts()).toEqual(before);

    // Allowed by the operator, the same variable fills a secret field.
    const team = `team-${suffix()}`;
    const ok = await applyConfig({
      actor: tokenActor,
      lookupEnv: envOf(server),
      envAllowed: (n) => n === "TEAM_TOKEN",
      doc: { adminTokens: [{ name: team, value: "${env:TEAM_TOKEN}" }] },
    });
    expect(ok.summary.create).toBe(1);
    await expect(actorFromAdminToken(server.TEAM_TOKEN)).resolves.toMatchObject({ type: "token", name: team });
  });

  it("a 570 KB list sent for a dry run is answered while the event loop keeps turning (stall under 250 ms)", async () => {
    const tokenActor: Actor = { type: "token", id: null, name: "automation" };
    const list = "workspaces:\n" + Array.from({ length: 48_000 }, (_, i) => `  - ws-${i}`).join("\n");
    // And a valid file that reaches the database's dry run: 300 workspaces with keys.
    const valid =
      "workspaces:\n" +
      Array.from(
        { length: 300 },
        (_, i) =>
          `  - name: Stall ${suffix()} ${i}\n    description: d${i}\n    keys:\n      - { name: bot, value: sbk_${"x".repeat(40)}${i} }`,
      ).join("\n");
    // Measured warm, as on a running server: the parser thread started and Prisma's query compiler loaded.
    await parseConfigText("workspaces: []");
    await applyConfig({ actor: tokenActor, dryRun: true, doc: { workspaces: [{ name: `Warm ${suffix()}` }] } });
    const started = performance.now();
    const refused = await watchEventLoop(() =>
      expectAppError(async () => applyConfig({ actor: tokenActor, dryRun: true, doc: await parseConfigText(list) }), "validation_failed"),
    );
    const refusedMs = performance.now() - started;
    expect(refused.result.message).toBe("The configuration has more than 100 problems (the first 100 are listed); nothing was applied");
    expect(refused.result.fields).toHaveLength(100);
    expect(refused.result.fields?.[0]).toEqual({ path: "workspaces[0]", message: expect.any(String) });
    const planned = await watchEventLoop(async () => applyConfig({ actor: tokenActor, dryRun: true, doc: await parseConfigText(valid) }));
    expect(planned.result.summary.create).toBe(600);
    console.info(
      `570 KB list refused in ${refusedMs.toFixed(0)} ms, event loop held at most ${refused.busyMs.toFixed(0)} ms (longest gap ${refused.wallMs.toFixed(0)} ms); ` +
        `300-workspace dry run held it at most ${planned.busyMs.toFixed(0)} ms (longest gap ${planned.wallMs.toFixed(0)} ms)`,
    );
    expect(refused.busyMs).toBeLessThan(250);
    expect(planned.busyMs).toBeLessThan(250);
  }, 120_000);

  it("takes a model's context window, output limit and prices from the catalog entry of its name when the file leaves them out", async () => {
    // Catalog entries no other test creates; removed first so a rerun on a shared database starts clean.
    await db.model.deleteMany({ where: { name: { in: ["o4-mini", "gpt-4.1-nano"] } } });
    const doc = {
      models: [
        { name: "o4-mini" },
        { name: "gpt-4.1-nano", maxOutputTokens: 8000, pricing: { inputPerMillion: 0.09, outputPerMillion: 0.35 } },
      ],
    };
    const dry = await applyConfig({ actor, doc, dryRun: true });
    expect(dry.changes).toEqual([
      {
        section: "models",
        name: "o4-mini",
        action: "create",
        note: "contextWindow, maxOutputTokens and pricing from the catalog entry o4-mini",
      },
      { section: "models", name: "gpt-4.1-nano", action: "create", note: "contextWindow from the catalog entry gpt-4.1-nano" },
    ]);
    await applyConfig({ actor, doc });
    const mini = await db.model.findFirstOrThrow({ where: { name: "o4-mini" }, include: { prices: true } });
    expect(mini).toMatchObject({ contextWindow: 200_000, maxOutputTokens: 100_000 });
    expect(
      mini.prices.map((p) => [p.inputPerMillion.toFixed(2), p.outputPerMillion.toFixed(2), p.cachedInputPerMillion?.toFixed(3)]),
    ).toEqual([["1.10", "4.40", "0.275"]]);
    const nano = await db.model.findFirstOrThrow({ where: { name: "gpt-4.1-nano" }, include: { prices: true } });
    expect(nano).toMatchObject({ contextWindow: 1_047_576, maxOutputTokens: 8000 });
    expect(nano.prices.map((p) => p.inputPerMillion.toFixed(2))).toEqual(["0.09"]);

    // Applied again, the models exist: nothing is taken from the catalog and nothing changes.
    const again = await applyConfig({ actor, doc });
    expect(again.changes.map((c) => [c.name, c.action, c.note])).toEqual([
      ["o4-mini", "unchanged", undefined],
      ["gpt-4.1-nano", "unchanged", undefined],
    ]);

    // A name the catalog does not know still needs both, said precisely.
    const name = `house-model-${suffix()}`;
    const e = await expectAppError(applyConfig({ actor, doc: { models: [{ name }] }, dryRun: true }), "validation_failed");
    expect(e.fields).toEqual([
      { path: "models[0].contextWindow", message: `Required: the bundled catalog has no model named "${name}" to take it from` },
      { path: "models[0].maxOutputTokens", message: `Required: the bundled catalog has no model named "${name}" to take it from` },
    ]);
  });

  it("is for instance admins only", async () => {
    const { actor: wsAdmin } = await userInWorkspace("ADMIN");
    const name = `Forbidden ${suffix()}`;
    await expectAppError(applyConfig({ actor: wsAdmin, doc: { workspaces: [{ name }] } }), "forbidden");
    await expectAppError(exportConfig({ actor: wsAdmin }), "forbidden");
    expect(await db.workspace.count({ where: { name } })).toBe(0);
  });
});

describe("exportConfig", () => {
  it("writes tokens as ${env:...} refs and never a token value; the export applies back unchanged", async () => {
    const s = suffix();
    const value = secret();
    const name = `export-${s}`;
    await applyConfig({
      actor,
      doc: { workspaces: [{ name: `Export ${s}`, description: "d" }], adminTokens: [{ name, value }] },
    });
    const { token: consoleToken } = await createAdminToken({
      actor: { type: "token", id: null, name: "t" },
      input: { name: `console-${s}` },
    });
    const exported = await exportConfig({ actor });
    const yaml = configToYaml(exported);
    expect(yaml).not.toContain(value);
    expect(yaml).not.toContain(consoleToken);
    const doc = parse(yaml) as { workspaces: { name: string }[]; adminTokens: { name: string; value: string }[] };
    expect(doc.workspaces).toContainEqual({ name: `Export ${s}`, description: "d" });
    const entry = doc.adminTokens.find((t) => t.name === name);
    expect(entry).toEqual({ name, value: `\${env:${envNameFor(name)}}` });
    expect(envNameFor(name)).toBe(`SWITCHBOARD_TOKEN_EXPORT_${s.toUpperCase()}`);
    // Console tokens are not part of the configuration.
    expect(doc.adminTokens.some((t) => t.name === `console-${s}`)).toBe(false);

    // Applying the export with the variables set changes nothing.
    const vars: Record<string, string> = {};
    for (const t of doc.adminTokens) vars[envNameFor(t.name)] = t.name === name ? value : "unused";
    const ourDoc = { workspaces: doc.workspaces.filter((w) => w.name === `Export ${s}`), adminTokens: [entry] };
    const again = await applyConfig({ actor, doc: ourDoc, lookupEnv: envOf(vars) });
    expect(again.summary).toEqual({ create: 0, update: 0, unchanged: 2 });
  });
});
