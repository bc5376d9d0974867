import { z, textSchema } from "../../schemas/zod";
import { modelFields, pricingSchema, routeTimeoutsSchema, tokenLimitProblems, type RouteInput } from "../../schemas/models";
import { AppError, type FieldProblem } from "../../errors";
import type { Tx } from "../../db/types";
import { createModelIn } from "../../models/create-model";
import { updateModelIn } from "../../models/update-model";
import { addPriceIn } from "../../models/add-price";
import { priceAt } from "../../models/price-at";
import { money, sameMoney } from "../../models/money";
import { replaceRoutesIn, routeTargetProblems } from "../../models/set-routes";
import { routeOrderBy } from "../../models/model-dto";
import { orderRoutes } from "../../models/route-order";
import { catalogFillable, withCatalogDefaults } from "../../models/catalog-defaults";
import type { ConfigChange, ConfigSection } from "../types";

const routeItem = z
  .strictObject({
    platform: textSchema({ max: 100 }).min(1).optional(),
    deployment: textSchema({ max: 100 }).min(1).optional(),
    priority: z.number().int("Must be a whole number").min(1, "Must be 1 or more").max(100, "Must be at most 100").default(1),
    weight: z.number().int("Must be a whole number").min(1, "Must be between 1 and 100").max(100, "Must be between 1 and 100").optional(),
    upstreamModel: textSchema({ max: 200 }).optional(),
    enabled: z.boolean().optional(),
    timeouts: routeTimeoutsSchema.optional(),
  })
  .superRefine((r, ctx) => {
    if (!!r.platform === !!r.deployment)
      ctx.addIssue({ code: "custom", path: ["platform"], message: "Give either platform or deployment (by name)" });
  });

// contextWindow and maxOutputTokens may be left to the bundled catalog when it knows the model's name.
const item = z
  .strictObject({
    ...modelFields,
    contextWindow: modelFields.contextWindow.optional(),
    maxOutputTokens: modelFields.maxOutputTokens.optional(),
    pricing: pricingSchema.optional(),
    routes: z.array(routeItem).max(20, "At most 20 routes").optional(),
  })
  .superRefine((v, ctx) => {
    const catalog = catalogFillable(v.name);
    for (const f of ["contextWindow", "maxOutputTokens"] as const) {
      if (v[f] === undefined && !catalog) {
        ctx.addIssue({
          code: "custom",
          path: [f],
          message: `Required: the bundled catalog has no model named "${v.name}" to take it from`,
        });
      }
    }
    const limits = {
      ...v,
      contextWindow: v.contextWindow ?? catalog?.contextWindow,
      maxOutputTokens: v.maxOutputTokens ?? catalog?.maxOutputTokens,
    };
    for (const p of tokenLimitProblems(limits)) ctx.addIssue({ code: "custom", path: [p.path], message: p.message });
  });
type Item = z.infer<typeof item>;

const MANAGED = [
  "provider",
  "status",
  "description",
  "features",
  "modalities",
  "contextWindow",
  "maxOutputTokens",
  "defaultContext",
  "defaultMaxOutput",
] as const;

/** Resolves route names to ids; problems carry the file's paths (models[0].routes[1].platform). */
async function resolveRoutes(tx: Tx, items: Item[], dryRun: boolean): Promise<(RouteInput[] | undefined)[]> {
  const problems: FieldProblem[] = [];
  const [platforms, deployments] = await Promise.all([
    tx.platform.findMany({ select: { id: true, name: true, status: true } }),
    tx.deployment.findMany({ select: { id: true, name: true } }),
  ]);
  const p = new Map(platforms.map((x) => [x.name.toLowerCase(), x]));
  const d = new Map(deployments.map((x) => [x.name.toLowerCase(), x]));
  const out = items.map((m, i) =>
    m.routes?.map((r, j): RouteInput => {
      const path = `models[${i}].routes[${j}]`;
      let platformId: string | null = null;
      let deploymentId: string | null = null;
      if (r.platform) {
        const hit = p.get(r.platform.toLowerCase());
        // In a dry run a platform declared earlier in the same file does not exist yet; that is not an error.
        if (!hit && !dryRun) problems.push({ path: `${path}.platform`, message: `No platform named "${r.platform}"` });
        else if (hit && hit.status !== "active") problems.push({ path: `${path}.platform`, message: `Platform "${hit.name}" is disabled` });
        platformId = hit?.id ?? null;
      } else if (r.deployment) {
        const hit = d.get(r.deployment.toLowerCase());
        if (!hit && !dryRun) problems.push({ path: `${path}.deployment`, message: `No deployment named "${r.deployment}"` });
        deploymentId = hit?.id ?? null;
      }
      return {
        platformId,
        deploymentId,
        upstreamModel: r.upstreamModel ?? "",
        priority: r.priority,
        weight: r.weight ?? 1,
        enabled: r.enabled ?? true,
        timeouts: r.timeouts ?? null,
      };
    }),
  );
  if (problems.length)
    throw new AppError("validation_failed", "The configuration refers to missing objects; nothing was applied", { fields: problems });
  return out;
}

type Ms = number | null | undefined;
const routeKey = (r: {
  platformId: string | null;
  deploymentId: string | null;
  upstreamModel: string;
  priority: number;
  weight: number;
  enabled: boolean;
  connectTimeoutMs?: Ms;
  firstTokenTimeoutMs?: Ms;
  totalTimeoutMs?: Ms;
  timeouts?: { connectMs?: Ms; firstTokenMs?: Ms; totalMs?: Ms } | null;
}) =>
  [
    r.platformId ?? "",
    r.deploymentId ?? "",
    r.upstreamModel,
    r.priority,
    r.weight,
    r.enabled,
    r.connectTimeoutMs ?? r.timeouts?.connectMs ?? "",
    r.firstTokenTimeoutMs ?? r.timeouts?.firstTokenMs ?? "",
    r.totalTimeoutMs ?? r.timeouts?.totalMs ?? "",
  ].join("|");

/** Models in a file are matched by name; a changed price adds a price row effective now (the old one is kept). */
export const modelsSection: ConfigSection<Item> = {
  key: "models",
  item,
  identity: (m) => m.name.toLowerCase(),
  async apply(items, { tx, actor, requestId, dryRun }) {
    const routes = await resolveRoutes(tx, items, dryRun);
    const changes: ConfigChange[] = [];
    for (const [i, m] of items.entries()) {
      const existing = await tx.model.findFirst({ where: { name: { equals: m.name, mode: "insensitive" } } });
      const wanted = routes[i];
      if (!existing) {
        // Only a model the file creates takes the catalog's figures; an existing one keeps what it has.
        const { input, note } = withCatalogDefaults(m);
        changes.push({ section: "models", name: m.name, action: "create", ...(note ? { note } : {}) });
        if (!dryRun) {
          const { routes: _names, ...rest } = input;
          await createModelIn(tx, {
            actor,
            input: { ...rest, routes: wanted },
            source: "config",
            requestId,
            routePath: `models[${i}].routes`,
          });
        }
        continue;
      }
      // Only what the file states is managed: an omitted field is left as it is.
      const fields: string[] = [];
      const patch: Record<string, unknown> = {};
      for (const f of MANAGED) {
        if (m[f] === undefined) continue;
        if (JSON.stringify(m[f] ?? null) !== JSON.stringify(existing[f] ?? null)) {
          fields.push(f);
          patch[f] = m[f];
        }
      }
      const now = new Date();
      const current = m.pricing ? await priceAt(existing.id, now, tx) : null;
      const priceChanged =
        !!m.pricing &&
        (!current ||
          !sameMoney(m.pricing.inputPerMillion, current.inputPerMillion) ||
          !sameMoney(m.pricing.outputPerMillion, current.outputPerMillion) ||
          !sameMoney(m.pricing.cachedInputPerMillion ?? null, money(current.cachedInputPerMillion)));
      if (priceChanged) fields.push("pricing");
      let routesChanged = false;
      if (wanted) {
        const have = await tx.modelRoute.findMany({ where: { modelId: existing.id }, orderBy: routeOrderBy });
        routesChanged =
          JSON.stringify(have.map(routeKey)) !==
          JSON.stringify(
            orderRoutes(wanted).map((r) => routeKey({ ...r, platformId: r.platformId ?? null, deploymentId: r.deploymentId ?? null })),
          );
        if (routesChanged) fields.push("routes");
      }
      if (!fields.length) {
        changes.push({ section: "models", name: m.name, action: "unchanged" });
        continue;
      }
      changes.push({ section: "models", name: m.name, action: "update", fields });
      if (dryRun) continue;
      if (Object.keys(patch).length) await updateModelIn(tx, { actor, modelId: existing.id, input: patch, requestId });
      if (priceChanged && m.pricing)
        await addPriceIn(tx, {
          actor,
          model: existing,
          input: { ...m.pricing, effectiveFrom: now, note: "configuration file" },
          requestId,
        });
      if (routesChanged && wanted) {
        const problems = await routeTargetProblems(tx, wanted, `models[${i}].routes`);
        if (problems.length)
          throw new AppError("validation_failed", "Some routes point to targets that cannot serve this model", { fields: problems });
        await replaceRoutesIn(tx, { actor, model: existing, routes: wanted, requestId });
      }
    }
    return changes;
  },
  async export(tx) {
    const now = new Date();
    const rows = await tx.model.findMany({
      orderBy: { name: "asc" },
      include: {
        prices: { where: { effectiveFrom: { lte: now } }, orderBy: { effectiveFrom: "desc" }, take: 1 },
        routes: { orderBy: routeOrderBy, include: { platform: { select: { name: true } }, deployment: { select: { name: true } } } },
      },
    });
    const num = (s: string) => Number(s);
    return rows.map((m) => {
      const price = m.prices[0];
      return {
        name: m.name,
        ...(m.provider ? { provider: m.provider } : {}),
        ...(m.status !== "active" ? { status: m.status } : {}),
        ...(m.description ? { description: m.description } : {}),
        ...(price
          ? {
              pricing: {
                inputPerMillion: num(money(price.inputPerMillion)),
                outputPerMillion: num(money(price.outputPerMillion)),
                ...(price.cachedInputPerMillion ? { cachedInputPerMillion: num(money(price.cachedInputPerMillion)) } : {}),
              },
            }
          : {}),
        ...(m.contextWindow ? { contextWindow: m.contextWindow } : {}),
        ...(m.maxOutputTokens ? { maxOutputTokens: m.maxOutputTokens } : {}),
        ...(m.defaultContext ? { defaultContext: m.defaultContext } : {}),
        ...(m.defaultMaxOutput ? { defaultMaxOutput: m.defaultMaxOutput } : {}),
        features: m.features,
        modalities: m.modalities,
        routes: m.routes.map((r) => ({
          ...(r.platform ? { platform: r.platform.name } : { deployment: r.deployment?.name }),
          priority: r.priority,
          ...(r.weight !== 1 ? { weight: r.weight } : {}),
          ...(r.upstreamModel ? { upstreamModel: r.upstreamModel } : {}),
          ...(r.enabled ? {} : { enabled: false }),
          ...(r.connectTimeoutMs !== null || r.firstTokenTimeoutMs !== null || r.totalTimeoutMs !== null
            ? {
                timeouts: {
                  ...(r.connectTimeoutMs !== null ? { connectMs: r.connectTimeoutMs } : {}),
                  ...(r.firstTokenTimeoutMs !== null ? { firstTokenMs: r.firstTokenTimeoutMs } : {}),
                  ...(r.totalTimeoutMs !== null ? { totalMs: r.totalTimeoutMs } : {}),
                },
              }
            : {}),
        })),
      };
    });
  },
};
