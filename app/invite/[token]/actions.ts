"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { acceptInvitationSchema } from "@/lib/schemas/workspaces";
import { acceptInvitation, describeInvitation } from "@/lib/members/invitations";
import { authenticate } from "@/lib/auth/sign-in";
import { clientAddressFromHeaders } from "@/lib/auth/client-address";
import { isAppError } from "@/lib/errors";

export interface AcceptState {
  errors: Record<string, string>;
  message?: string;
}

/**
 * Accepts an invitation. A new person chooses a name and password; a person who already has an account
 * proves it with that account's password, since whoever holds the link could otherwise join as them.
 */
export async function acceptInvitationAction(token: string, _prev: AcceptState, form: FormData): Promise<AcceptState> {
  const invitation = await describeInvitation(token);
  if (!invitation)
    return { errors: {}, message: "This invitation is invalid, used or expired. Ask an Admin of the workspace for a new link." };
  const password = String(form.get("password") ?? "");
  let name = String(form.get("name") ?? "");
  if (invitation.accountExists) {
    try {
      const user = await authenticate({ email: invitation.email, password, address: clientAddressFromHeaders(await headers()) });
      name = user.name;
    } catch (e) {
      return { errors: { password: isAppError(e) ? e.message : "Invalid email or password" } };
    }
  } else if (password !== String(form.get("confirm") ?? "")) {
    return { errors: { confirm: "The passwords do not match" } };
  }
  const parsed = acceptInvitationSchema.safeParse({ token, name, password });
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const i of parsed.error.issues) errors[String(i.path[0] ?? "form")] ??= i.message;
    if (errors.token) return { errors: {}, message: "This invitation link is malformed." };
    return { errors };
  }
  try {
    await acceptInvitation(parsed.data);
  } catch (e) {
    if (isAppError(e)) return { errors: {}, message: e.message };
    throw e;
  }
  redirect(`/login?invited=1`);
}
