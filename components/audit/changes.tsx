function show(v: unknown): string {
  if (v === null || v === undefined || v === "") return "∅";
  if (typeof v === "string") return v;
  return JSON.stringify(v);
}

/** An audit entry's `changes` as `field: from → to`, one per line. */
export function AuditChanges({ changes }: { changes: Record<string, { from: unknown; to: unknown }> | null | undefined }) {
  const entries = Object.entries(changes ?? {});
  if (!entries.length) return <span className="text-slate-400">—</span>;
  return (
    <ul className="space-y-0.5 font-mono text-xs">
      {entries.map(([field, { from, to }]) => (
        <li key={field} className="break-all">
          <span className="text-slate-500">{field}:</span> <span className="text-slate-500">{show(from)}</span>{" "}
          <span className="text-slate-400">→</span> <span className="text-slate-800">{show(to)}</span>
        </li>
      ))}
    </ul>
  );
}

export function ActionBadge({ action }: { action: string }) {
  const verb = action.split(".").pop() ?? action;
  const tone = /delete|remove|revoke/.test(verb)
    ? "bg-red-50 text-red-700 ring-red-200"
    : /create|add|accept|invite/.test(verb)
      ? "bg-emerald-50 text-emerald-700 ring-emerald-200"
      : "bg-slate-100 text-slate-700 ring-slate-200";
  return <code className={`rounded px-1.5 py-0.5 font-mono text-xs ring-1 ring-inset ${tone}`}>{action}</code>;
}
