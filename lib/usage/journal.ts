import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { processSingleton } from "../db/global";
import { logger } from "../log";
import type { UsageRow } from "./write";

// The usage journal: every usage record is appended to a local file before its answer completes, so a process
// that dies (kill -9, OOM) between answering and writing its batch loses no billing. One write() per record
// (~2 us of system time): the OS keeps the page cache across a process crash, so no fsync (a power loss can
// still lose the last seconds). Records go to numbered segment files; a segment is deleted once every record
// in it is committed to the database, and the current one is closed and deleted as soon as it is fully
// committed (after each flush when traffic is light) or grows past SEGMENT_BYTES (the next record starts a new
// one). At start, segments left by a dead process are replayed before serving: writeUsageRows skips request
// ids already stored, so a record written twice counts once.

const SEGMENT_BYTES = 4 * 1024 * 1024;
const SEGMENT_FILE = /^(\d{10})\.jsonl$/;
const REPLAY_BATCH = 250;

interface Segment {
  seq: number;
  file: string;
  fd: number | null;
  bytes: number;
  /** Records appended to this segment and not yet committed. */
  pending: number;
}

const segmentName = (seq: number) => `${String(seq).padStart(10, "0")}.jsonl`;

function segmentSeqs(dir: string): number[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw e;
  }
  const seqs: number[] = [];
  for (const n of names) {
    const m = SEGMENT_FILE.exec(n);
    if (m) seqs.push(Number(m[1]));
  }
  return seqs.sort((a, b) => a - b);
}

export class UsageJournal {
  private current: Segment | null = null;
  private readonly open = new Set<Segment>();
  private readonly owner = new WeakMap<object, Segment>();
  private nextSeq: number;
  private failures = 0;

  constructor(
    readonly dir: string,
    private readonly segmentBytes = SEGMENT_BYTES,
  ) {
    fs.mkdirSync(dir, { recursive: true });
    // Segments already here (a replay that failed) keep their numbers; new ones come after them.
    this.nextSeq = (segmentSeqs(dir).at(-1) ?? 0) + 1;
  }

  /** Segment files this journal still holds (the current one included). */
  get segments(): string[] {
    return [...this.open].map((s) => s.file);
  }

  /** Appends one record; never throws (a record that cannot be journaled is still queued for the database). */
  append(row: UsageRow): void {
    let seg = this.current;
    try {
      if (!seg || seg.bytes >= this.segmentBytes) seg = this.rotate();
      // The time as epoch milliseconds: a Date's toJSON takes JSON.stringify off its fast path (~1.5 us a record).
      const line = `${JSON.stringify({ ...row, at: row.at instanceof Date ? row.at.getTime() : row.at })}\n`;
      const size = Buffer.byteLength(line);
      let written = fs.writeSync(seg.fd!, line);
      // A short write (disk full) must not leave half a line that the next record would be glued to.
      if (written < size) {
        const buf = Buffer.from(line);
        while (written < size) written += fs.writeSync(seg.fd!, buf, written);
      }
      seg.bytes += size;
      seg.pending++;
      this.owner.set(row, seg);
    } catch (e) {
      if (this.failures++ % 1000 === 0) logger.error("usage journal write failed", { dir: this.dir, failures: this.failures, error: e });
      // The segment may now end in a partial line: later records go to a fresh one.
      try {
        if (seg) this.seal(seg);
      } catch (closeError) {
        logger.error("usage journal segment could not be closed", { file: seg?.file, error: closeError });
      }
    }
  }

  /** These records are in the database: segments whose records are all committed are deleted. */
  committed(rows: readonly UsageRow[]): void {
    for (const row of rows) {
      const seg = this.owner.get(row);
      if (!seg) continue;
      this.owner.delete(row);
      if (--seg.pending === 0) this.retire(seg);
    }
  }

  /** Closes the file; segments with uncommitted records stay for the next start to replay. */
  close(): void {
    // A copy: retiring or sealing a segment takes it out of the set.
    for (const seg of Array.from(this.open)) {
      if (seg.pending === 0) this.retire(seg);
      else this.seal(seg);
    }
    this.current = null;
  }

  private rotate(): Segment {
    if (this.current) this.seal(this.current);
    const seq = this.nextSeq++;
    const file = path.join(this.dir, segmentName(seq));
    const seg: Segment = { seq, file, fd: fs.openSync(file, "a"), bytes: 0, pending: 0 };
    this.open.add(seg);
    this.current = seg;
    return seg;
  }

  /** No more appends to this segment. */
  private seal(seg: Segment) {
    if (seg.fd !== null) {
      fs.closeSync(seg.fd);
      seg.fd = null;
    }
    if (this.current === seg) this.current = null;
    if (seg.pending === 0) this.retire(seg);
  }

  private retire(seg: Segment) {
    if (seg.fd !== null) fs.closeSync(seg.fd);
    seg.fd = null;
    if (this.current === seg) this.current = null;
    this.open.delete(seg);
    // Synchronous: at most once per flush, and a stop that exits right after must not leave it to be replayed.
    try {
      fs.rmSync(seg.file, { force: true });
    } catch (e) {
      logger.warn("usage journal segment not deleted", { file: seg.file, error: e });
    }
  }
}

/** Where journals live: one directory per instance under the data directory. */
export const journalRoot = (dataDir: string) => path.join(dataDir, "usage-journal");

/**
 * This instance's journal directory. Instances sharing a data directory (PostgreSQL deployments on one host) each
 * keep their own, named after the host and port, so a restarted instance finds its own journal.
 */
export function instanceJournalDir(dataDir: string, port: number, host = os.hostname()): string {
  return path.join(journalRoot(dataDir), `${host.replace(/[^A-Za-z0-9._-]/g, "_")}-${port}`);
}

/** Every instance journal directory under the data directory. */
export function journalDirs(dataDir: string): string[] {
  const root = journalRoot(dataDir);
  try {
    return fs
      .readdirSync(root, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => path.join(root, d.name));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw e;
  }
}

export interface ReplayResult {
  segments: number;
  records: number;
  /** Lines that could not be read: a last line torn by the crash, or damage. */
  skipped: number;
  /** Segments kept because their records could not be written (replayed again at the next start). */
  failed: number;
}

/** The records of one segment file; a torn or damaged line is skipped. */
export function readSegment(file: string): { rows: UsageRow[]; skipped: number } {
  const text = fs.readFileSync(file, "utf8");
  const rows: UsageRow[] = [];
  let skipped = 0;
  let start = 0;
  for (;;) {
    const end = text.indexOf("\n", start);
    // Text after the last newline is a write the crash cut short.
    if (end < 0) {
      if (start < text.length) skipped++;
      break;
    }
    const line = text.slice(start, end);
    start = end + 1;
    if (!line) continue;
    try {
      const row = JSON.parse(line) as UsageRow;
      if (typeof row?.requestId !== "string" || typeof row.workspaceId !== "string") throw new Error("not a usage record");
      if (row.at !== undefined) row.at = new Date(row.at);
      rows.push(row);
    } catch {
      skipped++;
    }
  }
  return { rows, skipped };
}

/**
 * Writes the records of the segments in `dirs` (left by a process that stopped without committing them) and
 * deletes each segment once written. Run before serving and before this process opens its own journal.
 */
export async function replayUsageJournal(dirs: readonly string[], write: (rows: UsageRow[]) => Promise<unknown>): Promise<ReplayResult> {
  const result: ReplayResult = { segments: 0, records: 0, skipped: 0, failed: 0 };
  for (const dir of dirs) {
    for (const seq of segmentSeqs(dir)) {
      const file = path.join(dir, segmentName(seq));
      const { rows, skipped } = readSegment(file);
      result.skipped += skipped;
      try {
        for (let i = 0; i < rows.length; i += REPLAY_BATCH) await write(rows.slice(i, i + REPLAY_BATCH));
      } catch (e) {
        result.failed++;
        logger.error("usage journal replay failed; the segment is kept for the next start", { file, records: rows.length, error: e });
        continue;
      }
      fs.rmSync(file, { force: true });
      result.segments++;
      result.records += rows.length;
    }
    // A journal left empty by a stopped instance goes; one that still holds a failed segment stays.
    try {
      fs.rmdirSync(dir);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== "ENOTEMPTY" && code !== "ENOENT" && code !== "EEXIST") throw e;
    }
  }
  return result;
}

const holder = () => processSingleton<{ journal: UsageJournal | null }>("usageJournal", () => ({ journal: null }));

/** The process's open journal, or null when none was opened (`next dev`, scripts, tests). */
export const usageJournal = (): UsageJournal | null => holder().journal;

/** Opens this process's journal (the server does, after replaying what a previous run left). */
export function openUsageJournal(dir: string): UsageJournal {
  const h = holder();
  h.journal?.close();
  h.journal = new UsageJournal(dir);
  return h.journal;
}

/** Closes the journal at shutdown, after the last flush: fully committed segments are deleted. */
export function closeUsageJournal(): void {
  const h = holder();
  h.journal?.close();
  h.journal = null;
}
