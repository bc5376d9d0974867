import { describe, expect, it } from "vitest";
import { db, useTestDb } from "../testing/db";
import { expectAppError } from "../testing/errors";
import { suffix, tokenActor, userInWorkspace } from "../testing/factories";
import type { Actor } from "../auth/actor";
import { createModel } from "./create-model";
import { updateModel, setModelStatus } from "./update-model";
import { deleteModel } from "./delete-model";
import { getModel } from "./get-model";
import { listModels } from "./list-models";
import { addPrice } from "./add-price";
import { priceAt } from "./price-at";
import { setRoutes } from "./set-routes";
import { listRouteTargets } from "./list-route-targets";
import { listCatalogModels } from "./list-catalog";
import { applyConfig } from "../config/apply-config";
import { exportConfig } from "../config/export-config";
import { modelQuerySchema } from "../schemas/models";

useTestDb();

const actor = tokenActor;
const q = (over: Record<string, unknown> = {}) => modelQuerySchema.parse({ limit: 50, ...over });
const newModel = (over: Record<string, unknown> = {}) =>
  createModel({
    actor,
    input: {
      name: `m-${suffix()}`,
      contextWindow: 128_000,
      maxOutputTokens: 4_096,
      pricing: { inputPerMillion: "10", outputPerMillion: "30", cachedInputPerMillion: "5" },
      ...over,
    } as never,
  });
const platform = (over: { status?: string; name?: string } = {}) =>
  db.platform.create({
    data: {
      name: over.name ?? `Platform ${suffix()}`,
      vendor: "openai",
      baseUrl: "https://api.openai.com/v1",
      status: over.status ?? "active",
    },
  });
const deployment = () => db.deployment.create({ data: { name: `cluster-${suffix()}`, engine: "vllm", internal: true } });

describe("models", () => {
  it("creates a model with its first price and an audit entry; names are unique case-insensitively", async () => {
    const m = await newModel({ provider: "OpenAI", features: ["streaming", "function-calling"], modalities: ["text", "image"] });
    expect(m.currentPrice).toMatchObject({
      inputPerMillion: "10.000000",
      outputPerMillion: "30.000000",
      cachedInputPerMillion: "5.000000",
    });
    expect(m.prices).toHaveLength(1);
    expect(await db.auditEntry.count({ where: { targetId: m.id, action: "model.create" } })).toBe(1);
    const err = await expectAppError(newModel({ name: m.name.toUpperCase() }), "conflict");
    expect(err.fields).toEqual([{ path: "name", message: "A model with this name already exists" }]);
  });

  it("updates fields, refuses defaults above the stored maxima, and enables/disables with audit entries", async () => {
    const m = await newModel();
    const err = await expectAppError(updateModel({ actor, modelId: m.id, input: { defaultContext: 200_000 } }), "validation_failed");
    expect(err.fields?.[0].path).toBe("defaultContext");
    const up = await updateModel({ actor, modelId: m.id, input: { defaultContext: 32_000, provider: "OpenAI" } });
    expect(up).toMatchObject({ defaultContext: 32_000, provider: "OpenAI" });
    await setModelStatus({ actor, modelId: m.id, status: "inactive" });
    await setModelStatus({ actor, modelId: m.id, status: "active" });
    const actions = (await db.auditEntry.findMany({ where: { targetId: m.id }, orderBy: { at: "asc" } })).map((a) => a.action);
    expect(actions).toEqual(["model.create", "model.update", "model.disable", "model.enable"]);
    // A no-op update writes nothing.
    await updateModel({ actor, modelId: m.id, input: { provider: "OpenAI" } });
    expect(await db.auditEntry.count({ where: { targetId: m.id } })).toBe(4);
  });

  it("keeps the old price when the price changes, bills with the price in force, and refuses a duplicate date", async () => {
    const t0 = new Date("2025-01-01T00:00:00Z");
    const m = await createModel({
      actor,
      input: {
        name: `p-${suffix()}`,
        contextWindow: 1000,
        maxOutputTokens: 100,
        pricing: { inputPerMillion: "10", outputPerMillion: "30" },
        effectiveFrom: t0,
      },
    });
    const t1 = new Date("2025-03-01T00:00:00Z");
    await addPrice({ actor, modelId: m.id, input: { inputPerMillion: "8.5", outputPerMillion: "24", effectiveFrom: t1 } });
    const detail = await getModel({ actor, modelId: m.id });
    expect(detail.prices.map((p) => [p.effectiveFrom, p.inputPerMillion])).toEqual([
      [t1.toISOString(), "8.500000"],
      [t0.toISOString(), "10.000000"],
    ]);
    expect(detail.currentPrice?.inputPerMillion).toBe("8.500000");
    expect((await priceAt(m.id, new Date("2025-02-15T00:00:00Z")))?.inputPerMillion.toFixed(6)).toBe("10.000000");
    expect((await priceAt(m.id, t1))?.inputPerMillion.toFixed(6)).toBe("8.500000");
    expect(await priceAt(m.id, new Date("2024-12-31T00:00:00Z"))).toBeNull();
    const err = await expectAppError(
      addPrice({ actor, modelId: m.id, input: { inputPerMillion: "1", outputPerMillion: "1", effectiveFrom: t1 } }),
      "conflict",
    );
    expect(err.fields?.[0].path).toBe("effectiveFrom");
    expect(await db.auditEntry.count({ where: { targetId: m.id, action: "model.price.add" } })).toBe(1);
  });

  it("lists with search, provider/status/feature filters, price sorting and cursor paging", async () => {
    const tag = suffix();
    const mk = (n: string, input: string, provider: string, features: string[], status = "active") =>
      createModel({
        actor,
        input: {
          name: `${tag}-${n}`,
          provider,
          status,
          features,
          contextWindow: 1000,
          maxOutputTokens: 100,
          pricing: { inputPerMillion: input, outputPerMillion: "1" },
        } as never,
      });
    await mk("a", "3", `Prov-${tag}`, ["reasoning"]);
    await mk("b", "0.15", `Prov-${tag}`, ["streaming"]);
    await mk("c", "12", `Other-${tag}`, ["reasoning", "streaming"], "inactive");
    await createModel({ actor, input: { name: `${tag}-d-unpriced`, contextWindow: 1000, maxOutputTokens: 100 } });
    const names = async (over: Record<string, unknown>) =>
      (await listModels({ actor, query: q({ q: tag, ...over }) })).data.map((m) => m.name.replace(`${tag}-`, ""));
    expect(await names({})).toEqual(["a", "b", "c", "d-unpriced"]);
    expect(await names({ sort: "input-asc" })).toEqual(["b", "a", "c", "d-unpriced"]);
    expect(await names({ sort: "input-desc" })).toEqual(["c", "a", "b", "d-unpriced"]);
    expect(await names({ feature: "reasoning" })).toEqual(["a", "c"]);
    expect(await names({ status: "inactive" })).toEqual(["c"]);
    expect(await names({ provider: `prov-${tag}` })).toEqual(["a", "b"]);
    expect((await listModels({ actor, query: q({ q: `other-${tag}` }) })).data.map((m) => m.name)).toEqual([`${tag}-c`]);
    const first = await listModels({ actor, query: q({ q: tag, sort: "input-asc", limit: 2 }) });
    expect(first.data.map((m) => m.name)).toEqual([`${tag}-b`, `${tag}-a`]);
    const second = await listModels({ actor, query: q({ q: tag, sort: "input-asc", limit: 2, cursor: first.nextCursor }) });
    expect(second.data.map((m) => m.name)).toEqual([`${tag}-c`, `${tag}-d-unpriced`]);
    expect(second.nextCursor).toBeNull();
  });

  it("Builders read models and the catalog but change nothing; Members of no such role are refused", async () => {
    const { actor: builder } = await userInWorkspace("BUILDER");
    const { actor: member } = await userInWorkspace("MEMBER");
    const m = await newModel();
    await expect(getModel({ actor: builder, modelId: m.id })).resolves.toMatchObject({ id: m.id });
    await expectAppError(updateModel({ actor: builder, modelId: m.id, input: { provider: "x" } }), "forbidden");
    await expectAppError(addPrice({ actor: builder, modelId: m.id, input: { inputPerMillion: "1", outputPerMillion: "1" } }), "forbidden");
    await expectAppError(deleteModel({ actor: builder, modelId: m.id, force: true }), "forbidden");
    await expectAppError(listModels({ actor: member, query: q() }), "forbidden");
    expect((await listCatalogModels({ actor: member, query: { q: "claude" } })).data.length).toBeGreaterThan(3);
    const stranger: Actor = { type: "user", id: "nobody", email: "n@example.test", name: "N", isInstanceAdmin: false };
    await expectAppError(listCatalogModels({ actor: stranger, query: {} }), "forbidden");
  });
});

describe("routes", () => {
  it("replaces the failover chain in one transaction and lists it in order with target names", async () => {
    const [openai, azure, cluster] = [
      await platform({ name: `OpenAI ${suffix()}` }),
      await platform({ name: `Azure ${suffix()}` }),
      await deployment(),
    ];
    const m = await newModel();
    const chain = await setRoutes({
      actor,
      modelId: m.id,
      input: {
        routes: [
          { deploymentId: cluster.id, upstreamModel: "deepseek-v3", priority: 3, weight: 1, enabled: true },
          { platformId: openai.id, upstreamModel: "", priority: 1, weight: 1, enabled: true },
          { platformId: azure.id, upstreamModel: "gpt-4-turbo", priority: 2, weight: 1, enabled: true },
        ],
      },
    });
    expect(chain.map((r) => [r.position, r.targetName, r.effectiveUpstreamModel])).toEqual([
      [1, openai.name, m.name],
      [2, azure.name, "gpt-4-turbo"],
      [3, cluster.name, "deepseek-v3"],
    ]);
    const targets = await listRouteTargets({ actor });
    expect(
      targets.data
        .filter((t) => [openai.id, cluster.id].includes(t.id))
        .map((t) => t.type)
        .sort(),
    ).toEqual(["deployment", "platform"]);

    // One bad route: nothing changes, and the error names the route.
    const disabled = await platform({ status: "disabled" });
    const err = await expectAppError(
      setRoutes({
        actor,
        modelId: m.id,
        input: {
          routes: [
            { platformId: openai.id, upstreamModel: "", priority: 1, weight: 1, enabled: true },
            { platformId: disabled.id, upstreamModel: "", priority: 2, weight: 1, enabled: true },
            { platformId: "missing", upstreamModel: "", priority: 3, weight: 1, enabled: true },
          ],
        },
      }),
      "validation_failed",
    );
    expect(err.fields).toEqual([
      { path: "routes[1].platformId", message: `Platform "${disabled.name}" is disabled` },
      { path: "routes[2].platformId", message: "No such platform" },
    ]);
    expect((await getModel({ actor, modelId: m.id })).routes).toHaveLength(3);
    expect(await db.auditEntry.count({ where: { targetId: m.id, action: "model.routes.set" } })).toBe(1);
  });

  it("deleting a model with routes is refused with the dependents listed, and done with force", async () => {
    const p = await platform();
    const m = await newModel({ routes: [{ platformId: p.id, priority: 1, weight: 1, enabled: true, upstreamModel: "" }] });
    const detail = await getModel({ actor, modelId: m.id });
    expect(detail.dependents).toEqual([
      expect.objectContaining({ kind: "route", label: `route 1: ${p.name} · ${m.name}`, removedWithModel: true }),
    ]);
    const err = await expectAppError(deleteModel({ actor, modelId: m.id }), "conflict");
    expect(err.fields).toEqual([{ path: "dependents.route", message: `route 1: ${p.name} · ${m.name}` }]);
    await deleteModel({ actor, modelId: m.id, force: true });
    expect(await db.model.findUnique({ where: { id: m.id } })).toBeNull();
    expect(await db.modelRoute.count({ where: { modelId: m.id } })).toBe(0);
    expect(await db.modelPrice.count({ where: { modelId: m.id } })).toBe(0);
    const audit = await db.auditEntry.findFirstOrThrow({ where: { targetId: m.id, action: "model.delete" } });
    expect(JSON.stringify(audit.changes)).toContain(p.name);
    // A model without dependents goes without force.
    const lone = await newModel();
    await deleteModel({ actor, modelId: lone.id });
  });
});

describe("models config section", () => {
  const cfg: Actor = { type: "config", source: "switchboard.yaml" };

  it("creates, re-applies as unchanged, adds a price row on a price change, and exports what re-applies cleanly", async () => {
    const p = await platform({ name: `OpenAI US-West ${suffix()}` });
    const d = await deployment();
    const name = `gpt-4-turbo-${suffix()}`;
    const model = {
      name,
      pricing: { inputPerMillion: 10, outputPerMillion: 30, cachedInputPerMillion: 5 },
      contextWindow: 128000,
      maxOutputTokens: 4096,
      features: ["streaming", "function-calling", "structured-output"],
      modalities: ["text", "image"],
      routes: [
        { deployment: d.name, priority: 3, upstreamModel: "deepseek-v3" },
        { platform: p.name, priority: 1 },
      ],
    };
    const first = await applyConfig({ actor: cfg, doc: { models: [model] } });
    expect(first.changes).toEqual([{ section: "models", name, action: "create" }]);
    const row = await db.model.findFirstOrThrow({ where: { name }, include: { routes: true, prices: true } });
    expect(row.source).toBe("config");
    expect(row.routes).toHaveLength(2);

    const auditBefore = await db.auditEntry.count();
    const again = await applyConfig({ actor: cfg, doc: { models: [model] } });
    expect(again.changes).toEqual([{ section: "models", name, action: "unchanged" }]);
    expect(await db.auditEntry.count()).toBe(auditBefore);

    const changed = await applyConfig({
      actor: cfg,
      doc: { models: [{ ...model, pricing: { inputPerMillion: 8, outputPerMillion: 30, cachedInputPerMillion: 5 } }] },
    });
    expect(changed.changes).toEqual([{ section: "models", name, action: "update", fields: ["pricing"] }]);
    const prices = await db.modelPrice.findMany({ where: { modelId: row.id }, orderBy: { effectiveFrom: "asc" } });
    expect(prices.map((x) => x.inputPerMillion.toFixed(2))).toEqual(["10.00", "8.00"]);

    const exported = (await exportConfig({ actor: cfg })) as { models?: Record<string, unknown>[] };
    const mine = exported.models?.find((m) => m.name === name);
    expect(mine).toMatchObject({
      pricing: { inputPerMillion: 8, outputPerMillion: 30, cachedInputPerMillion: 5 },
      routes: [
        { platform: p.name, priority: 1 },
        { deployment: d.name, priority: 3, upstreamModel: "deepseek-v3" },
      ],
    });
    const reapplied = await applyConfig({ actor: cfg, doc: { models: [mine] } });
    expect(reapplied.summary).toEqual({ create: 0, update: 0, unchanged: 1 });
  });

  it("refuses a route to an unknown platform by its path, and writes nothing", async () => {
    const p = await platform();
    const name = `bad-${suffix()}`;
    const err = await expectAppError(
      applyConfig({
        actor: cfg,
        doc: {
          models: [
            { name: `ok-${suffix()}`, contextWindow: 1000, maxOutputTokens: 10 },
            {
              name,
              contextWindow: 1000,
              maxOutputTokens: 10,
              routes: [
                { platform: p.name, priority: 1 },
                { platform: "Nope Cloud", priority: 2 },
              ],
            },
          ],
        },
      }),
      "validation_failed",
    );
    expect(err.fields).toEqual([{ path: "models[1].routes[1].platform", message: 'No platform named "Nope Cloud"' }]);
    expect(await db.model.count({ where: { name } })).toBe(0);
  });
});
