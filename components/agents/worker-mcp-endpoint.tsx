"use client";

import { EndpointSnippet, useOrigin } from "@/components/mcp/mcp-endpoint";
import { SectionHeader } from "@/components/ui/page-header";

/** A worker's virtual MCP server: exactly the tools listed above, for an agent that speaks MCP. */
export function WorkerMcpEndpoint({ workerId }: { workerId: string }) {
  const origin = useOrigin();
  return (
    <section className="space-y-2">
      <SectionHeader
        title="MCP endpoint"
        description="An MCP server with exactly this worker's tools (connector operations and MCP tools alike), for a key of this workspace."
      />
      <EndpointSnippet url={`${origin}/api/v1/mcp/workers/${workerId}`} label="Copy URL" testId="worker-mcp-endpoint-url" />
    </section>
  );
}
