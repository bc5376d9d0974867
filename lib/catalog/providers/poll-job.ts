import { env } from "../../env";
import { isAppError } from "../../errors";
import { withLease } from "../../jobs/lease";
import type { ScheduledJob } from "../../jobs/scheduler";
import { logger } from "../../log";
import { refreshRemoteCatalog } from "./remote";

// Polls the remote catalog and syncs the providers that follow updates, on one app instance at a time. A catalog
// that cannot be fetched or read is the publisher's outage, not ours: a warning, and the next poll tries again.
export const catalogPollJob: ScheduledJob = {
  name: "catalog.providers",
  everyMs: env.SWITCHBOARD_CATALOG_POLL_SECONDS * 1000,
  async run() {
    await withLease("catalog.providers", 10 * 60_000, async () => {
      try {
        await refreshRemoteCatalog();
      } catch (e) {
        if (!isAppError(e)) throw e;
        logger.warn("catalog: the remote catalog could not be polled", { error: e.message, fields: e.fields });
      }
    });
  },
};
