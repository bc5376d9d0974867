import type { UsageGroupRow } from "../schemas/usage";

// CSV as RFC 4180 (CRLF, fields with a comma, quote or line break quoted, quotes doubled), with text cells that a
// spreadsheet would run as a formula (= + - @, tab, CR) prefixed by an apostrophe (OWASP "CSV injection").

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(v: string | number): string {
  let s = String(v);
  if (typeof v === "string" && FORMULA_START.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const USAGE_CSV_COLUMNS = [
  "group",
  "label",
  "requests",
  "errors",
  "inputTokens",
  "outputTokens",
  "cachedTokens",
  "costUsd",
] as const;

export function usageCsv(rows: UsageGroupRow[]): string {
  const lines = [USAGE_CSV_COLUMNS.join(",")];
  for (const r of rows) lines.push(USAGE_CSV_COLUMNS.map((c) => csvCell(r[c])).join(","));
  return `${lines.join("\r\n")}\r\n`;
}
