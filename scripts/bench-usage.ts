// npm run bench:usage - usage report speed at scale (issue 6, "Benchmark"). Generates usage records over 30 days
// across 20 workspaces, 500 users and 50 agents (6 models, 4 platforms, 2 deployments, 40 keys), written through
// writeUsageRows in batches (so the hourly and daily rollups are built the real way), then times each report:
// every groupBy over a month and over a day, the time series, and the raw-record fallback. Once on the embedded
// default (PGlite, a fresh temporary data directory) and once on PostgreSQL (a scratch database it creates on
// 127.0.0.1:5432 and drops). Prints a table; not a timed test.
//
//   npm run bench:usage [-- --records=1000000 --batch=5000 --only=pglite,postgres --pg=postgresql://postgres@127.0.0.1:5432/postgres]
//
// Each target runs in a child process of its own (the database client is chosen from the environment at start).
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const args = Object.fromEntries(
  process.argv
    .slice(2)
    .map((a) => a.replace(/^--/, "").split("="))
    .map(([k, v]) => [k, v ?? "true"]),
);
const RECORDS = Number(args.records ?? 1_000_000);
const BATCH = Number(args.batch ?? 5000);
const WORKSPACES = 20;
const USERS = 500;
const AGENTS = 50;
const DAYS = 30;
const MODELS = [
  { name: "gpt-4o", in: 2.5, out: 10, cached: 1.25 },
  { name: "gpt-4o-mini", in: 0.15, out: 0.6, cached: 0.075 },
  { name: "claude-sonnet", in: 3, out: 15, cached: 0.3 },
  { name: "gemini-flash", in: 0.3, out: 2.5, cached: 0.075 },
  { name: "deepseek-v3", in: 0.27, out: 1.1, cached: 0.07 },
  { name: "llama-70b", in: 0.6, out: 0.6, cached: 0.6 },
];
const GROUP_BYS = ["workspace", "user", "agent", "model", "platform", "deployment", "key"] as const;

interface Timing {
  query: string;
  ms: number;
  groups: number;
  source: string;
}
interface ChildResult {
  target: string;
  records: number;
  insertMs: number;
  rollupRows: number;
  timings: Timing[];
}

// ---------- Child: generate and measure on the database the environment names ----------

async function child(target: string): Promise<void> {
  const { migrateAppDatabase } = await import("../lib/db/migrate-app");
  const { db, closeDb } = await import("../lib/db/client");
  const { writeUsageRows } = await import("../lib/usage/write");
  const { usageReport, usageSeries } = await import("../lib/usage/report");
  const { usageReportQuerySchema, usageSeriesQuerySchema } = await import("../lib/schemas/usage");
  const actor = { type: "token" as const, id: null, name: "bench" };

  await migrateAppDatabase();
  const workspaces: { id: string }[] = [];
  for (let w = 0; w < WORKSPACES; w++) workspaces.push(await db.workspace.create({ data: { name: `bench-${w}`, slug: `bench-${w}` } }));
  const keys: { id: string }[] = [];
  for (let k = 0; k < WORKSPACES * 2; k++) {
    keys.push(
      await db.virtualKey.create({
        data: { workspaceId: workspaces[k % WORKSPACES].id, name: `key-${k}`, prefix: `sbk_${k}`.padEnd(12, "x"), keyHash: `bench-${k}` },
      }),
    );
  }
  const platforms: { id: string }[] = [];
  for (let p = 0; p < 4; p++)
    platforms.push(
      await db.platform.create({ data: { name: `bench-platform-${p}`, vendor: "openai", baseUrl: `https://p${p}.example.test/v1` } }),
    );
  const deployments: { id: string }[] = [];
  for (let d = 0; d < 2; d++) deployments.push(await db.deployment.create({ data: { name: `bench-deployment-${d}` } }));

  // Deterministic pseudo-random data; records in time order, as the gateway writes them.
  // mulberry32: every bit is usable (a plain LCG's low bits repeat with short periods).
  let seed = 42;
  const rnd = (n: number) => {
    seed = (seed + 0x6d2b79f5) >>> 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) % n;
  };
  const end = Date.UTC(2030, 5, 1);
  const start = end - DAYS * 86_400_000;
  const span = end - start;
  let written = 0;
  const t0 = performance.now();
  let lastReport = t0;
  for (let b = 0; b < RECORDS; b += BATCH) {
    const rows = [];
    const n = Math.min(BATCH, RECORDS - b);
    for (let i = 0; i < n; i++) {
      const idx = b + i;
      const user = rnd(USERS);
      const w = user % WORKSPACES; // users and agents belong to one workspace each
      const model = MODELS[rnd(MODELS.length)];
      const inputTokens = 50 + rnd(4000);
      const outputTokens = 10 + rnd(1000);
      const cachedTokens = rnd(4) === 0 ? rnd(inputTokens) : 0;
      const at = start + Math.floor((idx / RECORDS) * span);
      // A price change halfway: the second half of the month bills 20 % more.
      const factor = at >= start + span / 2 ? 1.2 : 1;
      const cost = (((inputTokens - cachedTokens) * model.in + cachedTokens * model.cached + outputTokens * model.out) * factor) / 1e6;
      const failed = rnd(50) === 0;
      const onDeployment = model.name === "llama-70b" || model.name === "deepseek-v3";
      rows.push({
        requestId: `bench-${idx}`,
        at: new Date(at),
        workspaceId: workspaces[w].id,
        virtualKeyId: keys[w + WORKSPACES * rnd(2)].id,
        userId: rnd(10) === 0 ? null : `user-${user}`,
        agentId: rnd(8) === 0 ? null : `agent-${(w + WORKSPACES * rnd(3)) % AGENTS}`,
        model: model.name,
        platformId: onDeployment ? null : platforms[rnd(platforms.length)].id,
        deploymentId: onDeployment ? deployments[rnd(deployments.length)].id : null,
        status: failed ? 502 : 200,
        outcome: failed ? "error" : "success",
        attempts: [],
        inputTokens,
        outputTokens,
        cachedTokens,
        costUsd: cost.toFixed(8),
        latencyMs: 100 + rnd(3000),
      });
    }
    await writeUsageRows(rows);
    written += n;
    if (performance.now() - lastReport > 15_000) {
      lastReport = performance.now();
      const s = (lastReport - t0) / 1000;
      process.stderr.write(
        `  [${target}] ${written.toLocaleString("en")} records in ${s.toFixed(0)} s (${Math.round(written / s).toLocaleString("en")}/s)\n`,
      );
    }
  }
  const insertMs = performance.now() - t0;
  const rollupRows = await db.usageRollup.count();

  const timings: Timing[] = [];
  const iso = (t: number) => new Date(t).toISOString();
  const month = { from: iso(start), to: iso(end) };
  // A day with partial hours at both edges (hour and day rollups combined).
  const dayFrom = start + 14 * 86_400_000 + 6 * 3_600_000;
  const day = { from: iso(dayFrom), to: iso(dayFrom + 86_400_000) };
  async function time(label: string, fn: () => Promise<{ source: string; n: number }>) {
    await fn(); // warm (plans, caches)
    const runs: number[] = [];
    let last = { source: "", n: 0 };
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      last = await fn();
      runs.push(performance.now() - t);
    }
    runs.sort((a, b) => a - b);
    timings.push({ query: label, ms: runs[1], groups: last.n, source: last.source });
  }
  for (const [rangeName, range] of [
    ["month", month],
    ["day", day],
  ] as const) {
    for (const groupBy of GROUP_BYS) {
      await time(`${groupBy}, ${rangeName}`, async () => {
        const r = await usageReport({ actor, input: usageReportQuerySchema.parse({ groupBy, ...range, limit: 50 }) });
        return { source: r.source, n: r.groupCount };
      });
    }
    await time(`user in one workspace, ${rangeName}`, async () => {
      const r = await usageReport({
        actor,
        input: usageReportQuerySchema.parse({ groupBy: "user", workspaceId: workspaces[3].id, ...range }),
      });
      return { source: r.source, n: r.groupCount };
    });
    await time(`series by model (${rangeName === "month" ? "day" : "hour"} buckets), ${rangeName}`, async () => {
      const r = await usageSeries({ actor, input: usageSeriesQuerySchema.parse({ groupBy: "model", ...range, top: 5 }) });
      return { source: r.source, n: r.points.length };
    });
    await time(`user where model = gpt-4o (raw records), ${rangeName}`, async () => {
      const r = await usageReport({ actor, input: usageReportQuerySchema.parse({ groupBy: "user", model: "gpt-4o", ...range }) });
      return { source: r.source, n: r.groupCount };
    });
  }
  await closeDb();
  const result: ChildResult = { target, records: written, insertMs, rollupRows, timings };
  process.stdout.write(`BENCH_RESULT ${JSON.stringify(result)}\n`);
}

// ---------- Parent: one child per target, then the table ----------

function runChild(target: string, env: Record<string, string>): Promise<ChildResult | null> {
  return new Promise((resolve) => {
    const p = spawn(
      process.execPath,
      ["--import", "tsx", import.meta.filename, `--child=${target}`, `--records=${RECORDS}`, `--batch=${BATCH}`],
      {
        env: { ...process.env, ...env, LOG_LEVEL: "error" },
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    let out = "";
    p.stdout.on("data", (c) => (out += c));
    p.on("exit", (code) => {
      const line = out.split("\n").find((l) => l.startsWith("BENCH_RESULT "));
      if (code !== 0 || !line) {
        console.error(`  ${target} failed (exit ${code})\n${out.slice(-2000)}`);
        return resolve(null);
      }
      resolve(JSON.parse(line.slice("BENCH_RESULT ".length)));
    });
  });
}

async function parent() {
  const only = String(args.only ?? "pglite,postgres").split(",");
  const results: ChildResult[] = [];
  console.log(
    `Usage report benchmark: ${RECORDS.toLocaleString("en")} records over ${DAYS} days, ${WORKSPACES} workspaces, ${USERS} users, ${AGENTS} agents; batches of ${BATCH}\n`,
  );

  if (only.includes("pglite")) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-bench-usage-"));
    console.log(`PGlite (embedded) in ${dir} ...`);
    try {
      const r = await runChild("pglite", { SWITCHBOARD_DATA_DIR: dir, DATABASE_URL: "" });
      if (r) results.push(r);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  if (only.includes("postgres")) {
    const pg = (await import("pg")).default;
    const adminUrl = String(args.pg ?? "postgresql://postgres@127.0.0.1:5432/postgres");
    const name = `sb_bench_usage_${process.pid}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    try {
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      console.log(`PostgreSQL, scratch database ${name} ...`);
      const r = await runChild("postgres", { DATABASE_URL: url.toString() });
      if (r) results.push(r);
    } catch (e) {
      console.error(`  PostgreSQL skipped: ${(e as Error).message}`);
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
      await admin.end().catch(() => undefined);
    }
  }
  if (!results.length) process.exit(1);

  console.log("\nWriting (writeUsageRows: records + hourly and daily rollups in one transaction per batch)");
  for (const r of results) {
    console.log(
      `  ${r.target.padEnd(9)} ${r.records.toLocaleString("en")} records in ${(r.insertMs / 1000).toFixed(1)} s = ${Math.round(r.records / (r.insertMs / 1000)).toLocaleString("en")} records/s; ${r.rollupRows.toLocaleString("en")} rollup rows`,
    );
  }
  console.log("\nReports (median of 3 after a warm-up, ms; all workspaces unless noted)");
  const queries = results[0].timings.map((t) => t.query);
  const w = Math.max(...queries.map((q) => q.length)) + 2;
  console.log(`  ${"query".padEnd(w)}${results.map((r) => r.target.padStart(10)).join("")}   groups/points  source`);
  let slowest = 0;
  for (const q of queries) {
    const cells = results.map((r) => r.timings.find((t) => t.query === q)!);
    for (const c of cells) if (c.source === "rollups") slowest = Math.max(slowest, c.ms);
    console.log(
      `  ${q.padEnd(w)}${cells.map((c) => c.ms.toFixed(1).padStart(10)).join("")}   ${String(cells[0].groups).padStart(13)}  ${cells[0].source}`,
    );
  }
  console.log(`\nSlowest rollup report: ${slowest.toFixed(1)} ms (target: well under 1000 ms).`);
}

if (args.child) {
  child(String(args.child)).catch((e) => {
    console.error(e);
    process.exit(1);
  });
} else {
  await parent();
}
