import { z, listQuerySchema } from "./zod";

// A connector's activity: the tool calls made through it (lib/tools/record-call.ts writes them).

export const CALL_OUTCOMES = ["ok", "upstream_error", "timeout", "refused", "invalid_input", "failed"] as const;

export const connectorCallQuerySchema = listQuerySchema.omit({ q: true }).extend({
  /** An exact HTTP status of the API ("404") or a class ("5xx"). */
  status: z
    .string()
    .trim()
    .regex(/^([1-5]xx|[1-5]\d\d)$/, "Use an HTTP status such as 404, or a class: 2xx, 4xx or 5xx")
    .optional(),
  outcome: z.enum(CALL_OUTCOMES).optional(),
  operationId: z.string().trim().min(1).max(256).optional(),
});
export type ConnectorCallQuery = z.infer<typeof connectorCallQuerySchema>;

export const connectorCallDtoSchema = z.object({
  id: z.string(),
  operationId: z.string(),
  method: z.string(),
  path: z.string().describe("The operation's path template, never the values sent"),
  status: z.number().int().nullable().describe("The API's HTTP status; null when no answer came (timeout, refused, invalid input)"),
  outcome: z.enum(CALL_OUTCOMES),
  errorCode: z.string().nullable(),
  latencyMs: z.number().int(),
  endUserId: z.string().nullable(),
  agent: z.string().nullable(),
  keyId: z.string().nullable(),
  createdAt: z.iso.datetime(),
});
export type ConnectorCallDto = z.output<typeof connectorCallDtoSchema>;

export const connectorCallPageSchema = z.object({ data: z.array(connectorCallDtoSchema), nextCursor: z.string().nullable() });

export const connectorCallSummaryQuerySchema = z.object({
  hours: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(24),
});

export const connectorCallSummarySchema = z.object({
  from: z.iso.datetime(),
  to: z.iso.datetime(),
  calls: z.number().int(),
  errors: z.number().int().describe("Calls whose outcome is not ok"),
  hours: z
    .array(z.object({ hour: z.iso.datetime(), calls: z.number().int(), errors: z.number().int() }))
    .describe("Hours with calls, oldest first"),
});
export type ConnectorCallSummary = z.output<typeof connectorCallSummarySchema>;
