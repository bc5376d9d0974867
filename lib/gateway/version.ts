import type { Tx } from "../db/types";

// The routing snapshot's change counter: every registry write the gateway depends on bumps it inside its own
// transaction, and every instance polls it (one tiny query) to know when to rebuild.
export async function bumpGatewayVersion(tx: Tx): Promise<void> {
  await tx.gatewayVersion.upsert({ where: { id: 1 }, create: { id: 1, version: 1 }, update: { version: { increment: 1 } } });
}

export async function readGatewayVersion(tx: Tx): Promise<number> {
  const row = await tx.gatewayVersion.findUnique({ where: { id: 1 }, select: { version: true } });
  return row?.version ?? 0;
}
