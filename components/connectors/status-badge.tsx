import type { ConnectorDto, ConnectorStatus } from "@/lib/schemas/connectors";
import { Badge } from "@/components/ui/badge";
import { formatDateTime, formatRelative } from "@/components/ui/format";

const TONES: Record<ConnectorStatus, "green" | "amber" | "red" | "slate"> = {
  active: "green",
  needs_reauth: "amber",
  expired: "amber",
  failing: "red",
  untested: "slate",
};
export const STATUS_LABELS: Record<ConnectorStatus, string> = {
  active: "Active",
  needs_reauth: "Needs re-auth",
  expired: "Expired",
  failing: "Failing",
  untested: "Not tested",
};

export function StatusBadge({ status }: { status: ConnectorStatus }) {
  return (
    <Badge tone={TONES[status]} className="status-badge">
      {STATUS_LABELS[status]}
    </Badge>
  );
}

/** The badge with the reason and when it was set. */
export function StatusLine({ c }: { c: Pick<ConnectorDto, "status" | "statusReason" | "statusAt"> }) {
  return (
    <span className="inline-flex flex-col items-start gap-0.5" data-testid="connector-status" data-status={c.status}>
      <StatusBadge status={c.status} />
      {(c.statusReason || c.statusAt) && (
        <span className="text-xs text-slate-500">
          {c.statusReason}
          {c.statusAt && (
            <span title={formatDateTime(c.statusAt)}>
              {c.statusReason ? " · " : ""}
              {formatRelative(c.statusAt)}
            </span>
          )}
        </span>
      )}
    </span>
  );
}
