import { expect, type APIRequestContext } from "@playwright/test";
import { E2E } from "./env";
import { bearer, unique } from "./helpers";

// Gateway specs talk to the server only through its APIs: keys from the admin API, usage records read back from
// it (they are flushed about once a second, so reads poll).

export async function createKeyViaApi(
  request: APIRequestContext,
  workspaceId: string,
  input: { name?: string; allowedModels?: string[]; rpm?: number; tpm?: number; expiresAt?: string } = {},
): Promise<{ id: string; value: string }> {
  const res = await request.post(`/api/admin/keys?workspaceId=${workspaceId}`, {
    headers: bearer(E2E.envToken),
    data: { name: unique("key"), ...input },
  });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()) as { id: string; value: string };
}

export async function revokeKeyViaApi(request: APIRequestContext, workspaceId: string, keyId: string) {
  const res = await request.delete(`/api/admin/keys/${keyId}?workspaceId=${workspaceId}`, { headers: bearer(E2E.envToken) });
  expect(res.ok(), await res.text()).toBe(true);
}

export interface UsageDetail {
  requestId: string;
  endpoint: string;
  status: number;
  outcome: string;
  errorCode: string | null;
  userId: string | null;
  agentId: string | null;
  inputTokens: number;
  outputTokens: number;
  costUsd: string;
  streamed: boolean;
  attempts: { targetName: string; upstreamModel: string; status: number | null; error: string | null }[];
}

/** The usage record of one request, once the server has flushed it. */
export async function usageRecordViaApi(request: APIRequestContext, workspaceId: string, requestId: string): Promise<UsageDetail> {
  let last = 0;
  for (let i = 0; i < 60; i++) {
    const res = await request.get(`/api/admin/usage/requests/${encodeURIComponent(requestId)}?workspaceId=${workspaceId}`, {
      headers: bearer(E2E.envToken),
    });
    last = res.status();
    if (res.ok()) return (await res.json()) as UsageDetail;
    expect(last, await res.text()).toBe(404);
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no usage record for ${requestId} (last status ${last})`);
}

/** Applies a configuration document through the admin API. */
export async function applyConfigViaApi(request: APIRequestContext, doc: unknown) {
  const res = await request.post("/api/admin/config", { headers: bearer(E2E.envToken), data: doc });
  expect(res.status(), await res.text()).toBe(200);
}
