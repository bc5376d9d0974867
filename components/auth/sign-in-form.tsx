"use client";

import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { signInSchema } from "@/lib/schemas/auth";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";

const GENERIC = "Invalid email or password";

function messageFor(error: string): string {
  if (error.startsWith("Too many")) return error;
  return GENERIC;
}

export function SignInForm({ callbackUrl, initialError }: { callbackUrl: string; initialError?: string }) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | undefined>(initialError ? messageFor(initialError) : undefined);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const parsed = signInSchema.safeParse({ email: form.get("email"), password: form.get("password") });
    if (!parsed.success) {
      setFieldErrors(Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message])));
      return;
    }
    setFieldErrors({});
    setError(undefined);
    setPending(true);
    const res = await signIn("credentials", { ...parsed.data, redirect: false });
    setPending(false);
    if (!res || res.error) {
      setError(messageFor(res?.error ?? ""));
      return;
    }
    router.replace(callbackUrl);
    router.refresh();
  }

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      {error && (
        <div role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 ring-1 ring-red-200">
          {error}
        </div>
      )}
      <Field label="Email" htmlFor="email" error={fieldErrors.email}>
        <Input id="email" name="email" type="email" autoComplete="username" required autoFocus invalid={!!fieldErrors.email} />
      </Field>
      <Field label="Password" htmlFor="password" error={fieldErrors.password}>
        <Input id="password" name="password" type="password" autoComplete="current-password" required invalid={!!fieldErrors.password} />
      </Field>
      <Button type="submit" className="w-full" pending={pending}>
        Sign in
      </Button>
    </form>
  );
}
