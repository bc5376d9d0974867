import type { PriceDto } from "@/lib/models/model-dto";

/** "$2.50", "$0.075", "$0.01875": at least two decimals, never more than the stored six, no float rounding. */
export function formatPrice(v: string | null | undefined): string {
  if (v === null || v === undefined) return "—";
  const [int, frac = ""] = v.split(".");
  const trimmed = frac.replace(/0+$/, "");
  return `$${Number(int).toLocaleString("en")}.${trimmed.padEnd(2, "0")}`;
}

export const priceTriple = (p: PriceDto | null) =>
  p
    ? `${formatPrice(p.inputPerMillion)} / ${formatPrice(p.outputPerMillion)}${p.cachedInputPerMillion ? ` · cached ${formatPrice(p.cachedInputPerMillion)}` : ""}`
    : "No price";

/** 128000 -> "128K", 1047576 -> "1M", 130815 -> "131K". */
export function formatTokens(n: number | null | undefined): string {
  if (!n) return "—";
  if (n >= 1_000_000) return `${+(n / 1_048_576 >= 0.995 && n % 1_048_576 === 0 ? n / 1_048_576 : n / 1_000_000).toFixed(2)}M`;
  if (n >= 1_000) return `${Math.round(n / 1_000)}K`;
  return String(n);
}

/** A datetime-local value (local time, minutes) for a Date. */
export function toLocalInput(d: Date): string {
  const pad = (x: number) => String(x).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Token counts typed as "128000", "128,000" or "128 000"; empty is undefined, anything else NaN (refused by the schema). */
export function tokensFrom(v: FormDataEntryValue | null): number | undefined {
  const s = typeof v === "string" ? v.trim().replace(/[,_\s]/g, "") : "";
  return s ? Number(s) : undefined;
}
