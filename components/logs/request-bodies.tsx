"use client";

import { useQuery } from "@tanstack/react-query";
import { api } from "@/components/api/client";
import { ErrorBanner } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Skeleton } from "@/components/ui/skeleton";
import type { RequestBodiesDto } from "@/lib/schemas/workspace-logging";
import { logKeys } from "./keys";

/** JSON pretty-printed; anything else (an SSE stream, a cut body) as it was stored. */
function pretty(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function Body({ label, text }: { label: string; text: string }) {
  return (
    <div>
      <h4 className="mb-1 text-xs font-medium text-slate-500">{label}</h4>
      <pre
        className="max-h-72 overflow-auto whitespace-pre-wrap break-all rounded-md bg-slate-50 p-3 font-mono text-xs text-slate-800 ring-1 ring-slate-200"
        aria-label={label}
      >
        {text ? pretty(text) : "(empty)"}
      </pre>
    </div>
  );
}

/** The request trace's bodies section: the stored request and response, or why there are none. */
export function RequestBodies({ workspaceId, requestId }: { workspaceId: string; requestId: string }) {
  const q = useQuery({
    queryKey: logKeys.bodies(workspaceId, requestId),
    queryFn: () => api<RequestBodiesDto>(`/usage/requests/${encodeURIComponent(requestId)}/bodies`, { query: { workspaceId } }),
  });
  const d = q.data;
  return (
    <section aria-label="Bodies">
      <h3 className="mb-3 flex items-center gap-2 text-sm font-semibold text-slate-900">
        Bodies {d?.bodies?.truncated && <Badge tone="amber">truncated at 256 KB</Badge>}
      </h3>
      <ErrorBanner error={q.error} />
      {q.isPending ? (
        <Skeleton className="h-16 w-full" />
      ) : d?.bodies ? (
        <div className="space-y-3">
          <Body label="Request body" text={d.bodies.request} />
          <Body label="Response body" text={d.bodies.response} />
        </div>
      ) : d ? (
        <p className="text-sm text-slate-500">
          {d.storeBodies
            ? "No bodies are stored for this request (it came before storage was turned on, or its retention has passed)."
            : "Bodies are not stored for this workspace. An Admin can turn this on under Settings > General > Logging."}
        </p>
      ) : null}
    </section>
  );
}
