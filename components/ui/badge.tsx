import { clsx } from "clsx";
import { ROLE_LABELS } from "@/lib/auth/permissions";
import type { RoleName } from "@/lib/schemas/workspaces";

type Tone = "slate" | "brand" | "green" | "amber" | "red" | "violet";

const tones: Record<Tone, string> = {
  slate: "bg-slate-100 text-slate-700 ring-slate-200",
  brand: "bg-brand-50 text-brand-700 ring-brand-100",
  green: "bg-emerald-50 text-emerald-700 ring-emerald-200",
  amber: "bg-amber-50 text-amber-800 ring-amber-200",
  red: "bg-red-50 text-red-700 ring-red-200",
  violet: "bg-violet-50 text-violet-700 ring-violet-200",
};

export function Badge({ tone = "slate", className, children }: { tone?: Tone; className?: string; children: React.ReactNode }) {
  return (
    <span
      className={clsx(
        "inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ring-inset",
        tones[tone],
        className,
      )}
    >
      {children}
    </span>
  );
}

const roleTone: Record<RoleName, Tone> = { ADMIN: "brand", BUILDER: "violet", MEMBER: "slate" };

export function RoleBadge({ role, className }: { role: RoleName; className?: string }) {
  return (
    <Badge tone={roleTone[role]} className={className}>
      {ROLE_LABELS[role]}
    </Badge>
  );
}
