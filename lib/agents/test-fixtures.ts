import { db } from "../db/client";
import type { Actor } from "../auth/actor";
import { createProvider } from "../providers/import-provider";

// Test helpers for this folder: a provider imported through the real import code, and connectors of it as
// rows (their management is another module's; assignments only need the row).

export const TINY_API = `openapi: 3.0.3
info: { title: Tiny billing, version: "1.0" }
servers: [{ url: "https://billing.example.com/v1" }]
paths:
  /charges:
    get:
      operationId: listCharges
      summary: List charges
      parameters: [{ name: limit, in: query, schema: { type: integer, minimum: 1 } }]
      responses: { "200": { description: ok } }
    post:
      operationId: createCharge
      summary: Create a charge
      requestBody:
        required: true
        content: { application/json: { schema: { type: object, required: [amount], properties: { amount: { type: integer }, note: { type: string } } } } }
      responses: { "201": { description: created } }
  /charges/{id}:
    parameters: [{ name: id, in: path, required: true, schema: { type: string } }]
    get: { operationId: getCharge, summary: Read a charge, responses: { "200": { description: ok } } }
    delete: { operationId: refundCharge, summary: Refund a charge, responses: { "204": { description: gone } } }
`;

export async function importTinyProvider(actor: Actor, workspaceId: string, name = "Tiny billing") {
  return createProvider({ actor, workspaceId, input: { name, document: TINY_API } });
}

export async function createConnectorRow(opts: {
  workspaceId: string;
  providerId: string;
  name: string;
  public?: boolean;
  createdById?: string | null;
  pinnedVersionId?: string | null;
}) {
  return db.connector.create({
    data: {
      workspaceId: opts.workspaceId,
      providerId: opts.providerId,
      name: opts.name,
      baseUrl: "https://billing.example.com/v1",
      authMode: "bearer",
      authSettings: { secretIds: {} },
      public: opts.public ?? true,
      createdById: opts.createdById ?? null,
      pinnedVersionId: opts.pinnedVersionId ?? null,
    },
  });
}
