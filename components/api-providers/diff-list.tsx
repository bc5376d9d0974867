import { Badge } from "@/components/ui/badge";

export type DiffEntry = {
  method: string;
  path: string;
  operationId: string;
  summary: string;
  breaking: boolean;
  changes: { kind: string; detail: string; breaking: boolean }[];
};
export type Diff = { added: DiffEntry[]; removed: DiffEntry[]; changed: DiffEntry[]; breaking: boolean };

/** Added, removed and changed operations of two versions (or of a version and its catalog entry's latest). */
export function DiffList({ diff: d, testId, empty }: { diff: Diff; testId: string; empty: string }) {
  const groups: [string, DiffEntry[], "green" | "red" | "amber"][] = [
    ["Added", d.added, "green"],
    ["Removed", d.removed, "red"],
    ["Changed", d.changed, "amber"],
  ];
  if (!d.added.length && !d.removed.length && !d.changed.length) return <p className="text-sm text-slate-500">{empty}</p>;
  return (
    <div className="space-y-3" data-testid={testId}>
      <p className="text-sm text-slate-600">
        {d.added.length} added, {d.removed.length} removed, {d.changed.length} changed
        {d.breaking && (
          <Badge tone="red" className="ml-2">
            breaking changes
          </Badge>
        )}
      </p>
      {groups.map(([title, entries, tone]) =>
        entries.length ? (
          <div key={title}>
            <h3 className="mb-1 text-sm font-semibold text-slate-800">{title}</h3>
            <ul className="divide-y divide-slate-100 rounded-md ring-1 ring-slate-200">
              {entries.map((e) => (
                <li key={`${e.method} ${e.path}`} className="px-3 py-2 text-sm">
                  <Badge tone={tone}>{e.method}</Badge> <code className="font-mono text-xs">{e.path}</code>{" "}
                  <span className="text-slate-500">{e.operationId}</span>
                  {e.breaking && (
                    <Badge tone="red" className="ml-1.5">
                      breaking
                    </Badge>
                  )}
                  {title === "Changed" && (
                    <ul className="mt-1 list-disc pl-5 text-xs text-slate-600">
                      {e.changes.map((c, i) => (
                        <li key={i} className={c.breaking ? "text-red-700" : undefined}>
                          {c.detail}
                        </li>
                      ))}
                    </ul>
                  )}
                </li>
              ))}
            </ul>
          </div>
        ) : null,
      )}
    </div>
  );
}
