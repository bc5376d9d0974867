import { db } from "../db/client";
import type { Prisma, Tx } from "../db/types";
import type { Actor } from "../auth/actor";
import { notFound } from "../errors";
import type { ConnectorDto } from "../schemas/connectors";
import { requireConnectorAccess } from "./access";
import { connectorSelect, toConnectorDtos } from "./connector-dto";

export async function getConnectorIn(tx: Tx, where: Prisma.ConnectorWhereInput): Promise<ConnectorDto> {
  const row = await tx.connector.findFirst({ where, select: connectorSelect });
  if (!row) throw notFound("Connector");
  return (await toConnectorDtos(tx, [row]))[0];
}

export async function getConnector(opts: { actor: Actor; connectorId: string }): Promise<ConnectorDto> {
  const scope = await requireConnectorAccess(opts.actor, opts.connectorId, "integrations.read");
  return getConnectorIn(db, scope.where);
}
