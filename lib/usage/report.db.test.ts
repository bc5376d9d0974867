import { describe, expect, it } from "vitest";
import { Prisma } from "../db/generated/client";
import { groupKeyOf, writeUsageRows, type UsageRow } from "./write";
import { usageReport, usageSeries } from "./report";
import { usageReportQuerySchema, usageSeriesQuerySchema, USAGE_GROUP_BYS, type UsageGroupBy, type UsageSums } from "../schemas/usage";
import type { Actor } from "../auth/actor";
import { addMembership, createUser, createWorkspace, suffix, tokenActor, userInWorkspace } from "../testing/factories";
import { expectAppError } from "../testing/errors";
import { db, useTestDb } from "../testing/db";

useTestDb();

const report = (actor: Actor, input: Record<string, unknown>) => usageReport({ actor, input: usageReportQuerySchema.parse(input) });
const series = (actor: Actor, input: Record<string, unknown>) => usageSeries({ actor, input: usageSeriesQuerySchema.parse(input) });

/** A small deterministic generator, so a failure reproduces. */
function rng(seed: number) {
  let s = seed >>> 0;
  return (n: number) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
}

const H = 3_600_000;
const T0 = Date.UTC(2034, 4, 10); // a Wednesday, midnight UTC

/** Records over three days for one workspace; the price of "m1" doubles in the middle of the range. */
async function seed(
  workspaceId: string,
  opts: { keyIds: string[]; platformId: string; deploymentId: string },
  count = 300,
): Promise<UsageRow[]> {
  const r = rng(workspaceId.length * 7919 + count);
  const rows: UsageRow[] = [];
  for (let i = 0; i < count; i++) {
    const at = new Date(T0 + r(72 * H) + (i % 3 === 0 ? H - 1 : 0));
    const model = ["m1", "m2", "m3"][r(3)];
    const inputTokens = r(5000);
    const outputTokens = r(2000);
    const cachedTokens = r(3) === 0 ? Math.min(inputTokens, r(1500)) : 0;
    // Price change at T0 + 36 h: costs of m1 after it are computed at twice the per-token price.
    const perIn = model === "m1" ? (at.getTime() >= T0 + 36 * H ? 0.00000002 : 0.00000001) : 0.00000003;
    const cost = new Prisma.Decimal(inputTokens - cachedTokens)
      .mul(perIn)
      .add(new Prisma.Decimal(cachedTokens).mul(perIn / 2))
      .add(new Prisma.Decimal(outputTokens).mul(0.00000006));
    const failed = r(10) === 0;
    rows.push({
      requestId: `rep_${suffix()}_${i}`,
      at,
      workspaceId,
      model,
      userId: r(5) === 0 ? null : `user-${r(7)}`,
      agentId: r(4) === 0 ? null : `agent-${r(3)}`,
      virtualKeyId: r(6) === 0 ? null : opts.keyIds[r(opts.keyIds.length)],
      platformId: r(3) === 0 ? null : opts.platformId,
      deploymentId: r(3) === 0 ? opts.deploymentId : null,
      status: failed ? 502 : 200,
      outcome: failed ? "error" : "success",
      attempts: [],
      inputTokens,
      outputTokens,
      cachedTokens,
      costUsd: cost.toFixed(8),
      latencyMs: r(900),
    });
  }
  await writeUsageRows(rows);
  return rows;
}

async function fixtures() {
  const s = suffix();
  const ws = await createWorkspace();
  const platform = await db.platform.create({ data: { name: `plat-${s}`, vendor: "openai", baseUrl: "https://api.example.test/v1" } });
  const deployment = await db.deployment.create({ data: { name: `dep-${s}` } });
  const k1 = await db.virtualKey.create({
    data: { workspaceId: ws.id, name: `alpha-${s}`, prefix: `sbk_a${s.slice(0, 6)}`, keyHash: `ha-${s}` },
  });
  const k2 = await db.virtualKey.create({
    data: { workspaceId: ws.id, name: `beta-${s}`, prefix: `sbk_b${s.slice(0, 6)}`, keyHash: `hb-${s}` },
  });
  const ids = { keyIds: [k1.id, k2.id, "vk-deleted"], platformId: platform.id, deploymentId: deployment.id };
  return { ws, platform, deployment, k1, k2, ids };
}

/** The expected report, computed from the raw rows in memory. */
function expected(rows: UsageRow[], groupBy: UsageGroupBy, from: number, to: number, filter: (r: UsageRow) => boolean = () => true) {
  const out = new Map<string, UsageSums & { cost: Prisma.Decimal }>();
  for (const r of rows) {
    const t = (r.at as Date).getTime();
    if (t < from || t >= to || !filter(r)) continue;
    const g = groupKeyOf(r as Parameters<typeof groupKeyOf>[0], groupBy);
    const e = out.get(g) ?? {
      requests: 0,
      errors: 0,
      inputTokens: 0,
      outputTokens: 0,
      cachedTokens: 0,
      costUsd: "",
      cost: new Prisma.Decimal(0),
    };
    e.requests++;
    if (r.outcome !== "success") e.errors++;
    e.inputTokens += r.inputTokens ?? 0;
    e.outputTokens += r.outputTokens ?? 0;
    e.cachedTokens += r.cachedTokens ?? 0;
    e.cost = e.cost.add(new Prisma.Decimal(String(r.costUsd)));
    out.set(g, e);
  }
  return new Map(
    [...out].map(([g, e]) => [
      g,
      {
        requests: e.requests,
        errors: e.errors,
        inputTokens: e.inputTokens,
        outputTokens: e.outputTokens,
        cachedTokens: e.cachedTokens,
        costUsd: e.cost.toFixed(8),
      },
    ]),
  );
}

const sumsOf = (r: UsageSums) => ({
  requests: r.requests,
  errors: r.errors,
  inputTokens: r.inputTokens,
  outputTokens: r.outputTokens,
  cachedTokens: r.cachedTokens,
  costUsd: r.costUsd,
});

describe("usage reports", () => {
  it("equal the raw records exactly for every groupBy, over whole days and partial edge hours, and through a price change", async () => {
    const { ws, ids, k1, platform } = await fixtures();
    const rows = await seed(ws.id, ids);
    // 05:00 on day 1 to 17:00 on day 3: partial first day, one whole day, partial last day.
    const ranges = [
      [T0 + 5 * H, T0 + 65 * H],
      [T0, T0 + 72 * H], // whole days only
      [T0 + 30 * H, T0 + 40 * H], // inside one day, across the price change
      [T0 + 23 * H, T0 + 25 * H], // across midnight, no whole day
    ];
    for (const [from, to] of ranges) {
      for (const groupBy of USAGE_GROUP_BYS) {
        const got = await report(tokenActor, {
          workspaceId: ws.id,
          groupBy,
          from: new Date(from).toISOString(),
          to: new Date(to).toISOString(),
          limit: 1000,
        });
        const want = expected(rows, groupBy, from, to);
        expect(got.source).toBe("rollups");
        expect(new Map(got.data.map((d) => [d.group, sumsOf(d)])), `${groupBy} ${new Date(from).toISOString()}`).toEqual(want);
        const all = expected(rows, "workspace", from, to).get(ws.id)!;
        expect(sumsOf(got.totals)).toEqual(all);
        expect(got.groupCount).toBe(want.size);
      }
    }
    // Labels: key name and prefix, platform name, "(none)", deleted ids.
    const byKey = await report(tokenActor, {
      workspaceId: ws.id,
      groupBy: "key",
      from: new Date(T0).toISOString(),
      to: new Date(T0 + 72 * H).toISOString(),
    });
    const label = new Map(byKey.data.map((d) => [d.group, d.label]));
    expect(label.get(k1.id)).toBe(`${k1.name} (${k1.prefix}…)`);
    expect(label.get("")).toBe("(none)");
    expect(label.get("vk-deleted")).toBe("vk-deleted (deleted)");
    const byPlatform = await report(tokenActor, {
      workspaceId: ws.id,
      groupBy: "platform",
      from: new Date(T0).toISOString(),
      to: new Date(T0 + 72 * H).toISOString(),
    });
    expect(byPlatform.data.find((d) => d.group === platform.id)?.label).toBe(platform.name);
    const byWs = await report(tokenActor, {
      workspaceId: ws.id,
      groupBy: "workspace",
      from: new Date(T0).toISOString(),
      to: new Date(T0 + 72 * H).toISOString(),
    });
    expect(byWs.data.map((d) => d.label)).toEqual([ws.name]);
  });

  it("rounds from down and to up to whole hours", async () => {
    const { ws, ids } = await fixtures();
    const rows = await seed(ws.id, ids, 120);
    const got = await report(tokenActor, {
      workspaceId: ws.id,
      groupBy: "model",
      from: new Date(T0 + 5 * H + 1234).toISOString(),
      to: new Date(T0 + 9 * H + 1).toISOString(),
    });
    expect(got.from).toBe(new Date(T0 + 5 * H).toISOString());
    expect(got.to).toBe(new Date(T0 + 10 * H).toISOString());
    expect(new Map(got.data.map((d) => [d.group, sumsOf(d)]))).toEqual(expected(rows, "model", T0 + 5 * H, T0 + 10 * H));
  });

  it("orders and limits the groups by cost, requests or tokens, keeping the totals of all groups", async () => {
    const { ws, ids } = await fixtures();
    const rows = await seed(ws.id, ids);
    const range = { from: new Date(T0).toISOString(), to: new Date(T0 + 72 * H).toISOString() };
    const want = expected(rows, "user", T0, T0 + 72 * H);
    for (const sort of ["cost", "requests", "tokens"] as const) {
      const got = await report(tokenActor, { workspaceId: ws.id, groupBy: "user", sort, limit: 3, ...range });
      expect(got.data).toHaveLength(3);
      expect(got.groupCount).toBe(want.size);
      const metric = (s: UsageSums) =>
        sort === "cost" ? Number(s.costUsd) : sort === "requests" ? s.requests : s.inputTokens + s.outputTokens;
      const best = [...want.values()]
        .map(metric)
        .sort((a, b) => b - a)
        .slice(0, 3);
      expect(got.data.map(metric)).toEqual(best);
      expect(got.totals.requests).toBe(rows.filter((r) => (r.at as Date).getTime() < T0 + 72 * H).length);
    }
  });

  it("falls back to raw records for a filter on another dimension, and says so", async () => {
    const { ws, ids } = await fixtures();
    const rows = await seed(ws.id, ids);
    const from = T0 + 3 * H;
    const to = T0 + 50 * H;
    const range = { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
    const got = await report(tokenActor, { workspaceId: ws.id, groupBy: "user", model: "m1", ...range });
    expect(got.source).toBe("records");
    expect(got.retentionDays).toBe(90);
    expect(new Map(got.data.map((d) => [d.group, sumsOf(d)]))).toEqual(expected(rows, "user", from, to, (r) => r.model === "m1"));

    const twoFilters = await report(tokenActor, { workspaceId: ws.id, groupBy: "agent", model: "m2", userId: "user-3", ...range });
    expect(new Map(twoFilters.data.map((d) => [d.group, sumsOf(d)]))).toEqual(
      expected(rows, "agent", from, to, (r) => r.model === "m2" && r.userId === "user-3"),
    );

    // A filter on the grouped dimension itself is still answered from rollups.
    const own = await report(tokenActor, { workspaceId: ws.id, groupBy: "model", model: "m1", ...range });
    expect(own.source).toBe("rollups");
    expect(own.data.map((d) => d.group)).toEqual(["m1"]);
    expect(sumsOf(own.data[0])).toEqual(expected(rows, "model", from, to).get("m1"));
  });

  it("gives time series whose buckets add up to the totals, with the top groups broken out", async () => {
    const { ws, ids } = await fixtures();
    const rows = await seed(ws.id, ids);
    for (const [from, to, bucket] of [
      [T0 + 5 * H, T0 + 65 * H, "day"],
      [T0 + 5 * H, T0 + 29 * H, "auto"],
    ] as const) {
      const range = { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
      const s = await series(tokenActor, { workspaceId: ws.id, groupBy: "model", bucket, top: 2, ...range });
      expect(s.bucket).toBe(bucket === "auto" ? "hour" : "day");
      expect(s.points).toHaveLength(bucket === "auto" ? 24 : 3);
      const total = await report(tokenActor, { workspaceId: ws.id, groupBy: "model", ...range });
      const sum = (k: "requests" | "inputTokens" | "outputTokens" | "cachedTokens") => s.points.reduce((n, p) => n + p[k], 0);
      expect(sum("requests")).toBe(total.totals.requests);
      expect(sum("inputTokens")).toBe(total.totals.inputTokens);
      expect(sum("cachedTokens")).toBe(total.totals.cachedTokens);
      const cost = s.points.reduce((c, p) => c.add(p.costUsd), new Prisma.Decimal(0));
      expect(cost.toFixed(8)).toBe(total.totals.costUsd);
      // The top two groups by cost, each bucket's groups + other = the bucket's total.
      expect(s.groups.map((g) => g.group)).toEqual(total.data.slice(0, 2).map((d) => d.group));
      for (const p of s.points) {
        expect(p.byGroup.reduce((n, g) => n + g.requests, p.other.requests)).toBe(p.requests);
        expect(p.byGroup.reduce((c, g) => c.add(g.costUsd), new Prisma.Decimal(p.other.costUsd)).toFixed(8)).toBe(p.costUsd);
      }
      // One bucket checked against the raw rows.
      const b = s.points[1];
      const t = Date.parse(b.t);
      const step = s.bucket === "hour" ? H : 24 * H;
      expect(b.requests).toBe(
        rows.filter((r) => (r.at as Date).getTime() >= Math.max(t, from) && (r.at as Date).getTime() < Math.min(t + step, to)).length,
      );
    }
    // The raw path gives the same series shape.
    const raw = await series(tokenActor, {
      workspaceId: ws.id,
      groupBy: "user",
      model: "m3",
      bucket: "day",
      top: 1,
      from: new Date(T0).toISOString(),
      to: new Date(T0 + 72 * H).toISOString(),
    });
    expect(raw.source).toBe("records");
    expect(raw.points.map((p) => p.requests)).toEqual(
      [0, 1, 2].map(
        (d) =>
          rows.filter(
            (r) => r.model === "m3" && (r.at as Date).getTime() >= T0 + d * 24 * H && (r.at as Date).getTime() < T0 + (d + 1) * 24 * H,
          ).length,
      ),
    );
  });

  it("is scoped: Builders read their workspaces only, Admins those they administer, Members nothing", async () => {
    const a = await fixtures();
    const b = await fixtures();
    const c = await fixtures();
    await seed(a.ws.id, a.ids, 40);
    await seed(b.ws.id, b.ids, 40);
    await seed(c.ws.id, c.ids, 40);
    const range = { from: new Date(T0).toISOString(), to: new Date(T0 + 72 * H).toISOString(), groupBy: "workspace" };

    const builder = await userInWorkspace("BUILDER", a.ws.id);
    const admin = await createUser();
    await addMembership(a.ws.id, admin.user.id, "ADMIN");
    await addMembership(b.ws.id, admin.user.id, "ADMIN");
    await addMembership(c.ws.id, admin.user.id, "MEMBER");
    const member = await userInWorkspace("MEMBER", a.ws.id);

    expect((await report(builder.actor, range)).data.map((d) => d.group)).toEqual([a.ws.id]);
    expect((await report(builder.actor, { ...range, workspaceId: a.ws.id })).data.map((d) => d.group)).toEqual([a.ws.id]);
    await expectAppError(report(builder.actor, { ...range, workspaceId: b.ws.id }), "not_found");
    await expectAppError(series(builder.actor, { ...range, workspaceId: b.ws.id }), "not_found");
    // Filters never widen the scope: a key id of another workspace finds nothing.
    const foreign = await report(builder.actor, { ...range, groupBy: "key", virtualKeyId: b.k1.id });
    expect(foreign.data).toEqual([]);

    const adminAll = await report(admin.actor, range);
    expect(adminAll.data.map((d) => d.group).sort()).toEqual([a.ws.id, b.ws.id].sort());
    expect(adminAll.workspaceIds).toEqual([a.ws.id, b.ws.id].sort());
    await expectAppError(report(admin.actor, { ...range, workspaceId: c.ws.id }), "forbidden");

    await expectAppError(report(member.actor, range), "forbidden");
    await expectAppError(report(member.actor, { ...range, workspaceId: a.ws.id }), "forbidden");
    await expectAppError(series(member.actor, range), "forbidden");
  });
});

describe("usage report queries", () => {
  it("refuse an empty or too long range, a bad groupBy and too many hour buckets, naming the field", () => {
    const path = (input: Record<string, unknown>, schema = usageReportQuerySchema) => {
      const r = schema.safeParse(input);
      return r.success ? null : r.error.issues.map((i) => i.path.join("."));
    };
    expect(path({ from: "2034-01-02", to: "2034-01-01" })).toEqual(["from"]);
    expect(path({ from: "2034-01-01", to: "2034-01-01" })).toEqual(["from"]);
    expect(path({ from: "2030-01-01", to: "2034-01-01" })).toEqual(["to"]);
    expect(path({ groupBy: "team" })).toEqual(["groupBy"]);
    expect(path({ from: "not a date" })).toEqual(["from"]);
    expect(path({ bucket: "hour", from: "2034-01-01", to: "2034-03-01" }, usageSeriesQuerySchema as never)).toEqual(["bucket"]);
    expect(path({ groupBy: "user", from: "2034-01-01", to: "2034-01-31" })).toBeNull();
  });
});
