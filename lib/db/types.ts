import type { Db } from "./client";
import type { Prisma } from "./generated/client";

/** The interactive-transaction client (same omit rules as `db`). */
export type TxClient = Parameters<Parameters<Db["$transaction"]>[0]>[0];
/** Either the client or an interactive transaction: domain writes accept both so callers can compose them. */
export type Tx = TxClient | Db;
export type { Prisma };
