import crypto from "node:crypto";
import { expect, type APIRequestContext, type Page } from "@playwright/test";
import { E2E } from "./env";

export const unique = (prefix: string) => `${prefix}-${crypto.randomBytes(3).toString("hex")}`;

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Signs in the standard next-auth way (CSRF token, then the credentials callback); cookies land in `request`. */
export async function signInViaApi(request: APIRequestContext, email: string, password: string) {
  const csrf = await request.get("/api/auth/csrf");
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await request.post("/api/auth/callback/credentials", {
    form: { csrfToken, email, password, json: "true" },
    maxRedirects: 0,
  });
  expect([200, 302]).toContain(res.status());
  const session = await (await request.get("/api/auth/session")).json();
  expect(session?.user?.email, `signed in as ${email}`).toBe(email);
}

export async function signInAsAdmin(page: Page) {
  await signInViaApi(page.request, E2E.adminEmail, E2E.adminPassword);
}

/** Creates a workspace through the admin API with the environment token and returns it. */
export async function createWorkspaceViaApi(request: APIRequestContext, name = unique("ws")) {
  const res = await request.post("/api/admin/workspaces", { headers: bearer(E2E.envToken), data: { name } });
  expect(res.status()).toBe(201);
  return (await res.json()) as { id: string; slug: string; name: string };
}

export async function addMemberViaApi(
  request: APIRequestContext,
  workspaceId: string,
  member: { email: string; role: "ADMIN" | "BUILDER" | "MEMBER"; name?: string; password?: string },
) {
  const res = await request.post(`/api/admin/workspaces/${workspaceId}/members`, { headers: bearer(E2E.envToken), data: member });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()) as { id: string; email: string; role: string };
}
