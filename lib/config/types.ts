import type { Actor } from "../auth/actor";
import type { Tx } from "../db/types";
import type { z } from "zod";
import type { FieldProblem } from "../errors";

export interface ConfigChange {
  section: string;
  name: string;
  action: "create" | "update" | "unchanged";
  fields?: string[];
  /** Where values the file left out came from (e.g. a catalog entry). */
  note?: string;
}

/** Where the document came from, for sections that read what it points at before the transaction. */
export interface PrepareContext {
  actor: Actor;
  /** The start-up file's directory: only then may the document name local files (relative to it). */
  baseDir: string | null;
}

export interface ApplyContext {
  tx: Tx;
  actor: Actor;
  requestId?: string;
  dryRun: boolean;
}

/**
 * One top-level section of the configuration file. Later features register theirs in lib/config/sections.ts;
 * apply must be idempotent (applying the same items twice reports "unchanged" and writes nothing).
 */
export interface ConfigSection<T> {
  key: string;
  /** Schema of one item; the section is an array of these. */
  item: z.ZodType<T>;
  /** Name used to match items between the file and the database, and to report duplicates. */
  identity(item: T): string;
  /** Item fields that hold secrets (may be written as ${env:NAME}). */
  secretFields?: string[];
  /**
   * Optional work before the transaction (fetching and validating what items point at); returns problems by path.
   * Runs only when the whole document is valid; nothing may be written here.
   */
  prepare?(items: T[], ctx: PrepareContext): Promise<FieldProblem[]>;
  apply(items: T[], ctx: ApplyContext): Promise<ConfigChange[]>;
  /**
   * Optional second pass, run after every section's apply: for parts of an item that refer to objects a later
   * section creates (workspace keys name models).
   */
  applyLate?(items: T[], ctx: ApplyContext): Promise<ConfigChange[]>;
  /** Optional work to start once the apply has committed, given this section's changes (not after a dry run). */
  afterCommit?(changes: ConfigChange[]): void;
  export(tx: Tx): Promise<Record<string, unknown>[]>;
}
