import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BufferedUsageSink } from "../gateway/metering";
import type { UsageEvent } from "../gateway/types";
import {
  closeUsageJournal,
  instanceJournalDir,
  journalDirs,
  openUsageJournal,
  readSegment,
  replayUsageJournal,
  UsageJournal,
} from "./journal";
import type { UsageRow } from "./write";

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-journal-"));
});
afterEach(() => {
  closeUsageJournal();
  fs.rmSync(dir, { recursive: true, force: true });
});

const row = (i: number): UsageRow => ({
  requestId: `req_${i}`,
  at: new Date(Date.UTC(2026, 11, 7, 12, 0, i % 60)),
  workspaceId: "ws",
  virtualKeyId: "key",
  userId: i % 2 ? 'u\n"quoted"' : null,
  agentId: null,
  model: "m",
  modelId: "mid",
  platformId: "p",
  deploymentId: null,
  upstreamModel: "up",
  endpoint: "chat.completions",
  status: 200,
  outcome: "success",
  errorCode: null,
  attempts: [{ targetType: "platform", targetId: "p", status: 200, error: null, latencyMs: 3 }] as never,
  inputTokens: 12,
  outputTokens: 7,
  cachedTokens: 0,
  estimated: false,
  costUsd: "0.00002600",
  latencyMs: 4,
  ttftMs: null,
  streamed: false,
});
const files = (d: string) =>
  fs
    .readdirSync(d)
    .filter((f) => f.endsWith(".jsonl"))
    .sort();

describe("usage journal", () => {
  it("appends one line per record, read back as the same record", () => {
    const j = new UsageJournal(dir);
    const rows = [row(1), row(2), row(3)];
    for (const r of rows) j.append(r);
    expect(files(dir)).toEqual(["0000000001.jsonl"]);
    const text = fs.readFileSync(path.join(dir, "0000000001.jsonl"), "utf8");
    expect(text.split("\n")).toHaveLength(4);
    const back = readSegment(path.join(dir, "0000000001.jsonl"));
    expect(back.skipped).toBe(0);
    expect(back.rows).toEqual(rows);
    expect(back.rows[0].at).toBeInstanceOf(Date);
  });

  it("rotates segments by size and deletes each once all its records are committed", () => {
    const j = new UsageJournal(dir, 1_000);
    const rows = Array.from({ length: 6 }, (_, i) => row(i));
    for (const r of rows) j.append(r);
    // Each record is ~600 bytes: two per segment before the segment passes 1,000 bytes.
    expect(files(dir)).toEqual(["0000000001.jsonl", "0000000002.jsonl", "0000000003.jsonl"]);
    j.committed([rows[0]]);
    expect(files(dir)).toHaveLength(3);
    j.committed([rows[1], rows[3]]);
    expect(files(dir)).toEqual(["0000000002.jsonl", "0000000003.jsonl"]);
    j.committed([rows[2]]);
    expect(files(dir)).toEqual(["0000000003.jsonl"]);
    // The current segment goes too once fully committed; the next record starts a new one.
    j.committed([rows[4], rows[5]]);
    expect(files(dir)).toEqual([]);
    j.append(row(7));
    expect(files(dir)).toEqual(["0000000004.jsonl"]);
    expect(j.segments).toEqual([path.join(dir, "0000000004.jsonl")]);
  });

  it("ignores records it never journaled and commits counted once", () => {
    const j = new UsageJournal(dir);
    const a = row(1);
    j.append(a);
    j.committed([row(2)]);
    expect(files(dir)).toHaveLength(1);
    j.committed([a, a]);
    expect(files(dir)).toHaveLength(0);
  });

  it("keeps segments with uncommitted records when closed, and continues their numbering", () => {
    const j = new UsageJournal(dir, 1_000);
    const rows = Array.from({ length: 4 }, (_, i) => row(i));
    for (const r of rows) j.append(r);
    j.committed(rows.slice(0, 2));
    j.close();
    expect(files(dir)).toEqual(["0000000002.jsonl"]);
    const next = new UsageJournal(dir);
    next.append(row(9));
    expect(files(dir)).toEqual(["0000000002.jsonl", "0000000003.jsonl"]);
  });

  it("replays segments in order, deletes them, and ignores a line torn by a crash", async () => {
    const instance = instanceJournalDir(dir, 3000, "host/1");
    expect(path.basename(instance)).toBe("host_1-3000");
    const j = new UsageJournal(instance, 50_000);
    const rows = Array.from({ length: 300 }, (_, i) => row(i));
    for (const r of rows) j.append(r);
    // A process killed in the middle of a write leaves half a line at the end of the file.
    fs.appendFileSync(j.segments[0], JSON.stringify(row(999)).slice(0, 80));
    const segments = j.segments.length;
    expect(segments).toBeGreaterThan(2);
    const written: UsageRow[][] = [];
    const result = await replayUsageJournal(journalDirs(dir), async (batch) => void written.push(batch));
    // Segments of fewer than 250 records here: one batch each.
    expect(written).toHaveLength(segments);
    expect(written.flat().map((r) => r.requestId)).toEqual(rows.map((r) => r.requestId));
    expect(written.flat()[5]).toEqual(rows[5]);
    expect(result).toEqual({ segments, records: 300, skipped: 1, failed: 0 });
    // Replayed journals are removed with their directory.
    expect(fs.existsSync(instance)).toBe(false);
  });

  it("writes a large segment in batches, skips a damaged line in the middle and keeps a segment whose records could not be written", async () => {
    const j = new UsageJournal(dir);
    j.append(row(1));
    fs.appendFileSync(j.segments[0], "{not json}\n");
    j.append(row(2));
    j.close();
    const failed = await replayUsageJournal([dir], async () => {
      throw new Error("database refused");
    });
    expect(failed).toEqual({ segments: 0, records: 0, skipped: 1, failed: 1 });
    expect(files(dir)).toEqual(["0000000001.jsonl"]);
    const ids: string[] = [];
    const ok = await replayUsageJournal([dir], async (batch) => void ids.push(...batch.map((r) => r.requestId)));
    expect(ok).toEqual({ segments: 1, records: 2, skipped: 1, failed: 0 });
    expect(ids).toEqual(["req_1", "req_2"]);

    const big = new UsageJournal(dir);
    for (let i = 0; i < 300; i++) big.append(row(i));
    const sizes: number[] = [];
    await replayUsageJournal([dir], async (batch) => void sizes.push(batch.length));
    expect(sizes).toEqual([250, 50]);
  });
});

describe("usage sink with the journal", () => {
  const event = (i: number): UsageEvent => ({
    requestId: `r${i}`,
    at: new Date(),
    workspaceId: "w",
    virtualKeyId: "k",
    userId: null,
    agentId: null,
    model: "m",
    modelId: null,
    platformId: null,
    deploymentId: null,
    upstreamModel: null,
    endpoint: "chat.completions",
    status: 200,
    outcome: "success",
    errorCode: null,
    attempts: [],
    usage: { inputTokens: 1, outputTokens: 1, cachedTokens: 0 },
    estimated: false,
    costUsd: 0.00000285,
    latencyMs: 1,
    ttftMs: null,
    streamed: false,
  });

  it("journals each record as it is queued and trims the journal once the batch is written", async () => {
    const j = openUsageJournal(path.join(dir, "me"));
    let fail = true;
    const sink = new BufferedUsageSink(async () => {
      if (fail) throw new Error("db down");
    });
    for (let i = 0; i < 300; i++) sink.record(event(i));
    expect(readSegment(j.segments[0]).rows.map((r) => r.requestId)).toEqual(Array.from({ length: 300 }, (_, i) => `r${i}`));
    await sink.flush();
    // Not written: the journal keeps every record for a restart to replay.
    expect(readSegment(j.segments[0]).rows).toHaveLength(300);
    fail = false;
    await sink.flush();
    expect(j.segments).toEqual([]);
    expect(files(path.join(dir, "me"))).toEqual([]);
  });
});
