import { WEBHOOK_REASON_LABELS, type WebhookDeliveryStatus, type WebhookDto } from "@/lib/schemas/webhooks";
import { Badge } from "@/components/ui/badge";
import { formatDateTime, formatRelative } from "@/components/ui/format";

export function EnabledBadge({ enabled }: { enabled: boolean }) {
  return enabled ? <Badge tone="green">Enabled</Badge> : <Badge tone="slate">Disabled</Badge>;
}

export function LastEvent({ w }: { w: Pick<WebhookDto, "stats"> }) {
  return (
    <span title={w.stats.lastEventAt ? formatDateTime(w.stats.lastEventAt) : undefined}>
      {w.stats.lastEventAt ? `Last event ${formatRelative(w.stats.lastEventAt)}` : "No events yet"}
    </span>
  );
}

const DELIVERY_TONES: Record<WebhookDeliveryStatus, "slate" | "brand" | "green" | "amber" | "red"> = {
  none: "slate",
  queued: "brand",
  delivering: "brand",
  delivered: "green",
  acked: "green",
  completed: "green",
  failed: "amber",
  dead: "red",
  timed_out: "red",
};

export const DELIVERY_LABELS: Record<WebhookDeliveryStatus, string> = {
  none: "Not run",
  queued: "Queued",
  delivering: "Delivering",
  delivered: "Delivered",
  acked: "Acknowledged",
  completed: "Completed",
  failed: "Failed (retrying)",
  dead: "Dead letter",
  timed_out: "Timed out",
};

export function DeliveryBadge({ status }: { status: WebhookDeliveryStatus }) {
  return <Badge tone={DELIVERY_TONES[status]}>{DELIVERY_LABELS[status]}</Badge>;
}

/** A refusal reason as the ingress writes it (snake_case), in words; one the labels do not know yet, as words. */
export function reasonLabel(reason: string): string {
  if (WEBHOOK_REASON_LABELS[reason]) return WEBHOOK_REASON_LABELS[reason];
  const words = reason.replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}
