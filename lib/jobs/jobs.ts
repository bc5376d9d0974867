import type { ScheduledJob } from "./scheduler";
import { deploymentHealthJob } from "../deployments/health-job";
import { pruneBodiesJob } from "../gateway/prune-bodies";
import { budgetSweepJob } from "../budgets/budget-job";
import { usageRetentionJob } from "../usage/retention-job";
import { catalogPollJob } from "../catalog/providers/poll-job";
import { mcpRefreshJob } from "../mcp/refresh-job";
import { mcpWatchJob } from "../mcp/watcher";
import { webhookDeliveryJob } from "../webhooks/delivery-job";

// Background jobs started by scripts/server.ts. Each job that must run once across app instances takes a lease.
export const SCHEDULED_JOBS: ScheduledJob[] = [
  deploymentHealthJob,
  pruneBodiesJob,
  budgetSweepJob,
  usageRetentionJob,
  catalogPollJob,
  mcpRefreshJob,
  mcpWatchJob,
  webhookDeliveryJob,
];
