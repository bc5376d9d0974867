import type { McpServerDto } from "@/lib/schemas/mcp";
import { Badge } from "@/components/ui/badge";

const TONES = { untested: "slate", active: "green", failing: "red" } as const;
const LABELS = { untested: "Untested", active: "Active", failing: "Failing" } as const;

export function McpStatus({ s }: { s: Pick<McpServerDto, "status" | "lastError"> }) {
  return (
    <span title={s.lastError || undefined}>
      <Badge tone={TONES[s.status]}>{LABELS[s.status]}</Badge>
    </span>
  );
}
