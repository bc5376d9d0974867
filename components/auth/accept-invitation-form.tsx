"use client";

import { useActionState } from "react";
import type { AcceptState } from "@/app/invite/[token]/actions";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";

export function AcceptInvitationForm({
  accountExists,
  action,
}: {
  accountExists: boolean;
  action: (prev: AcceptState, form: FormData) => Promise<AcceptState>;
}) {
  const [state, formAction, pending] = useActionState(action, { errors: {} });
  const e = state.errors;
  return (
    <form action={formAction} className="space-y-4">
      {state.message && (
        <div role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 ring-1 ring-red-200">
          {state.message}
        </div>
      )}
      {accountExists ? (
        <>
          <p className="text-sm text-slate-600">
            An account with this email already exists. Enter its password to add this workspace to it.
          </p>
          <Field label="Password" htmlFor="password" error={e.password}>
            <Input
              id="password"
              name="password"
              type="password"
              autoComplete="current-password"
              required
              invalid={!!e.password}
              autoFocus
            />
          </Field>
        </>
      ) : (
        <>
          <Field label="Name" htmlFor="name" error={e.name}>
            <Input id="name" name="name" autoComplete="name" required invalid={!!e.name} autoFocus />
          </Field>
          <Field label="Password" htmlFor="password" error={e.password} hint="At least 10 characters.">
            <Input
              id="password"
              name="password"
              type="password"
              autoComplete="new-password"
              required
              minLength={10}
              invalid={!!e.password}
            />
          </Field>
          <Field label="Confirm password" htmlFor="confirm" error={e.confirm}>
            <Input id="confirm" name="confirm" type="password" autoComplete="new-password" required invalid={!!e.confirm} />
          </Field>
        </>
      )}
      <Button type="submit" className="w-full" pending={pending}>
        {accountExists ? "Join workspace" : "Create account and join"}
      </Button>
    </form>
  );
}
