import { Webhook, type LucideIcon } from "lucide-react";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";

interface SectionCopy {
  title: string;
  summary: string;
  icon: LucideIcon;
  emptyTitle: string;
  body: string[];
}

// What each section will hold, stated precisely; the features behind them ship in later versions.
export const LATER_SECTIONS = {
  webhooks: {
    title: "Incoming Webhooks",
    summary: "Endpoints that receive events from external services.",
    icon: Webhook,
    emptyTitle: "No incoming webhooks yet",
    body: [
      "Each webhook gets its own URL under /api/webhooks, verifies signatures for schemes such as GitHub, Stripe or Slack with a secret stored encrypted, and keeps a log of received events to inspect and replay.",
    ],
  },
} as const satisfies Record<string, SectionCopy>;

export type LaterSection = keyof typeof LATER_SECTIONS;

export function LaterSectionPage({ section, withHeader = true }: { section: LaterSection; withHeader?: boolean }) {
  const s: SectionCopy = LATER_SECTIONS[section];
  return (
    <>
      {withHeader && <PageHeader title={s.title} description={s.summary} />}
      <EmptyState icon={s.icon} title={s.emptyTitle}>
        {s.body.map((p) => (
          <p key={p}>{p}</p>
        ))}
        <p className="pt-1 text-xs font-medium text-slate-400">This section is not available in this version yet.</p>
      </EmptyState>
    </>
  );
}
