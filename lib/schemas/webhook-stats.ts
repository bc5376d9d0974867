import { z } from "./zod";

// An endpoint's calls over time (the event log's chart): GET /api/admin/webhooks/{id}/stats?range=.

export const WEBHOOK_STATS_RANGES = ["24h", "7d", "30d"] as const;
export type WebhookStatsRange = (typeof WEBHOOK_STATS_RANGES)[number];

export const webhookStatsQuerySchema = z.object({
  range: z.enum(WEBHOOK_STATS_RANGES, { message: "Use 24h, 7d or 30d" }).default("24h"),
});

const countsShape = {
  received: z.number().int().describe("Events logged: requests the ingress answered, verified or not, and replays"),
  verified: z.number().int().describe("Requests whose signature was verified (duplicates included)"),
  refused: z.number().int().describe("Requests refused: bad or missing signature, old timestamp, too large, disabled"),
  duplicates: z.number().int().describe("Verified requests whose event id was seen before (answered 200, not run again)"),
};

export const webhookStatsSchema = z.object({
  range: z.enum(WEBHOOK_STATS_RANGES),
  bucket: z.enum(["hour", "day"]).describe("hour for 24h; UTC days for 7d and 30d"),
  from: z.iso.datetime().describe("Start of the first bucket"),
  to: z.iso.datetime(),
  ...countsShape,
  points: z
    .array(z.object({ t: z.iso.datetime().describe("Start of the bucket"), ...countsShape }))
    .describe("Every bucket of the range, oldest first, empty ones with zeros"),
});
export type WebhookStats = z.output<typeof webhookStatsSchema>;
