// npm run bench:metering - what metering costs per request, thread by thread, without HTTP around it. Feeds the
// process's usage sink (lib/gateway/metering.ts) with gateway-shaped usage events at a fixed rate for a while,
// on a fresh embedded database opened as the server opens it (its own thread), and prints CPU per event of the
// serving thread, of the database thread and of the rest (V8's GC helpers, libuv). Not a timed test.
//
//   npm run bench:metering [-- --rate=1500 --seconds=10]
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const RATE = Number(arg("rate") ?? 1500);
const SECONDS = Number(arg("seconds") ?? 10);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-meter-"));
process.env.SWITCHBOARD_DATA_DIR = dir;
process.env.LOG_LEVEL = "error";
const { migrateAppDatabase } = await import("../lib/db/migrate-app");
const { closeDb, db, installDbHandle } = await import("../lib/db/client");
const { openPgliteInThread } = await import("../lib/db/threaded");
const { usageSink, stopMetering } = await import("../lib/gateway/metering");
const { budgetChecksSettled } = await import("../lib/budgets/watch");
const { now } = await import("../lib/runtime/clock");

await migrateAppDatabase();
await closeDb();
installDbHandle(() => openPgliteInThread());
const ws = await db.workspace.create({ data: { name: "meter", slug: "meter" } });

/** CPU (ms) of each thread of this process: task id -> user + system. */
function threadCpu(): Map<number, number> {
  const out = new Map<number, number>();
  for (const t of fs.readdirSync("/proc/self/task")) {
    try {
      const f = fs.readFileSync(`/proc/self/task/${t}/stat`, "utf8").split(") ")[1].split(" ");
      out.set(Number(t), (Number(f[11]) + Number(f[12])) * 10);
    } catch {
      // the thread ended
    }
  }
  return out;
}

let seq = 0;
function event() {
  seq++;
  const at = new Date(now());
  return {
    requestId: `bench-${seq.toString(36)}-${Math.random().toString(36).slice(2, 10)}`,
    at,
    workspaceId: ws.id,
    virtualKeyId: `vk_${seq % 3}`,
    userId: `user-${seq % 50}`,
    agentId: `agent-${seq % 5}`,
    model: "bench-model",
    modelId: "cm_bench_model",
    platformId: "cp_bench_platform",
    deploymentId: null,
    upstreamModel: "bench-upstream",
    endpoint: "chat.completions" as const,
    status: 200,
    outcome: "success" as const,
    errorCode: null,
    attempts: [
      {
        targetType: "platform" as const,
        targetId: "cp_bench_platform",
        targetName: "bench",
        upstreamModel: "bench-upstream",
        via: "pk_bench_key",
        status: 200,
        error: null,
        latencyMs: 3,
      },
    ],
    usage: { inputTokens: 12, outputTokens: 7, cachedTokens: 0 },
    estimated: false,
    costUsd: 0.0000185,
    latencyMs: 3.4,
    ttftMs: null,
    streamed: false,
  };
}

const sink = usageSink();
// One second at the rate first (JIT, the database's first pages), then the measured run.
const feed = async (seconds: number) => {
  const tick = 10;
  const perTick = RATE / (1000 / tick);
  let owed = 0;
  for (let t = 0; t < seconds * 1000; t += tick) {
    owed += perTick;
    for (; owed >= 1; owed--) sink.record(event());
    await new Promise((r) => setTimeout(r, tick));
  }
};
await feed(1);
await sink.flush();
const before = threadCpu();
const t0 = performance.now();
const startSeq = seq;
await feed(SECONDS);
await sink.flush();
await budgetChecksSettled();
const wall = (performance.now() - t0) / 1000;
const after = threadCpu();
const events = seq - startSeq;

const main = process.pid;
const used = [...after].map(([tid, ms]) => [tid, ms - (before.get(tid) ?? 0)] as const);
const mainMs = used.find(([tid]) => tid === main)?.[1] ?? 0;
const others = used.filter(([tid]) => tid !== main).sort((a, b) => b[1] - a[1]);
const dbMs = others[0]?.[1] ?? 0; // the busiest other thread is the database's
const restMs = others.slice(1).reduce((n, [, ms]) => n + ms, 0);
const us = (ms: number) => ((ms * 1000) / events).toFixed(1);
console.log(`${events} events at ${(events / wall).toFixed(0)}/s for ${wall.toFixed(1)} s`);
console.log(
  `CPU per event: serving thread ${us(mainMs)} us, database thread ${us(dbMs)} us, other threads ${us(restMs)} us, total ${us(mainMs + dbMs + restMs)} us`,
);
console.log(`stored: ${await db.usageRecord.count()} records`);
await stopMetering();
await closeDb();
fs.rmSync(dir, { recursive: true, force: true });
