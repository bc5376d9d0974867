import { env } from "../../env";
import { withLease } from "../../jobs/lease";
import type { ScheduledJob } from "../../jobs/scheduler";
import { refreshRemoteCatalog } from "./remote";

// Polls the remote catalog and syncs the providers that follow updates, on one app instance at a time.
export const catalogPollJob: ScheduledJob = {
  name: "catalog.providers",
  everyMs: env.SWITCHBOARD_CATALOG_POLL_SECONDS * 1000,
  async run() {
    await withLease("catalog.providers", 10 * 60_000, async () => void (await refreshRemoteCatalog()));
  },
};
