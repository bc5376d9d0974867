const dateTime = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short" });
const dateOnly = new Intl.DateTimeFormat("en", { dateStyle: "medium" });

export function formatDateTime(iso: string | Date | null | undefined): string {
  return iso ? dateTime.format(new Date(iso)) : "—";
}

export function formatDate(iso: string | Date | null | undefined): string {
  return iso ? dateOnly.format(new Date(iso)) : "—";
}

/** "3 minutes ago", falling back to a date after a week. */
export function formatRelative(iso: string | Date | null | undefined, now = Date.now()): string {
  if (!iso) return "Never";
  const ms = now - new Date(iso).getTime();
  const rtf = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
  const min = Math.round(ms / 60_000);
  if (Math.abs(min) < 1) return "just now";
  if (Math.abs(min) < 60) return rtf.format(-min, "minute");
  const h = Math.round(min / 60);
  if (Math.abs(h) < 24) return rtf.format(-h, "hour");
  const d = Math.round(h / 24);
  if (Math.abs(d) < 7) return rtf.format(-d, "day");
  return formatDate(iso);
}
