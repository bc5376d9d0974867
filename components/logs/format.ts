import type { UsageRequestDto } from "@/lib/schemas/usage";

const int = new Intl.NumberFormat("en");

export const formatTokens = (n: number) => int.format(n);

/** Costs are tiny per request: show enough places to be non-zero, never float noise. */
export function formatCost(usd: string): string {
  const n = Number(usd);
  if (n === 0) return "$0";
  if (n >= 0.01) return `$${n.toFixed(4)}`;
  return `$${n.toFixed(6).replace(/0+$/, "")}`;
}

export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "—";
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

export const statusTone = (status: number | null) =>
  status === null ? ("slate" as const) : status < 300 ? ("green" as const) : status < 500 ? ("amber" as const) : ("red" as const);

export const OUTCOME_LABELS: Record<UsageRequestDto["outcome"], string> = {
  success: "Success",
  error: "Error",
  partial: "Incomplete",
  client_aborted: "Client aborted",
};

export const outcomeTone = (o: UsageRequestDto["outcome"]) =>
  o === "success" ? ("green" as const) : o === "error" ? ("red" as const) : ("amber" as const);

export function servedByLabel(r: Pick<UsageRequestDto, "servedBy" | "upstreamModel">): string {
  if (!r.servedBy) return "—";
  const name = r.servedBy.name ?? `${r.servedBy.type} ${r.servedBy.id} (deleted)`;
  return r.upstreamModel ? `${name} · ${r.upstreamModel}` : name;
}

export function keyLabel(k: UsageRequestDto["key"]): string {
  if (!k) return "—";
  return k.name ?? `${k.id} (deleted)`;
}
