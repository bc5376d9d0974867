import type { Tx } from "../db/types";

// The gateway serves from an in-memory snapshot of the registry and the workspace keys. Every change to them
// bumps this counter in the same transaction, so each instance sees a committed change by polling one row.
export async function bumpGatewayVersion(tx: Tx): Promise<void> {
  await tx.gatewayVersion.upsert({ where: { id: 1 }, create: { id: 1, version: 1 }, update: { version: { increment: 1 } } });
}

export async function readGatewayVersion(tx: Tx): Promise<number> {
  const row = await tx.gatewayVersion.findUnique({ where: { id: 1 }, select: { version: true } });
  return row?.version ?? 0;
}
