import type { IsolationLevel, SqlQuery } from "@prisma/driver-adapter-utils";
import type { BatchStep } from "./embedded";

// The messages between the server's thread and the embedded database's thread (lib/db/threaded.ts and
// lib/db/pglite-thread.ts). Every request carries an id; its reply carries the same id and a value or an error.

export type ThreadRequest = { id: number } & (
  | { op: "queryRaw" | "executeRaw"; query: SqlQuery; tx?: number }
  | { op: "executeScript"; script: string }
  | { op: "startTransaction"; isolationLevel?: IsolationLevel }
  | { op: "commit" | "rollback"; tx: number }
  | { op: "batch"; steps: BatchStep[] }
  | { op: "close" }
);

/** An error as it crosses: structured cloning keeps neither a class nor properties such as `code`. */
export interface WireError {
  name: string;
  message: string;
  code?: string;
  cause?: unknown;
}

export type ThreadReply = { id: number; value?: unknown; error?: WireError };

export interface ThreadOptions {
  dir: string;
  startParams: string[];
}

export function toWireError(e: unknown): WireError {
  if (!(e instanceof Error)) return { name: "Error", message: String(e) };
  const { code, cause } = e as { code?: unknown; cause?: unknown };
  return {
    name: e.name,
    message: e.message,
    ...(typeof code === "string" ? { code } : {}),
    // A driver adapter error's cause is a plain object (the mapped database error) that Prisma reads.
    ...(e.name === "DriverAdapterError" && cause && typeof cause === "object" ? { cause: structuredClone(cause) } : {}),
  };
}
