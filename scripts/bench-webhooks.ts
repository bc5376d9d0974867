// npm run bench:webhooks - incoming webhooks at a steady rate (issue 19, "Benchmark"). Runs the lean data-plane
// router in this process on loopback, on a fresh embedded database opened as the server opens it (its own thread),
// with an async Standard Webhooks endpoint; a load generator in a worker thread (its own event loop, so its
// timing is not held up by the server's) sends signed events open-loop: request i is due at start + i/rate, sent
// when due whatever the answers before it, and its latency runs from when it was due. A small share of requests
// repeat an earlier event's webhook-id (a sender's retry) and must be answered 200 as duplicates.
// Afterwards it counts, from the database: every accepted (202) event is in the log, verified and queued exactly
// once, and no other event is queued. Not a timed test: it prints figures.
//
//   npm run bench:webhooks [-- --rate=1000 --seconds=10 --dupes=0.02 --connections=128]
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { Worker } from "node:worker_threads";

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const RATE = Number(arg("rate") ?? 1000);
const SECONDS = Number(arg("seconds") ?? 10);
const DUPES = Number(arg("dupes") ?? 0.02);
const CONNECTIONS = Number(arg("connections") ?? 128);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-webhooks-"));
process.env.SWITCHBOARD_DATA_DIR = dir;
process.env.LOG_LEVEL = "error";
const { migrateAppDatabase } = await import("../lib/db/migrate-app");
const { closeDb, db, installDbHandle } = await import("../lib/db/client");
const { openPgliteInThread } = await import("../lib/db/threaded");
const { matchLeanRoute } = await import("../lib/dataplane/router");
const { createWebhook } = await import("../lib/webhooks/create-endpoint");
const { createWebhookSchema } = await import("../lib/schemas/webhooks");
const { webhookSignals } = await import("../lib/webhooks/signals");
const { writerStats } = await import("../lib/webhooks/event-writer");

await migrateAppDatabase();
await closeDb();
installDbHandle(() => openPgliteInThread());
const ws = await db.workspace.create({ data: { name: "bench", slug: "bench" } });
const worker = await db.worker.create({ data: { workspaceId: ws.id, name: "bench-worker" } });
const endpoint = await createWebhook({
  actor: { type: "system" },
  workspaceId: ws.id,
  input: createWebhookSchema.parse({
    name: "bench",
    scheme: "standard-webhooks",
    mode: "async",
    target: { type: "worker", id: worker.id },
  }),
});

let signalled = 0;
webhookSignals.on("queued", () => signalled++);

const server = http.createServer((req, res) => {
  const pathname = (req.url ?? "/").split("?")[0];
  const handler = matchLeanRoute(req.method ?? "GET", pathname);
  if (!handler) return void res.writeHead(404).end();
  handler(req, res, { requestId: `req_${crypto.randomBytes(6).toString("hex")}`, pathname }).catch(() => res.destroy());
});
server.keepAliveTimeout = 65_000;
await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
const port = (server.address() as AddressInfo).port;

// The load generator: plain JavaScript in a worker thread. Signs exactly as Standard Webhooks does
// (HMAC-SHA256 of `${id}.${timestamp}.${body}` keyed with the base64 after whsec_; checked against the
// standardwebhooks package in lib/webhooks/schemes.test.ts).
const LOADGEN = `
const { parentPort, workerData } = require("node:worker_threads");
const http = require("node:http");
const crypto = require("node:crypto");
const { port, path, secret, rate, seconds, dupes, connections } = workerData;
const key = Buffer.from(secret.slice(6), "base64");
const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
const total = Math.round(rate * seconds);
const results = new Array(total);
const ids = [];
function request(i) {
  let msgId;
  if (i > 50 && Math.random() < dupes) msgId = ids[Math.floor(Math.random() * ids.length)];
  else { msgId = "msg_" + i + "_" + crypto.randomBytes(6).toString("hex"); ids.push(msgId); }
  const body = JSON.stringify({ type: "order.created", data: { order: i, amount: 1200 + (i % 100), items: [{ sku: "A-" + (i % 17), qty: 1 }] } });
  const ts = String(Math.floor(Date.now() / 1000));
  const sig = "v1," + crypto.createHmac("sha256", key).update(msgId + "." + ts + "." + body).digest("base64");
  return { msgId, body, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), "webhook-id": msgId, "webhook-timestamp": ts, "webhook-signature": sig } };
}
let sent = 0, done = 0;
const start = performance.now() + 200;
function send(i, due) {
  const r = request(i);
  const req = http.request({ host: "127.0.0.1", port, path, method: "POST", agent, headers: r.headers }, (res) => {
    const chunks = [];
    res.on("data", (c) => chunks.push(c));
    res.on("end", () => {
      let id = null;
      try { id = JSON.parse(Buffer.concat(chunks).toString()).id ?? null; } catch {}
      results[i] = { status: res.statusCode, ms: performance.now() - due, id, msgId: r.msgId };
      if (++done === total) finish();
    });
  });
  req.on("error", (e) => { results[i] = { status: 0, ms: performance.now() - due, id: null, msgId: r.msgId, error: String(e) }; if (++done === total) finish(); });
  req.end(r.body);
}
function tick() {
  const now = performance.now();
  while (sent < total && start + (sent * 1000) / rate <= now) { send(sent, start + (sent * 1000) / rate); sent++; }
  if (sent < total) setTimeout(tick, 1);
  else lastSent = performance.now();
}
let lastSent = 0;
function finish() {
  const me = require("node:fs").readFileSync("/proc/thread-self/stat", "utf8").split(") ")[1].split(" ");
  parentPort.postMessage({ results, elapsedMs: lastSent - start, drainedMs: performance.now() - start, cpuMs: (Number(me[11]) + Number(me[12])) * 10 });
  agent.destroy();
}
setTimeout(tick, 200);
`;

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

const threads0 = threadCpu();
const cpu0 = process.cpuUsage();
const t0 = Date.now();
let loadgenCpuMs = 0;
let threads1 = new Map<number, number>();
const out = await new Promise<{
  results: { status: number; ms: number; id: string | null; msgId: string; error?: string }[];
  elapsedMs: number;
  drainedMs: number;
  cpuMs: number;
}>((resolve, reject) => {
  const w = new Worker(LOADGEN, {
    eval: true,
    workerData: {
      port,
      path: endpoint.path,
      secret: endpoint.secret,
      rate: RATE,
      seconds: SECONDS,
      dupes: DUPES,
      connections: CONNECTIONS,
    },
  });
  w.once("message", (m) => {
    loadgenCpuMs = m.cpuMs;
    threads1 = threadCpu();
    void w.terminate();
    resolve(m);
  });
  w.once("error", reject);
});
const cpu = process.cpuUsage(cpu0);
const delta = (tid: number) => (threads1.get(tid) ?? 0) - (threads0.get(tid) ?? 0);
const mainCpuMs = delta(process.pid);
let otherCpuMs = 0;
for (const tid of threads1.keys()) if (tid !== process.pid) otherCpuMs += delta(tid);
const wall = Date.now() - t0;

const { results } = out;
const byStatus = new Map<number, number>();
for (const r of results) byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
const accepted = results.filter((r) => r.status === 202);
const firstOf = new Map<string, number>();
results.forEach((r, i) => (firstOf.has(r.msgId) ? undefined : firstOf.set(r.msgId, i)));
const repeats = results.length - firstOf.size;

// The log, from the database.
const rows = await db.webhookEvent.findMany({
  where: { endpointId: endpoint.id },
  select: { id: true, externalId: true, verified: true, duplicate: true, deliveryStatus: true, targetId: true },
});
const byId = new Map(rows.map((r) => [r.id, r]));
const missing = accepted.filter((a) => !a.id || !byId.has(a.id)).length;
const notQueued = accepted.filter(
  (a) => a.id && byId.get(a.id) && (byId.get(a.id)!.deliveryStatus !== "queued" || byId.get(a.id)!.targetId !== worker.id),
).length;
const queuedRows = rows.filter((r) => r.deliveryStatus === "queued");
const queuedPerExternal = new Map<string, number>();
for (const r of queuedRows) queuedPerExternal.set(r.externalId ?? "", (queuedPerExternal.get(r.externalId ?? "") ?? 0) + 1);
const queuedTwice = [...queuedPerExternal.values()].filter((n) => n > 1).length;
const extraQueued = queuedRows.length - accepted.length;
const duplicateRows = rows.filter((r) => r.duplicate).length;

const lat = accepted.map((r) => r.ms).sort((a, b) => a - b);
const pct = (p: number) => (lat.length ? lat[Math.min(lat.length - 1, Math.floor((p / 100) * lat.length))] : NaN);
const f = (n: number) => n.toFixed(1);
const achieved = results.length / (out.elapsedMs / 1000);
const ok = missing === 0 && notQueued === 0 && queuedTwice === 0 && extraQueued === 0 && signalled === accepted.length;

console.log(
  [
    "",
    `Incoming webhooks: ${results.length} requests at ${RATE}/s for ${SECONDS} s (open-loop, ${CONNECTIONS} connections max), ${repeats} repeats of an earlier webhook-id`,
    `  sent at          ${f(achieved)} requests/s (last request sent ${f(out.elapsedMs)} ms after the first; all answered after ${f(out.drainedMs)} ms)`,
    `  answers          ${[...byStatus.entries()].map(([s, n]) => `${s || "error"}: ${n}`).join(", ")}`,
    `  acceptance (202) p50 ${f(pct(50))} ms, p90 ${f(pct(90))} ms, p99 ${f(pct(99))} ms, max ${f(lat[lat.length - 1] ?? NaN)} ms (from when each request was due)`,
    `  writes           ${writerStats.statements} statements, ${f(writerStats.rows / Math.max(1, writerStats.statements))} events per statement`,
    `  log              ${rows.length} events; ${accepted.length} accepted: ${missing} missing, ${notQueued} not queued, ${queuedTwice} queued twice, ${extraQueued} other events queued; ${duplicateRows} logged as duplicates; ${signalled} queued signals`,
    `  cpu              ${f((cpu.user + cpu.system) / 1000 / (wall / 1000) / 10)}% of one core in this process; per request: server thread ${f((mainCpuMs * 1000) / results.length)} us, database and other threads ${f(((otherCpuMs - loadgenCpuMs) * 1000) / results.length)} us, load generator ${f((loadgenCpuMs * 1000) / results.length)} us`,
    `  result           ${ok ? "OK: every accepted event is in the log and queued exactly once" : "FAILED"}`,
    "",
  ].join("\n"),
);

server.close();
await closeDb();
fs.rmSync(dir, { recursive: true, force: true });
process.exit(ok ? 0 : 1);
