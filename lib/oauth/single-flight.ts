import { processSingleton } from "../db/global";

// One refresh per connection at a time within this process: concurrent callers share the first caller's
// promise (across processes the caller's own `SELECT ... FOR UPDATE` serializes them). Shared by the
// connectors' end-user tokens and the MCP servers' workspace tokens.

const inFlight = () => processSingleton<Map<string, Promise<unknown>>>("oauthRefreshesInFlight", () => new Map());

export function singleFlight<T>(key: string, run: () => Promise<T>): Promise<T> {
  const pending = inFlight().get(key) as Promise<T> | undefined;
  if (pending) return pending;
  const p = run().finally(() => inFlight().delete(key));
  inFlight().set(key, p);
  return p;
}
