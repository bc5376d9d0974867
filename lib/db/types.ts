import type { Prisma, PrismaClient } from "./generated/client";

/** Either the client or an interactive transaction: domain writes accept both so callers can compose them. */
export type Tx = Prisma.TransactionClient | PrismaClient;
export type { Prisma };
